
// Tests that a load of a negative byte count does not verify.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.partition @a of "w" [2, 2] grid [1, 1] on 0 bytes 16 nnz 4 {offchip}
  sxft.step 0 {
    // expected-error @+1 {{bytes must be non-negative}}
    sxft.load @a bytes -16
  }
}

