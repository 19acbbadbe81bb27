// Located errors of sxf-prune, each on the op it is about. Every part runs
// with its own options; option errors (reported on the module) are in
// sxf-prune-invalid.mlir.
// RUN: split-file %s %t
// RUN: sparse-opt %t/nm.mlir -split-input-file -verify-diagnostics --sxf-prune="method=nm n=2 m=4" -o /dev/null
// RUN: sparse-opt %t/block.mlir -split-input-file -verify-diagnostics --sxf-prune="method=block block=4x4" -o /dev/null
// RUN: sparse-opt %t/calibrated.mlir -split-input-file -verify-diagnostics --sxf-prune="method=wanda calib=random samples=2" -o /dev/null
// RUN: sparse-opt %t/neuron.mlir -split-input-file -verify-diagnostics --sxf-prune="granularity=neuron" -o /dev/null

//--- nm.mlir

// Groups of M = 4 inputs do not tile 6 input features.
func.func @forward(%x: tensor<1x4x6xf32>) -> tensor<1x4x6xf32> {
  // expected-error @+1 {{sxf-prune: M = 4 does not divide the 6 input features of weight 'w'}}
  %w = sxf.weight "w" : tensor<6x6xf32>
  %h = sxf.weight "head" : tensor<6x6xf32>
  %y = sxf.linear %x, %w : (tensor<1x4x6xf32>, tensor<6x6xf32>) -> tensor<1x4x6xf32>
  %z = sxf.linear %y, %h : (tensor<1x4x6xf32>, tensor<6x6xf32>) -> tensor<1x4x6xf32>
  return %z : tensor<1x4x6xf32>
}

// -----

// Composite layers hide their linears: sxf-decompose must run first.
func.func @forward(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %m = sxf.weight "m" : tensor<8x8xf32>
  %v = sxf.weight "v" : tensor<8xf32>
  %w1 = sxf.weight "w1" : tensor<12x8xf32>
  %b1 = sxf.weight "b1" : tensor<12xf32>
  %w2 = sxf.weight "w2" : tensor<8x12xf32>
  // expected-error @+1 {{sxf-prune: composite layers hide their linear layers: run sxf-decompose first}}
  %y = sxf.decoder_layer %x ln1(%v, %v) attn(%m, %v, %m, %v, %m, %v, %m, %v) ln2(%v, %v) ffn(%w1, %b1, %w2, %v) {heads = 2 : i64} : (tensor<1x3x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<12x8xf32>, tensor<12xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}

//--- block.mlir

// 4x4 blocks do not tile a 6x8 weight.
func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{sxf-prune: block 4x4 does not divide the shape 6x8 of weight 'w'}}
  %w = sxf.weight "w" : tensor<6x8xf32>
  %h = sxf.weight "head" : tensor<8x6xf32>
  %y = sxf.linear %x, %w : (tensor<1x4x8xf32>, tensor<6x8xf32>) -> tensor<1x4x6xf32>
  %z = sxf.linear %y, %h : (tensor<1x4x6xf32>, tensor<8x6xf32>) -> tensor<1x4x8xf32>
  return %z : tensor<1x4x8xf32>
}

//--- calibrated.mlir

// Wanda and SparseGPT need values; a metadata-only weight is named.
func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{sxf-prune: method=wanda needs weight values, but weight 'w' is metadata-only (use magnitude, block or nm to plan metadata-only models)}}
  %w = sxf.weight "w" : tensor<8x8xf32>
  %h = sxf.weight "head" : tensor<8x8xf32>
  %y = sxf.linear %x, %w : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %z = sxf.linear %y, %h : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %z : tensor<1x4x8xf32>
}

// -----

// A selected weight outside the entry function gets no calibration inputs.
func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<8x8xf32>} : tensor<8x8xf32>
  %h = sxf.weight "head" {value = dense<1.0> : tensor<8x8xf32>} : tensor<8x8xf32>
  %y = sxf.linear %x, %w : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %z = sxf.linear %y, %h : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %z : tensor<1x4x8xf32>
}
func.func private @other(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{sxf-prune: weight 'u' is not reached by the entry function, so it cannot be calibrated}}
  %u = sxf.weight "u" {value = dense<1.0> : tensor<8x8xf32>} : tensor<8x8xf32>
  %h = sxf.weight "head2" {value = dense<1.0> : tensor<8x8xf32>} : tensor<8x8xf32>
  %y = sxf.linear %x, %u : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %z = sxf.linear %y, %h : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %z : tensor<1x4x8xf32>
}

//--- neuron.mlir

// Neurons are chosen by their weights' values: metadata-only fc1 and fc2
// are named.
func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{weight 'fc1' has no values: the model is metadata-only}}
  %w1 = sxf.weight "fc1" : tensor<8x8xf32>
  // expected-error @+1 {{weight 'fc2' has no values: the model is metadata-only}}
  %w2 = sxf.weight "fc2" : tensor<8x8xf32>
  %h = sxf.weight "head" : tensor<8x8xf32>
  %y = sxf.linear %x, %w1 activation relu : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %y2 = sxf.linear %y, %w2 : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %z = sxf.linear %y2, %h : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %z : tensor<1x4x8xf32>
}

// -----

// A bias that is not an sxf.weight cannot be pruned with its neuron.
// expected-error @+1 {{sxf-prune: structured pruning needs the weights and biases to be sxf.weight ops}}
func.func @forward(%x: tensor<1x4x8xf32>, %b: tensor<8xf32>) -> tensor<1x4x8xf32> {
  %w1 = sxf.weight "fc1" {value = dense<1.0> : tensor<8x8xf32>} : tensor<8x8xf32>
  %w2 = sxf.weight "fc2" {value = dense<1.0> : tensor<8x8xf32>} : tensor<8x8xf32>
  %h = sxf.weight "head" : tensor<8x8xf32>
  %y = sxf.linear %x, %w1, %b activation relu : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %y2 = sxf.linear %y, %w2 : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %z = sxf.linear %y2, %h : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %z : tensor<1x4x8xf32>
}
