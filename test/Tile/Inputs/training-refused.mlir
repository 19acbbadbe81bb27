// Training ops sxf-tile refuses (test/Tile/training-step.test).

// CHECK: training-refused.mlir:[[@LINE+3]]:8: error: sxf-tile: 'sxf.linear_grad_weight' reads weight 'w', which no sxf.linear before it multiplies (a gradient runs on its forward linear's partition)
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>) -> tensor<12x8xf32> {
  %w = sxf.weight "w" : tensor<12x8xf32>
  %r = sxf.linear_grad_weight %dh, %x, %w : (tensor<2x3x12xf32>, tensor<2x3x8xf32>, tensor<12x8xf32>) -> tensor<12x8xf32>
  return %r : tensor<12x8xf32>
}

// -----

// CHECK: training-refused.mlir:[[@LINE+2]]:8: error: sxf-tile: only a reduce_sum over the leading dimensions to the last one is tiled, not 'tensor<2x3x8xf32>' -> 'tensor<3x8xf32>'
func.func @forward(%x: tensor<2x3x8xf32>) -> tensor<3x8xf32> {
  %r = sxf.reduce_sum %x : tensor<2x3x8xf32> -> tensor<3x8xf32>
  return %r : tensor<3x8xf32>
}

// -----

// CHECK: training-refused.mlir:[[@LINE+3]]:8: error: sxf-tile: a weight used as an activation operand is not supported
func.func @forward(%x: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  %w = sxf.weight "w" : tensor<2x3x8xf32>
  %r = sxf.activation_grad relu %w, %x : tensor<2x3x8xf32>
  return %r : tensor<2x3x8xf32>
}
