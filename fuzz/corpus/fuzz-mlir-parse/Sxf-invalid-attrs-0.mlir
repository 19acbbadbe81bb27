
// Tests that an unknown sparsity pattern is rejected with the valid names.
// expected-error @+1 {{unknown sparsity pattern 'diagonal' (expected dense, unstructured, block or nm)}}
func.func @negative_pattern() attributes {s = #sxf.sparsity<diagonal>} {
  return
}

