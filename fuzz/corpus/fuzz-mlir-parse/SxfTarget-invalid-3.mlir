
// Tests that cuts must cover the whole weight.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{row_cuts must be 3 positions rising strictly from 0 to 4, got [0, 3, 3]}}
  sxft.partition @a of "w" [4, 4] grid [2, 1] on 0 bytes 10 nnz 8 {row_cuts = array<i64: 0, 3, 3>}
}

