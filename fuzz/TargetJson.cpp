//===- TargetJson.cpp - fuzz the target-description reader ----------------===//
//
// The input is a target description (JSON), read by sxf::parseTarget; a
// description it accepts is written back with targetToJson, which must read
// again (a round trip that fails is a bug: abort so libFuzzer keeps it).
//
//===----------------------------------------------------------------------===//

#include "sxf/Target/Target.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef json(reinterpret_cast<const char *>(data), size);
  llvm::Expected<sxf::TargetDesc> t = sxf::parseTarget(json, "fuzz.json");
  if (!t) {
    llvm::consumeError(t.takeError());
    return 0;
  }
  (void)t->peak("f16");
  (void)t->totalSramBytes();
  std::string again = sxf::targetToJson(*t);
  llvm::Expected<sxf::TargetDesc> t2 = sxf::parseTarget(again, "round-trip");
  if (!t2) {
    std::fprintf(stderr, "targetToJson output does not read back: %s\n%s\n",
                 llvm::toString(t2.takeError()).c_str(), again.c_str());
    std::abort();
  }
  return 0;
}
