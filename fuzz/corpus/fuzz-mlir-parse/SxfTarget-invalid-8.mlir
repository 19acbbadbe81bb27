
// Tests that an exchange keeps the shape.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @b [1, 4] grid [1, 1] on 0 bytes 16 {input = 0 : i64}
  sxft.buffer @c [1, 3] grid [1, 1] on 1 bytes 12
  sxft.step 0 {
    // expected-error @+1 {{redistributes @b into @c, a buffer of another shape}}
    sxft.exchange @b to @c bytes 12
  }
}

