// RUN: sparse-opt %s --split-input-file -verify-diagnostics --sxf-to-linalg -o /dev/null

// What sxf-to-linalg cannot lower, each error on the op it is about.

// The weight becomes a constant: it needs values.
func.func @metadata_only(%x: tensor<2x768xf32>) -> tensor<2x512xf32> {
  // expected-error @+1 {{weight 'w' has no values: the model is metadata-only}}
  %w = sxf.weight "w" : tensor<512x768xf32>
  %y = sxf.linear %x, %w : (tensor<2x768xf32>, tensor<512x768xf32>) -> tensor<2x512xf32>
  return %y : tensor<2x512xf32>
}

// -----

func.func @weight_argument(%x: tensor<2x4xf32>, %w: tensor<2x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{sxf-to-linalg: the weight must be an sxf.weight}}
  %y = sxf.linear %x, %w : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @bias_argument(%x: tensor<2x4xf32>, %b: tensor<2xf32>) -> tensor<2x2xf32> {
  %w = sxf.weight "w" {value = dense<1.0> : tensor<2x4xf32>} : tensor<2x4xf32>
  // expected-error @+1 {{sxf-to-linalg: the bias must be an sxf.weight}}
  %y = sxf.linear %x, %w, %b : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
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
