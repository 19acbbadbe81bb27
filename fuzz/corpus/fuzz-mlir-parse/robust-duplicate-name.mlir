func.func @forward(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %a = sxf.weight "w" {value = dense<1.0> : tensor<2x2xf32>} : tensor<2x2xf32>
  %b = sxf.weight "w" {value = dense<2.0> : tensor<2x2xf32>} : tensor<2x2xf32>
  %y = sxf.linear %x, %a : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %z = sxf.linear %x, %b : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y, %z : tensor<1x2xf32>, tensor<1x2xf32>
}
