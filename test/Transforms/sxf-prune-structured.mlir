// Tests neuron and head granularity: whole FFN neurons (a row of fc1, its
// bias, a column of fc2) and whole attention heads (rows of Q, K, V and
// their biases, columns of O, and the attention's keep_heads) are removed.
// RUN: rm -rf %t && mkdir -p %t
// RUN: sparse-opt %s --sxf-prune="granularity=neuron sparsity=0.5" --sxf-weights-out=%t/n.safetensors -o /dev/null
// RUN: %python %S/Inputs/dump_safetensors.py %t/n.safetensors | FileCheck %s --check-prefix=NEURON
// RUN: sparse-opt %s --sxf-prune="granularity=head sparsity=0.5" --sxf-weights-out=%t/h.safetensors -o %t/h.mlir
// RUN: %python %S/Inputs/dump_safetensors.py %t/h.safetensors | FileCheck %s --check-prefix=HEAD
// RUN: FileCheck %s --check-prefix=HEADIR < %t/h.mlir
// The model with head 1 removed computes what the keep mask alone computes.
// RUN: sparse-run %t/h.mlir --random-inputs --seed 1 --output-dir %t/pruned
// RUN: sparse-opt %s --sxf-prune="granularity=head sparsity=0.5" --sxf-weights-out=%t/h2.safetensors -o - | sed 's/keep_heads = array<i1: true, false>/keep_heads = array<i1: true, true>/' > %t/h-nomask.mlir
// RUN: sparse-run %t/h-nomask.mlir --random-inputs --seed 1 --check-against %t/pruned

// fc1 rows have norms² 2, 0.02, 8, 0.08 and fc2's columns are equal, so
// neurons 1 and 3 go.
// NEURON: f1b F32 [4] [0.5, 0.0, 0.5, 0.0]
// NEURON: f1w F32 [4, 2] [1.0, 1.0, 0.0, 0.0, 2.0, 2.0, 0.0, 0.0]
// NEURON: f2w F32 [2, 4] [1.0, 0.0, 1.0, 0.0, 3.0, 0.0, 3.0, 0.0]

// Head 1 (rows/columns 2-3) has the small queries.
// HEAD: bq F32 [4] [1.0, 1.0, 0.0, 0.0]
// HEAD: wk F32 [4, 4] [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
// HEAD: wo F32 [4, 4] [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]
// HEAD: wq F32 [4, 4] [5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
// HEADIR: sxf.attention {{.*}}keep_heads = array<i1: true, false>
func.func @forward(%x: tensor<1x3x2xf32>, %a: tensor<1x3x4xf32>) -> (tensor<1x3x2xf32>, tensor<1x3x4xf32>) {
  %f1w = sxf.weight "f1w" {value = dense<[[1.0, 1.0], [0.1, 0.1], [2.0, 2.0], [0.2, 0.2]]> : tensor<4x2xf32>} : tensor<4x2xf32>
  %f1b = sxf.weight "f1b" {value = dense<0.5> : tensor<4xf32>} : tensor<4xf32>
  %f2w = sxf.weight "f2w" {value = dense<[[1.0, 1.0, 1.0, 1.0], [3.0, 3.0, 3.0, 3.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %h = sxf.linear %x, %f1w, %f1b activation relu : (tensor<1x3x2xf32>, tensor<4x2xf32>, tensor<4xf32>) -> tensor<1x3x4xf32>
  %y = sxf.linear %h, %f2w : (tensor<1x3x4xf32>, tensor<2x4xf32>) -> tensor<1x3x2xf32>
  %z = sxf.add %y, %x : (tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> tensor<1x3x2xf32>

  %wq = sxf.weight "wq" {value = dense<[[5.0, 5.0, 5.0, 5.0], [5.0, 5.0, 5.0, 5.0], [0.1, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.1]]> : tensor<4x4xf32>} : tensor<4x4xf32>
  %bq = sxf.weight "bq" {value = dense<1.0> : tensor<4xf32>} : tensor<4xf32>
  %wk = sxf.weight "wk" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wv = sxf.weight "wv" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %wo = sxf.weight "wo" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  %q = sxf.linear %a, %wq, %bq : (tensor<1x3x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<1x3x4xf32>
  %k = sxf.linear %a, %wk : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %v = sxf.linear %a, %wv : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %att = sxf.attention %q, %k, %v {heads = 2 : i64, head_dim = 2 : i64, causal} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %o = sxf.linear %att, %wo : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %r = sxf.add %o, %a : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  return %z, %r : tensor<1x3x2xf32>, tensor<1x3x4xf32>
}
