// RUN: sparse-opt %s --split-input-file -verify-each --sxf-pipeline="target=cpu-host" | FileCheck %s
// RUN: sparse-opt %s --split-input-file -verify-each --sxf-pipeline="target=cpu-host method=magnitude sparsity=0.9" | FileCheck %s --check-prefix=MAG
// RUN: sparse-opt %s --split-input-file -verify-each --sxf-pipeline="target=rdu-sn10 method=nm n=2 m=4" | FileCheck %s --check-prefix=NM
// RUN: not sparse-opt %s --split-input-file --sxf-pipeline="sparsity=0.5" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR

// IR tests of sxf-pipeline (decompose, prune, eliminate-dead, select-format,
// fuse; docs/pipeline.md), with the verifier after every pass: what each
// stage leaves in the IR of a composite decoder layer, of an MLP with dead
// neurons and of a metadata-only model, without pruning (CHECK), with 90%
// magnitude pruning on the CPU (MAG) and with 2:4 on the RDU (NM). Each
// pass has its own IR test beside this one; numbers through the whole chain
// are checked in test/Integration and test/Codegen/emitc.test.

// ERR: error: sxf-pipeline: pruning options were given but method=none; name a method (magnitude, block, nm, wanda, sparsegpt)

// A GPT-2 decoder layer: decomposed; Q/K/V (same input, same dense format,
// values inline) merged into one linear plus split; residual adds folded
// into the output projection and fc2; the pre-norm layer norms stay (their
// input is the residual stream, used twice); every weight has a format and
// every linear weight a cost.
// CHECK-LABEL: func.func @decoder
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8xf32>)
// CHECK-NOT: sxf.decoder_layer
// CHECK-DAG: %[[WO:.*]] = sxf.weight "o.weight" {format = #sxf.format<dense, value = f32>, sxf.cost = {{{.*}}target = "cpu-host"}, value = dense<5.000000e-01> : tensor<8x8xf32>}
// CHECK-DAG: %[[W1:.*]] = sxf.weight "fc1.weight" {format = #sxf.format<dense, value = f32>, sxf.cost =
// CHECK-DAG: %[[W2:.*]] = sxf.weight "fc2.weight" {format = #sxf.format<dense, value = f32>, sxf.cost =
// CHECK-DAG: sxf.weight "ln.g" {format = #sxf.format<dense, value = f32>, value = dense<1.000000e+00> : tensor<8xf32>}
// CHECK: %[[N1:.*]] = sxf.layer_norm %[[X]]
// CHECK: %[[WQKV:.*]] = sxf.weight "q.weight+k.weight+v.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<{{.*}}> : tensor<24x8xf32>} : tensor<24x8xf32>
// CHECK: %[[BQKV:.*]] = sxf.weight "q.bias+k.bias+v.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<{{.*}}> : tensor<24xf32>} : tensor<24xf32>
// CHECK: %[[QKV:.*]] = sxf.linear %[[N1]], %[[WQKV]], %[[BQKV]] : (tensor<1x3x8xf32>, tensor<24x8xf32>, tensor<24xf32>) -> tensor<1x3x24xf32>
// CHECK: %[[S:.*]]:3 = sxf.split %[[QKV]]
// CHECK: %[[A:.*]] = sxf.attention %[[S]]#0, %[[S]]#1, %[[S]]#2 {causal, head_dim = 4 : i64, heads = 2 : i64}
// CHECK: %[[H:.*]] = sxf.linear %[[A]], %[[WO]], %{{.*}} residual(%[[X]]) :
// CHECK: %[[N2:.*]] = sxf.layer_norm %[[H]]
// CHECK: %[[F:.*]] = sxf.linear %[[N2]], %[[W1]], %{{.*}} activation gelu_tanh : (tensor<1x3x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<1x3x16xf32>
// CHECK: %[[Y:.*]] = sxf.linear %[[F]], %[[W2]], %{{.*}} residual(%[[H]]) :
// CHECK-NOT: sxf.add
// CHECK: return %[[Y]]
//
// 90% magnitude on equal values: pruned weights get CSR (the merged QKV
// keeps it), biases stay dense; the FFN neurons whose fc2 column pruning
// emptied are gone (16 -> 13).
// MAG-LABEL: func.func @decoder
// MAG: sxf.weight "o.weight" {format = #sxf.format<csr, value = f32, index = 8>, sparsity = #sxf.sparsity<unstructured, density = 0.09375>, sxf.cost =
// MAG: sxf.weight "q.weight+k.weight+v.weight" {format = #sxf.format<csr, value = f32, index = 8>, value = dense_resource<{{.*}}> : tensor<24x8xf32>}
// MAG: sxf.weight "q.bias+k.bias+v.bias" {format = #sxf.format<dense, value = f32>
// MAG: sxf.weight "fc1.weight" {format = #sxf.format<csr, value = f32, index = 8>, sxf.cost = {{{.*}}}, value = dense_resource<{{.*}}> : tensor<13x8xf32>} : tensor<13x8xf32>
// MAG: sxf.weight "fc2.weight" {format = #sxf.format<csr, value = f32, index = 8>, sxf.cost = {{{.*}}}, value = dense_resource<{{.*}}> : tensor<8x13xf32>} : tensor<8x13xf32>
// MAG: sxf.linear {{.*}} activation gelu_tanh : (tensor<1x3x8xf32>, tensor<13x8xf32>, tensor<13xf32>) -> tensor<1x3x13xf32>
// MAG: sxf.linear {{.*}} residual(
//
// 2:4 on equal values keeps the last two of every group of four: fc2 loses
// the same 8 columns in every row, so 8 FFN neurons die and the shrunk fc2
// is dense again; the others are N:M on the RDU, QKV merged as N:M.
// NM-LABEL: func.func @decoder
// NM: sxf.weight "o.weight" {format = #sxf.format<nm[2, 4], value = f32, index = 2>, sparsity = #sxf.sparsity<nm[2, 4]>, sxf.cost = {{{.*}}target = "rdu-sn10"}
// NM: sxf.weight "q.weight+k.weight+v.weight" {format = #sxf.format<nm[2, 4], value = f32, index = 2>, value = dense_resource<{{.*}}> : tensor<24x8xf32>}
// NM: sxf.weight "fc1.weight" {format = #sxf.format<nm[2, 4], value = f32, index = 2>, sxf.cost = {{{.*}}}, value = dense_resource<{{.*}}> : tensor<8x8xf32>} : tensor<8x8xf32>
// NM: sxf.weight "fc2.weight" {format = #sxf.format<dense, value = f32>, sxf.cost = {{{.*}}}, value = dense_resource<{{.*}}> : tensor<8x8xf32>} : tensor<8x8xf32>
func.func @decoder(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %g = sxf.weight "ln.g" {value = dense<1.0> : tensor<8xf32>} : tensor<8xf32>
  %b = sxf.weight "ln.b" {value = dense<0.0> : tensor<8xf32>} : tensor<8xf32>
  %wq = sxf.weight "q.weight" {value = dense<0.5> : tensor<8x8xf32>} : tensor<8x8xf32>
  %bq = sxf.weight "q.bias" {value = dense<0.1> : tensor<8xf32>} : tensor<8xf32>
  %wk = sxf.weight "k.weight" {value = dense<0.5> : tensor<8x8xf32>} : tensor<8x8xf32>
  %bk = sxf.weight "k.bias" {value = dense<0.1> : tensor<8xf32>} : tensor<8xf32>
  %wv = sxf.weight "v.weight" {value = dense<0.5> : tensor<8x8xf32>} : tensor<8x8xf32>
  %bv = sxf.weight "v.bias" {value = dense<0.1> : tensor<8xf32>} : tensor<8xf32>
  %wo = sxf.weight "o.weight" {value = dense<0.5> : tensor<8x8xf32>} : tensor<8x8xf32>
  %bo = sxf.weight "o.bias" {value = dense<0.1> : tensor<8xf32>} : tensor<8xf32>
  %g2 = sxf.weight "ln2.g" {value = dense<1.0> : tensor<8xf32>} : tensor<8xf32>
  %b2 = sxf.weight "ln2.b" {value = dense<0.0> : tensor<8xf32>} : tensor<8xf32>
  %w1 = sxf.weight "fc1.weight" {value = dense<0.5> : tensor<16x8xf32>} : tensor<16x8xf32>
  %b1 = sxf.weight "fc1.bias" {value = dense<0.1> : tensor<16xf32>} : tensor<16xf32>
  %w2 = sxf.weight "fc2.weight" {value = dense<0.5> : tensor<8x16xf32>} : tensor<8x16xf32>
  %b2f = sxf.weight "fc2.bias" {value = dense<0.1> : tensor<8xf32>} : tensor<8xf32>
  %y = sxf.decoder_layer %x ln1(%g, %b) attn(%wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo) ln2(%g2, %b2) ffn(%w1, %b1, %w2, %b2f) {heads = 2 : i64} : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

// -----

// Neurons 1 and 3 of this MLP are already dead (zero fc1 rows, no bias):
// the pipeline removes them even without pruning, then folds the relu into
// fc1 and the residual add into fc2.
// CHECK-LABEL: func.func @dead_neurons
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x4xf32>)
// CHECK: %[[W1:.*]] = sxf.weight "fc1.weight" {format = #sxf.format<dense, value = f32>, sxf.cost = {{{.*}}}, value = dense_resource<{{.*}}> : tensor<2x4xf32>} : tensor<2x4xf32>
// CHECK: %[[W2:.*]] = sxf.weight "fc2.weight" {format = #sxf.format<dense, value = f32>, sxf.cost = {{{.*}}}, value = dense_resource<{{.*}}> : tensor<4x2xf32>} : tensor<4x2xf32>
// CHECK: %[[H:.*]] = sxf.linear %[[X]], %[[W1]] activation relu : (tensor<1x3x4xf32>, tensor<2x4xf32>) -> tensor<1x3x2xf32>
// CHECK: %[[Y:.*]] = sxf.linear %[[H]], %[[W2]] residual(%[[X]]) : (tensor<1x3x2xf32>, tensor<4x2xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
// CHECK-NEXT: return %[[Y]]
// With 2:4 (ties keep the later entries) fc2 keeps columns 2 and 3 only,
// so neuron 2 is the one left alive.
// NM-LABEL: func.func @dead_neurons
// NM: sxf.weight "fc1.weight" {{.*}} : tensor<1x4xf32>
// NM: sxf.weight "fc2.weight" {{.*}} : tensor<4x1xf32>
// NM-DAG: fc1.weight{{.*}}: "0x0400000000008040000040400000000000000000"
func.func @dead_neurons(%x: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  %w1 = sxf.weight "fc1.weight" {value = dense<[[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0], [4.0, 3.0, 2.0, 1.0], [0.0, 0.0, 0.0, 0.0]]> : tensor<4x4xf32>} : tensor<4x4xf32>
  %w2 = sxf.weight "fc2.weight" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %h = sxf.linear %x, %w1 : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %a = sxf.activation relu %h : tensor<1x3x4xf32>
  %y = sxf.linear %a, %w2 : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %r = sxf.add %x, %y : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  return %r : tensor<1x3x4xf32>
}

// -----

// A metadata-only model is planned from its #sxf.sparsity alone: pruning
// records statistics, formats follow them (CSR with 16-bit indices for 768
// or 512 columns at 10%; N:M on the RDU), the output head is not pruned,
// and only epilogues fuse (no values to merge).
// CHECK-LABEL: func.func @metadata_plan
// CHECK: sxf.weight "fc1.weight" {format = #sxf.format<dense, value = f32>, sxf.cost = {{{.*}}}} : tensor<512x768xf32>
// CHECK: sxf.linear %{{.*}}, %{{.*}}, %{{.*}} activation gelu :
// CHECK: sxf.linear %{{.*}}, %{{.*}} residual(%{{.*}}) :
// MAG-LABEL: func.func @metadata_plan
// MAG: sxf.weight "fc1.weight" {format = #sxf.format<csr, value = f32, index = 16>, sparsity = #sxf.sparsity<unstructured, density = 0.1>, sxf.cost = {{{.*}}}} : tensor<512x768xf32>
// MAG: sxf.weight "fc1.bias" {format = #sxf.format<dense, value = f32>} : tensor<512xf32>
// MAG: sxf.weight "fc2.weight" {format = #sxf.format<csr, value = f32, index = 16>, sparsity = #sxf.sparsity<unstructured, density = 0.1>, sxf.cost = {{{.*}}}} : tensor<768x512xf32>
// MAG: sxf.weight "head.weight" {format = #sxf.format<dense, value = f32>, sxf.cost = {{{.*}}}} : tensor<1000x768xf32>
// MAG-NOT: dense_resource
// NM-LABEL: func.func @metadata_plan
// NM: sxf.weight "fc1.weight" {format = #sxf.format<nm[2, 4], value = f32, index = 2>, sparsity = #sxf.sparsity<nm[2, 4]>,
// NM: sxf.weight "fc2.weight" {format = #sxf.format<nm[2, 4], value = f32, index = 2>, sparsity = #sxf.sparsity<nm[2, 4]>,
// NM: sxf.weight "head.weight" {format = #sxf.format<dense, value = f32>,
func.func @metadata_plan(%x: tensor<1x16x768xf32>) -> tensor<1x16x1000xf32> {
  %w1 = sxf.weight "fc1.weight" : tensor<512x768xf32>
  %b1 = sxf.weight "fc1.bias" : tensor<512xf32>
  %w2 = sxf.weight "fc2.weight" : tensor<768x512xf32>
  %head = sxf.weight "head.weight" : tensor<1000x768xf32>
  %h = sxf.linear %x, %w1, %b1 : (tensor<1x16x768xf32>, tensor<512x768xf32>, tensor<512xf32>) -> tensor<1x16x512xf32>
  %a = sxf.activation gelu %h : tensor<1x16x512xf32>
  %y = sxf.linear %a, %w2 : (tensor<1x16x512xf32>, tensor<768x512xf32>) -> tensor<1x16x768xf32>
  %r = sxf.add %y, %x : (tensor<1x16x768xf32>, tensor<1x16x768xf32>) -> tensor<1x16x768xf32>
  %l = sxf.linear %r, %head : (tensor<1x16x768xf32>, tensor<1000x768xf32>) -> tensor<1x16x1000xf32>
  return %l : tensor<1x16x1000xf32>
}
