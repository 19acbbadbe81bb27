
// Tests that an N:M density above N/M is rejected.
func.func @negative_nm_density() {
  // expected-error @+1 {{density 0.75 exceeds 2/4 allowed by the N:M pattern}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<nm[2, 4], density = 0.75>} : tensor<4x4xf32>
  return
}

