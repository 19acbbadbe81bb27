
// Tests that linear needs a matrix weight.
func.func @negative_linear_weight_rank(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<4xf32>
  // expected-error @+1 {{weight must be rank 2 [out, in], got shape 4}}
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

