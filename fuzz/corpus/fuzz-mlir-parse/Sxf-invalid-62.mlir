
// Tests that split results cover the input.
func.func @negative_split_cover(%x: tensor<2x10xf32>) {
  // expected-error @+1 {{results cover 8 of the input's last dimension 10}}
  %a, %b = sxf.split %x : tensor<2x10xf32> -> tensor<2x4xf32>, tensor<2x4xf32>
  return
}

