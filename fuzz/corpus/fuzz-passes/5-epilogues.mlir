// A linear followed by a separate bias add, activation and residual add.
func.func @forward(%x: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  %w = sxf.weight "w" {value = dense<[[1.0, 0.5, -1.0, 2.0], [0.0, 1.0, 1.0, 1.0], [2.0, -2.0, 0.5, 0.0], [1.0, 1.0, 1.0, -3.0]]> : tensor<4x4xf32>} : tensor<4x4xf32>
  %b = sxf.weight "b" {value = dense<[0.5, -0.5, 1.0, 0.0]> : tensor<4xf32>} : tensor<4xf32>
  %y = sxf.linear %x, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %yb = sxf.add %y, %b : (tensor<1x3x4xf32>, tensor<4xf32>) -> tensor<1x3x4xf32>
  %a = sxf.activation silu %yb : tensor<1x3x4xf32>
  %r = sxf.add %x, %a : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  return %r : tensor<1x3x4xf32>
}
