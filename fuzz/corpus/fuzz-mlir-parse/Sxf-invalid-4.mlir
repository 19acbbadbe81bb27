
// Tests that a block that does not divide the weight is rejected.
func.func @negative_block_not_dividing() {
  // expected-error @+1 {{block 4x4 does not divide the weight shape 6x8}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<block[4, 4], density = 0.5>} : tensor<6x8xf32>
  return
}

