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
