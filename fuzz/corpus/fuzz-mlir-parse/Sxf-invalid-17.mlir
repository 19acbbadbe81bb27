
// Tests that a weight name cannot leave a folder or split a spec.
func.func @negative_weight_name_path() {
  // expected-error @+1 {{weight name '../w' starts with '.'}}
  %w = sxf.weight "../w" : tensor<4x4xf32>
  return
}

