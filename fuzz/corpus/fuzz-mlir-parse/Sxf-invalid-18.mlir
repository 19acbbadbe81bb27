
func.func @negative_weight_name_separator() {
  // expected-error @+1 {{weight name 'a;b' contains ';' at offset 1}}
  %w = sxf.weight "a;b" : tensor<4x4xf32>
  return
}

