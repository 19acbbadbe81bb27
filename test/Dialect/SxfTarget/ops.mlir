// RUN: sparse-opt %s | sparse-opt | FileCheck %s

// Tests that a small mapping round-trips: an 8x8 weight in two row halves on
// units 0 and 1, one superstep computing and exchanging.
// CHECK: sxft.program attributes {sram_per_unit = 4096 : i64, target = "toy", units = 4 : i64} {
// CHECK: sxft.slice @q0 of "q" [8, 8] rows [0, 4] cols [0, 8] on 0 bytes 128 {format = #sxf.format<csr, value = f32, index = 8>}
// CHECK: sxft.buffer @y0 on 0 bytes 64
// CHECK: sxft.step 0 {
// CHECK: sxft.compute on 0 @q0 reads [@x] writes [@y0] flops 512
// CHECK: sxft.exchange @y0 from 0 to [1, 2] bytes 64
sxft.program attributes {target = "toy", units = 4 : i64, sram_per_unit = 4096 : i64} {
  sxft.slice @q0 of "q" [8, 8] rows [0, 4] cols [0, 8] on 0 bytes 128 {format = #sxf.format<csr, index = 8>}
  sxft.slice @q1 of "q" [8, 8] rows [4, 8] cols [0, 8] on 1 bytes 128
  sxft.buffer @x on 0 bytes 256
  sxft.buffer @y0 on 0 bytes 64
  sxft.buffer @y1 on 1 bytes 64
  sxft.step 0 {
    sxft.compute on 0 @q0 reads [@x] writes [@y0] flops 512
    sxft.compute on 1 @q1 reads [@x] writes [@y1] flops 512
    sxft.exchange @y0 from 0 to [1, 2] bytes 64
  }
}
