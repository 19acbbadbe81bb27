
// Tests that csc stores row indices: 300 rows need 16 bits.
func.func @negative_csc_index_too_narrow() {
  // expected-error @+1 {{8-bit indices cannot hold row index 299 of the 300x4 matrix}}
  %w = sxf.weight "w" {format = #sxf.format<csc, index = 8>} : tensor<300x4xf32>
  return
}

