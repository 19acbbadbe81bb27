//===- Formats.cpp - Sparse storage formats: encode, decode, cost ---------===//
//
// One encoder and one decoder per layout, sharing the array packing (values
// in f32/f16/bf16, indices and pointers of any width, 2/4-bit indices packed
// LSB-first), and one byte accounting from counts that the encoder's arrays
// must match exactly. Everything a caller passes in is validated: malformed
// specs, shapes and encoded arrays are reported as llvm::Error, never
// asserted on.
//
//===----------------------------------------------------------------------===//

#include "sxf/Formats/Formats.h"
#include "sxf/Support/CheckedMath.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cstring>

using namespace sxf;
using namespace sxf::formats;
using llvm::Twine;

//===----------------------------------------------------------------------===//
// Checked arithmetic shared by encode and decode (the rules themselves --
// kinds, widths, specProblem, shapeProblem, estimateBytes -- are
// sxf_rt/format_kinds.h's)
//===----------------------------------------------------------------------===//

/// a * b, or std::nullopt on overflow.
static std::optional<int64_t> mul(int64_t a, int64_t b) {
  return checkedMul(a, b);
}

/// Bytes of an array of `count` entries of `bits` bits (ceil(count·bits/8)),
/// or std::nullopt on overflow.
static std::optional<int64_t> arrayBytes(int64_t count, unsigned bits) {
  return sxf_rt::checkedPackedBytes(count, bits);
}

static std::string shapeString(int64_t rows, int64_t cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

//===----------------------------------------------------------------------===//
// Array packing
//===----------------------------------------------------------------------===//

/// Entry i of an array of `bits`-bit unsigned integers (2, 4, 8, 16, 32 or
/// 64), little-endian, sub-byte entries packed LSB-first.
static uint64_t getEntry(const std::vector<uint8_t> &bytes, unsigned bits,
                         int64_t i) {
  if (bits < 8) {
    uint64_t pos = uint64_t(i) * bits;
    return (bytes[pos / 8] >> (pos % 8)) & ((1u << bits) - 1);
  }
  size_t n = bits / 8, base = size_t(i) * n;
  uint64_t v = 0;
  for (size_t k = 0; k < n; ++k)
    v |= uint64_t(bytes[base + k]) << (8 * k);
  return v;
}

/// Sets entry i of such an array to the low `bits` bits of v.
static void setEntry(std::vector<uint8_t> &bytes, unsigned bits, int64_t i,
                     uint64_t v) {
  if (bits < 8) {
    uint64_t pos = uint64_t(i) * bits;
    unsigned mask = (1u << bits) - 1, shift = unsigned(pos % 8);
    uint8_t &b = bytes[pos / 8];
    b = uint8_t((b & ~(mask << shift)) | ((v & mask) << shift));
    return;
  }
  size_t n = bits / 8, base = size_t(i) * n;
  for (size_t k = 0; k < n; ++k)
    bytes[base + k] = uint8_t(v >> (8 * k));
}

/// The stored bit pattern of `v` in `t` (rounded for f16 / bf16).
static uint64_t valueToBits(float v, ValueType t) {
  switch (t) {
  case ValueType::F16:
    return floatToHalf(v);
  case ValueType::BF16:
    return floatToBf16(v);
  case ValueType::F32:
    break;
  }
  uint32_t u;
  std::memcpy(&u, &v, sizeof(u));
  return u;
}

static float bitsToValue(uint64_t b, ValueType t) {
  switch (t) {
  case ValueType::F16:
    return halfToFloat(uint16_t(b));
  case ValueType::BF16:
    return bf16ToFloat(uint16_t(b));
  case ValueType::F32:
    break;
  }
  uint32_t u = uint32_t(b);
  float v;
  std::memcpy(&v, &u, sizeof(v));
  return v;
}

namespace {

/// Read access to one array of an EncodedMatrix.
class PackedReader {
public:
  PackedReader(const std::vector<uint8_t> &bytes, unsigned bits)
      : bytes(&bytes), bits(bits) {}
  uint64_t get(int64_t i) const { return getEntry(*bytes, bits, i); }

private:
  const std::vector<uint8_t> *bytes;
  unsigned bits;
};

/// Builds the arrays of an EncodedMatrix.
class Builder {
public:
  explicit Builder(EncodedMatrix &m)
      : m(m), valBits(valueBits(m.spec.valueType)), idxBits(m.spec.indexBits) {}

  /// Sizes the value array for `count` values (all +0).
  void sizeValues(int64_t count) {
    m.storedValues = count;
    m.values.assign(size_t(*arrayBytes(count, valBits)), 0);
  }
  /// Sizes the index array for `count` indices (all 0).
  void sizeIndices(int64_t count) {
    m.indices.assign(size_t(*arrayBytes(count, idxBits)), 0);
  }
  /// Sizes the pointer array for `count` pointers up to `largest`.
  void sizePointers(int64_t count, int64_t largest) {
    ptrBits = pointerBits(idxBits, largest);
    m.pointers.assign(size_t(*arrayBytes(count, ptrBits)), 0);
  }
  void value(int64_t i, float v) {
    setEntry(m.values, valBits, i, valueToBits(v, m.spec.valueType));
  }
  void index(int64_t i, int64_t v) {
    setEntry(m.indices, idxBits, i, uint64_t(v));
  }
  void pointer(int64_t i, int64_t v) {
    setEntry(m.pointers, ptrBits, i, uint64_t(v));
  }

private:
  EncodedMatrix &m;
  unsigned valBits, idxBits, ptrBits = 8;
};

} // namespace

//===----------------------------------------------------------------------===//
// Encoding
//===----------------------------------------------------------------------===//

static llvm::Error encodeError(const FormatSpec &spec, int64_t rows,
                               int64_t cols, const Twine &problem) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 Twine("cannot encode ") +
                                     shapeString(rows, cols) + " matrix as " +
                                     toString(spec) + ": " + problem);
}

namespace {

/// Read access to a row-major matrix and the one rule of which of its
/// positions a format stores: the pattern's positions when there is one
/// (the others read as +0, for the layouts that keep a slot for them),
/// otherwise the nonzeros (v != 0.0f).
struct MatrixView {
  const float *data;
  int64_t rows, cols;
  const uint8_t *pattern = nullptr; // rows*cols, nonzero = stored; or none
  float atIndex(int64_t i) const {
    return pattern && !pattern[i] ? 0.0f : data[i];
  }
  float at(int64_t r, int64_t c) const { return atIndex(r * cols + c); }
  bool nz(int64_t r, int64_t c) const {
    return pattern ? pattern[r * cols + c] != 0 : data[r * cols + c] != 0.0f;
  }
  int64_t rowNnz(int64_t r) const {
    int64_t n = 0;
    for (int64_t c = 0; c < cols; ++c)
      n += nz(r, c);
    return n;
  }
};

} // namespace

static int64_t countNonzeros(const MatrixView &a) {
  int64_t nnz = 0;
  for (int64_t r = 0; r < a.rows; ++r)
    nnz += a.rowNnz(r);
  return nnz;
}

static void encodeDense(const MatrixView &a, Builder &b, EncodedMatrix &m) {
  int64_t numel = a.rows * a.cols;
  b.sizeValues(numel);
  for (int64_t i = 0; i < numel; ++i)
    b.value(i, a.atIndex(i));
  m.paddingValues = numel - countNonzeros(a);
}

static void encodeCSR(const MatrixView &a, Builder &b) {
  int64_t nnz = countNonzeros(a);
  b.sizeValues(nnz);
  b.sizeIndices(nnz);
  b.sizePointers(a.rows + 1, nnz);
  int64_t k = 0;
  for (int64_t r = 0; r < a.rows; ++r) {
    b.pointer(r, k);
    for (int64_t c = 0; c < a.cols; ++c)
      if (a.nz(r, c)) {
        b.value(k, a.at(r, c));
        b.index(k++, c);
      }
  }
  b.pointer(a.rows, k);
}

static void encodeCSC(const MatrixView &a, Builder &b) {
  int64_t nnz = countNonzeros(a);
  b.sizeValues(nnz);
  b.sizeIndices(nnz);
  b.sizePointers(a.cols + 1, nnz);
  int64_t k = 0;
  for (int64_t c = 0; c < a.cols; ++c) {
    b.pointer(c, k);
    for (int64_t r = 0; r < a.rows; ++r)
      if (a.nz(r, c)) {
        b.value(k, a.at(r, c));
        b.index(k++, r);
      }
  }
  b.pointer(a.cols, k);
}

static void encodeCOO(const MatrixView &a, Builder &b) {
  int64_t nnz = countNonzeros(a);
  b.sizeValues(nnz);
  b.sizeIndices(2 * nnz);
  int64_t k = 0;
  for (int64_t r = 0; r < a.rows; ++r)
    for (int64_t c = 0; c < a.cols; ++c)
      if (a.nz(r, c)) {
        b.value(k, a.at(r, c));
        b.index(k, r);
        b.index(nnz + k++, c);
      }
}

/// Whether block (br, bc) of a bh x bw tiling holds a nonzero.
static bool blockHasNonzero(const MatrixView &a, int64_t br, int64_t bc,
                            int64_t bh, int64_t bw) {
  for (int64_t i = 0; i < bh; ++i)
    for (int64_t j = 0; j < bw; ++j)
      if (a.nz(br * bh + i, bc * bw + j))
        return true;
  return false;
}

static void encodeBSR(const MatrixView &a, Builder &b, EncodedMatrix &m) {
  int64_t bh = m.spec.blockRows, bw = m.spec.blockCols;
  int64_t gridRows = a.rows / bh, gridCols = a.cols / bw;
  std::vector<int64_t> blockCols;
  std::vector<int64_t> rowStart(gridRows + 1, 0);
  for (int64_t br = 0; br < gridRows; ++br) {
    rowStart[br] = static_cast<int64_t>(blockCols.size());
    for (int64_t bc = 0; bc < gridCols; ++bc)
      if (blockHasNonzero(a, br, bc, bh, bw))
        blockCols.push_back(bc);
  }
  int64_t blocks = static_cast<int64_t>(blockCols.size());
  rowStart[gridRows] = blocks;
  b.sizeValues(blocks * bh * bw);
  b.sizeIndices(blocks);
  b.sizePointers(gridRows + 1, blocks);
  int64_t nnz = 0;
  for (int64_t br = 0; br <= gridRows; ++br)
    b.pointer(br, rowStart[br]);
  for (int64_t br = 0; br < gridRows; ++br)
    for (int64_t k = rowStart[br]; k < rowStart[br + 1]; ++k) {
      int64_t bc = blockCols[k];
      b.index(k, bc);
      for (int64_t i = 0; i < bh; ++i)
        for (int64_t j = 0; j < bw; ++j) {
          nnz += a.nz(br * bh + i, bc * bw + j);
          b.value((k * bh + i) * bw + j, a.at(br * bh + i, bc * bw + j));
        }
    }
  m.paddingValues = blocks * bh * bw - nnz;
}

static llvm::Error encodeNM(const MatrixView &a, Builder &b, EncodedMatrix &m) {
  const FormatSpec &spec = m.spec;
  int64_t n = spec.n, gm = spec.m, groups = a.cols / gm;
  // Refuse before building anything: the first over-full group, row-major.
  for (int64_t r = 0; r < a.rows; ++r)
    for (int64_t g = 0; g < groups; ++g) {
      int64_t count = 0;
      for (int64_t j = 0; j < gm; ++j)
        count += a.nz(r, g * gm + j);
      if (count > n)
        return encodeError(spec, a.rows, a.cols,
                           Twine("row ") + Twine(r) + ", group " + Twine(g) +
                               " (columns " + Twine(g * gm) + "-" +
                               Twine(g * gm + gm - 1) + ") holds " +
                               Twine(count) + " nonzeros; nm[" + Twine(n) +
                               ":" + Twine(gm) + "] keeps at most " + Twine(n));
    }
  int64_t stored = a.rows * groups * n, nnz = 0;
  b.sizeValues(stored);
  b.sizeIndices(stored);
  std::vector<bool> keep(groups ? size_t(gm) : 0);
  int64_t k = 0;
  for (int64_t r = 0; r < a.rows; ++r)
    for (int64_t g = 0; g < groups; ++g) {
      int64_t count = 0;
      for (int64_t j = 0; j < gm; ++j) {
        keep[j] = a.nz(r, g * gm + j);
        count += keep[j];
      }
      nnz += count;
      // Pad with the lowest unused positions, then store in position order.
      for (int64_t j = 0; j < gm && count < n; ++j)
        if (!keep[j]) {
          keep[j] = true;
          ++count;
        }
      for (int64_t j = 0; j < gm; ++j)
        if (keep[j]) {
          b.value(k, a.at(r, g * gm + j));
          b.index(k++, j);
        }
    }
  m.paddingValues = stored - nnz;
  return llvm::Error::success();
}

/// Writes rows [first, first + count) as an ELL block of `width` entries per
/// row starting at entry `base`. Returns the padding entries written.
static int64_t writeEllRows(const MatrixView &a, Builder &b, int64_t first,
                            int64_t count, int64_t width, int64_t base) {
  int64_t padding = 0;
  for (int64_t r = first; r < first + count; ++r) {
    int64_t k = base + (r - first) * width, j = 0;
    for (int64_t c = 0; c < a.cols; ++c)
      if (a.nz(r, c)) {
        b.value(k + j, a.at(r, c));
        b.index(k + j++, c);
      }
    // Padding entries are already value +0, column 0 (arrays start zeroed).
    padding += width - j;
  }
  return padding;
}

static void encodeELL(const MatrixView &a, Builder &b, EncodedMatrix &m) {
  int64_t width = 0;
  for (int64_t r = 0; r < a.rows; ++r)
    width = std::max(width, a.rowNnz(r));
  b.sizeValues(a.rows * width);
  b.sizeIndices(a.rows * width);
  m.paddingValues = writeEllRows(a, b, 0, a.rows, width, 0);
}

/// Why `pattern` cannot select the stored positions of a rows x cols matrix
/// in `spec`, or std::nullopt when it can (or there is none).
static std::optional<std::string>
patternProblem(llvm::ArrayRef<uint8_t> pattern, const FormatSpec &spec,
               int64_t rows, int64_t cols) {
  if (pattern.empty())
    return std::nullopt;
  if (static_cast<int64_t>(pattern.size()) != rows * cols)
    return "the pattern has " + std::to_string(pattern.size()) +
           " entries, not rows*cols = " + std::to_string(rows * cols);
  if (spec.kind == Kind::NM || spec.kind == Kind::ELL)
    return std::string("a stored pattern cannot be kept in ") +
           kindName(spec.kind) +
           ": its padding is value +0, so a stored 0.0 would read as padding";
  return std::nullopt;
}

llvm::Expected<EncodedMatrix>
sxf::formats::encode(const Tensor &dense, const FormatSpec &spec,
                     llvm::ArrayRef<uint8_t> pattern) {
  if (dense.rank() != 2)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        Twine("cannot encode a rank-") + Twine(dense.rank()) + " tensor (" +
            shapeToString(dense.shape) + ") as " + toString(spec) +
            ": expected a 2-D matrix");
  int64_t rows = dense.shape[0], cols = dense.shape[1];
  int64_t numel = shapeNumElements(dense.shape);
  if (numel < 0)
    return encodeError(spec, rows, cols, "invalid shape");
  if (numel != dense.numel())
    return encodeError(spec, rows, cols,
                       Twine("the tensor holds ") + Twine(dense.numel()) +
                           " values, not the " + Twine(numel) +
                           " its shape needs");
  if (std::optional<std::string> problem = shapeProblem(spec, rows, cols))
    return encodeError(spec, rows, cols, *problem);
  if (std::optional<std::string> problem =
          patternProblem(pattern, spec, rows, cols))
    return encodeError(spec, rows, cols, *problem);

  EncodedMatrix m;
  m.spec = spec;
  m.rows = rows;
  m.cols = cols;
  MatrixView a{dense.data.data(), rows, cols,
               pattern.empty() ? nullptr : pattern.data()};
  Builder b(m);
  switch (spec.kind) {
  case Kind::Dense:
    encodeDense(a, b, m);
    break;
  case Kind::CSR:
    encodeCSR(a, b);
    break;
  case Kind::CSC:
    encodeCSC(a, b);
    break;
  case Kind::COO:
    encodeCOO(a, b);
    break;
  case Kind::BSR:
    encodeBSR(a, b, m);
    break;
  case Kind::NM:
    if (llvm::Error e = encodeNM(a, b, m))
      return e;
    break;
  case Kind::ELL:
    encodeELL(a, b, m);
    break;
  }
  return m;
}

ByteBreakdown EncodedMatrix::bytes() const {
  ByteBreakdown b;
  b.values = static_cast<int64_t>(values.size());
  b.indices = static_cast<int64_t>(indices.size());
  b.pointers = static_cast<int64_t>(pointers.size());
  b.paddingValues = paddingValues;
  return b;
}

//===----------------------------------------------------------------------===//
// Decoding
//===----------------------------------------------------------------------===//

namespace {

/// Validating reader of an EncodedMatrix. Every check names what is wrong.
class Decoder {
public:
  explicit Decoder(const EncodedMatrix &m)
      : m(m), spec(m.spec), vals(m.values, valueBits(m.spec.valueType)),
        idx(m.indices, m.spec.indexBits), ptrs(m.pointers, 8) {}

  llvm::Expected<Tensor> run();

private:
  llvm::Error fail(const Twine &problem) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   Twine("cannot decode ") +
                                       shapeString(m.rows, m.cols) + " " +
                                       toString(spec) + " matrix: " + problem);
  }
  /// Checks that `bytes` holds exactly `count` entries of `bits` bits.
  llvm::Error checkSize(const char *what, const std::vector<uint8_t> &bytes,
                        int64_t count, unsigned bits) const;
  /// Checks the value array and the stored-value counts.
  llvm::Error checkValues() const;
  /// Checks `count` pointers of the width implied by `last` (their final
  /// value): start at 0, never decrease, end at `last`.
  llvm::Error checkPointers(const char *what, int64_t count, int64_t last);
  /// The stored value k.
  float value(int64_t k) const {
    return bitsToValue(vals.get(k), spec.valueType);
  }
  /// Writes (r, c) once; a second write of the same position is an error.
  llvm::Error put(int64_t r, int64_t c, float v, const char *where, int64_t k) {
    size_t at = size_t(r * m.cols + c);
    if (written[at])
      return fail(Twine("duplicate entry for (") + Twine(r) + ", " + Twine(c) +
                  ") at " + where + " " + Twine(k));
    written[at] = true;
    out.data[at] = v;
    return llvm::Error::success();
  }

  llvm::Error decodeCompressed(bool byRows);
  llvm::Error decodeCOO();
  llvm::Error decodeBSR();
  llvm::Error decodeNM();
  llvm::Error decodeELLBlock(int64_t first, int64_t count, int64_t width,
                             int64_t base);

  const EncodedMatrix &m;
  const FormatSpec &spec;
  PackedReader vals, idx, ptrs;
  Tensor out;
  std::vector<bool> written;
};

} // namespace

llvm::Error Decoder::checkSize(const char *what,
                               const std::vector<uint8_t> &bytes, int64_t count,
                               unsigned bits) const {
  std::optional<int64_t> need = arrayBytes(count, bits);
  if (!need)
    return fail(Twine(what) + " size overflows");
  if (static_cast<int64_t>(bytes.size()) != *need)
    return fail(Twine(what) + " array has " + Twine(uint64_t(bytes.size())) +
                " bytes; " + Twine(count) + " entries of " + Twine(bits) +
                " bits need " + Twine(*need));
  return llvm::Error::success();
}

llvm::Error Decoder::checkValues() const {
  if (m.storedValues < 0)
    return fail(Twine("negative stored value count ") + Twine(m.storedValues));
  if (m.paddingValues < 0 || m.paddingValues > m.storedValues)
    return fail(Twine("padding count ") + Twine(m.paddingValues) +
                " is not within the " + Twine(m.storedValues) +
                " stored values");
  return checkSize("value", m.values, m.storedValues,
                   valueBits(spec.valueType));
}

llvm::Error Decoder::checkPointers(const char *what, int64_t count,
                                   int64_t last) {
  unsigned bits = pointerBits(spec.indexBits, last);
  if (llvm::Error e = checkSize(what, m.pointers, count, bits))
    return e;
  ptrs = PackedReader(m.pointers, bits);
  if (ptrs.get(0) != 0)
    return fail(Twine(what) + " array does not start at 0");
  for (int64_t i = 1; i < count; ++i)
    if (ptrs.get(i) < ptrs.get(i - 1))
      return fail(Twine(what) + " array decreases at entry " + Twine(i));
  if (ptrs.get(count - 1) != uint64_t(last))
    return fail(Twine(what) + " array ends at " + Twine(ptrs.get(count - 1)) +
                ", not at the " + Twine(last) + " stored entries");
  return llvm::Error::success();
}

llvm::Error Decoder::decodeCompressed(bool byRows) {
  int64_t nnz = m.storedValues;
  int64_t outer = byRows ? m.rows : m.cols, inner = byRows ? m.cols : m.rows;
  const char *what = byRows ? "row pointer" : "column pointer";
  if (llvm::Error e = checkSize("index", m.indices, nnz, spec.indexBits))
    return e;
  if (llvm::Error e = checkPointers(what, outer + 1, nnz))
    return e;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k = int64_t(ptrs.get(o)), e = int64_t(ptrs.get(o + 1)); k < e;
         ++k) {
      uint64_t i = idx.get(k);
      if (i >= uint64_t(inner))
        return fail(Twine(byRows ? "column" : "row") + " index " + Twine(i) +
                    " out of range at entry " + Twine(k));
      int64_t r = byRows ? o : int64_t(i), c = byRows ? int64_t(i) : o;
      if (llvm::Error err = put(r, c, value(k), "entry", k))
        return err;
    }
  return llvm::Error::success();
}

llvm::Error Decoder::decodeCOO() {
  int64_t nnz = m.storedValues;
  if (!m.pointers.empty())
    return fail("coo has no pointers");
  std::optional<int64_t> twice = mul(nnz, 2);
  if (!twice)
    return fail("index size overflows");
  if (llvm::Error e = checkSize("index", m.indices, *twice, spec.indexBits))
    return e;
  for (int64_t k = 0; k < nnz; ++k) {
    uint64_t r = idx.get(k), c = idx.get(nnz + k);
    if (r >= uint64_t(m.rows) || c >= uint64_t(m.cols))
      return fail(Twine("position (") + Twine(r) + ", " + Twine(c) +
                  ") out of range at entry " + Twine(k));
    if (llvm::Error e = put(int64_t(r), int64_t(c), value(k), "entry", k))
      return e;
  }
  return llvm::Error::success();
}

llvm::Error Decoder::decodeBSR() {
  int64_t bh = spec.blockRows, bw = spec.blockCols, area = bh * bw;
  if (m.storedValues % area)
    return fail(Twine(m.storedValues) + " stored values are not whole " +
                Twine(bh) + "x" + Twine(bw) + " blocks");
  int64_t blocks = m.storedValues / area;
  int64_t gridRows = m.rows / bh, gridCols = m.cols / bw;
  if (llvm::Error e = checkSize("index", m.indices, blocks, spec.indexBits))
    return e;
  if (llvm::Error e = checkPointers("block-row pointer", gridRows + 1, blocks))
    return e;
  std::vector<bool> seen(size_t(gridRows * gridCols), false);
  for (int64_t br = 0; br < gridRows; ++br)
    for (int64_t k = int64_t(ptrs.get(br)), e = int64_t(ptrs.get(br + 1));
         k < e; ++k) {
      uint64_t bc = idx.get(k);
      if (bc >= uint64_t(gridCols))
        return fail(Twine("block column index ") + Twine(bc) +
                    " out of range at block " + Twine(k));
      if (seen[size_t(br * gridCols + int64_t(bc))])
        return fail(Twine("duplicate block (") + Twine(br) + ", " + Twine(bc) +
                    ") at block " + Twine(k));
      seen[size_t(br * gridCols + int64_t(bc))] = true;
      for (int64_t i = 0; i < bh; ++i)
        for (int64_t j = 0; j < bw; ++j)
          out.data[size_t((br * bh + i) * m.cols + int64_t(bc) * bw + j)] =
              value((k * bh + i) * bw + j);
    }
  return llvm::Error::success();
}

llvm::Error Decoder::decodeNM() {
  int64_t n = spec.n, gm = spec.m, groups = m.cols / gm;
  int64_t stored = m.rows * groups * n;
  if (m.storedValues != stored)
    return fail(Twine(m.storedValues) + " stored values; nm stores " +
                Twine(stored));
  if (!m.pointers.empty())
    return fail("nm has no pointers");
  if (llvm::Error e = checkSize("index", m.indices, stored, spec.indexBits))
    return e;
  int64_t k = 0;
  for (int64_t r = 0; r < m.rows; ++r)
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t s = 0; s < n; ++s, ++k) {
        uint64_t j = idx.get(k);
        if (j >= uint64_t(gm))
          return fail(Twine("in-group index ") + Twine(j) +
                      " out of range at entry " + Twine(k));
        if (llvm::Error e = put(r, g * gm + int64_t(j), value(k), "entry", k))
          return e;
      }
  return llvm::Error::success();
}

llvm::Error Decoder::decodeELLBlock(int64_t first, int64_t count, int64_t width,
                                    int64_t base) {
  for (int64_t r = first; r < first + count; ++r)
    for (int64_t j = 0; j < width; ++j) {
      int64_t k = base + (r - first) * width + j;
      uint64_t c = idx.get(k);
      if (c >= uint64_t(m.cols))
        return fail(Twine("column index ") + Twine(c) +
                    " out of range at entry " + Twine(k));
      if (vals.get(k) == 0) // padding (value +0)
        continue;
      if (llvm::Error e = put(r, int64_t(c), value(k), "entry", k))
        return e;
    }
  return llvm::Error::success();
}

llvm::Expected<Tensor> Decoder::run() {
  if (std::optional<std::string> problem = shapeProblem(spec, m.rows, m.cols))
    return fail(*problem);
  if (llvm::Error e = checkValues())
    return e;
  if (!sxf_rt::hasPointers(spec.kind) && !m.pointers.empty())
    return fail(Twine(kindName(spec.kind)) + " has no pointers");
  out = Tensor({m.rows, m.cols});
  written.assign(size_t(m.rows * m.cols), false);
  llvm::Error err = llvm::Error::success();
  switch (spec.kind) {
  case Kind::Dense: {
    if (m.storedValues != m.rows * m.cols)
      return fail(Twine(m.storedValues) + " stored values; dense stores " +
                  Twine(m.rows * m.cols));
    if (!m.indices.empty())
      return fail("dense has no indices");
    for (int64_t i = 0; i < m.storedValues; ++i)
      out.data[size_t(i)] = value(i);
    break;
  }
  case Kind::CSR:
    err = decodeCompressed(/*byRows=*/true);
    break;
  case Kind::CSC:
    err = decodeCompressed(/*byRows=*/false);
    break;
  case Kind::COO:
    err = decodeCOO();
    break;
  case Kind::BSR:
    err = decodeBSR();
    break;
  case Kind::NM:
    err = decodeNM();
    break;
  case Kind::ELL: {
    int64_t width = m.rows ? m.storedValues / m.rows : 0;
    if (width * m.rows != m.storedValues)
      return fail(Twine(m.storedValues) + " stored values are not " +
                  Twine(m.rows) + " rows of equal width");
    if ((err = checkSize("index", m.indices, m.storedValues, spec.indexBits)))
      break;
    err = decodeELLBlock(0, m.rows, width, 0);
    break;
  }
  }
  if (err)
    return err;
  return std::move(out);
}

llvm::Expected<Tensor> sxf::formats::decode(const EncodedMatrix &m) {
  return Decoder(m).run();
}

MatrixCounts sxf::formats::countMatrix(const Tensor &dense,
                                       const FormatSpec &spec,
                                       llvm::ArrayRef<uint8_t> pattern) {
  MatrixCounts c;
  int64_t numel = shapeNumElements(dense.shape);
  // rows = prod(shape[:-1]) even when the last extent is 0 (a 3x0 matrix has
  // 3 rows, and csr stores 4 row pointers for it).
  std::vector<int64_t> outer(dense.shape.begin(), dense.shape.empty()
                                                      ? dense.shape.end()
                                                      : dense.shape.end() - 1);
  c.cols = dense.shape.empty() ? 1 : dense.shape.back();
  c.rows = std::max<int64_t>(shapeNumElements(outer), 0);
  if (numel < 0 || numel != dense.numel() ||
      (!pattern.empty() && static_cast<int64_t>(pattern.size()) != numel)) {
    c.nnz = -1; // the data (or pattern) does not match the shape
    return c;
  }
  MatrixView a{dense.data.data(), c.rows, c.cols,
               pattern.empty() ? nullptr : pattern.data()};
  std::vector<int64_t> rowNnz(size_t(c.rows));
  c.maxRowNnz = 0;
  for (int64_t r = 0; r < c.rows; ++r) {
    rowNnz[size_t(r)] = a.rowNnz(r);
    c.nnz += rowNnz[size_t(r)];
    c.maxRowNnz = std::max(c.maxRowNnz, rowNnz[size_t(r)]);
  }
  if (spec.kind == Kind::BSR && spec.blockRows && spec.blockCols &&
      c.rows % spec.blockRows == 0 && c.cols % spec.blockCols == 0) {
    int64_t bh = spec.blockRows, bw = spec.blockCols;
    c.nonzeroBlocks = 0;
    for (int64_t br = 0; br < c.rows / bh; ++br)
      for (int64_t bc = 0; bc < c.cols / bw; ++bc)
        c.nonzeroBlocks += blockHasNonzero(a, br, bc, bh, bw);
  }
  return c;
}

std::vector<bool> sxf::formats::storedPositions(const std::vector<bool> &nonzero,
                                                int64_t rows, int64_t cols,
                                                const FormatSpec &spec) {
  if (spec.kind == Kind::Dense)
    return std::vector<bool>(nonzero.size(), true);
  if (spec.kind != Kind::BSR || spec.blockRows <= 0 || spec.blockCols <= 0 ||
      rows % spec.blockRows != 0 || cols % spec.blockCols != 0)
    return nonzero;
  // bsr: a block is stored, all of it, iff it holds a nonzero — encodeBSR's
  // rule (blockHasNonzero), on a view whose pattern is `nonzero`.
  std::vector<uint8_t> mask(nonzero.begin(), nonzero.end());
  MatrixView a{nullptr, rows, cols, mask.data()};
  int64_t bh = spec.blockRows, bw = spec.blockCols;
  std::vector<bool> stored(nonzero.size(), false);
  for (int64_t br = 0; br < rows / bh; ++br)
    for (int64_t bc = 0; bc < cols / bw; ++bc)
      if (blockHasNonzero(a, br, bc, bh, bw))
        for (int64_t i = 0; i < bh; ++i)
          for (int64_t j = 0; j < bw; ++j)
            stored[(br * bh + i) * cols + bc * bw + j] = true;
  return stored;
}
