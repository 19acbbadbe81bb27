//===- partition_formats_npy_test.cpp - partition.h, formats.h, npy.h -----===//
//
// partition.h: optimality against brute force on small inputs, the row
// limit, edge cases (no rows, more parts than rows, zero work), and the
// cuts format. formats.h: exhaustive f16 / bf16 conversions against
// independent references, views over test-encoded arrays (validate,
// toDense, arrayBytes against the worked example of Formats.h), malformed
// views rejected. npy.h: round trips, every accepted dtype, and the errors.
// (container.h and the safetensors core: safetensors_container_test.cpp.)
//
//===----------------------------------------------------------------------===//

#include "sxf_rt/formats.h"
#include "sxf_rt/npy.h"
#include "sxf_rt/partition.h"
#include "test_util.h"

#include <cstdio>
#include <limits>

using namespace rt_test;

//===----------------------------------------------------------------------===//
// Partition
//===----------------------------------------------------------------------===//

namespace {

/// Smallest makespan of any split of work into at most `parts` contiguous
/// ranges of at most maxRows rows (exhaustive DP), or -1 when impossible.
int64_t bruteForce(const std::vector<int64_t> &work, int64_t parts,
                   int64_t maxRows) {
  const int64_t n = int64_t(work.size()), inf = INT64_MAX;
  // best[p][i]: smallest makespan covering rows [0, i) with p ranges.
  std::vector<std::vector<int64_t>> best(
      size_t(parts + 1), std::vector<int64_t>(size_t(n + 1), inf));
  best[0][0] = 0;
  for (int64_t p = 1; p <= parts; ++p)
    for (int64_t i = 0; i <= n; ++i) {
      best[size_t(p)][size_t(i)] = best[size_t(p - 1)][size_t(i)]; // empty
      int64_t sum = 0;
      for (int64_t j = i - 1; j >= 0; --j) {
        sum += work[size_t(j)];
        if (maxRows > 0 && i - j > maxRows)
          break;
        if (best[size_t(p - 1)][size_t(j)] == inf)
          continue;
        best[size_t(p)][size_t(i)] =
            std::min(best[size_t(p)][size_t(i)],
                     std::max(best[size_t(p - 1)][size_t(j)], sum));
      }
    }
  int64_t r = best[size_t(parts)][size_t(n)];
  return r == inf ? -1 : r;
}

void checkCuts(const std::vector<int64_t> &cuts, int64_t n, int64_t parts,
               int64_t maxRows) {
  ASSERT_EQ(int64_t(cuts.size()), parts + 1);
  EXPECT_EQ(cuts.front(), 0);
  EXPECT_EQ(cuts.back(), n);
  for (size_t i = 1; i < cuts.size(); ++i) {
    EXPECT_LE(cuts[i - 1], cuts[i]);
    if (maxRows > 0) {
      EXPECT_LE(cuts[i] - cuts[i - 1], maxRows);
    }
  }
}

} // namespace

TEST(Partition, OptimalOnRandomInputs) {
  Rng rng(1);
  for (int trial = 0; trial < 400; ++trial) {
    int64_t n = rng.below(14), parts = 1 + rng.below(6);
    int64_t maxRows = rng.uniform() < 0.3 ? 1 + rng.below(5) : 0;
    std::vector<int64_t> work(static_cast<size_t>(n));
    for (auto &w : work)
      w = rng.uniform() < 0.2 ? 0 : rng.below(rng.uniform() < 0.1 ? 1000 : 20);
    std::vector<int64_t> cuts =
        sxf_rt::balancedRowSplit(work.data(), n, parts, maxRows);
    int64_t best = bruteForce(work, parts, maxRows);
    if (best < 0) {
      EXPECT_TRUE(cuts.empty()) << "trial " << trial;
      continue;
    }
    checkCuts(cuts, n, parts, maxRows);
    EXPECT_EQ(sxf_rt::maxPartWork(work, cuts), best) << "trial " << trial;
  }
}

TEST(Partition, EdgeCases) {
  // Parts <= 0: empty.
  std::vector<int64_t> w = {1, 2, 3};
  EXPECT_TRUE(sxf_rt::balancedRowSplit(w, 0).empty());
  EXPECT_TRUE(sxf_rt::balancedRowSplit(w, -1).empty());
  // No rows: all cuts 0.
  EXPECT_EQ(sxf_rt::balancedRowSplit(nullptr, 0, 3),
            (std::vector<int64_t>{0, 0, 0, 0}));
  // More parts than rows: the greedy fills each part up to the optimal
  // bound (here 3), and the unused parts are empty ranges at the end.
  EXPECT_EQ(sxf_rt::balancedRowSplit(w, 5),
            (std::vector<int64_t>{0, 2, 3, 3, 3, 3}));
  // Zero work: everything in the first part.
  std::vector<int64_t> zero(5, 0);
  EXPECT_EQ(sxf_rt::balancedRowSplit(zero, 2),
            (std::vector<int64_t>{0, 5, 5}));
  // The row limit forces cuts; too tight a limit is infeasible.
  EXPECT_EQ(sxf_rt::balancedRowSplit(zero, 3, 2),
            (std::vector<int64_t>{0, 2, 4, 5}));
  EXPECT_TRUE(sxf_rt::balancedRowSplit(zero, 2, 2).empty());
  // One heavy row.
  std::vector<int64_t> heavy = {1, 1, 100, 1, 1};
  auto cuts = sxf_rt::balancedRowSplit(heavy, 3);
  EXPECT_EQ(sxf_rt::maxPartWork(heavy, cuts), 100);
  // imbalance: 1 for perfect splits and for zero work.
  std::vector<int64_t> even = {2, 2, 2, 2};
  EXPECT_DOUBLE_EQ(sxf_rt::imbalance(even, sxf_rt::balancedRowSplit(even, 2)),
                   1.0);
  EXPECT_DOUBLE_EQ(sxf_rt::imbalance(zero, sxf_rt::balancedRowSplit(zero, 2)),
                   1.0);
  EXPECT_DOUBLE_EQ(sxf_rt::imbalance(heavy, cuts), 100.0 * 3 / 104);
}

// The exact greedy of lib/Partition: the first feasible cut positions for the
// optimal bound (a regression anchor for the shared implementation).
TEST(Partition, GreedyCutPositions) {
  std::vector<int64_t> w = {5, 1, 1, 1, 5, 1, 1, 1};
  EXPECT_EQ(sxf_rt::balancedRowSplit(w, 2),
            (std::vector<int64_t>{0, 4, 8}));
  EXPECT_EQ(sxf_rt::balancedRowSplit(w, 3),
            (std::vector<int64_t>{0, 3, 6, 8}));
  EXPECT_EQ(sxf_rt::balancedRowSplit(w, 4),
            (std::vector<int64_t>{0, 1, 4, 5, 8}));
}

//===----------------------------------------------------------------------===//
// Value conversions
//===----------------------------------------------------------------------===//

namespace {

/// binary16 -> double from the definition.
double halfRef(uint16_t h) {
  int sign = h >> 15, exp = (h >> 10) & 31, mant = h & 1023;
  double v;
  if (exp == 0)
    v = std::ldexp(double(mant), -24);
  else if (exp == 31)
    v = mant ? std::numeric_limits<double>::quiet_NaN()
             : std::numeric_limits<double>::infinity();
  else
    v = std::ldexp(double(mant + 1024), exp - 25);
  return sign ? -v : v;
}

} // namespace

TEST(Formats, HalfConversionsExhaustive) {
  for (uint32_t h = 0; h < 65536; ++h) {
    float f = sxf_rt::halfToFloat(uint16_t(h));
    double want = halfRef(uint16_t(h));
    if (std::isnan(want)) {
      EXPECT_TRUE(std::isnan(f)) << h;
      continue;
    }
    ASSERT_EQ(double(f), want) << h;
    ASSERT_EQ(std::signbit(f), bool(h & 0x8000)) << h;
    // Round trip.
    ASSERT_EQ(sxf_rt::floatToHalf(f), uint16_t(h)) << h;
  }
}

TEST(Formats, FloatToHalfRoundsToNearestEven) {
  // Against the nearest representable half by exhaustive search over the
  // halves, on random floats across the range (ties by even mantissa).
  Rng rng(2);
  std::vector<double> halves;
  for (uint32_t h = 0; h < 0x7c00; ++h)
    halves.push_back(halfRef(uint16_t(h)));
  for (int i = 0; i < 200000; ++i) {
    float f;
    if (i % 3 == 0) {
      uint32_t bits = uint32_t(rng.next()) & 0x7fffffffu;
      std::memcpy(&f, &bits, 4);
      if (!(f <= 65519.0f)) // rounds to infinity (checked below)
        continue;
    } else {
      f = float(std::ldexp(rng.uniform(), int(rng.below(40)) - 28));
    }
    auto it = std::lower_bound(halves.begin(), halves.end(), double(f));
    size_t hi = size_t(it - halves.begin()), lo = hi ? hi - 1 : 0;
    if (hi >= halves.size())
      hi = halves.size() - 1;
    double dl = double(f) - halves[lo], dh = halves[hi] - double(f);
    uint16_t want = uint16_t(dl < dh ? lo : dh < dl ? hi : (lo % 2 ? hi : lo));
    if (halves[hi] == double(f))
      want = uint16_t(hi);
    ASSERT_EQ(sxf_rt::floatToHalf(f), want) << f;
    ASSERT_EQ(sxf_rt::floatToHalf(-f), uint16_t(want | 0x8000)) << f;
  }
  EXPECT_EQ(sxf_rt::floatToHalf(65519.0f), 0x7bff);
  EXPECT_EQ(sxf_rt::floatToHalf(65520.0f), 0x7c00);
  EXPECT_EQ(sxf_rt::floatToHalf(std::numeric_limits<float>::infinity()),
            0x7c00);
  EXPECT_EQ(sxf_rt::floatToHalf(std::nanf("")) & 0x7e00, 0x7e00);
}

TEST(Formats, Bf16Conversions) {
  for (uint32_t b = 0; b < 65536; ++b) {
    float f = sxf_rt::bf16ToFloat(uint16_t(b));
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    ASSERT_EQ(bits, b << 16);
    if (!std::isnan(f)) {
      ASSERT_EQ(sxf_rt::floatToBf16(f), uint16_t(b));
    }
  }
  // Ties to even: 1 + 2^-8 lies halfway between 1 and 1 + 2^-7.
  EXPECT_EQ(sxf_rt::floatToBf16(1.0f + 1.0f / 256), 0x3f80);
  EXPECT_EQ(sxf_rt::floatToBf16(1.0f + 3.0f / 256), 0x3f82);
  EXPECT_TRUE(std::isnan(sxf_rt::bf16ToFloat(
      sxf_rt::floatToBf16(std::nanf("")))));
}

TEST(Formats, PointerWidthRule) {
  EXPECT_EQ(sxf_rt::pointerBits(8, 255), 8u);
  EXPECT_EQ(sxf_rt::pointerBits(8, 256), 16u);
  EXPECT_EQ(sxf_rt::pointerBits(2, 3), 8u);
  EXPECT_EQ(sxf_rt::pointerBits(16, 70000), 32u);
  EXPECT_EQ(sxf_rt::pointerBits(32, int64_t(1) << 40), 64u);
}

//===----------------------------------------------------------------------===//
// Views
//===----------------------------------------------------------------------===//

namespace {

// The 4x6 example of include/sxf/Formats/Formats.h.
const std::vector<float> kExample = {1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
                                     0, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 7};

template <class View> std::vector<float> dense(const View &v) {
  std::vector<float> out(size_t(v.rows * v.cols));
  sxf_rt::toDense(v, out.data());
  return out;
}

} // namespace

TEST(Formats, ViewsOfTheDocumentedExample) {
  EncCsr csr = encodeCsr(kExample, 4, 6, ValueType::F32, 8);
  EXPECT_EQ(csr.indices.bytes, (std::vector<uint8_t>{0, 3, 1, 4, 5, 0, 5}));
  EXPECT_EQ(csr.pointers.bytes, (std::vector<uint8_t>{0, 2, 2, 5, 7}));
  EXPECT_TRUE(sxf_rt::validate(csr.view));
  EXPECT_EQ(dense(csr.view), kExample);
  sxf_rt::ArrayBytes b = sxf_rt::arrayBytes(csr.view);
  EXPECT_EQ(b.values, 28);
  EXPECT_EQ(b.indices, 7);
  EXPECT_EQ(b.pointers, 5);

  EncBsr bsr = encodeBsr(kExample, 4, 6, 2, 2, ValueType::F16, 16);
  EXPECT_EQ(bsr.view.numBlocks, 4);
  EXPECT_TRUE(sxf_rt::validate(bsr.view));
  EXPECT_EQ(dense(bsr.view), kExample);
  EXPECT_EQ(sxf_rt::arrayBytes(bsr.view).values, 16 * 2);
  EXPECT_EQ(sxf_rt::arrayBytes(bsr.view).pointers, 3 * 2);

  EncEll ell = encodeEll(kExample, 4, 6, ValueType::BF16, 8);
  EXPECT_EQ(ell.view.width, 3);
  EXPECT_EQ(ell.indices.bytes,
            (std::vector<uint8_t>{0, 3, 0, 0, 0, 0, 1, 4, 5, 0, 5, 0}));
  EXPECT_TRUE(sxf_rt::validate(ell.view));
  EXPECT_EQ(dense(ell.view), kExample);

  // 2:4 example with packed 2-bit indices: the first byte is 0x4c.
  std::vector<float> nm = {1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0,
                           0, 5, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0};
  EncNm enc = encodeNm(nm, 4, 8, 2, 4, ValueType::F32, 2);
  ASSERT_EQ(enc.indices.bytes.size(), 4u);
  EXPECT_EQ(enc.indices.bytes[0], 0x4c);
  EXPECT_TRUE(sxf_rt::validate(enc.view));
  EXPECT_EQ(dense(enc.view), nm);
  EXPECT_EQ(sxf_rt::arrayBytes(enc.view).indices, 4);

  EncDense d = encodeDense(kExample, 4, 6, ValueType::F16);
  EXPECT_EQ(dense(d.view), kExample);
  EXPECT_EQ(sxf_rt::arrayBytes(d.view).values, 48);
}

TEST(Formats, RandomRoundTripsAllWidths) {
  Rng rng(3);
  for (int trial = 0; trial < 60; ++trial) {
    int64_t R = 1 + rng.below(30), C = 4 * (1 + rng.below(20));
    ValueType vt = ValueType(rng.below(3));
    unsigned ib = 8u << rng.below(4);
    auto w = randomUnstructured(rng, R, C, rng.uniform());
    for (auto &v : w)
      v = roundTo(v, vt);
    EXPECT_EQ(dense(encodeCsr(w, R, C, vt, ib).view), w);
    EXPECT_EQ(dense(encodeEll(w, R, C, vt, ib).view), w);
    EXPECT_EQ(dense(encodeDense(w, R, C, vt).view), w);
    auto wb = randomBlocked(rng, 2 * R, C, 2, 4, 0.4);
    for (auto &v : wb)
      v = roundTo(v, vt);
    EncBsr bsr = encodeBsr(wb, 2 * R, C, 2, 4, vt, ib);
    EXPECT_TRUE(sxf_rt::validate(bsr.view));
    EXPECT_EQ(dense(bsr.view), wb);
    auto wn = randomNm(rng, R, C, 2, 4);
    for (auto &v : wn)
      v = roundTo(v, vt);
    for (unsigned nib : {2u, 4u, 8u, 64u})
      EXPECT_EQ(dense(encodeNm(wn, R, C, 2, 4, vt, nib).view), wn);
  }
}

TEST(Formats, ValidateRejectsMalformedViews) {
  std::string why;
  EncCsr csr = encodeCsr(kExample, 4, 6, ValueType::F32, 8);
  sxf_rt::CsrView v = csr.view;
  v.indexBits = 12;
  EXPECT_FALSE(sxf_rt::validate(v, &why));
  EXPECT_NE(why.find("index width 12"), std::string::npos) << why;
  v = csr.view;
  v.cols = 5; // column 5 out of range
  EXPECT_FALSE(sxf_rt::validate(v, &why));
  EXPECT_NE(why.find("column index 5 out of range"), std::string::npos) << why;
  v = csr.view;
  v.nnz = 6; // pointers end at 7
  EXPECT_FALSE(sxf_rt::validate(v, &why));
  EXPECT_NE(why.find("ends at 7"), std::string::npos) << why;
  csr.pointers.bytes[2] = 1; // decreasing
  EXPECT_FALSE(sxf_rt::validate(csr.view, &why));
  EXPECT_NE(why.find("decreases at entry 2"), std::string::npos) << why;

  EncBsr bsr = encodeBsr(kExample, 4, 6, 2, 2, ValueType::F32, 8);
  sxf_rt::BsrView b = bsr.view;
  b.blockCols = 4; // does not divide 6
  EXPECT_FALSE(sxf_rt::validate(b, &why));
  bsr.indices.bytes[1] = bsr.indices.bytes[0]; // duplicate block column
  EXPECT_FALSE(sxf_rt::validate(bsr.view, &why));
  EXPECT_NE(why.find("not ascending"), std::string::npos) << why;

  std::vector<float> nm(16, 0.0f);
  EncNm enc = encodeNm(nm, 2, 8, 2, 4, ValueType::F32, 8);
  enc.indices.bytes[3] = 4;
  EXPECT_FALSE(sxf_rt::validate(enc.view, &why));
  EXPECT_NE(why.find("in-group index 4"), std::string::npos) << why;
}

//===----------------------------------------------------------------------===//
// npy
//===----------------------------------------------------------------------===//

namespace {

std::string tempPath(const std::string &name) {
  const char *dir = std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/sxf_rt_test_" + name;
}

/// A .npy file with a hand-written header and raw data.
std::vector<unsigned char> npyBytes(const std::string &dict,
                                    const std::vector<unsigned char> &data,
                                    int major = 1) {
  std::vector<unsigned char> out = {0x93, 'N', 'U', 'M', 'P', 'Y',
                                    (unsigned char)major, 0};
  size_t len = dict.size() + 1;
  if (major == 1) {
    out.push_back((unsigned char)(len & 0xff));
    out.push_back((unsigned char)(len >> 8));
  } else {
    for (int i = 0; i < 4; ++i)
      out.push_back((unsigned char)(len >> (8 * i)));
  }
  out.insert(out.end(), dict.begin(), dict.end());
  out.push_back('\n');
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

} // namespace

TEST(Npy, RoundTripFloatsAndInts) {
  std::string err;
  std::vector<float> f = {1.5f, -2.0f, 3.25f, 0.0f, 1e-30f, 7.0f};
  std::string pf = tempPath("f.npy");
  ASSERT_TRUE(sxf_rt::writeNpy(pf, f.data(), {2, 3}, &err)) << err;
  std::vector<int64_t> shape;
  std::vector<float> back;
  ASSERT_TRUE(sxf_rt::readNpyFloats(pf, shape, back, &err)) << err;
  EXPECT_EQ(shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(back, f);
  // The data starts 64-byte aligned (as NumPy writes it).
  std::FILE *fp = std::fopen(pf.c_str(), "rb");
  ASSERT_TRUE(fp);
  std::fseek(fp, 0, SEEK_END);
  EXPECT_EQ((std::ftell(fp) - 24) % 64, 0);
  std::fclose(fp);

  std::vector<int64_t> ids = {0, 5, -3, int64_t(1) << 40};
  std::string pi = tempPath("i.npy");
  ASSERT_TRUE(sxf_rt::writeNpy(pi, ids.data(), {4}, &err)) << err;
  std::vector<int64_t> ib;
  ASSERT_TRUE(sxf_rt::readNpyInts(pi, shape, ib, &err)) << err;
  EXPECT_EQ(shape, (std::vector<int64_t>{4}));
  EXPECT_EQ(ib, ids);
  std::vector<int32_t> ids32 = {1, -2, 3};
  ASSERT_TRUE(sxf_rt::writeNpy(pi, ids32.data(), {3, 1}, &err)) << err;
  ASSERT_TRUE(sxf_rt::readNpyInts(pi, shape, ib, &err)) << err;
  EXPECT_EQ(ib, (std::vector<int64_t>{1, -2, 3}));
  // Scalars (shape ()) hold one element.
  ASSERT_TRUE(sxf_rt::writeNpy(pf, f.data(), {}, &err)) << err;
  ASSERT_TRUE(sxf_rt::readNpyFloats(pf, shape, back, &err)) << err;
  EXPECT_TRUE(shape.empty());
  EXPECT_EQ(back, std::vector<float>{1.5f});
  // Wrong kind.
  EXPECT_FALSE(sxf_rt::readNpyInts(pf, shape, ib, &err));
  EXPECT_NE(err.find("expected an integer array, got dtype '<f4'"),
            std::string::npos)
      << err;
  std::remove(pf.c_str());
  std::remove(pi.c_str());
}

TEST(Npy, AcceptedDtypes) {
  sxf_rt::NpyArray a;
  std::string err;
  auto parse = [&](const std::string &descr, std::vector<unsigned char> data,
                   const std::string &shape, int major = 1) {
    auto bytes = npyBytes("{'descr': '" + descr +
                              "', 'fortran_order': False, 'shape': " + shape +
                              ", }",
                          data, major);
    return sxf_rt::parseNpy(bytes.data(), bytes.size(), "t.npy", a, &err);
  };
  ASSERT_TRUE(parse("<f2", {0x00, 0x3c, 0x00, 0xc0}, "(2,)")) << err;
  EXPECT_EQ(a.floats, (std::vector<float>{1.0f, -2.0f}));
  std::vector<unsigned char> d8(8);
  double half = 0.5;
  std::memcpy(d8.data(), &half, 8);
  ASSERT_TRUE(parse("<f8", d8, "(1,)", 2)) << err;
  EXPECT_EQ(a.floats, std::vector<float>{0.5f});
  ASSERT_TRUE(parse("|i1", {0xff, 0x7f}, "(2,)")) << err;
  EXPECT_EQ(a.ints, (std::vector<int64_t>{-1, 127}));
  ASSERT_TRUE(parse("<i2", {0xfe, 0xff}, "(1,)", 3)) << err;
  EXPECT_EQ(a.ints, std::vector<int64_t>{-2});
  ASSERT_TRUE(parse("|u1", {200}, "(1, 1)")) << err;
  EXPECT_EQ(a.ints, std::vector<int64_t>{200});
  ASSERT_TRUE(parse("<u4", {0xff, 0xff, 0xff, 0xff}, "(1,)")) << err;
  EXPECT_EQ(a.ints, std::vector<int64_t>{4294967295LL});
  // uint16 token ids (a common way to store GPT-2 ids), uint64 that fit.
  ASSERT_TRUE(parse("<u2", {0x51, 0xc4, 0x00, 0x00}, "(2,)")) << err;
  EXPECT_EQ(a.ints, (std::vector<int64_t>{50257, 0}));
  ASSERT_TRUE(parse("<u8", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
                    "(1,)"))
      << err;
  EXPECT_EQ(a.ints, std::vector<int64_t>{INT64_MAX});
  ASSERT_TRUE(parse("|b1", {1, 0}, "(2,)")) << err;
  EXPECT_EQ(a.ints, (std::vector<int64_t>{1, 0}));
  ASSERT_TRUE(parse("<f4", {}, "(0, 3)")) << err;
  EXPECT_TRUE(a.floats.empty());
  // Keys in another order, double quotes, no trailing comma.
  auto bytes = npyBytes("{\"shape\": (1,), \"fortran_order\": False, "
                        "\"descr\": \"<f4\"}",
                        {0, 0, 0x80, 0x3f});
  ASSERT_TRUE(sxf_rt::parseNpy(bytes.data(), bytes.size(), "t.npy", a, &err))
      << err;
  EXPECT_EQ(a.floats, std::vector<float>{1.0f});
}

TEST(Npy, ErrorsNameTheFileAndProblem) {
  sxf_rt::NpyArray a;
  std::string err;
  auto fails = [&](const std::vector<unsigned char> &bytes,
                   const std::string &want) {
    EXPECT_FALSE(sxf_rt::parseNpy(bytes.data(), bytes.size(), "x.npy", a, &err));
    EXPECT_EQ(err.rfind("x.npy: ", 0), 0u) << err;
    EXPECT_NE(err.find(want), std::string::npos) << err;
  };
  auto hdr = [](const std::string &descr, const std::string &order,
                const std::string &shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + order +
           ", 'shape': " + shape + ", }";
  };
  fails({'n', 'o', 't', 'n', 'p', 'y', 1, 0, 0, 0}, "bad magic");
  fails(npyBytes(hdr("<f4", "False", "(1,)"), {}, 4), "unsupported .npy version 4");
  fails(npyBytes(hdr("<f4", "True", "(1,)"), {0, 0, 0, 0}), "Fortran-order");
  fails(npyBytes(hdr(">f4", "False", "(1,)"), {0, 0, 0, 0}), "big-endian");
  fails(npyBytes(hdr("<c8", "False", "(1,)"), {}), "unsupported dtype '<c8'");
  fails(npyBytes(hdr("<f4", "False", "(2, 3)"), {0, 0, 0, 0}),
        "data is truncated: expected 24 bytes of data, found 4");
  fails(npyBytes(hdr("<f4", "False", "(-1,)"), {}), "negative extent");
  fails(npyBytes("{'descr': '<f4', 'shape': (1,), }", {0, 0, 0, 0}),
        "missing key 'fortran_order'");
  // Keys NumPy never writes are ignored.
  auto extra = npyBytes("{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (1,), 'extra': (1,)}",
                        {0, 0, 0x80, 0x3f});
  EXPECT_TRUE(sxf_rt::parseNpy(extra.data(), extra.size(), "x.npy", a, &err))
      << err;
  fails(npyBytes(hdr("=f4", "False", "(1,)"), {0, 0, 0, 0}),
        "unsupported dtype '=f4'");
  // uint64 token ids must fit int64.
  fails(npyBytes(hdr("<u8", "False", "(1,)"),
                 {0, 0, 0, 0, 0, 0, 0, 0x80}),
        "uint64 value 9223372036854775808 at index 0 does not fit int64");
  std::vector<unsigned char> truncated = {0x93, 'N', 'U', 'M', 'P', 'Y',
                                          1,    0,   200, 0,   '{'};
  fails(truncated, "header length 200 is larger than the rest of the file");
  EXPECT_FALSE(sxf_rt::readNpy("/nonexistent/dir/x.npy", a, &err));
  EXPECT_NE(err.find("/nonexistent/dir/x.npy: cannot open"), std::string::npos)
      << err;
  float one = 1.0f;
  EXPECT_FALSE(sxf_rt::writeNpy("/nonexistent/dir/y.npy", &one, {1}, &err));
  EXPECT_NE(err.find("cannot open for writing"), std::string::npos) << err;
}
