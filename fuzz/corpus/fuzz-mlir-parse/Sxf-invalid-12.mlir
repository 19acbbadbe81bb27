
// Tests that bsr stores block-column indices: 4112 columns of 16-wide blocks
// are 257 block columns, one more than 8 bits index.
func.func @negative_bsr_index_too_narrow() {
  // expected-error @+1 {{8-bit indices cannot hold block column index 256 of the 16x4112 matrix}}
  %w = sxf.weight "w" {format = #sxf.format<bsr[16, 16], index = 8>} : tensor<16x4112xf32>
  return
}

