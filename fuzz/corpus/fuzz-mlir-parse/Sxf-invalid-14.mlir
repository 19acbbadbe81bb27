
// Tests that an unsupported index width is rejected.
func.func @negative_index_width() {
  // expected-error @+1 {{index width 12 is not one of 8, 16, 32, 64}}
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 12>} : tensor<4x4xf32>
  return
}

