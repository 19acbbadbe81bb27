
// Tests that a decoder layer rejects an infinite epsilon.
func.func @negative_decoder_layer_epsilon_inf(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got INF}}
  %y = sxf.decoder_layer %x ln1(%v, %v) attn(%m, %v, %m, %v, %m, %v, %m, %v) ln2(%v, %v) ffn(%w1, %b1, %w2, %v) {heads = 2 : i64, epsilon = 0x7F800000 : f32} : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

