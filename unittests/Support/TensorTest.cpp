//===- TensorTest.cpp - Tests for dtypes, shapes and fp16/bf16 ------------===//
//
// Unit tests for the helpers in sxf/Support/Tensor.h.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Tensor.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace sxf;

namespace {

uint32_t bitsOf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}

float fromBits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof(f));
  return f;
}

TEST(DTypeTest, SizesNamesAndKinds) {
  struct Case {
    DType t;
    unsigned size;
    const char *name;
    bool isFloat;
  } cases[] = {
      {DType::F32, 4, "F32", true},   {DType::F16, 2, "F16", true},
      {DType::BF16, 2, "BF16", true}, {DType::F64, 8, "F64", true},
      {DType::I8, 1, "I8", false},    {DType::I16, 2, "I16", false},
      {DType::I32, 4, "I32", false},  {DType::I64, 8, "I64", false},
      {DType::U8, 1, "U8", false},    {DType::Bool, 1, "BOOL", false},
  };
  for (const Case &c : cases) {
    EXPECT_EQ(dtypeSize(c.t), c.size) << c.name;
    EXPECT_STREQ(dtypeSafetensorsName(c.t), c.name);
    EXPECT_EQ(dtypeIsFloat(c.t), c.isFloat) << c.name;
  }
}

TEST(ShapeTest, NumElements) {
  EXPECT_EQ(shapeNumElements({}), 1);
  EXPECT_EQ(shapeNumElements({7}), 7);
  EXPECT_EQ(shapeNumElements({2, 3, 4}), 24);
  EXPECT_EQ(shapeNumElements({0, 5}), 0);
  EXPECT_EQ(shapeNumElements({5, 0}), 0);
}

TEST(ShapeTest, NumElementsNegativeExtent) {
  EXPECT_EQ(shapeNumElements({-1}), -1);
  EXPECT_EQ(shapeNumElements({2, -3}), -1);
  // A negative extent is an error even next to a zero.
  EXPECT_EQ(shapeNumElements({0, -3}), -1);
}

TEST(ShapeTest, NumElementsOverflow) {
  const int64_t big = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(shapeNumElements({big}), big);
  EXPECT_EQ(shapeNumElements({big, 2}), -1);
  EXPECT_EQ(shapeNumElements({int64_t(1) << 32, int64_t(1) << 31}), -1);
  EXPECT_EQ(shapeNumElements({int64_t(1) << 32, int64_t(1) << 30}), int64_t(1)
                                                                        << 62);
  EXPECT_EQ(
      shapeNumElements({int64_t(1) << 21, int64_t(1) << 21, int64_t(1) << 21}),
      -1);
  // The product is 0 when any extent is 0, whatever the others are.
  EXPECT_EQ(shapeNumElements({big, big, 0}), 0);
}

TEST(ShapeTest, ToString) {
  EXPECT_EQ(shapeToString({}), "scalar");
  EXPECT_EQ(shapeToString({5}), "5");
  EXPECT_EQ(shapeToString({2, 3, 4}), "2x3x4");
  EXPECT_EQ(shapeToString({0, 1}), "0x1");
}

TEST(TensorStructTest, ConstructorAndAccessors) {
  Tensor t({2, 3}, 1.5f);
  EXPECT_EQ(t.numel(), 6);
  EXPECT_EQ(t.rank(), 2);
  EXPECT_EQ(t.dim(0), 2);
  EXPECT_EQ(t.dim(-1), 3);
  for (float v : t.data)
    EXPECT_EQ(v, 1.5f);
  Tensor s(std::vector<int64_t>{});
  EXPECT_EQ(s.numel(), 1);
}

//===----------------------------------------------------------------------===//
// IEEE half
//===----------------------------------------------------------------------===//

TEST(HalfTest, KnownValuesToFloat) {
  EXPECT_EQ(halfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(halfToFloat(0xc100), -2.5f);
  EXPECT_EQ(halfToFloat(0x7bff), 65504.0f);
  EXPECT_EQ(halfToFloat(0x0400), std::ldexp(1.0f, -14)); // smallest normal
  EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24)); // smallest subnormal
  EXPECT_EQ(halfToFloat(0x03ff), std::ldexp(1023.0f, -24));
  EXPECT_EQ(halfToFloat(0x8001), -std::ldexp(1.0f, -24));
  EXPECT_EQ(halfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(bitsOf(halfToFloat(0x0000)), 0x00000000u);
  EXPECT_EQ(bitsOf(halfToFloat(0x8000)), 0x80000000u); // -0 keeps its sign
  EXPECT_TRUE(std::isinf(halfToFloat(0x7c00)));
  EXPECT_GT(halfToFloat(0x7c00), 0.0f);
  EXPECT_TRUE(std::isinf(halfToFloat(0xfc00)));
  EXPECT_LT(halfToFloat(0xfc00), 0.0f);
  EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
  EXPECT_TRUE(std::isnan(halfToFloat(0x7c01))); // signalling NaN stays NaN
  EXPECT_TRUE(std::isnan(halfToFloat(0xfe00)));
}

TEST(HalfTest, KnownValuesFromFloat) {
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.5f), 0xc100);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(0.0f), 0x0000);
  EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -14)), 0x0400);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -24)), 0x0001);
  // 1e-7 is a subnormal half: 1e-7 / 2^-24 = 1.68 -> 2.
  EXPECT_EQ(floatToHalf(1e-7f), 0x0002);
  EXPECT_EQ(floatToHalf(-1e-7f), 0x8002);
  // 1e-8 is below half the smallest subnormal and underflows to (signed) 0.
  EXPECT_EQ(floatToHalf(1e-8f), 0x0000);
  EXPECT_EQ(floatToHalf(-1e-8f), 0x8000);
  // 3e-8 is just above half the smallest subnormal: rounds up to it.
  EXPECT_EQ(floatToHalf(3e-8f), 0x0001);
  // Float subnormals are far below the half range.
  EXPECT_EQ(floatToHalf(std::numeric_limits<float>::denorm_min()), 0x0000);
}

TEST(HalfTest, OverflowAndSpecials) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(floatToHalf(inf), 0x7c00);
  EXPECT_EQ(floatToHalf(-inf), 0xfc00);
  EXPECT_EQ(floatToHalf(1e6f), 0x7c00);
  EXPECT_EQ(floatToHalf(-1e6f), 0xfc00);
  EXPECT_EQ(floatToHalf(std::numeric_limits<float>::max()), 0x7c00);
  // 65519.99 rounds down to 65504; 65520 is the tie and goes to infinity
  // (65504 has an odd mantissa).
  EXPECT_EQ(floatToHalf(65519.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(std::nextafter(65520.0f, 0.0f)), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);

  uint16_t n = floatToHalf(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(n & 0x7c00, 0x7c00);
  EXPECT_NE(n & 0x03ff, 0);
  // A NaN whose payload lives only in the low bits must not become inf.
  uint16_t lowPayload = floatToHalf(fromBits(0x7f800001u));
  EXPECT_EQ(lowPayload & 0x7c00, 0x7c00);
  EXPECT_NE(lowPayload & 0x03ff, 0);
  EXPECT_EQ(floatToHalf(fromBits(0xffc00000u)) & 0x8000, 0x8000);
}

TEST(HalfTest, RoundsToNearestEven) {
  // Spacing of halves in [1, 2) is 2^-10.
  const float ulp = std::ldexp(1.0f, -10);
  EXPECT_EQ(floatToHalf(1.0f + ulp / 2), 0x3c00);     // tie -> even (down)
  EXPECT_EQ(floatToHalf(1.0f + 3 * ulp / 2), 0x3c02); // tie -> even (up)
  EXPECT_EQ(floatToHalf(1.0f + ulp / 2 + ulp / 16), 0x3c01);
  EXPECT_EQ(floatToHalf(1.0f + ulp / 2 - ulp / 16), 0x3c00);
  // Rounding can carry into the exponent: just below 2.0 rounds to 2.0.
  EXPECT_EQ(floatToHalf(std::nextafter(2.0f, 0.0f)), 0x4000);
  // Subnormal ties: 0.5 ulp -> 0, 1.5 ulp -> 2, 2.5 ulp -> 2.
  const float sub = std::ldexp(1.0f, -24);
  EXPECT_EQ(floatToHalf(sub / 2), 0x0000);
  EXPECT_EQ(floatToHalf(3 * sub / 2), 0x0002);
  EXPECT_EQ(floatToHalf(5 * sub / 2), 0x0002);
  EXPECT_EQ(floatToHalf(7 * sub / 2), 0x0004);
  // The largest subnormal plus a half ulp ties to the smallest normal.
  EXPECT_EQ(floatToHalf(std::ldexp(1023.5f, -24)), 0x0400);
}

TEST(HalfTest, EveryHalfRoundTrips) {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    float f = halfToFloat(static_cast<uint16_t>(h));
    bool isNaN = (h & 0x7c00) == 0x7c00 && (h & 0x03ff) != 0;
    if (isNaN) {
      EXPECT_TRUE(std::isnan(f)) << h;
      uint16_t back = floatToHalf(f);
      EXPECT_TRUE((back & 0x7c00) == 0x7c00 && (back & 0x03ff) != 0) << h;
      continue;
    }
    EXPECT_EQ(floatToHalf(f), h) << "half 0x" << std::hex << h;
  }
}

TEST(HalfTest, MatchesDoubleRoundingOnMidpoints) {
  // Between consecutive positive finite halves a and b, the float
  // (a+b)/2 must round to the one with an even mantissa, and values just
  // off the midpoint to the nearer one.
  for (uint32_t h = 0; h < 0x7bff; ++h) {
    float a = halfToFloat(static_cast<uint16_t>(h));
    float b = halfToFloat(static_cast<uint16_t>(h + 1));
    float mid = (a + b) / 2; // exact in fp32
    uint16_t even = (h & 1) ? h + 1 : h;
    ASSERT_EQ(floatToHalf(mid), even) << h;
    ASSERT_EQ(floatToHalf(std::nextafter(mid, 0.0f)), h) << h;
    ASSERT_EQ(floatToHalf(std::nextafter(mid, 1e9f)), h + 1) << h;
  }
}

//===----------------------------------------------------------------------===//
// bfloat16
//===----------------------------------------------------------------------===//

TEST(BF16Test, KnownValues) {
  EXPECT_EQ(floatToBf16(1.0f), 0x3f80);
  EXPECT_EQ(floatToBf16(-2.5f), 0xc020);
  EXPECT_EQ(bf16ToFloat(0x3f80), 1.0f);
  EXPECT_EQ(bf16ToFloat(0xc020), -2.5f);
  EXPECT_EQ(floatToBf16(0.0f), 0x0000);
  EXPECT_EQ(floatToBf16(-0.0f), 0x8000);
  // 65504 = 0x477fe000 rounds up to 65536 (0x4780) in bf16.
  EXPECT_EQ(floatToBf16(65504.0f), 0x4780);
  EXPECT_EQ(bf16ToFloat(0x4780), 65536.0f);
  // 1e-8 is a normal bf16; relative error at most 2^-9.
  float small = bf16ToFloat(floatToBf16(1e-8f));
  EXPECT_NEAR(small, 1e-8f, 1e-8f * std::ldexp(1.0f, -9));
  // bf16 has float's exponent range, so float subnormals survive.
  EXPECT_EQ(bf16ToFloat(0x0001), std::ldexp(1.0f, -133));
  EXPECT_EQ(floatToBf16(std::ldexp(1.0f, -133)), 0x0001);
}

TEST(BF16Test, SpecialsAndOverflow) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(floatToBf16(inf), 0x7f80);
  EXPECT_EQ(floatToBf16(-inf), 0xff80);
  EXPECT_TRUE(std::isinf(bf16ToFloat(0x7f80)));
  // The largest float is above the last bf16 midpoint: rounds to infinity.
  EXPECT_EQ(floatToBf16(std::numeric_limits<float>::max()), 0x7f80);
  EXPECT_EQ(floatToBf16(fromBits(0x7f7f7fffu)), 0x7f7f);
  EXPECT_TRUE(std::isnan(
      bf16ToFloat(floatToBf16(std::numeric_limits<float>::quiet_NaN()))));
  // NaN payload only in the low 16 bits must stay a NaN.
  uint16_t n = floatToBf16(fromBits(0x7f800001u));
  EXPECT_EQ(n & 0x7f80, 0x7f80);
  EXPECT_NE(n & 0x007f, 0);
  EXPECT_TRUE(std::isnan(bf16ToFloat(0xffc1)));
}

TEST(BF16Test, RoundsTiesToEven) {
  EXPECT_EQ(floatToBf16(fromBits(0x3f808000u)), 0x3f80); // tie, even below
  EXPECT_EQ(floatToBf16(fromBits(0x3f818000u)), 0x3f82); // tie, even above
  EXPECT_EQ(floatToBf16(fromBits(0x3f808001u)), 0x3f81); // above the tie
  EXPECT_EQ(floatToBf16(fromBits(0x3f807fffu)), 0x3f80); // below the tie
  EXPECT_EQ(floatToBf16(fromBits(0xbf818000u)), 0xbf82); // negative tie
  // Carry into the exponent.
  EXPECT_EQ(floatToBf16(fromBits(0x3fffc000u)), 0x4000);
}

TEST(BF16Test, EveryBf16RoundTrips) {
  for (uint32_t b = 0; b <= 0xffff; ++b) {
    float f = bf16ToFloat(static_cast<uint16_t>(b));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(bf16ToFloat(floatToBf16(f)))) << b;
      continue;
    }
    EXPECT_EQ(floatToBf16(f), b) << "bf16 0x" << std::hex << b;
  }
}

} // namespace
