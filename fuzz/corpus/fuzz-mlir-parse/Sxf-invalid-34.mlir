
// Tests that the keep mask has one entry per head.
func.func @negative_attention_keep_heads(%q: tensor<1x4x64xf32>) {
  // expected-error @+1 {{keep_heads has 3 entries but there are 4 heads}}
  %a = sxf.attention %q, %q, %q {heads = 4 : i64, head_dim = 16 : i64, keep_heads = array<i1: true, true, false>} : (tensor<1x4x64xf32>, tensor<1x4x64xf32>, tensor<1x4x64xf32>) -> tensor<1x4x64xf32>
  return
}

