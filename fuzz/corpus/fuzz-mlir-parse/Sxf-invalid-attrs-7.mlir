
// Tests that a negative index width is rejected as written.
// expected-error @+1 {{index width -8 is not one of 8, 16, 32, 64}}
func.func @negative_index_negative() attributes {f = #sxf.format<csr, index = -8>} {
  return
}

