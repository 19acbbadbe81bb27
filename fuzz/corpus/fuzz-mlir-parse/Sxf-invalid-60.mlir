
// Tests that the fused norm's gamma matches the out-features.
func.func @negative_norm_gamma(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %g = sxf.weight "g" : tensor<4xf32>
  // expected-error @+1 {{norm gamma has 4 elements but the out-features is 3}}
  %y = sxf.linear %x, %w norm(%g, %g) {norm_epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

