// RUN: sparse-opt %s --split-input-file --sxf-fuse | FileCheck %s
// RUN: sparse-opt %s --split-input-file --sxf-fuse="target=%S/Inputs/no-fuse-ln.json" | FileCheck %s --check-prefix=NOLN
// RUN: sparse-opt %s --split-input-file --sxf-fuse="epilogue=false" | FileCheck %s --check-prefix=NOEPI
// RUN: sparse-opt %s --split-input-file --sxf-fuse="horizontal=false" | FileCheck %s --check-prefix=NOHOR

// IR tests of sxf-fuse, one pattern (or one reason not to fire) per function:
// epilogues (activation, bias add, residual add, layer norm), attention
// (matmul -> softmax -> matmul) and horizontal fusion of sibling linears.
// Numbers are checked in test/Transforms/sxf-fuse.test; here only the IR.
// Weights are metadata only where the pattern does not read values.

//===----------------------------------------------------------------------===//
// Epilogues
//===----------------------------------------------------------------------===//

// An activation folds into the linear that produces its input.
// CHECK-LABEL: func.func @activation
// CHECK-SAME: (%[[X:.*]]: tensor<2x768xf32>)
// CHECK: %[[W:.*]] = sxf.weight "w" : tensor<512x768xf32>
// CHECK: %[[Y:.*]] = sxf.linear %[[X]], %[[W]] activation gelu : (tensor<2x768xf32>, tensor<512x768xf32>) -> tensor<2x512xf32>
// CHECK-NOT: sxf.activation
// CHECK: return %[[Y]]
// NOEPI-LABEL: func.func @activation
// NOEPI: sxf.activation gelu
func.func @activation(%x: tensor<2x768xf32>) -> tensor<2x512xf32> {
  %w = sxf.weight "w" : tensor<512x768xf32>
  %y = sxf.linear %x, %w : (tensor<2x768xf32>, tensor<512x768xf32>) -> tensor<2x512xf32>
  %a = sxf.activation gelu %y : tensor<2x512xf32>
  return %a : tensor<2x512xf32>
}

// -----

// The linear's result is used twice: folding the activation would change the
// other use, so nothing fuses.
// CHECK-LABEL: func.func @activation_shared_result
// CHECK: %[[Y:.*]] = sxf.linear %{{.*}}, %{{.*}} : (
// CHECK: %[[A:.*]] = sxf.activation relu %[[Y]]
// CHECK: return %[[Y]], %[[A]]
func.func @activation_shared_result(%x: tensor<2x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<4x8xf32>
  %y = sxf.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %a = sxf.activation relu %y : tensor<2x4xf32>
  return %y, %a : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// A second activation does not fold into a linear that already has one.
// CHECK-LABEL: func.func @activation_twice
// CHECK: %[[Y:.*]] = sxf.linear %{{.*}}, %{{.*}} activation relu :
// CHECK: %[[A:.*]] = sxf.activation silu %[[Y]]
// CHECK: return %[[A]]
func.func @activation_twice(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" : tensor<4x8xf32>
  %y = sxf.linear %x, %w activation relu : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %a = sxf.activation silu %y : tensor<2x4xf32>
  return %a : tensor<2x4xf32>
}

// -----

// An activation of something that is not a linear stays.
// CHECK-LABEL: func.func @activation_of_add
// CHECK: sxf.add
// CHECK: sxf.activation relu
func.func @activation_of_add(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %s = sxf.add %x, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %a = sxf.activation relu %s : tensor<2x4xf32>
  return %a : tensor<2x4xf32>
}

// -----

// A vector added to a linear without a bias becomes its bias.
// CHECK-LABEL: func.func @bias_add
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x768xf32>)
// CHECK-DAG: %[[W:.*]] = sxf.weight "w" : tensor<512x768xf32>
// CHECK-DAG: %[[B:.*]] = sxf.weight "b" : tensor<512xf32>
// CHECK: %[[Y:.*]] = sxf.linear %[[X]], %[[W]], %[[B]] : (tensor<1x3x768xf32>, tensor<512x768xf32>, tensor<512xf32>) -> tensor<1x3x512xf32>
// CHECK-NOT: sxf.add
// CHECK: return %[[Y]]
func.func @bias_add(%x: tensor<1x3x768xf32>) -> tensor<1x3x512xf32> {
  %w = sxf.weight "w" : tensor<512x768xf32>
  %b = sxf.weight "b" : tensor<512xf32>
  %y = sxf.linear %x, %w : (tensor<1x3x768xf32>, tensor<512x768xf32>) -> tensor<1x3x512xf32>
  %z = sxf.add %y, %b : (tensor<1x3x512xf32>, tensor<512xf32>) -> tensor<1x3x512xf32>
  return %z : tensor<1x3x512xf32>
}

// -----

// A linear that already has a bias keeps the add (it is not the bias).
// CHECK-LABEL: func.func @bias_add_has_bias
// CHECK: %[[Y:.*]] = sxf.linear %{{.*}}, %{{.*}}, %{{.*}} :
// CHECK: %[[Z:.*]] = sxf.add %[[Y]], %{{.*}} : (tensor<2x4xf32>, tensor<4xf32>)
// CHECK: return %[[Z]]
func.func @bias_add_has_bias(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" : tensor<4x8xf32>
  %b = sxf.weight "b" : tensor<4xf32>
  %c = sxf.weight "c" : tensor<4xf32>
  %y = sxf.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %z = sxf.add %y, %c : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %z : tensor<2x4xf32>
}

// -----

// A vector computed at run time (here an argument) is not a parameter: it
// stays an add, which the tiler and the lowerings handle (they read a bias
// as a weight). Regression: it became a bias they refused.
// CHECK-LABEL: func.func @bias_add_not_weight
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[V:.*]]: tensor<4xf32>)
// CHECK: %[[Y:.*]] = sxf.linear %[[X]], %{{.*}} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
// CHECK: %[[Z:.*]] = sxf.add %[[Y]], %[[V]]
// CHECK: return %[[Z]]
func.func @bias_add_not_weight(%x: tensor<2x8xf32>, %v: tensor<4xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" : tensor<4x8xf32>
  %y = sxf.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %z = sxf.add %y, %v : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %z : tensor<2x4xf32>
}

// -----

// act(x·Wᵀ) + b is not act(x·Wᵀ + b): the add after an activation stays.
// CHECK-LABEL: func.func @bias_add_after_activation
// CHECK: %[[Y:.*]] = sxf.linear %{{.*}}, %{{.*}} activation relu :
// CHECK: %[[Z:.*]] = sxf.add %[[Y]], %{{.*}} : (tensor<2x4xf32>, tensor<4xf32>)
// CHECK: return %[[Z]]
func.func @bias_add_after_activation(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" : tensor<4x8xf32>
  %b = sxf.weight "b" : tensor<4xf32>
  %y = sxf.linear %x, %w activation relu : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %z = sxf.add %y, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %z : tensor<2x4xf32>
}

// -----

// A bias defined after the linear would not dominate it: the add stays.
// CHECK-LABEL: func.func @bias_add_defined_later
// CHECK: %[[Y:.*]] = sxf.linear %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
// CHECK: %[[B:.*]] = sxf.weight "b"
// CHECK: sxf.add %[[Y]], %[[B]]
func.func @bias_add_defined_later(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" : tensor<4x8xf32>
  %y = sxf.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %b = sxf.weight "b" : tensor<4xf32>
  %z = sxf.add %y, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %z : tensor<2x4xf32>
}

// -----

// x + linear(...) and linear(...) + x both become the linear's residual,
// after its activation.
// CHECK-LABEL: func.func @residual_both_orders
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK: %[[Y:.*]] = sxf.linear %[[X]], %{{.*}} residual(%[[X]]) activation relu :
// CHECK: %[[Z:.*]] = sxf.linear %[[Y]], %{{.*}} residual(%[[Y]]) :
// CHECK-NOT: sxf.add
// CHECK: return %[[Z]]
func.func @residual_both_orders(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = sxf.weight "w" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8x8xf32>
  %y = sxf.linear %x, %w activation relu : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %r = sxf.add %x, %y : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %z = sxf.linear %r, %v : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %s = sxf.add %z, %r : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %s : tensor<2x8xf32>
}

// -----

// A linear has one residual: a second add stays outside.
// CHECK-LABEL: func.func @residual_twice
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[R:.*]]: tensor<2x8xf32>)
// CHECK: %[[Y:.*]] = sxf.linear %[[X]], %{{.*}} residual(%[[X]]) :
// CHECK: %[[S:.*]] = sxf.add %[[Y]], %[[R]]
// CHECK: return %[[S]]
func.func @residual_twice(%x: tensor<2x8xf32>, %r: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = sxf.weight "w" : tensor<8x8xf32>
  %y = sxf.linear %x, %w : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %a = sxf.add %y, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %s = sxf.add %a, %r : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %s : tensor<2x8xf32>
}

// -----

// The other operand is computed after the linear: it cannot become the
// linear's residual.
// CHECK-LABEL: func.func @residual_defined_later
// CHECK: %[[Y:.*]] = sxf.linear %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
// CHECK: %[[T:.*]] = sxf.activation relu
// CHECK: sxf.add %[[Y]], %[[T]]
func.func @residual_defined_later(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = sxf.weight "w" : tensor<8x8xf32>
  %y = sxf.linear %x, %w : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %t = sxf.activation relu %x : tensor<2x8xf32>
  %s = sxf.add %y, %t : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %s : tensor<2x8xf32>
}

// -----

// bias add -> activation -> residual add: the whole epilogue folds, in order.
// CHECK-LABEL: func.func @whole_epilogue
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x4xf32>)
// CHECK: %[[W:.*]] = sxf.weight "w"
// CHECK: %[[B:.*]] = sxf.weight "b"
// CHECK: %[[Y:.*]] = sxf.linear %[[X]], %[[W]], %[[B]] residual(%[[X]]) activation silu :
// CHECK-NEXT: return %[[Y]]
func.func @whole_epilogue(%x: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  %w = sxf.weight "w" : tensor<4x4xf32>
  %b = sxf.weight "b" : tensor<4xf32>
  %y = sxf.linear %x, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %yb = sxf.add %y, %b : (tensor<1x3x4xf32>, tensor<4xf32>) -> tensor<1x3x4xf32>
  %a = sxf.activation silu %yb : tensor<1x3x4xf32>
  %r = sxf.add %x, %a : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  return %r : tensor<1x3x4xf32>
}

// -----

// BERT's post-norm: layer_norm(x + linear(...)) folds into the linear when
// the target allows it (every preset does; NOLN's target does not).
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x768xf32>)
// CHECK-DAG: %[[G:.*]] = sxf.weight "g"
// CHECK-DAG: %[[BE:.*]] = sxf.weight "beta"
// CHECK: %[[Y:.*]] = sxf.linear %[[X]], %{{.*}}, %{{.*}} residual(%[[X]]) norm(%[[G]], %[[BE]]) {norm_epsilon = 9.99999996E-13 : f32} :
// CHECK-NOT: sxf.layer_norm
// CHECK: return %[[Y]]
// NOLN-LABEL: func.func @layer_norm
// NOLN: %[[Y:.*]] = sxf.linear {{.*}} residual(
// NOLN-NOT: norm(
// NOLN: sxf.layer_norm %[[Y]]
func.func @layer_norm(%x: tensor<1x3x768xf32>) -> tensor<1x3x768xf32> {
  %w = sxf.weight "w" : tensor<768x768xf32>
  %b = sxf.weight "b" : tensor<768xf32>
  %g = sxf.weight "g" : tensor<768xf32>
  %be = sxf.weight "beta" : tensor<768xf32>
  %y = sxf.linear %x, %w, %b : (tensor<1x3x768xf32>, tensor<768x768xf32>, tensor<768xf32>) -> tensor<1x3x768xf32>
  %r = sxf.add %x, %y : (tensor<1x3x768xf32>, tensor<1x3x768xf32>) -> tensor<1x3x768xf32>
  %n = sxf.layer_norm %r, %g, %be {epsilon = 1.0e-12 : f32} : (tensor<1x3x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x3x768xf32>
  return %n : tensor<1x3x768xf32>
}

// -----

// GPT's pre-norm: the norm's input is the residual stream, used twice (by
// the norm and the next residual add), so the norm stays.
// CHECK-LABEL: func.func @layer_norm_shared_input
// CHECK: %[[Y:.*]] = sxf.linear {{.*}} residual(
// CHECK: sxf.layer_norm %[[Y]]
func.func @layer_norm_shared_input(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %w = sxf.weight "w" : tensor<8x8xf32>
  %g = sxf.weight "g" : tensor<8xf32>
  %y = sxf.linear %x, %w : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %r = sxf.add %x, %y : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %n = sxf.layer_norm %r, %g, %g : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %r, %n : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// Gamma and beta defined after the linear cannot move into it.
// CHECK-LABEL: func.func @layer_norm_params_later
// CHECK: sxf.linear
// CHECK-NOT: norm(
// CHECK: sxf.layer_norm
func.func @layer_norm_params_later(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = sxf.weight "w" : tensor<8x8xf32>
  %y = sxf.linear %x, %w : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
  %g = sxf.weight "g" : tensor<8xf32>
  %n = sxf.layer_norm %y, %g, %g : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %n : tensor<2x8xf32>
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

// -----

// matmul(q, kᵀ, 1/√d) -> softmax -> matmul(·, v) is one single-head
// attention (d = 64: scale 0.125; keys longer than queries).
// CHECK-LABEL: func.func @attention
// CHECK-SAME: (%[[Q:.*]]: tensor<2x16x64xf32>, %[[K:.*]]: tensor<2x32x64xf32>, %[[V:.*]]: tensor<2x32x64xf32>)
// CHECK: %[[A:.*]] = sxf.attention %[[Q]], %[[K]], %[[V]] {head_dim = 64 : i64, heads = 1 : i64} : (tensor<2x16x64xf32>, tensor<2x32x64xf32>, tensor<2x32x64xf32>) -> tensor<2x16x64xf32>
// CHECK-NOT: sxf.matmul
// CHECK-NOT: sxf.softmax
// CHECK: return %[[A]]
// NOEPI-LABEL: func.func @attention
// NOEPI: sxf.softmax
// NOHOR-LABEL: func.func @attention
// NOHOR: sxf.attention
func.func @attention(%q: tensor<2x16x64xf32>, %k: tensor<2x32x64xf32>, %v: tensor<2x32x64xf32>) -> tensor<2x16x64xf32> {
  %s = sxf.matmul %q, %k {transpose_rhs, scale = 0.125 : f32} : (tensor<2x16x64xf32>, tensor<2x32x64xf32>) -> tensor<2x16x32xf32>
  %p = sxf.softmax %s : tensor<2x16x32xf32>
  %o = sxf.matmul %p, %v : (tensor<2x16x32xf32>, tensor<2x32x64xf32>) -> tensor<2x16x64xf32>
  return %o : tensor<2x16x64xf32>
}

// -----

// A scale other than 1/√d is not attention.
// CHECK-LABEL: func.func @attention_wrong_scale
// CHECK-NOT: sxf.attention
// CHECK: sxf.matmul
// CHECK: sxf.softmax
// CHECK: sxf.matmul
func.func @attention_wrong_scale(%q: tensor<2x3x4xf32>, %k: tensor<2x5x4xf32>, %v: tensor<2x5x4xf32>) -> tensor<2x3x4xf32> {
  %s = sxf.matmul %q, %k {transpose_rhs, scale = 0.25 : f32} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
  %p = sxf.softmax %s : tensor<2x3x5xf32>
  %o = sxf.matmul %p, %v : (tensor<2x3x5xf32>, tensor<2x5x4xf32>) -> tensor<2x3x4xf32>
  return %o : tensor<2x3x4xf32>
}

// -----

// Softmax over the queries, not the keys: not attention.
// CHECK-LABEL: func.func @attention_wrong_axis
// CHECK-NOT: sxf.attention
// CHECK: sxf.softmax %{{.*}} {axis = 1 : i64}
func.func @attention_wrong_axis(%q: tensor<2x3x4xf32>, %k: tensor<2x3x4xf32>, %v: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %s = sxf.matmul %q, %k {transpose_rhs, scale = 0.5 : f32} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x3xf32>
  %p = sxf.softmax %s {axis = 1 : i64} : tensor<2x3x3xf32>
  %o = sxf.matmul %p, %v : (tensor<2x3x3xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %o : tensor<2x3x4xf32>
}

// -----

// q · k without the transpose is not q · kᵀ.
// CHECK-LABEL: func.func @attention_no_transpose
// CHECK-NOT: sxf.attention
// CHECK: sxf.softmax
func.func @attention_no_transpose(%q: tensor<2x4x4xf32>, %k: tensor<2x4x4xf32>, %v: tensor<2x4x4xf32>) -> tensor<2x4x4xf32> {
  %s = sxf.matmul %q, %k {scale = 0.5 : f32} : (tensor<2x4x4xf32>, tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %p = sxf.softmax %s : tensor<2x4x4xf32>
  %o = sxf.matmul %p, %v : (tensor<2x4x4xf32>, tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  return %o : tensor<2x4x4xf32>
}

// -----

// The probabilities are also returned: they must stay materialised.
// CHECK-LABEL: func.func @attention_probs_used
// CHECK-NOT: sxf.attention
// CHECK: %[[P:.*]] = sxf.softmax
// CHECK: return %{{.*}}, %[[P]]
func.func @attention_probs_used(%q: tensor<2x3x4xf32>, %k: tensor<2x5x4xf32>, %v: tensor<2x5x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x5xf32>) {
  %s = sxf.matmul %q, %k {transpose_rhs, scale = 0.5 : f32} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
  %p = sxf.softmax %s : tensor<2x3x5xf32>
  %o = sxf.matmul %p, %v : (tensor<2x3x5xf32>, tensor<2x5x4xf32>) -> tensor<2x3x4xf32>
  return %o, %p : tensor<2x3x4xf32>, tensor<2x3x5xf32>
}

//===----------------------------------------------------------------------===//
// Horizontal fusion (needs weight values: the merged weight is built)
//===----------------------------------------------------------------------===//

// -----

// Q, K and V read the same input: one linear over the weights concatenated
// along the output features, one concatenated bias, then sxf.split. Names
// join with '+'; the siblings' common format is kept.
// CHECK-LABEL: func.func @qkv
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x4xf32>)
// CHECK: %[[W:.*]] = sxf.weight "q+k+v" {format = #sxf.format<dense, value = f32>, value = dense_resource<{{.*}}>} : tensor<6x4xf32>
// CHECK: %[[B:.*]] = sxf.weight "bq+bk+bv" {format = #sxf.format<dense, value = f32>, value = dense_resource<{{.*}}>} : tensor<6xf32>
// CHECK: %[[Y:.*]] = sxf.linear %[[X]], %[[W]], %[[B]] : (tensor<1x3x4xf32>, tensor<6x4xf32>, tensor<6xf32>) -> tensor<1x3x6xf32>
// CHECK: %[[S:.*]]:3 = sxf.split %[[Y]] : tensor<1x3x6xf32> -> tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>
// CHECK: sxf.attention %[[S]]#0, %[[S]]#1, %[[S]]#2
// CHECK-NOT: sxf.weight "q"
// NOHOR-LABEL: func.func @qkv
// NOHOR-NOT: sxf.split
// NOEPI-LABEL: func.func @qkv
// NOEPI: sxf.split
func.func @qkv(%x: tensor<1x3x4xf32>) -> tensor<1x3x2xf32> {
  %wq = sxf.weight "q" {format = #sxf.format<dense, value = f32>, value = dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %bq = sxf.weight "bq" {format = #sxf.format<dense, value = f32>, value = dense<[1.0, 2.0]> : tensor<2xf32>} : tensor<2xf32>
  %wk = sxf.weight "k" {format = #sxf.format<dense, value = f32>, value = dense<[[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %bk = sxf.weight "bk" {format = #sxf.format<dense, value = f32>, value = dense<[3.0, 4.0]> : tensor<2xf32>} : tensor<2xf32>
  %wv = sxf.weight "v" {format = #sxf.format<dense, value = f32>, value = dense<2.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %bv = sxf.weight "bv" {format = #sxf.format<dense, value = f32>, value = dense<[5.0, 6.0]> : tensor<2xf32>} : tensor<2xf32>
  %q = sxf.linear %x, %wq, %bq : (tensor<1x3x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x3x2xf32>
  %k = sxf.linear %x, %wk, %bk : (tensor<1x3x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x3x2xf32>
  %v = sxf.linear %x, %wv, %bv : (tensor<1x3x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x3x2xf32>
  %a = sxf.attention %q, %k, %v {heads = 1 : i64, head_dim = 2 : i64} : (tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
  return %a : tensor<1x3x2xf32>
}

// -----

// Gate and up of a gated FFN: the same activation on both, no bias; the
// siblings' outputs have different widths. The merged CSR weight keeps the
// format (CSR indexes columns, which do not change).
// CHECK-LABEL: func.func @gate_up_csr
// CHECK: %[[W:.*]] = sxf.weight "gate+up" {format = #sxf.format<csr, value = f32, index = 8>, value = dense_resource<{{.*}}>} : tensor<5x4xf32>
// CHECK: %[[Y:.*]] = sxf.linear %{{.*}}, %[[W]] activation silu : (tensor<2x4xf32>, tensor<5x4xf32>) -> tensor<2x5xf32>
// CHECK: %[[S:.*]]:2 = sxf.split %[[Y]] : tensor<2x5xf32> -> tensor<2x3xf32>, tensor<2x2xf32>
// CHECK: return %[[S]]#0, %[[S]]#1
func.func @gate_up_csr(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x2xf32>) {
  %wg = sxf.weight "gate" {format = #sxf.format<csr, value = f32, index = 8>, value = dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 2.0]]> : tensor<3x4xf32>} : tensor<3x4xf32>
  %wu = sxf.weight "up" {format = #sxf.format<csr, value = f32, index = 8>, value = dense<[[0.0, 3.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %g = sxf.linear %x, %wg activation silu : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %u = sxf.linear %x, %wu activation silu : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %g, %u : tensor<2x3xf32>, tensor<2x2xf32>
}

// -----

// Siblings whose formats differ (dense and CSR) stay apart.
// CHECK-LABEL: func.func @formats_differ
// CHECK-NOT: sxf.split
// CHECK: sxf.linear
// CHECK: sxf.linear
func.func @formats_differ(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %a = sxf.weight "a" {format = #sxf.format<dense, value = f32>, value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %b = sxf.weight "b" {format = #sxf.format<csr, value = f32, index = 8>, value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %ya = sxf.linear %x, %a : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %yb = sxf.linear %x, %b : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %ya, %yb : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// Dense in different value types is different formats too.
// CHECK-LABEL: func.func @value_types_differ
// CHECK-NOT: sxf.split
func.func @value_types_differ(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %a = sxf.weight "a" {format = #sxf.format<dense, value = f16>, value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %b = sxf.weight "b" {format = #sxf.format<dense, value = f32>, value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %ya = sxf.linear %x, %a : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %yb = sxf.linear %x, %b : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %ya, %yb : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// CSC indexes rows: 2 x 200 rows fit 8-bit indices apart (largest 199) but
// not together (399), so the merged weight cannot keep the format.
// CHECK-LABEL: func.func @merged_index_overflows
// CHECK-NOT: sxf.split
// CHECK: sxf.weight "a" {format = #sxf.format<csc, value = f32, index = 8>
// CHECK: sxf.weight "b" {format = #sxf.format<csc, value = f32, index = 8>
func.func @merged_index_overflows(%x: tensor<2x4xf32>) -> (tensor<2x200xf32>, tensor<2x200xf32>) {
  %a = sxf.weight "a" {format = #sxf.format<csc, value = f32, index = 8>, value = dense<0.0> : tensor<200x4xf32>} : tensor<200x4xf32>
  %b = sxf.weight "b" {format = #sxf.format<csc, value = f32, index = 8>, value = dense<0.0> : tensor<200x4xf32>} : tensor<200x4xf32>
  %ya = sxf.linear %x, %a : (tensor<2x4xf32>, tensor<200x4xf32>) -> tensor<2x200xf32>
  %yb = sxf.linear %x, %b : (tensor<2x4xf32>, tensor<200x4xf32>) -> tensor<2x200xf32>
  return %ya, %yb : tensor<2x200xf32>, tensor<2x200xf32>
}

// -----

// The same CSC siblings with 100 rows each merge (largest row index 199).
// CHECK-LABEL: func.func @merged_index_fits
// CHECK: sxf.weight "a+b" {format = #sxf.format<csc, value = f32, index = 8>, value = dense_resource<{{.*}}>} : tensor<200x4xf32>
// CHECK: sxf.split
func.func @merged_index_fits(%x: tensor<2x4xf32>) -> (tensor<2x100xf32>, tensor<2x100xf32>) {
  %a = sxf.weight "a" {format = #sxf.format<csc, value = f32, index = 8>, value = dense<0.0> : tensor<100x4xf32>} : tensor<100x4xf32>
  %b = sxf.weight "b" {format = #sxf.format<csc, value = f32, index = 8>, value = dense<0.0> : tensor<100x4xf32>} : tensor<100x4xf32>
  %ya = sxf.linear %x, %a : (tensor<2x4xf32>, tensor<100x4xf32>) -> tensor<2x100xf32>
  %yb = sxf.linear %x, %b : (tensor<2x4xf32>, tensor<100x4xf32>) -> tensor<2x100xf32>
  return %ya, %yb : tensor<2x100xf32>, tensor<2x100xf32>
}

// -----

// Siblings with different activations stay apart (horizontal fusion runs
// before epilogue fusion, so it only ever sees activations already there).
// CHECK-LABEL: func.func @epilogues_differ
// CHECK-NOT: sxf.split
func.func @epilogues_differ(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %a = sxf.weight "a" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %b = sxf.weight "b" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %ya = sxf.linear %x, %a activation relu : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %yb = sxf.linear %x, %b : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %ya, %yb : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// One sibling has a bias and the other not: apart.
// CHECK-LABEL: func.func @bias_differs
// CHECK-NOT: sxf.split
func.func @bias_differs(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %a = sxf.weight "a" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %b = sxf.weight "b" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %c = sxf.weight "c" {value = dense<1.0> : tensor<2xf32>} : tensor<2xf32>
  %ya = sxf.linear %x, %a, %c : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %yb = sxf.linear %x, %b : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %ya, %yb : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// A weight shared with another linear cannot be erased: apart.
// CHECK-LABEL: func.func @weight_shared
// CHECK-NOT: sxf.split
func.func @weight_shared(%x: tensor<2x4xf32>, %z: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %a = sxf.weight "a" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %b = sxf.weight "b" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  %ya = sxf.linear %x, %a : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %yb = sxf.linear %x, %b : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %yz = sxf.linear %z, %a : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %ya, %yb, %yz : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// Metadata-only weights have no values to concatenate: apart (epilogues
// still fuse).
// CHECK-LABEL: func.func @metadata_only_siblings
// CHECK-NOT: sxf.split
// CHECK: sxf.linear %{{.*}}, %{{.*}} activation relu : (tensor<2x768xf32>, tensor<512x768xf32>)
// CHECK: sxf.linear %{{.*}}, %{{.*}} : (tensor<2x768xf32>, tensor<512x768xf32>)
func.func @metadata_only_siblings(%x: tensor<2x768xf32>) -> (tensor<2x512xf32>, tensor<2x512xf32>) {
  %a = sxf.weight "a" : tensor<512x768xf32>
  %b = sxf.weight "b" : tensor<512x768xf32>
  %ya = sxf.linear %x, %a : (tensor<2x768xf32>, tensor<512x768xf32>) -> tensor<2x512xf32>
  %yb = sxf.linear %x, %b : (tensor<2x768xf32>, tensor<512x768xf32>) -> tensor<2x512xf32>
  %r = sxf.activation relu %ya : tensor<2x512xf32>
  return %r, %yb : tensor<2x512xf32>, tensor<2x512xf32>
}
