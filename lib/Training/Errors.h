//===- Errors.h - Error helpers of the training library ---------*- C++ -*-===//
//
// Private to lib/Training: how Optimizer.cpp and Sparsity.cpp build their
// llvm::Error messages, in one place.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_LIB_TRAINING_ERRORS_H
#define SXF_LIB_TRAINING_ERRORS_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <sstream>
#include <string>

namespace sxf {
namespace training {
namespace detail {

inline llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// A double as an error message shows it: "0.001", "1", "nan".
inline std::string num(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

} // namespace detail
} // namespace training
} // namespace sxf

#endif // SXF_LIB_TRAINING_ERRORS_H
