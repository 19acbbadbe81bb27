//===- Evaluate.h - Model quality metrics on the interpreter ----*- C++ -*-===//

#ifndef SXF_INTERPRETER_EVALUATE_H
#define SXF_INTERPRETER_EVALUATE_H

#include "sxf/Interpreter/Interpreter.h"

namespace sxf {

struct PerplexityResult {
  double perplexity = 0;
  double meanNll = 0;  // nats per predicted token
  int64_t windows = 0; // sequences evaluated
  int64_t tokens = 0;  // next-token predictions scored
  /// The line sparse-run and generated programs print
  /// (sxf_rt::Perplexity::line()).
  std::string line;
};

/// Next-token perplexity of a causal language model: `windows` is [N, S]
/// token ids; the entry takes one token-id input [B, S] and returns logits
/// [B, S, V] first. Within each window, position t predicts token t+1:
/// exp(mean over windows and t < S-1 of −log softmax(logits[t])[tok[t+1]]).
/// Windows are run `chunk` at a time (B per sample); N must be a multiple
/// of B. Diagnoses on the function on error.
mlir::FailureOr<PerplexityResult>
evaluatePerplexity(Interpreter &interp, mlir::func::FuncOp func,
                   const IntTensor &windows, int64_t chunk = 16);

} // namespace sxf

#endif // SXF_INTERPRETER_EVALUATE_H
