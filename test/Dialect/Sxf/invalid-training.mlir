// RUN: sparse-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule of the gradient and loss ops (SxfOps.td,
// "Training: gradients and loss").

// Tests that linear_grad_input needs a dy of rank >= 1.
func.func @negative_lgi_dy_rank(%dy: tensor<f32>) {
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 16>} : tensor<3072x768xf32>
  // expected-error @+1 {{dy must have rank >= 1}}
  %dx = sxf.linear_grad_input %dy, %w : (tensor<f32>, tensor<3072x768xf32>) -> tensor<768xf32>
  return
}

// -----

// Tests that linear_grad_input needs a matrix weight.
func.func @negative_lgi_w_rank(%dy: tensor<2x7x768xf32>, %w: tensor<768xf32>) {
  // expected-error @+1 {{w must be rank 2 [out, in], got shape 768}}
  %dx = sxf.linear_grad_input %dy, %w : (tensor<2x7x768xf32>, tensor<768xf32>) -> tensor<2x7x768xf32>
  return
}

// -----

// Tests that linear_grad_input checks dy against the weight's out-features.
func.func @negative_lgi_out(%dy: tensor<2x7x768xf32>) {
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 16>} : tensor<3072x768xf32>
  // expected-error @+1 {{dy last dimension 768 does not match the weight's out-features 3072 (weight 3072x768)}}
  %dx = sxf.linear_grad_input %dy, %w : (tensor<2x7x768xf32>, tensor<3072x768xf32>) -> tensor<2x7x768xf32>
  return
}

// -----

// Tests that linear_grad_input checks its result shape.
func.func @negative_lgi_result(%dy: tensor<2x7x3072xf32>) {
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 16>} : tensor<3072x768xf32>
  // expected-error @+1 {{result shape 2x7x3072 does not match the expected 2x7x768}}
  %dx = sxf.linear_grad_input %dy, %w : (tensor<2x7x3072xf32>, tensor<3072x768xf32>) -> tensor<2x7x3072xf32>
  return
}

// -----

// Tests that linear_grad_weight checks dy against the weight's out-features.
func.func @negative_lgw_out(%dy: tensor<2x7x768xf32>, %x: tensor<2x7x768xf32>) {
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 16>} : tensor<3072x768xf32>
  // expected-error @+1 {{dy last dimension 768 does not match the weight's out-features 3072}}
  %dw = sxf.linear_grad_weight %dy, %x, %w : (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<3072x768xf32>) -> tensor<3072x768xf32>
  return
}

// -----

// Tests that linear_grad_weight needs x and dy of the same rank.
func.func @negative_lgw_rank(%dy: tensor<2x7x3072xf32>, %x: tensor<14x768xf32>) {
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 16>} : tensor<3072x768xf32>
  // expected-error @+1 {{x shape 14x768 and dy shape 2x7x3072 differ in rank}}
  %dw = sxf.linear_grad_weight %dy, %x, %w : (tensor<2x7x3072xf32>, tensor<14x768xf32>, tensor<3072x768xf32>) -> tensor<3072x768xf32>
  return
}

// -----

// Tests that linear_grad_weight needs x and dy with the same leading dimensions.
func.func @negative_lgw_rows(%dy: tensor<2x7x3072xf32>, %x: tensor<2x8x768xf32>) {
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 16>} : tensor<3072x768xf32>
  // expected-error @+1 {{x shape 2x8x768 and dy shape 2x7x3072 differ outside the last dimension}}
  %dw = sxf.linear_grad_weight %dy, %x, %w : (tensor<2x7x3072xf32>, tensor<2x8x768xf32>, tensor<3072x768xf32>) -> tensor<3072x768xf32>
  return
}

// -----

// Tests that linear_grad_weight checks x against the weight's in-features.
func.func @negative_lgw_in(%dy: tensor<2x7x3072xf32>, %x: tensor<2x7x1024xf32>) {
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 16>} : tensor<3072x768xf32>
  // expected-error @+1 {{x last dimension 1024 does not match the weight's in-features 768 (weight 3072x768)}}
  %dw = sxf.linear_grad_weight %dy, %x, %w : (tensor<2x7x3072xf32>, tensor<2x7x1024xf32>, tensor<3072x768xf32>) -> tensor<3072x768xf32>
  return
}

// -----

// Tests that linear_grad_weight's result has exactly the weight's type.
func.func @negative_lgw_type(%dy: tensor<2x7x3072xf32>, %x: tensor<2x7x768xf32>) {
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 16>} : tensor<3072x768xf32>
  // expected-error @+1 {{result type 'tensor<3072x768xf16>' differs from the weight type 'tensor<3072x768xf32>'}}
  %dw = sxf.linear_grad_weight %dy, %x, %w : (tensor<2x7x3072xf32>, tensor<2x7x768xf32>, tensor<3072x768xf32>) -> tensor<3072x768xf16>
  return
}

// -----

// Tests that linear_grad_weight's result keeps the weight type's encoding.
func.func @negative_lgw_encoding(%dy: tensor<2x7x4xf32>, %x: tensor<2x7x4xf32>, %w: tensor<4x4xf32, "enc">) {
  // expected-error @+1 {{result type 'tensor<4x4xf32>' differs from the weight type 'tensor<4x4xf32, "enc">'}}
  %dw = sxf.linear_grad_weight %dy, %x, %w : (tensor<2x7x4xf32>, tensor<2x7x4xf32>, tensor<4x4xf32, "enc">) -> tensor<4x4xf32>
  return
}

// -----

// Tests that reduce_sum cannot add dimensions.
func.func @negative_rs_rank(%x: tensor<7x768xf32>) {
  // expected-error @+1 {{result shape 2x7x768 has higher rank than the input shape 7x768}}
  %s = sxf.reduce_sum %x : tensor<7x768xf32> -> tensor<2x7x768xf32>
  return
}

// -----

// Tests that reduce_sum sums leading dimensions only.
func.func @negative_rs_suffix(%x: tensor<2x7x768xf32>) {
  // expected-error @+1 {{result shape 2x7 is not a suffix of the input shape 2x7x768}}
  %s = sxf.reduce_sum %x : tensor<2x7x768xf32> -> tensor<2x7xf32>
  return
}

// -----

// Tests that reduce_sum keeps the element type.
func.func @negative_rs_elem(%x: tensor<2x7x768xf32>) {
  // expected-error @+1 {{result element type 'f16' differs from the input element type 'f32'}}
  %s = sxf.reduce_sum %x : tensor<2x7x768xf32> -> tensor<768xf16>
  return
}

// -----

// Tests that activation_grad refuses kind none.
func.func @negative_ag_none(%x: tensor<2x7x3072xf32>) {
  // expected-error @+1 {{activation kind 'none' is not allowed here}}
  %d = sxf.activation_grad none %x, %x : tensor<2x7x3072xf32>
  return
}

// -----

// Tests that activation_grad's operands and result have one type.
func.func @negative_ag_types(%x: tensor<2x7x3072xf32>, %dy: tensor<2x7x768xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %d = "sxf.activation_grad"(%x, %dy) {kind = 2 : i32} : (tensor<2x7x3072xf32>, tensor<2x7x768xf32>) -> tensor<2x7x3072xf32>
  return
}

// -----

// Tests that softmax_grad checks its axis.
func.func @negative_sg_axis(%p: tensor<2x12x7x7xf32>) {
  // expected-error @+1 {{axis 4 is out of range for rank 4}}
  %d = sxf.softmax_grad %p, %p {axis = 4} : tensor<2x12x7x7xf32>
  return
}

// -----

// Tests that layer_norm_grad needs an x of rank >= 1.
func.func @negative_lng_rank(%x: tensor<f32>, %g: tensor<1xf32>) {
  // expected-error @+1 {{x must have rank >= 1}}
  %dx, %dg, %db = sxf.layer_norm_grad %x, %g, %x : (tensor<f32>, tensor<1xf32>, tensor<f32>) -> (tensor<f32>, tensor<1xf32>, tensor<1xf32>)
  return
}

// -----

// Tests that layer_norm_grad checks gamma.
func.func @negative_lng_gamma(%x: tensor<2x7x768xf32>, %g: tensor<1024xf32>) {
  // expected-error @+1 {{gamma has 1024 elements but the normalised (last) dimension is 768}}
  %dx, %dg, %db = sxf.layer_norm_grad %x, %g, %x : (tensor<2x7x768xf32>, tensor<1024xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<1024xf32>, tensor<1024xf32>)
  return
}

// -----

// Tests that layer_norm_grad needs dy of x's shape.
func.func @negative_lng_dy(%x: tensor<2x7x768xf32>, %dy: tensor<2x8x768xf32>) {
  %g = sxf.weight "g" : tensor<768xf32>
  // expected-error @+1 {{dy shape 2x8x768 differs from the x shape 2x7x768}}
  %dx, %dg, %db = sxf.layer_norm_grad %x, %g, %dy : (tensor<2x7x768xf32>, tensor<768xf32>, tensor<2x8x768xf32>) -> (tensor<2x7x768xf32>, tensor<768xf32>, tensor<768xf32>)
  return
}

// -----

// Tests that layer_norm_grad checks epsilon.
func.func @negative_lng_eps(%x: tensor<2x7x768xf32>) {
  %g = sxf.weight "g" : tensor<768xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got 0.000000e+00}}
  %dx, %dg, %db = sxf.layer_norm_grad %x, %g, %x {epsilon = 0.0 : f32} : (tensor<2x7x768xf32>, tensor<768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<768xf32>, tensor<768xf32>)
  return
}

// -----

// Tests that layer_norm_grad checks dx.
func.func @negative_lng_dx(%x: tensor<2x7x768xf32>) {
  %g = sxf.weight "g" : tensor<768xf32>
  // expected-error @+1 {{dx shape 14x768 does not match the expected 2x7x768}}
  %dx, %dg, %db = sxf.layer_norm_grad %x, %g, %x : (tensor<2x7x768xf32>, tensor<768xf32>, tensor<2x7x768xf32>) -> (tensor<14x768xf32>, tensor<768xf32>, tensor<768xf32>)
  return
}

// -----

// Tests that layer_norm_grad checks dbeta.
func.func @negative_lng_dbeta(%x: tensor<2x7x768xf32>) {
  %g = sxf.weight "g" : tensor<768xf32>
  // expected-error @+1 {{dbeta shape 7x768 does not match the expected 768}}
  %dx, %dg, %db = sxf.layer_norm_grad %x, %g, %x : (tensor<2x7x768xf32>, tensor<768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<768xf32>, tensor<7x768xf32>)
  return
}

// -----

// Tests that rms_norm_grad checks gamma.
func.func @negative_rng_gamma(%x: tensor<2x7x768xf32>, %g: tensor<2x768xf32>) {
  // expected-error @+1 {{gamma must be rank 1, got tensor of shape 2x768}}
  %dx, %dg = sxf.rms_norm_grad %x, %g, %x : (tensor<2x7x768xf32>, tensor<2x768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<2x768xf32>)
  return
}

// -----

// Tests that rms_norm_grad checks dgamma.
func.func @negative_rng_dgamma(%x: tensor<2x7x768xf32>) {
  %g = sxf.weight "g" : tensor<768xf32>
  // expected-error @+1 {{dgamma shape 384 does not match the expected 768}}
  %dx, %dg = sxf.rms_norm_grad %x, %g, %x : (tensor<2x7x768xf32>, tensor<768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<384xf32>)
  return
}

// -----

// Tests that attention_grad checks heads x head_dim like attention.
func.func @negative_atg_heads(%q: tensor<2x7x768xf32>) {
  // expected-error @+1 {{heads (12) x head_dim (32) = 384 does not match the hidden size 768}}
  %dq, %dk, %dv = sxf.attention_grad %q, %q, %q, %q {heads = 12 : i64, head_dim = 32 : i64} : (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>)
  return
}

// -----

// Tests that attention_grad checks keep_heads like attention.
func.func @negative_atg_keep(%q: tensor<2x7x768xf32>) {
  // expected-error @+1 {{keep_heads has 2 entries but there are 12 heads}}
  %dq, %dk, %dv = sxf.attention_grad %q, %q, %q, %q {heads = 12 : i64, head_dim = 64 : i64, keep_heads = array<i1: true, false>} : (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>)
  return
}

// -----

// Tests that attention_grad checks key against value like attention.
func.func @negative_atg_kv(%q: tensor<2x7x768xf32>, %k: tensor<2x9x768xf32>) {
  // expected-error @+1 {{key shape 2x9x768 differs from value shape 2x7x768}}
  %dq, %dk, %dv = sxf.attention_grad %q, %k, %q, %q {heads = 12 : i64, head_dim = 64 : i64} : (tensor<2x7x768xf32>, tensor<2x9x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<2x9x768xf32>, tensor<2x7x768xf32>)
  return
}

// -----

// Tests that attention_grad needs positive heads.
func.func @negative_atg_zero(%q: tensor<2x7x768xf32>) {
  // expected-error @+1 {{attribute 'heads' failed to satisfy constraint}}
  %dq, %dk, %dv = sxf.attention_grad %q, %q, %q, %q {heads = 0 : i64, head_dim = 64 : i64} : (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>) -> (tensor<2x7x768xf32>, tensor<2x7x768xf32>, tensor<2x7x768xf32>)
  return
}

// -----

// Tests that attention_grad needs dy of the attention result's shape.
func.func @negative_atg_dy(%q: tensor<1x1x768xf32>, %k: tensor<1x9x768xf32>) {
  // expected-error @+1 {{dy shape 1x9x768 differs from the attention result shape 1x1x768}}
  %dq, %dk, %dv = sxf.attention_grad %q, %k, %k, %k {heads = 12 : i64, head_dim = 64 : i64, causal} : (tensor<1x1x768xf32>, tensor<1x9x768xf32>, tensor<1x9x768xf32>, tensor<1x9x768xf32>) -> (tensor<1x1x768xf32>, tensor<1x9x768xf32>, tensor<1x9x768xf32>)
  return
}

// -----

// Tests that attention_grad's dk has key's shape.
func.func @negative_atg_dk(%q: tensor<1x1x768xf32>, %k: tensor<1x9x768xf32>) {
  // expected-error @+1 {{dk shape 1x1x768 does not match the expected 1x9x768}}
  %dq, %dk, %dv = sxf.attention_grad %q, %k, %k, %q {heads = 12 : i64, head_dim = 64 : i64, causal} : (tensor<1x1x768xf32>, tensor<1x9x768xf32>, tensor<1x9x768xf32>, tensor<1x1x768xf32>) -> (tensor<1x1x768xf32>, tensor<1x1x768xf32>, tensor<1x9x768xf32>)
  return
}

// -----

// Tests that embedding_grad needs ids of rank >= 1.
func.func @negative_eg_ids_rank(%ids: tensor<i64>, %dy: tensor<768xf32>) {
  // expected-error @+1 {{ids must have rank >= 1}}
  %d = sxf.embedding_grad %ids, %dy : (tensor<i64>, tensor<768xf32>) -> tensor<1000x768xf32>
  return
}

// -----

// Tests that embedding_grad needs dy with one dimension more than ids.
func.func @negative_eg_dy_rank(%ids: tensor<2x7xi64>, %dy: tensor<14x768xf32>) {
  // expected-error @+1 {{dy shape 14x768 must have one dimension more than the ids shape 2x7}}
  %d = sxf.embedding_grad %ids, %dy : (tensor<2x7xi64>, tensor<14x768xf32>) -> tensor<1000x768xf32>
  return
}

// -----

// Tests that embedding_grad needs dy over the ids' positions.
func.func @negative_eg_extent(%ids: tensor<2x7xi64>, %dy: tensor<2x8x768xf32>) {
  // expected-error @+1 {{dy shape 2x8x768 does not extend the ids shape 2x7}}
  %d = sxf.embedding_grad %ids, %dy : (tensor<2x7xi64>, tensor<2x8x768xf32>) -> tensor<1000x768xf32>
  return
}

// -----

// Tests that embedding_grad's result is a table.
func.func @negative_eg_result_rank(%ids: tensor<2x7xi64>, %dy: tensor<2x7x768xf32>) {
  // expected-error @+1 {{result must be rank 2 [vocab, hidden], got 768}}
  %d = sxf.embedding_grad %ids, %dy : (tensor<2x7xi64>, tensor<2x7x768xf32>) -> tensor<768xf32>
  return
}

// -----

// Tests that embedding_grad needs a static vocabulary.
func.func @negative_eg_vocab(%ids: tensor<2x7xi64>, %dy: tensor<2x7x768xf32>) {
  // expected-error @+1 {{result vocabulary size must be static, got ?x768}}
  %d = sxf.embedding_grad %ids, %dy : (tensor<2x7xi64>, tensor<2x7x768xf32>) -> tensor<?x768xf32>
  return
}

// -----

// Tests that embedding_grad's result rows are dy's hidden size.
func.func @negative_eg_hidden(%ids: tensor<2x7xi64>, %dy: tensor<2x7x768xf32>) {
  // expected-error @+1 {{result shape 1000x1024 must be [vocab, 768]}}
  %d = sxf.embedding_grad %ids, %dy : (tensor<2x7xi64>, tensor<2x7x768xf32>) -> tensor<1000x1024xf32>
  return
}

// -----

// Tests that embedding_grad needs integer ids.
func.func @negative_eg_float_ids(%ids: tensor<2x7xf32>, %dy: tensor<2x7x768xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %d = sxf.embedding_grad %ids, %dy : (tensor<2x7xf32>, tensor<2x7x768xf32>) -> tensor<1000x768xf32>
  return
}

// -----

// Tests that position_grad refuses a negative offset.
func.func @negative_pg_negative(%dy: tensor<2x7x768xf32>) {
  // expected-error @+1 {{position_offset must not be negative, got -1}}
  %d = sxf.position_grad %dy {position_offset = -1 : i64} : tensor<2x7x768xf32> -> tensor<1024x768xf32>
  return
}

// -----

// Tests that position_grad needs dy of rank >= 2.
func.func @negative_pg_rank(%dy: tensor<768xf32>) {
  // expected-error @+1 {{dy must have rank >= 2 [..., seq, hidden], got 768}}
  %d = sxf.position_grad %dy : tensor<768xf32> -> tensor<1024x768xf32>
  return
}

// -----

// Tests that position_grad's result is a table of dy's hidden size.
func.func @negative_pg_result(%dy: tensor<2x7x768xf32>) {
  // expected-error @+1 {{result shape 1024x512 must be [max_seq, 768]}}
  %d = sxf.position_grad %dy : tensor<2x7x768xf32> -> tensor<1024x512xf32>
  return
}

// -----

// Tests that position_grad needs offset + seq rows.
func.func @negative_pg_rows(%dy: tensor<2x7x768xf32>) {
  // expected-error @+1 {{result has 1024 rows but position_offset 1020 + sequence length 7 = 1027 are needed}}
  %d = sxf.position_grad %dy {position_offset = 1020 : i64} : tensor<2x7x768xf32> -> tensor<1024x768xf32>
  return
}

// -----

// Tests that concat needs an input.
func.func @negative_cc_empty() {
  // expected-error @+1 {{needs at least one input}}
  %c = sxf.concat : () -> tensor<2x7x768xf32>
  return
}

// -----

// Tests that concat needs inputs of rank >= 1.
func.func @negative_cc_scalar(%a: tensor<f32>) {
  // expected-error @+1 {{inputs must have rank >= 1}}
  %c = sxf.concat %a, %a : (tensor<f32>, tensor<f32>) -> tensor<2xf32>
  return
}

// -----

// Tests that concat needs inputs of one rank.
func.func @negative_cc_rank(%a: tensor<2x7x768xf32>, %b: tensor<14x768xf32>) {
  // expected-error @+1 {{input shape 14x768 differs in rank from the first input shape 2x7x768}}
  %c = sxf.concat %a, %b : (tensor<2x7x768xf32>, tensor<14x768xf32>) -> tensor<2x7x1536xf32>
  return
}

// -----

// Tests that concat needs equal leading dimensions.
func.func @negative_cc_leading(%a: tensor<2x7x768xf32>, %b: tensor<2x8x768xf32>) {
  // expected-error @+1 {{input shape 2x8x768 differs from the first input shape 2x7x768 outside the last dimension}}
  %c = sxf.concat %a, %b : (tensor<2x7x768xf32>, tensor<2x8x768xf32>) -> tensor<2x7x1536xf32>
  return
}

// -----

// Tests that concat's last dimension is the sum of its inputs'.
func.func @negative_cc_sum(%a: tensor<2x7x768xf32>, %b: tensor<2x7x64xf32>) {
  // expected-error @+1 {{result shape 2x7x1536 does not match the expected 2x7x832}}
  %c = sxf.concat %a, %b : (tensor<2x7x768xf32>, tensor<2x7x64xf32>) -> tensor<2x7x1536xf32>
  return
}

// -----

// Tests that cross_entropy needs logits of rank >= 1.
func.func @negative_ce_rank(%l: tensor<f32>, %t: tensor<i64>) {
  // expected-error @+1 {{logits must have rank >= 1}}
  %loss = sxf.cross_entropy %l, %t : (tensor<f32>, tensor<i64>) -> tensor<f32>
  return
}

// -----

// Tests that cross_entropy needs a target per position.
func.func @negative_ce_targets(%l: tensor<2x7x1000xf32>, %t: tensor<2x7x1000xi64>) {
  // expected-error @+1 {{targets shape 2x7x1000 is not the logits shape 2x7x1000 without its last dimension}}
  %loss = sxf.cross_entropy %l, %t : (tensor<2x7x1000xf32>, tensor<2x7x1000xi64>) -> tensor<f32>
  return
}

// -----

// Tests that cross_entropy's targets match the positions' extents.
func.func @negative_ce_extent(%l: tensor<2x7x1000xf32>, %t: tensor<2x8xi64>) {
  // expected-error @+1 {{targets shape 2x8 is not the logits shape 2x7x1000 without its last dimension}}
  %loss = sxf.cross_entropy %l, %t : (tensor<2x7x1000xf32>, tensor<2x8xi64>) -> tensor<f32>
  return
}

// -----

// Tests that cross_entropy's loss is a scalar.
func.func @negative_ce_scalar(%l: tensor<2x7x1000xf32>, %t: tensor<2x7xi64>) {
  // expected-error @+1 {{result shape 2x7 does not match the expected scalar}}
  %loss = sxf.cross_entropy %l, %t : (tensor<2x7x1000xf32>, tensor<2x7xi64>) -> tensor<2x7xf32>
  return
}

// -----

// Tests that cross_entropy needs integer targets.
func.func @negative_ce_float(%l: tensor<2x7x1000xf32>, %t: tensor<2x7xf32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %loss = sxf.cross_entropy %l, %t : (tensor<2x7x1000xf32>, tensor<2x7xf32>) -> tensor<f32>
  return
}

// -----

// Tests that cross_entropy_grad needs a target per position.
func.func @negative_ceg_targets(%l: tensor<2x7x1000xf32>, %t: tensor<14xi64>) {
  // expected-error @+1 {{targets shape 14 is not the logits shape 2x7x1000 without its last dimension}}
  %d = sxf.cross_entropy_grad %l, %t : (tensor<2x7x1000xf32>, tensor<14xi64>) -> tensor<2x7x1000xf32>
  return
}

// -----

// Tests that cross_entropy_grad's result has the logits' shape.
func.func @negative_ceg_result(%l: tensor<2x7x1000xf32>, %t: tensor<2x7xi64>) {
  // expected-error @+1 {{result shape 2x7x999 does not match the expected 2x7x1000}}
  %d = sxf.cross_entropy_grad %l, %t : (tensor<2x7x1000xf32>, tensor<2x7xi64>) -> tensor<2x7x999xf32>
  return
}
