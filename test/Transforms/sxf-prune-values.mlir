// Tests sxf-prune's values: which entries each method zeroes (the IR it writes
// is checked by sxf-prune.mlir).
// Each RUN prunes this module one way, writes the weights out and checks
// them element by element with an independent safetensors reader.
// RUN: rm -rf %t && mkdir -p %t
// RUN: sparse-opt %s --sxf-prune="method=magnitude sparsity=0.5" --sxf-weights-out=%t/mag.safetensors -o %t/mag.mlir
// RUN: %python %S/Inputs/dump_safetensors.py %t/mag.safetensors | FileCheck %s --check-prefix=MAG
// RUN: FileCheck %s --check-prefix=MAGIR < %t/mag.mlir
// RUN: sparse-opt %s --sxf-prune="method=nm n=2 m=4 exclude=w3" --sxf-weights-out=%t/nm.safetensors -o %t/nm.mlir
// RUN: %python %S/Inputs/dump_safetensors.py %t/nm.safetensors | FileCheck %s --check-prefix=NM
// RUN: FileCheck %s --check-prefix=NMIR < %t/nm.mlir
// RUN: sparse-opt %s --sxf-prune="method=block block=2 sparsity=0.5" --sxf-weights-out=%t/block.safetensors -o %t/block.mlir
// RUN: %python %S/Inputs/dump_safetensors.py %t/block.safetensors | FileCheck %s --check-prefix=BLOCK
// RUN: FileCheck %s --check-prefix=BLOCKIR < %t/block.mlir
// RUN: sparse-opt %s --sxf-prune="method=magnitude sparsity=0.5 scope=global" --sxf-weights-out=%t/global.safetensors -o /dev/null
// RUN: %python %S/Inputs/dump_safetensors.py %t/global.safetensors | FileCheck %s --check-prefix=GLOBAL
// RUN: sparse-opt %s --sxf-prune="method=magnitude sparsity=0.5 weights=^w2$" --sxf-weights-out=%t/select.safetensors -o /dev/null
// RUN: %python %S/Inputs/dump_safetensors.py %t/select.safetensors | FileCheck %s --check-prefix=SELECT
// RUN: sparse-opt %s --sxf-prune="method=magnitude sparsity=0.5 exclude=w1|w3" --sxf-weights-out=%t/exclude.safetensors -o /dev/null
// RUN: %python %S/Inputs/dump_safetensors.py %t/exclude.safetensors | FileCheck %s --check-prefix=SELECT
// RUN: sparse-opt %s --sxf-prune="method=magnitude sparsity=0.5 weights=emb|head|w1" --sxf-weights-out=%t/named.safetensors -o /dev/null
// RUN: %python %S/Inputs/dump_safetensors.py %t/named.safetensors | FileCheck %s --check-prefix=NAMED

// The embedding table and the output head (its result is returned) are
// never pruned unless named; ties drop the lower index first.

// Per weight, 50%: w1 drops 0.25, 0.5, 1, 2; w2 drops its 8 smallest |w|
// (0.1 0.1 0.2 0.2 0.3 0.4 0.5 and the first 1); w3 drops 1 1 2 2.
// MAG: emb F32 [4, 4] [1.0, 2.0, 3.0, 4.0
// MAG: head F32 [3, 4] [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
// MAG: w1 F32 [2, 4] [0.0, -8.0, 3.0, 0.0, 0.0, 6.0, 0.0, 7.0]
// MAG: w2 F32 [4, 4] [0.0, 2.0, 0.0, -1.0, 0.0, -3.0, 2.0, 0.0, 4.0, 0.0, 0.0, 1.0, 0.0, 5.0, 0.0, -2.0]
// MAG: w3 F32 [4, 2] [0.0, 0.0, 0.0, 0.0, 3.0, 3.0, 4.0, 4.0]
// MAGIR-DAG: sxf.weight "w1" {sparsity = #sxf.sparsity<unstructured, density = 0.5>} : tensor<2x4xf32>
// MAGIR-DAG: sxf.weight "emb" : tensor<4x4xf32>

// 2:4 in every row of w1 and w2 (w3, with 2 inputs, is excluded).
// NM: w1 F32 [2, 4] [0.0, -8.0, 3.0, 0.0, 0.0, 6.0, 0.0, 7.0]
// NM: w2 F32 [4, 4] [0.0, 2.0, 0.0, -1.0, 0.0, -3.0, 2.0, 0.0, 4.0, 0.0, 0.0, 1.0, 0.0, 5.0, 0.0, -2.0]
// NM: w3 F32 [4, 2] [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0]
// NMIR: sxf.weight "w1" {sparsity = #sxf.sparsity<nm[2, 4]>}

// 2x2 blocks by Frobenius norm²: w1 105 | 58.3; w2 14.01 5.29 | 41.13 5.17;
// w3 10 | 50.
// BLOCK: w1 F32 [2, 4] [1.0, -8.0, 0.0, 0.0, -2.0, 6.0, 0.0, 0.0]
// BLOCK: w2 F32 [4, 4] [1.0, 2.0, 0.0, 0.0, 0.10{{[0-9]*}}, -3.0, 0.0, 0.0, 4.0, 0.20{{[0-9]*}}, 0.0, 0.0, -0.30{{[0-9]*}}, 5.0, 0.0, 0.0]
// BLOCK: w3 F32 [4, 2] [0.0, 0.0, 0.0, 0.0, 3.0, 3.0, 4.0, 4.0]
// BLOCKIR: sxf.weight "w1" {sparsity = #sxf.sparsity<block[2, 2], density = 0.5>}

// One threshold over all 32 entries: the 16 smallest are the nine below 1,
// the six 1s and the first 2 (w1's -2).
// GLOBAL: w1 F32 [2, 4] [0.0, -8.0, 3.0, 0.0, 0.0, 6.0, 0.0, 7.0]
// GLOBAL: w2 F32 [4, 4] [0.0, 2.0, 0.0, 0.0, 0.0, -3.0, 2.0, 0.0, 4.0, 0.0, 0.0, 0.0, 0.0, 5.0, 0.0, -2.0]
// GLOBAL: w3 F32 [4, 2] [0.0, 0.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0]

// SELECT: w1 F32 [2, 4] [1.0, -8.0, 3.0, 0.5, -2.0, 6.0, 0.25, 7.0]
// SELECT: w2 F32 [4, 4] [0.0, 2.0, 0.0, -1.0, 0.0, -3.0, 2.0, 0.0, 4.0, 0.0, 0.0, 1.0, 0.0, 5.0, 0.0, -2.0]
// SELECT: w3 F32 [4, 2] [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0]

// Naming a weight overrides the head exclusion; a table only used for
// lookups is not a linear weight and is never pruned.
// NAMED: emb F32 [4, 4] [1.0, 2.0, 3.0, 4.0, 0.5
// NAMED: head F32 [3, 4] [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
// NAMED: w1 F32 [2, 4] [0.0, -8.0, 3.0, 0.0, 0.0, 6.0, 0.0, 7.0]
// NAMED: w2 F32 [4, 4] [1.0, 2.0, 0.5
func.func @forward(%ids: tensor<1x3xi32>) -> tensor<1x3x3xf32> {
  %emb = sxf.weight "emb" {value = dense<[[1.0, 2.0, 3.0, 4.0], [0.5, 0.5, 0.5, 0.5], [-1.0, 0.0, 1.0, 2.0], [3.0, 1.0, 0.0, -1.0]]> : tensor<4x4xf32>} : tensor<4x4xf32>
  %w1 = sxf.weight "w1" {value = dense<[[1.0, -8.0, 3.0, 0.5], [-2.0, 6.0, 0.25, 7.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %w2 = sxf.weight "w2" {value = dense<[[1.0, 2.0, 0.5, -1.0], [0.1, -3.0, 2.0, 0.2], [4.0, 0.2, -0.1, 1.0], [-0.3, 5.0, 0.4, -2.0]]> : tensor<4x4xf32>} : tensor<4x4xf32>
  %w3 = sxf.weight "w3" {value = dense<[[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0]]> : tensor<4x2xf32>} : tensor<4x2xf32>
  %head = sxf.weight "head" {value = dense<1.0> : tensor<3x4xf32>} : tensor<3x4xf32>
  %x = sxf.embedding %ids, %emb : (tensor<1x3xi32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %t = sxf.linear %x, %w1 activation relu : (tensor<1x3x4xf32>, tensor<2x4xf32>) -> tensor<1x3x2xf32>
  %u = sxf.linear %t, %w3 : (tensor<1x3x2xf32>, tensor<4x2xf32>) -> tensor<1x3x4xf32>
  %v = sxf.linear %x, %w2 : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %g = sxf.add %u, %v : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %y = sxf.linear %g, %head : (tensor<1x3x4xf32>, tensor<3x4xf32>) -> tensor<1x3x3xf32>
  return %y : tensor<1x3x3xf32>
}
