//===- Pruning.h - Pruning algorithms on weight matrices --------*- C++ -*-===//
//
// The mechanism of pruning, independent of the IR: given a weight matrix
// W[out, in] (and, for the data-aware methods, statistics of its inputs),
// compute which entries to keep and what values they take. The sxf-prune
// pass only selects weights, gathers calibration statistics and calls these.
//
//   magnitude   keep the largest |w| (per tensor, or a threshold shared by
//               all weights with scope=global)           Han et al. 2015
//   block       keep the BxC blocks of largest Frobenius norm (PopSparse's
//               block sizes 1, 4, 8, 16)                  Li et al. 2023
//   nm          keep the N largest |w| of every M consecutive inputs
//   wanda       score |w_ij|·‖X_j‖₂, compare within each output row
//                                                          Sun et al. 2023
//   sparsegpt   one-shot OBS reconstruction with the inverse Hessian of the
//               layer inputs, lazy column blocks          Frantar & Alistarh 2023
//
// Masks are byte vectors in row-major order, 1 = keep.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_PRUNING_PRUNING_H
#define SXF_PRUNING_PRUNING_H

#include "sxf/Support/Tensor.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace sxf {
namespace prune {

using Mask = std::vector<uint8_t>;

/// Number of entries to remove so that `count` entries reach `sparsity`
/// (rounded to nearest; sparsity in [0, 1]).
int64_t pruneCount(int64_t count, double sparsity);

/// Keeps all but the `drop` smallest scores (ties: the lower index is
/// dropped first, so results are deterministic).
Mask dropSmallest(const std::vector<double> &scores, int64_t drop);

/// |w| per tensor.
Mask magnitudeMask(const Tensor &w, double sparsity);
/// The N largest scores of every M consecutive columns of each row are kept.
/// `scores` is row-major [rows, cols]; cols % m == 0.
Mask nmMask(const std::vector<double> &scores, int64_t rows, int64_t cols,
            unsigned n, unsigned m);
/// Within each row, drop the `sparsity` fraction of smallest scores.
Mask perRowMask(const std::vector<double> &scores, int64_t rows, int64_t cols,
                double sparsity);
/// Blocks of br x bc ranked by Frobenius norm; drops the `sparsity` fraction
/// of blocks. br, bc must divide the shape.
Mask blockMask(const Tensor &w, unsigned br, unsigned bc, double sparsity);
/// Wanda scores |w_ij|·colNorm[j].
std::vector<double> wandaScores(const Tensor &w,
                                const std::vector<double> &colNorms);
/// |w| as scores.
std::vector<double> magnitudeScores(const Tensor &w);
/// Zeroes the entries whose mask is 0.
void applyMask(Tensor &w, const Mask &mask);

/// Options of SparseGPT (the defaults are the paper's).
struct SparseGPTOptions {
  double sparsity = 0.5; // unstructured target (ignored when m != 0)
  unsigned n = 0, m = 0; // N:M: keep N of every M (0 = unstructured)
  double damp = 0.01;    // λ = damp · mean(diag H)
  int64_t blocksize = 128;
  /// When set, this keep-mask is used instead of SparseGPT's adaptive mask
  /// selection (tests; pruning with a mask computed elsewhere).
  const Mask *fixedMask = nullptr;
};

/// Accumulates the layer-input Hessian H = 2/nsamples · Σ x xᵀ over
/// calibration tokens, as a running mean over samples (one sample = one
/// sequence), so its scale does not depend on how many were seen.
class HessianAccumulator {
public:
  /// With `normsOnly`, only the column norms are kept (Wanda needs no H).
  explicit HessianAccumulator(int64_t cols, bool normsOnly = false);
  /// Adds one sample: `tokens` rows of `cols` inputs (row-major).
  void addSample(const float *x, int64_t tokens);
  int64_t cols() const { return n; }
  int64_t samples() const { return count; }
  /// H in row-major double, cols x cols.
  const std::vector<double> &hessian();
  /// ‖X_j‖₂ over every token seen (for Wanda).
  std::vector<double> columnNorms() const;

private:
  void flush();
  static constexpr int kFlushEvery = 16;

  int64_t n;
  bool normsOnly;
  int64_t count = 0;
  int pendingSamples = 0;
  std::vector<double> sum;    // Σ XᵀX (lower triangle), flushed
  std::vector<float> pending; // recent samples' Σ XᵀX (lower triangle)
  std::vector<double> h;      // H, materialised by hessian()
  std::vector<double> sumSquares;
};

/// Prunes `w` ([rows, cols], in place) with SparseGPT given the Hessian of
/// its inputs. Fails (with the reason) when the dampened Hessian is not
/// positive definite; the caller may retry with a larger `damp`
/// (SparseGPT issue #26).
llvm::Error sparseGPT(Tensor &w, const std::vector<double> &hessian,
                      const SparseGPTOptions &options);

/// ‖W X − Ŵ X‖²_F / n for a reconstruction check, with H = 2/n Σ x xᵀ:
/// equals ½ · tr((W − Ŵ) H (W − Ŵ)ᵀ).
double reconstructionError(const Tensor &original, const Tensor &pruned,
                           const std::vector<double> &hessian);

} // namespace prune
} // namespace sxf

#endif // SXF_PRUNING_PRUNING_H
