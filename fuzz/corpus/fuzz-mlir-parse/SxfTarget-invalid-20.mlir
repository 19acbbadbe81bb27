
// Tests that negative or huge flops do not verify.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{flops must be non-negative}}
    sxft.compute "rowwise" on 0 span 1 reads [@x] writes [@x] flops -1 {op = 0 : i64}
  }
}

