// Tests that invalid sxf-prune options and inputs are rejected clearly.
// RUN: not sparse-opt %s --sxf-prune="method=nm n=4 m=2" 2>&1 | FileCheck %s --check-prefix=NGTM
// NGTM: error: sxf-prune: n=4 must not exceed m=2
// RUN: not sparse-opt %s --sxf-prune="method=nm" 2>&1 | FileCheck %s --check-prefix=NMZERO
// NMZERO: error: sxf-prune: N:M pruning needs n > 0 and m > 0 (got n=0 m=0)
// RUN: not sparse-opt %s --sxf-prune="sparsity=1.0" 2>&1 | FileCheck %s --check-prefix=ONE
// ONE: error: sxf-prune: sparsity must be in [0, 1), got 1.0
// RUN: not sparse-opt %s --sxf-prune="sparsity=-0.1" 2>&1 | FileCheck %s --check-prefix=NEG
// NEG: error: sxf-prune: sparsity must be in [0, 1), got -0.1
// RUN: not sparse-opt %s --sxf-prune="method=random" 2>&1 | FileCheck %s --check-prefix=METHOD
// METHOD: sparse-opt: error: for the --method option: 'random' is not one of none, magnitude, block, nm, wanda, sparsegpt
// RUN: not sparse-opt %s --sxf-prune="method=none" 2>&1 | FileCheck %s --check-prefix=METHODNONE
// METHODNONE: error: sxf-prune: method=none prunes nothing; name a method (magnitude, block, nm, wanda, sparsegpt)
// RUN: not sparse-opt %s --sxf-prune="granularity=row" 2>&1 | FileCheck %s --check-prefix=GRAN
// GRAN: sparse-opt: error: for the --granularity option: 'row' is not one of element, neuron, head
// RUN: not sparse-opt %s --sxf-prune="method=block" 2>&1 | FileCheck %s --check-prefix=NOBLOCK
// NOBLOCK: error: sxf-prune: method=block needs block=B or block=BxC
// RUN: not sparse-opt %s --sxf-prune="method=block block=4x" 2>&1 | FileCheck %s --check-prefix=BADBLOCK
// BADBLOCK: error: sxf-prune: block '4x' is not B or BxC with positive integers
// RUN: not sparse-opt %s --sxf-prune="method=block block=3" 2>&1 | FileCheck %s --check-prefix=DIVIDE
// DIVIDE: error: sxf-prune: block 3x3 does not divide the shape 4x8 of weight 'w'
// RUN: not sparse-opt %s --sxf-prune="method=nm n=2 m=16" 2>&1 | FileCheck %s --check-prefix=MDIV
// MDIV: error: sxf-prune: M = 16 does not divide the 8 input features of weight 'w'
// RUN: not sparse-opt %s --sxf-prune="block=4" 2>&1 | FileCheck %s --check-prefix=BLOCKMETHOD
// BLOCKMETHOD: error: sxf-prune: block= applies to method=block only
// RUN: not sparse-opt %s --sxf-prune="scope=everywhere" 2>&1 | FileCheck %s --check-prefix=SCOPE
// SCOPE: sparse-opt: error: for the --scope option: 'everywhere' is not one of layer, global
// RUN: not sparse-opt %s --sxf-prune="method=wanda calib=random scope=global" 2>&1 | FileCheck %s --check-prefix=GLOBAL
// GLOBAL: error: sxf-prune: scope=global applies to method=magnitude or block
// RUN: not sparse-opt %s --sxf-prune="granularity=head method=nm n=2 m=4" 2>&1 | FileCheck %s --check-prefix=GRANMETHOD
// GRANMETHOD: error: sxf-prune: granularity=head|neuron is supported with method=magnitude
// RUN: not sparse-opt %s --sxf-prune="granularity=head" 2>&1 | FileCheck %s --check-prefix=NOHEAD
// NOHEAD: error: sxf-prune: granularity=head found no attention op
// RUN: not sparse-opt %s --sxf-prune="weights=(" 2>&1 | FileCheck %s --check-prefix=REGEX
// REGEX: error: sxf-prune: invalid weights regex '('
// RUN: not sparse-opt %s --sxf-prune="weights=nothing" 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: error: sxf-prune: no linear-layer weight matches the selection
// RUN: not sparse-opt %s --sxf-prune="method=sparsegpt calib=random damp=-1" 2>&1 | FileCheck %s --check-prefix=DAMP
// DAMP: error: sxf-prune: damp must be non-negative
// RUN: not sparse-opt %s --sxf-prune="method=sparsegpt calib=random blocksize=0" 2>&1 | FileCheck %s --check-prefix=BS
// BS: error: sxf-prune: blocksize must be positive
// RUN: not sparse-opt %s --sxf-prune="method=sparsegpt calib=random samples=0" 2>&1 | FileCheck %s --check-prefix=SAMPLES
// SAMPLES: error: sxf-prune: samples must be positive
func.func @forward(%x: tensor<1x8xf32>) -> tensor<1x4xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<4x8xf32>} : tensor<4x8xf32>
  %y = sxf.linear %x, %w : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  %z = sxf.add %y, %y : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %z : tensor<1x4xf32>
}
