// fc1 row 1 is zero but its bias is 1, so the neuron outputs relu(1) = 1
// and stays; row 2 is zero with a zero bias and goes.
func.func @forward(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %f1w = sxf.weight "f1w" {value = dense<[[1.0, 2.0], [0.0, 0.0], [0.0, 0.0], [3.0, 1.0]]> : tensor<4x2xf32>} : tensor<4x2xf32>
  %f1b = sxf.weight "f1b" {value = dense<[0.5, 1.0, 0.0, 0.5]> : tensor<4xf32>} : tensor<4xf32>
  %f2w = sxf.weight "f2w" {value = dense<[[1.0, 1.0, 1.0, 1.0], [2.0, 2.0, 2.0, 2.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %h = sxf.linear %x, %f1w, %f1b activation relu : (tensor<1x2xf32>, tensor<4x2xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  %y = sxf.linear %h, %f2w : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
