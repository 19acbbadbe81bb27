
// Tests that a buffer shape beyond the element bound is refused (it would be
// a 64 GiB allocation in the functional simulator).
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{shape [4294967295, 4] has more than 4294967296 elements}}
  sxft.buffer @x [4294967295, 4] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
}

