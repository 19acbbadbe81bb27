//===- Pruning.cpp - Pruning algorithms on weight matrices ------*- C++ -*-===//

#include "sxf/Pruning/Pruning.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sxf {
namespace prune {

using RowMatrixD =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixF =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

int64_t pruneCount(int64_t count, double sparsity) {
  return std::clamp<int64_t>(std::llround(sparsity * double(count)), 0,
                             count);
}

Mask dropSmallest(const std::vector<double> &scores, int64_t drop) {
  Mask mask(scores.size(), 1);
  if (drop <= 0)
    return mask;
  std::vector<int64_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  auto less = [&](int64_t a, int64_t b) {
    return scores[a] < scores[b] || (scores[a] == scores[b] && a < b);
  };
  drop = std::min<int64_t>(drop, scores.size());
  std::nth_element(order.begin(), order.begin() + (drop - 1), order.end(),
                   less);
  for (int64_t i = 0; i < drop; ++i)
    mask[order[i]] = 0;
  return mask;
}

std::vector<double> magnitudeScores(const Tensor &w) {
  std::vector<double> s(w.data.size());
  for (size_t i = 0; i < s.size(); ++i)
    s[i] = std::fabs(w.data[i]);
  return s;
}

Mask magnitudeMask(const Tensor &w, double sparsity) {
  return dropSmallest(magnitudeScores(w), pruneCount(w.numel(), sparsity));
}

Mask nmMask(const std::vector<double> &scores, int64_t rows, int64_t cols,
            unsigned n, unsigned m) {
  Mask mask(scores.size(), 1);
  std::vector<double> group(m);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t g = 0; g + m <= cols; g += m) {
      const double *s = &scores[r * cols + g];
      group.assign(s, s + m);
      Mask gm = dropSmallest(group, m - n);
      for (unsigned j = 0; j < m; ++j)
        mask[r * cols + g + j] = gm[j];
    }
  return mask;
}

Mask perRowMask(const std::vector<double> &scores, int64_t rows, int64_t cols,
                double sparsity) {
  Mask mask(scores.size(), 1);
  int64_t drop = pruneCount(cols, sparsity);
  for (int64_t r = 0; r < rows; ++r) {
    std::vector<double> row(scores.begin() + r * cols,
                            scores.begin() + (r + 1) * cols);
    Mask rm = dropSmallest(row, drop);
    std::copy(rm.begin(), rm.end(), mask.begin() + r * cols);
  }
  return mask;
}

Mask blockMask(const Tensor &w, unsigned br, unsigned bc, double sparsity) {
  int64_t rows = w.shape[0], cols = w.shape[1];
  int64_t nbr = rows / br, nbc = cols / bc;
  std::vector<double> norms(nbr * nbc, 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      double v = w.data[r * cols + c];
      norms[(r / br) * nbc + c / bc] += v * v;
    }
  Mask blocks = dropSmallest(norms, pruneCount(nbr * nbc, sparsity));
  Mask mask(w.data.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      mask[r * cols + c] = blocks[(r / br) * nbc + c / bc];
  return mask;
}

std::vector<double> wandaScores(const Tensor &w,
                                const std::vector<double> &colNorms) {
  int64_t cols = w.shape.back();
  std::vector<double> s(w.data.size());
  for (size_t i = 0; i < s.size(); ++i)
    s[i] = std::fabs(w.data[i]) * colNorms[i % cols];
  return s;
}

void applyMask(Tensor &w, const Mask &mask) {
  for (size_t i = 0; i < w.data.size(); ++i)
    if (!mask[i])
      w.data[i] = 0.0f;
}

//===----------------------------------------------------------------------===//
// Hessian accumulation
//===----------------------------------------------------------------------===//

HessianAccumulator::HessianAccumulator(int64_t cols, bool normsOnly)
    : n(cols), normsOnly(normsOnly), sum(normsOnly ? 0 : cols * cols, 0.0),
      pending(normsOnly ? 0 : cols * cols, 0.0f), sumSquares(cols, 0.0) {}

void HessianAccumulator::flush() {
  if (pendingSamples == 0)
    return;
  for (size_t i = 0; i < sum.size(); ++i) {
    sum[i] += pending[i];
    pending[i] = 0.0f;
  }
  pendingSamples = 0;
}

const std::vector<double> &HessianAccumulator::hessian() {
  flush();
  // The lower triangle holds Σ XᵀX; H = 2/N·Σ XᵀX, symmetric.
  h.assign(n * n, 0.0);
  double scale = count ? 2.0 / double(count) : 0.0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j <= i; ++j)
      h[i * n + j] = h[j * n + i] = scale * sum[i * n + j];
  return h;
}

void HessianAccumulator::addSample(const float *x, int64_t tokens) {
  for (int64_t t = 0; t < tokens; ++t)
    for (int64_t j = 0; j < n; ++j)
      sumSquares[j] += double(x[t * n + j]) * x[t * n + j];
  if (normsOnly) {
    ++count;
    return;
  }
  // Σ XᵀX: float products of one sequence at a time (short) summed in a
  // float buffer for up to kFlushEvery samples, then into double. The
  // scale 2/N is applied when H is read, so H = 2/N·Σ XᵀX as in SparseGPT's
  // running mean.
  Eigen::Map<const RowMatrixF> xm(x, tokens, n);
  Eigen::Map<RowMatrixF> pm(pending.data(), n, n);
  pm.selfadjointView<Eigen::Lower>().rankUpdate(xm.transpose());
  ++count;
  if (++pendingSamples == kFlushEvery)
    flush();
}

std::vector<double> HessianAccumulator::columnNorms() const {
  std::vector<double> out(n);
  for (int64_t j = 0; j < n; ++j)
    out[j] = std::sqrt(sumSquares[j]);
  return out;
}

//===----------------------------------------------------------------------===//
// SparseGPT
//===----------------------------------------------------------------------===//

/// The inverse of an upper-triangular matrix by recursive 2x2 blocking:
/// inv([A B; 0 C]) = [A⁻¹, −A⁻¹·B·C⁻¹; 0, C⁻¹]. The off-diagonal blocks are
/// GEMMs, which Eigen vectorises and runs on every core; a triangular
/// solve against the identity would be serial and do three times the work.
static RowMatrixF upperTriangularInverse(const RowMatrixF &r) {
  const int64_t n = r.rows();
  if (n <= 64) {
    RowMatrixF inv = RowMatrixF::Identity(n, n);
    r.triangularView<Eigen::Upper>().solveInPlace(inv);
    inv.triangularView<Eigen::StrictlyLower>().setZero();
    return inv;
  }
  const int64_t h = n / 2;
  RowMatrixF aInv = upperTriangularInverse(r.topLeftCorner(h, h));
  RowMatrixF cInv = upperTriangularInverse(r.bottomRightCorner(n - h, n - h));
  RowMatrixF inv = RowMatrixF::Zero(n, n);
  RowMatrixF bc = r.topRightCorner(h, n - h) * cInv;
  inv.topRightCorner(h, n - h).noalias() = -aInv * bc;
  inv.topLeftCorner(h, h) = aInv;
  inv.bottomRightCorner(n - h, n - h) = cInv;
  return inv;
}

llvm::Error sparseGPT(Tensor &w, const std::vector<double> &hessian,
                      const SparseGPTOptions &opts) {
  if (w.rank() != 2)
    return llvm::createStringError("sparsegpt needs a 2-D weight");
  const int64_t rows = w.shape[0], cols = w.shape[1];
  if (static_cast<int64_t>(hessian.size()) != cols * cols)
    return llvm::createStringError(
        "sparsegpt: Hessian is %zu entries, expected %lld x %lld",
        hessian.size(), (long long)cols, (long long)cols);
  if (opts.fixedMask &&
      static_cast<int64_t>(opts.fixedMask->size()) != rows * cols)
    return llvm::createStringError("sparsegpt: mask size does not match");
  if (opts.m && opts.blocksize % opts.m)
    return llvm::createStringError(
        "sparsegpt: blocksize %lld is not a multiple of M = %u (each N:M "
        "group must lie inside one column block)",
        (long long)opts.blocksize, opts.m);
  if (opts.m && cols % opts.m)
    return llvm::createStringError("sparsegpt: M = %u does not divide %lld "
                                   "input features",
                                   opts.m, (long long)cols);
  RowMatrixF W(rows, cols);
  for (int64_t i = 0; i < rows * cols; ++i)
    W.data()[i] = w.data[i];
  RowMatrixF H =
      Eigen::Map<const RowMatrixD>(hessian.data(), cols, cols).cast<float>();

  // Inputs that never fire carry no information: their weights go.
  for (int64_t j = 0; j < cols; ++j)
    if (H(j, j) == 0.0) {
      H(j, j) = 1.0;
      W.col(j).setZero();
    }
  float damp = static_cast<float>(opts.damp * H.diagonal().cast<double>().mean());
  H.diagonal().array() += damp;

  // U = the upper Cholesky factor of H⁻¹ (H⁻¹ = UᵀU), without forming H⁻¹:
  // with J the exchange matrix, Cholesky of J·H·J = L'L'ᵀ gives H = R·Rᵀ
  // with R = J·L'·J upper triangular, so H⁻¹ = R⁻ᵀR⁻¹ and U = R⁻¹. One
  // Cholesky and one triangular inverse instead of a Cholesky, a full
  // inverse and a second Cholesky (a quarter of the flops).
  RowMatrixF reversed = H.reverse();
  Eigen::LLT<RowMatrixF> llt(reversed);
  if (llt.info() != Eigen::Success || !llt.matrixL().toDenseMatrix().allFinite())
    return llvm::createStringError(
        "sparsegpt: the dampened Hessian is not positive definite "
        "(damp = %g); raise damp",
        opts.damp);
  RowMatrixF R = RowMatrixF(llt.matrixL()).reverse();
  RowMatrixF U = upperTriangularInverse(R);

  const bool nm = opts.m != 0;
  const int64_t bs = std::max<int64_t>(1, opts.blocksize);
  for (int64_t i1 = 0; i1 < cols; i1 += bs) {
    int64_t i2 = std::min(i1 + bs, cols), count = i2 - i1;
    RowMatrixF W1 = W.middleCols(i1, count);
    RowMatrixF Q1 = RowMatrixF::Zero(rows, count);
    RowMatrixF Err1 = RowMatrixF::Zero(rows, count);
    auto Hinv1 = U.block(i1, i1, count, count);
    // prune[r, c] = 1 marks an entry to remove.
    std::vector<uint8_t> prune(rows * count, 0);
    if (opts.fixedMask) {
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < count; ++c)
          prune[r * count + c] = !(*opts.fixedMask)[r * cols + i1 + c];
    } else if (!nm) {
      // Adaptive mask for the whole block: smallest w²/[H⁻¹]²_cc.
      std::vector<double> scores(rows * count);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < count; ++c) {
          double d = Hinv1(c, c);
          scores[r * count + c] = W1(r, c) * W1(r, c) / (d * d);
        }
      Mask keep = dropSmallest(scores, pruneCount(rows * count, opts.sparsity));
      for (size_t k = 0; k < keep.size(); ++k)
        prune[k] = !keep[k];
    }
    for (int64_t c = 0; c < count; ++c) {
      if (!opts.fixedMask && nm && c % opts.m == 0) {
        // Mask for the next group of M columns, from the current
        // (already updated) weights.
        for (int64_t r = 0; r < rows; ++r) {
          std::vector<double> group(opts.m);
          for (unsigned j = 0; j < opts.m; ++j) {
            double d = Hinv1(c + j, c + j);
            group[j] = W1(r, c + j) * W1(r, c + j) / (d * d);
          }
          Mask gm = dropSmallest(group, opts.m - opts.n);
          for (unsigned j = 0; j < opts.m; ++j)
            prune[r * count + c + j] = !gm[j];
        }
      }
      float d = Hinv1(c, c);
      Eigen::VectorXf q = W1.col(c);
      for (int64_t r = 0; r < rows; ++r)
        if (prune[r * count + c])
          q(r) = 0.0;
      Q1.col(c) = q;
      Eigen::VectorXf err = (W1.col(c) - q) / d;
      // Lazy update of the rest of the block.
      W1.rightCols(count - c).noalias() -=
          err * Hinv1.row(c).tail(count - c);
      Err1.col(c) = err;
    }
    W.middleCols(i1, count) = Q1;
    if (i2 < cols)
      W.rightCols(cols - i2).noalias() -=
          Err1 * U.block(i1, i2, count, cols - i2);
  }
  for (int64_t i = 0; i < rows * cols; ++i)
    w.data[i] = W.data()[i];
  return llvm::Error::success();
}

double reconstructionError(const Tensor &original, const Tensor &pruned,
                           const std::vector<double> &hessian) {
  int64_t rows = original.shape[0], cols = original.shape[1];
  RowMatrixD D(rows, cols);
  for (int64_t i = 0; i < rows * cols; ++i)
    D.data()[i] = double(original.data[i]) - pruned.data[i];
  Eigen::Map<const RowMatrixD> H(hessian.data(), cols, cols);
  return 0.5 * (D * H).cwiseProduct(D).sum();
}

} // namespace prune
} // namespace sxf
