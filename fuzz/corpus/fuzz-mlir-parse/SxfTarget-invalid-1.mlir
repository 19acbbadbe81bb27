
// Tests that the overflow names the section and counts the units over.
sxft.program for @f attributes {target = "toy", kind = "rdu", units = 2 : i64, sram_per_unit = 100 : i64, tokens = 1 : i64} {
  sxft.partition @a of "w" [2, 2] grid [1, 1] on 0 bytes 90 nnz 4 {offchip}
  // expected-error @+1 {{unit 0 holds 120 bytes in section 1, over its 100-byte SRAM by 20 (2 units are over)}}
  sxft.partition @b of "v" [2, 2] grid [1, 2] on 0 bytes 120 nnz 4 {offchip, section = 1 : i64}
  sxft.step 0 attributes {section = 1 : i64} {
    sxft.load @b bytes 240
  }
}

