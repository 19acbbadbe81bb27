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

/// How far `got` is from `want` (same size): the elements outside
/// atol + rtol·|want| (NaN on one side only counts; NaN on both does not),
/// the first of them, the largest absolute and relative errors, the
/// relative L2 error and the largest |want|. The one output comparison of
/// sparse-run and sparse-sim.
struct Comparison {
  double maxAbs = 0, maxRel = 0, relL2 = 0, maxRef = 0;
  int64_t bad = 0, firstBad = -1;
};
Comparison compareOutputs(const Tensor &got, const Tensor &want, double rtol,
                          double atol);

} // namespace sxf

#endif // SXF_INTERPRETER_INPUTS_H
