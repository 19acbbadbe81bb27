
// Tests that a grid cannot have more parts than rows.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 8 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{grid [5, 1] has more parts than the 4x4 tensor has rows or columns}}
  sxft.partition @a of "w" [4, 4] grid [5, 1] on 0 bytes 10 nnz 8
}

