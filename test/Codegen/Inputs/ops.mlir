// Every non-linear sxf op on one small entry (to-linalg.test): rms_norm,
// softmax along a middle axis, matmul with transpose_lhs and a scale, silu,
// add with a broadcast rhs, and attention with keys of another length
// (T = 3 < S = 4), causal (query 0 sees no key: zeros) and a pruned head.
module {
  func.func @forward(%x: tensor<1x4x8xf32> {sxf.name = "x"}) -> (tensor<1x4x8xf32> {sxf.name = "y"}) {
    %g = sxf.weight "g" {value = dense<[0.00, 0.30, -0.27, -0.89, -0.45, -0.99, 0.06, 1.34]> : tensor<8xf32>} : tensor<8xf32>
    %kin = sxf.weight "kin" {value = dense<[[[-0.49, -0.62, 0.49, 0.36, 0.11, -0.93, -0.03, 0.70],  [-1.34, -0.46, -1.90, -1.29, -1.84, -0.24, -1.27, 0.27],  [0.16, -0.19, -2.52, -0.54, -0.05, 0.11, -1.53, -0.48]]]> : tensor<1x3x8xf32>} : tensor<1x3x8xf32>
    %wq = sxf.weight "wq" {value = dense<[[-0.98, -0.81, 1.06, -0.81, -0.03, 0.88, -0.58, -0.11], [0.11, 0.06, -1.23, 0.08, 1.36, -1.55, 0.86, 0.12], [-0.64, 2.00, 0.76, -1.20, 0.07, 0.58, -0.19, 0.68], [-0.07, 0.67, 1.44, -0.68, 0.20, -0.46, 0.13, -1.19], [-0.58, -0.20, 0.90, 1.15, -1.32, -0.79, 0.65, -1.99], [-0.46, -0.10, 1.26, 0.69, -0.33, -0.37, -0.25, 1.52], [-0.43, -0.30, 0.35, -0.12, -0.20, -1.11, -0.01, -0.44], [1.17, 0.65, -0.02, 0.67, -0.34, 1.05, -0.01, 0.58]]> : tensor<8x8xf32>} : tensor<8x8xf32>
    %wk = sxf.weight "wk" {value = dense<[[-1.29, 0.35, -1.69, -2.04, -0.30, -0.90, 0.16, 2.24], [-0.83, -0.62, 0.21, 0.49, -0.18, -0.21, 0.70, 0.52], [-1.03, -0.08, 0.04, -1.05, 0.26, -0.86, 0.97, 0.19], [0.09, -0.59, -0.12, -2.00, -1.13, 0.36, -2.13, 0.85], [-1.75, 0.76, -0.85, 0.78, 0.13, -1.54, 1.25, 1.44], [-0.07, -0.27, -0.16, -0.98, 1.10, -0.54, -0.05, -0.79], [-0.63, -1.28, 1.26, -0.15, 0.97, 0.01, -0.69, -0.33], [-0.56, 0.01, -0.38, -0.30, -1.38, -0.81, 1.65, -0.67]]> : tensor<8x8xf32>, format = #sxf.format<csr, index = 8>} : tensor<8x8xf32>
    %wv = sxf.weight "wv" {value = dense<[[-1.05, 0.34, 1.41, -1.45, -0.21, -0.63, -1.76, 0.73], [-0.02, 0.07, -0.75, 0.45, -0.54, -0.14, -1.11, -1.22], [1.34, -0.51, 0.29, -0.03, -0.44, -0.51, 0.63, -0.30], [-0.15, 0.02, 1.18, 0.68, 0.38, -0.56, -1.38, 0.95], [0.97, -0.14, 0.54, 0.78, 0.83, 0.92, -0.46, 1.51], [-1.25, 0.86, 0.49, 0.87, 1.88, 1.48, -1.15, -1.69], [0.82, -1.02, -0.01, 0.84, -1.64, -2.11, 0.26, 0.04], [-0.25, 0.04, -0.86, -1.51, -0.17, -0.97, -1.64, 0.51]]> : tensor<8x8xf32>} : tensor<8x8xf32>
    %r = sxf.weight "r" {value = dense<[[-0.06, 0.41, -0.99, -0.66, -1.00, -0.89, 0.20, -0.78], [0.36, 0.34, 2.03, -1.39, 0.89, -0.09, -0.01, -1.45], [-0.46, 0.74, -0.08, 0.08, -0.29, 1.15, -0.02, -2.20], [-0.69, -1.97, -3.25, -0.53, 1.33, 0.05, -1.17, -0.94]]> : tensor<4x8xf32>} : tensor<4x8xf32>
    %n = sxf.rms_norm %x, %g {epsilon = 1.0e-6 : f32} : (tensor<1x4x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %q = sxf.linear %n, %wq : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %k = sxf.linear %kin, %wk : (tensor<1x3x8xf32>, tensor<8x8xf32>) -> tensor<1x3x8xf32>
    %v = sxf.linear %kin, %wv : (tensor<1x3x8xf32>, tensor<8x8xf32>) -> tensor<1x3x8xf32>
    %a = sxf.attention %q, %k, %v {heads = 2 : i64, head_dim = 4 : i64, causal, keep_heads = array<i1: true, false>} : (tensor<1x4x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>) -> tensor<1x4x8xf32>
    %s = sxf.softmax %x {axis = 1 : i64} : tensor<1x4x8xf32>
    %m = sxf.matmul %s, %x {transpose_lhs, scale = 0.5 : f32} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x8x8xf32>
    %mm = sxf.matmul %a, %m {scale = 0.25 : f32} : (tensor<1x4x8xf32>, tensor<1x8x8xf32>) -> tensor<1x4x8xf32>
    %act = sxf.activation silu %mm : tensor<1x4x8xf32>
    %sum = sxf.add %act, %r : (tensor<1x4x8xf32>, tensor<4x8xf32>) -> tensor<1x4x8xf32>
    %y = sxf.add %sum, %a : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    return %y : tensor<1x4x8xf32>
  }
}
