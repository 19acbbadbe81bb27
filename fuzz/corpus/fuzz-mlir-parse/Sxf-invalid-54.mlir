
// Tests that embedding ids must be integers.
func.func @negative_embedding_ids(%ids: tensor<1x8xf32>) {
  %t = sxf.weight "t" : tensor<10x4xf32>
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %e = sxf.embedding %ids, %t : (tensor<1x8xf32>, tensor<10x4xf32>) -> tensor<1x8x4xf32>
  return
}

