// A two-layer MLP with a CSR and a 2x2-BSR weight (to-linalg.test).
module {
  func.func @forward(%x: tensor<1x3x4xf32> {sxf.name = "x"}) -> (tensor<1x3x4xf32> {sxf.name = "y"}) {
    %w1 = sxf.weight "fc1.weight" {value = dense<[[2.04, -2.56, 0.00, -0.57], [0.00, -0.22, 0.00, 0.00], [-0.87, 3.32, 0.00, -0.35], [0.00, -0.67, -1.06, 0.00], [0.48, -0.24, 0.96, -0.20], [0.00, 1.55, 0.55, 0.00]]> : tensor<6x4xf32>, format = #sxf.format<csr, index = 8>} : tensor<6x4xf32>
    %b1 = sxf.weight "fc1.bias" {value = dense<[-0.02, -0.37, -1.72, 1.68, 0.75, 0.75]> : tensor<6xf32>} : tensor<6xf32>
    %w2 = sxf.weight "fc2.weight" {value = dense<[[0.75, 0.19, 1.11, -0.21, -0.93, 0.58], [0.58, -0.21, -0.78, 0.23, -2.49, 0.69], [0.49, -1.64, 0.06, -0.96, 0.00, -0.00], [-0.91, 0.71, 1.16, -2.16, -0.00, 0.00]]> : tensor<4x6xf32>, format = #sxf.format<bsr[2, 2], index = 8>} : tensor<4x6xf32>
    %h = sxf.linear %x, %w1, %b1 activation gelu : (tensor<1x3x4xf32>, tensor<6x4xf32>, tensor<6xf32>) -> tensor<1x3x6xf32>
    %y = sxf.linear %h, %w2 residual(%x) : (tensor<1x3x6xf32>, tensor<4x6xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
    return %y : tensor<1x3x4xf32>
  }
  func.func @main() {
    %x = arith.constant dense<[[[1.14, 0.35, -0.64, -0.80], [-0.80, 1.37, -1.46, -0.60], [-0.32, 0.22, 0.58, -1.25]]]> : tensor<1x3x4xf32>
    %y = call @forward(%x) : (tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
    %u = tensor.cast %y : tensor<1x3x4xf32> to tensor<*xf32>
    call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
    return
  }
  func.func private @printMemrefF32(%ptr : tensor<*xf32>) attributes { llvm.emit_c_interface }
}
