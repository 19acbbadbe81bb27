
// Tests that coo stores both: the larger dimension decides.
func.func @negative_coo_index_too_narrow() {
  // expected-error @+1 {{8-bit indices cannot hold row/column index 508 of the 509x128 matrix}}
  %w = sxf.weight "w" {format = #sxf.format<coo, index = 8>} : tensor<509x128xf32>
  return
}

