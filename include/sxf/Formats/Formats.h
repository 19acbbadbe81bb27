//===- Formats.h - Sparse storage formats: encode, decode, cost -*- C++ -*-===//
//
// The storage formats sxf keeps weights in, as real byte arrays: encode() lays
// a dense matrix out in a format exactly as it would sit in memory, decode()
// turns it back into a dense fp32 matrix, and estimateBytes() says what the
// encoding occupies from counts alone (for metadata-only weights and cost
// models). encode(x).bytes() == estimateBytes(countMatrix(x, spec), spec)
// always, and both agree with SparsityStats' formatBytes() for the formats it
// knows.
//
// This library has no MLIR dependency (LLVM Support and sxf Support only).
// The vocabulary (kinds and their spellings, FormatSpec, the index / pointer
// width rules, specProblem / shapeProblem, estimateBytes, the f16 / bf16
// conversions) is the runtime's dependency-free sxf_rt/format_kinds.h,
// brought into this namespace: compiler and runtime share one definition.
//
//   FormatSpec spec{Kind::CSR};
//   spec.valueType = ValueType::F16;
//   spec.indexBits = chooseIndexBits(spec, rows, cols, nnz);
//   llvm::Expected<EncodedMatrix> m = encode(weight, spec);
//   if (!m) return m.takeError();
//   int64_t onDisk = m->bytes().total();
//
// Common conventions
// ------------------
// * A *nonzero* is a value with v != 0.0f (as measureWeight counts them):
//   sparse formats store neither +0 nor -0, so an input -0.0 decodes to +0.0.
//   NaN counts as a nonzero.
// * A *stored pattern* (encode's and countMatrix's optional `pattern`: one
//   byte per position, row-major, nonzero = stored) replaces that rule: the
//   pattern's positions are what every layout below calls the nonzeros,
//   whatever their values (a stored 0.0 stays stored), and the others are
//   not stored even when nonzero: where a layout still has a slot for one
//   (dense, the rest of a bsr block) the slot holds +0, so decode(encode(x,
//   s, p)) is x with the positions outside p zeroed. Training keeps a weight's
//   pattern this way (a regrown weight starts at 0.0;
//   include/sxf/Training/Sparsity.h). nm and ell refuse a pattern: their
//   padding is value +0 (decode and the runtime's forEachStored tell it by
//   value), so a stored 0.0 would read as padding.
// * Values are stored little-endian in the spec's value type (f32: IEEE
//   binary32 bits; f16: IEEE binary16; bf16: the top half of binary32), each
//   rounded with floatToHalf / floatToBf16 (round to nearest even). Rounding
//   is not an error; decode returns exactly the rounded values. A nonzero that
//   rounds to zero is still stored (nonzero-ness is decided on the fp32
//   input, so byte counts never depend on the value type's range).
// * Indices take exactly `indexBits` bits each (8, 16, 32 or 64), stored
//   little-endian; nm may use 2 or 4 bits, packed LSB-first: entry i occupies
//   bits [i*b, (i+1)*b) of the stream, stream bit k being bit (k % 8) of byte
//   k / 8 (ceil(count*b/8) bytes).
// * Pointers (row / column / block-row offsets) are pointerBits(
//   indexBits, largest pointer) wide: at least the index width (and 8 bits),
//   doubled until the largest pointer fits.
// * Every array occupies ceil(count * bits / 8) bytes.
//
// Layouts, on the 4x6 example matrix
//
//     [ 1 0 0 2 0 0 ]
//     [ 0 0 0 0 0 0 ]
//     [ 0 3 0 0 4 5 ]
//     [ 6 0 0 0 0 7 ]
//
// Dense      values  = all rows*cols values, row-major.
// CSR        values  = [1 2 3 4 5 6 7]           (row-major order)
//            indices = colIdx [0 3 1 4 5 0 5]
//            pointers= rowPtr [0 2 2 5 7]         (rows+1 entries)
// CSC        values  = [1 6 3 2 4 5 7]           (column-major order)
//            indices = rowIdx [0 3 2 0 2 2 3]
//            pointers= colPtr [0 2 3 3 4 5 7]     (cols+1 entries)
// COO        values  = [1 2 3 4 5 6 7]           (row-major order)
//            indices = rowIdx [0 0 2 2 2 3 3] then colIdx [0 3 1 4 5 0 5]
//            pointers= none
// BSR[BxC]   a block is stored iff it holds a nonzero; stored blocks in
//            block-row order, block columns ascending; each block's B*C
//            values row-major (its zeros are padding).
//            With 2x2 blocks, block grid 2x3:
//            pointers= blockRowPtr [0 2 4]        (rows/B+1 entries)
//            indices = blockCol [0 1 0 2]
//            values  = [1 0 0 0 | 0 2 0 0 | 0 3 6 0 | 4 5 0 7]
//            (16 stored, 9 padding)
// NM[n:m]    each row is split in groups of m columns (m divides cols); every
//            group stores exactly n (value, in-group index) pairs, in
//            ascending in-group index. When a group has fewer than n
//            nonzeros it is padded with explicit zeros at its lowest unused
//            in-group positions. No pointers. A group with more than n
//            nonzeros cannot be encoded.
//            2:4 on the 4x8 matrix [1 0 0 2 0 0 0 0]
//                                  [0 0 0 0 3 4 0 0]
//                                  [0 5 0 0 0 0 0 6]
//                                  [0 0 0 0 0 0 0 0]
//            values  = [1 2 0 0 | 0 0 3 4 | 0 5 0 6 | 0 0 0 0]
//            indices = [0 3 0 1 | 0 1 0 1 | 0 1 0 3 | 0 1 0 1]
//            (16 stored, 10 padding; with indexBits 2 the 16 indices pack
//            into 4 bytes, the first being 0b01'00'11'00 = 0x4c)
// ELL        width = the widest row's nonzeros; rows*width entries, row-major
//            (row r's entries at [r*width, (r+1)*width)), nonzeros in
//            ascending column, then padding entries (value 0, column 0).
//            width 3: values  = [1 2 0 | 0 0 0 | 3 4 5 | 6 7 0]
//                     indices = [0 3 0 | 0 0 0 | 1 4 5 | 0 5 0]
//            (12 stored, 5 padding)
//
//===----------------------------------------------------------------------===//

#ifndef SXF_FORMATS_FORMATS_H
#define SXF_FORMATS_FORMATS_H

#include "sxf/Support/Tensor.h"
#include "sxf_rt/format_kinds.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sxf {
namespace formats {

// The shared vocabulary (sxf_rt/format_kinds.h).
using sxf_rt::ByteBreakdown;
using sxf_rt::chooseIndexBits;
using sxf_rt::estimateBytes;
using sxf_rt::FormatSpec;
using sxf_rt::Kind;
using sxf_rt::kindName;
using sxf_rt::largestIndex;
using sxf_rt::MatrixCounts;
using sxf_rt::parseKind;
using sxf_rt::pointerBits;
using sxf_rt::shapeProblem;
using sxf_rt::specProblem;
using sxf_rt::valueBits;
using sxf_rt::ValueType;
using sxf_rt::valueTypeName;

/// The format, e.g. "dense f32", "csr f16/i16", "bsr[4x4] f32/i32",
/// "nm[2:4] f16/i2" (sxf_rt::formatToString).
inline std::string toString(const FormatSpec &spec) {
  return sxf_rt::formatToString(spec);
}

/// A matrix encoded in a format: the actual arrays, as they would be laid
/// out in memory.
struct EncodedMatrix {
  FormatSpec spec;
  int64_t rows = 0, cols = 0;
  std::vector<uint8_t> values;   // little-endian values in spec.valueType
  std::vector<uint8_t> indices;  // little-endian (or bit-packed) indices
  std::vector<uint8_t> pointers; // empty when the format has none
  int64_t storedValues = 0;      // values stored, padding included
  /// Explicit zeros stored: for dense the zeros of the matrix, for bsr the
  /// zeros inside stored blocks, for nm/ell the padding entries.
  int64_t paddingValues = 0;
  /// values.size(), indices.size(), pointers.size() and paddingValues.
  ByteBreakdown bytes() const;
};

/// Encodes a 2-D tensor. Fails, naming the problem, the format and the shape,
/// when the tensor is not 2-D (or its data does not match its shape), the
/// spec is malformed (zero block / n / m, n > m, an index width not
/// allowed for the kind), a bsr block shape or an nm M does not divide the
/// matrix, an nm group holds more than n nonzeros (the message names the row
/// and the group), or the index width cannot hold largestIndex().
///
/// `pattern`, when not empty, is the stored pattern (rows*cols bytes,
/// row-major, nonzero = stored; see "Common conventions"): exactly its
/// positions are stored, and paddingValues counts the stored slots outside
/// it (dense: the unpatterned positions; bsr: the rest of the blocks that
/// hold a pattern position). Fails as well when its size is not rows*cols
/// or the kind is nm or ell.
llvm::Expected<EncodedMatrix> encode(const Tensor &dense,
                                     const FormatSpec &spec,
                                     llvm::ArrayRef<uint8_t> pattern = {});

/// Decodes back to a dense fp32 [rows, cols] tensor (the exact inverse of
/// encode up to value-type rounding). Validates the arrays first (sizes,
/// pointer monotonicity, index ranges, duplicate entries) and fails, naming
/// the problem, on a malformed matrix. Padding entries (ell entries
/// whose stored value is +0.0) are skipped.
llvm::Expected<Tensor> decode(const EncodedMatrix &m);

/// Which entries of a rows x cols matrix the format `spec` stores, given
/// which are nonzero (row-major, rows·cols flags each): every entry for
/// dense, every entry of a block holding a nonzero for bsr (the block must
/// divide the matrix), the nonzeros for csr, csc, coo, nm and ell (whose
/// padding entries hold zeros and are not positions of the matrix). This is
/// where a weight's gradient lives (sxf.linear_grad_weight). Matches encode:
/// the count of stored positions is storedValues − paddingValues for nm and
/// ell and storedValues otherwise. For a weight with a stored pattern, pass
/// the pattern as `nonzero` (it then matches encode(x, spec, pattern)).
std::vector<bool> storedPositions(const std::vector<bool> &nonzero,
                                  int64_t rows, int64_t cols,
                                  const FormatSpec &spec);

/// Counts measured from a tensor viewed as a matrix [prod(shape[:-1]),
/// shape[-1]]: nnz and the widest row always; the nonzero blocks when the
/// spec is bsr with a block shape dividing the matrix. With a `pattern`
/// (as encode's) the pattern's positions are counted instead of the
/// nonzeros, so that encode(x, s, p).bytes() == estimateBytes(countMatrix(x,
/// s, p), s); nnz is -1 when the pattern's size is not the tensor's.
MatrixCounts countMatrix(const Tensor &dense, const FormatSpec &spec,
                         llvm::ArrayRef<uint8_t> pattern = {});

} // namespace formats
} // namespace sxf

#endif // SXF_FORMATS_FORMATS_H
