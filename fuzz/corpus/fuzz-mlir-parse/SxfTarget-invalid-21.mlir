
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{bytes 2251799813685248 is more than the 1125899906842624 one op may declare}}
  sxft.partition @a of "w" [2, 2] grid [1, 1] on 0 bytes 2251799813685248 nnz 4
}
