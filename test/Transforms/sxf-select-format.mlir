// RUN: sparse-opt %s --split-input-file --sxf-select-format="target=cpu-host" | FileCheck %s
// RUN: sparse-opt %s --split-input-file --sxf-select-format="target=rdu-sn10" | FileCheck %s --check-prefix=RDU
// RUN: sparse-opt %s --split-input-file --sxf-select-format="target=cpu-host objective=memory" | FileCheck %s --check-prefix=MEM
// RUN: sparse-opt %s --split-input-file --sxf-select-format="target=cpu-host value=f16" | FileCheck %s --check-prefix=F16
// RUN: sparse-opt %s --split-input-file --sxf-select-format="target=cpu-host max-bytes=2800000" | FileCheck %s --check-prefix=BUDGET

// IR tests of sxf-select-format: which #sxf.format each kind of weight gets,
// with which index width, and what is left alone. Weights are metadata only
// (described by their #sxf.sparsity) at a 512x768 size where the index width
// matters, or small and inline where the pattern must be measured. The
// per-weight report and the cost model's crossovers are checked in
// test/Transforms/sxf-select-format.test.

// A dense linear weight stays dense and records its cost on the target; the
// bias (not a linear weight) is stored dense without a cost.
// CHECK-LABEL: func.func @dense
// CHECK: sxf.weight "w" {format = #sxf.format<dense, value = f32>, sxf.cost = {bytes = 1572864 : i64, joules = {{.*}}, seconds = {{.*}}, target = "cpu-host"}} : tensor<512x768xf32>
// CHECK: sxf.weight "b" {format = #sxf.format<dense, value = f32>} : tensor<512xf32>
// RDU-LABEL: func.func @dense
// RDU: sxf.weight "w" {format = #sxf.format<dense, value = f32>, sxf.cost = {{{.*}}target = "rdu-sn10"}}
// MEM-LABEL: func.func @dense
// MEM: sxf.weight "w" {format = #sxf.format<dense, value = f32>
// F16-LABEL: func.func @dense
// F16: sxf.weight "w" {format = #sxf.format<dense, value = f16>, sxf.cost = {bytes = 786432 : i64
// F16: sxf.weight "b" {format = #sxf.format<dense, value = f16>} : tensor<512xf32>
func.func @dense(%x: tensor<1x16x768xf32>) -> tensor<1x16x512xf32> {
  %w = sxf.weight "w" : tensor<512x768xf32>
  %b = sxf.weight "b" : tensor<512xf32>
  %y = sxf.linear %x, %w, %b : (tensor<1x16x768xf32>, tensor<512x768xf32>, tensor<512xf32>) -> tensor<1x16x512xf32>
  return %y : tensor<1x16x512xf32>
}

// -----

// 2% unstructured: CSR everywhere; 768 columns need 16-bit column indices.
// The #sxf.sparsity stays as it was.
// CHECK-LABEL: func.func @very_sparse
// CHECK: sxf.weight "w" {format = #sxf.format<csr, value = f32, index = 16>, sparsity = #sxf.sparsity<unstructured, density = 0.02>, sxf.cost = {bytes = 48210 : i64
// RDU-LABEL: func.func @very_sparse
// RDU: sxf.weight "w" {format = #sxf.format<csr, value = f32, index = 16>
func.func @very_sparse(%x: tensor<1x16x768xf32>) -> tensor<1x16x512xf32> {
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<unstructured, density = 0.02>} : tensor<512x768xf32>
  %y = sxf.linear %x, %w : (tensor<1x16x768xf32>, tensor<512x768xf32>) -> tensor<1x16x512xf32>
  return %y : tensor<1x16x512xf32>
}

// -----

// The same density with 200 columns: 8-bit column indices suffice.
// CHECK-LABEL: func.func @very_sparse_narrow
// CHECK: sxf.weight "w" {format = #sxf.format<csr, value = f32, index = 8>
func.func @very_sparse_narrow(%x: tensor<1x16x200xf32>) -> tensor<1x16x512xf32> {
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<unstructured, density = 0.02>} : tensor<512x200xf32>
  %y = sxf.linear %x, %w : (tensor<1x16x200xf32>, tensor<512x200xf32>) -> tensor<1x16x512xf32>
  return %y : tensor<1x16x512xf32>
}

// -----

// 50% unstructured: the CPU's CSR kernel loses to dense for latency, but
// CSR is smaller, so the memory objective picks it.
// CHECK-LABEL: func.func @half_sparse
// CHECK: sxf.weight "w" {format = #sxf.format<dense, value = f32>
// MEM-LABEL: func.func @half_sparse
// MEM: sxf.weight "w" {format = #sxf.format<{{csr|csc}}, value = f32, index = 16>
func.func @half_sparse(%x: tensor<1x16x768xf32>) -> tensor<1x16x512xf32> {
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<unstructured, density = 0.5>} : tensor<512x768xf32>
  %y = sxf.linear %x, %w : (tensor<1x16x768xf32>, tensor<512x768xf32>) -> tensor<1x16x512xf32>
  return %y : tensor<1x16x512xf32>
}

// -----

// 16x16 blocks at 10%: BSR 16x16 (48 block columns: 8-bit indices).
// CHECK-LABEL: func.func @blocks
// CHECK: sxf.weight "w" {format = #sxf.format<bsr[16, 16], value = f32, index = 8>, sparsity = #sxf.sparsity<block[16, 16], density = 0.1>
// RDU-LABEL: func.func @blocks
// RDU: sxf.weight "w" {format = #sxf.format<bsr[16, 16], value = f32, index = 8>
func.func @blocks(%x: tensor<1x16x768xf32>) -> tensor<1x16x512xf32> {
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<block[16, 16], density = 0.1>} : tensor<512x768xf32>
  %y = sxf.linear %x, %w : (tensor<1x16x768xf32>, tensor<512x768xf32>) -> tensor<1x16x512xf32>
  return %y : tensor<1x16x512xf32>
}

// -----

// 2:4: N:M (2-bit packed indices) where the target runs it as fast as
// dense (the RDU) or when bytes are the objective; dense on the CPU for
// latency.
// CHECK-LABEL: func.func @two_four
// CHECK: sxf.weight "w" {format = #sxf.format<dense, value = f32>, sparsity = #sxf.sparsity<nm[2, 4]>
// RDU-LABEL: func.func @two_four
// RDU: sxf.weight "w" {format = #sxf.format<nm[2, 4], value = f32, index = 2>, sparsity = #sxf.sparsity<nm[2, 4]>, sxf.cost = {bytes = 835584 : i64
// MEM-LABEL: func.func @two_four
// MEM: sxf.weight "w" {format = #sxf.format<nm[2, 4], value = f32, index = 2>
func.func @two_four(%x: tensor<1x16x768xf32>) -> tensor<1x16x512xf32> {
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<nm[2, 4]>} : tensor<512x768xf32>
  %y = sxf.linear %x, %w : (tensor<1x16x768xf32>, tensor<512x768xf32>) -> tensor<1x16x512xf32>
  return %y : tensor<1x16x512xf32>
}

// -----

// A weight with values is measured, not described: this one is 2:4 in every
// row without saying so, and the RDU stores it as N:M.
// CHECK-LABEL: func.func @measured_two_four
// CHECK: sxf.weight "w" {format = #sxf.format<dense, value = f32>, sxf.cost = {bytes = 256 : i64
// RDU-LABEL: func.func @measured_two_four
// RDU: sxf.weight "w" {format = #sxf.format<nm[2, 4], value = f32, index = 2>, sxf.cost = {bytes = 136 : i64
func.func @measured_two_four(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %w = sxf.weight "w" {value = dense<[[1.0, 2.0, 0.0, 0.0, 3.0, 4.0, 0.0, 0.0], [0.0, 2.0, 0.0, 1.0, 0.0, 4.0, 5.0, 0.0], [1.0, 2.0, 0.0, 0.0, 3.0, 4.0, 0.0, 0.0], [1.0, 0.0, 0.0, 2.0, 3.0, 0.0, 0.0, 4.0], [1.0, 2.0, 0.0, 0.0, 3.0, 4.0, 0.0, 0.0], [1.0, 2.0, 0.0, 0.0, 3.0, 4.0, 0.0, 0.0], [1.0, 2.0, 0.0, 0.0, 3.0, 4.0, 0.0, 0.0], [0.0, 0.0, 1.0, 2.0, 0.0, 0.0, 3.0, 4.0]]> : tensor<8x8xf32>} : tensor<8x8xf32>
  %y = sxf.linear %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// An all-zero weight takes 0 bytes in any sparse format.
// CHECK-LABEL: func.func @all_zero
// CHECK: sxf.weight "w" {format = #sxf.format<{{csr|csc|coo|ell}}, value = f32, index = 8>, sxf.cost = {bytes = 0 : i64
func.func @all_zero(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %w = sxf.weight "w" {value = dense<0.0> : tensor<64x64xf32>} : tensor<64x64xf32>
  %y = sxf.linear %x, %w : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// A one-row weight is a vector: stored dense whatever its sparsity.
// CHECK-LABEL: func.func @one_row
// CHECK: sxf.weight "w" {format = #sxf.format<dense, value = f32>, sparsity = #sxf.sparsity<unstructured, density = 0.02>, sxf.cost =
func.func @one_row(%x: tensor<4x768xf32>) -> tensor<4x1xf32> {
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<unstructured, density = 0.02>} : tensor<1x768xf32>
  %y = sxf.linear %x, %w : (tensor<4x768xf32>, tensor<1x768xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

// Weights outside linear layers (an embedding table, a norm's parameters, a
// weight nothing uses) are stored dense in the value type, without a cost;
// a format they had is replaced.
// CHECK-LABEL: func.func @not_linear_weights
// CHECK: sxf.weight "emb" {format = #sxf.format<dense, value = f32>, sparsity = #sxf.sparsity<unstructured, density = 0.02>} : tensor<1000x768xf32>
// CHECK: sxf.weight "g" {format = #sxf.format<dense, value = f32>} : tensor<768xf32>
// CHECK: sxf.weight "unused" {format = #sxf.format<dense, value = f32>} : tensor<512x768xf32>
// CHECK-NOT: sxf.cost
// F16-LABEL: func.func @not_linear_weights
// F16: sxf.weight "emb" {format = #sxf.format<dense, value = f16>
// F16: sxf.weight "g" {format = #sxf.format<dense, value = f16>
// F16: sxf.weight "unused" {format = #sxf.format<dense, value = f16>
func.func @not_linear_weights(%ids: tensor<1x16xi32>) -> tensor<1x16x768xf32> {
  %emb = sxf.weight "emb" {sparsity = #sxf.sparsity<unstructured, density = 0.02>} : tensor<1000x768xf32>
  %g = sxf.weight "g" : tensor<768xf32>
  %u = sxf.weight "unused" {format = #sxf.format<csr, value = f32, index = 16>} : tensor<512x768xf32>
  %e = sxf.embedding %ids, %emb : (tensor<1x16xi32>, tensor<1000x768xf32>) -> tensor<1x16x768xf32>
  %n = sxf.layer_norm %e, %g, %g : (tensor<1x16x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x16x768xf32>
  return %n : tensor<1x16x768xf32>
}

// -----

// A format chosen before (sparse-gen --dtype=f16 writes dense f16) is
// replaced by the selection.
// CHECK-LABEL: func.func @reselect
// CHECK: sxf.weight "w" {format = #sxf.format<csr, value = f32, index = 16>
// F16-LABEL: func.func @reselect
// F16: sxf.weight "w" {format = #sxf.format<csr, value = f16, index = 16>
func.func @reselect(%x: tensor<1x16x768xf32>) -> tensor<1x16x512xf32> {
  %w = sxf.weight "w" {format = #sxf.format<dense, value = f16>, sparsity = #sxf.sparsity<unstructured, density = 0.02>} : tensor<512x768xf32>
  %y = sxf.linear %x, %w : (tensor<1x16x768xf32>, tensor<512x768xf32>) -> tensor<1x16x512xf32>
  return %y : tensor<1x16x512xf32>
}

// -----

// A byte budget of 2.8 MB (the RUN line with max-bytes) below the
// latency-best choice (two dense 512x768 weights, 3.1 MB): the weight that
// saves the most bytes per second of added time moves to its smallest
// format, the other stays dense. Every other module here is under the
// budget.
// BUDGET-LABEL: func.func @budget
// BUDGET-DAG: sxf.weight "a" {format = #sxf.format<{{csr|csc}}, value = f32, index = 16>
// BUDGET-DAG: sxf.weight "b" {format = #sxf.format<dense, value = f32>
// CHECK-LABEL: func.func @budget
// CHECK: sxf.weight "a" {format = #sxf.format<dense, value = f32>
// CHECK: sxf.weight "b" {format = #sxf.format<dense, value = f32>
func.func @budget(%x: tensor<1x16x768xf32>) -> (tensor<1x16x512xf32>, tensor<1x16x512xf32>) {
  %a = sxf.weight "a" {sparsity = #sxf.sparsity<unstructured, density = 0.45>} : tensor<512x768xf32>
  %b = sxf.weight "b" {sparsity = #sxf.sparsity<unstructured, density = 0.5>} : tensor<512x768xf32>
  %ya = sxf.linear %x, %a : (tensor<1x16x768xf32>, tensor<512x768xf32>) -> tensor<1x16x512xf32>
  %yb = sxf.linear %x, %b : (tensor<1x16x768xf32>, tensor<512x768xf32>) -> tensor<1x16x512xf32>
  return %ya, %yb : tensor<1x16x512xf32>, tensor<1x16x512xf32>
}
