func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %w0 = sxf.weight "w0" {value = dense<1.0> : tensor<0x4xf32>} : tensor<0x4xf32>
  %w1 = sxf.weight "w1" {value = dense<1.0> : tensor<3x0xf32>} : tensor<3x0xf32>
  %h = sxf.linear %x, %w0 activation relu : (tensor<1x4xf32>, tensor<0x4xf32>) -> tensor<1x0xf32>
  %y = sxf.linear %h, %w1 : (tensor<1x0xf32>, tensor<3x0xf32>) -> tensor<1x3xf32>
  %w2 = sxf.weight "w2" {value = dense<1.0> : tensor<3x3xf32>} : tensor<3x3xf32>
  %z = sxf.linear %y, %w2 : (tensor<1x3xf32>, tensor<3x3xf32>) -> tensor<1x3xf32>
  return %z : tensor<1x3xf32>
}
