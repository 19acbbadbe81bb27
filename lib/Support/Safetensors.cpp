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
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

#include <sys/mman.h>

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
  releasePages(*e);
  return std::move(t);
}

void SafetensorsFile::releasePages(const SafetensorsEntry &e) const {
  if (buffer->getBufferKind() != llvm::MemoryBuffer::MemoryBuffer_MMap)
    return;
  llvm::ArrayRef<uint8_t> raw = rawData(e);
  if (raw.empty())
    return;
  uintptr_t page = uintptr_t(llvm::sys::Process::getPageSizeEstimate());
  uintptr_t first = (uintptr_t(raw.data()) + page - 1) / page * page;
  uintptr_t last = (uintptr_t(raw.data()) + raw.size()) / page * page;
  if (first < last)
    (void)::madvise(reinterpret_cast<void *>(first), last - first,
                    MADV_DONTNEED);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

struct SafetensorsWriter::Impl {
  std::unique_ptr<OutputFile> out;
  std::vector<SafetensorsSlot> slots;
  std::vector<sxf_rt::SafetensorsTensor> layout; // begin/end per slot
  std::map<std::string, size_t> index;
  /// Slots whose bytes are in the file (or held for it); empty tensors are
  /// from the start. `claimed`: slots a write call has taken.
  std::vector<bool> done, claimed;
  uint64_t dataStart = 0;
  /// Non-seekable targets: the next slot in header order to be written, and
  /// the encoded bytes of later slots that arrived early.
  size_t next = 0;
  std::map<size_t, std::string> early;

  llvm::Error error(const Twine &msg) {
    return fileError(out->path(), msg);
  }
  llvm::Error streamError() {
    llvm::raw_fd_ostream &os = out->os();
    if (!os.has_error())
      return llvm::Error::success();
    std::string reason = os.error().message();
    return llvm::createStringError("cannot write '" + out->path() +
                                   "': " + reason);
  }
  /// Finds the slot `name`, refusing unknown names and second writes.
  llvm::Expected<size_t> slot(StringRef name) {
    auto it = index.find(name.str());
    if (it == index.end())
      return error("no tensor named '" + name +
                   "' in the header being written");
    if (claimed[it->second])
      return error("tensor '" + name + "' is written twice");
    return it->second;
  }
  /// Writes the bytes `produce` yields (in pieces) at slot i's offset.
  /// `claim`: a write call's (false for the empty tensors create() marks).
  llvm::Error put(size_t i,
                  llvm::function_ref<void(llvm::raw_ostream &)> produce,
                  bool claim = true) {
    llvm::raw_fd_ostream &os = out->os();
    if (claim)
      claimed[i] = true;
    if (done[i]) // an empty tensor: nothing to write
      return llvm::Error::success();
    done[i] = true;
    if (out->seekable()) {
      uint64_t at = dataStart + layout[i].begin;
      if (os.tell() != at)
        os.seek(at);
      produce(os);
      return streamError();
    }
    if (i != next) { // hold it until the slots before it are written
      llvm::raw_string_ostream s(early[i]);
      produce(s);
      s.flush();
      return llvm::Error::success();
    }
    produce(os);
    ++next;
    while (next < slots.size() && done[next]) {
      auto it = early.find(next);
      if (it != early.end()) {
        os << it->second;
        early.erase(it);
      }
      ++next;
    }
    return streamError();
  }
};

SafetensorsWriter::SafetensorsWriter(std::unique_ptr<Impl> impl)
    : impl(std::move(impl)) {}
SafetensorsWriter::~SafetensorsWriter() = default;

llvm::Expected<std::unique_ptr<SafetensorsWriter>>
SafetensorsWriter::create(StringRef path, llvm::ArrayRef<SafetensorsSlot> slots,
                          const std::map<std::string, std::string> &metadata) {
  // Everything is checked before the file system is touched.
  auto impl = std::make_unique<Impl>();
  for (const SafetensorsSlot &slot : slots) {
    std::optional<sxf_rt::SafetensorsDType> dt = toSafetensorsDType(slot.dtype);
    if (!dt || (!dtypeIsFloat(slot.dtype) && slot.dtype != DType::U8))
      return tensorError(path, slot.name,
                         "cannot write " +
                             Twine(dtypeSafetensorsName(slot.dtype)) +
                             " (expected F32, F16, BF16, F64 or U8)");
    if (slot.dtype == DType::U8 && slot.shape.size() != 1)
      return tensorError(path, slot.name,
                         "raw bytes (U8) are written as a 1-D tensor, not " +
                             shapeToString(slot.shape));
    sxf_rt::SafetensorsTensor t;
    t.name = slot.name;
    t.dtype = *dt;
    t.shape = slot.shape;
    impl->layout.push_back(std::move(t));
  }
  std::string prefix;
  if (std::optional<std::string> problem =
          sxf_rt::safetensorsFileHeader(impl->layout, metadata, prefix))
    return fileError(path, *problem);
  impl->slots.assign(slots.begin(), slots.end());
  for (size_t i = 0; i < impl->slots.size(); ++i)
    impl->index.emplace(impl->slots[i].name, i);
  impl->done.assign(impl->slots.size(), false);
  impl->claimed.assign(impl->slots.size(), false);
  impl->dataStart = prefix.size();

  llvm::Expected<std::unique_ptr<OutputFile>> out = OutputFile::create(path);
  if (!out)
    return out.takeError();
  impl->out = std::move(*out);
  impl->out->os() << prefix;
  if (llvm::Error e = impl->streamError())
    return std::move(e);
  // Empty tensors occupy no bytes: they are in the file already (a write
  // call for one is still accepted, once).
  for (size_t i = 0; i < impl->slots.size(); ++i)
    if (impl->layout[i].begin == impl->layout[i].end)
      if (llvm::Error e =
              impl->put(i, [](llvm::raw_ostream &) {}, /*claim=*/false))
        return std::move(e);
  return std::unique_ptr<SafetensorsWriter>(
      new SafetensorsWriter(std::move(impl)));
}

llvm::Error SafetensorsWriter::write(StringRef name,
                                     llvm::ArrayRef<float> values) {
  llvm::Expected<size_t> i = impl->slot(name);
  if (!i)
    return i.takeError();
  const SafetensorsSlot &slot = impl->slots[*i];
  if (slot.dtype == DType::U8)
    return tensorError(impl->out->path(), name,
                       "holds raw bytes (U8), not floating-point values");
  int64_t numel = shapeNumElements(slot.shape);
  if (numel < 0 || uint64_t(numel) != values.size())
    return tensorError(impl->out->path(), name,
                       "got " + Twine(values.size()) +
                           " values but the header declares shape " +
                           shapeToString(slot.shape) + " (" + Twine(numel) +
                           " elements)");
  unsigned width = dtypeSize(slot.dtype);
  return impl->put(*i, [&](llvm::raw_ostream &os) {
    // Converted in pieces: no second copy of a large tensor.
    constexpr size_t kChunk = size_t(1) << 20;
    std::vector<uint8_t> bytes(std::min(values.size(), kChunk) * width);
    for (size_t at = 0; at < values.size(); at += kChunk) {
      size_t count = std::min(kChunk, values.size() - at);
      encodeFloats(values.data() + at, int64_t(count), slot.dtype,
                   bytes.data());
      os.write(reinterpret_cast<const char *>(bytes.data()), count * width);
    }
  });
}

llvm::Error SafetensorsWriter::writeRaw(StringRef name,
                                        llvm::ArrayRef<uint8_t> bytes) {
  llvm::Expected<size_t> i = impl->slot(name);
  if (!i)
    return i.takeError();
  const SafetensorsSlot &slot = impl->slots[*i];
  uint64_t expected = impl->layout[*i].end - impl->layout[*i].begin;
  if (slot.dtype != DType::U8)
    return tensorError(impl->out->path(), name,
                       "holds " + Twine(dtypeSafetensorsName(slot.dtype)) +
                           " values, not raw bytes");
  if (bytes.size() != expected)
    return tensorError(impl->out->path(), name,
                       "got " + Twine(bytes.size()) +
                           " bytes but the header declares " +
                           Twine(expected));
  return impl->put(*i, [&](llvm::raw_ostream &os) {
    os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  });
}

bool SafetensorsWriter::written(StringRef name) const {
  auto it = impl->index.find(name.str());
  return it != impl->index.end() && impl->done[it->second];
}

std::vector<std::string> SafetensorsWriter::missing() const {
  std::vector<std::string> names;
  for (size_t i = 0; i < impl->slots.size(); ++i)
    if (!impl->done[i])
      names.push_back(impl->slots[i].name);
  return names;
}

llvm::Error SafetensorsWriter::commit() {
  std::vector<std::string> absent = missing();
  if (!absent.empty())
    return impl->error(Twine(absent.size()) + " of " +
                       Twine(impl->slots.size()) +
                       " tensors were never written (the first is '" +
                       absent.front() + "'); the file is not complete");
  return impl->out->commit();
}

llvm::Error
sxf::writeSafetensors(StringRef path,
                      llvm::ArrayRef<SafetensorsWriteEntry> tensors,
                      const std::map<std::string, std::string> &metadata) {
  // The data is checked here, the names and shapes by the writer, all
  // before the file system is touched.
  std::vector<SafetensorsSlot> slots;
  for (const SafetensorsWriteEntry &w : tensors) {
    if (w.raw) {
      slots.push_back({w.name, DType::U8, {int64_t(w.raw->size())}});
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
    slots.push_back({w.name, w.dtype, w.tensor->shape});
  }
  llvm::Expected<std::unique_ptr<SafetensorsWriter>> writer =
      SafetensorsWriter::create(path, slots, metadata);
  if (!writer)
    return writer.takeError();
  for (const SafetensorsWriteEntry &w : tensors)
    if (llvm::Error e = w.raw ? (*writer)->writeRaw(w.name, *w.raw)
                              : (*writer)->write(w.name, w.tensor->data))
      return e;
  return (*writer)->commit();
}
