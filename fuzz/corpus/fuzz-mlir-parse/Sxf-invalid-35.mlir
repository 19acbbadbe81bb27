
// Tests that key and value must agree.
func.func @negative_attention_kv(%q: tensor<1x4x64xf32>, %v: tensor<1x5x64xf32>) {
  // expected-error @+1 {{key shape 1x4x64 differs from value shape 1x5x64}}
  %a = sxf.attention %q, %q, %v {heads = 4 : i64, head_dim = 16 : i64} : (tensor<1x4x64xf32>, tensor<1x4x64xf32>, tensor<1x5x64xf32>) -> tensor<1x4x64xf32>
  return
}

