//===- EmitCPlan.h - what sxf-lower-to-emitc decides before rewriting -----===//
//
// The analysis the conversion patterns of SxfToEmitC.cpp share. Lowering one
// op to a runtime call needs facts about the whole entry function, which a
// pattern that sees one op cannot compute:
//
//  - the symbolic shapes: which dims are runtime sizes (read from
//    sxf_forward's `dims`), unified across the ops that require them equal
//    (SymbolicShapes);
//  - the workspace plan: each activation's offset in the one fp32 workspace,
//    buffers reused once dead (first fit over liveness), in floats per token;
//  - the weights container: every weight encoded in its #sxf.format by
//    lib/Formats, written before any IR changes;
//  - the spec string `main` hands the runtime (inputs, outputs, workspace,
//    weights).
//
// EmitCPlan::build validates everything the patterns rely on (ops the CPU
// runtime has no kernel for, composite layers, names, metadata-only weights,
// integer results) with located errors, so a pattern never fails halfway.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_LIB_CONVERSION_SXFTOEMITC_EMITCPLAN_H
#define SXF_LIB_CONVERSION_SXFTOEMITC_EMITCPLAN_H

#include "sxf/Conversion/SxfToEmitC/SxfToEmitC.h"
#include "sxf/Support/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sxf {

/// A size: static, or a product of runtime dims of the entry's inputs,
/// factor × Π dims[k] for k in syms (indices into sxf_forward's `dims`,
/// sorted; repeated for a square).
struct Size {
  int64_t factor = 1;
  llvm::SmallVector<int64_t, 4> syms;

  static Size fixed(int64_t n) { return Size{n, {}}; }
  static Size symbol(int64_t k) { return Size{1, {k}}; }
  bool isStatic() const { return syms.empty(); }
  Size operator*(const Size &o) const;
  bool operator==(const Size &o) const {
    return factor == o.factor && syms == o.syms;
  }
  bool operator!=(const Size &o) const { return !(*this == o); }
};

/// One Size per dim; each dim is static or a single runtime dim.
using SymShape = llvm::SmallVector<Size, 4>;

/// The product of `dims` (1 for none).
Size product(llvm::ArrayRef<Size> dims);

/// The shapes of the entry's values in terms of the runtime dims of its
/// inputs. Every dim of an entry input but the feature dim of a float input
/// (for token ids, all of them) is a runtime size; every supported op keeps
/// the leading dims of its input and changes only the feature dim, unifying
/// dims that it requires equal. With `dynamic` false every dim is static
/// (the fixed-shape program). infer() returns why the entry cannot have
/// dynamic shapes ("" when it can).
///
///   SymbolicShapes s(func, /*dynamic=*/true);
///   std::string why = s.infer();   // then s.shape(v), s.tokens()
class SymbolicShapes {
public:
  SymbolicShapes(mlir::func::FuncOp func, bool dynamic)
      : func(func), dynamic(dynamic) {}

  std::string infer();

  /// The shape of `v` (runtime dims by their representatives).
  SymShape shape(mlir::Value v) const;
  /// Rows: the product of all dims but the last.
  Size rows(mlir::Value v) const;
  Size numel(mlir::Value v) const { return product(shape(v)); }
  /// The tokens T every activation of the workspace is a multiple of
  /// (1 for the fixed-shape program).
  const Size &tokens() const { return tokenCount; }
  /// Input dims: flat index into `dims` of dim d of argument k.
  int64_t flatIndex(unsigned arg, int64_t d) const { return base[arg] + d; }
  /// The representative of flat dim k (the smallest flat index it was
  /// unified with).
  int64_t find(int64_t k) const {
    while (parent[k] != k)
      k = parent[k];
    return k;
  }
  /// Whether flat dim k of the inputs is a runtime size.
  bool isDynamic(int64_t k) const { return dynamicDim[k]; }

private:
  std::string unify(const Size &a, const Size &b);
  std::string unifyShapes(llvm::ArrayRef<Size> a, llvm::ArrayRef<Size> b);
  std::string inferOp(mlir::Operation *op);

  mlir::func::FuncOp func;
  bool dynamic;
  llvm::DenseMap<mlir::Value, SymShape> shapes;
  llvm::SmallVector<int64_t> base, parent;
  llvm::SmallVector<bool> dynamicDim;
  Size tokenCount;
};

/// The plan of one entry function (see the file comment). Values are the
/// entry's original SSA values: the patterns query it with their op's
/// original operands and results.
class EmitCPlan {
public:
  /// Validates the entry, infers shapes, plans the workspace and writes the
  /// weights container `options.weightsFile`. Errors are located
  /// diagnostics.
  static mlir::FailureOr<std::unique_ptr<EmitCPlan>>
  build(mlir::ModuleOp module, const LowerOptions &options);

  mlir::func::FuncOp entry() const { return func; }
  const SymbolicShapes &shapes() const { return *symbolic; }
  /// The workspace offset of activation `v` in floats per token (times
  /// shapes().tokens() at run time); every offset is a multiple of 16.
  int64_t offset(mlir::Value v) const { return offsets.lookup(v); }
  /// The spec sxf_rt::runMain parses (runtime/include/sxf_rt/harness.h).
  /// Computed by build(), so it outlives the entry function.
  const std::string &spec() const { return specText; }
  /// The entry's location (also after the conversion erased it).
  mlir::Location location() const { return loc; }
  const LowerOptions &options() const { return opt; }

private:
  EmitCPlan(mlir::func::FuncOp func, const LowerOptions &opt)
      : func(func), opt(opt), loc(func.getLoc()) {}
  mlir::LogicalResult checkNames();
  mlir::LogicalResult collectWeights(mlir::ModuleOp module);
  void inferShapes();
  void planWorkspace();
  mlir::LogicalResult writeContainer(mlir::ModuleOp module);
  std::string buildSpec();
  /// The spec's text for the dims of `s` ("?48", "*2", "@0.1", "257").
  std::string specDims(const SymShape &s);

  mlir::func::FuncOp func;
  LowerOptions opt;
  mlir::Location loc;
  std::string specText;
  // Weights: encoded arrays and dense tensors for the container.
  std::vector<std::pair<std::string, std::vector<uint8_t>>> arrays;
  std::vector<std::pair<std::string, Tensor>> denseTensors;
  std::map<std::string, std::string> metadata;
  std::unique_ptr<SymbolicShapes> symbolic;
  // Workspace: offsets and size in floats per token (times tokens()).
  llvm::DenseMap<mlir::Value, int64_t> offsets;
  int64_t workspaceUnits = 0;
};

} // namespace sxf

#endif // SXF_LIB_CONVERSION_SXFTOEMITC_EMITCPLAN_H
