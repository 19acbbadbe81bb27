// A single linear whose 8x12 weight has one dense row and seven rows of
// one nonzero: used by tile-toy.test.
module {
  func.func @forward(%x: tensor<1x6x12xf32> {sxf.name = "x"}) -> (tensor<1x6x8xf32> {sxf.name = "y"}) {
    %w = sxf.weight "fc.weight" {value = dense<[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<8x12xf32>, format = #sxf.format<csr, index = 8>} : tensor<8x12xf32>
    %b = sxf.weight "fc.bias" {value = dense<[0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5]> : tensor<8xf32>} : tensor<8xf32>
    %y = sxf.linear %x, %w, %b activation relu : (tensor<1x6x12xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<1x6x8xf32>
    return %y : tensor<1x6x8xf32>
  }
}
