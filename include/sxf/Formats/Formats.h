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
// * Pointers (row / column / block-row / slice offsets) are pointerBits(
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
// SELL[S]    sliced ELL: rows grouped in slices of S consecutive rows (the
//            last slice holds the remaining rows; it is not padded with
//            rows), each slice an ELL block of its own width (its widest
//            row), row-major inside the slice. pointers = slice offsets into
//            the value (and index) arrays, numSlices+1 entries.
//            S = 2: slice widths 2 and 3
//            values  = [1 2 | 0 0 || 3 4 5 | 6 7 0]
//            indices = [0 3 | 0 0 || 1 4 5 | 0 5 0]
//            pointers= [0 4 10]
//            (10 stored, 3 padding)
//
//===----------------------------------------------------------------------===//

#ifndef SXF_FORMATS_FORMATS_H
#define SXF_FORMATS_FORMATS_H

#include "sxf/Support/Tensor.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sxf {
namespace formats {

/// The storage layouts (see the file comment for each one's arrays).
enum class Kind { Dense, CSR, CSC, COO, BSR, NM, ELL, SlicedELL };
/// The element types values are stored in.
enum class ValueType { F32, F16, BF16 };

/// A storage format: a layout with its parameters, value type and index
/// width.
struct FormatSpec {
  Kind kind = Kind::Dense;
  unsigned blockRows = 0, blockCols = 0; // BSR
  unsigned n = 0, m = 0;  // NM: keep <= n of every m consecutive columns
  unsigned sliceRows = 0; // SlicedELL: rows per slice
  ValueType valueType = ValueType::F32;
  /// Bits per stored index: 8, 16, 32 or 64 (nm may also use 2 or 4:
  /// packed in-group indices). Ignored by Dense.
  unsigned indexBits = 32;
};

/// Lower-case name of a kind ("dense", "csr", "csc", "coo", "bsr", "nm",
/// "ell", "sell").
const char *kindName(Kind k);
/// "f32", "f16" or "bf16".
const char *valueTypeName(ValueType t);
/// Bits per stored value (32 or 16).
unsigned valueBits(ValueType t);

/// The format, e.g. "dense f32", "csr f16/i16", "bsr[4x4] f32/i32",
/// "nm[2:4] f16/i2", "sell[32] f32/i16" (the same spelling as SparsityStats'
/// formatToString for the kinds it knows).
std::string toString(const FormatSpec &spec);

/// Width of row / block-row / slice pointers: max(indexBits, 8), doubled
/// until `largestPointer` fits (at most 64). Same rule as SparsityStats'
/// pointerBits.
unsigned pointerBits(unsigned indexBits, int64_t largestPointer);

/// The largest value an index of `spec` stores for a rows x cols matrix
/// (-1 when it stores none): csr/ell/sell cols-1, csc rows-1, coo
/// max(rows, cols)-1, bsr cols/blockCols-1, nm m-1. encode() refuses an
/// index width that cannot hold it.
int64_t largestIndex(const FormatSpec &spec, int64_t rows, int64_t cols);

/// Why `spec` is malformed whatever the matrix, or std::nullopt: an unknown
/// kind or value type, an index width the kind does not allow (8, 16, 32,
/// 64; nm also 2, 4), a zero bsr block extent, a zero nm N or M, N > M, nm
/// in-group indices too narrow for M, a zero sell slice height. The message
/// is a sentence fragment, e.g. "nm format 3:2 has N > M".
std::optional<std::string> specProblem(const FormatSpec &spec);

/// Why `spec` cannot hold a rows x cols matrix whatever its values, or
/// std::nullopt when it can: specProblem(), a negative or overflowing
/// extent, a bsr block or nm M that does not divide the matrix, an index
/// width that cannot hold largestIndex() (pointers never limit a format:
/// they widen, see pointerBits). Value-dependent limits (an nm group with
/// more than N nonzeros) are the encoder's. This is the one shape rule: the
/// dialect verifier, the format selector, the tiler, the simulator and the
/// lowering all ask it. Empty matrices (0 rows or columns) and all-zero
/// matrices are valid in every format.
std::optional<std::string> shapeProblem(const FormatSpec &spec, int64_t rows,
                                        int64_t cols);

/// Smallest of 8/16/32 that can hold every index and pointer the format
/// stores for a rows x cols matrix with `storedEntries` stored entries
/// (pointers go up to the number of stored entries: nonzeros for csr/csc,
/// stored blocks for bsr, stored values padding included for sell; formats
/// without pointers ignore it). Returns 64 when 32 bits are not enough.
/// Packed 2/4-bit nm indices are never chosen (set them explicitly).
unsigned chooseIndexBits(const FormatSpec &spec, int64_t rows, int64_t cols,
                         int64_t storedEntries);

/// Bytes of an encoded matrix, by array.
struct ByteBreakdown {
  int64_t values = 0;        // stored values, padding included
  int64_t indices = 0;       // column / row / block / in-group indices
  int64_t pointers = 0;      // row / column / block-row / slice pointers
  int64_t paddingValues = 0; // explicit zeros stored (a count, in `values`)
  int64_t total() const { return values + indices + pointers; }
  bool operator==(const ByteBreakdown &o) const {
    return values == o.values && indices == o.indices &&
           pointers == o.pointers && paddingValues == o.paddingValues;
  }
  bool operator!=(const ByteBreakdown &o) const { return !(*this == o); }
};

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
  /// zeros inside stored blocks, for nm/ell/sell the padding entries.
  int64_t paddingValues = 0;
  /// values.size(), indices.size(), pointers.size() and paddingValues.
  ByteBreakdown bytes() const;
};

/// Encodes a 2-D tensor. Fails, naming the problem, the format and the shape,
/// when the tensor is not 2-D (or its data does not match its shape), the
/// spec is malformed (zero block / slice / n / m, n > m, an index width not
/// allowed for the kind), a bsr block shape or an nm M does not divide the
/// matrix, an nm group holds more than n nonzeros (the message names the row
/// and the group), or the index width cannot hold largestIndex().
llvm::Expected<EncodedMatrix> encode(const Tensor &dense,
                                     const FormatSpec &spec);

/// Decodes back to a dense fp32 [rows, cols] tensor (the exact inverse of
/// encode up to value-type rounding). Validates the arrays first (sizes,
/// pointer monotonicity, index ranges, duplicate entries) and fails, naming
/// the problem, on a malformed matrix. Padding entries (ell / sell entries
/// whose stored value is +0.0) are skipped.
llvm::Expected<Tensor> decode(const EncodedMatrix &m);

/// What estimateBytes needs to know about a matrix.
struct MatrixCounts {
  int64_t rows = 0, cols = 0, nnz = 0;
  /// Blocks of the spec's bsr block shape holding a nonzero (-1: unknown).
  int64_t nonzeroBlocks = -1;
  /// Nonzeros of the widest row (-1: unknown).
  int64_t maxRowNnz = -1;
  /// Per slice of the spec's sliceRows, nonzeros of its widest row (empty:
  /// unknown).
  std::vector<int64_t> sliceMaxRowNnz;
};

/// Byte accounting without encoding, from counts only. Exact when the counts
/// the format needs are known; when one is unknown, an upper bound:
/// bsr stores min(nnz, number of blocks) blocks (as formatBytes does for
/// block shapes it did not measure), ell pads to min(cols, nnz), sell pads
/// every slice to the ell width. Returns std::nullopt when the format cannot
/// hold such a matrix or the counts are inconsistent: a malformed spec, a
/// bsr block or nm M not dividing the shape, more nonzeros than nm keeps, an
/// index width too small for the shape, negative or impossible counts, or
/// arithmetic overflow.
std::optional<ByteBreakdown> estimateBytes(const MatrixCounts &counts,
                                           const FormatSpec &spec);

/// Counts measured from a tensor viewed as a matrix [prod(shape[:-1]),
/// shape[-1]]: nnz and the widest row always; the nonzero blocks when the
/// spec is bsr with a block shape dividing the matrix; the per-slice widest
/// rows when it is sell with sliceRows > 0.
MatrixCounts countMatrix(const Tensor &dense, const FormatSpec &spec);

} // namespace formats
} // namespace sxf

#endif // SXF_FORMATS_FORMATS_H
