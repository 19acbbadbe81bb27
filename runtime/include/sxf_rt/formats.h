//===- sxf_rt/formats.h - Views over sxf's weight storage formats -*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only). Non-owning views (pointers + sizes) over the exact byte arrays that
// lib/Formats' encode() produces (include/sxf/Formats/Formats.h describes
// every layout on a worked example), so that generated code can hand a
// weight's arrays — memory-mapped from the safetensors file or embedded —
// straight to the kernels, without re-encoding.
//
// Offers (the vocabulary -- Kind, ValueType, FormatSpec, pointerBits,
// specProblem, the f16/bf16 conversions -- is format_kinds.h's, shared with
// the compiler)
//   loadValue<V>(p, i), loadIndex<Bits>(p, i), readUnsigned(p, bits, i)
//   DenseView, CsrView, BsrView, NmView, EllView
//   make...View(...)    build a view from the arrays and the format's counts
//                       (pointer widths derived as lib/Formats does)
//   arrayBytes(view)    bytes each array occupies (to check a file's sizes)
//   validate(view, &why) full structural check (pointers, index ranges)
//   toDense(view, out)  decode to a dense row-major fp32 matrix
//
// Layout conventions (identical to lib/Formats):
// * A weight is an R x C matrix (rows = out_features, cols = in_features).
// * Values are little-endian in the view's value type: f32 (IEEE binary32),
//   f16 (IEEE binary16), bf16 (top half of binary32). Kernels convert each
//   value to fp32 when they load it.
// * Indices are `indexBits` wide (8, 16, 32 or 64; nm also 2 or 4, packed
//   LSB-first: entry i occupies bits [i*b, (i+1)*b) of the byte stream).
// * Pointers (CSR row, BSR block-row offsets) are `pointerBits`
//   wide: pointerBits(indexBits, largest pointer), i.e. at least the index
//   width and 8 bits, doubled until the largest pointer fits.
// * The host must be little-endian (checked at compile time in common.h).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_FORMATS_H
#define SXF_RT_FORMATS_H

#include "sxf_rt/common.h"
#include "sxf_rt/format_kinds.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace sxf_rt {

//===----------------------------------------------------------------------===//
// Loading values and indices
//===----------------------------------------------------------------------===//

/// Value i of a little-endian array of V, as float.
template <ValueType V> inline float loadValue(const void *p, int64_t i) {
  const unsigned char *b = static_cast<const unsigned char *>(p);
  if constexpr (V == ValueType::F32) {
    float f;
    std::memcpy(&f, b + 4 * i, 4);
    return f;
  } else {
    uint16_t h;
    std::memcpy(&h, b + 2 * i, 2);
    if constexpr (V == ValueType::F16) {
#if defined(__F16C__)
      return _cvtsh_ss(h); // the same value as halfToFloat, in one instruction
#else
      return halfToFloat(h);
#endif
    }
    else
      return bf16ToFloat(h);
  }
}

/// Value i of a little-endian array of value type t (runtime dispatch).
inline float loadValue(ValueType t, const void *p, int64_t i) {
  switch (t) {
  case ValueType::F16:
    return loadValue<ValueType::F16>(p, i);
  case ValueType::BF16:
    return loadValue<ValueType::BF16>(p, i);
  case ValueType::F32:
    break;
  }
  return loadValue<ValueType::F32>(p, i);
}

/// Entry i of a little-endian array of `Bits`-bit unsigned integers (2 and 4:
/// packed LSB-first).
template <int Bits> inline int64_t loadIndex(const void *p, int64_t i) {
  const unsigned char *b = static_cast<const unsigned char *>(p);
  if constexpr (Bits == 2) {
    return (b[i >> 2] >> ((i & 3) * 2)) & 3;
  } else if constexpr (Bits == 4) {
    return (b[i >> 1] >> ((i & 1) * 4)) & 15;
  } else if constexpr (Bits == 8) {
    return b[i];
  } else if constexpr (Bits == 16) {
    uint16_t v;
    std::memcpy(&v, b + 2 * i, 2);
    return v;
  } else if constexpr (Bits == 32) {
    uint32_t v;
    std::memcpy(&v, b + 4 * i, 4);
    return v;
  } else {
    static_assert(Bits == 64, "index widths are 2, 4, 8, 16, 32 or 64 bits");
    uint64_t v;
    std::memcpy(&v, b + 8 * i, 8);
    return static_cast<int64_t>(v);
  }
}

/// Entry i of an array of `bits`-bit unsigned integers (runtime width).
inline uint64_t readUnsigned(const void *p, unsigned bits, int64_t i) {
  switch (bits) {
  case 2:
    return static_cast<uint64_t>(loadIndex<2>(p, i));
  case 4:
    return static_cast<uint64_t>(loadIndex<4>(p, i));
  case 8:
    return static_cast<uint64_t>(loadIndex<8>(p, i));
  case 16:
    return static_cast<uint64_t>(loadIndex<16>(p, i));
  case 32:
    return static_cast<uint64_t>(loadIndex<32>(p, i));
  default:
    return static_cast<uint64_t>(loadIndex<64>(p, i));
  }
}

//===----------------------------------------------------------------------===//
// Views
//===----------------------------------------------------------------------===//

class PreparedDense; // spmm.h

/// Dense: R x C values, row-major. `prepared`: the same weight prepared for
/// a faster product (spmm.h's PreparedDense; libsxf_rt sets it when it
/// loads a model), or none.
struct DenseView {
  int64_t rows = 0, cols = 0;
  ValueType valueType = ValueType::F32;
  const void *values = nullptr;
  const PreparedDense *prepared = nullptr;
};

/// CSR: values and column indices of the nonzeros in row-major order,
/// rows + 1 row pointers.
struct CsrView {
  int64_t rows = 0, cols = 0, nnz = 0;
  ValueType valueType = ValueType::F32;
  unsigned indexBits = 32, pointerBits = 32;
  const void *values = nullptr;   // nnz
  const void *indices = nullptr;  // nnz column indices
  const void *pointers = nullptr; // rows + 1
};

/// BSR[blockRows x blockCols]: stored blocks in block-row order with
/// ascending block columns; each block's blockRows*blockCols values
/// row-major. rows / blockRows + 1 block-row pointers, one block-column index
/// per stored block.
struct BsrView {
  int64_t rows = 0, cols = 0;
  int64_t blockRows = 0, blockCols = 0;
  int64_t numBlocks = 0;
  ValueType valueType = ValueType::F32;
  unsigned indexBits = 32, pointerBits = 32;
  const void *values = nullptr;   // numBlocks * blockRows * blockCols
  const void *indices = nullptr;  // numBlocks block-column indices
  const void *pointers = nullptr; // rows / blockRows + 1
};

/// N:M: every row is split into cols / m groups of m columns; each group
/// stores exactly n (value, in-group index) pairs in ascending in-group
/// index, entry k = (row * groups + group) * n + slot. Padding pairs hold
/// explicit zeros. No pointers.
struct NmView {
  int64_t rows = 0, cols = 0;
  int64_t n = 0, m = 0;
  ValueType valueType = ValueType::F32;
  unsigned indexBits = 8;        // 2, 4, 8, 16, 32 or 64
  const void *values = nullptr;  // rows * cols / m * n
  const void *indices = nullptr; // as many in-group indices
};

/// ELL: `width` entries per row (the widest row's nonzeros), row-major;
/// nonzeros in ascending column, then padding entries (value +0, column 0).
struct EllView {
  int64_t rows = 0, cols = 0, width = 0;
  ValueType valueType = ValueType::F32;
  unsigned indexBits = 32;
  const void *values = nullptr;  // rows * width
  const void *indices = nullptr; // rows * width column indices
};

//===----------------------------------------------------------------------===//
// Building views (pointer widths derived from the counts, as Formats does)
//===----------------------------------------------------------------------===//

inline DenseView makeDenseView(int64_t rows, int64_t cols, ValueType vt,
                               const void *values) {
  DenseView v;
  v.rows = rows;
  v.cols = cols;
  v.valueType = vt;
  v.values = values;
  return v;
}

inline CsrView makeCsrView(int64_t rows, int64_t cols, int64_t nnz,
                           ValueType vt, unsigned indexBits,
                           const void *values, const void *indices,
                           const void *pointers) {
  CsrView v;
  v.rows = rows;
  v.cols = cols;
  v.nnz = nnz;
  v.valueType = vt;
  v.indexBits = indexBits;
  v.pointerBits = pointerBits(indexBits, nnz);
  v.values = values;
  v.indices = indices;
  v.pointers = pointers;
  return v;
}

inline BsrView makeBsrView(int64_t rows, int64_t cols, int64_t blockRows,
                           int64_t blockCols, int64_t numBlocks, ValueType vt,
                           unsigned indexBits, const void *values,
                           const void *indices, const void *pointers) {
  BsrView v;
  v.rows = rows;
  v.cols = cols;
  v.blockRows = blockRows;
  v.blockCols = blockCols;
  v.numBlocks = numBlocks;
  v.valueType = vt;
  v.indexBits = indexBits;
  v.pointerBits = pointerBits(indexBits, numBlocks);
  v.values = values;
  v.indices = indices;
  v.pointers = pointers;
  return v;
}

inline NmView makeNmView(int64_t rows, int64_t cols, int64_t n, int64_t m,
                         ValueType vt, unsigned indexBits, const void *values,
                         const void *indices) {
  NmView v;
  v.rows = rows;
  v.cols = cols;
  v.n = n;
  v.m = m;
  v.valueType = vt;
  v.indexBits = indexBits;
  v.values = values;
  v.indices = indices;
  return v;
}

inline EllView makeEllView(int64_t rows, int64_t cols, int64_t width,
                           ValueType vt, unsigned indexBits,
                           const void *values, const void *indices) {
  EllView v;
  v.rows = rows;
  v.cols = cols;
  v.width = width;
  v.valueType = vt;
  v.indexBits = indexBits;
  v.values = values;
  v.indices = indices;
  return v;
}

//===----------------------------------------------------------------------===//
// Array sizes
//===----------------------------------------------------------------------===//

/// Bytes of a view's arrays (what lib/Formats' EncodedMatrix::bytes() says
/// for the same matrix).
struct ArrayBytes {
  int64_t values = 0, indices = 0, pointers = 0;
  int64_t total() const { return values + indices + pointers; }
};

inline ArrayBytes arrayBytes(const DenseView &w) {
  return {packedBytes(w.rows * w.cols, valueBits(w.valueType)), 0, 0};
}
inline ArrayBytes arrayBytes(const CsrView &w) {
  return {packedBytes(w.nnz, valueBits(w.valueType)),
          packedBytes(w.nnz, w.indexBits),
          packedBytes(w.rows + 1, w.pointerBits)};
}
inline ArrayBytes arrayBytes(const BsrView &w) {
  int64_t gridRows = w.blockRows ? w.rows / w.blockRows : 0;
  return {packedBytes(w.numBlocks * w.blockRows * w.blockCols,
                      valueBits(w.valueType)),
          packedBytes(w.numBlocks, w.indexBits),
          packedBytes(gridRows + 1, w.pointerBits)};
}
inline ArrayBytes arrayBytes(const NmView &w) {
  int64_t stored = w.m ? w.rows * (w.cols / w.m) * w.n : 0;
  return {packedBytes(stored, valueBits(w.valueType)),
          packedBytes(stored, w.indexBits), 0};
}
inline ArrayBytes arrayBytes(const EllView &w) {
  return {packedBytes(w.rows * w.width, valueBits(w.valueType)),
          packedBytes(w.rows * w.width, w.indexBits), 0};
}
//===----------------------------------------------------------------------===//
// Validation
//===----------------------------------------------------------------------===//

namespace detail {

inline bool fail(std::string *why, const std::string &msg) {
  if (why)
    *why = msg;
  return false;
}

/// Checks `count` pointers: start at 0, never decrease, end at `last`.
inline bool checkPointers(const char *what, const void *p, unsigned bits,
                          int64_t count, int64_t last, std::string *why) {
  if (!p)
    return fail(why, std::string(what) + " array is missing");
  if (readUnsigned(p, bits, 0) != 0)
    return fail(why, std::string(what) + " array does not start at 0");
  for (int64_t i = 1; i < count; ++i)
    if (readUnsigned(p, bits, i) < readUnsigned(p, bits, i - 1))
      return fail(why, std::string(what) + " array decreases at entry " +
                           std::to_string(i));
  if (readUnsigned(p, bits, count - 1) != static_cast<uint64_t>(last))
    return fail(why, std::string(what) + " array ends at " +
                         std::to_string(readUnsigned(p, bits, count - 1)) +
                         ", not at the " + std::to_string(last) +
                         " stored entries");
  return true;
}

/// Checks that entries [begin, end) of an index array are < limit.
inline bool checkIndices(const char *what, const void *p, unsigned bits,
                         int64_t begin, int64_t end, int64_t limit,
                         std::string *why) {
  for (int64_t k = begin; k < end; ++k)
    if (readUnsigned(p, bits, k) >= static_cast<uint64_t>(limit))
      return fail(why, std::string(what) + " " +
                           std::to_string(readUnsigned(p, bits, k)) +
                           " out of range at entry " + std::to_string(k));
  return true;
}

inline bool checkCommon(int64_t rows, int64_t cols, ValueType vt,
                        const void *values, int64_t stored, std::string *why) {
  if (rows < 0 || cols < 0)
    return fail(why, "negative matrix extent");
  if (!sxf_rt::validValueType(vt))
    return fail(why, "unknown value type");
  if (stored > 0 && !values)
    return fail(why, "value array is missing");
  return true;
}

} // namespace detail

/// Structural checks of a view (widths, pointers, index ranges); false with
/// the problem in *why. The kernels assume a valid view and do not check.
inline bool validate(const DenseView &w, std::string *why = nullptr) {
  return detail::checkCommon(w.rows, w.cols, w.valueType, w.values,
                             w.rows * w.cols, why);
}

inline bool validate(const CsrView &w, std::string *why = nullptr) {
  if (!detail::checkCommon(w.rows, w.cols, w.valueType, w.values, w.nnz, why))
    return false;
  if (!indexBitsAllowed(Kind::CSR, w.indexBits))
    return detail::fail(why, "csr index width " + std::to_string(w.indexBits) +
                                 " is not one of 8, 16, 32, 64");
  if (w.pointerBits != pointerBits(w.indexBits, w.nnz))
    return detail::fail(why, "csr pointer width " +
                                 std::to_string(w.pointerBits) +
                                 " does not follow the format's rule");
  if (w.nnz > 0 && !w.indices)
    return detail::fail(why, "index array is missing");
  return detail::checkPointers("row pointer", w.pointers, w.pointerBits,
                               w.rows + 1, w.nnz, why) &&
         detail::checkIndices("column index", w.indices, w.indexBits, 0, w.nnz,
                              w.cols, why);
}

inline bool validate(const BsrView &w, std::string *why = nullptr) {
  if (!detail::checkCommon(w.rows, w.cols, w.valueType, w.values,
                           w.numBlocks, why))
    return false;
  if (w.blockRows <= 0 || w.blockCols <= 0)
    return detail::fail(why, "bsr block shape must be positive");
  if (w.rows % w.blockRows || w.cols % w.blockCols)
    return detail::fail(why, "bsr block shape does not divide the matrix");
  if (!indexBitsAllowed(Kind::BSR, w.indexBits))
    return detail::fail(why, "bsr index width " + std::to_string(w.indexBits) +
                                 " is not one of 8, 16, 32, 64");
  if (w.pointerBits != pointerBits(w.indexBits, w.numBlocks))
    return detail::fail(why, "bsr pointer width does not follow the rule");
  if (w.numBlocks > 0 && !w.indices)
    return detail::fail(why, "index array is missing");
  int64_t gridRows = w.rows / w.blockRows, gridCols = w.cols / w.blockCols;
  if (!detail::checkPointers("block-row pointer", w.pointers, w.pointerBits,
                             gridRows + 1, w.numBlocks, why))
    return false;
  for (int64_t br = 0; br < gridRows; ++br) {
    int64_t b = int64_t(readUnsigned(w.pointers, w.pointerBits, br));
    int64_t e = int64_t(readUnsigned(w.pointers, w.pointerBits, br + 1));
    for (int64_t k = b; k < e; ++k) {
      uint64_t bc = readUnsigned(w.indices, w.indexBits, k);
      if (bc >= uint64_t(gridCols))
        return detail::fail(why, "block column index " + std::to_string(bc) +
                                     " out of range at block " +
                                     std::to_string(k));
      if (k > b && bc <= readUnsigned(w.indices, w.indexBits, k - 1))
        return detail::fail(why, "block columns not ascending at block " +
                                     std::to_string(k));
    }
  }
  return true;
}

inline bool validate(const NmView &w, std::string *why = nullptr) {
  if (w.n <= 0 || w.m <= 0 || w.n > w.m)
    return detail::fail(why, "nm needs 0 < n <= m");
  if (w.cols % w.m)
    return detail::fail(why, "nm group size does not divide the columns");
  int64_t stored = w.rows * (w.cols / w.m) * w.n;
  if (!detail::checkCommon(w.rows, w.cols, w.valueType, w.values, stored, why))
    return false;
  if (!indexBitsAllowed(Kind::NM, w.indexBits))
    return detail::fail(why, "nm index width " + std::to_string(w.indexBits) +
                                 " is not one of 2, 4, 8, 16, 32, 64");
  if (stored > 0 && !w.indices)
    return detail::fail(why, "index array is missing");
  return detail::checkIndices("in-group index", w.indices, w.indexBits, 0,
                              stored, w.m, why);
}

inline bool validate(const EllView &w, std::string *why = nullptr) {
  if (w.width < 0 || w.width > w.cols)
    return detail::fail(why, "ell width out of range");
  if (!detail::checkCommon(w.rows, w.cols, w.valueType, w.values,
                           w.rows * w.width, why))
    return false;
  if (!indexBitsAllowed(Kind::ELL, w.indexBits))
    return detail::fail(why, "ell index width " + std::to_string(w.indexBits) +
                                 " is not one of 8, 16, 32, 64");
  if (w.rows * w.width > 0 && !w.indices)
    return detail::fail(why, "index array is missing");
  return detail::checkIndices("column index", w.indices, w.indexBits, 0,
                              w.rows * w.width, w.cols, why);
}

//===----------------------------------------------------------------------===//
// Decoding to dense
//===----------------------------------------------------------------------===//

/// Visits every stored position of the view: f(row, col, k) with k the
/// index of its value in the view's values array. Every slot of a dense
/// matrix, a CSR row's entries and a BSR block's every value (stored zeros
/// inside a block included: the block is the granule); the N:M and ELL
/// slots that hold a value other than +0 (their padding is not a position
/// of the pattern). The one rule of "what is stored where" that toDense and
/// the backward products (sxf_rt/backward.h) share.
template <class F> inline void forEachStored(const DenseView &w, F &&f) {
  for (int64_t r = 0; r < w.rows; ++r)
    for (int64_t c = 0; c < w.cols; ++c)
      f(r, c, r * w.cols + c);
}

template <class F> inline void forEachStored(const CsrView &w, F &&f) {
  for (int64_t r = 0; r < w.rows; ++r)
    for (int64_t k = int64_t(readUnsigned(w.pointers, w.pointerBits, r)),
                 e = int64_t(readUnsigned(w.pointers, w.pointerBits, r + 1));
         k < e; ++k)
      f(r, int64_t(readUnsigned(w.indices, w.indexBits, k)), k);
}

template <class F> inline void forEachStored(const BsrView &w, F &&f) {
  int64_t bh = w.blockRows, bw = w.blockCols;
  for (int64_t br = 0; br < w.rows / bh; ++br)
    for (int64_t k = int64_t(readUnsigned(w.pointers, w.pointerBits, br)),
                 e = int64_t(readUnsigned(w.pointers, w.pointerBits, br + 1));
         k < e; ++k) {
      int64_t bc = int64_t(readUnsigned(w.indices, w.indexBits, k));
      for (int64_t i = 0; i < bh; ++i)
        for (int64_t j = 0; j < bw; ++j)
          f(br * bh + i, bc * bw + j, (k * bh + i) * bw + j);
    }
}

template <class F> inline void forEachStored(const NmView &w, F &&f) {
  int64_t groups = w.cols / w.m, k = 0;
  for (int64_t r = 0; r < w.rows; ++r)
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t s = 0; s < w.n; ++s, ++k)
        if (loadValue(w.valueType, w.values, k) != 0.0f)
          f(r, g * w.m + int64_t(readUnsigned(w.indices, w.indexBits, k)), k);
}

template <class F> inline void forEachStored(const EllView &w, F &&f) {
  for (int64_t r = 0; r < w.rows; ++r)
    for (int64_t j = 0; j < w.width; ++j) {
      int64_t k = r * w.width + j;
      if (loadValue(w.valueType, w.values, k) != 0.0f)
        f(r, int64_t(readUnsigned(w.indices, w.indexBits, k)), k);
    }
}

/// Values the view stores (padding included): the length of its values
/// array, and of a gradient laid out like it (sxf_rt/backward.h).
inline int64_t storedCount(const DenseView &w) { return w.rows * w.cols; }
inline int64_t storedCount(const CsrView &w) { return w.nnz; }
inline int64_t storedCount(const BsrView &w) {
  return w.numBlocks * w.blockRows * w.blockCols;
}
inline int64_t storedCount(const NmView &w) {
  return w.m ? w.rows * (w.cols / w.m) * w.n : 0;
}
inline int64_t storedCount(const EllView &w) { return w.rows * w.width; }

/// Writes the view as a dense row-major rows x cols fp32 matrix to `out`
/// (stored zeros and padding decode to +0).
template <class View> inline void toDense(const View &w, float *out) {
  std::fill(out, out + w.rows * w.cols, 0.0f);
  forEachStored(w, [&](int64_t r, int64_t c, int64_t k) {
    out[r * w.cols + c] = loadValue(w.valueType, w.values, k);
  });
}


} // namespace sxf_rt

#endif // SXF_RT_FORMATS_H
