
// Tests that an exchange declaring more bytes than one op may is refused
// (summing it overflowed into negative bytes and energy).
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.buffer @y [1, 2] grid [1, 1] on 0 bytes 8
  sxft.step 0 {
    // expected-error @+1 {{bytes 9223372036854775807 is more than the 1125899906842624 one op may declare}}
    sxft.exchange @x to @y bytes 9223372036854775807
  }
}

