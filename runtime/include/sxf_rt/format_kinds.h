//===- sxf_rt/format_kinds.h - The one format vocabulary --------*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only), and included by the compiler too: lib/Formats, the dialect's
// #sxf.format <-> formats mapping, lib/Target's efficiency keys and the
// weights container of emitted code all derive from this header (as
// upstream MLIR's SparseTensor/IR/Enums.h is shared by its compiler and its
// runtime). Nothing here depends on LLVM.
//
// Offers
//   Kind {Dense, CSR, CSC, COO, BSR, NM, ELL}, kindName(), parseKind()
//       the canonical spelling is the one string used in IR syntax
//       (#sxf.format<csr, ...>; the StorageKind enum of SxfAttrs.td has the
//       same cases and values, checked by static_assert in the dialect),
//       container records ("kind=csr") and target-efficiency keys
//   ValueType {F32, F16, BF16}, valueBits(), valueTypeName(), parseValueType()
//   halfToFloat / floatToHalf / bf16ToFloat / floatToBf16 (round to nearest
//       even, NaN stays NaN, infinities kept): the only f16/bf16 conversions
//   FormatSpec, formatToString()              "csr f16/i16", "bsr[4x4] f32/i32"
//   pointerBits(), largestIndex(), chooseIndexBits(), indexBitsAllowed()
//   specProblem(), shapeProblem()             the one validation of a format
//   packedBytes(), checkedPackedBytes(), ByteBreakdown, MatrixCounts,
//       estimateBytes()                       the one byte accounting
//   efficiencyKey(), kEfficiencyKeys          target-description keys
//   FormatRecord, formatRecordString(), parseFormatRecord()
//       the "sxf.format/<weight>" metadata of the weights container, parsed
//       and validated (spec, shape, stored count and array sizes)
//
// Layout rules (include/sxf/Formats/Formats.h shows every layout on an
// example): indices are `indexBits` wide (8, 16, 32, 64; nm also packed 2 or
// 4); pointers are pointerBits(indexBits, largest pointer) wide: at least the
// index width and 8 bits, doubled until the largest pointer fits; every
// array occupies ceil(count * bits / 8) bytes.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_FORMAT_KINDS_H
#define SXF_RT_FORMAT_KINDS_H

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

namespace sxf_rt {

//===----------------------------------------------------------------------===//
// Kinds and value types
//===----------------------------------------------------------------------===//

/// The storage layouts. The values are those of the dialect's StorageKind.
enum class Kind : int {
  Dense = 0,
  CSR = 1,
  CSC = 2,
  COO = 3,
  BSR = 4,
  NM = 5,
  ELL = 6
};
constexpr int kNumKinds = 7;
constexpr Kind kAllKinds[kNumKinds] = {Kind::Dense, Kind::CSR, Kind::CSC,
                                       Kind::COO,   Kind::BSR, Kind::NM,
                                       Kind::ELL};

/// The canonical spelling of a kind ("dense", "csr", "csc", "coo", "bsr",
/// "nm", "ell"); "?" for a value outside the enum.
inline const char *kindName(Kind k) {
  switch (k) {
  case Kind::Dense:
    return "dense";
  case Kind::CSR:
    return "csr";
  case Kind::CSC:
    return "csc";
  case Kind::COO:
    return "coo";
  case Kind::BSR:
    return "bsr";
  case Kind::NM:
    return "nm";
  case Kind::ELL:
    return "ell";
  }
  return "?";
}

/// Whether `k` is one of the enumerators.
inline bool validKind(Kind k) {
  return static_cast<int>(k) >= 0 && static_cast<int>(k) < kNumKinds;
}

/// The kind spelled `name`, or std::nullopt.
inline std::optional<Kind> parseKind(const std::string &name) {
  for (Kind k : kAllKinds)
    if (name == kindName(k))
      return k;
  return std::nullopt;
}

/// "dense, csr, csc, coo, bsr, nm or ell" (for messages).
inline std::string kindList() {
  std::string s;
  for (int i = 0; i < kNumKinds; ++i)
    s += std::string(i == 0 ? "" : i + 1 == kNumKinds ? " or " : ", ") +
         kindName(kAllKinds[i]);
  return s;
}

/// The element types weight values are stored in.
enum class ValueType { F32, F16, BF16 };

inline bool validValueType(ValueType t) {
  return t == ValueType::F32 || t == ValueType::F16 || t == ValueType::BF16;
}
/// Bits per stored value (32 or 16).
inline unsigned valueBits(ValueType t) { return t == ValueType::F32 ? 32 : 16; }
/// "f32", "f16" or "bf16".
inline const char *valueTypeName(ValueType t) {
  return t == ValueType::F32 ? "f32" : t == ValueType::F16 ? "f16" : "bf16";
}
inline std::optional<ValueType> parseValueType(const std::string &name) {
  if (name == "f32")
    return ValueType::F32;
  if (name == "f16")
    return ValueType::F16;
  if (name == "bf16")
    return ValueType::BF16;
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// f16 / bf16 <-> f32
//===----------------------------------------------------------------------===//

namespace fmt_detail {
inline uint32_t bitsOf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}
inline float floatOf(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof(f));
  return f;
}
} // namespace fmt_detail

/// IEEE binary16 -> binary32, exact for every input (subnormals,
/// infinities; a NaN keeps its payload in the top mantissa bits).
inline float halfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
  if (exp == 0) {
    if (mant == 0)
      return fmt_detail::floatOf(sign); // +-0
    // Subnormal: mant * 2^-24, exactly representable as a normal float.
    float v = static_cast<float>(mant) * 5.9604644775390625e-8f;
    return sign ? -v : v;
  }
  if (exp == 0x1f) // infinity (mant == 0) or NaN (payload kept)
    return fmt_detail::floatOf(sign | 0x7f800000u | (mant << 13));
  // Normal: rebias the exponent from 15 to 127.
  return fmt_detail::floatOf(sign | ((exp + 112) << 23) | (mant << 13));
}

/// binary32 -> binary16, round to nearest even (overflow to infinity; a NaN
/// stays a NaN: top payload bits kept, quiet bit forced).
inline uint16_t floatToHalf(float f) {
  uint32_t x = fmt_detail::bitsOf(f);
  uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  uint32_t abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u) {
    if (abs == 0x7f800000u)
      return static_cast<uint16_t>(sign | 0x7c00u); // infinity
    return static_cast<uint16_t>(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));
  }
  // 65520 is halfway between the largest half (65504) and 2^16; ties go to
  // the even neighbour, which is infinity.
  if (abs >= 0x477ff000u)
    return static_cast<uint16_t>(sign | 0x7c00u);
  if (abs < 0x38800000u) {
    // Below the smallest normal half (2^-14): a half subnormal m * 2^-24.
    uint32_t exp = abs >> 23;
    if (exp == 0)
      return sign;
    uint32_t mant = (abs & 0x7fffffu) | 0x800000u;
    uint32_t shift = 126 - exp; // >= 14 because exp <= 112
    if (shift >= 25)
      return sign; // below half of the smallest subnormal
    uint32_t q = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (q & 1u)))
      ++q; // may carry into the smallest normal (0x400), which is correct
    return static_cast<uint16_t>(sign | q);
  }
  // Normal: rebias and round the 13 dropped bits to nearest even (a carry
  // out of the mantissa correctly bumps the exponent).
  uint32_t h = (abs - 0x38000000u) >> 13;
  uint32_t rem = abs & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u)))
    ++h;
  return static_cast<uint16_t>(sign | h);
}

/// bfloat16 -> binary32 (exact).
inline float bf16ToFloat(uint16_t b) {
  return fmt_detail::floatOf(static_cast<uint32_t>(b) << 16);
}

/// binary32 -> bfloat16, round to nearest even (NaN stays NaN).
inline uint16_t floatToBf16(float f) {
  uint32_t x = fmt_detail::bitsOf(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) // NaN: truncate, force the quiet bit
    return static_cast<uint16_t>((x >> 16) | 0x40u);
  uint32_t bias = 0x7fffu + ((x >> 16) & 1u);
  return static_cast<uint16_t>((x + bias) >> 16);
}

//===----------------------------------------------------------------------===//
// A format and its rules
//===----------------------------------------------------------------------===//

/// A storage format: a layout with its parameters, value type and index
/// width.
struct FormatSpec {
  Kind kind = Kind::Dense;
  unsigned blockRows = 0, blockCols = 0; // BSR
  unsigned n = 0, m = 0; // NM: keep <= n of every m consecutive columns
  ValueType valueType = ValueType::F32;
  /// Bits per stored index: 8, 16, 32 or 64 (nm may also use 2 or 4:
  /// packed in-group indices). Ignored by Dense.
  unsigned indexBits = 32;
};

/// "dense f32", "csr f16/i16", "bsr[4x4] f32/i32", "nm[2:4] f16/i2".
inline std::string formatToString(const FormatSpec &spec) {
  std::string s = kindName(spec.kind);
  if (spec.kind == Kind::BSR)
    s += "[" + std::to_string(spec.blockRows) + "x" +
         std::to_string(spec.blockCols) + "]";
  else if (spec.kind == Kind::NM)
    s += "[" + std::to_string(spec.n) + ":" + std::to_string(spec.m) + "]";
  s += " ";
  s += valueTypeName(spec.valueType);
  if (spec.kind != Kind::Dense)
    s += "/i" + std::to_string(spec.indexBits);
  return s;
}

/// Width of row / column / block-row pointers: max(indexBits, 8), doubled
/// until `largestPointer` fits (at most 64).
inline unsigned pointerBits(unsigned indexBits, int64_t largestPointer) {
  unsigned bits = std::max(indexBits, 8u);
  while (bits < 64 && largestPointer >= (int64_t(1) << bits))
    bits *= 2;
  return bits;
}

/// Whether an unsigned index of `bits` bits holds `value` (>= 0).
inline bool indexFits(int64_t value, unsigned bits) {
  return bits >= 63 || value < (int64_t(1) << bits);
}

/// Whether the kind stores pointers (csr row, csc column, bsr block-row).
inline bool hasPointers(Kind k) {
  return k == Kind::CSR || k == Kind::CSC || k == Kind::BSR;
}

/// Index widths a kind allows: 8, 16, 32, 64 (nm also packed 2 and 4).
inline bool indexBitsAllowed(Kind k, unsigned bits) {
  return bits == 8 || bits == 16 || bits == 32 || bits == 64 ||
         (k == Kind::NM && (bits == 2 || bits == 4));
}

/// The largest value an index of `spec` stores for a rows x cols matrix (-1
/// when it stores none): csr/ell cols-1, csc rows-1, coo max(rows, cols)-1,
/// bsr cols/blockCols-1, nm m-1.
inline int64_t largestIndex(const FormatSpec &spec, int64_t rows,
                            int64_t cols) {
  switch (spec.kind) {
  case Kind::Dense:
    return -1;
  case Kind::CSR:
  case Kind::ELL:
    return cols - 1;
  case Kind::CSC:
    return rows - 1;
  case Kind::COO:
    return std::max(rows, cols) - 1;
  case Kind::BSR:
    return spec.blockCols ? cols / spec.blockCols - 1 : cols - 1;
  case Kind::NM:
    return int64_t(spec.m) - 1;
  }
  return -1;
}

/// Smallest of 8/16/32 holding every index and pointer the format stores for
/// a rows x cols matrix with `storedEntries` stored entries (nonzeros for
/// csr/csc, stored blocks for bsr); 64 when 32 bits are not enough. Packed
/// 2/4-bit nm indices are never chosen.
inline unsigned chooseIndexBits(const FormatSpec &spec, int64_t rows,
                                int64_t cols, int64_t storedEntries) {
  int64_t largest = largestIndex(spec, rows, cols);
  if (hasPointers(spec.kind))
    largest = std::max(largest, storedEntries);
  for (unsigned bits : {8u, 16u, 32u})
    if (indexFits(largest, bits))
      return bits;
  return 64;
}

namespace fmt_detail {
inline std::optional<int64_t> mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    return std::nullopt;
  return r;
}
inline std::string shape(int64_t rows, int64_t cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}
/// What the index of a kind addresses, for messages.
inline const char *indexWhat(Kind k) {
  switch (k) {
  case Kind::CSC:
    return "row index";
  case Kind::COO:
    return "row/column index";
  case Kind::BSR:
    return "block column index";
  case Kind::NM:
    return "in-group index";
  default:
    return "column index";
  }
}
} // namespace fmt_detail

/// Why `spec` is malformed whatever the matrix, or std::nullopt: an unknown
/// kind or value type, an index width the kind does not allow, a zero bsr
/// block extent, a zero nm N or M, N > M, nm in-group indices too narrow for
/// M. A sentence fragment, e.g. "nm format 3:2 has N > M".
inline std::optional<std::string> specProblem(const FormatSpec &spec) {
  if (!validKind(spec.kind))
    return "unknown format kind " + std::to_string(int(spec.kind));
  if (!validValueType(spec.valueType))
    return "unknown value type " + std::to_string(int(spec.valueType));
  if (spec.kind == Kind::Dense)
    return std::nullopt;
  unsigned ib = spec.indexBits;
  if (!indexBitsAllowed(spec.kind, ib))
    return "index width " + std::to_string(ib) +
           " is not one of 8, 16, 32, 64" +
           (spec.kind == Kind::NM ? " (or 2, 4 for nm)" : "");
  if (spec.kind == Kind::BSR && (spec.blockRows == 0 || spec.blockCols == 0))
    return "bsr block shape " + std::to_string(spec.blockRows) + "x" +
           std::to_string(spec.blockCols) + " must be positive";
  if (spec.kind == Kind::NM) {
    if (spec.n == 0 || spec.m == 0)
      return "nm format " + std::to_string(spec.n) + ":" +
             std::to_string(spec.m) + " needs positive N and M";
    if (spec.n > spec.m)
      return "nm format " + std::to_string(spec.n) + ":" +
             std::to_string(spec.m) + " has N > M";
    if (!indexFits(int64_t(spec.m) - 1, ib))
      return std::to_string(ib) + "-bit indices cannot hold in-group index " +
             std::to_string(spec.m - 1) + " of a group of " +
             std::to_string(spec.m);
  }
  return std::nullopt;
}

/// Why `spec` cannot hold a rows x cols matrix whatever its values, or
/// std::nullopt: specProblem(), a negative or overflowing extent, a bsr
/// block or nm M that does not divide the matrix, an index width that
/// cannot hold largestIndex() (pointers never limit a format: they widen).
/// The one shape rule: the dialect verifier, the format selector, the
/// tiler, the simulator, the lowering and the runtime's loader ask it.
inline std::optional<std::string>
shapeProblem(const FormatSpec &spec, int64_t rows, int64_t cols) {
  if (std::optional<std::string> p = specProblem(spec))
    return p;
  if (rows < 0 || cols < 0)
    return std::string("negative matrix extent");
  if (!fmt_detail::mul(rows, cols))
    return std::string("the matrix has too many elements");
  if (spec.kind == Kind::BSR &&
      (rows % spec.blockRows || cols % spec.blockCols))
    return "block shape " + std::to_string(spec.blockRows) + "x" +
           std::to_string(spec.blockCols) + " does not divide the " +
           fmt_detail::shape(rows, cols) + " matrix";
  if (spec.kind == Kind::NM && cols % spec.m)
    return "group size M = " + std::to_string(spec.m) +
           " does not divide the " + std::to_string(cols) + " columns";
  int64_t largest = largestIndex(spec, rows, cols);
  if (largest >= 0 && !indexFits(largest, spec.indexBits))
    return std::to_string(spec.indexBits) + "-bit indices cannot hold " +
           fmt_detail::indexWhat(spec.kind) + " " + std::to_string(largest) +
           " of the " + fmt_detail::shape(rows, cols) + " matrix";
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Byte accounting
//===----------------------------------------------------------------------===//

/// Bytes of `count` entries of `bits` bits: ceil(count * bits / 8), for
/// counts known to be small (array sizes of a validated view).
inline int64_t packedBytes(int64_t count, unsigned bits) {
  return (count * int64_t(bits) + 7) / 8;
}

/// ceil(count * bits / 8), or std::nullopt on a negative count or overflow.
inline std::optional<int64_t> checkedPackedBytes(int64_t count,
                                                 unsigned bits) {
  std::optional<int64_t> b = fmt_detail::mul(count, bits);
  if (count < 0 || !b || *b > INT64_MAX - 7)
    return std::nullopt;
  return (*b + 7) / 8;
}

/// Bytes of an encoded matrix, by array.
struct ByteBreakdown {
  int64_t values = 0;        // stored values, padding included
  int64_t indices = 0;       // column / row / block / in-group indices
  int64_t pointers = 0;      // row / column / block-row pointers
  int64_t paddingValues = 0; // explicit zeros stored (a count, in `values`)
  int64_t total() const { return values + indices + pointers; }
  bool operator==(const ByteBreakdown &o) const {
    return values == o.values && indices == o.indices &&
           pointers == o.pointers && paddingValues == o.paddingValues;
  }
  bool operator!=(const ByteBreakdown &o) const { return !(*this == o); }
};

/// What estimateBytes needs to know about a matrix.
struct MatrixCounts {
  int64_t rows = 0, cols = 0, nnz = 0;
  /// Blocks of the spec's bsr block shape holding a nonzero (-1: unknown).
  int64_t nonzeroBlocks = -1;
  /// Nonzeros of the widest row (-1: unknown).
  int64_t maxRowNnz = -1;
};

namespace fmt_detail {
/// Fills `out` for `stored` values, `indexCount` indices and `pointerCount`
/// pointers counting up to `largestPointer`; false on overflow.
inline bool account(ByteBreakdown &out, const FormatSpec &spec,
                    int64_t stored, int64_t indexCount, int64_t pointerCount,
                    int64_t largestPointer) {
  std::optional<int64_t> v = checkedPackedBytes(stored, valueBits(spec.valueType));
  std::optional<int64_t> i = checkedPackedBytes(indexCount, spec.indexBits);
  std::optional<int64_t> p = checkedPackedBytes(
      pointerCount, pointerBits(spec.indexBits, largestPointer));
  if (!v || !i || !p)
    return false;
  out.values = *v;
  out.indices = *i;
  out.pointers = *p;
  return true;
}
} // namespace fmt_detail

/// Byte accounting from counts, without encoding: exact when the counts the
/// format needs are known; when one is unknown, an upper bound (bsr stores
/// min(nnz, number of blocks) blocks, ell pads to min(cols, nnz)). Returns
/// std::nullopt when the format cannot hold such a matrix or the counts are
/// inconsistent (a malformed spec, a bsr block or nm M not dividing the
/// shape, more nonzeros than nm keeps, an index width too small, negative or
/// impossible counts, arithmetic overflow).
inline std::optional<ByteBreakdown> estimateBytes(const MatrixCounts &c,
                                                  const FormatSpec &spec) {
  using fmt_detail::account;
  if (shapeProblem(spec, c.rows, c.cols))
    return std::nullopt;
  int64_t numel = c.rows * c.cols; // no overflow: checked by shapeProblem
  if (c.nnz < 0 || c.nnz > numel)
    return std::nullopt;
  if (c.maxRowNnz > c.cols || c.maxRowNnz > c.nnz ||
      (c.maxRowNnz >= 0 && c.rows && c.nnz > c.rows * c.maxRowNnz))
    return std::nullopt;
  ByteBreakdown out;
  int64_t stored = 0;
  switch (spec.kind) {
  case Kind::Dense:
    stored = numel;
    if (!account(out, spec, stored, 0, 0, 0))
      return std::nullopt;
    break;
  case Kind::CSR:
  case Kind::CSC:
    stored = c.nnz;
    if (!account(out, spec, stored, c.nnz,
                 (spec.kind == Kind::CSR ? c.rows : c.cols) + 1, c.nnz))
      return std::nullopt;
    break;
  case Kind::COO:
    stored = c.nnz;
    if (!account(out, spec, stored, 2 * c.nnz, 0, 0))
      return std::nullopt;
    break;
  case Kind::BSR: {
    int64_t area = int64_t(spec.blockRows) * spec.blockCols;
    int64_t gridRows = c.rows / spec.blockRows;
    int64_t totalBlocks = gridRows * (c.cols / spec.blockCols);
    int64_t blocks =
        c.nonzeroBlocks >= 0 ? c.nonzeroBlocks : std::min(c.nnz, totalBlocks);
    if (blocks > totalBlocks || blocks > c.nnz)
      return std::nullopt;
    std::optional<int64_t> s = fmt_detail::mul(blocks, area);
    if (!s || *s < c.nnz)
      return std::nullopt;
    stored = *s;
    if (!account(out, spec, stored, blocks, gridRows + 1, blocks))
      return std::nullopt;
    break;
  }
  case Kind::NM: {
    int64_t perRow = c.cols / spec.m * spec.n;
    stored = c.rows * perRow; // <= numel
    if (c.nnz > stored || c.maxRowNnz > perRow)
      return std::nullopt;
    if (!account(out, spec, stored, stored, 0, 0))
      return std::nullopt;
    break;
  }
  case Kind::ELL: {
    int64_t width = c.maxRowNnz >= 0 ? c.maxRowNnz : std::min(c.cols, c.nnz);
    stored = c.rows * width; // <= numel
    if (!account(out, spec, stored, stored, 0, 0))
      return std::nullopt;
    break;
  }
  }
  out.paddingValues = stored - c.nnz;
  return out;
}

//===----------------------------------------------------------------------===//
// Target-efficiency keys
//===----------------------------------------------------------------------===//

/// The keys of a target description's `sparse_efficiency`: every sparse
/// kind's name, with bsr split by block size.
constexpr const char *kEfficiencyKeys[] = {"csr",  "csc",  "coo",  "ell",
                                           "nm",   "bsr1", "bsr4", "bsr8",
                                           "bsr16"};

/// The efficiency key of a format: kindName() ("dense" for dense), bsr by
/// the smaller side of its block (rectangular blocks run like square blocks
/// of their smaller side): "bsr16", "bsr8", "bsr4" or "bsr1".
inline std::string efficiencyKey(const FormatSpec &spec) {
  if (spec.kind != Kind::BSR)
    return kindName(spec.kind);
  unsigned b = std::min(spec.blockRows, spec.blockCols);
  return b >= 16 ? "bsr16" : b >= 8 ? "bsr8" : b >= 4 ? "bsr4" : "bsr1";
}

inline bool isEfficiencyKey(const std::string &key) {
  for (const char *k : kEfficiencyKeys)
    if (key == k)
      return true;
  return false;
}

//===----------------------------------------------------------------------===//
// The container's format record
//===----------------------------------------------------------------------===//

/// What "sxf.format/<weight>" says about an encoded weight.
struct FormatRecord {
  FormatSpec spec;
  int64_t rows = 0, cols = 0;
  int64_t stored = 0; // values stored, padding included
};

/// "kind=csr value=f16 index=16 rows=R cols=C stored=N [block=RxC]
/// [nm=N:M]".
inline std::string formatRecordString(const FormatRecord &r) {
  const FormatSpec &s = r.spec;
  std::string d = std::string("kind=") + kindName(s.kind) +
                  " value=" + valueTypeName(s.valueType) +
                  " index=" + std::to_string(s.indexBits) +
                  " rows=" + std::to_string(r.rows) +
                  " cols=" + std::to_string(r.cols) +
                  " stored=" + std::to_string(r.stored);
  if (s.kind == Kind::BSR)
    d += " block=" + std::to_string(s.blockRows) + "x" +
         std::to_string(s.blockCols);
  if (s.kind == Kind::NM)
    d += " nm=" + std::to_string(s.n) + ":" + std::to_string(s.m);
  return d;
}

namespace fmt_detail {
/// The value of `key=` in a record, or std::nullopt.
inline std::optional<std::string> field(const std::string &desc,
                                        const char *key) {
  std::istringstream in(desc);
  std::string tok, prefix = std::string(key) + "=";
  while (in >> tok)
    if (tok.compare(0, prefix.size(), prefix) == 0)
      return tok.substr(prefix.size());
  return std::nullopt;
}
/// A non-negative decimal integer that fits `limit`, or std::nullopt
/// (checked before each step: "9999999999999999999" used to overflow int64).
inline std::optional<int64_t> number(const std::string &s,
                                     int64_t limit = INT64_MAX) {
  if (s.empty())
    return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    int64_t d = c - '0';
    if (d < 0 || d > 9 || d > limit || v > (limit - d) / 10)
      return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}
/// The problem with a record's tokens: one that is not key=value of a
/// known key, or a key given twice.
inline std::optional<std::string> recordTokensProblem(const std::string &desc) {
  static const char *const keys[] = {"kind", "value",  "index", "rows",
                                     "cols", "stored", "block", "nm"};
  std::istringstream in(desc);
  std::string tok, seen = " ";
  while (in >> tok) {
    size_t eq = tok.find('=');
    std::string key = tok.substr(0, eq);
    if (eq == std::string::npos ||
        std::find(std::begin(keys), std::end(keys), key) == std::end(keys))
      return "unknown field '" + tok + "'";
    if (seen.find(" " + key + " ") != std::string::npos)
      return "duplicate field '" + key + "'";
    seen += key + " ";
  }
  return std::nullopt;
}
/// "AxB" / "A:B" with positive 32-bit A and B.
inline bool pair(const std::string &s, char sep, unsigned &a, unsigned &b) {
  size_t at = s.find(sep);
  if (at == std::string::npos)
    return false;
  std::optional<int64_t> x = number(s.substr(0, at), UINT32_MAX),
                         y = number(s.substr(at + 1), UINT32_MAX);
  if (!x || !y)
    return false;
  a = unsigned(*x);
  b = unsigned(*y);
  return true;
}
} // namespace fmt_detail

/// The arrays' bytes a valid record implies (paddingValues is not known
/// from a record and stays 0).
inline ByteBreakdown recordArrayBytes(const FormatRecord &r) {
  const FormatSpec &s = r.spec;
  ByteBreakdown b;
  b.values = packedBytes(r.stored, valueBits(s.valueType));
  switch (s.kind) {
  case Kind::Dense:
    break;
  case Kind::CSR:
    b.indices = packedBytes(r.stored, s.indexBits);
    b.pointers = packedBytes(r.rows + 1, pointerBits(s.indexBits, r.stored));
    break;
  case Kind::CSC:
    b.indices = packedBytes(r.stored, s.indexBits);
    b.pointers = packedBytes(r.cols + 1, pointerBits(s.indexBits, r.stored));
    break;
  case Kind::COO:
    b.indices = packedBytes(2 * r.stored, s.indexBits);
    break;
  case Kind::BSR: {
    int64_t blocks = r.stored / (int64_t(s.blockRows) * s.blockCols);
    b.indices = packedBytes(blocks, s.indexBits);
    b.pointers = packedBytes(r.rows / s.blockRows + 1,
                             pointerBits(s.indexBits, blocks));
    break;
  }
  case Kind::NM:
  case Kind::ELL:
    b.indices = packedBytes(r.stored, s.indexBits);
    break;
  }
  return b;
}

/// Parses and validates a container record: every field present, well
/// formed, known and given once, the spec valid for the shape (shapeProblem),
/// and the stored count possible for it (dense: rows*cols; bsr: whole blocks,
/// at most the grid; nm: rows*cols/m*n; ell: whole rows of at most cols
/// entries; csr, csc, coo: at most rows*cols). Returns the problem, or
/// std::nullopt.
inline std::optional<std::string> parseFormatRecord(const std::string &desc,
                                                    FormatRecord &out) {
  using fmt_detail::field;
  using fmt_detail::number;
  out = FormatRecord();
  if (std::optional<std::string> p = fmt_detail::recordTokensProblem(desc))
    return p;
  std::optional<std::string> kind = field(desc, "kind"),
                             value = field(desc, "value"),
                             index = field(desc, "index"),
                             rows = field(desc, "rows"),
                             cols = field(desc, "cols"),
                             stored = field(desc, "stored");
  if (!kind || !value || !index || !rows || !cols || !stored)
    return std::string("incomplete format description");
  std::optional<Kind> k = parseKind(*kind);
  if (!k)
    return "unknown format kind '" + *kind + "' (expected " + kindList() + ")";
  std::optional<ValueType> vt = parseValueType(*value);
  if (!vt)
    return "unknown value type '" + *value + "' (expected f32, f16 or bf16)";
  // Extents up to 2^56 keep every array size below (checked below anyway).
  const int64_t kLimit = int64_t(1) << 56;
  std::optional<int64_t> ib = number(*index, 64), r = number(*rows, kLimit),
                         c = number(*cols, kLimit), n = number(*stored);
  if (!ib || !r || !c || !n)
    return "malformed number in '" + desc + "'";
  out.spec.kind = *k;
  out.spec.valueType = *vt;
  out.spec.indexBits = unsigned(*ib);
  out.rows = *r;
  out.cols = *c;
  out.stored = *n;
  if (*k == Kind::BSR) {
    std::optional<std::string> block = field(desc, "block");
    if (!block)
      return std::string("bsr without block=");
    if (!fmt_detail::pair(*block, 'x', out.spec.blockRows,
                          out.spec.blockCols))
      return "bad block " + *block;
  }
  if (*k == Kind::NM) {
    std::optional<std::string> nm = field(desc, "nm");
    if (!nm)
      return std::string("nm without nm=");
    if (!fmt_detail::pair(*nm, ':', out.spec.n, out.spec.m))
      return "bad nm " + *nm;
  }
  if (std::optional<std::string> p = shapeProblem(out.spec, out.rows, out.cols))
    return p;
  int64_t numel = out.rows * out.cols; // checked by shapeProblem
  int64_t N = out.stored;
  std::string bad = std::to_string(N) + " stored values are impossible for " +
                    formatToString(out.spec) + " " +
                    fmt_detail::shape(out.rows, out.cols);
  switch (*k) {
  case Kind::Dense:
    if (N != numel)
      return bad;
    break;
  case Kind::CSR:
  case Kind::CSC:
  case Kind::COO:
    if (N > numel)
      return bad;
    break;
  case Kind::BSR: {
    int64_t area = int64_t(out.spec.blockRows) * out.spec.blockCols;
    if (N % area || N > numel)
      return bad;
    break;
  }
  case Kind::NM:
    if (N != out.rows * (out.cols / out.spec.m) * out.spec.n)
      return bad;
    break;
  case Kind::ELL:
    if (out.rows ? (N % out.rows || N / out.rows > out.cols) : N != 0)
      return bad;
    break;
  }
  // recordArrayBytes() then cannot overflow: at most 2N entries of 64 bits
  // and rows + 1 / cols + 1 pointers of 64 bits.
  if (!fmt_detail::mul(N, 2) || !checkedPackedBytes(2 * N, 64) ||
      !checkedPackedBytes(out.rows + 1, 64) ||
      !checkedPackedBytes(out.cols + 1, 64))
    return std::string("array sizes overflow");
  return std::nullopt;
}

} // namespace sxf_rt

#endif // SXF_RT_FORMAT_KINDS_H
