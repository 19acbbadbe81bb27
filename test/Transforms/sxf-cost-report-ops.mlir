// Tests that sxf-cost-report prices each op through CostOpInterface.
// RUN: not sparse-opt %s --split-input-file --sxf-cost-report -o /dev/null 2>/dev/null | FileCheck %s
// RUN: not sparse-opt %s --split-input-file --sxf-cost-report -o /dev/null 2>&1 >/dev/null | FileCheck %s --check-prefix=ERR

// `activation none` is no activation and costs nothing: 2·2·12 for the
// product plus 6 for the bias.
// CHECK: total 1 54
func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = sxf.weight "w" : tensor<3x4xf32>
  %b = sxf.weight "b" : tensor<3xf32>
  %y = sxf.linear %x, %w, %b activation none : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Attention: 4·b·h·s·t·d + 5·b·h·s·t = 4·1·2·3·3·2 + 5·18 = 144 + 90;
// softmax 5 per element.
// CHECK: total 2 294
func.func @forward(%q: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  %a = sxf.attention %q, %q, %q {heads = 2 : i64, head_dim = 2 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %s = sxf.softmax %a : tensor<1x3x4xf32>
  return %s : tensor<1x3x4xf32>
}

// -----

// An op without a cost model is an error, not a zero.
// ERR: error: sxf-cost-report: no cost model for 'func.call'
func.func private @g(tensor<2xf32>) -> tensor<2xf32>
func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = func.call @g(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
