//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
//
// The reader and the header writer are the runtime's (sxf_rt/npy.h, one
// implementation for compiler and emitted programs); this file only turns
// their problems into llvm::Error naming the file, maps element types to
// sxf::DType and writes through writeOutputFile.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Npy.h"
#include "sxf/Support/CheckedMath.h"
#include "sxf/Support/FileOutput.h"
#include "sxf_rt/npy.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <optional>

using namespace sxf;
using llvm::StringRef;
using llvm::Twine;

namespace {

llvm::Error npyError(StringRef name, const Twine &msg) {
  return llvm::createStringError(Twine(name) + ": " + msg);
}

DType toDType(sxf_rt::NpyDType t) {
  switch (t) {
  case sxf_rt::NpyDType::F16:
    return DType::F16;
  case sxf_rt::NpyDType::F32:
    return DType::F32;
  case sxf_rt::NpyDType::F64:
    return DType::F64;
  case sxf_rt::NpyDType::I8:
    return DType::I8;
  case sxf_rt::NpyDType::I16:
    return DType::I16;
  case sxf_rt::NpyDType::I32:
    return DType::I32;
  case sxf_rt::NpyDType::I64:
    return DType::I64;
  case sxf_rt::NpyDType::U8:
    return DType::U8;
  case sxf_rt::NpyDType::U16:
    return DType::U16;
  case sxf_rt::NpyDType::U32:
    return DType::U32;
  case sxf_rt::NpyDType::U64:
    return DType::U64;
  case sxf_rt::NpyDType::Bool:
    return DType::Bool;
  }
  return DType::F32;
}

/// The .npy element type of an integer DType (std::nullopt for floats).
std::optional<sxf_rt::NpyDType> toNpyIntDType(DType t) {
  switch (t) {
  case DType::I8:
    return sxf_rt::NpyDType::I8;
  case DType::I16:
    return sxf_rt::NpyDType::I16;
  case DType::I32:
    return sxf_rt::NpyDType::I32;
  case DType::I64:
    return sxf_rt::NpyDType::I64;
  case DType::U8:
    return sxf_rt::NpyDType::U8;
  case DType::U16:
    return sxf_rt::NpyDType::U16;
  case DType::U32:
    return sxf_rt::NpyDType::U32;
  case DType::U64:
    return sxf_rt::NpyDType::U64;
  case DType::Bool:
    return sxf_rt::NpyDType::Bool;
  default:
    return std::nullopt;
  }
}

llvm::Error writeNpyImpl(StringRef path, const char *descr,
                         const std::vector<int64_t> &shape, const char *data,
                         size_t dataSize) {
  std::string header = sxf_rt::npyFileHeader(descr, shape);
  return writeOutputFile(path, [&](llvm::raw_ostream &os) {
    os << header;
    os.write(data, dataSize);
  });
}

/// Checks that `a.bytes` matches its shape and dtype.
llvm::Error checkConsistent(const NpyArray &a, int64_t &numel) {
  numel = shapeNumElements(a.shape);
  if (numel < 0)
    return llvm::createStringError("invalid shape " + shapeToString(a.shape));
  std::optional<int64_t> byteCount = checkedMul(numel, dtypeSize(a.dtype));
  if (numel < 0 || !byteCount)
    return llvm::createStringError("byte size of shape " +
                                   shapeToString(a.shape) + " overflows");
  uint64_t expected = static_cast<uint64_t>(*byteCount);
  if (expected != a.bytes.size())
    return llvm::createStringError(
        "array has " + Twine(a.bytes.size()) + " bytes but shape " +
        shapeToString(a.shape) + " of dtype " + dtypeSafetensorsName(a.dtype) +
        " needs " + Twine(expected));
  return llvm::Error::success();
}

} // namespace

llvm::Expected<Tensor> NpyArray::toFloat() const {
  if (!dtypeIsFloat(dtype))
    return llvm::createStringError(
        "expected a floating-point array (f2, f4, f8), found dtype " +
        Twine(dtypeSafetensorsName(dtype)));
  int64_t numel;
  if (llvm::Error err = checkConsistent(*this, numel))
    return std::move(err);
  Tensor t;
  t.shape = shape;
  t.data.resize(static_cast<size_t>(numel));
  decodeFloats(bytes.data(), dtype, numel, t.data.data());
  return std::move(t);
}

llvm::Expected<IntTensor> NpyArray::toInt() const {
  if (!toNpyIntDType(dtype))
    return llvm::createStringError(
        "expected an integer array (i1, i2, i4, i8, u1, u2, u4, u8, b1), "
        "found dtype " +
        Twine(dtypeSafetensorsName(dtype)));
  int64_t numel;
  if (llvm::Error err = checkConsistent(*this, numel))
    return std::move(err);
  IntTensor t;
  t.shape = shape;
  t.data.resize(static_cast<size_t>(numel));
  sxf_rt::NpyView v;
  v.dtype = *toNpyIntDType(dtype);
  v.numel = numel;
  v.data = bytes.data();
  if (std::optional<std::string> problem = sxf_rt::npyToInts(v, t.data.data()))
    return llvm::createStringError(*problem);
  return std::move(t);
}

llvm::Expected<NpyArray> sxf::parseNpy(StringRef contents, StringRef name) {
  sxf_rt::NpyView v;
  if (std::optional<std::string> problem = sxf_rt::parseNpyView(
          reinterpret_cast<const unsigned char *>(contents.data()),
          contents.size(), v))
    return npyError(name, *problem);
  NpyArray a;
  a.dtype = toDType(v.dtype);
  a.shape = v.shape;
  // The core checked the byte count; check it again with the compiler's
  // checked arithmetic before copying.
  std::optional<int64_t> byteCount =
      checkedMul(shapeNumElements(a.shape), dtypeSize(a.dtype));
  if (shapeNumElements(a.shape) < 0 || !byteCount ||
      uint64_t(*byteCount) > contents.size())
    return npyError(name, "element count of shape " + shapeToString(a.shape) +
                              " overflows");
  a.bytes.assign(v.data, v.data + *byteCount);
  return std::move(a);
}

llvm::Expected<NpyArray> sxf::readNpy(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buf)
    return npyError(path, "cannot open file: " + buf.getError().message());
  return parseNpy((*buf)->getBuffer(), path);
}

llvm::Error sxf::writeNpy(StringRef path, const Tensor &t) {
  int64_t numel = shapeNumElements(t.shape);
  if (numel < 0 || static_cast<uint64_t>(numel) != t.data.size())
    return npyError(path, "tensor data has " + Twine(t.data.size()) +
                              " elements but shape " + shapeToString(t.shape) +
                              " needs " + Twine(numel));
  std::vector<char> bytes(t.data.size() * 4);
  for (size_t i = 0; i < t.data.size(); ++i) {
    uint32_t u;
    std::memcpy(&u, &t.data[i], sizeof(u));
    llvm::support::endian::write32le(bytes.data() + 4 * i, u);
  }
  return writeNpyImpl(path, "<f4", t.shape, bytes.data(), bytes.size());
}

llvm::Error sxf::writeNpy(StringRef path, const IntTensor &t) {
  int64_t numel = shapeNumElements(t.shape);
  if (numel < 0 || static_cast<uint64_t>(numel) != t.data.size())
    return npyError(path, "tensor data has " + Twine(t.data.size()) +
                              " elements but shape " + shapeToString(t.shape) +
                              " needs " + Twine(numel));
  std::vector<char> bytes(t.data.size() * 8);
  for (size_t i = 0; i < t.data.size(); ++i)
    llvm::support::endian::write64le(bytes.data() + 8 * i,
                                     static_cast<uint64_t>(t.data[i]));
  return writeNpyImpl(path, "<i8", t.shape, bytes.data(), bytes.size());
}
