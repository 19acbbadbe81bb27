
// Tests that add only broadcasts a suffix.
func.func @negative_add_broadcast(%a: tensor<2x3x4xf32>, %b: tensor<3x5xf32>) {
  // expected-error @+1 {{rhs shape 3x5 is neither equal to nor a suffix of lhs shape 2x3x4}}
  %y = sxf.add %a, %b : (tensor<2x3x4xf32>, tensor<3x5xf32>) -> tensor<2x3x4xf32>
  return
}

