
// Tests that an nm format needs indices wide enough for its group.
func.func @negative_nm_index_width() {
  // expected-error @+1 {{2-bit indices cannot hold in-group index 7 of a group of 8}}
  %w = sxf.weight "w" {format = #sxf.format<nm[4, 8], index = 2>} : tensor<4x8xf32>
  return
}

