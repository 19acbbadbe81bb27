// RUN: sparse-opt %s --split-input-file --sxf-tile="target=%S/../Tile/Inputs/toy4.json" 2>/dev/null | FileCheck %s
// RUN: sparse-opt %s --split-input-file --sxf-tile="target=%S/../Tile/Inputs/toy4.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: sparse-opt %s --split-input-file --sxf-tile="target=%S/../Tile/Inputs/toy4-rdu.json" 2>/dev/null | FileCheck %s --check-prefix=RDU
// RUN: sparse-opt %s --split-input-file --sxf-tile="target=%S/../Tile/Inputs/toy4-rdu.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=RDUWARN
// RUN: not sparse-opt %s --split-input-file --sxf-tile="target=%S/../Tile/Inputs/toy4-rdu.json require-on-chip=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=RDUREQ

// IR tests of sxf-tile on two 4-unit toy targets (an IPU and an RDU, 128 KiB
// per unit): the sxft.program each kind of op becomes (partitions, buffers,
// steps, exchanges, computes), the ids tying sxf ops to their computes, and
// streaming when the model does not fit. Weights are metadata only except
// where their nonzeros steer the partition. Errors are in
// test/Tile/tile-errors.mlir, the simulator's view in test/Tile/*.test.

// A dense linear with bias, residual and relu: rows split over the 4 tiles,
// the input replicated to each, the matmul then the epilogue (bias,
// activation, residual) on the same tiles; the sxf op is tagged with the id
// its computes carry.
// CHECK-LABEL: sxft.program for @dense_linear attributes {kind = "ipu", sram_per_unit = 131072 : i64, target = "toy4", tokens = 8 : i64, units = 4 : i64}
// CHECK: sxft.partition @[[W:.*]] of "fc.weight" [64, 64] grid [4, 1] on 0 bytes 4096 nnz 1024 {format = #sxf.format<dense, value = f32>}
// CHECK: sxft.buffer @[[X:.*]] [8, 64] grid [1, 1] on 0 bytes 2048 {input = 0 : i64, replicas = 4 : i64}
// CHECK: sxft.buffer @[[Y:.*]] [8, 64] grid [1, 4] on 0 bytes 512 {output = 0 : i64}
// CHECK: sxft.partition @[[B:.*]] of "fc.bias" [1, 64] grid [1, 4]
// CHECK: sxft.step 0 attributes {layer = "fc"}
// CHECK-NEXT: sxft.compute "matmul" on 0 span 4 @[[W]] reads [@[[X]]] writes [@[[Y]]] flops 65536 {op = 0 : i64}
// CHECK-NEXT: sxft.exchange @[[X]] to @[[R:.*]] bytes 0
// CHECK-NEXT: sxft.compute "epilogue" on 0 span 4 reads [@[[Y]], @[[B]], @[[R]]] writes [@[[Y]]] flops {{[0-9]+}} {op = 0 : i64}
// CHECK-NOT: sxft.step
// CHECK-NOT: offchip
// RDU-LABEL: sxft.program for @dense_linear attributes {kind = "rdu", sram_per_unit = 131072 : i64, target = "toy4-rdu"
// RDU-NOT: section
func.func @dense_linear(%x: tensor<2x4x64xf32>) -> tensor<2x4x64xf32> {
  // CHECK: sxf.linear {{.*}} {sxft.op = 0 : i64}
  %w = sxf.weight "fc.weight" : tensor<64x64xf32>
  %b = sxf.weight "fc.bias" : tensor<64xf32>
  %y = sxf.linear %x, %w, %b residual(%x) activation relu : (tensor<2x4x64xf32>, tensor<64x64xf32>, tensor<64xf32>, tensor<2x4x64xf32>) -> tensor<2x4x64xf32>
  return %y : tensor<2x4x64xf32>
}

// -----

// An N:M weight cannot be cut inside a group of 4 inputs, so its rows are
// split, balancing the measured nonzeros (5, 5), not the rows; with no
// reduction to do, the model replicates it over 2 token parts.
// CHECK-LABEL: sxft.program for @nm_rows
// CHECK: sxft.partition @{{.*}} of "fc.weight" [8, 4] grid [2, 1] on 0 bytes {{[0-9]+}} nnz 5 {format = #sxf.format<nm[2, 4], value = f32, index = 8>, replicas = 2 : i64, row_cuts = array<i64: 0, 3, 8>}
// CHECK: sxft.buffer @{{.*}} [6, 8] grid [2, 2] on 0 bytes {{[0-9]+}} {col_cuts = array<i64: 0, 3, 8>, output = 0 : i64}
// CHECK: sxft.compute "matmul" on 0 span 4
// CHECK-NOT: "epilogue"
func.func @nm_rows(%x: tensor<6x4xf32>) -> tensor<6x8xf32> {
  %w = sxf.weight "fc.weight" {format = #sxf.format<nm[2, 4], value = f32, index = 8>, value = dense<[[1.0, 2.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [1.0, 2.0, 0.0, 0.0], [1.0, 2.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]> : tensor<8x4xf32>} : tensor<8x4xf32>
  %y = sxf.linear %x, %w : (tensor<6x4xf32>, tensor<8x4xf32>) -> tensor<6x8xf32>
  return %y : tensor<6x8xf32>
}

// -----

// Norms, softmax, activations, adds and splits run row by row where their
// operands are: one "rowwise" compute per op, one step each; the norm's
// parameters are replicated to every tile.
// CHECK-LABEL: sxft.program for @rowwise_ops
// CHECK: sxft.buffer @[[X:.*]] [8, 64] grid [4, 1] on 0 bytes 512 {input = 0 : i64}
// CHECK: sxft.partition @[[G:.*]] of "ln.g" [1, 64] grid [1, 1] on 0 bytes 256 nnz 64 {broadcast, format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
// CHECK: sxft.partition @[[BT:.*]] of "ln.b" [1, 64] grid [1, 1] on 0 bytes 256 nnz 64 {broadcast, format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
// CHECK: sxft.compute "rowwise" on 0 span 4 reads [@[[X]], @[[G]], @[[BT]]] writes [@[[N:.*]]] flops {{[0-9]+}} {op = 0 : i64}
// CHECK: sxft.compute "rowwise" on 0 span 4 reads [@[[N]]] writes [@[[S:.*]]] flops {{[0-9]+}} {op = 1 : i64}
// CHECK: sxft.compute "rowwise" on 0 span 4 reads [@[[S]]] writes [@[[A:.*]]] flops {{[0-9]+}} {op = 2 : i64}
// CHECK: sxft.compute "rowwise" on 0 span 4 reads [@[[A]], @[[X]]] writes [@[[R:.*]]] flops {{[0-9]+}} {op = 3 : i64}
// CHECK: sxft.compute "rowwise" on 0 span 4 reads [@[[R]]] writes [@[[P0:.*]], @[[P1:.*]]] flops 0 {op = 4 : i64}
// CHECK: sxft.compute "rowwise" on 0 span 4 reads [@[[P0]], @[[P1]]] writes [@{{.*}}] flops {{[0-9]+}} {op = 5 : i64}
// Six ops need six RDU units of their own: two pipeline sections, weights
// streamed, and the warning says why.
// RDU-LABEL: sxft.program for @rowwise_ops attributes {kind = "rdu"
// RDU: sxft.step {{[0-9]+}} attributes {layer = "ln", section = 1 : i64}
// RDUWARN: warning: sxf-tile: the model does not fit on-chip on toy4-rdu: its ops need 6 units of their own in one pipeline section, the target has 4; weights are streamed from off-chip memory in 2 sections
// RDUREQ: error: sxf-tile: the model does not fit on-chip on toy4-rdu: its 6 ops need 6 units of their own in one pipeline section, the target has 4 (without --sxf-require-on-chip, weights are streamed from off-chip memory)
func.func @rowwise_ops(%x: tensor<1x8x64xf32>) -> tensor<1x8x32xf32> {
  %g = sxf.weight "ln.g" : tensor<64xf32>
  %b = sxf.weight "ln.b" : tensor<64xf32>
  %n = sxf.layer_norm %x, %g, %b : (tensor<1x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
  %s = sxf.softmax %n : tensor<1x8x64xf32>
  %a = sxf.activation gelu %s : tensor<1x8x64xf32>
  %r = sxf.add %a, %x : (tensor<1x8x64xf32>, tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
  %p:2 = sxf.split %r : tensor<1x8x64xf32> -> tensor<1x8x32xf32>, tensor<1x8x32xf32>
  %q = sxf.add %p#0, %p#1 : (tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x32xf32>
  return %q : tensor<1x8x32xf32>
}

// -----

// Embedding, attention and an LM head tied to the embedding table: the
// table has one partition, which the gather and the head's matmul share;
// the head's output features are split over the input features (partial
// sums, reduced into the output); attention runs on batches x heads. On the
// RDU each op has a unit of its own, except that the head runs where the
// table is.
// CHECK-LABEL: sxft.program for @tied_head
// CHECK: sxft.partition @[[E:.*]] of "emb" [32, 64] grid [2, 2]
// CHECK-NOT: of "emb"
// The sparse linear after the gather splits the tokens over 4 copies of
// its 2 KB weight: each unit multiplies the 2 token rows it already holds.
// CHECK: sxft.partition @[[W:.*]] of "fc.weight" [64, 64] grid [1, 1] on 0 bytes {{[0-9]+}} nnz {{[0-9]+}} {format = #sxf.format<csr, value = f32, index = 8>, replicas = 4 : i64}
// CHECK: sxft.buffer @[[P:.*]] [8, 32] grid [1, 2] on 0 bytes 512 {interleave, partial, replicas = 2 : i64}
// CHECK: sxft.buffer @[[OUT:.*]] [8, 32] grid [1, 4] on 0 bytes 256 {output = 0 : i64}
// CHECK: sxft.compute "gather" on 0 span 4 @[[E]] reads [@{{.*}}] writes [@{{.*}}] flops 0 {op = 0 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: sxft.step 1
// CHECK-NEXT: sxft.exchange @{{.*}} to @{{.*}} bytes 0
// CHECK: sxft.compute "matmul" on 0 span 4 @[[W]]
// CHECK: sxft.compute "epilogue"
// One sequence of 8 tokens on 4 units: 2 head groups x 2 query parts, each
// part's units with a copy of its head group's keys and values.
// CHECK: sxft.compute "attention" on 0 span 4 reads [@[[Q:.*]], @[[KV:.*]], @[[KV]]] writes [@{{.*}}] flops {{[0-9]+}} {op = 2 : i64}
// CHECK: sxft.compute "matmul" on 0 span 4 @[[E]] reads [@{{.*}}] writes [@[[P]]] flops 32768 {op = 3 : i64}
// CHECK: sxft.exchange @[[P]] to @[[OUT]]
// RDU-LABEL: sxft.program for @tied_head attributes {kind = "rdu"
// RDU: sxft.compute "gather" on 0 span 1 @[[RE:[^ ]*]]
// RDU: sxft.compute "matmul" on 1 span 1
// RDU: sxft.compute "attention" on 2 span 1
// RDU: sxft.compute "matmul" on 0 span 1 @[[RE]]
// RDU-NOT: section
func.func @tied_head(%ids: tensor<1x8xi32>) -> tensor<1x8x32xf32> {
  %emb = sxf.weight "emb" : tensor<32x64xf32>
  %w = sxf.weight "fc.weight" {sparsity = #sxf.sparsity<unstructured, density = 0.1>, format = #sxf.format<csr, value = f32, index = 8>} : tensor<64x64xf32>
  %b = sxf.weight "fc.bias" : tensor<64xf32>
  %x = sxf.embedding %ids, %emb : (tensor<1x8xi32>, tensor<32x64xf32>) -> tensor<1x8x64xf32>
  %y = sxf.linear %x, %w, %b activation relu : (tensor<1x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
  %a = sxf.attention %y, %y, %y {heads = 2 : i64, head_dim = 32 : i64, causal} : (tensor<1x8x64xf32>, tensor<1x8x64xf32>, tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
  %h = sxf.linear %a, %emb : (tensor<1x8x64xf32>, tensor<32x64xf32>) -> tensor<1x8x32xf32>
  return %h : tensor<1x8x32xf32>
}

// -----

// Four 256 KiB weights do not fit 4 x 128 KiB: a warning says by how much,
// and each weight is streamed in its own section, loaded before its use.
// WARN: warning: sxf-tile: the model does not fit on-chip on toy4: unit 0 would hold {{[0-9]+}} bytes, over its 131072-byte SRAM by {{[0-9]+}} (4 of 4 units over); the largest thing there is `sxft.partition @w0 of "l1.weight" {{.*}}`; weights are streamed from off-chip memory in 4 sections
// CHECK-LABEL: sxft.program for @streaming
// CHECK: sxft.partition @[[W0:.*]] of "l1.weight" [256, 256] grid [4, 1] on 0 bytes 65536 nnz 16384 {format = #sxf.format<dense, value = f32>, offchip}
// CHECK: sxft.partition @[[W1:.*]] of "l2.weight" {{.*}}offchip, section = 1 : i64}
// CHECK: sxft.step 0 attributes {layer = "l1"}
// CHECK-NEXT: sxft.load @[[W0]] bytes 262144
// CHECK: sxft.step 1 attributes {layer = "l2", section = 1 : i64}
// CHECK-NEXT: sxft.load @[[W1]] bytes 262144
// CHECK: sxft.step 3 attributes {layer = "l4", section = 3 : i64}
// RDU-LABEL: sxft.program for @streaming attributes {kind = "rdu"
// RDU: sxft.partition {{.*}} of "l4.weight" {{.*}}offchip, section = 3 : i64}
func.func @streaming(%x: tensor<1x4x256xf32>) -> tensor<1x4x256xf32> {
  %w1 = sxf.weight "l1.weight" : tensor<256x256xf32>
  %w2 = sxf.weight "l2.weight" : tensor<256x256xf32>
  %w3 = sxf.weight "l3.weight" : tensor<256x256xf32>
  %w4 = sxf.weight "l4.weight" : tensor<256x256xf32>
  %y1 = sxf.linear %x, %w1 : (tensor<1x4x256xf32>, tensor<256x256xf32>) -> tensor<1x4x256xf32>
  %y2 = sxf.linear %y1, %w2 : (tensor<1x4x256xf32>, tensor<256x256xf32>) -> tensor<1x4x256xf32>
  %y3 = sxf.linear %y2, %w3 : (tensor<1x4x256xf32>, tensor<256x256xf32>) -> tensor<1x4x256xf32>
  %y4 = sxf.linear %y3, %w4 : (tensor<1x4x256xf32>, tensor<256x256xf32>) -> tensor<1x4x256xf32>
  return %y4 : tensor<1x4x256xf32>
}

// -----

// Only the entry (@forward, else the only public function) is tiled; other
// functions keep their ops untagged.
// CHECK-LABEL: func.func @helper
// CHECK-NOT: sxft.op
// CHECK: func.func @forward
// CHECK: sxf.activation relu {{.*}}{sxft.op = 0 : i64}
// CHECK: sxft.program for @forward
// CHECK-NOT: sxft.program
func.func @helper(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = sxf.activation relu %x : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
func.func @forward(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = sxf.activation relu %x : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
