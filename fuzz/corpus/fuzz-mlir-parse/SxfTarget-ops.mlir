
// Tests that a small mapping round-trips: a 16x8 weight in a 2x2 grid of
// blocks on units 0..3, its input broadcast to the blocks, partial sums
// reduced into the output, and a second section that streams a weight.
sxft.program for @forward attributes {target = "toy", kind = "ipu", units = 4 : i64, sram_per_unit = 4096 : i64, tokens = 8 : i64} {
  sxft.partition @w of "fc.weight" [16, 8] grid [2, 2] on 0 bytes 128 nnz 32 {format = #sxf.format<csr, index = 8>, row_cuts = array<i64: 0, 5, 16>}
  sxft.partition @h of "head.weight" [4, 16] grid [1, 1] on 3 bytes 64 nnz 64 {offchip, section = 1 : i64}
  sxft.buffer @x [8, 8] grid [1, 1] on 0 bytes 256 {input = 0 : i64}
  sxft.buffer @xin [8, 8] grid [1, 2] on 0 bytes 128 {replicas = 2 : i64}
  sxft.buffer @part [8, 16] grid [1, 2] on 0 bytes 256 {replicas = 2 : i64, interleave, partial, col_cuts = array<i64: 0, 5, 16>}
  sxft.buffer @y [8, 16] grid [1, 2] on 0 bytes 256 {col_cuts = array<i64: 0, 5, 16>}
  sxft.buffer @yh [8, 16] grid [1, 1] on 3 bytes 512
  sxft.buffer @z [8, 4] grid [1, 1] on 3 bytes 128 {output = 0 : i64}
  sxft.step 0 {
    sxft.exchange @x to @xin bytes 768
    sxft.compute "matmul" on 0 span 4 @w reads [@xin] writes [@part] flops 512 {op = 0 : i64}
  }
  sxft.step 1 {
    sxft.exchange @part to @y bytes 512
    sxft.compute "epilogue" on 0 span 2 reads [@y] writes [@y] flops 128 {op = 0 : i64}
  }
  sxft.step 2 attributes {section = 1 : i64, layer = "head"} {
    sxft.load @h bytes 64
    sxft.exchange @y to @yh bytes 512
    sxft.compute "matmul" on 3 span 1 @h reads [@yh] writes [@z] flops 1024 {op = 1 : i64}
  }
}
