// RUN: sparse-opt %s --split-input-file -verify-diagnostics --sxf-to-linalg -o /dev/null

// What sxf-to-linalg cannot lower, each error on the op it is about, before
// anything is converted. (A weight or bias that is not an sxf.weight is
// lowered as a dense operand: sxf-to-linalg.mlir, @weight_argument.)

// The weight becomes a constant: it needs values.
func.func @metadata_only(%x: tensor<2x768xf32>) -> tensor<2x512xf32> {
  // expected-error @+1 {{weight 'w' has no values: the model is metadata-only}}
  %w = sxf.weight "w" : tensor<512x768xf32>
  %y = sxf.linear %x, %w : (tensor<2x768xf32>, tensor<512x768xf32>) -> tensor<2x512xf32>
  return %y : tensor<2x512xf32>
}

// -----

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  // expected-error @+1 {{sxf-to-linalg: needs static f32 activations}}
  %y = sxf.linear %x, %w : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

func.func @f16_activations(%x: tensor<2x4xf16>) -> tensor<2x2xf16> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  // expected-error @+1 {{sxf-to-linalg: needs static f32 activations}}
  %y = sxf.linear %x, %w : (tensor<2x4xf16>, tensor<2x4xf32>) -> tensor<2x2xf16>
  return %y : tensor<2x2xf16>
}

// -----

// Every op, not only sxf.linear, needs static f32 activations; each one that
// has none is reported.
func.func @other_ops(%x: tensor<?x4xf32>, %h: tensor<2x4xf16>, %g: tensor<4xf32>) -> (tensor<?x4xf32>, tensor<2x4xf16>) {
  // expected-error @+1 {{sxf-to-linalg: needs static f32 activations}}
  %n = sxf.layer_norm %x, %g, %g : (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  // expected-error @+1 {{sxf-to-linalg: needs static f32 activations}}
  %s = sxf.softmax %h : tensor<2x4xf16>
  return %n, %s : tensor<?x4xf32>, tensor<2x4xf16>
}

// -----

// A norm parameter becomes a constant too: it needs values.
func.func @metadata_gamma(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{weight 'g' has no values: the model is metadata-only}}
  %g = sxf.weight "g" : tensor<4xf32>
  %y = sxf.rms_norm %x, %g : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
