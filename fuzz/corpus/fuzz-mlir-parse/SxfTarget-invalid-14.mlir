
// Tests that a unit count beyond the supported bound is refused before
// anything is allocated per unit (2^40 units).
// expected-error @+1 {{declares 1099511627776 units, more than the 1048576 sxf supports}}
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1099511627776 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
}

