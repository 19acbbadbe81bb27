
// Tests that an nm format needs positive N and M.
// expected-error @+1 {{nm format 0:4 needs positive N and M}}
func.func @negative_nm_zero() attributes {f = #sxf.format<nm[0, 4]>} {
  return
}

