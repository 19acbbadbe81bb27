
// Tests that a grid whose unit count overflows int64 is refused.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 4 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{spans more units than int64 counts but the target has 4}}
  sxft.buffer @x [65536, 65536] grid [65536, 65536] on 0 bytes 8 {replicas = 4294967296 : i64}
}

