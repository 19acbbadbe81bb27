
// Tests that an unknown storage format is rejected with the valid names.
// expected-error @+1 {{unknown storage format 'hash' (expected dense, csr, csc, coo, bsr, nm or ell)}}
func.func @negative_format() attributes {f = #sxf.format<hash>} {
  return
}

