// Tests that N:M formats other than 2:4 and 4:8 are judged on the measured
// weight: a 3:4 weight fits nm[3, 4] but not nm[2, 4]; a 1:8 weight fits
// nm[1, 8].
// RUN: not sparse-opt %s --split-input-file --sxf-sparsity-report -o /dev/null 2>/dev/null | FileCheck %s
// RUN: not sparse-opt %s --split-input-file --sxf-sparsity-report -o /dev/null 2>&1 >/dev/null | FileCheck %s --check-prefix=ERR
// CHECK: w34 4x4 16 12 0.7500 {{.*}} nm[3:4] f32/i2
// CHECK: w18 1x16 16 2 0.1250 {{.*}} nm[1:8] f32/i4
// ERR: error: weight 'w34' cannot be stored as #sxf.format<nm[2, 4], value = f32, index = 2>: its measured structure (unstructured) does not fit
func.func @fits() {
  %w = sxf.weight "w34" {format = #sxf.format<nm[3, 4], index = 2>, value = dense<[[1.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 1.0], [1.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 1.0]]> : tensor<4x4xf32>} : tensor<4x4xf32>
  return
}

// -----

func.func @does_not_fit() {
  %w = sxf.weight "w34" {format = #sxf.format<nm[2, 4], index = 2>, value = dense<[[1.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 1.0], [1.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 1.0]]> : tensor<4x4xf32>} : tensor<4x4xf32>
  return
}

// -----

func.func @one_of_eight() {
  %w = sxf.weight "w18" {format = #sxf.format<nm[1, 8], index = 4>, value = dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]]> : tensor<1x16xf32>} : tensor<1x16xf32>
  return
}
