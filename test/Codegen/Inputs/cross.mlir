// Cross-attention of a decoder sequence x [B, Sd, 4] over an encoder
// sequence e [B, Se, 4] (dynamic-shapes.test). @forward keeps every
// activation at B·Sd tokens, so its shapes are dynamic (e's batch is x's);
// @fixed projects e, an activation of B·Se tokens, so it keeps fixed shapes.
module {
  func.func @forward(%x: tensor<2x3x4xf32> {sxf.name = "x"}, %e: tensor<2x5x4xf32> {sxf.name = "enc"}) -> (tensor<2x3x4xf32> {sxf.name = "y"}) {
    %w = sxf.weight "q.weight" {value = dense<[[0.5, -1.0, 0.25, 0.0], [1.5, 0.5, -0.5, 1.0], [0.0, 0.75, 1.25, -0.25], [-1.0, 0.0, 0.5, 2.0]]> : tensor<4x4xf32>} : tensor<4x4xf32>
    %q = sxf.linear %x, %w : (tensor<2x3x4xf32>, tensor<4x4xf32>) -> tensor<2x3x4xf32>
    %a = sxf.attention %q, %e, %e {head_dim = 2 : i64, heads = 2 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x4xf32>
    %y = sxf.add %a, %x : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    return %y : tensor<2x3x4xf32>
  }
  func.func @fixed(%x: tensor<2x3x4xf32> {sxf.name = "x"}, %e: tensor<2x5x4xf32> {sxf.name = "enc"}) -> (tensor<2x3x4xf32> {sxf.name = "y"}) {
    %w = sxf.weight "k.weight" {value = dense<[[0.5, -1.0, 0.25, 0.0], [1.5, 0.5, -0.5, 1.0], [0.0, 0.75, 1.25, -0.25], [-1.0, 0.0, 0.5, 2.0]]> : tensor<4x4xf32>} : tensor<4x4xf32>
    %k = sxf.linear %e, %w : (tensor<2x5x4xf32>, tensor<4x4xf32>) -> tensor<2x5x4xf32>
    %a = sxf.attention %x, %k, %k {head_dim = 2 : i64, heads = 2 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x4xf32>
    return %a : tensor<2x3x4xf32>
  }
}
