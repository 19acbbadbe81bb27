// RUN: sparse-opt %s -split-input-file -verify-diagnostics

// Tests that an unknown sparsity pattern is rejected with the valid names.
// expected-error @+1 {{unknown sparsity pattern 'diagonal' (expected dense, unstructured, block or nm)}}
func.func @negative_pattern() attributes {s = #sxf.sparsity<diagonal>} {
  return
}

// -----

// Tests that unstructured sparsity needs a density.
// expected-error @+1 {{sparsity pattern 'unstructured' requires `density = <value>`}}
func.func @negative_missing_density() attributes {s = #sxf.sparsity<unstructured>} {
  return
}

// -----

// Tests that an unknown storage format is rejected with the valid names.
// expected-error @+1 {{unknown storage format 'hash' (expected dense, csr, csc, coo, bsr, nm or ell)}}
func.func @negative_format() attributes {f = #sxf.format<hash>} {
  return
}

// -----

// Tests that an unknown format parameter is rejected.
// expected-error @+1 {{unknown format parameter 'align' (expected value or index)}}
func.func @negative_format_param() attributes {f = #sxf.format<csr, align = 4>} {
  return
}

// -----

// Tests that a bsr format needs its block shape.
// expected-error @+1 {{expected '['}}
func.func @negative_bsr_without_block() attributes {f = #sxf.format<bsr>} {
  return
}

// -----

// Tests that an nm format needs positive N and M.
// expected-error @+1 {{nm format 0:4 needs positive N and M}}
func.func @negative_nm_zero() attributes {f = #sxf.format<nm[0, 4]>} {
  return
}

// -----

// Tests that a negative density is rejected, not replaced by a default.
// expected-error @+1 {{density -0.5 is outside [0, 1]}}
func.func @negative_density_value() attributes {s = #sxf.sparsity<nm[2, 4], density = -0.5>} {
  return
}

// -----

// Tests that a negative index width is rejected as written.
// expected-error @+1 {{index width -8 is not one of 8, 16, 32, 64}}
func.func @negative_index_negative() attributes {f = #sxf.format<csr, index = -8>} {
  return
}

// -----

// Tests that a repeated format parameter is rejected.
// expected-error @+1 {{format parameter 'value' is repeated}}
func.func @negative_repeated_value() attributes {f = #sxf.format<csr, value = f16, value = bf16>} {
  return
}

// -----

// Tests that a #sxf.target's name must be its description's name.
// expected-error @+1 {{#sxf.target<"a">: the description's 'name' must be "a"}}
func.func @negative_target_name() attributes {t = #sxf.target<"a", {name = "b"}>} {
  return
}

// -----

// Tests that sxf.target belongs on the module and holds a #sxf.target.
// expected-error @+1 {{'sxf.target' must be a #sxf.target, got "ipu-mk2"}}
module attributes {sxf.target = "ipu-mk2"} {
}

// -----

// expected-error @+1 {{'sxf.target' belongs on the module}}
func.func @negative_target_place() attributes {sxf.target = #sxf.target<"a", {name = "a"}>} {
  return
}

// -----

// Tests that a negative block size is refused at the number, not wrapped
// around to 4294967292.
func.func @negative_block(%x: tensor<8x768xf32>) {
  // expected-error @+1 {{expected a non-negative integer below 2^32, got -4}}
  %w = sxf.weight "w" {format = #sxf.format<bsr[-4, 4]>} : tensor<768x768xf32>
  return
}

// -----

// Tests that a negative N:M group is refused the same way.
func.func @negative_nm(%x: tensor<8x768xf32>) {
  // expected-error @+1 {{expected a non-negative integer below 2^32, got -4}}
  %w = sxf.weight "w" {format = #sxf.format<nm[2, -4]>} : tensor<768x768xf32>
  return
}
