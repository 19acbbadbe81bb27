// RUN: sparse-opt %s --split-input-file --sxf-prune="method=magnitude sparsity=0.5" | FileCheck %s --check-prefix=MAG
// RUN: sparse-opt %s --split-input-file --sxf-prune="method=nm n=2 m=4" | FileCheck %s --check-prefix=NM
// RUN: sparse-opt %s --split-input-file --sxf-prune="method=block block=2x4 sparsity=0.5" | FileCheck %s --check-prefix=BLOCK
// RUN: sparse-opt %s --split-input-file --sxf-prune="method=magnitude sparsity=0.5 scope=global" | FileCheck %s --check-prefix=GLOBAL
// RUN: sparse-opt %s --split-input-file --sxf-prune="method=magnitude sparsity=0.5 weights=^(w1|head)$" | FileCheck %s --check-prefix=NAMED
// RUN: sparse-opt %s --split-input-file --sxf-prune="method=magnitude sparsity=0.5 exclude=^w2$" | FileCheck %s --check-prefix=EXCL

// IR tests of sxf-prune with the data-free methods: which weights are
// pruned, the #sxf.sparsity each gets, where the values go (inline
// dense_resource), and what metadata-only weights record. The values
// themselves are checked by sxf-prune-values.mlir; calibrated methods by
// sxf-prune-calibrated.test; neuron and head granularity by
// sxf-prune-structured.mlir; errors by sxf-prune-errors.mlir and
// sxf-prune-invalid.mlir.

// An embedding table and the linear that produces the function's result
// (the output head) are not pruned unless named; a linear in between is.
// MAG-LABEL: func.func @selection
// MAG: sxf.weight "emb" {value = dense<{{.*}}> : tensor<8x8xf32>} : tensor<8x8xf32>
// MAG: sxf.weight "w1" {sparsity = #sxf.sparsity<unstructured, density = 0.5>, value = dense_resource<w1> : tensor<{{.*}}>} : tensor<8x8xf32>
// MAG: sxf.weight "head" {value = dense<{{.*}}> : tensor<4x8xf32>} : tensor<4x8xf32>
// NM-LABEL: func.func @selection
// NM: sxf.weight "emb" {value = dense<
// NM: sxf.weight "w1" {sparsity = #sxf.sparsity<nm[2, 4]>, value = dense_resource<w1> : tensor<{{.*}}>}
// NM: sxf.weight "head" {value = dense<
// BLOCK-LABEL: func.func @selection
// BLOCK: sxf.weight "w1" {sparsity = #sxf.sparsity<block[2, 4], density = 0.5>, value = dense_resource<w1> : tensor<{{.*}}>}
// NAMED-LABEL: func.func @selection
// NAMED: sxf.weight "emb" {value = dense<
// NAMED: sxf.weight "w1" {sparsity = #sxf.sparsity<unstructured, density = 0.5>, value = dense_resource<w1> : tensor<{{.*}}>}
// NAMED: sxf.weight "head" {sparsity = #sxf.sparsity<unstructured, density = 0.5>, value = dense_resource<head> : tensor<{{.*}}>}
// EXCL-LABEL: func.func @selection
// EXCL: sxf.weight "w1" {sparsity = #sxf.sparsity<unstructured, density = 0.5>, value = dense_resource<w1> : tensor<{{.*}}>}
// EXCL: sxf.weight "w2" {value = dense<
func.func @selection(%ids: tensor<1x3xi32>) -> tensor<1x3x4xf32> {
  %emb = sxf.weight "emb" {value = dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0]]> : tensor<8x8xf32>} : tensor<8x8xf32>
  %w1 = sxf.weight "w1" {value = dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0]]> : tensor<8x8xf32>} : tensor<8x8xf32>
  %w2 = sxf.weight "w2" {value = dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0]]> : tensor<8x8xf32>} : tensor<8x8xf32>
  %head = sxf.weight "head" {value = dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0]]> : tensor<4x8xf32>} : tensor<4x8xf32>
  %x = sxf.embedding %ids, %emb : (tensor<1x3xi32>, tensor<8x8xf32>) -> tensor<1x3x8xf32>
  %h = sxf.linear %x, %w1 activation relu : (tensor<1x3x8xf32>, tensor<8x8xf32>) -> tensor<1x3x8xf32>
  %g = sxf.linear %h, %w2 : (tensor<1x3x8xf32>, tensor<8x8xf32>) -> tensor<1x3x8xf32>
  %y = sxf.linear %g, %head : (tensor<1x3x8xf32>, tensor<4x8xf32>) -> tensor<1x3x4xf32>
  return %y : tensor<1x3x4xf32>
}

// -----

// Metadata-only weights (here 768x512 and a 512x768 head) are planned
// without values: the data-free methods record the statistics they would
// produce and write no values.
// MAG-LABEL: func.func @metadata_only
// MAG: sxf.weight "w1" {sparsity = #sxf.sparsity<unstructured, density = 0.5>} : tensor<768x512xf32>
// MAG: sxf.weight "head" : tensor<512x768xf32>
// MAG-NOT: dense_resource
// NM-LABEL: func.func @metadata_only
// NM: sxf.weight "w1" {sparsity = #sxf.sparsity<nm[2, 4]>} : tensor<768x512xf32>
// BLOCK-LABEL: func.func @metadata_only
// BLOCK: sxf.weight "w1" {sparsity = #sxf.sparsity<block[2, 4], density = 0.5>} : tensor<768x512xf32>
// NAMED-LABEL: func.func @metadata_only
// NAMED: sxf.weight "w1" {sparsity = #sxf.sparsity<unstructured, density = 0.5>} : tensor<768x512xf32>
// NAMED: sxf.weight "head" {sparsity = #sxf.sparsity<unstructured, density = 0.5>} : tensor<512x768xf32>
// GLOBAL-LABEL: func.func @metadata_only
// GLOBAL: sxf.weight "w1" {sparsity = #sxf.sparsity<unstructured, density = 0.5>} : tensor<768x512xf32>
func.func @metadata_only(%x: tensor<1x16x512xf32>) -> tensor<1x16x512xf32> {
  %w1 = sxf.weight "w1" : tensor<768x512xf32>
  %head = sxf.weight "head" : tensor<512x768xf32>
  %h = sxf.linear %x, %w1 activation gelu : (tensor<1x16x512xf32>, tensor<768x512xf32>) -> tensor<1x16x768xf32>
  %y = sxf.linear %h, %head : (tensor<1x16x768xf32>, tensor<512x768xf32>) -> tensor<1x16x512xf32>
  return %y : tensor<1x16x512xf32>
}

// -----

// An LM head tied to the embedding table reads the table as its weight:
// the table is still not pruned. A previous #sxf.sparsity is replaced.
// MAG-LABEL: func.func @tied_head
// MAG: sxf.weight "emb" : tensor<16x8xf32>
// MAG: sxf.weight "w1" {sparsity = #sxf.sparsity<unstructured, density = 0.5>} : tensor<8x8xf32>
// NM-LABEL: func.func @tied_head
// NM: sxf.weight "emb" : tensor<16x8xf32>
// NM: sxf.weight "w1" {sparsity = #sxf.sparsity<nm[2, 4]>} : tensor<8x8xf32>
func.func @tied_head(%ids: tensor<1x3xi32>) -> tensor<1x3x16xf32> {
  %emb = sxf.weight "emb" : tensor<16x8xf32>
  %w1 = sxf.weight "w1" {sparsity = #sxf.sparsity<unstructured, density = 0.9>} : tensor<8x8xf32>
  %x = sxf.embedding %ids, %emb : (tensor<1x3xi32>, tensor<16x8xf32>) -> tensor<1x3x8xf32>
  %h = sxf.linear %x, %w1 : (tensor<1x3x8xf32>, tensor<8x8xf32>) -> tensor<1x3x8xf32>
  %y = sxf.linear %h, %emb : (tensor<1x3x8xf32>, tensor<16x8xf32>) -> tensor<1x3x16xf32>
  return %y : tensor<1x3x16xf32>
}

// -----

// One threshold over all selected weights (GLOBAL) instead of one per weight:
// w1's entries are all smaller than w2's, so w1 loses everything and w2
// keeps everything (recorded as dense).
// MAG-LABEL: func.func @scope
// MAG: sxf.weight "w1" {sparsity = #sxf.sparsity<unstructured, density = 0.5>
// MAG: sxf.weight "w2" {sparsity = #sxf.sparsity<unstructured, density = 0.5>
// GLOBAL-LABEL: func.func @scope
// GLOBAL: sxf.weight "w1" {sparsity = #sxf.sparsity<unstructured, density = 0.0>, value = dense_resource<w1> : tensor<{{.*}}>}
// GLOBAL: sxf.weight "w2" {sparsity = #sxf.sparsity<dense>, value = dense_resource<w2> : tensor<{{.*}}>}
func.func @scope(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w1 = sxf.weight "w1" {value = dense<[[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]]> : tensor<4x4xf32>} : tensor<4x4xf32>
  %w2 = sxf.weight "w2" {value = dense<[[1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0], [1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0]]> : tensor<4x4xf32>} : tensor<4x4xf32>
  %head = sxf.weight "head" : tensor<4x4xf32>
  %h = sxf.linear %x, %w1 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %g = sxf.linear %h, %w2 : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %y = sxf.linear %g, %head : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
