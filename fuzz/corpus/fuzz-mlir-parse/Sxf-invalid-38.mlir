
// Tests that the softmax axis is in range.
func.func @negative_softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %y = sxf.softmax %x {axis = 2} : tensor<2x3xf32>
  return
}

