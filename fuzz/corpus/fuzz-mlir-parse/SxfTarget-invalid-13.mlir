
// expected-error @+1 {{kind 'gpu' is not one of ipu, rdu, cpu}}
sxft.program for @f attributes {target = "toy", kind = "gpu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
}

