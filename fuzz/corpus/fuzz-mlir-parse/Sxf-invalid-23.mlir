
// Tests that a weight shape must be static.
func.func @negative_dynamic_weight() {
  // expected-error @+1 {{weight shape must be static, got ?x4}}
  %w = sxf.weight "w" : tensor<?x4xf32>
  return
}

