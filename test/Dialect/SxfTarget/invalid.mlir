// RUN: sparse-opt %s -split-input-file -verify-diagnostics

// What each op's verifier checks. The whole-program checks (SRAM occupancy,
// each weight partitioned once, reads after writes) are an analysis that
// sxf-tile and sparse-sim run: test/Tile/program-checks.test.

// Tests that cuts must cover the whole weight.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{row_cuts must be 3 positions rising strictly from 0 to 4, got [0, 3, 3]}}
  sxft.partition @a of "w" [4, 4] grid [2, 1] on 0 bytes 10 nnz 8 {row_cuts = array<i64: 0, 3, 3>}
}

// -----

// Tests that a grid cannot have more parts than rows.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 8 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{grid [5, 1] has more parts than the 4x4 tensor has rows or columns}}
  sxft.partition @a of "w" [4, 4] grid [5, 1] on 0 bytes 10 nnz 8
}

// -----

// Tests that units must exist.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{unit 2 does not exist (the target has 2 units)}}
  sxft.buffer @b [1, 1] grid [1, 1] on 2 bytes 10
}

// -----

// Tests that a layout cannot span more units than exist.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 4 : i64} {
  // expected-error @+1 {{spans 4 units but the target has 2}}
  sxft.buffer @b [4, 4] grid [2, 1] on 0 bytes 10 {replicas = 2 : i64}
}

// -----

// Tests that an exchange keeps the shape.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @b [1, 4] grid [1, 1] on 0 bytes 16 {input = 0 : i64}
  sxft.buffer @c [1, 3] grid [1, 1] on 1 bytes 12
  sxft.step 0 {
    // expected-error @+1 {{redistributes @b into @c, a buffer of another shape}}
    sxft.exchange @b to @c bytes 12
  }
}

// -----

// Tests that a matmul runs where its weight's blocks are.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 4 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.partition @a of "w" [2, 2] grid [2, 1] on 0 bytes 16 nnz 2
  sxft.buffer @x [1, 2] grid [1, 1] on 1 bytes 10 {input = 0 : i64}
  sxft.buffer @y [1, 2] grid [1, 1] on 1 bytes 10
  sxft.step 0 {
    // expected-error @+1 {{runs on units 1 span 2 but the blocks of @a are on units 0 span 2}}
    sxft.compute "matmul" on 1 span 2 @a reads [@x] writes [@y] flops 1 {op = 0 : i64}
  }
}

// -----

// Tests that only off-chip partitions of the step's section are loaded.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.partition @a of "w" [2, 2] grid [1, 1] on 0 bytes 16 nnz 4
  sxft.step 0 {
    // expected-error @+1 {{loads @a, which is not an off-chip partition of section 0}}
    sxft.load @a bytes 16
  }
}

// -----

// Tests that compute kinds are checked.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{kind 'conv' is not one of matmul, epilogue, rowwise, attention, gather}}
    sxft.compute "conv" on 0 span 1 reads [@x] writes [@x] flops 1 {op = 0 : i64}
  }
}

// -----

// expected-error @+1 {{kind 'gpu' is not one of ipu, rdu, cpu}}
sxft.program for @f attributes {target = "toy", kind = "gpu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
}

// -----

// Tests that a unit count beyond the supported bound is refused before
// anything is allocated per unit (2^40 units).
// expected-error @+1 {{declares 1099511627776 units, more than the 1048576 sxf supports}}
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1099511627776 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
}

// -----

// Tests that a load of a negative byte count does not verify.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.partition @a of "w" [2, 2] grid [1, 1] on 0 bytes 16 nnz 4 {offchip}
  sxft.step 0 {
    // expected-error @+1 {{'sxft.load' op attribute 'bytes' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
    sxft.load @a bytes -16
  }
}

// -----

// Tests that an exchange of a negative byte count does not verify.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.buffer @y [1, 2] grid [1, 1] on 0 bytes 8
  sxft.step 0 {
    // expected-error @+1 {{'sxft.exchange' op attribute 'bytes' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
    sxft.exchange @x to @y bytes -8
  }
}

// -----

// Tests that a buffer shape beyond the element bound is refused (it would be
// a 64 GiB allocation in the functional simulator).
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{shape [4294967295, 4] has more than 4294967296 elements}}
  sxft.buffer @x [4294967295, 4] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
}

// -----

// Tests that a grid whose unit count overflows int64 is refused.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 4 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{spans more units than int64 counts but the target has 4}}
  sxft.buffer @x [65536, 65536] grid [65536, 65536] on 0 bytes 8 {replicas = 4294967296 : i64}
}

// -----

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

// -----

// Tests that negative or huge flops do not verify.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{'sxft.compute' op attribute 'flops' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
    sxft.compute "rowwise" on 0 span 1 reads [@x] writes [@x] flops -1 {op = 0 : i64}
  }
}

// -----

sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{bytes 2251799813685248 is more than the 1125899906842624 one op may declare}}
  sxft.partition @a of "w" [2, 2] grid [1, 1] on 0 bytes 2251799813685248 nnz 4
}

// -----

// Tests that flops beyond the bound one op may declare are refused.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{flops 2305843009213693952 is more than the 1152921504606846976 one op may declare}}
    sxft.compute "rowwise" on 0 span 1 reads [@x] writes [@x] flops 2305843009213693952 {op = 0 : i64}
  }
}

// -----

// Tests that a program's counts are positive (a typed attribute).
// expected-error @+1 {{'sxft.program' op attribute 'units' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 0 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
}

// -----

// Tests that a replica count is positive.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{'sxft.buffer' op attribute 'replicas' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  sxft.buffer @b [1, 1] grid [1, 1] on 0 bytes 10 {replicas = -1 : i64}
}

// -----

// Tests that a compute's units exist.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{unit 2 does not exist (the target has 2 units)}}
    sxft.compute "rowwise" on 2 span 1 reads [@x] writes [@x] flops 1 {op = 0 : i64}
  }
}

// -----

// Tests that a compute spans no more units than exist.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{span 3 is not between 1 and 2}}
    sxft.compute "rowwise" on 0 span 3 reads [@x] writes [@x] flops 1 {op = 0 : i64}
  }
}

// -----

// Tests that a matmul names its weight's partition.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{'matmul' needs a weight partition}}
    sxft.compute "matmul" on 0 span 1 reads [@x] writes [@x] flops 1 {op = 0 : i64}
  }
}

// -----

// Tests that a compute names a partition that exists.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{unknown partition @w}}
    sxft.compute "matmul" on 0 span 1 @w reads [@x] writes [@x] flops 1 {op = 0 : i64}
  }
}

// -----

// Tests that a compute writes a buffer that exists.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{writes unknown buffer @y}}
    sxft.compute "rowwise" on 0 span 1 reads [@x] writes [@y] flops 1 {op = 0 : i64}
  }
}

// -----

// Tests that nothing is exchanged into a partial-sum buffer.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.buffer @p [1, 2] grid [1, 1] on 0 bytes 8 {replicas = 2 : i64, partial}
  sxft.step 0 {
    // expected-error @+1 {{cannot exchange into the partial-sum buffer @p}}
    sxft.exchange @x to @p bytes 8
  }
}

// -----

// Tests that a load names a partition that exists.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.step 0 {
    // expected-error @+1 {{loads unknown partition @a}}
    sxft.load @a bytes 16
  }
}

// -----

// Tests that steps are in order.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.step 1 {
  }
  // expected-error @+1 {{steps must have increasing indices}}
  sxft.step 1 {
  }
}

// -----

// Tests that sections do not decrease.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.step 0 attributes {section = 1 : i64} {
  }
  // expected-error @+1 {{sections must not decrease from step to step}}
  sxft.step 1 {
  }
}

// -----

// Tests that a partition's format is an #sxf.format.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  // expected-error @+1 {{'sxft.partition' op attribute 'format' failed to satisfy constraint}}
  sxft.partition @a of "w" [2, 2] grid [1, 1] on 0 bytes 16 nnz 4 {format = "csr"}
}

// -----

// Tests that partitions live in a program.
// expected-error @+1 {{'sxft.partition' op expects parent op 'sxft.program'}}
sxft.partition @a of "w" [2, 2] grid [1, 1] on 0 bytes 16 nnz 4

// -----

// Tests that a streamed buffer has at least one row per chunk.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 8 : i64} {
  // expected-error @+1 {{'sxft.buffer' op is streamed in 9 chunks, more than the 4 rows of its largest block}}
  sxft.buffer @b [8, 4] grid [2, 1] on 0 bytes 16 {chunks = 9 : i64}
}

// -----

// Tests that chunk counts are positive.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 8 : i64} {
  // expected-error @+1 {{'sxft.buffer' op attribute 'chunks' failed to satisfy constraint}}
  sxft.buffer @b [8, 4] grid [2, 1] on 0 bytes 16 {chunks = 0 : i64}
}

// -----

// Tests that a partition in pieces is off-chip.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 8 : i64} {
  // expected-error @+1 {{'sxft.partition' op is streamed in 3 pieces but is not off-chip (pieces are loaded from off-chip memory)}}
  sxft.partition @a of "w" [8, 8] grid [2, 1] on 0 bytes 16 nnz 4 {pieces = 3 : i64}
}

// -----

// Tests that a partition has at least one row per piece.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 8 : i64} {
  // expected-error @+1 {{'sxft.partition' op is streamed in 5 pieces, more than the 4 rows of its largest block}}
  sxft.partition @a of "w" [8, 8] grid [2, 1] on 0 bytes 16 nnz 4 {offchip, pieces = 5 : i64}
}

// -----

// Tests that piece counts are positive.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 8 : i64} {
  // expected-error @+1 {{'sxft.partition' op attribute 'pieces' failed to satisfy constraint}}
  sxft.partition @a of "w" [8, 8] grid [2, 1] on 0 bytes 16 nnz 4 {offchip, pieces = -1 : i64}
}

// -----

// Tests that a step's chunk count is positive.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 8 : i64} {
  // expected-error @+1 {{'sxft.step' op attribute 'chunks' failed to satisfy constraint}}
  sxft.step 0 attributes {chunks = 0 : i64} {
  }
}

// -----

// Tests that an update runs only in a program with AdamW's hyper-parameters.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.partition @w of "w" [1, 2] grid [1, 1] on 0 bytes 8 nnz 2
  sxft.buffer @g [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{'update' runs in a program with `adamw` only}}
    sxft.compute "update" on 0 span 1 @w reads [@g] writes [] flops 32 {op = 0 : i64}
  }
}

// -----

// Tests that an update writes no buffer (it updates its partition).
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64, adamw = {lr = 1.0e-03 : f64, beta1 = 0.9 : f64, beta2 = 0.999 : f64, eps = 1.0e-08 : f64, weight_decay = 0.01 : f64}} {
  sxft.partition @w of "w" [1, 2] grid [1, 1] on 0 bytes 8 nnz 2
  sxft.buffer @g [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{'update' reads one gradient buffer and writes none (it updates its partition)}}
    sxft.compute "update" on 0 span 1 @w reads [@g] writes [@g] flops 32 {op = 0 : i64}
  }
}

// -----

// Tests that AdamW's hyper-parameters are all given and in range.
// expected-error @+1 {{adamw: 'eps' is missing or not a float}}
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64, adamw = {lr = 1.0e-03 : f64, beta1 = 0.9 : f64, beta2 = 0.999 : f64, weight_decay = 0.01 : f64}} {
}

// -----

// expected-error @+1 {{AdamW: beta2 = 1 is outside [0, 1)}}
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64, adamw = {lr = 1.0e-03 : f64, beta1 = 0.9 : f64, beta2 = 1.0 : f64, eps = 1.0e-08 : f64, weight_decay = 0.01 : f64}} {
}

// -----

// Tests that a compute other than an update writes a buffer.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 1 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.buffer @x [1, 2] grid [1, 1] on 0 bytes 8 {input = 0 : i64}
  sxft.step 0 {
    // expected-error @+1 {{writes no buffer}}
    sxft.compute "rowwise" on 0 span 1 reads [@x] writes [] flops 1 {op = 0 : i64}
  }
}

// -----

// Tests that only an off-chip partition is written back.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64, adamw = {lr = 1.0e-3 : f64, beta1 = 0.9 : f64, beta2 = 0.999 : f64, eps = 1.0e-8 : f64, weight_decay = 0.0 : f64}} {
  sxft.partition @w of "w" [2, 2] grid [1, 1] on 0 bytes 16 nnz 4
  sxft.buffer @g [2, 2] grid [1, 1] on 0 bytes 16
  sxft.step 0 {
    sxft.compute "update" on 0 span 1 @w reads [@g] writes [] flops 64 {op = 0 : i64}
    // expected-error @+1 {{stores @w, which is not an off-chip partition (a resident weight is updated in place)}}
    sxft.store @w bytes 16
  }
}

// -----

// Tests that a store writes back what an update of its step changed.
sxft.program for @f attributes {target = "toy", kind = "ipu", units = 2 : i64, sram_per_unit = 1000 : i64, tokens = 1 : i64} {
  sxft.partition @w of "w" [2, 2] grid [1, 1] on 0 bytes 16 nnz 4 {offchip}
  sxft.step 0 {
    // expected-error @+1 {{stores @w, which no 'update' before it in the step changes}}
    sxft.store @w bytes 16
  }
}
