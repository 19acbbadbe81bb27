
// Tests that matmul checks batch dimensions.
func.func @negative_matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x6xf32>) {
  // expected-error @+1 {{batch dimension 0 differs: 2x3x4 vs 3x4x6}}
  %y = sxf.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x6xf32>) -> tensor<2x3x6xf32>
  return
}

