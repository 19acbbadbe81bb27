
// Tests that an unsupported value type is rejected.
func.func @negative_format_value_type() {
  // expected-error @+1 {{value type 'i8' is not supported (expected f32, f16 or bf16)}}
  %w = sxf.weight "w" {format = #sxf.format<csr, value = i8>} : tensor<4x4xf32>
  return
}

