
// Tests that transpose flags are honoured when checking the result.
func.func @negative_matmul_transposed_result(%a: tensor<3x4xf32>, %b: tensor<5x4xf32>) {
  // expected-error @+1 {{result shape 3x4 does not match the expected 3x5}}
  %y = sxf.matmul %a, %b {transpose_rhs} : (tensor<3x4xf32>, tensor<5x4xf32>) -> tensor<3x4xf32>
  return
}

