
// Tests that only off-chip partitions of the step's section are loaded.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.partition @a of "w" [2, 2] grid [1, 1] on 0 bytes 16 nnz 4
  sxft.step 0 {
    // expected-error @+1 {{loads @a, which is not an off-chip partition of section 0}}
    sxft.load @a bytes 16
  }
}

