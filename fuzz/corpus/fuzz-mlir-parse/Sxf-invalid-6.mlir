
// Tests that structured sparsity needs a matrix.
func.func @negative_nm_on_vector() {
  // expected-error @+1 {{N:M sparsity needs a 2-D weight, got shape 8}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<nm[2, 4]>} : tensor<8xf32>
  return
}

