//===- FormatsTest.cpp - Tests of the sparse storage formats -*- C++ -*-===//
//
// Hand-worked layouts of every format (array by array), round trips of
// random matrices through every format / value type / index width that can
// hold them (with the byte accounting checked against the arrays and against
// an independent model of SparsityStats' formatBytes), the refusals with
// their messages, decoding of malformed arrays, and chooseIndexBits at its
// boundaries.
//
//===----------------------------------------------------------------------===//

#include "sxf/Formats/Formats.h"
#include "sxf/Support/Random.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

using namespace sxf;
using namespace sxf::formats;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Tensor mat(int64_t rows, int64_t cols, std::vector<float> data) {
  Tensor t({rows, cols});
  t.data = std::move(data);
  return t;
}

/// The 4x6 example of Formats.h.
Tensor example() {
  return mat(4, 6, {1, 0, 0, 2, 0, 0, //
                    0, 0, 0, 0, 0, 0, //
                    0, 3, 0, 0, 4, 5, //
                    6, 0, 0, 0, 0, 7});
}

/// The 4x8 2:4 example of Formats.h.
Tensor nmExample() {
  return mat(4, 8, {1, 0, 0, 2, 0, 0, 0, 0, //
                    0, 0, 0, 0, 3, 4, 0, 0, //
                    0, 5, 0, 0, 0, 0, 0, 6, //
                    0, 0, 0, 0, 0, 0, 0, 0});
}

FormatSpec makeSpec(Kind kind, unsigned indexBits = 32,
                    ValueType vt = ValueType::F32) {
  FormatSpec s;
  s.kind = kind;
  s.indexBits = indexBits;
  s.valueType = vt;
  return s;
}

FormatSpec bsr(unsigned br, unsigned bc, unsigned indexBits = 32) {
  FormatSpec s = makeSpec(Kind::BSR, indexBits);
  s.blockRows = br;
  s.blockCols = bc;
  return s;
}

FormatSpec nm(unsigned n, unsigned m, unsigned indexBits = 8) {
  FormatSpec s = makeSpec(Kind::NM, indexBits);
  s.n = n;
  s.m = m;
  return s;
}

/// Reads an array of `bits`-bit little-endian (or LSB-first packed) unsigned
/// integers, independently of the library.
std::vector<uint64_t> ints(const std::vector<uint8_t> &bytes, unsigned bits) {
  std::vector<uint64_t> out;
  if (bits < 8) {
    for (size_t i = 0; i < bytes.size() * 8 / bits; ++i)
      out.push_back((bytes[i * bits / 8] >> (i * bits % 8)) &
                    ((1u << bits) - 1));
    return out;
  }
  size_t w = bits / 8;
  EXPECT_EQ(bytes.size() % w, 0u);
  for (size_t i = 0; i + w <= bytes.size(); i += w) {
    uint64_t v = 0;
    for (size_t k = 0; k < w; ++k)
      v |= uint64_t(bytes[i + k]) << (8 * k);
    out.push_back(v);
  }
  return out;
}

std::vector<float> f32s(const std::vector<uint8_t> &bytes) {
  std::vector<float> out;
  for (uint64_t u : ints(bytes, 32)) {
    uint32_t b = uint32_t(u);
    float f;
    std::memcpy(&f, &b, 4);
    out.push_back(f);
  }
  return out;
}

std::vector<uint64_t> u(std::initializer_list<uint64_t> l) { return l; }

/// `v` as stored in `t`.
float rounded(float v, ValueType t) {
  switch (t) {
  case ValueType::F16:
    return halfToFloat(floatToHalf(v));
  case ValueType::BF16:
    return bf16ToFloat(floatToBf16(v));
  case ValueType::F32:
    break;
  }
  return v;
}

uint32_t bitsOf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

EncodedMatrix mustEncode(const Tensor &t, const FormatSpec &spec) {
  llvm::Expected<EncodedMatrix> m = encode(t, spec);
  if (!m) {
    ADD_FAILURE() << toString(spec) << ": " << llvm::toString(m.takeError());
    return EncodedMatrix();
  }
  return std::move(*m);
}

Tensor mustDecode(const EncodedMatrix &m) {
  llvm::Expected<Tensor> t = decode(m);
  if (!t) {
    ADD_FAILURE() << toString(m.spec) << ": " << llvm::toString(t.takeError());
    return Tensor();
  }
  return std::move(*t);
}

/// The error message of a failed encode ("" and a test failure if it
/// succeeded).
std::string encodeError(const Tensor &t, const FormatSpec &spec) {
  llvm::Expected<EncodedMatrix> m = encode(t, spec);
  if (m) {
    ADD_FAILURE() << toString(spec) << " unexpectedly encoded";
    return "";
  }
  return llvm::toString(m.takeError());
}

std::string decodeError(const EncodedMatrix &m) {
  llvm::Expected<Tensor> t = decode(m);
  if (t) {
    ADD_FAILURE() << toString(m.spec) << " unexpectedly decoded";
    return "";
  }
  return llvm::toString(t.takeError());
}

void expectSameTensor(const Tensor &a, const Tensor &b) {
  ASSERT_EQ(a.shape, b.shape);
  ASSERT_EQ(a.data.size(), b.data.size());
  for (size_t i = 0; i < a.data.size(); ++i)
    EXPECT_EQ(bitsOf(a.data[i]), bitsOf(b.data[i])) << "element " << i;
}

//===----------------------------------------------------------------------===//
// Hand-worked layouts
//===----------------------------------------------------------------------===//

TEST(FormatsTest, ToString) {
  FormatSpec csr = makeSpec(Kind::CSR, 16, ValueType::F16);
  EXPECT_EQ(toString(csr), "csr f16/i16");
  EXPECT_EQ(toString(bsr(4, 4)), "bsr[4x4] f32/i32");
  FormatSpec n = nm(2, 4, 2);
  n.valueType = ValueType::F16;
  EXPECT_EQ(toString(n), "nm[2:4] f16/i2");
  EXPECT_EQ(toString(makeSpec(Kind::Dense, 32, ValueType::BF16)), "dense bf16");
  EXPECT_EQ(toString(makeSpec(Kind::CSC, 8)), "csc f32/i8");
  EXPECT_EQ(toString(makeSpec(Kind::COO, 64)), "coo f32/i64");
  EXPECT_EQ(toString(makeSpec(Kind::ELL, 8, ValueType::BF16)), "ell bf16/i8");
}

TEST(FormatsTest, DenseLayout) {
  EncodedMatrix m = mustEncode(example(), makeSpec(Kind::Dense));
  EXPECT_EQ(f32s(m.values), example().data);
  EXPECT_TRUE(m.indices.empty());
  EXPECT_TRUE(m.pointers.empty());
  EXPECT_EQ(m.storedValues, 24);
  EXPECT_EQ(m.paddingValues, 17); // the zeros
  EXPECT_EQ(m.bytes().total(), 96);
  expectSameTensor(mustDecode(m), example());
}

TEST(FormatsTest, CSRLayout) {
  EncodedMatrix m = mustEncode(example(), makeSpec(Kind::CSR));
  EXPECT_EQ(f32s(m.values), (std::vector<float>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(ints(m.indices, 32), u({0, 3, 1, 4, 5, 0, 5}));
  EXPECT_EQ(ints(m.pointers, 32), u({0, 2, 2, 5, 7}));
  EXPECT_EQ(m.storedValues, 7);
  EXPECT_EQ(m.paddingValues, 0);
  ByteBreakdown b = m.bytes();
  EXPECT_EQ(b.values, 28);
  EXPECT_EQ(b.indices, 28);
  EXPECT_EQ(b.pointers, 20);
  EXPECT_EQ(b.total(), 76);
  expectSameTensor(mustDecode(m), example());

  // 8-bit indices: one byte per column index and pointer.
  EncodedMatrix m8 = mustEncode(example(), makeSpec(Kind::CSR, 8));
  EXPECT_EQ(m8.indices, (std::vector<uint8_t>{0, 3, 1, 4, 5, 0, 5}));
  EXPECT_EQ(m8.pointers, (std::vector<uint8_t>{0, 2, 2, 5, 7}));
  expectSameTensor(mustDecode(m8), example());
}

TEST(FormatsTest, CSCLayout) {
  EncodedMatrix m = mustEncode(example(), makeSpec(Kind::CSC, 16));
  EXPECT_EQ(f32s(m.values), (std::vector<float>{1, 6, 3, 2, 4, 5, 7}));
  EXPECT_EQ(ints(m.indices, 16), u({0, 3, 2, 0, 2, 2, 3}));
  EXPECT_EQ(ints(m.pointers, 16), u({0, 2, 3, 3, 4, 5, 7}));
  EXPECT_EQ(m.bytes().indices, 14);
  EXPECT_EQ(m.bytes().pointers, 14);
  expectSameTensor(mustDecode(m), example());
}

TEST(FormatsTest, COOLayout) {
  EncodedMatrix m = mustEncode(example(), makeSpec(Kind::COO, 8));
  EXPECT_EQ(f32s(m.values), (std::vector<float>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(m.indices, (std::vector<uint8_t>{0, 0, 2, 2, 2, 3, 3, //
                                             0, 3, 1, 4, 5, 0, 5}));
  EXPECT_TRUE(m.pointers.empty());
  EXPECT_EQ(m.bytes().indices, 14);
  expectSameTensor(mustDecode(m), example());
}

TEST(FormatsTest, BSRLayout) {
  EncodedMatrix m = mustEncode(example(), bsr(2, 2));
  EXPECT_EQ(ints(m.pointers, 32), u({0, 2, 4}));
  EXPECT_EQ(ints(m.indices, 32), u({0, 1, 0, 2}));
  EXPECT_EQ(f32s(m.values), (std::vector<float>{1, 0, 0, 0, //
                                                0, 2, 0, 0, //
                                                0, 3, 6, 0, //
                                                4, 5, 0, 7}));
  EXPECT_EQ(m.storedValues, 16);
  EXPECT_EQ(m.paddingValues, 9);
  EXPECT_EQ(m.bytes().values, 64);
  EXPECT_EQ(m.bytes().indices, 16);
  EXPECT_EQ(m.bytes().pointers, 12);
  expectSameTensor(mustDecode(m), example());

  // Non-square 1x3 blocks: row 1 stores none.
  EncodedMatrix r = mustEncode(example(), bsr(1, 3, 8));
  EXPECT_EQ(r.pointers, (std::vector<uint8_t>{0, 2, 2, 4, 6}));
  EXPECT_EQ(r.indices, (std::vector<uint8_t>{0, 1, 0, 1, 0, 1}));
  EXPECT_EQ(f32s(r.values), (std::vector<float>{1, 0, 0, 2, 0, 0, //
                                                0, 3, 0, 0, 4, 5, //
                                                6, 0, 0, 0, 0, 7}));
  EXPECT_EQ(r.paddingValues, 11);
  expectSameTensor(mustDecode(r), example());
}

TEST(FormatsTest, NMLayout) {
  std::vector<uint64_t> expectIdx = {0, 3, 0, 1, 0, 1, 0, 1,
                                     0, 1, 0, 3, 0, 1, 0, 1};
  std::vector<float> expectVal = {1, 2, 0, 0, 0, 0, 3, 4,
                                  0, 5, 0, 6, 0, 0, 0, 0};
  EncodedMatrix m = mustEncode(nmExample(), nm(2, 4, 8));
  EXPECT_EQ(f32s(m.values), expectVal);
  EXPECT_EQ(ints(m.indices, 8), expectIdx);
  EXPECT_TRUE(m.pointers.empty());
  EXPECT_EQ(m.storedValues, 16);
  EXPECT_EQ(m.paddingValues, 10);
  expectSameTensor(mustDecode(m), nmExample());

  // 2-bit indices, packed LSB-first: four per byte.
  EncodedMatrix p = mustEncode(nmExample(), nm(2, 4, 2));
  EXPECT_EQ(p.indices, (std::vector<uint8_t>{0x4c, 0x44, 0xc4, 0x44}));
  EXPECT_EQ(ints(p.indices, 2), expectIdx);
  EXPECT_EQ(f32s(p.values), expectVal);
  expectSameTensor(mustDecode(p), nmExample());

  // 4-bit indices: two per byte, low nibble first.
  EncodedMatrix q = mustEncode(nmExample(), nm(2, 4, 4));
  EXPECT_EQ(q.indices.size(), 8u);
  EXPECT_EQ(q.indices[0], 0x30);
  EXPECT_EQ(ints(q.indices, 4), expectIdx);
  expectSameTensor(mustDecode(q), nmExample());

  // The 4x6 example is 1:2 compliant? No: row 3 has 6 at column 0 alone but
  // row 2 holds 4 and 5 in group 2 (columns 4-5).
  EXPECT_NE(encodeError(example(), nm(1, 2)).find("row 2, group 2"),
            std::string::npos);
  // It is 2:3 compliant (every group of 3 holds at most 2).
  EncodedMatrix t = mustEncode(example(), nm(2, 3));
  EXPECT_EQ(f32s(t.values), (std::vector<float>{1, 0, 2, 0, 0, 0, 0, 0, //
                                                0, 3, 4, 5, 6, 0, 0, 7}));
  EXPECT_EQ(ints(t.indices, 8), u({0, 1, 0, 1, 0, 1, 0, 1, //
                                   0, 1, 1, 2, 0, 1, 0, 2}));
  expectSameTensor(mustDecode(t), example());
}

TEST(FormatsTest, ELLLayout) {
  EncodedMatrix m = mustEncode(example(), makeSpec(Kind::ELL, 8));
  EXPECT_EQ(f32s(m.values), (std::vector<float>{1, 2, 0, //
                                                0, 0, 0, //
                                                3, 4, 5, //
                                                6, 7, 0}));
  EXPECT_EQ(m.indices, (std::vector<uint8_t>{0, 3, 0, //
                                             0, 0, 0, //
                                             1, 4, 5, //
                                             0, 5, 0}));
  EXPECT_TRUE(m.pointers.empty());
  EXPECT_EQ(m.storedValues, 12);
  EXPECT_EQ(m.paddingValues, 5);
  // Row 3 stores 6 at column 0 and a padding entry at column 0 too.
  expectSameTensor(mustDecode(m), example());
}

TEST(FormatsTest, HalfAndBf16ValueBytes) {
  Tensor t = mat(1, 3, {1.0f, 0.0f, -2.0f});
  EncodedMatrix h = mustEncode(t, makeSpec(Kind::CSR, 8, ValueType::F16));
  EXPECT_EQ(h.values, (std::vector<uint8_t>{0x00, 0x3c, 0x00, 0xc0}));
  EncodedMatrix b = mustEncode(t, makeSpec(Kind::CSR, 8, ValueType::BF16));
  EXPECT_EQ(b.values, (std::vector<uint8_t>{0x80, 0x3f, 0x00, 0xc0}));
  expectSameTensor(mustDecode(h), t);
  expectSameTensor(mustDecode(b), t);

  // Rounding is not an error: decode returns the rounded values, and a
  // nonzero that rounds to zero (or overflows) is still stored.
  Tensor r = mat(2, 2, {0.1f, 1e-9f, 7e4f, -3.0f});
  for (ValueType vt : {ValueType::F16, ValueType::BF16})
    for (Kind k : {Kind::Dense, Kind::CSR, Kind::ELL}) {
      FormatSpec s = makeSpec(k, 8, vt);
      EncodedMatrix e = mustEncode(r, s);
      if (k != Kind::Dense) {
        EXPECT_EQ(e.storedValues, 4) << toString(s);
      }
      Tensor d = mustDecode(e);
      ASSERT_EQ(d.data.size(), 4u);
      for (int i = 0; i < 4; ++i)
        EXPECT_EQ(bitsOf(d.data[i]), bitsOf(rounded(r.data[i], vt)))
            << toString(s) << " element " << i;
    }
  EXPECT_EQ(rounded(1e-9f, ValueType::F16), 0.0f);
  EXPECT_TRUE(std::isinf(rounded(7e4f, ValueType::F16)));
}

TEST(FormatsTest, NegativeZeroIsAZero) {
  Tensor t = mat(1, 2, {-0.0f, 1.0f});
  EncodedMatrix d = mustEncode(t, makeSpec(Kind::Dense));
  EXPECT_EQ(d.paddingValues, 1);
  expectSameTensor(mustDecode(d), t); // dense keeps the sign
  EncodedMatrix c = mustEncode(t, makeSpec(Kind::CSR));
  EXPECT_EQ(c.storedValues, 1);
  EXPECT_EQ(bitsOf(mustDecode(c).data[0]), 0u); // sparse: +0
}

TEST(FormatsTest, PointersWidenPastTheIndexWidth) {
  // 200 columns fit 8-bit indices, but 400 nonzeros need 16-bit pointers.
  Tensor t({2, 200}, 1.0f);
  EncodedMatrix m = mustEncode(t, makeSpec(Kind::CSR, 8));
  EXPECT_EQ(m.indices.size(), 400u);
  EXPECT_EQ(ints(m.pointers, 16), u({0, 200, 400}));
  EXPECT_EQ(m.bytes().pointers, 6);
  expectSameTensor(mustDecode(m), t);
  EXPECT_EQ(pointerBits(8, 255), 8u);
  EXPECT_EQ(pointerBits(8, 256), 16u);
  EXPECT_EQ(pointerBits(2, 3), 8u);
  EXPECT_EQ(pointerBits(16, 65536), 32u);
  EXPECT_EQ(pointerBits(32, int64_t(1) << 32), 64u);
  EXPECT_EQ(pointerBits(64, 5), 64u);
}

TEST(FormatsTest, EmptyAndDegenerateMatrices) {
  std::vector<FormatSpec> specs = {
      makeSpec(Kind::Dense),  makeSpec(Kind::CSR, 8),
      makeSpec(Kind::CSC, 8), makeSpec(Kind::COO, 8),
      bsr(1, 1, 8),           nm(1, 1, 8),
      makeSpec(Kind::ELL, 8)};
  for (const Tensor &t :
       {Tensor({0, 5}), Tensor({3, 0}), Tensor({0, 0}), Tensor({3, 4}, 0.0f)})
    for (const FormatSpec &s : specs) {
      llvm::Expected<EncodedMatrix> m = encode(t, s);
      ASSERT_TRUE(bool(m)) << toString(s) << " "
                           << llvm::toString(m.takeError());
      expectSameTensor(mustDecode(*m), t);
      std::optional<ByteBreakdown> est = estimateBytes(countMatrix(t, s), s);
      ASSERT_TRUE(est.has_value()) << toString(s);
      EXPECT_EQ(*est, m->bytes()) << toString(s);
    }
}

//===----------------------------------------------------------------------===//
// Refusals
//===----------------------------------------------------------------------===//

bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

TEST(FormatsTest, RefusesBlocksThatDoNotDivide) {
  std::string e = encodeError(example(), bsr(3, 3));
  EXPECT_TRUE(contains(e, "bsr[3x3]")) << e;
  EXPECT_TRUE(contains(e, "block shape 3x3 does not divide the 4x6 matrix"))
      << e;
  EXPECT_TRUE(contains(encodeError(example(), bsr(4, 4)), "4x6")); // columns
  EXPECT_TRUE(contains(encodeError(example(), bsr(0, 2)), "must be positive"));
  EXPECT_FALSE(estimateBytes(countMatrix(example(), bsr(3, 3)), bsr(3, 3)));
}

TEST(FormatsTest, RefusesNonNMMatrices) {
  Tensor t = nmExample();
  t.data[1 * 8 + 6] = 9.0f; // row 1, group 1 now holds 3, 4 and 9
  std::string e = encodeError(t, nm(2, 4));
  EXPECT_TRUE(contains(e, "cannot encode 4x8 matrix as nm[2:4] f32/i8")) << e;
  EXPECT_TRUE(contains(e, "row 1, group 1 (columns 4-7) holds 3 nonzeros"))
      << e;
  EXPECT_TRUE(contains(e, "keeps at most 2")) << e;
  // The first offending group in row-major order is named.
  t.data[3 * 8 + 0] = t.data[3 * 8 + 1] = t.data[3 * 8 + 2] = 1.0f;
  EXPECT_TRUE(contains(encodeError(t, nm(2, 4)), "row 1, group 1"));
  // A dense matrix is only n:n.
  Tensor d({2, 4}, 1.0f);
  EXPECT_TRUE(contains(encodeError(d, nm(2, 4)), "row 0, group 0"));
  EXPECT_TRUE(bool(encode(d, nm(4, 4))));
  // Malformed N:M specs.
  EXPECT_TRUE(contains(encodeError(example(), nm(2, 4)),
                       "group size M = 4 does not divide the 6 columns"));
  EXPECT_TRUE(contains(encodeError(nmExample(), nm(3, 2)), "N > M"));
  EXPECT_TRUE(contains(encodeError(nmExample(), nm(0, 4)), "positive N"));
  EXPECT_TRUE(contains(encodeError(nmExample(), nm(4, 8, 2)),
                       "2-bit indices cannot hold in-group index 7"));
  // More nonzeros than N:M keeps cannot be costed either.
  MatrixCounts c = countMatrix(d, nm(2, 4));
  EXPECT_FALSE(estimateBytes(c, nm(2, 4)));
}

TEST(FormatsTest, RefusesIndexWidthsTooSmall) {
  Tensor t({4, 300}, 0.0f);
  t.data[299] = 1.0f;
  std::string e = encodeError(t, makeSpec(Kind::CSR, 8));
  EXPECT_TRUE(contains(e, "cannot encode 4x300 matrix as csr f32/i8")) << e;
  EXPECT_TRUE(contains(e, "8-bit indices cannot hold column index 299")) << e;
  EXPECT_TRUE(bool(encode(t, makeSpec(Kind::CSR, 16))));
  // The dimensions decide, not where the nonzeros are.
  Tensor z({4, 300}, 0.0f);
  EXPECT_FALSE(bool(encode(z, makeSpec(Kind::ELL, 8))));
  // CSC indexes rows, COO both.
  Tensor tall({300, 4}, 0.0f);
  EXPECT_TRUE(bool(encode(tall, makeSpec(Kind::CSR, 8))));
  EXPECT_TRUE(
      contains(encodeError(tall, makeSpec(Kind::CSC, 8)), "row index 299"));
  EXPECT_TRUE(contains(encodeError(tall, makeSpec(Kind::COO, 8)),
                       "row/column index 299"));
  // BSR indexes block columns: 1024 columns of 4-wide blocks fit 8 bits.
  Tensor wide({4, 1024}, 0.0f);
  EXPECT_TRUE(bool(encode(wide, bsr(4, 4, 8))));
  EXPECT_TRUE(
      contains(encodeError(wide, bsr(4, 2, 8)), "block column index 511"));
  // Widths that are not widths.
  EXPECT_TRUE(contains(encodeError(example(), makeSpec(Kind::CSR, 4)),
                       "index width 4 is not one of 8, 16, 32, 64"));
  EXPECT_TRUE(contains(encodeError(example(), makeSpec(Kind::ELL, 12)),
                       "index width 12"));
  EXPECT_FALSE(estimateBytes(countMatrix(t, makeSpec(Kind::CSR, 8)),
                             makeSpec(Kind::CSR, 8)));
}

TEST(FormatsTest, RefusesOtherRanksAndBadTensors) {
  Tensor t({2, 3, 4}, 1.0f);
  std::string e = encodeError(t, makeSpec(Kind::CSR));
  EXPECT_TRUE(contains(e, "rank-3 tensor (2x3x4)")) << e;
  EXPECT_TRUE(contains(e, "expected a 2-D matrix")) << e;
  EXPECT_TRUE(contains(encodeError(Tensor({5}, 1.0f), makeSpec(Kind::Dense)),
                       "rank-1 tensor (5)"));
  EXPECT_TRUE(contains(encodeError(Tensor({}, 1.0f), makeSpec(Kind::Dense)),
                       "rank-0 tensor (scalar)"));
  Tensor bad({2, 2});
  bad.data.resize(3);
  EXPECT_TRUE(contains(encodeError(bad, makeSpec(Kind::CSR)),
                       "holds 3 values, not the 4"));
  EXPECT_EQ(countMatrix(bad, makeSpec(Kind::CSR)).nnz, -1);
  EXPECT_FALSE(estimateBytes(countMatrix(bad, makeSpec(Kind::CSR)),
                             makeSpec(Kind::CSR)));
  FormatSpec weird = makeSpec(Kind::CSR);
  weird.kind = static_cast<Kind>(42);
  EXPECT_TRUE(contains(encodeError(example(), weird), "unknown format kind"));
  weird = makeSpec(Kind::CSR);
  weird.valueType = static_cast<ValueType>(9);
  EXPECT_TRUE(contains(encodeError(example(), weird), "unknown value type"));
}

//===----------------------------------------------------------------------===//
// Malformed encodings
//===----------------------------------------------------------------------===//

TEST(FormatsTest, DecodeRejectsMalformedArrays) {
  EncodedMatrix good = mustEncode(example(), makeSpec(Kind::CSR, 8));

  EncodedMatrix m = good;
  m.values.pop_back();
  EXPECT_TRUE(contains(decodeError(m), "value array has 27 bytes")) << "";

  m = good;
  m.pointers[2] = 1; // 0 2 1 5 7
  EXPECT_TRUE(contains(decodeError(m), "row pointer array decreases"));

  m = good;
  m.pointers[4] = 6;
  EXPECT_TRUE(contains(decodeError(m), "ends at 6, not at the 7"));

  m = good;
  m.indices[1] = 6;
  EXPECT_TRUE(contains(decodeError(m), "column index 6 out of range"));

  m = good;
  m.indices[1] = 0; // row 0 stores column 0 twice
  EXPECT_TRUE(contains(decodeError(m), "duplicate entry for (0, 0)"));

  m = good;
  m.pointers.push_back(7);
  EXPECT_TRUE(contains(decodeError(m), "row pointer array has 6 bytes"));

  m = good;
  m.rows = -1;
  EXPECT_TRUE(contains(decodeError(m), "negative matrix extent"));

  m = good;
  m.paddingValues = 8;
  EXPECT_TRUE(contains(decodeError(m), "padding count 8"));

  EncodedMatrix b = mustEncode(example(), bsr(2, 2, 8));
  b.indices[1] = 0; // block (0, 0) twice
  EXPECT_TRUE(contains(decodeError(b), "duplicate block (0, 0)"));
  b = mustEncode(example(), bsr(2, 2, 8));
  b.indices[3] = 3;
  EXPECT_TRUE(contains(decodeError(b), "block column index 3 out of range"));
  b = mustEncode(example(), bsr(2, 2, 8));
  b.storedValues = 15;
  b.values.resize(60);
  EXPECT_TRUE(contains(decodeError(b), "not whole 2x2 blocks"));

  EncodedMatrix n = mustEncode(nmExample(), nm(2, 4, 8));
  n.indices[0] = 4;
  EXPECT_TRUE(contains(decodeError(n), "in-group index 4 out of range"));
  n = mustEncode(nmExample(), nm(2, 4, 8));
  n.indices[1] = 0;
  EXPECT_TRUE(contains(decodeError(n), "duplicate entry for (0, 0)"));

  EncodedMatrix e = mustEncode(example(), makeSpec(Kind::ELL, 8));
  e.storedValues = 11;
  e.values.resize(44);
  e.indices.resize(11);
  EXPECT_TRUE(contains(decodeError(e), "not 4 rows of equal width"));
  e = mustEncode(example(), makeSpec(Kind::ELL, 8));
  e.indices[6] = 4; // row 2's 3 moved onto its 4
  EXPECT_TRUE(contains(decodeError(e), "duplicate entry for (2, 4)"));

  EncodedMatrix c = mustEncode(example(), makeSpec(Kind::COO, 8));
  c.indices[0] = 4;
  EXPECT_TRUE(contains(decodeError(c), "position (4, 0) out of range"));
  c = mustEncode(example(), makeSpec(Kind::COO, 8));
  c.pointers.push_back(0);
  EXPECT_TRUE(contains(decodeError(c), "coo has no pointers"));

  EncodedMatrix d = mustEncode(example(), makeSpec(Kind::Dense));
  d.storedValues = 23;
  d.values.resize(92);
  EXPECT_TRUE(contains(decodeError(d), "dense stores 24"));
}

//===----------------------------------------------------------------------===//
// chooseIndexBits
//===----------------------------------------------------------------------===//

TEST(FormatsTest, ChooseIndexBitsBoundaries) {
  FormatSpec csr = makeSpec(Kind::CSR), coo = makeSpec(Kind::COO),
             ell = makeSpec(Kind::ELL), csc = makeSpec(Kind::CSC);
  // Column indices: 256 columns have indices up to 255.
  EXPECT_EQ(chooseIndexBits(ell, 1, 255, 0), 8u);
  EXPECT_EQ(chooseIndexBits(ell, 1, 256, 0), 8u);
  EXPECT_EQ(chooseIndexBits(ell, 1, 257, 0), 16u);
  EXPECT_EQ(chooseIndexBits(ell, 1000000, 65535, 0), 16u);
  EXPECT_EQ(chooseIndexBits(ell, 1, 65536, 0), 16u);
  EXPECT_EQ(chooseIndexBits(ell, 1, 65537, 0), 32u);
  EXPECT_EQ(chooseIndexBits(ell, 1, (int64_t(1) << 32) + 1, 0), 64u);
  // Pointers go up to the stored entries.
  EXPECT_EQ(chooseIndexBits(csr, 1, 255, 255), 8u);
  EXPECT_EQ(chooseIndexBits(csr, 2, 255, 256), 16u);
  EXPECT_EQ(chooseIndexBits(csr, 1, 256, 255), 8u);
  EXPECT_EQ(chooseIndexBits(csr, 1, 256, 256), 16u);
  EXPECT_EQ(chooseIndexBits(csr, 1, 65535, 65535), 16u);
  EXPECT_EQ(chooseIndexBits(csr, 1, 65536, 65535), 16u);
  EXPECT_EQ(chooseIndexBits(csr, 2, 65535, 65536), 32u);
  EXPECT_EQ(chooseIndexBits(csr, 1, 65537, 0), 32u);
  // COO has no pointers: storedEntries is ignored.
  EXPECT_EQ(chooseIndexBits(coo, 256, 256, 65536), 8u);
  EXPECT_EQ(chooseIndexBits(coo, 257, 2, 0), 16u);
  EXPECT_EQ(chooseIndexBits(csc, 65536, 2, 0), 16u);
  EXPECT_EQ(chooseIndexBits(csc, 65537, 2, 0), 32u);
  // BSR: block columns and stored blocks.
  EXPECT_EQ(chooseIndexBits(bsr(4, 4), 4, 1024, 255), 8u);
  EXPECT_EQ(chooseIndexBits(bsr(4, 4), 4, 1028, 0), 16u);
  EXPECT_EQ(chooseIndexBits(bsr(4, 4), 8, 1024, 256), 16u);
  // NM: in-group indices.
  EXPECT_EQ(chooseIndexBits(nm(2, 4), 100000, 100000, 0), 8u);
  EXPECT_EQ(chooseIndexBits(nm(2, 512), 1, 512, 0), 16u);
  EXPECT_EQ(chooseIndexBits(makeSpec(Kind::Dense), 100000, 100000, 0), 8u);

  // The chosen width encodes; the next narrower one is refused.
  Tensor t({1, 256}, 0.0f);
  t.data[255] = 1.0f;
  EXPECT_TRUE(
      bool(encode(t, makeSpec(Kind::CSR, chooseIndexBits(csr, 1, 256, 1)))));
  Tensor w({1, 257}, 0.0f);
  unsigned bits = chooseIndexBits(csr, 1, 257, 0);
  EXPECT_EQ(bits, 16u);
  EXPECT_TRUE(bool(encode(w, makeSpec(Kind::CSR, bits))));
  EXPECT_FALSE(bool(encode(w, makeSpec(Kind::CSR, 8))));
  // Pointers past the chosen-by-hand index width widen instead of failing.
  Tensor full({1, 256}, 1.0f);
  EncodedMatrix m = mustEncode(full, makeSpec(Kind::CSR, 8));
  EXPECT_EQ(ints(m.pointers, 16), u({0, 256}));
}

//===----------------------------------------------------------------------===//
// estimateBytes from counts
//===----------------------------------------------------------------------===//

TEST(FormatsTest, EstimateFromCountsOnly) {
  MatrixCounts c;
  c.rows = 1024;
  c.cols = 4096;
  c.nnz = 419430; // ~10%
  c.maxRowNnz = 500;
  FormatSpec csr = makeSpec(Kind::CSR, 16, ValueType::F16);
  std::optional<ByteBreakdown> b = estimateBytes(c, csr);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->values, 2 * 419430);
  EXPECT_EQ(b->indices, 2 * 419430);
  EXPECT_EQ(b->pointers, 4 * 1025); // 419430 needs 32-bit pointers
  std::optional<ByteBreakdown> e =
      estimateBytes(c, makeSpec(Kind::ELL, 16, ValueType::F16));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->values, 2 * 1024 * 500);
  EXPECT_EQ(e->paddingValues, 1024 * 500 - 419430);
  // Unknown counts: documented upper bounds.
  std::optional<ByteBreakdown> blk = estimateBytes(c, bsr(4, 4, 16));
  ASSERT_TRUE(blk);
  EXPECT_EQ(blk->indices, 2 * 256 * 1024); // every block (nnz > blocks)
  c.nonzeroBlocks = 1000;
  blk = estimateBytes(c, bsr(4, 4, 16));
  ASSERT_FALSE(blk); // 1000 blocks cannot hold 419430 nonzeros
  c.nonzeroBlocks = 30000;
  blk = estimateBytes(c, bsr(4, 4, 16));
  ASSERT_TRUE(blk);
  EXPECT_EQ(blk->values, 4 * 30000 * 16);
  EXPECT_EQ(blk->paddingValues, 30000 * 16 - 419430);
  EXPECT_EQ(blk->pointers, 2 * 257);
  MatrixCounts u2 = c;
  u2.maxRowNnz = -1;
  std::optional<ByteBreakdown> ue = estimateBytes(u2, makeSpec(Kind::ELL));
  ASSERT_TRUE(ue);
  EXPECT_EQ(ue->values, 4 * 1024 * 4096); // width min(cols, nnz)
  // Impossible counts.
  MatrixCounts bad = c;
  bad.nnz = bad.rows * bad.cols + 1;
  EXPECT_FALSE(estimateBytes(bad, makeSpec(Kind::CSR)));
  bad = c;
  bad.maxRowNnz = 5000;
  EXPECT_FALSE(estimateBytes(bad, makeSpec(Kind::ELL)));
  bad = c;
  bad.nnz = -3;
  EXPECT_FALSE(estimateBytes(bad, makeSpec(Kind::Dense)));
  // Overflow is refused rather than wrapped.
  MatrixCounts huge;
  huge.rows = huge.cols = int64_t(1) << 32;
  huge.nnz = 0;
  EXPECT_FALSE(estimateBytes(huge, makeSpec(Kind::Dense)));
  huge.rows = int64_t(1) << 31;
  huge.cols = int64_t(1) << 31;
  huge.maxRowNnz = 0;
  EXPECT_FALSE(estimateBytes(huge, makeSpec(Kind::Dense, 64)));
  EXPECT_TRUE(estimateBytes(huge, makeSpec(Kind::CSR, 64)));
}

//===----------------------------------------------------------------------===//
// Round trips of random matrices
//===----------------------------------------------------------------------===//

enum class Pattern { Unstructured, Blocked, NM };

/// A random nonzero value; now and then one that f16 cannot hold (rounds to
/// zero or overflows).
float randomValue(Rng &rng) {
  double p = rng.uniform();
  if (p < 0.02)
    return rng.uniform() < 0.5 ? 1e-9f : -3e-8f;
  if (p < 0.03)
    return 7e4f;
  float v = float(rng.normal());
  return v == 0.0f ? 1.0f : v;
}

Tensor randomMatrix(Rng &rng, int64_t rows, int64_t cols, double density,
                    Pattern pattern) {
  Tensor t({rows, cols}, 0.0f);
  auto at = [&](int64_t r, int64_t c) -> float & {
    return t.data[size_t(r * cols + c)];
  };
  if (pattern == Pattern::Blocked) {
    int64_t b = rows % 4 == 0 && cols % 4 == 0   ? 4
                : rows % 2 == 0 && cols % 2 == 0 ? 2
                                                 : 1;
    for (int64_t br = 0; br < rows / b; ++br)
      for (int64_t bc = 0; bc < cols / b; ++bc)
        if (density >= 1.0 || rng.uniform() < density)
          for (int64_t i = 0; i < b; ++i)
            for (int64_t j = 0; j < b; ++j)
              // A kept block has a few natural zeros.
              if (density >= 1.0 || rng.uniform() < 0.9)
                at(br * b + i, bc * b + j) = randomValue(rng);
    return t;
  }
  if (pattern == Pattern::NM && cols % 4 == 0) {
    // 2:4: in each group, up to two random positions kept.
    double keep = std::min(1.0, density * 2);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t g = 0; g < cols; g += 4) {
        int64_t a = rng.below(4), b = (a + 1 + rng.below(3)) % 4;
        for (int64_t j : {a, b})
          if (keep >= 1.0 || rng.uniform() < keep)
            at(r, g + j) = randomValue(rng);
      }
    return t;
  }
  for (float &v : t.data)
    if (density >= 1.0 || rng.uniform() < density)
      v = randomValue(rng);
  return t;
}

/// Independent model of the arrays' sizes: SparsityStats' formatBytes
/// formulas (dense, csr, csc, coo, bsr, nm, ell), from counts
/// measured here.
struct Reference {
  int64_t rows, cols, nnz = 0, maxRow = 0;
  const Tensor &t;
  explicit Reference(const Tensor &t)
      : rows(t.shape[0]), cols(t.shape[1]), t(t) {
    for (int64_t r = 0; r < rows; ++r) {
      int64_t n = 0;
      for (int64_t c = 0; c < cols; ++c)
        n += nz(r, c);
      nnz += n;
      maxRow = std::max(maxRow, n);
    }
  }
  bool nz(int64_t r, int64_t c) const {
    return t.data[size_t(r * cols + c)] != 0.0f;
  }
  static int64_t bytes(int64_t count, unsigned bits) {
    return (count * bits + 7) / 8;
  }
  static unsigned ptrBits(unsigned ib, int64_t largest) {
    unsigned bits = std::max(ib, 8u);
    while (bits < 64 && largest >= (int64_t(1) << bits))
      bits *= 2;
    return bits;
  }
  /// Whether `spec` can hold the matrix (legal spec, divides, indices fit,
  /// N:M compliant).
  bool holds(const FormatSpec &s) const {
    unsigned ib = s.indexBits;
    if (s.kind == Kind::Dense)
      return true;
    bool okBits = ib == 8 || ib == 16 || ib == 32 || ib == 64 ||
                  (s.kind == Kind::NM && (ib == 2 || ib == 4));
    if (!okBits)
      return false;
    int64_t largest = 0;
    switch (s.kind) {
    case Kind::CSR:
    case Kind::ELL:
      largest = cols - 1;
      break;
    case Kind::CSC:
      largest = rows - 1;
      break;
    case Kind::COO:
      largest = std::max(rows, cols) - 1;
      break;
    case Kind::BSR:
      if (rows % s.blockRows || cols % s.blockCols)
        return false;
      largest = cols / s.blockCols - 1;
      break;
    case Kind::NM:
      if (cols % s.m)
        return false;
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t g = 0; g < cols; g += s.m) {
          unsigned count = 0;
          for (unsigned j = 0; j < s.m; ++j)
            count += nz(r, g + j);
          if (count > s.n)
            return false;
        }
      largest = s.m - 1;
      break;
    default:
      break;
    }
    return ib >= 63 || largest < (int64_t(1) << ib);
  }
  ByteBreakdown expected(const FormatSpec &s) const {
    unsigned vb = s.valueType == ValueType::F32 ? 32 : 16, ib = s.indexBits;
    ByteBreakdown b;
    int64_t stored = nnz;
    switch (s.kind) {
    case Kind::Dense:
      stored = rows * cols;
      break;
    case Kind::CSR:
      b.indices = bytes(nnz, ib);
      b.pointers = bytes(rows + 1, ptrBits(ib, nnz));
      break;
    case Kind::CSC:
      b.indices = bytes(nnz, ib);
      b.pointers = bytes(cols + 1, ptrBits(ib, nnz));
      break;
    case Kind::COO:
      b.indices = bytes(2 * nnz, ib);
      break;
    case Kind::BSR: {
      int64_t blocks = 0;
      for (int64_t br = 0; br < rows; br += s.blockRows)
        for (int64_t bc = 0; bc < cols; bc += s.blockCols) {
          bool any = false;
          for (unsigned i = 0; i < s.blockRows; ++i)
            for (unsigned j = 0; j < s.blockCols; ++j)
              any |= nz(br + i, bc + j);
          blocks += any;
        }
      stored = blocks * s.blockRows * s.blockCols;
      b.indices = bytes(blocks, ib);
      b.pointers = bytes(rows / s.blockRows + 1, ptrBits(ib, blocks));
      break;
    }
    case Kind::NM:
      stored = rows * (cols / s.m) * s.n;
      b.indices = bytes(stored, ib);
      break;
    case Kind::ELL:
      stored = rows * maxRow;
      b.indices = bytes(stored, ib);
      break;
    }
    b.values = bytes(stored, vb);
    b.paddingValues = stored - nnz;
    return b;
  }
};

std::vector<FormatSpec> allSpecs() {
  std::vector<FormatSpec> shapes = {makeSpec(Kind::Dense), makeSpec(Kind::CSR),
                                    makeSpec(Kind::CSC), makeSpec(Kind::COO),
                                    makeSpec(Kind::ELL)};
  for (auto [r, c] : std::vector<std::pair<unsigned, unsigned>>{
           {1, 1}, {2, 2}, {4, 4}, {2, 3}, {3, 1}, {1, 4}, {8, 8}, {16, 4}})
    shapes.push_back(bsr(r, c));
  for (auto [n, m] : std::vector<std::pair<unsigned, unsigned>>{
           {2, 4}, {4, 8}, {1, 2}, {3, 4}, {4, 4}, {1, 1}, {2, 3}, {1, 16}})
    shapes.push_back(nm(n, m));
  std::vector<FormatSpec> out;
  for (FormatSpec s : shapes)
    for (ValueType vt : {ValueType::F32, ValueType::F16, ValueType::BF16})
      for (unsigned ib : {2u, 4u, 8u, 16u, 32u, 64u}) {
        if (s.kind == Kind::Dense && ib != 32)
          continue;
        s.valueType = vt;
        s.indexBits = ib;
        out.push_back(s);
      }
  return out;
}

/// Round-trips `t` through every spec: encodes exactly when the format can
/// hold it, decodes to the rounded input, and accounts bytes three ways.
void checkAllFormats(const Tensor &t, const std::string &what,
                     int64_t &encoded) {
  Reference ref(t);
  for (const FormatSpec &s : allSpecs()) {
    auto ctx = [&] { return what + " as " + toString(s); };
    llvm::Expected<EncodedMatrix> m = encode(t, s);
    bool holds = ref.holds(s);
    if (!m) {
      std::string msg = llvm::toString(m.takeError());
      ASSERT_FALSE(holds) << ctx() << ": " << msg;
      EXPECT_TRUE(contains(msg, toString(s))) << msg;
      EXPECT_TRUE(contains(msg, std::to_string(ref.rows) + "x" +
                                    std::to_string(ref.cols)))
          << msg;
      // Refusals that do not depend on values are refused by the estimate.
      if (s.kind != Kind::NM) {
        EXPECT_FALSE(estimateBytes(countMatrix(t, s), s)) << ctx();
      }
      continue;
    }
    ASSERT_TRUE(holds) << ctx() << " encoded but should not have";
    ++encoded;
    // Exact inverse up to rounding.
    llvm::Expected<Tensor> d = decode(*m);
    ASSERT_TRUE(bool(d)) << ctx() << ": " << llvm::toString(d.takeError());
    ASSERT_EQ(d->shape, t.shape) << ctx();
    for (size_t i = 0; i < t.data.size(); ++i) {
      float want = rounded(t.data[i], s.valueType);
      ASSERT_EQ(bitsOf(d->data[i]), bitsOf(want))
          << ctx() << " element " << i << ": " << d->data[i] << " vs " << want;
    }
    // Bytes: the arrays, the estimate from counts, the independent model.
    ByteBreakdown got = m->bytes();
    std::optional<ByteBreakdown> est = estimateBytes(countMatrix(t, s), s);
    ASSERT_TRUE(est.has_value()) << ctx();
    EXPECT_EQ(got, *est) << ctx() << ": arrays " << got.values << "/"
                         << got.indices << "/" << got.pointers << "/"
                         << got.paddingValues << " estimate " << est->values
                         << "/" << est->indices << "/" << est->pointers << "/"
                         << est->paddingValues;
    ByteBreakdown model = ref.expected(s);
    EXPECT_EQ(got, model) << ctx() << ": model " << model.values << "/"
                          << model.indices << "/" << model.pointers << "/"
                          << model.paddingValues;
    EXPECT_EQ(m->storedValues * (s.valueType == ValueType::F32 ? 4 : 2),
              got.values)
        << ctx();
    // Pointer-less formats have none; the chosen width always works.
    bool ptrs = s.kind == Kind::CSR || s.kind == Kind::CSC ||
                s.kind == Kind::BSR;
    if (!ptrs) {
      EXPECT_TRUE(m->pointers.empty()) << ctx();
    }
    if (::testing::Test::HasFatalFailure())
      return;
  }
}

void roundTrips(Pattern pattern, uint64_t seed) {
  const std::vector<std::pair<int64_t, int64_t>> shapes = {
      {1, 1},   {3, 5},  {17, 33}, {64, 48}, {8, 8},
      {16, 32}, {4, 12}, {2, 300}, {1, 7},   {9, 1}};
  Rng rng(seed);
  int64_t encoded = 0;
  for (auto [rows, cols] : shapes)
    for (double density : {0.0, 0.05, 0.3, 0.5, 1.0}) {
      Tensor t = randomMatrix(rng, rows, cols, density, pattern);
      checkAllFormats(t,
                      std::to_string(rows) + "x" + std::to_string(cols) +
                          " density " + std::to_string(density),
                      encoded);
      if (::testing::Test::HasFatalFailure())
        return;
    }
  EXPECT_GT(encoded, 1000);
}

TEST(FormatsTest, RoundTripUnstructured) {
  roundTrips(Pattern::Unstructured, 1);
}

TEST(FormatsTest, RoundTripBlockStructured) { roundTrips(Pattern::Blocked, 2); }

TEST(FormatsTest, RoundTripNMStructured) { roundTrips(Pattern::NM, 3); }

TEST(FormatsTest, RoundTripNMStructuredEncodesAsNM) {
  // A 2:4-structured weight is held by 2:4 (and 4:8), and its stored values
  // are exactly half the matrix.
  Rng rng(11);
  Tensor t = randomMatrix(rng, 16, 64, 0.5, Pattern::NM);
  for (unsigned ib : {2u, 4u, 8u}) {
    EncodedMatrix m = mustEncode(t, nm(2, 4, ib));
    EXPECT_EQ(m.storedValues, 16 * 32);
    EXPECT_EQ(m.bytes().indices, int64_t(16 * 32 * ib / 8));
    expectSameTensor(mustDecode(m), t);
    EncodedMatrix w = mustEncode(t, nm(4, 8, ib == 2 ? 4 : ib));
    expectSameTensor(mustDecode(w), t);
  }
}

} // namespace

// The one shape rule (formats::shapeProblem) the verifier, the selector, the
// tiler and the lowering ask: index widths hold the largest *stored* index,
// not the larger dimension, and empty matrices are valid in every format.
TEST(FormatsTest, ShapeRuleIsAboutStoredIndices) {
  // 509 rows x 128 columns: csr/ell store column indices (<= 127).
  EXPECT_FALSE(shapeProblem(makeSpec(Kind::CSR, 8), 509, 128));
  EXPECT_FALSE(shapeProblem(makeSpec(Kind::ELL, 8), 4096, 256));
  // csc stores row indices, coo both.
  EXPECT_TRUE(shapeProblem(makeSpec(Kind::CSC, 8), 509, 128));
  EXPECT_FALSE(shapeProblem(makeSpec(Kind::CSC, 16), 509, 128));
  std::optional<std::string> coo = shapeProblem(makeSpec(Kind::COO, 8), 509, 128);
  ASSERT_TRUE(coo);
  EXPECT_TRUE(contains(*coo, "row/column index 508 of the 509x128 matrix")) << *coo;
  // Every format holds an empty matrix and an all-zero one.
  for (Kind k : {Kind::Dense, Kind::CSR, Kind::CSC, Kind::COO, Kind::ELL}) {
    EXPECT_FALSE(shapeProblem(makeSpec(k, 8), 0, 0));
    Tensor zero({300, 200}, 0.0f);
    FormatSpec spec = makeSpec(k, 16);
    llvm::Expected<EncodedMatrix> m = encode(zero, spec);
    ASSERT_TRUE(bool(m)) << llvm::toString(m.takeError());
    if (k != Kind::Dense && k != Kind::ELL) {
      EXPECT_EQ(m->bytes().values, 0);
      EXPECT_EQ(m->bytes().indices, 0);
    }
    std::optional<ByteBreakdown> est = estimateBytes(countMatrix(zero, spec), spec);
    ASSERT_TRUE(est);
    EXPECT_EQ(*est, m->bytes());
  }
  // specProblem: shape-independent rules.
  FormatSpec nm = makeSpec(Kind::NM, 2);
  nm.n = 4;
  nm.m = 8;
  ASSERT_TRUE(specProblem(nm));
  EXPECT_TRUE(contains(*specProblem(nm), "2-bit indices cannot hold in-group index 7"));
}

// A stored pattern (training's explicit pattern) replaces the nonzero rule:
// its zero-valued positions stay stored, its other positions are dropped
// even when nonzero, and the bytes still match the count-only estimate.
TEST(FormatsTest, StoredPatternKeepsZerosAndDropsTheRest) {
  // Stores (0,0), (0,1) = 0, (1,5) = 0, (2,1), (3,5); drops the 2 at (0,3),
  // the 4 and 5 of row 2 and the 6 at (3,0).
  std::vector<uint8_t> p = {1, 1, 0, 0, 0, 0, //
                            0, 0, 0, 0, 0, 1, //
                            0, 1, 0, 0, 0, 0, //
                            0, 0, 0, 0, 0, 1};
  Tensor kept = mat(4, 6, {1, 0, 0, 0, 0, 0, //
                           0, 0, 0, 0, 0, 0, //
                           0, 3, 0, 0, 0, 0, //
                           0, 0, 0, 0, 0, 7});
  auto withPattern = [&](const FormatSpec &spec) {
    llvm::Expected<EncodedMatrix> m = encode(example(), spec, p);
    if (!m) {
      ADD_FAILURE() << toString(spec) << ": " << llvm::toString(m.takeError());
      return EncodedMatrix();
    }
    std::optional<ByteBreakdown> est =
        estimateBytes(countMatrix(example(), spec, p), spec);
    EXPECT_TRUE(est && *est == m->bytes()) << toString(spec);
    expectSameTensor(mustDecode(*m), kept);
    return std::move(*m);
  };

  EncodedMatrix csr = withPattern(makeSpec(Kind::CSR));
  EXPECT_EQ(f32s(csr.values), (std::vector<float>{1, 0, 0, 3, 7}));
  EXPECT_EQ(ints(csr.indices, 32), u({0, 1, 5, 1, 5}));
  EXPECT_EQ(ints(csr.pointers, 32), u({0, 2, 3, 4, 5}));
  EXPECT_EQ(csr.paddingValues, 0);

  EncodedMatrix csc = withPattern(makeSpec(Kind::CSC, 8));
  EXPECT_EQ(f32s(csc.values), (std::vector<float>{1, 0, 3, 0, 7}));
  EXPECT_EQ(csc.indices, (std::vector<uint8_t>{0, 0, 2, 1, 3}));
  EXPECT_EQ(csc.pointers, (std::vector<uint8_t>{0, 1, 3, 3, 3, 3, 5}));

  EncodedMatrix coo = withPattern(makeSpec(Kind::COO, 8));
  EXPECT_EQ(coo.indices, (std::vector<uint8_t>{0, 0, 1, 2, 3, //
                                               0, 1, 5, 1, 5}));

  // bsr 2x2: the four blocks holding a pattern position are stored whole;
  // their unpatterned slots hold +0 (the 6 at (3,0) and the 4, 5 of row 2).
  EncodedMatrix b = withPattern(bsr(2, 2));
  EXPECT_EQ(ints(b.pointers, 32), u({0, 2, 4}));
  EXPECT_EQ(ints(b.indices, 32), u({0, 2, 0, 2}));
  EXPECT_EQ(f32s(b.values), (std::vector<float>{1, 0, 0, 0, //
                                                0, 0, 0, 0, //
                                                0, 3, 0, 0, //
                                                0, 0, 0, 7}));
  EXPECT_EQ(b.paddingValues, 16 - 5);

  // storedPositions with the pattern as `nonzero` names the same slots.
  std::vector<bool> asFlags(p.begin(), p.end());
  std::vector<bool> inBlocks = storedPositions(asFlags, 4, 6, bsr(2, 2));
  EXPECT_EQ(std::count(inBlocks.begin(), inBlocks.end(), true), b.storedValues);

  // dense: every slot, the unpatterned ones +0; padding = unpatterned.
  EncodedMatrix d = withPattern(makeSpec(Kind::Dense));
  EXPECT_EQ(f32s(d.values), kept.data);
  EXPECT_EQ(d.paddingValues, 24 - 5);

  // nm and ell tell padding by value +0, so they cannot keep a stored zero.
  for (FormatSpec spec : {nm(2, 2), makeSpec(Kind::ELL)}) {
    llvm::Expected<EncodedMatrix> m = encode(example(), spec, p);
    ASSERT_FALSE(bool(m));
    std::string msg = llvm::toString(m.takeError());
    EXPECT_TRUE(contains(msg, "a stored 0.0 would read as padding")) << msg;
  }
  // A pattern of the wrong size.
  llvm::Expected<EncodedMatrix> bad =
      encode(example(), makeSpec(Kind::CSR), std::vector<uint8_t>(23, 1));
  ASSERT_FALSE(bool(bad));
  std::string msg = llvm::toString(bad.takeError());
  EXPECT_TRUE(contains(msg, "the pattern has 23 entries, not rows*cols = 24"))
      << msg;
  std::vector<uint8_t> shortPattern(23, 1);
  EXPECT_EQ(countMatrix(example(), makeSpec(Kind::CSR), shortPattern).nnz, -1);
}
