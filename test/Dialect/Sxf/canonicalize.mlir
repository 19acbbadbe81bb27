// RUN: sparse-opt %s --canonicalize --split-input-file | FileCheck %s

// Tests that `activation none` on a linear is dropped: it means no activation.
// CHECK-LABEL: func.func @linear_activation_none
// CHECK: sxf.linear %{{.*}}, %{{.*}} :
// CHECK-NOT: activation
func.func @linear_activation_none(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %y = sxf.linear %x, %w activation none : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Tests that a real activation on a linear is kept.
// CHECK-LABEL: func.func @linear_activation_gelu
// CHECK: sxf.linear %{{.*}}, %{{.*}} activation gelu
func.func @linear_activation_gelu(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %y = sxf.linear %x, %w activation gelu : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Tests that adding an inline all-zero weight folds to the other operand,
// and the weight, now unused, goes.
// CHECK-LABEL: func.func @add_zero
// CHECK-NEXT: return %arg0
func.func @add_zero(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %z = sxf.weight "z" {value = dense<0.0> : tensor<4xf32>} : tensor<4xf32>
  %y = sxf.add %x, %z : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Tests that an add of a non-zero or value-less weight stays.
// CHECK-LABEL: func.func @add_nonzero
// CHECK-COUNT-2: sxf.add
func.func @add_nonzero(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %a = sxf.weight "a" {value = dense<[0.0, 1.0, 0.0, 0.0]> : tensor<4xf32>} : tensor<4xf32>
  %b = sxf.weight "b" : tensor<4xf32>
  %y = sxf.add %x, %a : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %z = sxf.add %x, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y, %z : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Tests that a split into one piece, the whole input, folds to its input.
// CHECK-LABEL: func.func @split_whole
// CHECK-NEXT: return %arg0
func.func @split_whole(%x: tensor<2x6xf32>) -> tensor<2x6xf32> {
  %y = sxf.split %x : tensor<2x6xf32> -> tensor<2x6xf32>
  return %y : tensor<2x6xf32>
}

// -----

// Tests that a real split stays.
// CHECK-LABEL: func.func @split_pieces
// CHECK: sxf.split
func.func @split_pieces(%x: tensor<2x6xf32>) -> (tensor<2x2xf32>, tensor<2x4xf32>) {
  %a, %b = sxf.split %x : tensor<2x6xf32> -> tensor<2x2xf32>, tensor<2x4xf32>
  return %a, %b : tensor<2x2xf32>, tensor<2x4xf32>
}

// -----

// Tests that unused sxf ops (all pure) are removed.
// CHECK-LABEL: func.func @dead
// CHECK-NOT: sxf.
// CHECK: return
func.func @dead(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %s = sxf.softmax %x : tensor<2x4xf32>
  return %x : tensor<2x4xf32>
}

// -----

// Tests that a concat of one input, the whole result, folds to its input.
// CHECK-LABEL: func.func @concat_one
// CHECK-NEXT: return %arg0
func.func @concat_one(%x: tensor<2x6xf32>) -> tensor<2x6xf32> {
  %y = sxf.concat %x : (tensor<2x6xf32>) -> tensor<2x6xf32>
  return %y : tensor<2x6xf32>
}

// -----

// Tests that a real concat stays.
// CHECK-LABEL: func.func @concat_pieces
// CHECK: sxf.concat
func.func @concat_pieces(%a: tensor<2x2xf32>, %b: tensor<2x4xf32>) -> tensor<2x6xf32> {
  %y = sxf.concat %a, %b : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x6xf32>
  return %y : tensor<2x6xf32>
}
