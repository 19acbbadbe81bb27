
// Tests that linear checks its result shape.
func.func @negative_linear_result(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  // expected-error @+1 {{result shape 2x4 does not match the expected 2x3}}
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

