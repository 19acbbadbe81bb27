
// Tests that norm_epsilon needs a norm.
func.func @negative_epsilon_without_norm(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  // expected-error @+1 {{norm_epsilon without norm(gamma, beta)}}
  %y = sxf.linear %x, %w {norm_epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return
}

