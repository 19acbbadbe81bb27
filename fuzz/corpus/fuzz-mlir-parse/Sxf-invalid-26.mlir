
// Tests that linear checks the bias length.
func.func @negative_linear_bias(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %b = sxf.weight "b" : tensor<4xf32>
  // expected-error @+1 {{bias has 4 elements but the weight's out-features is 3}}
  %y = sxf.linear %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

