// Tests that every stage that cannot run the gradient and loss ops yet
// (the C++ and linalg lowerings; sxf-tile tiles them: test/Tile/training-step.test)
// refuses each of them with a located error naming it (issue 16), and that
// sxf-cost-report prices them (CostOpInterface).
// RUN: not sparse-opt %s --split-input-file --sxf-lower-to-emitc="weights=%t.safetensors" -o /dev/null 2>&1 | FileCheck %s --check-prefix=EMITC
// RUN: not sparse-opt %s --split-input-file --sxf-to-linalg -o /dev/null 2>&1 | FileCheck %s --check-prefix=LINALG
// RUN: sparse-opt %s --split-input-file --sxf-cost-report -o /dev/null | FileCheck %s --check-prefix=COST

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.linear_grad_input': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.linear_grad_input': training ops are not lowered to linalg yet (issue 16)
// 2 · 6 rows · 96 entries:
// COST: total 1 1152{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<2x3x8xf32> {
  %w = sxf.weight "w" : tensor<12x8xf32>
  %r = sxf.linear_grad_input %dh, %w : (tensor<2x3x12xf32>, tensor<12x8xf32>) -> tensor<2x3x8xf32>
  return %r : tensor<2x3x8xf32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.linear_grad_weight': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.linear_grad_weight': training ops are not lowered to linalg yet (issue 16)
// 2 · 6 rows · 96 stored entries:
// COST: total 1 1152{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<12x8xf32> {
  %w = sxf.weight "w" : tensor<12x8xf32>
  %r = sxf.linear_grad_weight %dh, %x, %w : (tensor<2x3x12xf32>, tensor<2x3x8xf32>, tensor<12x8xf32>) -> tensor<12x8xf32>
  return %r : tensor<12x8xf32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.reduce_sum': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.reduce_sum': training ops are not lowered to linalg yet (issue 16)
// one add per input element:
// COST: total 1 48{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<8xf32> {
  %r = sxf.reduce_sum %x : tensor<2x3x8xf32> -> tensor<8xf32>
  return %r : tensor<8xf32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.activation_grad': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.activation_grad': training ops are not lowered to linalg yet (issue 16)
// 9 per element:
// COST: total 1 432{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<2x3x8xf32> {
  %r = sxf.activation_grad gelu %x, %x : tensor<2x3x8xf32>
  return %r : tensor<2x3x8xf32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.softmax_grad': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.softmax_grad': training ops are not lowered to linalg yet (issue 16)
// 4 per element:
// COST: total 1 192{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<2x3x8xf32> {
  %r = sxf.softmax_grad %x, %x : tensor<2x3x8xf32>
  return %r : tensor<2x3x8xf32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.layer_norm_grad': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.layer_norm_grad': training ops are not lowered to linalg yet (issue 16)
// 16 per element:
// COST: total 1 768{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<2x3x8xf32> {
  %g = sxf.weight "g" : tensor<8xf32>
  %r, %dg, %db = sxf.layer_norm_grad %x, %g, %x : (tensor<2x3x8xf32>, tensor<8xf32>, tensor<2x3x8xf32>) -> (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>)
  return %r : tensor<2x3x8xf32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.rms_norm_grad': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.rms_norm_grad': training ops are not lowered to linalg yet (issue 16)
// 16 per element:
// COST: total 1 768{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<2x3x8xf32> {
  %g = sxf.weight "g" : tensor<8xf32>
  %r, %dg = sxf.rms_norm_grad %x, %g, %x : (tensor<2x3x8xf32>, tensor<8xf32>, tensor<2x3x8xf32>) -> (tensor<2x3x8xf32>, tensor<8xf32>)
  return %r : tensor<2x3x8xf32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.attention_grad': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.attention_grad': training ops are not lowered to linalg yet (issue 16)
// 36 scores · (10 · 4 + 5 + 4):
// COST: total 1 1764{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<2x3x8xf32> {
  %r, %dk, %dv = sxf.attention_grad %x, %x, %x, %x {heads = 2 : i64, head_dim = 4 : i64, causal} : (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>) -> (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<2x3x8xf32>)
  return %r : tensor<2x3x8xf32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.embedding_grad': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.embedding_grad': training ops are not lowered to linalg yet (issue 16)
// one add per element of dy:
// COST: total 1 48{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<10x8xf32> {
  %r = sxf.embedding_grad %ids, %x : (tensor<2x3xi64>, tensor<2x3x8xf32>) -> tensor<10x8xf32>
  return %r : tensor<10x8xf32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.position_grad': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.position_grad': training ops are not lowered to linalg yet (issue 16)
// one add per element of dy:
// COST: total 1 48{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<16x8xf32> {
  %r = sxf.position_grad %x : tensor<2x3x8xf32> -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.concat': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.concat': training ops are not lowered to linalg yet (issue 16)
// a copy:
// COST: total 1 0{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<2x3x16xf32> {
  %r = sxf.concat %x, %x : (tensor<2x3x8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x16xf32>
  return %r : tensor<2x3x16xf32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.cross_entropy': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.cross_entropy': training ops are not lowered to linalg yet (issue 16)
// 6 per logit:
// COST: total 1 432{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<f32> {
  %r = sxf.cross_entropy %dh, %ids : (tensor<2x3x12xf32>, tensor<2x3xi64>) -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// EMITC: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-lower-to-emitc: 'sxf.cross_entropy_grad': training ops are not lowered to C++ yet (issue 16)
// LINALG: :{{[0-9]+}}:{{[0-9]+}}: error: sxf-to-linalg: 'sxf.cross_entropy_grad': training ops are not lowered to linalg yet (issue 16)
// 6 per logit:
// COST: total 1 432{{ }}
func.func @forward(%x: tensor<2x3x8xf32>, %dh: tensor<2x3x12xf32>, %ids: tensor<2x3xi64>) -> tensor<2x3x12xf32> {
  %r = sxf.cross_entropy_grad %dh, %ids : (tensor<2x3x12xf32>, tensor<2x3xi64>) -> tensor<2x3x12xf32>
  return %r : tensor<2x3x12xf32>
}
