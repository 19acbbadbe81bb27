
// Tests that a layout cannot span more units than exist.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 4 : i64} {
  // expected-error @+1 {{spans 4 units but the target has 2}}
  sxft.buffer @b [4, 4] grid [2, 1] on 0 bytes 10 {replicas = 2 : i64}
}

