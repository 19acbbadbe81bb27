// RUN: sparse-opt %s | sparse-opt | FileCheck %s
// The generic form (kinds as #sxft<compute_kind matmul>) round-trips too.
// RUN: sparse-opt %s --mlir-print-op-generic | sparse-opt | FileCheck %s

// Tests that a small mapping round-trips: a 16x8 weight in a 2x2 grid of
// blocks on units 0..3, its input broadcast to the blocks, partial sums
// reduced into the output, and a second section that streams a weight.
// CHECK: sxft.program for @forward attributes {kind = "ipu", sram_per_unit = 4096 : i64, target = "toy", tokens = 8 : i64, units = 4 : i64} {
// CHECK: sxft.partition @w of "fc.weight" [16, 8] grid [2, 2] on 0 bytes 128 nnz 32 {format = #sxf.format<csr, value = f32, index = 8>, row_cuts = array<i64: 0, 5, 16>}
// CHECK: sxft.buffer @part [8, 16] grid [1, 2] on 0 bytes 256 {col_cuts = array<i64: 0, 5, 16>, interleave, partial, replicas = 2 : i64}
// CHECK: sxft.step 0 {
// CHECK: sxft.exchange @x to @xin bytes 768
// CHECK: sxft.compute "matmul" on 0 span 4 @w reads [@xin] writes [@part] flops 512 {op = 0 : i64}
// CHECK: sxft.step 2 attributes {layer = "head", section = 1 : i64} {
// CHECK: sxft.load @h bytes 64
sxft.program for @forward attributes {target = "toy", kind = "ipu", units = 4 : i64, sram_per_unit = 4096 : i64, tokens = 8 : i64} {
  sxft.partition @w of "fc.weight" [16, 8] grid [2, 2] on 0 bytes 128 nnz 32 {format = #sxf.format<csr, index = 8>, row_cuts = array<i64: 0, 5, 16>}
  sxft.partition @h of "head.weight" [4, 16] grid [1, 1] on 3 bytes 64 nnz 64 {offchip, section = 1 : i64}
  sxft.buffer @x [8, 8] grid [1, 1] on 0 bytes 256 {input = 0 : i64}
  sxft.buffer @xin [8, 8] grid [1, 2] on 0 bytes 128 {replicas = 2 : i64}
  sxft.buffer @part [8, 16] grid [1, 2] on 0 bytes 256 {replicas = 2 : i64, interleave, partial, col_cuts = array<i64: 0, 5, 16>}
  sxft.buffer @y [8, 16] grid [1, 2] on 0 bytes 256 {col_cuts = array<i64: 0, 5, 16>}
  sxft.buffer @yh [8, 16] grid [1, 1] on 3 bytes 512
  sxft.buffer @z [8, 4] grid [1, 1] on 3 bytes 128 {output = 0 : i64}
  sxft.step 0 {
    sxft.exchange @x to @xin bytes 768
    sxft.compute "matmul" on 0 span 4 @w reads [@xin] writes [@part] flops 512 {op = 0 : i64}
  }
  sxft.step 1 {
    sxft.exchange @part to @y bytes 512
    sxft.compute "epilogue" on 0 span 2 reads [@y] writes [@y] flops 128 {op = 0 : i64}
  }
  sxft.step 2 attributes {section = 1 : i64, layer = "head"} {
    sxft.load @h bytes 64
    sxft.exchange @y to @yh bytes 512
    sxft.compute "matmul" on 3 span 1 @h reads [@yh] writes [@z] flops 1024 {op = 1 : i64}
  }
}

// Tests that every compute kind and program kind keeps its spelling, and that
// microbatches is printed when it is not the default.
// CHECK: sxft.program for @rdu attributes {kind = "rdu", microbatches = 2 : i64, sram_per_unit = 4096 : i64, target = "toy", tokens = 4 : i64, units = 2 : i64} {
// CHECK: sxft.compute "gather" on 0 span 1 @e reads [@ids, @e] writes [@x] flops 0 {op = 0 : i64}
// CHECK: sxft.compute "rowwise" on 0 span 1 reads [@x] writes [@x] flops 8 {op = 1 : i64}
// CHECK: sxft.compute "attention" on 0 span 1 reads [@x, @x, @x] writes [@a] flops 64 {op = 2 : i64}
// CHECK: sxft.program for @cpu attributes {kind = "cpu"
sxft.program for @rdu attributes {target = "toy", kind = "rdu", units = 2 : i64, sram_per_unit = 4096 : i64, tokens = 4 : i64, microbatches = 2 : i64} {
  sxft.partition @e of "embed" [16, 4] grid [1, 1] on 0 bytes 256 nnz 64 {format = #sxf.format<dense>}
  sxft.buffer @ids [4, 1] grid [1, 1] on 0 bytes 16 {input = 0 : i64}
  sxft.buffer @x [4, 4] grid [1, 1] on 0 bytes 64
  sxft.buffer @a [4, 4] grid [1, 1] on 0 bytes 64 {output = 0 : i64}
  sxft.step 0 attributes {layer = "embed"} {
    sxft.compute "gather" on 0 span 1 @e reads [@ids, @e] writes [@x] flops 0 {op = 0 : i64}
    sxft.compute "rowwise" on 0 span 1 reads [@x] writes [@x] flops 8 {op = 1 : i64}
    sxft.compute "attention" on 0 span 1 reads [@x, @x, @x] writes [@a] flops 64 {op = 2 : i64}
  }
}
sxft.program for @cpu attributes {target = "host", kind = "cpu", units = 1 : i64, sram_per_unit = 4096 : i64, tokens = 1 : i64} {
}

// Tests that the kind may also be given as its attribute.
// CHECK: sxft.program for @typed attributes {kind = "rdu"
sxft.program for @typed attributes {target = "toy", kind = #sxft<program_kind rdu>, units = 1 : i64, sram_per_unit = 4096 : i64, tokens = 1 : i64} {
}
