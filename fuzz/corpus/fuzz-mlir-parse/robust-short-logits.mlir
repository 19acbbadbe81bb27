func.func @forward(%ids: tensor<1x4xi32>) -> tensor<1x1x8xf32> {
  %t = sxf.weight "t" {value = dense<0.5> : tensor<8x8xf32>} : tensor<8x8xf32>
  %e = sxf.embedding %ids, %t : (tensor<1x4xi32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %w = sxf.weight "w" {value = dense<0.25> : tensor<1x1x4xf32>} : tensor<1x1x4xf32>
  %s = sxf.matmul %w, %e : (tensor<1x1x4xf32>, tensor<1x4x8xf32>) -> tensor<1x1x8xf32>
  return %s : tensor<1x1x8xf32>
}
