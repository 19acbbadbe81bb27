
// Tests that other sxf argument attributes are refused.
// expected-error @+1 {{unknown sxf argument attribute 'sxf.nmae'}}
func.func @negative_arg_attr(%x: tensor<1x4xf32> {sxf.nmae = "x"}) {
  return
}

