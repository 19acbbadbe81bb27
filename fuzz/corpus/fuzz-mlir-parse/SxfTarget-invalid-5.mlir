
// Tests that units must exist.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{unit 2 does not exist (the target has 2 units)}}
  sxft.buffer @b [1, 1] grid [1, 1] on 2 bytes 10
}

