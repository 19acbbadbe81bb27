// RUN: sparse-opt %s | sparse-opt | FileCheck %s
// RUN: sparse-opt %s --mlir-print-op-generic | sparse-opt | FileCheck %s

// Tests that every gradient and loss op round-trips, at the shapes of one
// GPT-2-small layer (2 sequences of 7 tokens, hidden 768 = 12 heads of 64,
// FFN 3072, a vocabulary of 1000, 1024 positions) with sparse weights.

// CHECK-LABEL: func.func @linear_grads
func.func @linear_grads(%x: tensor<2x7x768xf32>, %dy: tensor<2x7x3072xf32>)
    -> (tensor<2x7x768xf32>, tensor<3072x768xf32>, tensor<3072x768xf32>, tensor<3072xf32>) {
  %w = sxf.weight "layers.0.mlp.fc1.weight" {sparsity = #sxf.sparsity<unstructured, density = 0.1>, format = #sxf.format<csr, index = 16>} : tensor<3072x768xf32>
  %wb = sxf.weight "layers.0.mlp.fc1.blocked" {sparsity = #sxf.sparsity<block[16, 16], density = 0.25>, format = #sxf.format<bsr[16, 16]>} : tensor<3072x768xf32>
  // CHECK: %[[DX:.*]] = sxf.linear_grad_input %{{.*}}, %{{.*}} : (tensor<2x7x3072xf32>, tensor<3072x768xf32>) -> tensor<2x7x768xf32>
  %dx = sxf.linear_grad_input %dy, %w : (tensor<2x7x3072xf32>, tensor<3072x768xf32>) -> tensor<2x7x768xf32>
  // CHECK: sxf.linear_grad_weight %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x7x3072xf32>, tensor<2x7x768xf32>, tensor<3072x768xf32>) -> tensor<3072x768xf32>
  %dw = sxf.linear_grad_weight %dy, %x, %w : (tensor<2x7x3072xf32>, tensor<2x7x768xf32>, tensor<3072x768xf32>) -> tensor<3072x768xf32>
  // CHECK: sxf.linear_grad_weight %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x7x3072xf32>, tensor<2x7x768xf32>, tensor<3072x768xf32>) -> tensor<3072x768xf32>
  %dwb = sxf.linear_grad_weight %dy, %x, %wb : (tensor<2x7x3072xf32>, tensor<2x7x768xf32>, tensor<3072x768xf32>) -> tensor<3072x768xf32>
  // CHECK: sxf.reduce_sum %{{.*}} : tensor<2x7x3072xf32> -> tensor<3072xf32>
  %db = sxf.reduce_sum %dy : tensor<2x7x3072xf32> -> tensor<3072xf32>
  return %dx, %dw, %dwb, %db : tensor<2x7x768xf32>, tensor<3072x768xf32>, tensor<3072x768xf32>, tensor<3072xf32>
}

// A dense weight (no format) and a weight that is an argument: every
// position is stored; a 2-D dy; sums down to a suffix and to a scalar.
// CHECK-LABEL: func.func @dense_and_reductions
func.func @dense_and_reductions(%x: tensor<14x768xf32>, %dy: tensor<14x768xf32>, %w: tensor<768x768xf32>)
    -> (tensor<768x768xf32>, tensor<7x768xf32>, tensor<f32>, tensor<14x768xf32>) {
  // CHECK: sxf.linear_grad_weight %{{.*}}, %{{.*}}, %{{.*}} : (tensor<14x768xf32>, tensor<14x768xf32>, tensor<768x768xf32>) -> tensor<768x768xf32>
  %dw = sxf.linear_grad_weight %dy, %x, %w : (tensor<14x768xf32>, tensor<14x768xf32>, tensor<768x768xf32>) -> tensor<768x768xf32>
  %d3 = tensor.expand_shape %dy [[0, 1], [2]] output_shape [2, 7, 768] : tensor<14x768xf32> into tensor<2x7x768xf32>
  // CHECK: sxf.reduce_sum %{{.*}} : tensor<2x7x768xf32> -> tensor<7x768xf32>
  %s = sxf.reduce_sum %d3 : tensor<2x7x768xf32> -> tensor<7x768xf32>
  // CHECK: sxf.reduce_sum %{{.*}} : tensor<2x7x768xf32> -> tensor<f32>
  %t = sxf.reduce_sum %d3 : tensor<2x7x768xf32> -> tensor<f32>
  // CHECK: sxf.reduce_sum %{{.*}} : tensor<14x768xf32> -> tensor<14x768xf32>
  %c = sxf.reduce_sum %dy : tensor<14x768xf32> -> tensor<14x768xf32>
  return %dw, %s, %t, %c : tensor<768x768xf32>, tensor<7x768xf32>, tensor<f32>, tensor<14x768xf32>
}

// CHECK-LABEL: func.func @elementwise_and_norms
func.func @elementwise_and_norms(%x: tensor<2x7x768xf32>, %h: tensor<2x7x3072xf32>, %dh: tensor<2x7x3072xf32>,
                                 %dy: tensor<2x7x768xf32>, %p: tensor<2x12x7x7xf32>, %dp: tensor<2x12x7x7xf32>) {
  %g = sxf.weight "layers.0.ln_1.weight" : tensor<768xf32>
  // CHECK: sxf.activation_grad gelu_tanh %{{.*}}, %{{.*}} : tensor<2x7x3072xf32>
  %da = sxf.activation_grad gelu_tanh %h, %dh : tensor<2x7x3072xf32>
  // CHECK: sxf.activation_grad relu %{{.*}}, %{{.*}} : tensor<2x7x3072xf32>
  %dr = sxf.activation_grad relu %h, %dh : tensor<2x7x3072xf32>
  // CHECK: sxf.softmax_grad %{{.*}}, %{{.*}} : tensor<2x12x7x7xf32>
  %ds = sxf.softmax_grad %p, %dp : tensor<2x12x7x7xf32>
  // CHECK: sxf.softmax_grad %{{.*}}, %{{.*}} {axis = 2 : i64} : tensor<2x12x7x7xf32>
  %ds2 = sxf.softmax_grad %p, %dp {axis = 2} : tensor<2x12x7x7xf32>
  // CHECK: sxf.layer_norm_grad %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.99999997E-7 : f32} : (tensor<2x7x768xf32>, tensor<768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<768xf32>, tensor<768xf32>)
  %dx, %dg, %db = sxf.layer_norm_grad %x, %g, %dy {epsilon = 1.0e-06 : f32} : (tensor<2x7x768xf32>, tensor<768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<768xf32>, tensor<768xf32>)
  // CHECK: sxf.rms_norm_grad %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x7x768xf32>, tensor<768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<768xf32>)
  %rx, %rg = sxf.rms_norm_grad %x, %g, %dy : (tensor<2x7x768xf32>, tensor<768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<768xf32>)
  return
}

// CHECK-LABEL: func.func @attention_and_concat
func.func @attention_and_concat(%q: tensor<2x7x768xf32>, %k: tensor<2x7x768xf32>, %v: tensor<2x7x768xf32>, %dy: tensor<2x7x768xf32>)
    -> tensor<2x7x2304xf32> {
  // CHECK: %[[DQ:.*]], %[[DK:.*]], %[[DV:.*]] = sxf.attention_grad %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {causal, head_dim = 64 : i64, heads = 12 : i64} : (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>)
  %dq, %dk, %dv = sxf.attention_grad %q, %k, %v, %dy {heads = 12 : i64, head_dim = 64 : i64, causal} : (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>)
  // CHECK: sxf.attention_grad {{.*}} {head_dim = 64 : i64, heads = 12 : i64, keep_heads = array<i1: true, true, true, false, true, true, true, true, true, true, true, true>}
  %d:3 = sxf.attention_grad %q, %k, %v, %dy {heads = 12 : i64, head_dim = 64 : i64, keep_heads = array<i1: true, true, true, false, true, true, true, true, true, true, true, true>} : (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>)
  // CHECK: sxf.concat %[[DQ]], %[[DK]], %[[DV]] : (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>) -> tensor<2x7x2304xf32>
  %dqkv = sxf.concat %dq, %dk, %dv : (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>) -> tensor<2x7x2304xf32>
  // CHECK: sxf.concat %{{.*}} : (tensor<2x7x768xf32>) -> tensor<2x7x768xf32>
  %one = sxf.concat %dq : (tensor<2x7x768xf32>) -> tensor<2x7x768xf32>
  return %dqkv : tensor<2x7x2304xf32>
}

// Attention with more keys than queries (a decode step over a cache).
// CHECK-LABEL: func.func @attention_cache
func.func @attention_cache(%q: tensor<1x1x768xf32>, %k: tensor<1x9x768xf32>, %dy: tensor<1x1x768xf32>) {
  // CHECK: sxf.attention_grad {{.*}} -> (tensor<1x1x768xf32>, tensor<1x9x768xf32>, tensor<1x9x768xf32>)
  %dq, %dk, %dv = sxf.attention_grad %q, %k, %k, %dy {heads = 12 : i64, head_dim = 64 : i64, causal} : (tensor<1x1x768xf32>, tensor<1x9x768xf32>, tensor<1x9x768xf32>, tensor<1x1x768xf32>) -> (tensor<1x1x768xf32>, tensor<1x9x768xf32>, tensor<1x9x768xf32>)
  return
}

// CHECK-LABEL: func.func @embedding_and_loss
func.func @embedding_and_loss(%ids: tensor<2x7xi64>, %ids32: tensor<2x7xi32>, %dh: tensor<2x7x768xf32>, %logits: tensor<2x7x1000xf32>)
    -> (tensor<1000x768xf32>, tensor<1024x768xf32>, tensor<1024x768xf32>, tensor<f32>, tensor<2x7x1000xf32>) {
  // CHECK: sxf.embedding_grad %{{.*}}, %{{.*}} : (tensor<2x7xi64>, tensor<2x7x768xf32>) -> tensor<1000x768xf32>
  %dwte = sxf.embedding_grad %ids, %dh : (tensor<2x7xi64>, tensor<2x7x768xf32>) -> tensor<1000x768xf32>
  // CHECK: sxf.position_grad %{{.*}} : tensor<2x7x768xf32> -> tensor<1024x768xf32>
  %dwpe = sxf.position_grad %dh : tensor<2x7x768xf32> -> tensor<1024x768xf32>
  // CHECK: sxf.position_grad %{{.*}} {position_offset = 1017 : i64} : tensor<2x7x768xf32> -> tensor<1024x768xf32>
  %dwpe2 = sxf.position_grad %dh {position_offset = 1017 : i64} : tensor<2x7x768xf32> -> tensor<1024x768xf32>
  // CHECK: sxf.cross_entropy %{{.*}}, %{{.*}} : (tensor<2x7x1000xf32>, tensor<2x7xi64>) -> tensor<f32>
  %loss = sxf.cross_entropy %logits, %ids : (tensor<2x7x1000xf32>, tensor<2x7xi64>) -> tensor<f32>
  // CHECK: sxf.cross_entropy_grad %{{.*}}, %{{.*}} : (tensor<2x7x1000xf32>, tensor<2x7xi32>) -> tensor<2x7x1000xf32>
  %dlogits = sxf.cross_entropy_grad %logits, %ids32 : (tensor<2x7x1000xf32>, tensor<2x7xi32>) -> tensor<2x7x1000xf32>
  return %dwte, %dwpe, %dwpe2, %loss, %dlogits : tensor<1000x768xf32>, tensor<1024x768xf32>, tensor<1024x768xf32>, tensor<f32>, tensor<2x7x1000xf32>
}

// Dynamic extents are accepted (checked at run time).
// CHECK-LABEL: func.func @dynamic
func.func @dynamic(%dy: tensor<?x3072xf32>, %x: tensor<?x768xf32>, %logits: tensor<?x1000xf32>, %t: tensor<?xi64>) {
  %w = sxf.weight "w" : tensor<3072x768xf32>
  // CHECK: sxf.linear_grad_input %{{.*}}, %{{.*}} : (tensor<?x3072xf32>, tensor<3072x768xf32>) -> tensor<?x768xf32>
  %dx = sxf.linear_grad_input %dy, %w : (tensor<?x3072xf32>, tensor<3072x768xf32>) -> tensor<?x768xf32>
  // CHECK: sxf.linear_grad_weight
  %dw = sxf.linear_grad_weight %dy, %x, %w : (tensor<?x3072xf32>, tensor<?x768xf32>, tensor<3072x768xf32>) -> tensor<3072x768xf32>
  // CHECK: sxf.concat %{{.*}}, %{{.*}} : (tensor<?x768xf32>, tensor<?x768xf32>) -> tensor<?x1536xf32>
  %c = sxf.concat %x, %x : (tensor<?x768xf32>, tensor<?x768xf32>) -> tensor<?x1536xf32>
  // CHECK: sxf.cross_entropy %{{.*}}, %{{.*}} : (tensor<?x1000xf32>, tensor<?xi64>) -> tensor<f32>
  %l = sxf.cross_entropy %logits, %t : (tensor<?x1000xf32>, tensor<?xi64>) -> tensor<f32>
  return
}
