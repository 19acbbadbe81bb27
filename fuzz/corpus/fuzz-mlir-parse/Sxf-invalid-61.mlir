
// Tests that a residual matches the result type.
func.func @negative_residual_type(%x: tensor<2x4xf32>, %r: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  // expected-error @+1 {{residual type 'tensor<2x4xf32>' differs from the result type 'tensor<2x3xf32>'}}
  %y = sxf.linear %x, %w residual(%r) : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<2x3xf32>
  return
}

