// RUN: sparse-opt %s --split-input-file -verify-each --sxf-decompose | FileCheck %s

// Tests that a decoder layer becomes pre-norm causal attention plus FFN with
// both residual adds, and an encoder layer post-norm bidirectional attention.

// CHECK-LABEL: func.func @decoder
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8xf32>)
// CHECK: %[[N1:.*]] = sxf.layer_norm %[[X]], %[[V:.*]], %[[V]] :
// CHECK: %[[Q:.*]] = sxf.linear %[[N1]], %[[M:.*]], %[[V]] :
// CHECK: %[[K:.*]] = sxf.linear %[[N1]], %[[M]], %[[V]] :
// CHECK: %[[VV:.*]] = sxf.linear %[[N1]], %[[M]], %[[V]] :
// CHECK: %[[A:.*]] = sxf.attention %[[Q]], %[[K]], %[[VV]] {causal, head_dim = 4 : i64, heads = 2 : i64}
// CHECK: %[[O:.*]] = sxf.linear %[[A]], %[[M]], %[[V]] :
// CHECK: %[[H:.*]] = sxf.add %[[X]], %[[O]]
// CHECK: %[[N2:.*]] = sxf.layer_norm %[[H]], %[[V]], %[[V]]
// CHECK: %[[F1:.*]] = sxf.linear %[[N2]], %{{.*}}, %{{.*}} activation gelu_tanh : (tensor<1x3x8xf32>, tensor<12x8xf32>, tensor<12xf32>) -> tensor<1x3x12xf32>
// CHECK: %[[F2:.*]] = sxf.linear %[[F1]], %{{.*}}, %[[V]] : (tensor<1x3x12xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
// CHECK: %[[R:.*]] = sxf.add %[[H]], %[[F2]]
// CHECK: return %[[R]]
// CHECK-NOT: sxf.decoder_layer
func.func @decoder(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  %y = sxf.decoder_layer %x ln1(%v, %v) attn(%m, %v, %m, %v, %m, %v, %m, %v) ln2(%v, %v) ffn(%w1, %b1, %w2, %v) {heads = 2 : i64} : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

// -----

// CHECK-LABEL: func.func @encoder
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8xf32>)
// CHECK: %[[Q:.*]] = sxf.linear %[[X]]
// CHECK: %[[K:.*]] = sxf.linear %[[X]]
// CHECK: %[[VV:.*]] = sxf.linear %[[X]]
// CHECK: %[[A:.*]] = sxf.attention %[[Q]], %[[K]], %[[VV]] {head_dim = 2 : i64, heads = 4 : i64}
// CHECK: %[[O:.*]] = sxf.linear %[[A]]
// CHECK: %[[R1:.*]] = sxf.add %[[X]], %[[O]]
// CHECK: %[[H:.*]] = sxf.layer_norm %[[R1]], {{.*}} {epsilon = 9.99999996E-13 : f32}
// CHECK: %[[F1:.*]] = sxf.linear %[[H]], {{.*}} activation relu
// CHECK: %[[F2:.*]] = sxf.linear %[[F1]]
// CHECK: %[[R2:.*]] = sxf.add %[[H]], %[[F2]]
// CHECK: %[[OUT:.*]] = sxf.layer_norm %[[R2]]
// CHECK: return %[[OUT]]
func.func @encoder(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  %y = sxf.encoder_layer %x attn(%m, %v, %m, %v, %m, %v, %m, %v) ln1(%v, %v) ffn(%w1, %b1, %w2, %v) ln2(%v, %v) activation relu {heads = 4 : i64} : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

// -----

// Tests that weights nothing uses are kept (they are part of the model).
// CHECK-LABEL: func.func @keeps_unused_weights
// CHECK: sxf.weight "unused"
func.func @keeps_unused_weights() {
  %u = sxf.weight "unused" : tensor<4xf32>
  return
}

// -----

// Tests that primitive ops (and a decoder layer's epsilon and activation
// when given) pass through unchanged / are carried over.
// CHECK-LABEL: func.func @primitive_untouched
// CHECK: %[[Y:.*]] = sxf.linear %{{.*}}, %{{.*}} activation relu :
// CHECK: %[[N:.*]] = sxf.layer_norm %[[Y]], {{.*}} {epsilon = 1.000000e-03 : f32}
// CHECK: return %[[N]]
func.func @primitive_untouched(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %w = sxf.weight "w" : tensor<8x8xf32>
  %g = sxf.weight "g" : tensor<8xf32>
  %y = sxf.linear %x, %w activation relu : (tensor<1x3x8xf32>, tensor<8x8xf32>) -> tensor<1x3x8xf32>
  %n = sxf.layer_norm %y, %g, %g {epsilon = 1.0e-3 : f32} : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %n : tensor<1x3x8xf32>
}

// -----

// CHECK-LABEL: func.func @decoder_options
// CHECK: sxf.layer_norm %{{.*}} {epsilon = 1.000000e-03 : f32}
// CHECK: sxf.linear {{.*}} activation silu : (tensor<1x3x8xf32>, tensor<12x8xf32>, tensor<12xf32>) -> tensor<1x3x12xf32>
// CHECK-NOT: sxf.decoder_layer
func.func @decoder_options(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  %y = sxf.decoder_layer %x ln1(%v, %v) attn(%m, %v, %m, %v, %m, %v, %m, %v) ln2(%v, %v) ffn(%w1, %b1, %w2, %v) activation silu {heads = 2 : i64, epsilon = 1.0e-3 : f32} : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}
