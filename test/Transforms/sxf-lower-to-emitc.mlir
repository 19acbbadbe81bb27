// RUN: sparse-opt %s --split-input-file -verify-diagnostics --sxf-lower-to-emitc="weights=%t.safetensors" | FileCheck %s
// RUN: sparse-opt %s --split-input-file -verify-diagnostics --sxf-lower-to-emitc="weights=%t.embed.safetensors embed=true" | FileCheck %s --check-prefix=EMBED

// IR tests of sxf-lower-to-emitc: the entry becomes `sxf_forward`, one
// emitc.call_opaque of the CPU runtime per op with the op's attributes as
// arguments, activations at offsets of one workspace, and a `main` that
// hands the runtime a spec of the inputs, outputs, workspace and weights.
// That the C++ compiles and computes the interpreter's numbers is
// test/Codegen/emitc.test; errors are in test/Tile/tile-errors.mlir (shared
// with sxf-tile) and test/Codegen/emitc.test.

// Every op kind: embedding with positions, layer norm, a fused QKV linear
// with bias, split, causal attention with head 1 switched off, softmax,
// RMS norm, activation, add, and an LM head tied to the embedding (gelu).
// CHECK-LABEL: emitc.func @sxf_forward
// CHECK-SAME: (%[[M:.*]]: !emitc.ptr<!emitc.opaque<"const sxf_rt::Model">>, %[[IN:.*]]: !emitc.ptr<!emitc.opaque<"void *const">>, %[[OUT:.*]]: !emitc.ptr<!emitc.opaque<"void *const">>, %[[WS:.*]]: !emitc.ptr<f32>, %[[DIMS:.*]]: !emitc.ptr<!emitc.opaque<"const int64_t">>) attributes {specifiers = ["extern \22C\22"]}
// CHECK: %[[IDS:.*]] = call_opaque "sxf_rt::inputIds"(%[[IN]]) {args = [0 : index, 0]}
// CHECK: call_opaque "sxf_rt::embedding"(%[[M]], %[[IDS]], {{.*}}) {args = [0 : index, #emitc.opaque<"\22emb\22">, #emitc.opaque<"\22pos\22">,
// CHECK: call_opaque "sxf_rt::layerNorm"(%[[M]], {{.*}}) {args = [0 : index, #emitc.opaque<"\22ln.g\22">, #emitc.opaque<"\22ln.b\22">, 1 : index, 2 : index, 8, 3 : index, 9.99999974E-6 : f32]}
// CHECK: call_opaque "sxf_rt::linear"(%[[M]], {{.*}}) {args = [0 : index, #emitc.opaque<"\22qkv.weight\22">, 1 : index, 2 : index, 3 : index, #emitc.opaque<"\22qkv.bias\22">, 0, #emitc.opaque<"nullptr">, #emitc.opaque<"nullptr">, #emitc.opaque<"nullptr">,
// CHECK: call_opaque "sxf_rt::split"({{.*}}) {args = [0 : index, 1 : index, 2 : index, 24, 0, 8, 3 : index]}
// CHECK: call_opaque "sxf_rt::split"({{.*}}) {args = [0 : index, 1 : index, 2 : index, 24, 8, 8, 3 : index]}
// CHECK: call_opaque "sxf_rt::split"({{.*}}) {args = [0 : index, 1 : index, 2 : index, 24, 16, 8, 3 : index]}
// CHECK: call_opaque "sxf_rt::attention"({{.*}}) {args = [0 : index, 1 : index, 2 : index, 3 : index, 4 : index, 5 : index, 6 : index, 2, 4, 1, #emitc.opaque<"\2210\22">, 7 : index]}
// CHECK: call_opaque "sxf_rt::softmax"
// CHECK: call_opaque "sxf_rt::rmsNorm"(%[[M]], {{.*}}) {args = [0 : index, #emitc.opaque<"\22ln.g\22">, 1 : index, 2 : index, 8, 3 : index, 9.99999997E-7 : f32]}
// CHECK: call_opaque "sxf_rt::activation"({{.*}}) {args = [0 : index, 1 : index, 2 : index, 4, 3 : index]}
// CHECK: call_opaque "sxf_rt::add"
// CHECK: call_opaque "sxf_rt::linear"(%[[M]], {{.*}}) {args = [0 : index, #emitc.opaque<"\22emb\22">, 1 : index, 2 : index, 3 : index, #emitc.opaque<"nullptr">, 2,
// CHECK: %[[Y:.*]] = call_opaque "sxf_rt::outputF32"(%[[OUT]]) {args = [0 : index, 0]}
// CHECK: call_opaque "sxf_rt::copy"(%{{.*}}, %{{.*}}, %[[Y]])
// CHECK-NEXT: return
// CHECK-NOT: sxf.
// CHECK-LABEL: emitc.func @main
// CHECK: call_opaque "sxf_rt::runMain"(%{{.*}}, %{{.*}}) {args = [0 : index, 1 : index, #emitc.opaque<"sxf_forward">, #emitc.opaque<"\22in input_ids ids *1x?4 16;out logits f32 @0.0x@0.1x16;workspace {{[0-9]+}} per @0.0x@0.1;weights {{.*}}.safetensors;\22">, #emitc.opaque<"nullptr">, 0]}
// EMBED-LABEL: emitc.func @sxf_forward
// EMBED: emitc.global static const @sxf_weights_blob : !emitc.array<[[N:[0-9]+]]xui8> = dense<"0x
// EMBED: call_opaque "sxf_rt::runMain"(%{{.*}}, %{{.*}}) {args = [0 : index, 1 : index, #emitc.opaque<"sxf_forward">, #emitc.opaque<"\22in input_ids ids *1x?4 16;out logits f32 @0.0x@0.1x16;workspace {{[0-9]+}} per @0.0x@0.1;\22">, #emitc.opaque<"sxf_weights_blob">, [[N]]]}
func.func @forward(%ids: tensor<1x4xi32> {sxf.name = "input_ids"}) -> (tensor<1x4x16xf32> {sxf.name = "logits"}) {
  %emb = sxf.weight "emb" {value = dense<1.0> : tensor<16x8xf32>} : tensor<16x8xf32>
  %pos = sxf.weight "pos" {value = dense<0.5> : tensor<4x8xf32>} : tensor<4x8xf32>
  %g = sxf.weight "ln.g" {value = dense<1.0> : tensor<8xf32>} : tensor<8xf32>
  %b = sxf.weight "ln.b" {value = dense<0.0> : tensor<8xf32>} : tensor<8xf32>
  %w = sxf.weight "qkv.weight" {format = #sxf.format<csr, value = f32, index = 8>, value = dense<1.0> : tensor<24x8xf32>} : tensor<24x8xf32>
  %wb = sxf.weight "qkv.bias" {value = dense<0.0> : tensor<24xf32>} : tensor<24xf32>
  %x = sxf.embedding %ids, %emb, %pos : (tensor<1x4xi32>, tensor<16x8xf32>, tensor<4x8xf32>) -> tensor<1x4x8xf32>
  %n = sxf.layer_norm %x, %g, %b : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %qkv = sxf.linear %n, %w, %wb : (tensor<1x4x8xf32>, tensor<24x8xf32>, tensor<24xf32>) -> tensor<1x4x24xf32>
  %q:3 = sxf.split %qkv : tensor<1x4x24xf32> -> tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>
  %a = sxf.attention %q#0, %q#1, %q#2 {heads = 2 : i64, head_dim = 4 : i64, causal, keep_heads = array<i1: true, false>} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  %s = sxf.softmax %a : tensor<1x4x8xf32>
  %r = sxf.rms_norm %s, %g : (tensor<1x4x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %act = sxf.activation silu %r : tensor<1x4x8xf32>
  %sum = sxf.add %act, %x : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  %y = sxf.linear %sum, %emb activation gelu : (tensor<1x4x8xf32>, tensor<16x8xf32>) -> tensor<1x4x16xf32>
  return %y : tensor<1x4x16xf32>
}

// -----

// A linear's residual and norm epilogues are arguments of the same call:
// residual pointer, gamma and beta names, epsilon. The runtime has no CSC
// kernel: the weight is stored as CSR, with a warning. Only the entry is
// lowered (entry = the only public function); other functions go.
// CHECK-LABEL: emitc.func @sxf_forward
// CHECK: %[[X:.*]] = call_opaque "sxf_rt::inputF32"
// CHECK: call_opaque "sxf_rt::linear"(%{{.*}}, %[[X]], %{{.*}}, %{{.*}}, %[[X]]) {args = [0 : index, #emitc.opaque<"\22w\22">, 1 : index, 2 : index, 3 : index, #emitc.opaque<"nullptr">, 1, 4 : index, #emitc.opaque<"\22g\22">, #emitc.opaque<"\22b\22">, 9.99999996E-13 : f32]}
// CHECK-NOT: @helper
// CHECK-LABEL: emitc.func @main
// CHECK: #emitc.opaque<"\22in arg0 f32 ?2x4;out result0 f32 @0.0x4;
func.func private @helper(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %y = sxf.activation relu %x : tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
func.func @mlp(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-warning @+1 {{sxf-lower-to-emitc: 'w' is csc, which the CPU runtime has no kernel for; stored as CSR}}
  %w = sxf.weight "w" {format = #sxf.format<csc, value = f32, index = 8>, value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %g = sxf.weight "g" {value = dense<1.0> : tensor<4xf32>} : tensor<4xf32>
  %b = sxf.weight "b" {value = dense<0.0> : tensor<4xf32>} : tensor<4xf32>
  %y = sxf.linear %x, %w residual(%x) norm(%g, %b) activation relu {norm_epsilon = 1.0e-12 : f32} : (tensor<2x4xf32>, tensor<4x4xf32>, tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
