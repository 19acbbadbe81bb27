//===- sxf_rt/eval.h - Next-token perplexity, one formula -------*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only). The next-token negative log-likelihood that `sparse-run --eval-ppl`
// (lib/Interpreter/Evaluate.cpp) and generated programs (`--eval-ppl`,
// harness.h) both compute, so the two cannot drift:
//
//   Perplexity p;
//   p.addWindows(logits, ids, n, seq, vocab);   // logits [n, seq, vocab]
//   ...                                         // ids [n, seq]
//   p.perplexity();                             // exp(mean NLL)
//
// Within a window, position t < seq-1 predicts token t+1; its NLL is
// −log softmax(logits[t])[ids[t+1]], computed in double (max-shifted).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_EVAL_H
#define SXF_RT_EVAL_H

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace sxf_rt {

/// −log softmax(row)[target] in nats, in double; `row` holds `vocab` logits
/// and 0 <= target < vocab.
inline double nextTokenNll(const float *row, int64_t vocab, int64_t target) {
  double mx = row[0];
  for (int64_t v = 1; v < vocab; ++v)
    mx = std::max<double>(mx, row[v]);
  double sum = 0;
  for (int64_t v = 0; v < vocab; ++v)
    sum += std::exp(double(row[v]) - mx);
  return -(double(row[target]) - mx - std::log(sum));
}

/// Running next-token NLL over token windows.
struct Perplexity {
  double nll = 0;      // summed, nats
  int64_t windows = 0; // sequences scored
  int64_t tokens = 0;  // next-token predictions scored

  /// Scores `n` windows of `seq` tokens: `logits` is [n, seq, vocab] fp32,
  /// `ids` [n, seq] (int32 or int64, each in [0, vocab)).
  template <class Id>
  void addWindows(const float *logits, const Id *ids, int64_t n, int64_t seq,
                  int64_t vocab) {
    for (int64_t b = 0; b < n; ++b)
      for (int64_t t = 0; t + 1 < seq; ++t) {
        nll += nextTokenNll(logits + (b * seq + t) * vocab, vocab,
                            int64_t(ids[b * seq + t + 1]));
        ++tokens;
      }
    windows += n;
  }
  /// Mean NLL per predicted token (nats); 0 before any token.
  double meanNll() const { return tokens ? nll / double(tokens) : 0.0; }
  double perplexity() const { return std::exp(meanNll()); }
  /// The line both tools print (sparse-run writes the same format with
  /// llvm::formatv): "perplexity: P (mean NLL M nats over T tokens in N
  /// windows)".
  std::string line() const {
    char buf[160];
    std::snprintf(buf, sizeof(buf),
                  "perplexity: %.4f (mean NLL %.6f nats over %" PRId64
                  " tokens in %" PRId64 " windows)",
                  perplexity(), meanNll(), tokens, windows);
    return buf;
  }
};

} // namespace sxf_rt

#endif // SXF_RT_EVAL_H
