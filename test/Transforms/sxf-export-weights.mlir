// RUN: rm -rf %t && mkdir -p %t
// RUN: sparse-opt %s --sxf-weights-out=%t/w.safetensors -o %t/out.mlir
// RUN: FileCheck %s < %t/out.mlir
// RUN: sparse-opt %t/out.mlir --sxf-sparsity-report -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: %python %S/Inputs/dump_safetensors.py %t/w.safetensors | FileCheck %s --check-prefix=FILE

// The pass form, with f16 storage.
// RUN: sparse-opt %s --sxf-export-weights="file=%t/h.safetensors dtype=f16" -o /dev/null
// RUN: %python %S/Inputs/dump_safetensors.py %t/h.safetensors | FileCheck %s --check-prefix=HALF

// Errors.
// RUN: not sparse-opt %s --sxf-export-weights="file=%t/x.safetensors dtype=f8" 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: not sparse-opt %s --sxf-export-weights 2>&1 | FileCheck %s --check-prefix=NOFILE
// RUN: not sparse-opt %s --sxf-weights-out=%t/no/such/dir/w.safetensors 2>&1 | FileCheck %s --check-prefix=NODIR

// Tests that every weight (zeros included) is written, the module then
// points at the file, and the inline values are gone.
// CHECK: module attributes {sxf.weights_file = "{{.*}}w.safetensors"}
// CHECK-NOT: dense
// CHECK: sxf.weight "a" : tensor<2x3xf32>
// CHECK: sxf.weight "b" : tensor<3xf32>

// REPORT: a 2x3 6 4 0.6667
// REPORT: b 3 3 0 0.0000

// FILE: a F32 [2, 3] [1.0, 0.0, 2.0, 0.0, 3.0, 4.0]
// FILE: b F32 [3] [0.0, 0.0, 0.0]
// HALF: a F16 [2, 3] [1.0, 0.0, 2.0, 0.0, 3.0, 4.0]

// DTYPE: sparse-opt: error: for the --dtype option: 'f8' is not one of f32, f16, bf16
// NOFILE: error: sxf-export-weights: option 'file' is required
// NODIR: error: sxf-export-weights: {{.*}}no/such/dir/w.safetensors{{.*}}
func.func @forward(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %a = sxf.weight "a" {value = dense<[[1.0, 0.0, 2.0], [0.0, 3.0, 4.0]]> : tensor<2x3xf32>} : tensor<2x3xf32>
  %b = sxf.weight "b" {value = dense<0.0> : tensor<3xf32>} : tensor<3xf32>
  %y = sxf.linear %x, %a : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
