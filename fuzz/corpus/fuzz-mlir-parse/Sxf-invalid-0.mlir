
// Tests that a density outside [0, 1] is rejected.
func.func @negative_density() {
  // expected-error @+1 {{density 1.5 is outside [0, 1]}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<unstructured, density = 1.5>} : tensor<4x4xf32>
  return
}

