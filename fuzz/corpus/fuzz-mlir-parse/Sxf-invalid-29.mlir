
// Tests that matmul checks the contraction dimension.
func.func @negative_matmul_contraction(%a: tensor<2x3x4xf32>, %b: tensor<2x5x6xf32>) {
  // expected-error @+1 {{contraction dimensions differ: 4 vs 5 (2x3x4 x 2x5x6)}}
  %y = sxf.matmul %a, %b : (tensor<2x3x4xf32>, tensor<2x5x6xf32>) -> tensor<2x3x6xf32>
  return
}

