
// Tests that an nm format's M must divide the input features.
func.func @negative_nm_format_not_dividing() {
  // expected-error @+1 {{cannot hold the 4x12 weight: group size M = 8 does not divide the 12 columns}}
  %w = sxf.weight "w" {format = #sxf.format<nm[4, 8]>} : tensor<4x12xf32>
  return
}

