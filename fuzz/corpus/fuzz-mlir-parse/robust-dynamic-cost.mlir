func.func @forward(%q: tensor<?x4x8xf32>, %a: tensor<1x4x?xf32>, %b: tensor<1x?x8xf32>) -> (tensor<?x4x8xf32>, tensor<1x4x8xf32>) {
  %o = sxf.attention %q, %q, %q {heads = 2 : i64, head_dim = 4 : i64} : (tensor<?x4x8xf32>, tensor<?x4x8xf32>, tensor<?x4x8xf32>) -> tensor<?x4x8xf32>
  %m = sxf.matmul %a, %b : (tensor<1x4x?xf32>, tensor<1x?x8xf32>) -> tensor<1x4x8xf32>
  return %o, %m : tensor<?x4x8xf32>, tensor<1x4x8xf32>
}
