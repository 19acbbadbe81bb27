// RUN: sparse-opt %s --split-input-file -verify-diagnostics -verify-each --sxf-to-linalg | FileCheck %s

// IR tests of sxf-to-linalg (conversion patterns, lib/Conversion/SxfToLinalg):
// each sxf.weight becomes an arith.constant of its values; each sxf.linear a
// linalg.generic contraction with the weight (converted to a sparse_tensor
// encoding for CSR and BSR), then linalg.generic epilogues for the bias, the
// activation, the residual and the layer norm; every other sxf op becomes
// linalg generics (or tensor slices). That upstream `mlir-opt --sparsifier`
// compiles the result and computes the interpreter's numbers, for an MLP and
// whole GPT / BERT models, is test/Codegen/to-linalg.test.

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
// CHECK: %[[B:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// CHECK: %[[MM:.*]] = linalg.generic {{.*}}["parallel", "parallel", "reduction"]
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

// A layer-norm epilogue (and sxf.layer_norm): Σx, then Σ(x − μ)² over the
// last dim (parallel, reduction generics into [T]), then one elementwise
// generic (x − μ) / √(σ²/H + eps) · gamma + beta reading the row sums.
// CHECK-DAG: #[[ROWS:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @norm_epilogue
// CHECK-NOT: sxf.
// CHECK: %[[MM:.*]] = linalg.generic {{.*}}["parallel", "parallel", "reduction"]
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%[[MM]] : tensor<2x4xf32>) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%[[MM]], %[[SUM]] : tensor<2x4xf32>, tensor<2xf32>)
// CHECK: %[[N:.*]] = linalg.generic {{.*}}, #[[ROWS]], #[[ROWS]], {{.*}} ins(%[[MM]], %[[SUM]], %[[SQ]], %{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK: arith.constant 9.99999974E-6 : f32
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: %[[SUM2:.*]] = linalg.generic {{.*}} ins(%[[N]] : tensor<2x4xf32>)
// CHECK: %[[SQ2:.*]] = linalg.generic {{.*}} ins(%[[N]], %[[SUM2]]
// CHECK: %[[L:.*]] = linalg.generic {{.*}} ins(%[[N]], %[[SUM2]], %[[SQ2]],
// CHECK: linalg.generic {{.*}} ins(%[[L]],
func.func @norm_epilogue(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %w2 = sxf.weight "w2" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %g = sxf.weight "g" {value = dense<1.0> : tensor<4xf32>} : tensor<4xf32>
  %a = sxf.linear %x, %w norm(%g, %g) {norm_epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %n = sxf.layer_norm %a, %g, %g : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %y = sxf.linear %n, %w2 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// A weight two linears share becomes one constant that both read.
// CHECK-LABEL: func.func @shared_weight
// CHECK-NOT: sxf.weight
// CHECK: %[[W:.*]] = arith.constant dense<1.000000e+00> : tensor<2x4xf32>
// CHECK-NOT: arith.constant dense<1.000000e+00> : tensor<2x4xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[W]] :
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[W]] :
func.func @shared_weight(%x: tensor<2x4xf32>, %z: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %a = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %b = sxf.linear %z, %w : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %a, %b : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// A weight or bias that is not an sxf.weight (here arguments) is read as it
// is: a dense contraction, the bias broadcast along the rows.
// CHECK-LABEL: func.func @weight_argument
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[W:.*]]: tensor<2x4xf32>, %[[B:.*]]: tensor<2xf32>)
// CHECK: %[[MM:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[W]] : tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[MM]], %[[B]] : tensor<2x2xf32>, tensor<2xf32>)
func.func @weight_argument(%x: tensor<2x4xf32>, %w: tensor<2x4xf32>, %b: tensor<2xf32>) -> tensor<2x2xf32> {
  %y = sxf.linear %x, %w, %b : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// rms_norm: Σx² over the last dim, then x / √(Σx²/H + eps) · gamma; the
// leading dims stay (no reshape).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[LEAD:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[LAST:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @rms_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[G:.*]]: tensor<4xf32>)
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[LEAD]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]] : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[LEAD]], #[[LAST]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]], %[[SQ]], %[[G]] :
// CHECK: arith.constant 9.99999997E-7 : f32
// CHECK: math.sqrt
// CHECK: return %[[Y]]
func.func @rms_norm(%x: tensor<2x3x4xf32>, %g: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %y = sxf.rms_norm %x, %g {epsilon = 1.0e-6 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// softmax along axis 0: a max reduction (from -inf) and a sum of e^(x − max)
// over that axis, then e^(x − max) / sum.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @softmax_axis0
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]]], iterator_types = ["reduction", "parallel"]}
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[COL]]], iterator_types = ["reduction", "parallel"]} ins(%{{.*}}, %[[MAX]] :
// CHECK: math.exp
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %[[MAX]], %[[SUM]] :
// CHECK: arith.divf
// CHECK: return %[[Y]]
func.func @softmax_axis0(%x: tensor<3x5xf32>) -> tensor<3x5xf32> {
  %y = sxf.softmax %x {axis = 0 : i64} : tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

// -----

// sxf.activation and sxf.add are elementwise generics; add's rhs of a suffix
// shape is broadcast over the leading dim.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[SUF:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @activation_add
// CHECK: %[[A:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: math.exp
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[SUF]], #[[ID]]], {{.*}} ins(%[[A]], %{{.*}} : tensor<2x3x4xf32>, tensor<3x4xf32>)
// CHECK: arith.addf
func.func @activation_add(%x: tensor<2x3x4xf32>, %r: tensor<3x4xf32>) -> tensor<2x3x4xf32> {
  %a = sxf.activation silu %x : tensor<2x3x4xf32>
  %y = sxf.add %a, %r : (tensor<2x3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// matmul with transpose_rhs: loops (batch, m, p, k), rhs read at (batch,
// p, k); then the scale.
// CHECK-DAG: #[[L:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[R:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[O:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[L]], #[[R]], #[[O]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<2x5x4xf32>) outs(%{{.*}} : tensor<2x3x5xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[P]] : tensor<2x3x5xf32>)
// CHECK: arith.constant 5.000000e-01 : f32
func.func @matmul(%q: tensor<2x3x4xf32>, %k: tensor<2x5x4xf32>) -> tensor<2x3x5xf32> {
  %s = sxf.matmul %q, %k {transpose_rhs, scale = 0.5 : f32} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
  return %s : tensor<2x3x5xf32>
}

// -----

// split: consecutive slices of the last dim.
// CHECK-LABEL: func.func @split
// CHECK: %[[A:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0] [1, 2, 2] [1, 1, 1] : tensor<1x2x6xf32> to tensor<1x2x2xf32>
// CHECK: %[[B:.*]] = tensor.extract_slice %{{.*}}[0, 0, 2] [1, 2, 4] [1, 1, 1] : tensor<1x2x6xf32> to tensor<1x2x4xf32>
// CHECK: return %[[A]], %[[B]]
func.func @split(%x: tensor<1x2x6xf32>) -> (tensor<1x2x2xf32>, tensor<1x2x4xf32>) {
  %a, %b = sxf.split %x : tensor<1x2x6xf32> -> tensor<1x2x2xf32>, tensor<1x2x4xf32>
  return %a, %b : tensor<1x2x2xf32>, tensor<1x2x4xf32>
}

// -----

// embedding: a generic over the result reads each id, gathers the table row
// with tensor.extract and adds the first `seq` rows of the positions.
// CHECK-DAG: #[[IDS:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[POS:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @embedding
// CHECK-SAME: (%[[IDS_ARG:.*]]: tensor<1x3xi64>)
// CHECK: %[[T:.*]] = arith.constant dense<{{.*}}> : tensor<4x2xf32>
// CHECK: %[[P:.*]] = arith.constant dense<5.000000e-01> : tensor<5x2xf32>
// CHECK: %[[S:.*]] = tensor.extract_slice %[[P]][0, 0] [3, 2] [1, 1] : tensor<5x2xf32> to tensor<3x2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IDS]], #[[POS]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDS_ARG]], %[[S]] : tensor<1x3xi64>, tensor<3x2xf32>)
// CHECK: %[[I:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[H:.*]] = linalg.index 2 : index
// CHECK: tensor.extract %[[T]][%[[I]], %[[H]]] : tensor<4x2xf32>
// CHECK: arith.addf
func.func @embedding(%ids: tensor<1x3xi64>) -> tensor<1x3x2xf32> {
  %t = sxf.weight "t" {value = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>} : tensor<4x2xf32>
  %p = sxf.weight "p" {value = dense<0.5> : tensor<5x2xf32>} : tensor<5x2xf32>
  %y = sxf.embedding %ids, %t, %p : (tensor<1x3xi64>, tensor<4x2xf32>, tensor<5x2xf32>) -> tensor<1x3x2xf32>
  return %y : tensor<1x3x2xf32>
}

// -----

// attention over [B, S, H, D] views: scores [B, H, S, T] (reduce d), the
// max over visible keys (causal: j − i ≤ T − S), e = visible ? e^(s/√D −
// max) : 0, its sum, Σ_j e·v (reduce j), then e·v / sum where the sum is
// positive and the head kept (keep_heads as an i1 constant), else 0.
// CHECK-DAG: #[[Q:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, d4)>
// CHECK-DAG: #[[K:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d1, d4)>
// CHECK-DAG: #[[V:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d2, d3)>
// CHECK-LABEL: func.func @attention
// CHECK: %[[QH:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] output_shape [1, 3, 2, 2]
// CHECK: %[[KH:.*]] = tensor.expand_shape
// CHECK: %[[VH:.*]] = tensor.expand_shape
// CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [#[[Q]], #[[K]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[QH]], %[[KH]] : {{.*}}) outs(%{{.*}} : tensor<1x2x3x3xf32>)
// CHECK: %[[M:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[S]] : tensor<1x2x3x3xf32>) outs(%{{.*}} : tensor<1x2x3xf32>)
// CHECK: arith.constant 0.707106769 : f32
// CHECK: arith.subi
// CHECK: arith.cmpi sle
// CHECK: arith.select
// CHECK: arith.maximumf
// CHECK: %[[E:.*]] = linalg.generic {{.*}} ins(%[[S]], %[[M]] :
// CHECK: math.exp
// CHECK: %[[L:.*]] = linalg.generic {{.*}} ins(%[[E]] : tensor<1x2x3x3xf32>) outs(%{{.*}} : tensor<1x2x3xf32>)
// CHECK: %[[O:.*]] = linalg.generic {indexing_maps = [#[[Q]], #[[V]], #{{.*}}], {{.*}} ins(%[[E]], %[[VH]] :
// CHECK: %[[KEEP:.*]] = arith.constant dense<[true, false]> : tensor<2xi1>
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[O]], %[[L]], %[[KEEP]] :
// CHECK: arith.cmpf ogt
// CHECK: arith.andi
// CHECK: tensor.collapse_shape %[[Y]] {{\[\[}}0], [1], [2, 3]] : tensor<1x3x2x2xf32> into tensor<1x3x4xf32>
func.func @attention(%q: tensor<1x3x4xf32>, %k: tensor<1x3x4xf32>, %v: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  %a = sxf.attention %q, %k, %v {heads = 2 : i64, head_dim = 2 : i64, causal, keep_heads = array<i1: true, false>} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  return %a : tensor<1x3x4xf32>
}

// -----

// A weight nothing uses goes without being read (here: metadata only).
// CHECK-LABEL: func.func @unused_metadata_weight
// CHECK-NEXT: return
func.func @unused_metadata_weight(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" : tensor<512x768xf32>
  return %x : tensor<2x4xf32>
}
