
// Tests that linear checks in-features.
func.func @negative_linear_in_features(%x: tensor<2x5xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  // expected-error @+1 {{input last dimension 5 does not match the weight's in-features 4 (weight 3x4)}}
  %y = sxf.linear %x, %w : (tensor<2x5xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return
}

