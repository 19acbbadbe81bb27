// RUN: sparse-opt %s -split-input-file -verify-diagnostics --sxf-tile="target=%S/Inputs/toy4.json"
// RUN: sparse-opt %s -split-input-file -verify-diagnostics --sxf-lower-to-emitc="weights=%t.safetensors"
// (sxf-tile and sxf-lower-to-emitc refuse the same inputs with the same words.)

// Tests that a matmul between activations is refused (it belongs in
// sxf.attention).
func.func @forward(%a: tensor<2x4x8xf32>, %b: tensor<2x8x4xf32>) -> tensor<2x4x4xf32> {
  // expected-error @+1 {{a matmul between activations is only supported inside sxf.attention (run sxf-fuse)}}
  %y = sxf.matmul %a, %b : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  return %y : tensor<2x4x4xf32>
}

// -----

// Tests that softmax must be over the last axis.
func.func @forward(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{softmax must be over the last axis}}
  %y = sxf.softmax %a {axis = 0 : i64} : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Tests that a weight used as an activation is refused.
func.func @forward(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<4x8xf32>} : tensor<4x8xf32>
  // expected-error @+1 {{a weight used as an activation operand is not supported}}
  %y = sxf.add %a, %w : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Tests that shapes must be static.
func.func @forward(%a: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+1 {{needs static tensor shapes}}
  %y = sxf.activation relu %a : tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}
