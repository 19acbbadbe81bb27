
// Tests that the positions table must cover the sequence.
func.func @negative_embedding_positions(%ids: tensor<1x8xi32>) {
  %t = sxf.weight "t" : tensor<10x4xf32>
  %p = sxf.weight "p" : tensor<4x4xf32>
  // expected-error @+1 {{positions table has 4 rows but the sequence length is 8}}
  %e = sxf.embedding %ids, %t, %p : (tensor<1x8xi32>, tensor<10x4xf32>, tensor<4x4xf32>) -> tensor<1x8x4xf32>
  return
}

