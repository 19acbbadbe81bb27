// RUN: sparse-opt %s | sparse-opt | FileCheck %s
// RUN: sparse-opt %s --mlir-print-op-generic | sparse-opt | FileCheck %s

// Tests that every primitive op and both attributes round-trip.
// CHECK-LABEL: func.func @primitives
func.func @primitives(%ids: tensor<1x4xi32>, %x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  // CHECK: sxf.weight "q" {format = #sxf.format<nm[2, 4], value = f16, index = 2>, sparsity = #sxf.sparsity<nm[2, 4]>} : tensor<8x8xf32>
  %w = sxf.weight "q" {sparsity = #sxf.sparsity<nm[2, 4]>, format = #sxf.format<nm[2, 4], value = f16, index = 2>} : tensor<8x8xf32>
  // CHECK: sxf.weight "b" {format = #sxf.format<bsr[4, 4], value = f32, index = 32>, sparsity = #sxf.sparsity<block[4, 4], density = 0.25>}
  %w2 = sxf.weight "b" {sparsity = #sxf.sparsity<block[4, 4], density = 0.25>, format = #sxf.format<bsr[4, 4]>} : tensor<8x8xf32>
  // CHECK: sxf.weight "u" {format = #sxf.format<csr, value = bf16, index = 16>, sparsity = #sxf.sparsity<unstructured, density = 1.0e-05>}
  %w3 = sxf.weight "u" {sparsity = #sxf.sparsity<unstructured, density = 1.0e-05>, format = #sxf.format<csr, value = bf16, index = 16>} : tensor<8x8xf32>
  // CHECK: sxf.weight "d" {format = #sxf.format<dense, value = f32>, sparsity = #sxf.sparsity<dense>}
  %w4 = sxf.weight "d" {sparsity = #sxf.sparsity<dense>, format = #sxf.format<dense>} : tensor<8x8xf32>
  // CHECK: sxf.weight "e" {format = #sxf.format<ell, value = f32, index = 8>, sparsity = #sxf.sparsity<nm[1, 4], density = 0.2>}
  %w5 = sxf.weight "e" {sparsity = #sxf.sparsity<nm[1, 4], density = 0.2>, format = #sxf.format<ell, index = 8>} : tensor<8x8xf32>
  // Index widths hold the largest *stored* index (formats::shapeProblem):
  // csr/ell store column indices, so 8 bits address 128 columns of any
  // number of rows; bsr stores block columns; csc row indices.
  // CHECK: sxf.weight "tall" {format = #sxf.format<csr, value = f32, index = 8>} : tensor<509x128xf32>
  %tall = sxf.weight "tall" {format = #sxf.format<csr, index = 8>} : tensor<509x128xf32>
  // CHECK: sxf.weight "tall_ell" {format = #sxf.format<ell, value = f32, index = 8>} : tensor<4096x256xf32>
  %tall2 = sxf.weight "tall_ell" {format = #sxf.format<ell, index = 8>} : tensor<4096x256xf32>
  // CHECK: sxf.weight "wide_bsr" {format = #sxf.format<bsr[16, 16], value = f32, index = 8>} : tensor<16x4096xf32>
  %wide = sxf.weight "wide_bsr" {format = #sxf.format<bsr[16, 16], index = 8>} : tensor<16x4096xf32>
  // CHECK: sxf.weight "wide_csc" {format = #sxf.format<csc, value = f32, index = 8>} : tensor<256x4096xf32>
  %wide2 = sxf.weight "wide_csc" {format = #sxf.format<csc, index = 8>} : tensor<256x4096xf32>
  // CHECK: %[[B:.*]] = sxf.weight "bias" {value = dense<1.000000e+00> : tensor<8xf32>} : tensor<8xf32>
  %b = sxf.weight "bias" {value = dense<1.0> : tensor<8xf32>} : tensor<8xf32>
  // CHECK: %[[Y:.*]] = sxf.linear %{{.*}}, %{{.*}}, %[[B]] activation gelu : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %y = sxf.linear %x, %w, %b activation gelu : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  // CHECK: sxf.linear %{{.*}}, %{{.*}} : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %y2 = sxf.linear %x, %w2 : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  // CHECK: sxf.matmul %[[Y]], %{{.*}} {scale = 5.000000e-01 : f32, transpose_rhs}
  %s = sxf.matmul %y, %x {transpose_rhs, scale = 0.5 : f32} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x4xf32>
  // CHECK: sxf.softmax %{{.*}} : tensor<1x4x4xf32>
  %p = sxf.softmax %s : tensor<1x4x4xf32>
  // CHECK: sxf.softmax %{{.*}} {axis = 1 : i64} : tensor<1x4x4xf32>
  %p1 = sxf.softmax %s {axis = 1} : tensor<1x4x4xf32>
  // CHECK: sxf.attention %[[Y]], %[[Y]], %[[Y]] {causal, head_dim = 4 : i64, heads = 2 : i64, keep_heads = array<i1: true, false>}
  %a = sxf.attention %y, %y, %y {heads = 2 : i64, head_dim = 4 : i64, causal, keep_heads = array<i1: true, false>} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  // CHECK: sxf.activation silu %{{.*}} : tensor<1x4x8xf32>
  %act = sxf.activation silu %a : tensor<1x4x8xf32>
  // CHECK: sxf.layer_norm %{{.*}}, %[[B]], %[[B]] {epsilon = 9.99999997E-7 : f32}
  %ln = sxf.layer_norm %act, %b, %b {epsilon = 1.0e-6 : f32} : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  // CHECK: sxf.rms_norm %{{.*}}, %[[B]] : (tensor<1x4x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %n = sxf.rms_norm %ln, %b : (tensor<1x4x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  // CHECK: sxf.add %{{.*}}, %[[B]] : (tensor<1x4x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %r = sxf.add %n, %b : (tensor<1x4x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  return %r : tensor<1x4x8xf32>
}

// Tests embedding with and without a position table.
// CHECK-LABEL: func.func @embedding
func.func @embedding(%ids: tensor<2x3xi64>) -> tensor<2x3x4xf32> {
  %t = sxf.weight "t" : tensor<10x4xf32>
  %p = sxf.weight "p" : tensor<3x4xf32>
  // CHECK: sxf.embedding %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi64>, tensor<10x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  %e = sxf.embedding %ids, %t, %p : (tensor<2x3xi64>, tensor<10x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  // CHECK: sxf.embedding %{{.*}}, %{{.*}} : (tensor<2x3xi64>, tensor<10x4xf32>) -> tensor<2x3x4xf32>
  %e2 = sxf.embedding %ids, %t : (tensor<2x3xi64>, tensor<10x4xf32>) -> tensor<2x3x4xf32>
  return %e : tensor<2x3x4xf32>
}

// Tests the fused epilogues and split.
// CHECK-LABEL: func.func @epilogues
// CHECK: sxf.linear %{{.*}}, %{{.*}}, %{{.*}} residual(%{{.*}}) norm(%{{.*}}, %{{.*}}) activation relu {norm_epsilon = 9.99999974E-6 : f32}
// CHECK: sxf.split %{{.*}} : tensor<2x4xf32> -> tensor<2x1xf32>, tensor<2x3xf32>
func.func @epilogues(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" : tensor<4x4xf32>
  %b = sxf.weight "b" : tensor<4xf32>
  %y = sxf.linear %x, %w, %b residual(%x) norm(%b, %b) activation relu {norm_epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %p, %q = sxf.split %y : tensor<2x4xf32> -> tensor<2x1xf32>, tensor<2x3xf32>
  return %y : tensor<2x4xf32>
}

// Tests the KV-cache append and an embedding at a position offset (a decode
// step), static and dynamic.
// CHECK-LABEL: func.func @decode_step
func.func @decode_step(%ids: tensor<2x1xi32>, %pk: tensor<2x5x6xf32>, %kn: tensor<2x1x6xf32>, %dk: tensor<?x?x6xf32>) -> tensor<2x6x6xf32> {
  %t = sxf.weight "t" : tensor<10x6xf32>
  %p = sxf.weight "p" : tensor<8x6xf32>
  // CHECK: sxf.embedding %{{.*}}, %{{.*}}, %{{.*}} {position_offset = 5 : i64} : (tensor<2x1xi32>, tensor<10x6xf32>, tensor<8x6xf32>) -> tensor<2x1x6xf32>
  %e = sxf.embedding %ids, %t, %p {position_offset = 5 : i64} : (tensor<2x1xi32>, tensor<10x6xf32>, tensor<8x6xf32>) -> tensor<2x1x6xf32>
  // CHECK: sxf.kv_append %{{.*}}, %{{.*}} : (tensor<2x5x6xf32>, tensor<2x1x6xf32>) -> tensor<2x6x6xf32>
  %k = sxf.kv_append %pk, %kn : (tensor<2x5x6xf32>, tensor<2x1x6xf32>) -> tensor<2x6x6xf32>
  // CHECK: sxf.kv_append %{{.*}}, %{{.*}} : (tensor<?x?x6xf32>, tensor<2x1x6xf32>) -> tensor<2x?x6xf32>
  %d = sxf.kv_append %dk, %kn : (tensor<?x?x6xf32>, tensor<2x1x6xf32>) -> tensor<2x?x6xf32>
  return %k : tensor<2x6x6xf32>
}
