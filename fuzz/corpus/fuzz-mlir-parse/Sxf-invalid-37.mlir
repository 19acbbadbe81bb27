
// Tests that heads must be positive.
func.func @negative_attention_zero_heads(%q: tensor<1x4x64xf32>) {
  // expected-error @+1 {{attribute 'heads' failed to satisfy constraint}}
  %a = sxf.attention %q, %q, %q {heads = 0 : i64, head_dim = 16 : i64} : (tensor<1x4x64xf32>, tensor<1x4x64xf32>, tensor<1x4x64xf32>) -> tensor<1x4x64xf32>
  return
}

