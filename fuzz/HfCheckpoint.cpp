//===- HfCheckpoint.cpp - fuzz the Hugging Face checkpoint importer -------===//
//
// The input is a checkpoint folder in one buffer: config.json, then the
// separator line "\n--sxf-fuzz-safetensors--\n", then model.safetensors
// (without a separator, config.json alone beside an empty weights file).
// Both are written to a private temporary folder and imported with
// sxf::importHuggingFace (the converted weights go to the same folder), so
// the config reader (every field, its type and range), the checkpoint's
// consistency checks against the config and the weight conversion all run
// on mutated input. Seeds: small GPT-2 and BERT checkpoints of
// test/Integration/Inputs/hf_checkpoint.py.
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"
#include "sxf/Import/HuggingFace.h"
#include "sxf/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

using namespace mlir;

namespace {
llvm::SmallString<128> dir;

MLIRContext &getContext() { return sxf::fuzz::sharedContext(); }

bool writeFile(llvm::StringRef name, llvm::StringRef contents) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, name);
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return false;
  os << contents;
  return !os.has_error();
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  if (llvm::sys::fs::createUniqueDirectory("sxf-fuzz-hf", dir)) {
    llvm::errs() << "fuzz-hf-checkpoint: cannot create a temporary folder\n";
    std::abort();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  static constexpr llvm::StringLiteral separator =
      "\n--sxf-fuzz-safetensors--\n";
  auto [config, weights] = input.split(separator);
  if (!writeFile("config.json", config) ||
      !writeFile("model.safetensors", weights))
    std::abort();
  sxf::ImportOptions options;
  llvm::SmallString<256> out(dir);
  llvm::sys::path::append(out, "out.safetensors");
  options.weightsPath = out.str().str();
  options.weightsRef = "out.safetensors";
  // The importer's own default (the checkpoint's position count) could ask
  // for a sequence the size of a mutated n_positions; keep the fuzzed model
  // small but let the config's own bound checks run.
  options.seq = (size & 1) ? 0 : 4;
  llvm::Expected<sxf::ImportResult> result =
      sxf::importHuggingFace(&getContext(), dir, options);
  if (!result)
    llvm::consumeError(result.takeError());
  return 0;
}
