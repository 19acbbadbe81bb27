
// Tests that the activation op needs a real activation.
func.func @negative_activation_none(%a: tensor<4xf32>) {
  // expected-error @+1 {{activation kind 'none' is not allowed here}}
  %y = sxf.activation none %a : tensor<4xf32>
  return
}

