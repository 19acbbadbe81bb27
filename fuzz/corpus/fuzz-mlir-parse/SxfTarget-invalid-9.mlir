
// Tests that a compute cannot read what nothing produced.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 4] grid [1, 1] on 0 bytes 16
  sxft.buffer @y [1, 4] grid [1, 1] on 0 bytes 16
  sxft.step 0 {
    // expected-error @+1 {{reads buffer @x before anything has produced it}}
    sxft.compute "rowwise" on 0 span 1 reads [@x] writes [@y] flops 4 {op = 0 : i64}
  }
}

