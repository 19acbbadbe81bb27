func.func @forward(%x: tensor<1x1xf32>) -> (tensor<1x1xf32>) {
  %w1 = sxf.weight "w1" {value = dense<0.0> : tensor<4x1xf32>} : tensor<4x1xf32>
  %w2 = sxf.weight "w2" {value = dense<1.0> : tensor<1x1xf32>} : tensor<1x1xf32>
  %h = sxf.linear %x, %w1 : (tensor<1x1xf32>, tensor<4x1xf32>) -> tensor<1x?xf32>
  %y = sxf.linear %h, %w2 : (tensor<1x?xf32>, tensor<1x1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
