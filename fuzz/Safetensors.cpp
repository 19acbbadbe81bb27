//===- Safetensors.cpp - fuzz the two safetensors readers -----------------===//
//
// The input is a safetensors file, read from memory by the compiler's reader
// (sxf::SafetensorsFile::fromBuffer, then every tensor's raw bytes and fp32
// conversion) and by the runtime's container reader
// (sxf_rt::Container::fromBytes, then every entry and format record).
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Safetensors.h"
#include "sxf_rt/container.h"
#include "sxf_rt/format_kinds.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef contents(reinterpret_cast<const char *>(data), size);
  auto file = sxf::SafetensorsFile::fromBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(contents, "fuzz.safetensors"),
      "fuzz.safetensors");
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
    llvm::consumeError(file.takeError());
  }

  std::string error;
  std::unique_ptr<sxf_rt::Container> c =
      sxf_rt::Container::fromBytes(data, size, "fuzz.safetensors", &error);
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
  }
  return 0;
}
