//===- Interpreter.h - Reference interpreter for sxf modules ----*- C++ -*-===//
//
// Executes an entry function of an sxf module op by op on the host in fp32,
// with the kernels of Kernels.h. It is the numerical ground truth: passes,
// the simulator and emitted code are all checked against it.
//
//   sxf::Interpreter interp(module);
//   FailureOr<func::FuncOp> f = interp.entry("");          // @forward
//   FailureOr<std::vector<sxf::HostValue>> outs = interp.run(*f, inputs);
//
// Errors (bad inputs, ids out of range, missing weight values, unsupported
// ops) are emitted as MLIR diagnostics at the offending op.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_INTERPRETER_INTERPRETER_H
#define SXF_INTERPRETER_INTERPRETER_H

#include "sxf/Interpreter/Kernels.h"
#include "sxf/Support/Tensor.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <map>
#include <string>
#include <vector>

namespace sxf {

/// The function named `name`; with an empty name, `@forward` if present,
/// else the only public function. Diagnoses on the module when not found.
/// The one rule of which function a tool or pass runs by default.
mlir::FailureOr<mlir::func::FuncOp> lookupEntryFunction(mlir::ModuleOp module,
                                                        llvm::StringRef name);

/// The reference kernels' activation for an op's (optional) activation.
ref::Activation refActivation(std::optional<ActivationKind> kind);

/// A run-time value: a float tensor (fp32, or fp64 in the double-precision
/// mode) or an integer (token id) tensor.
template <class T> struct BasicHostValue {
  bool isInt = false;
  BasicTensor<T> f;
  IntTensor i;

  static BasicHostValue floats(BasicTensor<T> t) {
    BasicHostValue v;
    v.f = std::move(t);
    return v;
  }
  static BasicHostValue ints(IntTensor t) {
    BasicHostValue v;
    v.isInt = true;
    v.i = std::move(t);
    return v;
  }
  const std::vector<int64_t> &shape() const { return isInt ? i.shape : f.shape; }
};
using HostValue = BasicHostValue<float>;
using HostValueD = BasicHostValue<double>;

/// Watches a batched run (see Interpreter::runBatch). Passes that need the
/// inputs of each linear layer (calibration for Wanda and SparseGPT) derive
/// from it.
class LinearObserver {
public:
  virtual ~LinearObserver();
  /// Called before `op` executes, with its input in every sample and its
  /// weight, which the observer may change in place: the linear and every
  /// later use of the weight see the new values (so layer l+1 is fed by the
  /// already-pruned layer l).
  virtual mlir::LogicalResult beforeLinear(LinearOp op,
                                           llvm::ArrayRef<const Tensor *> inputs,
                                           Tensor &weight) = 0;
  /// Called once per weight name after the last op of the function that
  /// uses it has run in every sample, with its final values (`op` is the
  /// first sxf.weight of that name). With Interpreter::setReleaseWeights the
  /// interpreter drops the values right after this call, so this is where
  /// an observer that writes weights out as it goes takes them.
  virtual mlir::LogicalResult weightDone(WeightOp op, Tensor &weight);
};

/// A replacement for the reference linear kernel (same contract as
/// ref::linear, activation code as ref::Activation cast to int).
using LinearImpl = std::function<llvm::Expected<Tensor>(
    const Tensor &x, const Tensor &w, const Tensor *b, int activation)>;

/// Replacements for the reference kernels of sxf.linear_grad_input and
/// sxf.linear_grad_weight (same contracts as ref::linearGradInput and
/// ref::linearGradWeight; the stored-position mask is the interpreter's).
using LinearGradInputImpl =
    std::function<llvm::Expected<Tensor>(const Tensor &dy, const Tensor &w)>;
using LinearGradWeightImpl = std::function<llvm::Expected<Tensor>(
    const Tensor &dy, const Tensor &x, const std::vector<bool> &stored)>;
struct LinearGradImpls {
  LinearGradInputImpl input;
  LinearGradWeightImpl weight;
};

class Interpreter {
public:
  explicit Interpreter(mlir::ModuleOp module);

  /// Use `impl` instead of the reference kernel for sxf.linear (a faster
  /// kernel for calibration runs; the reference stays the default).
  void setLinearImpl(LinearImpl impl) { linearImpl = std::move(impl); }
  /// The same for the backward products of a linear (fp32 runs only).
  void setLinearGradImpls(LinearGradInputImpl input,
                          LinearGradWeightImpl weight) {
    gradImpls.input = std::move(input);
    gradImpls.weight = std::move(weight);
  }

  /// Fixes the positions weight `name` stores (row-major flags, one per
  /// entry): sxf.linear_grad_weight keeps its gradient there and nowhere
  /// else. Training sets it because a stored value may be exactly zero (a
  /// regrown weight starts at 0), which the format rule, reading the
  /// nonzeros, would drop. An empty vector removes the pattern.
  void setStoredPattern(const std::string &name, std::vector<bool> pattern) {
    if (pattern.empty())
      storedPatterns.erase(name);
    else
      storedPatterns[name] = std::move(pattern);
  }

  /// Makes `values` the values of weight `name` for every later run,
  /// instead of what the module's store holds (a training driver owns its
  /// parameters this way). Returns the tensor the interpreter reads: the
  /// caller may change its values in place between runs (not its shape),
  /// and the next run sees them. The reference stays valid until the weight
  /// is bound again, released (setReleaseWeights) or the interpreter dies.
  /// A run fails, at the sxf.weight, when the shape differs from the op's.
  Tensor &bindWeight(const std::string &name, Tensor values);

  /// Drop each weight's values from the cache after the last op that uses
  /// it (default: keep every loaded weight for later runs and for
  /// loadedWeights()). A run over a model larger than memory then holds the
  /// weights of about one layer at a time.
  void setReleaseWeights(bool release) { releaseWeights = release; }

  /// Runs every sample through `func` in lockstep, op by op, calling
  /// `observer` before each sxf.linear. Values are freed after their last
  /// use and weights are shared by all samples.
  mlir::FailureOr<std::vector<std::vector<HostValue>>>
  runBatch(mlir::func::FuncOp func,
           const std::vector<std::vector<HostValue>> &samples,
           LinearObserver *observer);

  /// Runs `func` with every kernel in double precision: float inputs and
  /// weights are widened from fp32, and `weightOverrides` (by weight name)
  /// replace a weight's values for this run only (same shape required). It
  /// is the reference for finite-difference checks of gradients, where fp32
  /// rounding would swamp a central difference. The linear replacement and
  /// observers do not apply; the fp32 weight cache is read, never changed.
  mlir::FailureOr<std::vector<HostValueD>>
  runDouble(mlir::func::FuncOp func, const std::vector<HostValue> &inputs,
            const std::map<std::string, TensorD> &weightOverrides = {});

  /// The current values of every weight loaded so far (after a run with an
  /// observer: the changed values).
  const std::map<std::string, std::shared_ptr<HostValue>> &loadedWeights() const {
    return cache;
  }

  /// lookupEntryFunction on the interpreter's module.
  mlir::FailureOr<mlir::func::FuncOp> entry(llvm::StringRef name);

  /// Checks that `inputs` match the entry's argument types (count, int vs
  /// float, static extents), then runs it.
  mlir::FailureOr<std::vector<HostValue>>
  run(mlir::func::FuncOp func, const std::vector<HostValue> &inputs);

  /// Deterministic inputs for `func`: floats ~ N(0, 1), token ids uniform
  /// in [0, vocab) where vocab comes from the embedding table the argument
  /// feeds (else [0, 2)). Dynamic extents are an error.
  mlir::FailureOr<std::vector<HostValue>> randomInputs(mlir::func::FuncOp func,
                                                       uint64_t seed);

private:
  mlir::ModuleOp module;
  WeightStore weights;
  mlir::LogicalResult checkInputs(mlir::func::FuncOp func,
                                  const std::vector<HostValue> &inputs);

  template <class T>
  mlir::FailureOr<std::vector<std::vector<BasicHostValue<T>>>>
  runImpl(mlir::func::FuncOp func,
          const std::vector<std::vector<BasicHostValue<T>>> &samples,
          LinearObserver *observer,
          std::map<std::string, std::shared_ptr<BasicHostValue<T>>> &weightCache);

  /// Weight values loaded so far, by name (shared by all runs and samples).
  std::map<std::string, std::shared_ptr<HostValue>> cache;
  LinearImpl linearImpl;
  LinearGradImpls gradImpls;
  bool releaseWeights = false;
  std::map<std::string, std::vector<bool>> storedPatterns;
};

/// The positions of the 2-D weight `weight` (of `shape`, `nonzero` its
/// row-major nonzero flags) whose gradient sxf.linear_grad_weight computes:
/// the rule of its #sxf.format (formats::storedPositions); a weight with a
/// sparsity but no format is taken as bsr for a block pattern and csr
/// otherwise. Empty: every position (dense). Errors (a sparse weight that
/// is not 2-D) are reported at `at`. The interpreter and the functional
/// simulator both ask here.
/// Whether AdamW decays `weight` (the usual convention, sparse-train's and
/// sxf-tile's optimizer=adamw): a weight some sxf.linear of its function
/// multiplies, and no sxf.embedding reads as its table (a tied LM head is an
/// embedding); not biases, norm gains or embedding tables.
bool adamwDecays(WeightOp weight);

mlir::FailureOr<std::vector<bool>>
weightStoredPositions(WeightOp weight, const std::vector<bool> &nonzero,
                      llvm::ArrayRef<int64_t> shape, mlir::Operation *at);

} // namespace sxf

#endif // SXF_INTERPRETER_INTERPRETER_H
