
// Tests that layer norm checks gamma.
func.func @negative_layer_norm_gamma(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<4xf32>
  // expected-error @+1 {{gamma has 4 elements but the normalised (last) dimension is 8}}
  %y = sxf.layer_norm %x, %g, %g : (tensor<2x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x8xf32>
  return
}

