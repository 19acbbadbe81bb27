
// Tests that an unknown format parameter is rejected.
// expected-error @+1 {{unknown format parameter 'align' (expected value or index)}}
func.func @negative_format_param() attributes {f = #sxf.format<csr, align = 4>} {
  return
}

