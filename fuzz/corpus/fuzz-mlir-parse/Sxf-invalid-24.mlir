
// Tests that an inline value must match the weight type.
func.func @negative_inline_value_type() {
  // expected-error @+1 {{inline value of type 'tensor<2xf32>' does not match the weight type 'tensor<3xf32>'}}
  %w = sxf.weight "w" {value = dense<1.0> : tensor<2xf32>} : tensor<3xf32>
  return
}

