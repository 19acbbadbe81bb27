
// Tests that a negative density is rejected, not replaced by a default.
// expected-error @+1 {{density -0.5 is outside [0, 1]}}
func.func @negative_density_value() attributes {s = #sxf.sparsity<nm[2, 4], density = -0.5>} {
  return
}

