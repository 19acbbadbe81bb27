
// Tests that a unit over its SRAM is rejected with the overflow.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 100 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{unit 0 holds 150 bytes, over its 100-byte SRAM by 50}}
  sxft.partition @a of "w" [2, 2] grid [1, 1] on 0 bytes 90 nnz 4
  sxft.buffer @b [1, 2] grid [1, 1] on 0 bytes 60 {input = 0 : i64}
}

