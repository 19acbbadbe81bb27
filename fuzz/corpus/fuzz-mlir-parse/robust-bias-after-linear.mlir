func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<3x4xf32>} : tensor<3x4xf32>
  %y = sxf.linear %x, %w : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32>
  %b = sxf.weight "b" {value = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : tensor<3xf32>
  %z = sxf.add %y, %b : (tensor<1x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %z : tensor<1x3xf32>
}
