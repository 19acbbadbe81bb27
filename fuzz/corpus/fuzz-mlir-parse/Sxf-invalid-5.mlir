
// Tests that M must divide the input features.
func.func @negative_m_not_dividing() {
  // expected-error @+1 {{M = 4 of the 2:4 pattern does not divide the 6 input features}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<nm[2, 4]>} : tensor<8x6xf32>
  return
}

