//===- Tensor.cpp - Host tensors, dtypes and fp16/bf16 conversions --------===//
//
// Element-type helpers, shape helpers and the scalar conversions between
// fp32 and the two 16-bit float formats (IEEE binary16 and bfloat16).
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Tensor.h"
#include "sxf/Support/CheckedMath.h"

#include "llvm/Support/Endian.h"

#include <cmath>
#include <cstring>

using namespace sxf;

unsigned sxf::dtypeSize(DType t) {
  switch (t) {
  case DType::F32:
    return 4;
  case DType::F16:
    return 2;
  case DType::BF16:
    return 2;
  case DType::F64:
    return 8;
  case DType::I8:
    return 1;
  case DType::I16:
    return 2;
  case DType::I32:
    return 4;
  case DType::I64:
    return 8;
  case DType::U8:
    return 1;
  case DType::Bool:
    return 1;
  }
  return 0;
}

const char *sxf::dtypeSafetensorsName(DType t) {
  switch (t) {
  case DType::F32:
    return "F32";
  case DType::F16:
    return "F16";
  case DType::BF16:
    return "BF16";
  case DType::F64:
    return "F64";
  case DType::I8:
    return "I8";
  case DType::I16:
    return "I16";
  case DType::I32:
    return "I32";
  case DType::I64:
    return "I64";
  case DType::U8:
    return "U8";
  case DType::Bool:
    return "BOOL";
  }
  return "?";
}

bool sxf::dtypeIsFloat(DType t) {
  return t == DType::F32 || t == DType::F16 || t == DType::BF16 ||
         t == DType::F64;
}

int64_t sxf::shapeNumElements(const std::vector<int64_t> &shape) {
  return checkedElements(shape).value_or(-1);
}

std::string sxf::shapeToString(const std::vector<int64_t> &shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += 'x';
    s += std::to_string(shape[i]);
  }
  return s;
}

static uint32_t floatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}

static float bitsToFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof(f));
  return f;
}

float sxf::halfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  if (exp == 0) {
    if (mant == 0)
      return bitsToFloat(sign); // +-0
    // Subnormal: mant * 2^-24, exactly representable as a normal float.
    float v = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -v : v;
  }
  if (exp == 0x1f) {
    // Infinity (mant == 0) or NaN (payload kept in the top mantissa bits).
    return bitsToFloat(sign | 0x7f800000u | (mant << 13));
  }
  // Normal: rebias the exponent from 15 to 127.
  return bitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
}

uint16_t sxf::floatToHalf(float f) {
  uint32_t x = floatBits(f);
  uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  uint32_t abs = x & 0x7fffffffu;

  if (abs >= 0x7f800000u) {
    if (abs == 0x7f800000u)
      return sign | 0x7c00u; // infinity
    // NaN: keep the top payload bits and force the quiet bit so that the
    // result cannot turn into an infinity.
    return static_cast<uint16_t>(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));
  }
  // 65520 is halfway between the largest half (65504) and 2^16; ties go to
  // the even neighbour, which is infinity.
  if (abs >= 0x477ff000u)
    return sign | 0x7c00u;

  if (abs < 0x38800000u) {
    // Below the smallest normal half (2^-14): the result is a half subnormal
    // m * 2^-24 (or zero). Float subnormals are far too small to matter.
    uint32_t exp = abs >> 23;
    if (exp == 0)
      return sign;
    uint32_t mant = (abs & 0x7fffffu) | 0x800000u;
    // value = mant * 2^(exp - 150), m = value / 2^-24 = mant >> (126 - exp).
    uint32_t shift = 126 - exp; // >= 14 because exp <= 112
    if (shift >= 25)
      return sign; // value < 2^-25, i.e. below half of the smallest subnormal
    uint32_t q = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (q & 1u)))
      ++q; // may carry into the smallest normal (0x400), which is correct
    return static_cast<uint16_t>(sign | q);
  }

  // Normal range: rebias the exponent and round the 13 dropped bits to
  // nearest even. A carry out of the mantissa correctly bumps the exponent.
  uint32_t h = (abs - 0x38000000u) >> 13;
  uint32_t rem = abs & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u)))
    ++h;
  return static_cast<uint16_t>(sign | h);
}

float sxf::bf16ToFloat(uint16_t b) {
  return bitsToFloat(static_cast<uint32_t>(b) << 16);
}

uint16_t sxf::floatToBf16(float f) {
  uint32_t x = floatBits(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) {
    // NaN: truncate and force the quiet bit so the payload stays non-zero.
    return static_cast<uint16_t>((x >> 16) | 0x40u);
  }
  // Round to nearest even; an overflow correctly rounds up to infinity.
  uint32_t bias = 0x7fffu + ((x >> 16) & 1u);
  return static_cast<uint16_t>((x + bias) >> 16);
}

std::optional<DType> sxf::parseStorageDType(const std::string &spelling) {
  if (spelling == "f32")
    return DType::F32;
  if (spelling == "f16")
    return DType::F16;
  if (spelling == "bf16")
    return DType::BF16;
  return std::nullopt;
}

void sxf::decodeFloats(const uint8_t *p, DType t, int64_t count, float *out) {
  namespace endian = llvm::support::endian;
  unsigned size = dtypeSize(t);
  for (int64_t i = 0; i < count; ++i, p += size) {
    switch (t) {
    case DType::F32: {
      uint32_t u = endian::read32le(p);
      std::memcpy(&out[i], &u, sizeof(float));
      break;
    }
    case DType::F16:
      out[i] = halfToFloat(endian::read16le(p));
      break;
    case DType::BF16:
      out[i] = bf16ToFloat(endian::read16le(p));
      break;
    case DType::F64: {
      uint64_t u = endian::read64le(p);
      double d;
      std::memcpy(&d, &u, sizeof(d));
      out[i] = static_cast<float>(d);
      break;
    }
    default:
      out[i] = 0.0f; // not a float type: callers check dtypeIsFloat first
      break;
    }
  }
}

void sxf::encodeFloats(const float *values, int64_t count, DType t,
                       uint8_t *p) {
  namespace endian = llvm::support::endian;
  unsigned size = dtypeSize(t);
  for (int64_t i = 0; i < count; ++i, p += size) {
    float f = values[i];
    switch (t) {
    case DType::F16:
      endian::write16le(p, floatToHalf(f));
      break;
    case DType::BF16:
      endian::write16le(p, floatToBf16(f));
      break;
    case DType::F64: {
      double d = f;
      uint64_t u;
      std::memcpy(&u, &d, sizeof(u));
      endian::write64le(p, u);
      break;
    }
    default: { // F32
      uint32_t u;
      std::memcpy(&u, &f, sizeof(u));
      endian::write32le(p, u);
      break;
    }
    }
  }
}
