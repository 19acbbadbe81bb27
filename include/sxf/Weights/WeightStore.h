//===- WeightStore.h - Access to the values of sxf.weight ops ---*- C++ -*-===//
//
// Every tool and pass that needs weight values goes through WeightStore: it
// resolves the module's `sxf.weights_file`, maps the safetensors file once,
// and reads a weight from its inline `value` attribute or from the file,
// converting to fp32. Errors are emitted as MLIR diagnostics located at the
// weight op, so a user sees which weight and which file are at fault.
//
//   sxf::WeightStore store(module);
//   FailureOr<sxf::Tensor> w = store.load(weightOp);   // diagnoses on error
//   sxf::setInlineValue(weightOp, prunedTensor);        // after changing it
//
//===----------------------------------------------------------------------===//

#ifndef SXF_WEIGHTS_WEIGHTSTORE_H
#define SXF_WEIGHTS_WEIGHTSTORE_H

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Support/Safetensors.h"
#include "sxf/Support/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <map>
#include <memory>
#include <string>

namespace sxf {

/// Where the values of a weight come from.
enum class WeightSource { Inline, File, None };

class WeightStore {
public:
  explicit WeightStore(mlir::ModuleOp module);

  /// The module's weights file as written in the IR ("" when absent).
  std::string declaredFile() const;
  /// The path the declared file resolves to: relative paths are tried against
  /// the directory of the .mlir file the module came from, then the working
  /// directory. Empty when the module declares no file.
  std::string resolvedFile() const;

  /// Where `op`'s values would come from (does not open the file).
  WeightSource source(sxf::WeightOp op) const;
  /// Loads `op`'s values as fp32. Emits an error on the op and fails when the
  /// weight is metadata-only, the file cannot be read, the tensor is missing
  /// or its shape differs from the op's type.
  mlir::FailureOr<Tensor> load(sxf::WeightOp op);
  /// The values the weight holds as stored: load(), rounded to its
  /// #sxf.format's value type (f16 / bf16) when it has one. What executes a
  /// model (the interpreter, the simulator, generated code) computes with
  /// these; transformations that rewrite weights use load().
  mlir::FailureOr<Tensor> loadStored(sxf::WeightOp op);
  /// Opens (once) and returns the weights file; diagnoses at `loc` on error.
  mlir::FailureOr<const SafetensorsFile *> file(mlir::Location loc);

private:
  mlir::ModuleOp module;
  std::unique_ptr<SafetensorsFile> opened;
  bool triedOpen = false;
  std::string openError;
};

/// Converts an inline ElementsAttr (dense or dense_resource; f32, f16, bf16,
/// f64) to an fp32 tensor. Fails with a message for other attributes.
llvm::Expected<Tensor> elementsToTensor(mlir::ElementsAttr attr);

/// Stores `t` inline on `op` as a `dense_resource` blob named after the
/// weight (the module keeps its `sxf.weights_file` for the other weights).
void setInlineValue(sxf::WeightOp op, const Tensor &t);

/// The tensors of a safetensors file holding `weights` (collectWeights'
/// map): one per name, in name order, with the op's shape, stored as
/// `dtype`. sxf-export-weights and sxf-prune's out= both write this layout,
/// so their files agree byte for byte.
std::vector<SafetensorsSlot>
weightSlots(const std::map<std::string, sxf::WeightOp> &weights, DType dtype);

/// Collects the module's weights by name. Two ops with the same name must
/// have the same type; a conflict is diagnosed and fails.
mlir::FailureOr<std::map<std::string, sxf::WeightOp>>
collectWeights(mlir::ModuleOp module);

} // namespace sxf

#endif // SXF_WEIGHTS_WEIGHTSTORE_H
