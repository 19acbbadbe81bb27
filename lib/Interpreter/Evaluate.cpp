//===- Evaluate.cpp - Model quality metrics on the interpreter --*- C++ -*-===//

#include "sxf/Interpreter/Evaluate.h"

#include "sxf_rt/eval.h"

using namespace mlir;

namespace sxf {

FailureOr<PerplexityResult> evaluatePerplexity(Interpreter &interp,
                                               func::FuncOp func,
                                               const IntTensor &windows,
                                               int64_t chunk) {
  if (func.getNumArguments() != 1 || func.getNumResults() < 1)
    return emitError(func.getLoc(), "perplexity needs a model with one token-id input "
                          "and logits as its first result");
  auto in = dyn_cast<RankedTensorType>(func.getArgument(0).getType());
  auto out = dyn_cast<RankedTensorType>(func.getResultTypes()[0]);
  if (!in || !out || in.getRank() != 2 || !in.hasStaticShape() ||
      !isa<IntegerType>(in.getElementType()) || out.getRank() != 3 ||
      !out.hasStaticShape())
    return emitError(func.getLoc(), "perplexity needs an input tensor<BxSxi32/i64> and "
                          "a first result tensor<BxSxVxf32>, got ")
           << in << " -> " << out;
  int64_t batch = in.getDimSize(0), seq = in.getDimSize(1);
  int64_t vocab = out.getDimSize(2);
  if (batch <= 0 || seq < 2 || vocab <= 0 || out.getDimSize(0) != batch ||
      out.getDimSize(1) != seq)
    return emitError(func.getLoc()) << "perplexity needs logits [B, S, V] for an "
                               "input [B, S] with S >= 2, got "
                            << in << " -> " << out;
  if (windows.shape.size() != 2 || windows.shape[1] != seq ||
      windows.shape[0] % batch != 0)
    return emitError(func.getLoc()) << "token windows of shape "
                            << shapeToString(windows.shape)
                            << " do not fit the model input " << in
                            << " (expected [N, " << seq << "] with N a "
                            << "multiple of " << batch << ")";
  if (windows.shape[0] == 0)
    return emitError(func.getLoc())
           << "token windows of shape " << shapeToString(windows.shape)
           << " are empty: perplexity needs at least one window";
  int64_t samples = windows.shape[0] / batch;
  for (int64_t v : windows.data)
    if (v < 0 || v >= vocab)
      return emitError(func.getLoc()) << "token id " << v
                              << " is outside the vocabulary [0, " << vocab
                              << ")";
  // The formula is the runtime's (sxf_rt/eval.h), shared with generated
  // programs.
  sxf_rt::Perplexity ppl;
  for (int64_t s0 = 0; s0 < samples; s0 += chunk) {
    std::vector<std::vector<HostValue>> batchInputs;
    for (int64_t s = s0; s < std::min(samples, s0 + chunk); ++s) {
      IntTensor t;
      t.shape = {batch, seq};
      t.data.assign(windows.data.begin() + s * batch * seq,
                    windows.data.begin() + (s + 1) * batch * seq);
      batchInputs.push_back({HostValue::ints(std::move(t))});
    }
    FailureOr<std::vector<std::vector<HostValue>>> outs =
        interp.runBatch(func, batchInputs, nullptr);
    if (failed(outs))
      return failure();
    for (auto [k, result] : llvm::enumerate(*outs)) {
      const Tensor &logits = result[0].f;
      const IntTensor &ids = batchInputs[k][0].i;
      ppl.addWindows(logits.data.data(), ids.data.data(), batch, seq, vocab);
    }
  }
  PerplexityResult res;
  res.meanNll = ppl.meanNll();
  res.perplexity = ppl.perplexity();
  res.windows = ppl.windows;
  res.tokens = ppl.tokens;
  res.line = ppl.line();
  return res;
}

} // namespace sxf
