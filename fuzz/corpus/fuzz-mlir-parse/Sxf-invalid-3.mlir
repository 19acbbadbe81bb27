
// Tests that a zero block is rejected.
func.func @negative_zero_block() {
  // expected-error @+1 {{block shape 0x4 must be positive}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<block[0, 4], density = 0.5>} : tensor<4x4xf32>
  return
}

