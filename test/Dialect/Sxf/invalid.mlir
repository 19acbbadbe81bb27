// RUN: sparse-opt %s -split-input-file -verify-diagnostics

// Tests that a density outside [0, 1] is rejected.
func.func @negative_density() {
  // expected-error @+1 {{density 1.5 is outside [0, 1]}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<unstructured, density = 1.5>} : tensor<4x4xf32>
  return
}

// -----

// Tests that N > M is rejected.
func.func @negative_n_greater_than_m() {
  // expected-error @+1 {{N:M pattern 4:2 has N > M}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<nm[4, 2]>} : tensor<4x4xf32>
  return
}

// -----

// Tests that an N:M density above N/M is rejected.
func.func @negative_nm_density() {
  // expected-error @+1 {{density 0.75 exceeds 2/4 allowed by the N:M pattern}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<nm[2, 4], density = 0.75>} : tensor<4x4xf32>
  return
}

// -----

// Tests that a zero block is rejected.
func.func @negative_zero_block() {
  // expected-error @+1 {{block shape 0x4 must be positive}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<block[0, 4], density = 0.5>} : tensor<4x4xf32>
  return
}

// -----

// Tests that a block that does not divide the weight is rejected.
func.func @negative_block_not_dividing() {
  // expected-error @+1 {{block 4x4 does not divide the weight shape 6x8}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<block[4, 4], density = 0.5>} : tensor<6x8xf32>
  return
}

// -----

// Tests that M must divide the input features.
func.func @negative_m_not_dividing() {
  // expected-error @+1 {{M = 4 of the 2:4 pattern does not divide the 6 input features}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<nm[2, 4]>} : tensor<8x6xf32>
  return
}

// -----

// Tests that structured sparsity needs a matrix.
func.func @negative_nm_on_vector() {
  // expected-error @+1 {{N:M sparsity needs a 2-D weight, got shape 8}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<nm[2, 4]>} : tensor<8xf32>
  return
}

// -----

// Tests that a bsr block must divide the weight.
func.func @negative_bsr_not_dividing() {
  // expected-error @+1 {{cannot hold the 8x32 weight: block shape 16x16 does not divide the 8x32 matrix}}
  %w = sxf.weight "w" {format = #sxf.format<bsr[16, 16]>} : tensor<8x32xf32>
  return
}

// -----

// Tests that an nm format's M must divide the input features.
func.func @negative_nm_format_not_dividing() {
  // expected-error @+1 {{cannot hold the 4x12 weight: group size M = 8 does not divide the 12 columns}}
  %w = sxf.weight "w" {format = #sxf.format<nm[4, 8]>} : tensor<4x12xf32>
  return
}

// -----

// Tests that indices too narrow for the largest stored index are rejected
// (csr stores column indices: 299 needs 16 bits).
func.func @negative_index_too_narrow() {
  // expected-error @+1 {{format #sxf.format<csr, value = f32, index = 8> cannot hold the 4x300 weight: 8-bit indices cannot hold column index 299 of the 4x300 matrix}}
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 8>} : tensor<4x300xf32>
  return
}

// -----

// Tests that csc stores row indices: 300 rows need 16 bits.
func.func @negative_csc_index_too_narrow() {
  // expected-error @+1 {{8-bit indices cannot hold row index 299 of the 300x4 matrix}}
  %w = sxf.weight "w" {format = #sxf.format<csc, index = 8>} : tensor<300x4xf32>
  return
}

// -----

// Tests that coo stores both: the larger dimension decides.
func.func @negative_coo_index_too_narrow() {
  // expected-error @+1 {{8-bit indices cannot hold row/column index 508 of the 509x128 matrix}}
  %w = sxf.weight "w" {format = #sxf.format<coo, index = 8>} : tensor<509x128xf32>
  return
}

// -----

// Tests that bsr stores block-column indices: 4112 columns of 16-wide blocks
// are 257 block columns, one more than 8 bits index.
func.func @negative_bsr_index_too_narrow() {
  // expected-error @+1 {{8-bit indices cannot hold block column index 256 of the 16x4112 matrix}}
  %w = sxf.weight "w" {format = #sxf.format<bsr[16, 16], index = 8>} : tensor<16x4112xf32>
  return
}

// -----

// Tests that an unsupported value type is rejected.
func.func @negative_format_value_type() {
  // expected-error @+1 {{value type 'i8' is not supported (expected f32, f16 or bf16)}}
  %w = sxf.weight "w" {format = #sxf.format<csr, value = i8>} : tensor<4x4xf32>
  return
}

// -----

// Tests that an unsupported index width is rejected.
func.func @negative_index_width() {
  // expected-error @+1 {{index width 12 is not one of 8, 16, 32, 64}}
  %w = sxf.weight "w" {format = #sxf.format<csr, index = 12>} : tensor<4x4xf32>
  return
}

// -----

// Tests that an nm format needs indices wide enough for its group.
func.func @negative_nm_index_width() {
  // expected-error @+1 {{2-bit indices cannot hold in-group index 7 of a group of 8}}
  %w = sxf.weight "w" {format = #sxf.format<nm[4, 8], index = 2>} : tensor<4x8xf32>
  return
}

// -----

// Tests that a weight must have a name.
func.func @negative_empty_name() {
  // expected-error @+1 {{weight name '' is empty}}
  %w = sxf.weight "" : tensor<4x4xf32>
  return
}

// -----

// Tests that a weight name cannot leave a folder or split a spec.
func.func @negative_weight_name_path() {
  // expected-error @+1 {{weight name '../w' starts with '.'}}
  %w = sxf.weight "../w" : tensor<4x4xf32>
  return
}

// -----

func.func @negative_weight_name_separator() {
  // expected-error @+1 {{weight name 'a;b' contains ';' at offset 1}}
  %w = sxf.weight "a;b" : tensor<4x4xf32>
  return
}

// -----

// Tests that the sxf.name of an entry argument follows the name rule.
// expected-error @+1 {{'sxf.name' of argument 0 'input ids' contains ' ' at offset 5}}
func.func @negative_arg_name(%x: tensor<1x4xf32> {sxf.name = "input ids"}) {
  return
}

// -----

// Tests that the sxf.name of a result follows the name rule.
// expected-error @+1 {{'sxf.name' of result 0 '../x' starts with '.'}}
func.func @negative_result_name(%x: tensor<1x4xf32>) -> (tensor<1x4xf32> {sxf.name = "../x"}) {
  return %x : tensor<1x4xf32>
}

// -----

// Tests that sxf.name must be a string.
// expected-error @+1 {{'sxf.name' of argument 0 must be a string, got 3 : i64}}
func.func @negative_arg_name_type(%x: tensor<1x4xf32> {sxf.name = 3}) {
  return
}

// -----

// Tests that other sxf argument attributes are refused.
// expected-error @+1 {{unknown sxf argument attribute 'sxf.nmae'}}
func.func @negative_arg_attr(%x: tensor<1x4xf32> {sxf.nmae = "x"}) {
  return
}

// -----

// Tests that a weight shape must be static.
func.func @negative_dynamic_weight() {
  // expected-error @+1 {{weight shape must be static, got ?x4}}
  %w = sxf.weight "w" : tensor<?x4xf32>
  return
}

// -----

// Tests that an inline value must match the weight type.
func.func @negative_inline_value_type() {
  // expected-error @+1 {{inline value of type 'tensor<2xf32>' does not match the weight type 'tensor<3xf32>'}}
  %w = sxf.weight "w" {value = dense<1.0> : tensor<2xf32>} : tensor<3xf32>
  return
}

// -----

// Tests that linear checks in-features.
func.func @negative_linear_in_features(%x: tensor<2x5xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  // expected-error @+1 {{input last dimension 5 does not match the weight's in-features 4 (weight 3x4)}}
  %y = sxf.linear %x, %w : (tensor<2x5xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that linear checks the bias length.
func.func @negative_linear_bias(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %b = sxf.weight "b" : tensor<4xf32>
  // expected-error @+1 {{bias has 4 elements but the weight's out-features is 3}}
  %y = sxf.linear %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that linear checks its result shape.
func.func @negative_linear_result(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  // expected-error @+1 {{result shape 2x4 does not match the expected 2x3}}
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that linear needs a matrix weight.
func.func @negative_linear_weight_rank(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<4xf32>
  // expected-error @+1 {{weight must be rank 2 [out, in], got shape 4}}
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that matmul checks the contraction dimension.
func.func @negative_matmul_contraction(%a: tensor<2x3x4xf32>, %b: tensor<2x5x6xf32>) {
  // expected-error @+1 {{contraction dimensions differ: 4 vs 5 (2x3x4 x 2x5x6)}}
  %y = sxf.matmul %a, %b : (tensor<2x3x4xf32>, tensor<2x5x6xf32>) -> tensor<2x3x6xf32>
  return
}

// -----

// Tests that matmul checks batch dimensions.
func.func @negative_matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x6xf32>) {
  // expected-error @+1 {{batch dimension 0 differs: 2x3x4 vs 3x4x6}}
  %y = sxf.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x6xf32>) -> tensor<2x3x6xf32>
  return
}

// -----

// Tests that matmul operands have equal rank.
func.func @negative_matmul_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x6xf32>) {
  // expected-error @+1 {{operand ranks differ: 2x3x4 and 4x6}}
  %y = sxf.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x6xf32>) -> tensor<2x3x6xf32>
  return
}

// -----

// Tests that transpose flags are honoured when checking the result.
func.func @negative_matmul_transposed_result(%a: tensor<3x4xf32>, %b: tensor<5x4xf32>) {
  // expected-error @+1 {{result shape 3x4 does not match the expected 3x5}}
  %y = sxf.matmul %a, %b {transpose_rhs} : (tensor<3x4xf32>, tensor<5x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Tests that heads x head_dim must equal the hidden size.
func.func @negative_attention_heads(%q: tensor<1x4x64xf32>) {
  // expected-error @+1 {{heads (3) x head_dim (16) = 48 does not match the hidden size 64}}
  %a = sxf.attention %q, %q, %q {heads = 3 : i64, head_dim = 16 : i64} : (tensor<1x4x64xf32>, tensor<1x4x64xf32>, tensor<1x4x64xf32>) -> tensor<1x4x64xf32>
  return
}

// -----

// Tests that the keep mask has one entry per head.
func.func @negative_attention_keep_heads(%q: tensor<1x4x64xf32>) {
  // expected-error @+1 {{keep_heads has 3 entries but there are 4 heads}}
  %a = sxf.attention %q, %q, %q {heads = 4 : i64, head_dim = 16 : i64, keep_heads = array<i1: true, true, false>} : (tensor<1x4x64xf32>, tensor<1x4x64xf32>, tensor<1x4x64xf32>) -> tensor<1x4x64xf32>
  return
}

// -----

// Tests that key and value must agree.
func.func @negative_attention_kv(%q: tensor<1x4x64xf32>, %v: tensor<1x5x64xf32>) {
  // expected-error @+1 {{key shape 1x4x64 differs from value shape 1x5x64}}
  %a = sxf.attention %q, %q, %v {heads = 4 : i64, head_dim = 16 : i64} : (tensor<1x4x64xf32>, tensor<1x4x64xf32>, tensor<1x5x64xf32>) -> tensor<1x4x64xf32>
  return
}

// -----

// Tests that attention needs rank-3 operands.
func.func @negative_attention_rank(%q: tensor<4x64xf32>) {
  // expected-error @+1 {{query must be rank 3 [batch, seq, hidden], got 4x64}}
  %a = sxf.attention %q, %q, %q {heads = 4 : i64, head_dim = 16 : i64} : (tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  return
}

// -----

// Tests that heads must be positive.
func.func @negative_attention_zero_heads(%q: tensor<1x4x64xf32>) {
  // expected-error @+1 {{attribute 'heads' failed to satisfy constraint}}
  %a = sxf.attention %q, %q, %q {heads = 0 : i64, head_dim = 16 : i64} : (tensor<1x4x64xf32>, tensor<1x4x64xf32>, tensor<1x4x64xf32>) -> tensor<1x4x64xf32>
  return
}

// -----

// Tests that the softmax axis is in range.
func.func @negative_softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %y = sxf.softmax %x {axis = 2} : tensor<2x3xf32>
  return
}

// -----

// Tests that layer norm checks gamma.
func.func @negative_layer_norm_gamma(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<4xf32>
  // expected-error @+1 {{gamma has 4 elements but the normalised (last) dimension is 8}}
  %y = sxf.layer_norm %x, %g, %g : (tensor<2x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Tests that a negative layer-norm epsilon is rejected.
func.func @negative_layer_norm_epsilon_negative(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<8xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got -1.000000e+00}}
  %y = sxf.layer_norm %x, %g, %g {epsilon = -1.0 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Tests that a NaN layer-norm epsilon is rejected.
func.func @negative_layer_norm_epsilon_nan(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<8xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got nan}}
  %y = sxf.layer_norm %x, %g, %g {epsilon = 0x7FC00000 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Tests that an infinite layer-norm epsilon is rejected.
func.func @negative_layer_norm_epsilon_inf(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<8xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got INF}}
  %y = sxf.layer_norm %x, %g, %g {epsilon = 0x7F800000 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Tests that a zero layer-norm epsilon is rejected.
func.func @negative_layer_norm_epsilon_zero(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<8xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got 0.000000e+00}}
  %y = sxf.layer_norm %x, %g, %g {epsilon = 0.0 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Tests that a NaN rms-norm epsilon is rejected.
func.func @negative_rms_norm_epsilon_nan(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<8xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got nan}}
  %y = sxf.rms_norm %x, %g {epsilon = 0x7FC00000 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Tests that a negative infinite rms-norm epsilon is rejected.
func.func @negative_rms_norm_epsilon_ninf(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<8xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got -INF}}
  %y = sxf.rms_norm %x, %g {epsilon = 0xFF800000 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Tests that an infinite fused-norm epsilon of a linear op is rejected.
func.func @negative_linear_norm_epsilon_inf(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %g = sxf.weight "g" : tensor<3xf32>
  // expected-error @+1 {{norm_epsilon must be finite and > 0, got INF}}
  %y = sxf.linear %x, %w norm(%g, %g) {norm_epsilon = 0x7F800000 : f32} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that a zero fused-norm epsilon of a linear op is rejected.
func.func @negative_linear_norm_epsilon_zero(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %g = sxf.weight "g" : tensor<3xf32>
  // expected-error @+1 {{norm_epsilon must be finite and > 0, got 0.000000e+00}}
  %y = sxf.linear %x, %w norm(%g, %g) {norm_epsilon = 0.0 : f32} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that an encoder layer rejects a NaN epsilon.
func.func @negative_encoder_layer_epsilon_nan(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got nan}}
  %y = sxf.encoder_layer %x attn(%m, %v, %m, %v, %m, %v, %m, %v) ln1(%v, %v) ffn(%w1, %b1, %w2, %v) ln2(%v, %v) {heads = 2 : i64, epsilon = 0x7FC00000 : f32} : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

// -----

// Tests that a decoder layer rejects an infinite epsilon.
func.func @negative_decoder_layer_epsilon_inf(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  // expected-error @+1 {{epsilon must be finite and > 0, got INF}}
  %y = sxf.decoder_layer %x ln1(%v, %v) attn(%m, %v, %m, %v, %m, %v, %m, %v) ln2(%v, %v) ffn(%w1, %b1, %w2, %v) {heads = 2 : i64, epsilon = 0x7F800000 : f32} : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

// -----

// Tests that rms norm checks gamma rank.
func.func @negative_rms_norm_gamma(%x: tensor<2x8xf32>) {
  %g = sxf.weight "g" : tensor<2x8xf32>
  // expected-error @+1 {{gamma must be rank 1, got tensor of shape 2x8}}
  %y = sxf.rms_norm %x, %g : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

// Tests that add only broadcasts a suffix.
func.func @negative_add_broadcast(%a: tensor<2x3x4xf32>, %b: tensor<3x5xf32>) {
  // expected-error @+1 {{rhs shape 3x5 is neither equal to nor a suffix of lhs shape 2x3x4}}
  %y = sxf.add %a, %b : (tensor<2x3x4xf32>, tensor<3x5xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

// Tests that the activation op needs a real activation.
func.func @negative_activation_none(%a: tensor<4xf32>) {
  // expected-error @+1 {{activation kind 'none' is not allowed here}}
  %y = sxf.activation none %a : tensor<4xf32>
  return
}

// -----

// Tests that the positions table must cover the sequence.
func.func @negative_embedding_positions(%ids: tensor<1x8xi32>) {
  %t = sxf.weight "t" : tensor<10x4xf32>
  %p = sxf.weight "p" : tensor<4x4xf32>
  // expected-error @+1 {{positions table has 4 rows but the sequence length is 8}}
  %e = sxf.embedding %ids, %t, %p : (tensor<1x8xi32>, tensor<10x4xf32>, tensor<4x4xf32>) -> tensor<1x8x4xf32>
  return
}

// -----

// Tests that the positions table must cover the offset and the sequence.
func.func @negative_embedding_offset_rows(%ids: tensor<1x2xi32>) {
  %t = sxf.weight "t" : tensor<10x4xf32>
  %p = sxf.weight "p" : tensor<8x4xf32>
  // expected-error @+1 {{positions table has 8 rows but position_offset 7 + sequence length 2 = 9 are needed}}
  %e = sxf.embedding %ids, %t, %p {position_offset = 7 : i64} : (tensor<1x2xi32>, tensor<10x4xf32>, tensor<8x4xf32>) -> tensor<1x2x4xf32>
  return
}

// -----

// Tests that a position offset is never negative.
func.func @negative_embedding_offset(%ids: tensor<1x2xi32>) {
  %t = sxf.weight "t" : tensor<10x4xf32>
  %p = sxf.weight "p" : tensor<8x4xf32>
  // expected-error @+1 {{position_offset must not be negative, got -1}}
  %e = sxf.embedding %ids, %t, %p {position_offset = -1 : i64} : (tensor<1x2xi32>, tensor<10x4xf32>, tensor<8x4xf32>) -> tensor<1x2x4xf32>
  return
}

// -----

// Tests that a position offset needs a positions table.
func.func @no_positions_for_offset(%ids: tensor<1x2xi32>) {
  %t = sxf.weight "t" : tensor<10x4xf32>
  // expected-error @+1 {{position_offset 3 needs a positions table}}
  %e = sxf.embedding %ids, %t {position_offset = 3 : i64} : (tensor<1x2xi32>, tensor<10x4xf32>) -> tensor<1x2x4xf32>
  return
}

// -----

// Tests that a KV cache is [batch, seq, features].
func.func @negative_kv_append_rank(%c: tensor<5x6xf32>, %u: tensor<1x1x6xf32>) {
  // expected-error @+1 {{cache must be rank 3 [batch, seq, features], got 5x6}}
  %k = sxf.kv_append %c, %u : (tensor<5x6xf32>, tensor<1x1x6xf32>) -> tensor<1x6x6xf32>
  return
}

// -----

// Tests that the new rows have the cache's batch and features.
func.func @negative_kv_append_features(%c: tensor<1x5x6xf32>, %u: tensor<1x1x4xf32>) {
  // expected-error @+1 {{cache shape 1x5x6 and update shape 1x1x4 differ in batch or features}}
  %k = sxf.kv_append %c, %u : (tensor<1x5x6xf32>, tensor<1x1x4xf32>) -> tensor<1x6x6xf32>
  return
}

// -----

// Tests that the cache and the new rows have one element type.
func.func @negative_kv_append_type(%c: tensor<1x5x6xf32>, %u: tensor<1x1x6xf16>) {
  // expected-error @+1 {{cache element type 'f32' differs from update element type 'f16'}}
  %k = sxf.kv_append %c, %u : (tensor<1x5x6xf32>, tensor<1x1x6xf16>) -> tensor<1x6x6xf32>
  return
}

// -----

// Tests that the result is [batch, P + N, features].
func.func @negative_kv_append_result(%c: tensor<1x5x6xf32>, %u: tensor<1x1x6xf32>) {
  // expected-error @+1 {{result shape 1x5x6 does not match the expected 1x6x6}}
  %k = sxf.kv_append %c, %u : (tensor<1x5x6xf32>, tensor<1x1x6xf32>) -> tensor<1x5x6xf32>
  return
}

// -----

// Tests that embedding ids must be integers.
func.func @negative_embedding_ids(%ids: tensor<1x8xf32>) {
  %t = sxf.weight "t" : tensor<10x4xf32>
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %e = sxf.embedding %ids, %t : (tensor<1x8xf32>, tensor<10x4xf32>) -> tensor<1x8x4xf32>
  return
}

// -----

// Tests that a composite layer checks that heads divide the hidden size.
func.func @negative_layer_heads(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  // expected-error @+1 {{3 heads do not divide the hidden size 8}}
  %y = sxf.encoder_layer %x attn(%m, %v, %m, %v, %m, %v, %m, %v) ln1(%v, %v) ffn(%w1, %b1, %w2, %v) ln2(%v, %v) {heads = 3 : i64} : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

// -----

// Tests that a composite layer checks the FFN shapes.
func.func @negative_layer_ffn(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x10xf32>
  // expected-error @+1 {{w2 has shape 8x10 but 8x12 is expected}}
  %y = sxf.decoder_layer %x ln1(%v, %v) attn(%m, %v, %m, %v, %m, %v, %m, %v) ln2(%v, %v) ffn(%w1, %b1, %w2, %v) {heads = 2 : i64} : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x10xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

// -----

// Tests that a composite layer checks the attention projections.
func.func @negative_layer_projection(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %bad = sxf.weight "bad" : tensor<8x4xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  // expected-error @+1 {{wk has shape 8x4 but 8x8 is expected}}
  %y = sxf.encoder_layer %x attn(%m, %v, %bad, %v, %m, %v, %m, %v) ln1(%v, %v) ffn(%w1, %b1, %w2, %v) ln2(%v, %v) {heads = 2 : i64} : (tensor<1x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

// -----

// Tests that a fused norm needs its epsilon.
func.func @negative_norm_without_epsilon(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %g = sxf.weight "g" : tensor<3xf32>
  // expected-error @+1 {{norm needs a norm_epsilon attribute}}
  %y = sxf.linear %x, %w norm(%g, %g) : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that norm_epsilon needs a norm.
func.func @negative_epsilon_without_norm(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  // expected-error @+1 {{norm_epsilon without norm(gamma, beta)}}
  %y = sxf.linear %x, %w {norm_epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that the fused norm's gamma matches the out-features.
func.func @negative_norm_gamma(%x: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %g = sxf.weight "g" : tensor<4xf32>
  // expected-error @+1 {{norm gamma has 4 elements but the out-features is 3}}
  %y = sxf.linear %x, %w norm(%g, %g) {norm_epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that a residual matches the result type.
func.func @negative_residual_type(%x: tensor<2x4xf32>, %r: tensor<2x4xf32>) {
  %w = sxf.weight "w" : tensor<3x4xf32>
  // expected-error @+1 {{residual type 'tensor<2x4xf32>' differs from the result type 'tensor<2x3xf32>'}}
  %y = sxf.linear %x, %w residual(%r) : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that split results cover the input.
func.func @negative_split_cover(%x: tensor<2x10xf32>) {
  // expected-error @+1 {{results cover 8 of the input's last dimension 10}}
  %a, %b = sxf.split %x : tensor<2x10xf32> -> tensor<2x4xf32>, tensor<2x4xf32>
  return
}

// -----

// Tests that split results keep the leading dimensions.
func.func @negative_split_shape(%x: tensor<2x10xf32>) {
  // expected-error @+1 {{result shape 3x5 differs from the input 2x10 outside the last dimension}}
  %a, %b = sxf.split %x : tensor<2x10xf32> -> tensor<3x5xf32>, tensor<2x5xf32>
  return
}
