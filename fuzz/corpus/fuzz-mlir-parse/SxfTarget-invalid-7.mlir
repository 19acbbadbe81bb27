
// Tests that an exchange needs a producer.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @b [1, 4] grid [1, 1] on 0 bytes 16
  sxft.buffer @c [1, 4] grid [1, 2] on 0 bytes 8
  sxft.step 0 {
    // expected-error @+1 {{exchanges buffer @b that no compute has produced}}
    sxft.exchange @b to @c bytes 8
  }
}

