
// Tests that rms norm checks gamma rank.
func.func @negative_rms_norm_gamma(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<2x8xf32>
  // expected-error @+1 {{gamma must be rank 1, got tensor of shape 2x8}}
  %y = sxf.rms_norm %x, %g : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

