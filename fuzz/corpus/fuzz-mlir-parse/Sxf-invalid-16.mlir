
// Tests that a weight must have a name.
func.func @negative_empty_name() {
  // expected-error @+1 {{weight name '' is empty}}
  %w = sxf.weight "" : tensor<4x4xf32>
  return
}

