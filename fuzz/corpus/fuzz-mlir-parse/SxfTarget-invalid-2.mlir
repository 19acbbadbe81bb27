
// Tests that a weight is partitioned only once (covered exactly once).
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-note @+1 {{the first partition}}
  sxft.partition @a of "w" [4, 4] grid [2, 1] on 0 bytes 10 nnz 8
  // expected-error @+1 {{partitions weight 'w' a second time: its entries would be held twice}}
  sxft.partition @b of "w" [4, 4] grid [1, 1] on 1 bytes 10 nnz 16
}

