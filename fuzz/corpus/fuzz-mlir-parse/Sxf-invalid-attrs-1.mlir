
// Tests that unstructured sparsity needs a density.
// expected-error @+1 {{sparsity pattern 'unstructured' requires `density = <value>`}}
func.func @negative_missing_density() attributes {s = #sxf.sparsity<unstructured>} {
  return
}

