
// Tests that an infinite layer-norm epsilon is rejected.
func.func @negative_layer_norm_epsilon_inf(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<8xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got INF}}
  %y = sxf.layer_norm %x, %g, %g {epsilon = 0x7F800000 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

