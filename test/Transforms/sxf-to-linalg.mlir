// RUN: sparse-opt %s --split-input-file -verify-diagnostics -verify-each --sxf-to-linalg | FileCheck %s

// IR tests of sxf-to-linalg: each sxf.linear becomes a linalg.generic
// contraction with the weight as a constant (converted to a sparse_tensor
// encoding for CSR and BSR), then linalg.generic epilogues for the bias, the
// activation and the residual. The weights it read go. That upstream
// `mlir-opt --sparsifier` compiles the result and computes the interpreter's
// numbers is test/Codegen/to-linalg.test.

// CSR: (dense, compressed) levels; x·Wᵀ as a (parallel, parallel,
// reduction) generic over maps (t, c), (r, c) -> (t, r).
// CHECK-DAG: #[[CSR:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @csr
// CHECK-SAME: (%[[IN:.*]]: tensor<2x4xf32>)
// CHECK-NOT: sxf.
// CHECK: %[[C:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e+00], [0.000000e+00, 0.000000e+00, 3.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// CHECK: %[[S:.*]] = sparse_tensor.convert %[[C]] : tensor<2x4xf32> to tensor<2x4xf32, #[[CSR]]>
// CHECK: %[[Z:.*]] = linalg.fill
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[IN]], %[[S]] : tensor<2x4xf32>, tensor<2x4xf32, #[[CSR]]>) outs(%[[Z]] : tensor<2x2xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: return %[[R]]
func.func @csr(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %w = sxf.weight "w" {format = #sxf.format<csr, value = f32, index = 8>, value = dense<[[1.0, 0.0, 0.0, 2.0], [0.0, 0.0, 3.0, 0.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// BSR 2x2: block rows dense, block columns compressed, dense 2x2 blocks.
// CHECK: #[[BSR:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 floordiv 2 : dense, d1 floordiv 2 : compressed, d0 mod 2 : dense, d1 mod 2 : dense) }>
// CHECK-LABEL: func.func @bsr
// CHECK: sparse_tensor.convert %{{.*}} : tensor<4x4xf32> to tensor<4x4xf32, #[[BSR]]>
// CHECK: linalg.generic
func.func @bsr(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" {format = #sxf.format<bsr[2, 2], value = f32, index = 8>, value = dense<[[1.0, 2.0, 0.0, 0.0], [3.0, 4.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 5.0, 6.0]]> : tensor<4x4xf32>} : tensor<4x4xf32>
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Every other format (and none) reads the weight as a dense constant: no
// sparse_tensor encoding, no convert.
// CHECK-LABEL: func.func @other_formats
// CHECK-NOT: sparse_tensor
// CHECK-COUNT-5: iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %cst{{.*}} : tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK-NOT: sparse_tensor
func.func @other_formats(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %a = sxf.weight "a" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %b = sxf.weight "b" {format = #sxf.format<dense, value = f32>, value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %c = sxf.weight "c" {format = #sxf.format<csc, value = f32, index = 8>, value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %d = sxf.weight "d" {format = #sxf.format<ell, value = f32, index = 8>, value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %e = sxf.weight "e" {format = #sxf.format<nm[4, 4], value = f32, index = 2>, value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %ya = sxf.linear %x, %a : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %yb = sxf.linear %x, %b : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %yc = sxf.linear %x, %c : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %yd = sxf.linear %x, %d : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %ye = sxf.linear %x, %e : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %ya, %yb, %yc, %yd, %ye : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// The constant holds the values as stored: an f16 format rounds 0.1 to
// 0.0999755859375.
// CHECK-LABEL: func.func @f16_values
// CHECK: arith.constant dense<0.0999755859> : tensor<2x4xf32>
func.func @f16_values(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %w = sxf.weight "w" {format = #sxf.format<dense, value = f16>, value = dense<0.1> : tensor<2x4xf32>} : tensor<2x4xf32>
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// Bias and activation: one elementwise generic after the contraction, the
// bias broadcast along the rows; relu is maximumf with 0.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @bias_relu
// CHECK: %[[MM:.*]] = linalg.generic {{.*}}["parallel", "parallel", "reduction"]
// CHECK: %[[B:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// CHECK: %[[E:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[MM]], %[[B]] : tensor<2x2xf32>, tensor<2xf32>) outs(%[[MM]] : tensor<2x2xf32>)
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: return %[[E]]
func.func @bias_relu(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %b = sxf.weight "b" {value = dense<[0.5, -0.5]> : tensor<2xf32>} : tensor<2xf32>
  %y = sxf.linear %x, %w, %b activation relu : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// The other activations through math: gelu (erf), gelu_tanh (tanh), silu
// (exp); without a bias the epilogue generic reads only the product.
// CHECK-LABEL: func.func @activations
// CHECK: linalg.generic {{.*}} ins(%{{[^,]*}} : tensor<2x2xf32>)
// CHECK: math.erf
// CHECK: linalg.generic {{.*}} ins(%{{[^,]*}} : tensor<2x2xf32>)
// CHECK: math.tanh
// CHECK: linalg.generic {{.*}} ins(%{{[^,]*}} : tensor<2x2xf32>)
// CHECK: math.exp
// CHECK: arith.divf
func.func @activations(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %v = sxf.weight "v" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %u = sxf.weight "u" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %a = sxf.linear %x, %w activation gelu : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %b = sxf.linear %x, %v activation gelu_tanh : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %c = sxf.linear %x, %u activation silu : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %a, %b, %c : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// Rank 3: the leading dimensions collapse into rows for the contraction
// and the residual, and expand back at the end.
// CHECK-LABEL: func.func @rank3_residual
// CHECK-SAME: (%[[IN:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[X:.*]] = tensor.collapse_shape %[[IN]] {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[MM:.*]] = linalg.generic {{.*}} ins(%[[X]], %{{.*}} : tensor<6x4xf32>, tensor<4x4xf32>)
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[IN]] {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%[[MM]], %[[R]] : tensor<6x4xf32>, tensor<6x4xf32>)
// CHECK: %[[Y:.*]] = tensor.expand_shape %[[S]] {{\[\[}}0, 1], [2]] output_shape [2, 3, 4] : tensor<6x4xf32> into tensor<2x3x4xf32>
// CHECK: return %[[Y]]
func.func @rank3_residual(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %y = sxf.linear %x, %w residual(%x) : (tensor<2x3x4xf32>, tensor<4x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// Rank 1 (one token): the vector gains a leading row and loses it at the
// end (regression: it was "collapsed" with an empty reassociation, which
// the verifier rejects).
// CHECK-LABEL: func.func @rank1_residual
// CHECK-SAME: (%[[IN:.*]]: tensor<4xf32>, %[[RES:.*]]: tensor<2xf32>)
// CHECK: %[[X:.*]] = tensor.expand_shape %[[IN]] {{\[\[}}0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
// CHECK: %[[MM:.*]] = linalg.generic {{.*}} ins(%[[X]], %{{.*}} : tensor<1x4xf32>, tensor<2x4xf32>)
// CHECK: %[[R:.*]] = tensor.expand_shape %[[RES]] {{\[\[}}0, 1]] output_shape [1, 2] : tensor<2xf32> into tensor<1x2xf32>
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%[[MM]], %[[R]] : tensor<1x2xf32>, tensor<1x2xf32>)
// CHECK: %[[Y:.*]] = tensor.collapse_shape %[[S]] {{\[\[}}0, 1]] : tensor<1x2xf32> into tensor<2xf32>
// CHECK: return %[[Y]]
func.func @rank1_residual(%x: tensor<4xf32>, %r: tensor<2xf32>) -> tensor<2xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %y = sxf.linear %x, %w residual(%r) : (tensor<4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// A layer-norm epilogue has no linalg lowering here: that linear stays in
// sxf (with its weights) and says so; the other linear is lowered; other
// sxf ops and the weights they read stay.
// CHECK-LABEL: func.func @norm_stays
// CHECK: sxf.weight "g"
// CHECK: %[[A:.*]] = sxf.linear %{{.*}}, %{{.*}} norm(
// CHECK: %[[N:.*]] = sxf.layer_norm %[[A]]
// CHECK: linalg.generic {{.*}} ins(%[[N]],
// CHECK-NOT: sxf.weight "w2"
func.func @norm_stays(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %w2 = sxf.weight "w2" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %g = sxf.weight "g" {value = dense<1.0> : tensor<4xf32>} : tensor<4xf32>
  // expected-remark @+1 {{sxf-to-linalg: a linear with a layer-norm epilogue is left in sxf}}
  %a = sxf.linear %x, %w norm(%g, %g) {norm_epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %n = sxf.layer_norm %a, %g, %g : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %y = sxf.linear %n, %w2 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// A weight two linears share becomes one constant per use and goes once
// neither needs it.
// CHECK-LABEL: func.func @shared_weight
// CHECK-NOT: sxf.weight
// CHECK-COUNT-2: arith.constant dense<1.000000e+00> : tensor<2x4xf32>
func.func @shared_weight(%x: tensor<2x4xf32>, %z: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %a = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %b = sxf.linear %z, %w : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %a, %b : tensor<2x2xf32>, tensor<2x2xf32>
}
