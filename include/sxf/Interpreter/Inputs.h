//===- Inputs.h - Binding a function's inputs from the command line -*- C++ -*-===//
//
// The one implementation of `--input NAME=file.npy` and `--random-inputs
// --seed K` shared by sparse-run and sparse-sim: named .npy files first,
// deterministic random values for the rest.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_INTERPRETER_INPUTS_H
#define SXF_INTERPRETER_INPUTS_H

#include "sxf/Interpreter/Interpreter.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace sxf {

/// The user-facing name of argument/result `i` (`sxf.name`, else
/// `prefix` + i).
std::string valueName(mlir::DictionaryAttr attrs, llvm::StringRef prefix,
                      unsigned i);

/// Binds every argument of `func`: `specs` are NAME=file.npy (NAME is the
/// argument's sxf.name or argN); with `random`, the others get
/// Interpreter::randomInputs(seed). Errors name the argument and the file.
llvm::Expected<std::vector<HostValue>>
bindInputs(Interpreter &interp, mlir::func::FuncOp func,
           llvm::ArrayRef<std::string> specs, bool random, uint64_t seed);

/// How far `got` is from `want` (same shape). An element passes when
///
///   |got − want| <= atol + rtol · max(|want|, max |want| over its row)
///
/// where a row is the last dimension (one token's features or logits).
/// Outputs are sums (dot products, reductions) computed in fp32 by the
/// compiled program and the simulator, in another order than the
/// interpreter's double accumulation: their rounding error scales with the
/// magnitude of the summed terms, which the row's largest value bounds, not
/// with the element itself (a logit that cancels to ~0 still carries the
/// rounding of terms of size ~10). A wrong value (a misplaced index, a
/// missing block) is off by its own magnitude and still fails. NaN on one
/// side only fails, NaN on both passes; an infinity passes only against the
/// same infinity. Reports the failing elements, the first of them, the
/// largest absolute and relative errors, the relative L2 error and the
/// largest finite |want|. The one output comparison of sparse-run and
/// sparse-sim.
struct Comparison {
  double maxAbs = 0, maxRel = 0, relL2 = 0, maxRef = 0;
  int64_t bad = 0, firstBad = -1;
};
Comparison compareOutputs(const Tensor &got, const Tensor &want, double rtol,
                          double atol);

} // namespace sxf

#endif // SXF_INTERPRETER_INPUTS_H
