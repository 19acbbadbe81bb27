
// Tests that matmul operands have equal rank.
func.func @negative_matmul_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x6xf32>) {
  // expected-error @+1 {{operand ranks differ: 2x3x4 and 4x6}}
  %y = sxf.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x6xf32>) -> tensor<2x3x6xf32>
  return
}

