//===- Optimizer.h - AdamW, the learning-rate schedule, clipping -*- C++
//-*-===//
//
// The optimizer of sparse training (issue 16) on flat fp32 arrays, with no
// MLIR dependency (LLVM Support only). A parameter is whatever array the
// caller trains: for a sparse weight its stored values, in its format's
// order (the `values` array of formats::encode, the order sxf_rt::sddmm
// writes dW in), so the optimizer state m, v is laid out like the values and
// lives in the weight's format; for a dense parameter (embedding, norm gain,
// bias) the whole tensor. After a pattern update the state moves with
// remapStored (Sparsity.h).
//
//   AdamWOptions opt;                     // lr set per step from a schedule
//   LrSchedule sched{/*peakLr=*/6e-4, /*warmupSteps=*/100,
//   /*totalSteps=*/2000}; for (int64_t t = 1; t <= 2000; ++t) {
//     ... gradients into g1, g2 ...
//     llvm::Expected<double> norm = clipGradNorm({g1, g2}, /*maxNorm=*/1.0);
//     opt.lr = learningRate(sched, t);
//     if (llvm::Error e = adamwStep(p1, g1, m1, v1, t, opt)) return e;
//     ...
//   }
//
// AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization",
// ICLR 2019, Algorithm 2) in the parameterisation of torch.optim.AdamW: the
// learning rate lr_t multiplies both the Adam step and the decay, for step
// t >= 1 (the bias correction's exponent):
//
//   p <- p - lr_t * wd * p                     (decoupled decay; skipped when
//                                               applyWeightDecay is false)
//   m <- beta1 * m + (1 - beta1) * g
//   v <- beta2 * v + (1 - beta2) * g^2
//   p <- p - lr_t * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
//
// (the paper's eta_t * alpha is lr_t here, its lambda is wd.) The state m, v
// is stored in fp32 (as PyTorch keeps it for fp32 parameters); each element's
// update is computed in double and rounded to fp32 once per array. Whether a
// parameter is decayed is the caller's choice (the usual convention: not
// biases, norm gains and embeddings).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_TRAINING_OPTIMIZER_H
#define SXF_TRAINING_OPTIMIZER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace sxf {
namespace training {

//===----------------------------------------------------------------------===//
// AdamW
//===----------------------------------------------------------------------===//

/// AdamW's hyper-parameters. Defaults are torch.optim.AdamW's except
/// weightDecay (PyTorch's default is also 0.01).
struct AdamWOptions {
  /// The learning rate of this step (set it from learningRate() each step);
  /// finite, >= 0.
  double lr = 1e-3;
  /// Exponential decay rates of the first and second moments; in [0, 1).
  double beta1 = 0.9;
  double beta2 = 0.999;
  /// Added to sqrt(v-hat) in the denominator; finite, > 0.
  double eps = 1e-8;
  /// Decoupled weight decay coefficient (lambda); finite, >= 0.
  double weightDecay = 0.01;
  /// Whether this parameter is decayed (false for biases, norm gains and
  /// embeddings by the usual convention).
  bool applyWeightDecay = true;
};

/// Checks the hyper-parameters; the error names the first bad one and its
/// allowed range, e.g. "AdamW: beta2 = 1 is outside [0, 1)".
llvm::Error validate(const AdamWOptions &options);

/// One AdamW step (the formulas above) on `params`, in place, with gradient
/// `grads` and state `m`, `v` (all of the same length; m and v start at 0
/// before step 1). `step` is t >= 1, the number of this step counting from
/// 1. Fails without touching anything when the options are invalid, the
/// lengths differ or step < 1.
llvm::Error adamwStep(llvm::MutableArrayRef<float> params,
                      llvm::ArrayRef<float> grads,
                      llvm::MutableArrayRef<float> m,
                      llvm::MutableArrayRef<float> v, int64_t step,
                      const AdamWOptions &options);

//===----------------------------------------------------------------------===//
// Learning-rate schedule
//===----------------------------------------------------------------------===//

/// Linear warm-up, then cosine decay (the schedule of GPT-2/3-style
/// training; Hugging Face's get_cosine_schedule_with_warmup with a floor).
/// With W = warmupSteps, T = totalSteps, peak = peakLr, floor =
/// minLrRatio * peak, for optimizer step t (the same t as adamwStep's):
///
///   t <= 0                 0 when W > 0, else peak
///   0 < t < W              peak * t / W              (linear from 0)
///   W <= t, T <= W         peak                      (no decay phase)
///   W <= t <= T            floor + (peak - floor) * (1 + cos(pi *
///   (t-W)/(T-W))) / 2 t > T > W              floor
///
/// so learningRate(W) = peak, learningRate(T) = floor, and the midpoint
/// (W+T)/2 gives (peak + floor) / 2. W = 0 starts at peak; T = 0 (or any
/// T <= W) means warm up and then hold peak.
struct LrSchedule {
  double peakLr = 1e-3;    ///< finite, >= 0
  int64_t warmupSteps = 0; ///< >= 0
  int64_t totalSteps = 0;  ///< >= 0; <= warmupSteps: no decay
  double minLrRatio = 0.0; ///< floor / peak, in [0, 1]
};

/// Checks the schedule; the error names the first bad field.
llvm::Error validate(const LrSchedule &schedule);

/// The learning rate at step t (the table above). The schedule is assumed
/// valid (validate() it once).
double learningRate(const LrSchedule &schedule, int64_t step);

//===----------------------------------------------------------------------===//
// Gradient clipping
//===----------------------------------------------------------------------===//

/// Clipping by global norm (Pascanu et al. 2013; torch.nn.utils.
/// clip_grad_norm_): with N the L2 norm of all the arrays together
/// (accumulated in double), scales every gradient by maxNorm / (N + 1e-6)
/// when that is < 1, and returns N (before clipping). When N is not finite
/// the gradients are left as they are and N is returned, so that the caller
/// can skip the step. Fails when maxNorm is not finite and > 0.
llvm::Expected<double>
clipGradNorm(llvm::ArrayRef<llvm::MutableArrayRef<float>> grads,
             double maxNorm);

} // namespace training
} // namespace sxf

#endif // SXF_TRAINING_OPTIMIZER_H
