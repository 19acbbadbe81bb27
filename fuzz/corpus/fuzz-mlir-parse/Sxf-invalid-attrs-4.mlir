
// Tests that a bsr format needs its block shape.
// expected-error @+1 {{expected '['}}
func.func @negative_bsr_without_block() attributes {f = #sxf.format<bsr>} {
  return
}

