// Single-head attention spelled as matmul / softmax / matmul; d = 4 so the
// scale is 1/sqrt(4) = 0.5. @wrong_scale must not be fused.
func.func @forward(%q: tensor<2x3x4xf32>, %k: tensor<2x5x4xf32>, %v: tensor<2x5x4xf32>) -> tensor<2x3x4xf32> {
  %s = sxf.matmul %q, %k {transpose_rhs, scale = 0.5 : f32} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
  %p = sxf.softmax %s : tensor<2x3x5xf32>
  %o = sxf.matmul %p, %v : (tensor<2x3x5xf32>, tensor<2x5x4xf32>) -> tensor<2x3x4xf32>
  return %o : tensor<2x3x4xf32>
}
func.func @wrong_scale(%q: tensor<2x3x4xf32>, %k: tensor<2x5x4xf32>, %v: tensor<2x5x4xf32>) -> tensor<2x3x4xf32> {
  %s = sxf.matmul %q, %k {transpose_rhs, scale = 0.25 : f32} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
  %p = sxf.softmax %s : tensor<2x3x5xf32>
  %o = sxf.matmul %p, %v : (tensor<2x3x5xf32>, tensor<2x5x4xf32>) -> tensor<2x3x4xf32>
  return %o : tensor<2x3x4xf32>
}
