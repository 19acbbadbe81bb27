
// Tests that a repeated format parameter is rejected.
// expected-error @+1 {{format parameter 'value' is repeated}}
func.func @negative_repeated_value() attributes {f = #sxf.format<csr, value = f16, value = bf16>} {
  return
}
