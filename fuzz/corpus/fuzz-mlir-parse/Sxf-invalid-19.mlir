
// Tests that the sxf.name of an entry argument follows the name rule.
// expected-error @+1 {{'sxf.name' of argument 0 'input ids' contains ' ' at offset 5}}
func.func @negative_arg_name(%x: tensor<1x4xf32> {sxf.name = "input ids"}) {
  return
}

