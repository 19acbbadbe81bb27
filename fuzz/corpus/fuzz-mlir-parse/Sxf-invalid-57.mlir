
// Tests that a composite layer checks the attention projections.
func.func @negative_layer_projection(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %bad = sxf.weight "bad" : tensor<8x4xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  // expected-error @+1 {{wk has shape 8x4 but 8x8 is expected}}
  %y = sxf.encoder_layer %x attn(%m, %v, %bad, %v, %m, %v, %m, %v) ln1(%v, %v) ffn(%w1, %b1, %w2, %v) ln2(%v, %v) {heads = 2 : i64} : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

