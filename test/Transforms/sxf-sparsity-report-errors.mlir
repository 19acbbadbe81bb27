// Tests the report's user errors: an unwritable output, and two weights
// with one name but different types.
// RUN: not sparse-opt %s --split-input-file --sxf-sparsity-report="output=%t/no/such/dir/r.txt" -o /dev/null 2>&1 | FileCheck %s --check-prefix=OUT
// OUT: error: sxf-sparsity-report: cannot open '{{.*}}no/such/dir/r.txt'
// RUN: not sparse-opt %s --split-input-file --sxf-sparsity-report="json=%t/no/such/dir/r.json" -o /dev/null 2>&1 | FileCheck %s --check-prefix=JSON
// JSON: error: sxf-sparsity-report: cannot open '{{.*}}no/such/dir/r.json'
// RUN: not sparse-opt %s --split-input-file --sxf-sparsity-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=CONFLICT
// CONFLICT: error: weight 'w' is declared with two types: 'tensor<4x4xf32>' and 'tensor<2x2xf32>'
// CONFLICT: note: first declared here
func.func @forward() {
  %a = sxf.weight "w" {value = dense<1.0> : tensor<2x2xf32>} : tensor<2x2xf32>
  return
}

// -----

func.func @forward() {
  %a = sxf.weight "w" {value = dense<1.0> : tensor<2x2xf32>} : tensor<2x2xf32>
  %b = sxf.weight "w" {value = dense<1.0> : tensor<4x4xf32>} : tensor<4x4xf32>
  return
}
