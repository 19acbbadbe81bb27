// RUN: sparse-opt %s --split-input-file -verify-diagnostics --sxf-lower-to-emitc="weights=%t.safetensors" -o /dev/null

// Located errors of sxf-lower-to-emitc not shared with sxf-tile (those are
// in test/Tile/tile-errors.mlir).

// Generated code reads every weight's values.
func.func @forward(%x: tensor<2x768xf32>) -> tensor<2x512xf32> {
  // expected-error @+1 {{sxf-lower-to-emitc: weight 'w' has no values (metadata only); generated code needs them}}
  %w = sxf.weight "w" : tensor<512x768xf32>
  %y = sxf.linear %x, %w : (tensor<2x768xf32>, tensor<512x768xf32>) -> tensor<2x512xf32>
  return %y : tensor<2x512xf32>
}

// -----

// Outputs are f32: token ids passed straight through are refused.
func.func @forward(%ids: tensor<1x4xi32>) -> tensor<1x4xi32> {
  // expected-error @+1 {{sxf-lower-to-emitc: integer results are not supported}}
  return %ids : tensor<1x4xi32>
}

// -----

// Activations live in the workspace and weights only in the container: a
// weight as the input of a norm (here at a 768-wide layer) is refused, not
// read from an unplanned workspace offset.
func.func @forward(%x: tensor<2x768xf32>) -> tensor<4x768xf32> {
  %t = sxf.weight "t" {value = dense<1.0> : tensor<4x768xf32>} : tensor<4x768xf32>
  %g = sxf.weight "g" {value = dense<1.0> : tensor<768xf32>} : tensor<768xf32>
  // expected-error @+1 {{sxf-lower-to-emitc: a weight used as an activation operand is not supported}}
  %y = sxf.rms_norm %t, %g : (tensor<4x768xf32>, tensor<768xf32>) -> tensor<4x768xf32>
  return %y : tensor<4x768xf32>
}

// -----

// A weight returned as a result is refused the same way.
func.func @forward(%x: tensor<2x8xf32>) -> tensor<8xf32> {
  %b = sxf.weight "b" {value = dense<0.5> : tensor<8xf32>} : tensor<8xf32>
  // expected-error @+1 {{sxf-lower-to-emitc: a weight returned as a result is not supported}}
  return %b : tensor<8xf32>
}
