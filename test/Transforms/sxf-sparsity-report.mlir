// RUN: sparse-opt %s --sxf-sparsity-report="json=%t.json" -o /dev/null | FileCheck %s
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: sparse-opt %s --sxf-sparsity-report="annotate=true output=%t.txt" | FileCheck %s --check-prefix=ANNOT

// Tests the measured pattern, N:M and block detection and the byte counts of
// each format, on weights whose structure is known by construction.

// Expected bytes, worked out by hand:
//   big_meta: 2000 nonzeros in CSR f16/i16 = 2000·2 + 2000·2 + 101·2 = 8202;
//             dense f16 = 20000 (41%, the Aleph Alpha arithmetic).
//   blocky:   one full 4x4 block of 8x8 in CSR f32/i32 = 16·4 + 16·4 + 9·4.
//   nm24:     4 rows · 2 groups · 2 kept = 16 f16 values (32 B) + 16 2-bit
//             indices (4 B) = 36 B against 64 B dense f16.
//   unstr:    3 nonzeros in CSR f32/i32 = 12 + 12 + 3·4 = 36 > 32 dense.
// CHECK-LABEL: sxf sparsity report (5 weights; values: inline or metadata only)
// CHECK: big_meta 100x100 10000 2000 0.2000 unstructured* no no 0.21/-/- 20000 csr f16/i16 8202 41%
// CHECK: blocky 8x8 64 16 0.2500 block 4x4 no yes 1.00/0.25/- 256 csr f32/i32? 164 64%
// CHECK: dense_one 2x4 8 8 1.0000 dense no no -/-/- 32 dense f32? 32 100%
// CHECK: nm24 4x8 32 16 0.5000 2:4 yes yes 0.50/-/- 64 nm[2:4] f16/i2 36 56%
// CHECK: unstr 2x4 8 3 0.3750 unstructured no no -/-/- 32 csr f32/i32? 36 112%
// CHECK: total: 10112 params, 2043 nonzeros (density 0.2020), 20384 bytes dense, 8470 bytes stored (41.6% of dense)

// JSON: "name": "big_meta"
// JSON: "measured": false
// JSON: "format": "csr f16/i16"
// JSON: "stored_bytes": {
// JSON-NEXT: "values": 4000,
// JSON-NEXT: "indices": 4000,
// JSON-NEXT: "pointers": 202,
// JSON-NEXT: "padding_values": 0,
// JSON-NEXT: "total": 8202
// JSON: "name": "nm24"
// JSON: "nm_2_4": true
// JSON: "totals": {

// ANNOT: sxf.weight "nm24" {format = {{.*}}, sparsity = #sxf.sparsity<nm[2, 4]>
// ANNOT: sxf.weight "blocky" {sparsity = #sxf.sparsity<block[4, 4], density = 0.25>
// ANNOT: sxf.weight "unstr" {sparsity = #sxf.sparsity<unstructured, density = 0.375>
// ANNOT: sxf.weight "big_meta" {format = #sxf.format<csr, value = f16, index = 16>, sparsity = #sxf.sparsity<unstructured, density = 0.2>}
func.func @forward() {
  %a = sxf.weight "nm24" {format = #sxf.format<nm[2, 4], value = f16, index = 2>, value = dense<[[1.0, 0.0, 2.0, 0.0, 0.0, 3.0, 0.0, 4.0], [0.0, 0.0, 5.0, 6.0, 7.0, 0.0, 8.0, 0.0], [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0]]> : tensor<4x8xf32>} : tensor<4x8xf32>
  %b = sxf.weight "blocky" {value = dense<[[1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<8x8xf32>} : tensor<8x8xf32>
  %c = sxf.weight "unstr" {value = dense<[[1.0, 2.0, 0.0, 3.0], [0.0, 0.0, 0.0, 0.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %d = sxf.weight "dense_one" {value = dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %e = sxf.weight "big_meta" {sparsity = #sxf.sparsity<unstructured, density = 0.2>, format = #sxf.format<csr, value = f16, index = 16>} : tensor<100x100xf32>
  return
}
