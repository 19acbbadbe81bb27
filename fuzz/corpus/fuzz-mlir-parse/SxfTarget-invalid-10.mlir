
// Tests that a matmul runs where its weight's blocks are.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 4 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.partition @a of "w" [2, 2] grid [2, 1] on 0 bytes 16 nnz 2
  sxft.buffer @x [1, 2] grid [1, 1] on 1 bytes 10 {input = 0 : i64}
  sxft.buffer @y [1, 2] grid [1, 1] on 1 bytes 10
  sxft.step 0 {
    // expected-error @+1 {{runs on units 1 span 2 but the blocks of @a are on units 0 span 2}}
    sxft.compute "matmul" on 1 span 2 @a reads [@x] writes [@y] flops 1 {op = 0 : i64}
  }
}

