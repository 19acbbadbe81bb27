//===- Npy.cpp - fuzz the .npy reader -------------------------------------===//
//
// The input is a .npy file, read from memory by the one reader
// (sxf_rt/npy.h's parseNpyView) through both of its front ends: the
// compiler's (sxf::parseNpy, then both conversions) and the runtime's
// (sxf_rt::parseNpy).
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Npy.h"
#include "sxf_rt/npy.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef contents(reinterpret_cast<const char *>(data), size);
  llvm::Expected<sxf::NpyArray> array = sxf::parseNpy(contents, "fuzz.npy");
  if (array) {
    if (llvm::Expected<sxf::Tensor> t = array->toFloat())
      (void)t->data.size();
    else
      llvm::consumeError(t.takeError());
    if (llvm::Expected<sxf::IntTensor> t = array->toInt())
      (void)t->data.size();
    else
      llvm::consumeError(t.takeError());
  } else {
    llvm::consumeError(array.takeError());
  }

  sxf_rt::NpyArray rt;
  std::string error;
  if (sxf_rt::parseNpy(data, size, "fuzz.npy", rt, &error))
    (void)rt.numel();
  return 0;
}
