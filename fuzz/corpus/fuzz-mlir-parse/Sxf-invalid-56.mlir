
// Tests that a composite layer checks the FFN shapes.
func.func @negative_layer_ffn(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x10xf32>
  // expected-error @+1 {{w2 has shape 8x10 but 8x12 is expected}}
  %y = sxf.decoder_layer %x ln1(%v, %v) attn(%m, %v, %m, %v, %m, %v, %m, %v) ln2(%v, %v) ffn(%w1, %b1, %w2, %v) {heads = 2 : i64} : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x10xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

