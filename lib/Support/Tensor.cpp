//===- Tensor.cpp - Host tensors, dtypes and fp16/bf16 conversions --------===//
//
// Element-type helpers, shape helpers and the scalar conversions between
// fp32 and the two 16-bit float formats (IEEE binary16 and bfloat16).
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Tensor.h"
#include "sxf/Support/CheckedMath.h"
#include "sxf_rt/shape.h"

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
  case DType::U16:
    return 2;
  case DType::U32:
    return 4;
  case DType::U64:
    return 8;
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
  case DType::U16:
    return "U16";
  case DType::U32:
    return "U32";
  case DType::U64:
    return "U64";
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
  return sxf_rt::shapeText(shape);
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
