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

} // namespace sxf

#endif // SXF_INTERPRETER_INPUTS_H
