// A result named to leave the output folder, and an input name that would
// split the generated program's spec.
func.func @forward(%x: tensor<1x4xf32> {sxf.name = "x"}) -> (tensor<1x4xf32> {sxf.name = "../escaped"}) {
  return %x : tensor<1x4xf32>
}
