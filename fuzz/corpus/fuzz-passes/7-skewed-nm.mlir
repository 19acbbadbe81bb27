// A linear whose 8x4 weight is 2:4 sparse with two rows twice as heavy as
// the others: used by tile-toy.test (column groups of 4 cannot be split,
// so the tiler must balance rows by nonzeros).
module {
  func.func @forward(%x: tensor<2x3x4xf32> {sxf.name = "x"}) -> (tensor<2x3x8xf32> {sxf.name = "y"}) {
    %w = sxf.weight "fc.weight" {value = dense<[[1.0, 2.0, 0.0, 0.0], [0.0, 1.0, 0.0, 3.0], [0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 0.0, 3.0], [4.0, 0.0, 0.0, 0.0], [0.0, 5.0, 0.0, 0.0], [0.0, 0.0, 6.0, 0.0], [0.0, 0.0, 0.0, 7.0]]> : tensor<8x4xf32>, format = #sxf.format<nm[2, 4], index = 8>} : tensor<8x4xf32>
    %y = sxf.linear %x, %w : (tensor<2x3x4xf32>, tensor<8x4xf32>) -> tensor<2x3x8xf32>
    return %y : tensor<2x3x8xf32>
  }
}
