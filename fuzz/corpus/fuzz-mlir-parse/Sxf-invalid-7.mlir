
// Tests that a bsr block must divide the weight.
func.func @negative_bsr_not_dividing() {
  // expected-error @+1 {{cannot hold the 8x32 weight: block shape 16x16 does not divide the 8x32 matrix}}
  %w = sxf.weight "w" {format = #sxf.format<bsr[16, 16]>} : tensor<8x32xf32>
  return
}

