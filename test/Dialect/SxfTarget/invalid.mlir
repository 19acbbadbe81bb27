// RUN: sparse-opt %s -split-input-file -verify-diagnostics

// Tests that a unit over its SRAM is rejected with the overflow.
sxft.program attributes {target = "toy", units = 2 : i64, sram_per_unit = 100 : i64} {
  // expected-error @+1 {{unit 0 holds 150 bytes, over its 100-byte SRAM by 50}}
  sxft.slice @a of "w" [2, 2] rows [0, 2] cols [0, 2] on 0 bytes 90
  sxft.buffer @b on 0 bytes 60
}

// -----

// Tests that slices must not overlap.
sxft.program attributes {target = "toy", units = 2 : i64, sram_per_unit = 1000 : i64} {
  // expected-note @+1 {{the other slice}}
  sxft.slice @a of "w" [4, 4] rows [0, 3] cols [0, 4] on 0 bytes 10
  // expected-error @+1 {{overlaps another slice of weight 'w'}}
  sxft.slice @b of "w" [4, 4] rows [2, 4] cols [0, 4] on 1 bytes 10
}

// -----

// Tests that slices must cover the whole weight.
sxft.program attributes {target = "toy", units = 2 : i64, sram_per_unit = 1000 : i64} {
  // expected-error @+1 {{the slices of weight 'w' cover 12 of its 16 entries}}
  sxft.slice @a of "w" [4, 4] rows [0, 3] cols [0, 4] on 0 bytes 10
}

// -----

// Tests that a slice must lie inside its weight.
sxft.program attributes {target = "toy", units = 2 : i64, sram_per_unit = 1000 : i64} {
  // expected-error @+1 {{rows [0, 5] and cols [0, 4] are not a non-empty part of the 4x4 weight}}
  sxft.slice @a of "w" [4, 4] rows [0, 5] cols [0, 4] on 0 bytes 10
}

// -----

// Tests that units must exist.
sxft.program attributes {target = "toy", units = 2 : i64, sram_per_unit = 1000 : i64} {
  // expected-error @+1 {{unit 2 does not exist (the target has 2 units)}}
  sxft.buffer @b on 2 bytes 10
}

// -----

// Tests that an exchange needs a producer.
sxft.program attributes {target = "toy", units = 2 : i64, sram_per_unit = 1000 : i64} {
  sxft.buffer @b on 0 bytes 10
  sxft.step 0 {
    // expected-error @+1 {{exchanges buffer @b that no compute has produced}}
    sxft.exchange @b from 0 to [1] bytes 10
  }
}

// -----

// Tests that an exchange sends from the buffer's unit.
sxft.program attributes {target = "toy", units = 2 : i64, sram_per_unit = 1000 : i64} {
  sxft.buffer @x on 0 bytes 10
  sxft.buffer @b on 0 bytes 10
  sxft.step 0 {
    sxft.compute on 0 reads [@x] writes [@b] flops 1
    // expected-error @+1 {{sends buffer @b from unit 1 but it lives on unit 0}}
    sxft.exchange @b from 1 to [0] bytes 10
  }
}

// -----

// Tests that a compute runs where its slice is.
sxft.program attributes {target = "toy", units = 2 : i64, sram_per_unit = 1000 : i64} {
  sxft.slice @a of "w" [2, 2] rows [0, 2] cols [0, 2] on 0 bytes 16
  sxft.buffer @x on 1 bytes 10
  sxft.step 0 {
    // expected-error @+1 {{runs on unit 1 but slice @a is on unit 0}}
    sxft.compute on 1 @a reads [@x] writes [@x] flops 1
  }
}

// -----

// Tests that computes name known buffers.
sxft.program attributes {target = "toy", units = 2 : i64, sram_per_unit = 1000 : i64} {
  sxft.step 0 {
    // expected-error @+1 {{reads unknown buffer @nowhere}}
    sxft.compute on 0 reads [@nowhere] writes [] flops 1
  }
}

// -----

// Tests that steps are ordered.
sxft.program attributes {target = "toy", units = 2 : i64, sram_per_unit = 1000 : i64} {
  sxft.step 1 {
  }
  // expected-error @+1 {{steps must have increasing indices}}
  sxft.step 1 {
  }
}
