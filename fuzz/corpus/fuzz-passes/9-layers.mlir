	
// Tests that the composite layers round-trip with their operand groups.
func.func @encoder(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  %y = sxf.encoder_layer %x attn(%m, %v, %m, %v, %m, %v, %m, %v) ln1(%v, %v) ffn(%w1, %b1, %w2, %v) ln2(%v, %v) {heads = 2 : i64} : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}
func.func @decoder(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  %y = sxf.decoder_layer %x ln1(%v, %v) attn(%m, %v, %m, %v, %m, %v, %m, %v) ln2(%v, %v) ffn(%w1, %b1, %w2, %v) activation relu {heads = 4 : i64, epsilon = 1.0e-6 : f32} : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}
