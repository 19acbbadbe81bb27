
// Tests that a fused norm needs its epsilon.
func.func @negative_norm_without_epsilon(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %g = sxf.weight "g" : tensor<3xf32>
  // expected-error @+1 {{norm needs a norm_epsilon attribute}}
  %y = sxf.linear %x, %w norm(%g, %g) : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

