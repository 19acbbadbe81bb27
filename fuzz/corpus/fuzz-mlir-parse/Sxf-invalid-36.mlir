
// Tests that attention needs rank-3 operands.
func.func @negative_attention_rank(%q: tensor<4x64xf32>) {
  // expected-error @+1 {{query must be rank 3 [batch, seq, hidden], got 4x64}}
  %a = sxf.attention %q, %q, %q {heads = 4 : i64, head_dim = 16 : i64} : (tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  return
}

