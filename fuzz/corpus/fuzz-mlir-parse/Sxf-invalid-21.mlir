
// Tests that sxf.name must be a string.
// expected-error @+1 {{'sxf.name' of argument 0 must be a string, got 3 : i64}}
func.func @negative_arg_name_type(%x: tensor<1x4xf32> {sxf.name = 3}) {
  return
}

