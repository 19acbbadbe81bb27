
// Tests that a zero fused-norm epsilon of a linear op is rejected.
func.func @negative_linear_norm_epsilon_zero(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %g = sxf.weight "g" : tensor<3xf32>
  // expected-error @+1 {{norm_epsilon must be finite and > 0, got 0.000000e+00}}
  %y = sxf.linear %x, %w norm(%g, %g) {norm_epsilon = 0.0 : f32} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

