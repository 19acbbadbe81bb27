// RUN: sparse-opt %s -split-input-file -verify-diagnostics --sxf-tile="target=%S/Inputs/toy4.json"

// Located errors of sxf-tile on decode steps (sxf.kv_append).

// Tests that an empty KV cache is refused: a target cannot place it.
func.func @forward(%c: tensor<1x0x8xf32>, %u: tensor<1x1x8xf32>) -> tensor<1x1x8xf32> {
  // expected-error @+1 {{sxf-tile: the KV cache of 'sxf.kv_append' is empty; a target cannot place an empty tensor (run the prefill form instead)}}
  %k = sxf.kv_append %c, %u : (tensor<1x0x8xf32>, tensor<1x1x8xf32>) -> tensor<1x1x8xf32>
  return %k : tensor<1x1x8xf32>
}

// -----

// Tests that a weight read as a cache is refused like any weight used as an
// activation.
func.func @forward(%u: tensor<1x1x8xf32>) -> tensor<1x3x8xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<1x2x8xf32>} : tensor<1x2x8xf32>
  // expected-error @+1 {{sxf-tile: a weight used as an activation operand is not supported}}
  %k = sxf.kv_append %w, %u : (tensor<1x2x8xf32>, tensor<1x1x8xf32>) -> tensor<1x3x8xf32>
  return %k : tensor<1x3x8xf32>
}

// -----

// Tests that appending no rows is refused: a target cannot place them.
func.func @forward(%c: tensor<1x4x8xf32>, %u: tensor<1x0x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{sxf-tile: the new rows of 'sxf.kv_append' are empty; a target cannot place an empty tensor}}
  %k = sxf.kv_append %c, %u : (tensor<1x4x8xf32>, tensor<1x0x8xf32>) -> tensor<1x4x8xf32>
  return %k : tensor<1x4x8xf32>
}
