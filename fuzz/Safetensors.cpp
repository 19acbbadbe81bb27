//===- Safetensors.cpp - fuzz the safetensors core through its front ends -===//
//
// The input is a safetensors file, read from memory by the one reader
// (sxf_rt/safetensors.h's parseSafetensorsView) through both of its front
// ends: the compiler's (sxf::SafetensorsFile::fromBuffer, then every
// tensor's raw bytes and fp32 conversion) and the runtime's
// (sxf_rt::Container::fromBytes, then every entry and format record). The
// two must accept the same files with the same message. A file the core
// accepts must come back unchanged through the header writer
// (safetensorsFileHeader) when its tensors are written in offset order.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Safetensors.h"
#include "sxf_rt/container.h"
#include "sxf_rt/format_kinds.h"
#include "sxf_rt/safetensors.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>

/// Writes the view's header again, tensors sorted by offset, and reads the
/// result back: the writer lays them out back to back, which gives every
/// non-empty tensor its old offsets (a valid file's tensors cover its data
/// section exactly; an empty one may move).
static void checkRewrite(const sxf_rt::SafetensorsView &v) {
  std::vector<sxf_rt::SafetensorsTensor> ts = v.tensors;
  std::sort(ts.begin(), ts.end(), [](const auto &a, const auto &b) {
    return std::tie(a.begin, a.end, a.name) < std::tie(b.begin, b.end, b.name);
  });
  std::vector<sxf_rt::SafetensorsTensor> before = ts;
  std::string prefix;
  if (sxf_rt::safetensorsFileHeader(ts, v.metadata, prefix))
    __builtin_trap(); // a name or shape the reader accepted
  for (size_t i = 0; i < ts.size(); ++i)
    if (before[i].begin != before[i].end &&
        (ts[i].begin != before[i].begin || ts[i].end != before[i].end))
      __builtin_trap();
  std::string bytes =
      prefix + std::string(reinterpret_cast<const char *>(v.data), v.dataSize);
  sxf_rt::SafetensorsView back;
  if (sxf_rt::parseSafetensorsView(
          reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size(),
          back) ||
      back.metadata != v.metadata || back.tensors.size() != ts.size())
    __builtin_trap();
  for (size_t i = 0; i < ts.size(); ++i)
    if (back.tensors[i].name != ts[i].name ||
        back.tensors[i].dtype != ts[i].dtype ||
        back.tensors[i].shape != ts[i].shape ||
        back.tensors[i].begin != ts[i].begin ||
        back.tensors[i].end != ts[i].end)
      __builtin_trap();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef contents(reinterpret_cast<const char *>(data), size);
  auto file = sxf::SafetensorsFile::fromBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(contents, "fuzz.safetensors"),
      "fuzz.safetensors");
  std::string compilerError;
  if (file) {
    uint64_t sum = 0;
    for (const sxf::SafetensorsEntry &e : (*file)->entries()) {
      llvm::ArrayRef<uint8_t> raw = (*file)->rawData(e);
      if (!raw.empty())
        sum += raw.front() + raw.back();
      if (llvm::Expected<sxf::Tensor> t = (*file)->readFloat(e.name))
        sum += t->data.size();
      else
        llvm::consumeError(t.takeError());
    }
    (void)sum;
  } else {
    compilerError = llvm::toString(file.takeError());
  }

  std::string error;
  std::unique_ptr<sxf_rt::Container> c =
      sxf_rt::Container::fromBytes(data, size, "fuzz.safetensors", &error);
  if (bool(c) != bool(file) || (!c && error != compilerError))
    __builtin_trap(); // the front ends disagree about the one core's answer
  if (c) {
    uint64_t sum = 0;
    for (const std::string &name : c->formattedNames()) {
      if (const sxf_rt::Container::Entry *e = c->find(name))
        sum += e->size ? e->data[0] + e->data[e->size - 1] : 0;
      if (const std::string *m = c->metadata("sxf.format/" + name)) {
        sum += m->size();
        // The format record's parser and validation (format_kinds.h).
        sxf_rt::FormatRecord record;
        if (!sxf_rt::parseFormatRecord(*m, record))
          sum += uint64_t(sxf_rt::recordArrayBytes(record).total());
      }
    }
    (void)sum;
    sxf_rt::SafetensorsView v;
    if (sxf_rt::parseSafetensorsView(data, size, v))
      __builtin_trap();
    checkRewrite(v);
  }
  return 0;
}
