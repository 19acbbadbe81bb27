
// Tests that split results keep the leading dimensions.
func.func @negative_split_shape(%x: tensor<2x10xf32>) {
  // expected-error @+1 {{result shape 3x5 differs from the input 2x10 outside the last dimension}}
  %a, %b = sxf.split %x : tensor<2x10xf32> -> tensor<3x5xf32>, tensor<2x5xf32>
  return
}
