
// Tests that heads x head_dim must equal the hidden size.
func.func @negative_attention_heads(%q: tensor<1x4x64xf32>) {
  // expected-error @+1 {{heads (3) x head_dim (16) = 48 does not match the hidden size 64}}
  %a = sxf.attention %q, %q, %q {heads = 3 : i64, head_dim = 16 : i64} : (tensor<1x4x64xf32>, tensor<1x4x64xf32>, tensor<1x4x64xf32>) -> tensor<1x4x64xf32>
  return
}

