
// Tests that a negative infinite rms-norm epsilon is rejected.
func.func @negative_rms_norm_epsilon_ninf(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<8xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got -INF}}
  %y = sxf.rms_norm %x, %g {epsilon = 0xFF800000 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

