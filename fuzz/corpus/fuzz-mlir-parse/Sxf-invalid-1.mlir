
// Tests that N > M is rejected.
func.func @negative_n_greater_than_m() {
  // expected-error @+1 {{N:M pattern 4:2 has N > M}}
  %w = sxf.weight "w" {sparsity = #sxf.sparsity<nm[4, 2]>} : tensor<4x4xf32>
  return
}

