func.func @forward(%x: tensor<8xf32>) -> tensor<8xf32> {
  %b = sxf.weight "b" {value = dense<[1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]> : tensor<8xf32>} : tensor<8xf32>
  %y = sxf.add %x, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}
