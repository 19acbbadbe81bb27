
// Tests that indices too narrow for the largest stored index are rejected
// (csr stores column indices: 299 needs 16 bits).
func.func @negative_index_too_narrow() {
  // expected-error @+1 {{format #sxf.format<csr, value = f32, index = 8> cannot hold the 4x300 weight: 8-bit indices cannot hold column index 299 of the 4x300 matrix}}
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 8>} : tensor<4x300xf32>
  return
}

