//===- Safetensors.cpp - Reading and writing .safetensors files -----------===//
//
// The header parser, its validation and the header writer are the
// runtime's (sxf_rt/safetensors.h, one implementation for the compiler and
// emitted programs); this file only turns their problems into llvm::Error
// naming the file, maps element types to sxf::DType, converts tensors to and
// from fp32 and writes through writeOutputFile.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Safetensors.h"
#include "sxf/Support/FileOutput.h"
#include "sxf_rt/safetensors.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace sxf;
using llvm::StringRef;
using llvm::Twine;

namespace {

llvm::Error fileError(StringRef path, const Twine &msg) {
  return llvm::createStringError(Twine(path) + ": " + msg);
}

llvm::Error tensorError(StringRef path, StringRef name, const Twine &msg) {
  return llvm::createStringError(Twine(path) + ": tensor '" + name +
                                 "': " + msg);
}

DType toDType(sxf_rt::SafetensorsDType t) {
  switch (t) {
  case sxf_rt::SafetensorsDType::F32:
    return DType::F32;
  case sxf_rt::SafetensorsDType::F16:
    return DType::F16;
  case sxf_rt::SafetensorsDType::BF16:
    return DType::BF16;
  case sxf_rt::SafetensorsDType::F64:
    return DType::F64;
  case sxf_rt::SafetensorsDType::I8:
    return DType::I8;
  case sxf_rt::SafetensorsDType::I16:
    return DType::I16;
  case sxf_rt::SafetensorsDType::I32:
    return DType::I32;
  case sxf_rt::SafetensorsDType::I64:
    return DType::I64;
  case sxf_rt::SafetensorsDType::U8:
    return DType::U8;
  case sxf_rt::SafetensorsDType::Bool:
    return DType::Bool;
  }
  return DType::F32;
}

/// The safetensors element type of a DType sxf writes (F32, F16, BF16, F64,
/// U8), std::nullopt for the others.
std::optional<sxf_rt::SafetensorsDType> toSafetensorsDType(DType t) {
  return sxf_rt::parseSafetensorsDType(dtypeSafetensorsName(t));
}

} // namespace

llvm::Expected<std::unique_ptr<SafetensorsFile>>
SafetensorsFile::open(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buf)
    return fileError(path, "cannot open file: " + buf.getError().message());
  return fromBuffer(std::move(*buf), path);
}

llvm::Expected<std::unique_ptr<SafetensorsFile>>
SafetensorsFile::fromBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                            StringRef name) {
  if (!buffer)
    return fileError(name, "no buffer");
  sxf_rt::SafetensorsView v;
  if (std::optional<std::string> problem = sxf_rt::parseSafetensorsView(
          reinterpret_cast<const unsigned char *>(buffer->getBufferStart()),
          buffer->getBufferSize(), v))
    return fileError(name, *problem);
  auto file = std::unique_ptr<SafetensorsFile>(new SafetensorsFile());
  file->filePath = name.str();
  file->dataStart = 8 + v.headerLength;
  for (sxf_rt::SafetensorsTensor &t : v.tensors)
    file->entryList.push_back(
        SafetensorsEntry{std::move(t.name), toDType(t.dtype),
                         std::move(t.shape), t.begin, t.end});
  file->meta = std::move(v.metadata);
  file->buffer = std::move(buffer);
  return std::move(file);
}

const SafetensorsEntry *SafetensorsFile::find(StringRef name) const {
  for (const SafetensorsEntry &e : entryList)
    if (e.name == name)
      return &e;
  return nullptr;
}

llvm::ArrayRef<uint8_t>
SafetensorsFile::rawData(const SafetensorsEntry &e) const {
  uint64_t size = buffer->getBufferSize();
  // Entries handed out by this file were validated; be defensive anyway.
  if (e.begin > e.end || dataStart > size || e.end > size - dataStart)
    return {};
  const uint8_t *base =
      reinterpret_cast<const uint8_t *>(buffer->getBufferStart()) + dataStart;
  return llvm::ArrayRef<uint8_t>(base + e.begin, e.end - e.begin);
}

llvm::Expected<Tensor> SafetensorsFile::readFloat(StringRef name) const {
  const SafetensorsEntry *e = find(name);
  if (!e)
    return fileError(filePath, "no tensor named '" + name + "'");
  if (!dtypeIsFloat(e->dtype))
    return tensorError(filePath, name,
                       "has dtype " + Twine(dtypeSafetensorsName(e->dtype)) +
                           ", expected a floating-point dtype (F32, F16, "
                           "BF16, F64)");
  llvm::ArrayRef<uint8_t> raw = rawData(*e);
  int64_t numel = shapeNumElements(e->shape);
  unsigned size = dtypeSize(e->dtype);
  if (numel < 0 || raw.size() != static_cast<uint64_t>(numel) * size)
    return tensorError(filePath, name, "inconsistent byte range");

  Tensor t;
  t.shape = e->shape;
  t.data.resize(static_cast<size_t>(numel));
  decodeFloats(raw.data(), e->dtype, numel, t.data.data());
  return std::move(t);
}

llvm::Error
sxf::writeSafetensors(StringRef path,
                      llvm::ArrayRef<SafetensorsWriteEntry> tensors,
                      const std::map<std::string, std::string> &metadata) {
  // Validate everything before touching the file system: the data here,
  // the names and shapes in the header writer.
  std::vector<sxf_rt::SafetensorsTensor> header;
  for (const SafetensorsWriteEntry &w : tensors) {
    sxf_rt::SafetensorsTensor t;
    t.name = w.name;
    if (w.raw) {
      t.dtype = sxf_rt::SafetensorsDType::U8;
      t.shape = {int64_t(w.raw->size())};
      header.push_back(std::move(t));
      continue;
    }
    if (!w.tensor)
      return tensorError(path, w.name, "no tensor given");
    if (!dtypeIsFloat(w.dtype))
      return tensorError(path, w.name,
                         "cannot write fp32 data as " +
                             Twine(dtypeSafetensorsName(w.dtype)) +
                             " (expected F32, F16, BF16 or F64)");
    int64_t numel = shapeNumElements(w.tensor->shape);
    if (numel < 0)
      return tensorError(path, w.name,
                         "invalid shape " + shapeToString(w.tensor->shape));
    if (static_cast<uint64_t>(numel) != w.tensor->data.size())
      return tensorError(
          path, w.name,
          "data has " + Twine(w.tensor->data.size()) + " elements but shape " +
              shapeToString(w.tensor->shape) + " needs " + Twine(numel));
    t.dtype = *toSafetensorsDType(w.dtype);
    t.shape = w.tensor->shape;
    header.push_back(std::move(t));
  }
  std::string prefix;
  if (std::optional<std::string> problem =
          sxf_rt::safetensorsFileHeader(header, metadata, prefix))
    return fileError(path, *problem);

  return writeOutputFile(path, [&](llvm::raw_ostream &os) {
    os << prefix;
    std::vector<uint8_t> chunk;
    for (const SafetensorsWriteEntry &w : tensors) {
      if (w.raw) {
        os.write(reinterpret_cast<const char *>(w.raw->data()), w.raw->size());
        continue;
      }
      const std::vector<float> &data = w.tensor->data;
      chunk.resize(data.size() * dtypeSize(w.dtype));
      encodeFloats(data.data(), static_cast<int64_t>(data.size()), w.dtype,
                   chunk.data());
      os.write(reinterpret_cast<const char *>(chunk.data()), chunk.size());
    }
  });
}
