//===- HuggingFace.h - Importing Hugging Face checkpoints -------*- C++ -*-===//
//
// Maps a Hugging Face GPT-2 or BERT checkpoint directory (config.json +
// model.safetensors) to an sxf module whose weights are converted to sxf's
// layout ([out, in] linears, q/k/v split) and written to a new safetensors
// file. Malformed or inconsistent checkpoints are rejected with an error
// naming the file, the tensor or config field, and the expected value.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_IMPORT_HUGGINGFACE_H
#define SXF_IMPORT_HUGGINGFACE_H

#include "sxf/Support/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace sxf {

struct ImportOptions {
  /// Sequence length of the model's input (0 = the checkpoint's
  /// n_positions / max_position_embeddings).
  int64_t seq = 0;
  int64_t batch = 1;
  /// Where to write the converted weights, and what the module records.
  std::string weightsPath;
  std::string weightsRef;
  DType dtype = DType::F32;
  bool composite = true;
};

struct ImportResult {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  /// Checkpoint tensors that the sxf model does not use (pooler, heads).
  std::vector<std::string> ignored;
  /// Decisions about the checkpoint the user should know of (a stored LM
  /// head that a tied config overrides, heads that are not imported).
  std::vector<std::string> notes;
  std::string modelType;
};

llvm::Expected<ImportResult> importHuggingFace(mlir::MLIRContext *ctx,
                                               llvm::StringRef dir,
                                               const ImportOptions &options);

} // namespace sxf

#endif // SXF_IMPORT_HUGGINGFACE_H
