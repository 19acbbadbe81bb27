// RUN: sparse-opt %s --split-input-file --sxf-eliminate-dead | FileCheck %s

// IR tests of sxf-eliminate-dead: which FFN neurons and attention heads go,
// what the shrunk weights, linears and attention look like, and every case
// that must be left alone. The pass reads values, so weights are small and
// inline; exactness on a whole model is checked by
// test/Transforms/sxf-eliminate-dead.test.

//===----------------------------------------------------------------------===//
// Neurons: fc1 -> [activation] -> fc2
//===----------------------------------------------------------------------===//

// Neuron 1 has a zero fc1 row and a zero bias (relu(0) = 0); neuron 2 has
// a zero fc2 column. Both go: fc1 keeps rows 0 and 3 (and their biases),
// fc2 keeps columns 0 and 3; names stay, values are inline, formats go
// (sxf-select-format runs after).
// CHECK-LABEL: func.func @neurons
// CHECK-SAME: (%[[X:.*]]: tensor<1x2xf32>)
// CHECK: %[[W1:.*]] = sxf.weight "f1w" {value = dense_resource<{{.*}}>} : tensor<2x2xf32>
// CHECK: %[[B1:.*]] = sxf.weight "f1b" {value = dense_resource<{{.*}}>} : tensor<2xf32>
// CHECK: %[[W2:.*]] = sxf.weight "f2w" {value = dense_resource<{{.*}}>} : tensor<2x2xf32>
// CHECK: %[[H:.*]] = sxf.linear %[[X]], %[[W1]], %[[B1]] : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
// CHECK: %[[A:.*]] = sxf.activation relu %[[H]] : tensor<1x2xf32>
// CHECK: %[[Y:.*]] = sxf.linear %[[A]], %[[W2]], %{{.*}} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
// CHECK: return %[[Y]]
// CHECK-DAG: f1w: "0x040000000000803F00000040000040400000803F"
// CHECK-DAG: f1b: "0x040000000000003F0000003F"
// CHECK-DAG: f2w: "0x040000000000803F0000803F0000004000000040"
func.func @neurons(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %f1w = sxf.weight "f1w" {format = #sxf.format<dense, value = f32>, value = dense<[[1.0, 2.0], [0.0, 0.0], [5.0, 5.0], [3.0, 1.0]]> : tensor<4x2xf32>} : tensor<4x2xf32>
  %f1b = sxf.weight "f1b" {value = dense<[0.5, 0.0, 1.0, 0.5]> : tensor<4xf32>} : tensor<4xf32>
  %f2w = sxf.weight "f2w" {value = dense<[[1.0, 7.0, 0.0, 1.0], [2.0, 7.0, 0.0, 2.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %f2b = sxf.weight "f2b" {value = dense<[1.0, 1.0]> : tensor<2xf32>} : tensor<2xf32>
  %h = sxf.linear %x, %f1w, %f1b : (tensor<1x2xf32>, tensor<4x2xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  %a = sxf.activation relu %h : tensor<1x4xf32>
  %y = sxf.linear %a, %f2w, %f2b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// The activation fused into fc1 (and fc2's epilogue) are kept; without a
// bias only the zero row decides.
// CHECK-LABEL: func.func @fused_activation
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x2xf32>)
// CHECK: %[[W1:.*]] = sxf.weight "f1w" {value = dense_resource<{{.*}}>} : tensor<1x2xf32>
// CHECK: %[[W2:.*]] = sxf.weight "f2w" {value = dense_resource<{{.*}}>} : tensor<2x1xf32>
// CHECK: %[[H:.*]] = sxf.linear %[[X]], %[[W1]] activation gelu_tanh : (tensor<2x3x2xf32>, tensor<1x2xf32>) -> tensor<2x3x1xf32>
// CHECK: %[[Y:.*]] = sxf.linear %[[H]], %[[W2]] residual(%[[X]]) : (tensor<2x3x1xf32>, tensor<2x1xf32>, tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
// CHECK: return %[[Y]]
func.func @fused_activation(%x: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
  %f1w = sxf.weight "f1w" {value = dense<[[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]]> : tensor<3x2xf32>} : tensor<3x2xf32>
  %f2w = sxf.weight "f2w" {value = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>} : tensor<2x3xf32>
  %h = sxf.linear %x, %f1w activation gelu_tanh : (tensor<2x3x2xf32>, tensor<3x2xf32>) -> tensor<2x3x3xf32>
  %y = sxf.linear %h, %f2w residual(%x) : (tensor<2x3x3xf32>, tensor<2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// A zero fc1 row with a nonzero bias is not dead (relu(bias) reaches fc2):
// nothing changes.
// CHECK-LABEL: func.func @row_zero_bias_nonzero
// CHECK: sxf.weight "f1w" {value = dense<{{.*}}> : tensor<2x2xf32>} : tensor<2x2xf32>
// CHECK: sxf.weight "f2w" {value = dense<{{.*}}> : tensor<2x2xf32>} : tensor<2x2xf32>
// CHECK-NOT: dense_resource
func.func @row_zero_bias_nonzero(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %f1w = sxf.weight "f1w" {value = dense<[[1.0, 2.0], [0.0, 0.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %f1b = sxf.weight "f1b" {value = dense<[0.0, 1.0]> : tensor<2xf32>} : tensor<2xf32>
  %f2w = sxf.weight "f2w" {value = dense<[[1.0, 1.0], [2.0, 2.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %h = sxf.linear %x, %f1w, %f1b activation relu : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %y = sxf.linear %h, %f2w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Every neuron dead: one (zero) neuron stays so that no tensor is empty.
// CHECK-LABEL: func.func @all_dead
// CHECK: sxf.weight "f1w" {value = dense_resource<{{.*}}>} : tensor<1x2xf32>
// CHECK: sxf.weight "f2w" {value = dense_resource<{{.*}}>} : tensor<2x1xf32>
// CHECK: sxf.linear {{.*}} -> tensor<1x1xf32>
func.func @all_dead(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %f1w = sxf.weight "f1w" {value = dense<[[0.0, 0.0], [1.0, 1.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %f2w = sxf.weight "f2w" {value = dense<[[1.0, 0.0], [2.0, 0.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %h = sxf.linear %x, %f1w activation relu : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %y = sxf.linear %h, %f2w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// No dead neuron: nothing changes.
// CHECK-LABEL: func.func @none_dead
// CHECK-NOT: dense_resource
func.func @none_dead(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %f1w = sxf.weight "f1w" {value = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %f2w = sxf.weight "f2w" {value = dense<[[1.0, 0.0], [0.0, 2.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %h = sxf.linear %x, %f1w activation relu : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %y = sxf.linear %h, %f2w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// fc2's weight is shared with another linear: left alone.
// CHECK-LABEL: func.func @shared_weight
// CHECK-NOT: dense_resource
// CHECK: sxf.linear {{.*}} -> tensor<1x2xf32>
func.func @shared_weight(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %f1w = sxf.weight "f1w" {value = dense<[[0.0, 0.0], [1.0, 1.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %f2w = sxf.weight "f2w" {value = dense<1.0> : tensor<2x2xf32>} : tensor<2x2xf32>
  %h = sxf.linear %x, %f1w activation relu : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %y = sxf.linear %h, %f2w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %z = sxf.linear %x, %f2w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y, %z : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// The hidden activations are also returned: left alone.
// CHECK-LABEL: func.func @shared_hidden
// CHECK-NOT: dense_resource
// CHECK: sxf.activation relu
func.func @shared_hidden(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %f1w = sxf.weight "f1w" {value = dense<[[0.0, 0.0], [1.0, 1.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %f2w = sxf.weight "f2w" {value = dense<1.0> : tensor<2x2xf32>} : tensor<2x2xf32>
  %h = sxf.linear %x, %f1w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %a = sxf.activation relu %h : tensor<1x2xf32>
  %y = sxf.linear %a, %f2w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y, %a : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// fc1 with a residual epilogue: its output is not just the neurons, so it
// is left alone.
// CHECK-LABEL: func.func @fc1_residual
// CHECK-NOT: dense_resource
// CHECK: sxf.linear %{{.*}}, %{{.*}} residual(
func.func @fc1_residual(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %f1w = sxf.weight "f1w" {value = dense<[[0.0, 0.0], [1.0, 1.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %f2w = sxf.weight "f2w" {value = dense<1.0> : tensor<2x2xf32>} : tensor<2x2xf32>
  %h = sxf.linear %x, %f1w residual(%x) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  %y = sxf.linear %h, %f2w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Metadata-only weights have no values to inspect: left alone.
// CHECK-LABEL: func.func @metadata_only
// CHECK: sxf.weight "f1w" {sparsity = #sxf.sparsity<unstructured, density = 0.5>} : tensor<3072x768xf32>
// CHECK: sxf.weight "f2w" : tensor<768x3072xf32>
func.func @metadata_only(%x: tensor<1x768xf32>) -> tensor<1x768xf32> {
  %f1w = sxf.weight "f1w" {sparsity = #sxf.sparsity<unstructured, density = 0.5>} : tensor<3072x768xf32>
  %f2w = sxf.weight "f2w" : tensor<768x3072xf32>
  %h = sxf.linear %x, %f1w activation gelu : (tensor<1x768xf32>, tensor<3072x768xf32>) -> tensor<1x3072xf32>
  %y = sxf.linear %h, %f2w : (tensor<1x3072xf32>, tensor<768x3072xf32>) -> tensor<1x768xf32>
  return %y : tensor<1x768xf32>
}

//===----------------------------------------------------------------------===//
// Heads: q, k, v -> attention{keep_heads} -> o
//===----------------------------------------------------------------------===//

// -----

// Head 1 of 3 (head_dim 2) is off: rows 2-3 of q, k, v and their biases and
// columns 2-3 of o go; the attention has 2 heads and no mask.
// CHECK-LABEL: func.func @heads
// CHECK-SAME: (%[[X:.*]]: tensor<1x5x6xf32>)
// CHECK: %[[WQ:.*]] = sxf.weight "q" {value = dense_resource<{{.*}}>} : tensor<4x6xf32>
// CHECK: %[[BQ:.*]] = sxf.weight "bq" {value = dense_resource<{{.*}}>} : tensor<4xf32>
// CHECK: %[[Q:.*]] = sxf.linear %[[X]], %[[WQ]], %[[BQ]] : (tensor<1x5x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<1x5x4xf32>
// CHECK: sxf.weight "k" {value = dense_resource<{{.*}}>} : tensor<4x6xf32>
// CHECK: %[[K:.*]] = sxf.linear %[[X]], {{.*}} -> tensor<1x5x4xf32>
// CHECK: sxf.weight "v" {value = dense_resource<{{.*}}>} : tensor<4x6xf32>
// CHECK: %[[V:.*]] = sxf.linear %[[X]], {{.*}} -> tensor<1x5x4xf32>
// CHECK: %[[A:.*]] = sxf.attention %[[Q]], %[[K]], %[[V]] {causal, head_dim = 2 : i64, heads = 2 : i64} : (tensor<1x5x4xf32>, tensor<1x5x4xf32>, tensor<1x5x4xf32>) -> tensor<1x5x4xf32>
// CHECK: %[[WO:.*]] = sxf.weight "o" {value = dense_resource<{{.*}}>} : tensor<6x4xf32>
// CHECK: %[[Y:.*]] = sxf.linear %[[A]], %[[WO]], %{{.*}} residual(%[[X]]) : (tensor<1x5x4xf32>, tensor<6x4xf32>, tensor<6xf32>, tensor<1x5x6xf32>) -> tensor<1x5x6xf32>
// CHECK-NOT: keep_heads
// CHECK: return %[[Y]]
func.func @heads(%x: tensor<1x5x6xf32>) -> tensor<1x5x6xf32> {
  %wq = sxf.weight "q" {value = dense<1.0> : tensor<6x6xf32>} : tensor<6x6xf32>
  %bq = sxf.weight "bq" {value = dense<1.0> : tensor<6xf32>} : tensor<6xf32>
  %wk = sxf.weight "k" {value = dense<1.0> : tensor<6x6xf32>} : tensor<6x6xf32>
  %bk = sxf.weight "bk" {value = dense<1.0> : tensor<6xf32>} : tensor<6xf32>
  %wv = sxf.weight "v" {value = dense<1.0> : tensor<6x6xf32>} : tensor<6x6xf32>
  %bv = sxf.weight "bv" {value = dense<1.0> : tensor<6xf32>} : tensor<6xf32>
  %wo = sxf.weight "o" {value = dense<1.0> : tensor<6x6xf32>} : tensor<6x6xf32>
  %bo = sxf.weight "bo" {value = dense<1.0> : tensor<6xf32>} : tensor<6xf32>
  %q = sxf.linear %x, %wq, %bq : (tensor<1x5x6xf32>, tensor<6x6xf32>, tensor<6xf32>) -> tensor<1x5x6xf32>
  %k = sxf.linear %x, %wk, %bk : (tensor<1x5x6xf32>, tensor<6x6xf32>, tensor<6xf32>) -> tensor<1x5x6xf32>
  %v = sxf.linear %x, %wv, %bv : (tensor<1x5x6xf32>, tensor<6x6xf32>, tensor<6xf32>) -> tensor<1x5x6xf32>
  %a = sxf.attention %q, %k, %v {heads = 3 : i64, head_dim = 2 : i64, causal, keep_heads = array<i1: true, false, true>} : (tensor<1x5x6xf32>, tensor<1x5x6xf32>, tensor<1x5x6xf32>) -> tensor<1x5x6xf32>
  %y = sxf.linear %a, %wo, %bo residual(%x) : (tensor<1x5x6xf32>, tensor<6x6xf32>, tensor<6xf32>, tensor<1x5x6xf32>) -> tensor<1x5x6xf32>
  return %y : tensor<1x5x6xf32>
}

// -----

// Every head kept: nothing changes (the mask stays).
// CHECK-LABEL: func.func @heads_all_kept
// CHECK-NOT: dense_resource
// CHECK: sxf.attention {{.*}}keep_heads = array<i1: true, true>
func.func @heads_all_kept(%x: tensor<1x5x4xf32>) -> tensor<1x5x4xf32> {
  %w = sxf.weight "q" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wk = sxf.weight "k" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wv = sxf.weight "v" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wo = sxf.weight "o" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %q = sxf.linear %x, %w : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  %k = sxf.linear %x, %wk : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  %v = sxf.linear %x, %wv : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  %a = sxf.attention %q, %k, %v {heads = 2 : i64, head_dim = 2 : i64, keep_heads = array<i1: true, true>} : (tensor<1x5x4xf32>, tensor<1x5x4xf32>, tensor<1x5x4xf32>) -> tensor<1x5x4xf32>
  %y = sxf.linear %a, %wo : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  return %y : tensor<1x5x4xf32>
}

// -----

// Every head off: removing them all would leave empty tensors; left alone.
// CHECK-LABEL: func.func @heads_all_off
// CHECK-NOT: dense_resource
// CHECK: sxf.attention {{.*}}keep_heads = array<i1: false, false>
func.func @heads_all_off(%x: tensor<1x5x4xf32>) -> tensor<1x5x4xf32> {
  %w = sxf.weight "q" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wk = sxf.weight "k" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wv = sxf.weight "v" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wo = sxf.weight "o" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %q = sxf.linear %x, %w : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  %k = sxf.linear %x, %wk : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  %v = sxf.linear %x, %wv : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  %a = sxf.attention %q, %k, %v {heads = 2 : i64, head_dim = 2 : i64, keep_heads = array<i1: false, false>} : (tensor<1x5x4xf32>, tensor<1x5x4xf32>, tensor<1x5x4xf32>) -> tensor<1x5x4xf32>
  %y = sxf.linear %a, %wo : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  return %y : tensor<1x5x4xf32>
}

// -----

// Only q has a bias: the projections would not shrink alike; left alone.
// CHECK-LABEL: func.func @heads_some_biases
// CHECK-NOT: dense_resource
// CHECK: keep_heads = array<i1: true, false>
func.func @heads_some_biases(%x: tensor<1x5x4xf32>) -> tensor<1x5x4xf32> {
  %w = sxf.weight "q" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %b = sxf.weight "bq" {value = dense<1.0> : tensor<4xf32>} : tensor<4xf32>
  %wk = sxf.weight "k" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wv = sxf.weight "v" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wo = sxf.weight "o" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %q = sxf.linear %x, %w, %b : (tensor<1x5x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<1x5x4xf32>
  %k = sxf.linear %x, %wk : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  %v = sxf.linear %x, %wv : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  %a = sxf.attention %q, %k, %v {heads = 2 : i64, head_dim = 2 : i64, keep_heads = array<i1: true, false>} : (tensor<1x5x4xf32>, tensor<1x5x4xf32>, tensor<1x5x4xf32>) -> tensor<1x5x4xf32>
  %y = sxf.linear %a, %wo : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  return %y : tensor<1x5x4xf32>
}

// -----

// Queries and keys from the same linear (self-similarity): q, k and v must
// each come from their own linear; left alone.
// CHECK-LABEL: func.func @heads_shared_projection
// CHECK-NOT: dense_resource
// CHECK: keep_heads = array<i1: true, false>
func.func @heads_shared_projection(%x: tensor<1x5x4xf32>) -> tensor<1x5x4xf32> {
  %w = sxf.weight "q" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wv = sxf.weight "v" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wo = sxf.weight "o" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %q = sxf.linear %x, %w : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  %v = sxf.linear %x, %wv : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  %a = sxf.attention %q, %q, %v {heads = 2 : i64, head_dim = 2 : i64, keep_heads = array<i1: true, false>} : (tensor<1x5x4xf32>, tensor<1x5x4xf32>, tensor<1x5x4xf32>) -> tensor<1x5x4xf32>
  %y = sxf.linear %a, %wo : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  return %y : tensor<1x5x4xf32>
}
