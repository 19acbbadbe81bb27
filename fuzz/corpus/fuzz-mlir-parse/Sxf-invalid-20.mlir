
// Tests that the sxf.name of a result follows the name rule.
// expected-error @+1 {{'sxf.name' of result 0 '../x' starts with '.'}}
func.func @negative_result_name(%x: tensor<1x4xf32>) -> (tensor<1x4xf32> {sxf.name = "../x"}) {
  return %x : tensor<1x4xf32>
}

