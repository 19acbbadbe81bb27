
// Tests that a zero layer-norm epsilon is rejected.
func.func @negative_layer_norm_epsilon_zero(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<8xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got 0.000000e+00}}
  %y = sxf.layer_norm %x, %g, %g {epsilon = 0.0 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

