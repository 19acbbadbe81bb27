// Every way sxf-differentiate refuses its input, each with a located error.
// RUN: not sparse-opt %s --split-input-file --sxf-differentiate -o /dev/null 2>&1 | FileCheck %s
// RUN: not sparse-opt %s --split-input-file --sxf-differentiate="entry=nope" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ENTRY
// RUN: not sparse-opt %s --split-input-file --sxf-differentiate="name=forward" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TAKEN
// RUN: not sparse-opt %s --split-input-file --sxf-differentiate="name=" -o /dev/null 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not sparse-opt %s --split-input-file --sxf-differentiate="name=taken" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TAKEN2

// ENTRY: error: no function named 'nope' with a body
// TAKEN: error: sxf-differentiate: a symbol named 'forward' already exists; choose another with name=...
// EMPTY: error: sxf-differentiate: the training step needs a name

// CHECK: :[[@LINE+1]]:1: error: sxf-differentiate: the forward function must return one float tensor of rank >= 1 (the logits, vocabulary last), not 'tensor<2x3xf32>', 'tensor<2x3xf32>'
func.func @forward(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<3x4xf32>} : tensor<3x4xf32>
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y, %y : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK: error: sxf-differentiate: the forward function must return one float tensor of rank >= 1 (the logits, vocabulary last), not 'tensor<f32>'
func.func @forward(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}

// -----

// CHECK: error: cannot pick an entry function: no @forward and 2 public functions
func.func @a(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  return %x : tensor<2x4xf32>
}
func.func @b(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  return %x : tensor<2x4xf32>
}

// -----

func.func @forward(%x: tensor<1x2x4xf32>, %past: tensor<1x3x4xf32>) -> tensor<1x5x4xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %k = sxf.linear %x, %w : (tensor<1x2x4xf32>, tensor<4x4xf32>) -> tensor<1x2x4xf32>
  // CHECK: :[[@LINE+1]]:8: error: sxf-differentiate: sxf.kv_append has no reverse rule (a training step has no KV cache; differentiate the prefill function)
  %c = sxf.kv_append %past, %k : (tensor<1x3x4xf32>, tensor<1x2x4xf32>) -> tensor<1x5x4xf32>
  %y = sxf.linear %c, %w : (tensor<1x5x4xf32>, tensor<4x4xf32>) -> tensor<1x5x4xf32>
  return %y : tensor<1x5x4xf32>
}

// -----

func.func @forward(%x: tensor<2x4xf32>, %dy: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<3x4xf32>} : tensor<3x4xf32>
  // CHECK: :[[@LINE+1]]:8: error: sxf-differentiate: the forward function already holds a backward op; there are no second derivatives
  %g = sxf.linear_grad_input %dy, %w : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %y = sxf.linear %g, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<6x4xf32>} : tensor<6x4xf32>
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<6x4xf32>) -> tensor<2x6xf32>
  // CHECK: :[[@LINE+1]]:12: error: sxf-differentiate: a piece of this split does not reach the loss; differentiate after removing it (sxf-eliminate-dead)
  %a, %b = sxf.split %y : tensor<2x6xf32> -> tensor<2x3xf32>, tensor<2x3xf32>
  %w2 = sxf.weight "w2" {value = dense<1.0> : tensor<3x3xf32>} : tensor<3x3xf32>
  %z = sxf.linear %a, %w2 : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32>
  return %z : tensor<2x3xf32>
}

// -----

// CHECK: :[[@LINE+1]]:1: error: sxf-differentiate: the forward function's result is not produced by an sxf.linear (a head whose outputs are the logits)
func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %g = sxf.weight "g" {value = dense<1.0> : tensor<4xf32>} : tensor<4xf32>
  %b = sxf.weight "b" {value = dense<0.0> : tensor<4xf32>} : tensor<4xf32>
  %y = sxf.layer_norm %x, %g, %b : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<3x4xf32>} : tensor<3x4xf32>
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
// TAKEN2: :[[@LINE+1]]:1: error: sxf-differentiate: a symbol named 'taken' already exists; choose another with name=...
func.func private @taken()
