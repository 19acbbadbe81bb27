//===- Optimizer.cpp - AdamW, the learning-rate schedule, clipping -------===//
//
// Straight loops over flat arrays; per-element arithmetic in double, state in
// fp32 (Optimizer.h gives the formulas and their sources).
//
//===----------------------------------------------------------------------===//

#include "sxf/Training/Optimizer.h"
#include "Errors.h"

#include "llvm/ADT/Twine.h"

#include <cmath>
#include <sstream>

using namespace sxf;
using namespace sxf::training;
using llvm::Twine;

using namespace sxf::training::detail;

/// "<what>: <name> = <value> is <problem>".
static llvm::Error badValue(const char *what, const char *name, double value,
                            const char *problem) {
  return fail(Twine(what) + ": " + name + " = " + num(value) + " is " +
              problem);
}

llvm::Error sxf::training::validate(const AdamWOptions &o) {
  const char *what = "AdamW";
  if (!std::isfinite(o.lr) || o.lr < 0)
    return badValue(what, "lr", o.lr, "not a finite value >= 0");
  if (!(o.beta1 >= 0 && o.beta1 < 1))
    return badValue(what, "beta1", o.beta1, "outside [0, 1)");
  if (!(o.beta2 >= 0 && o.beta2 < 1))
    return badValue(what, "beta2", o.beta2, "outside [0, 1)");
  if (!std::isfinite(o.eps) || o.eps <= 0)
    return badValue(what, "eps", o.eps, "not a finite value > 0");
  if (!std::isfinite(o.weightDecay) || o.weightDecay < 0)
    return badValue(what, "weight decay", o.weightDecay,
                    "not a finite value >= 0");
  return llvm::Error::success();
}

llvm::Error sxf::training::adamwStep(llvm::MutableArrayRef<float> params,
                                     llvm::ArrayRef<float> grads,
                                     llvm::MutableArrayRef<float> m,
                                     llvm::MutableArrayRef<float> v,
                                     int64_t step, const AdamWOptions &o) {
  if (llvm::Error e = validate(o))
    return e;
  if (step < 1)
    return fail(Twine("AdamW: step = ") + Twine(step) +
                " is not >= 1 (steps count from 1)");
  size_t n = params.size();
  if (grads.size() != n || m.size() != n || v.size() != n)
    return fail(Twine("AdamW: array lengths differ: ") + Twine(uint64_t(n)) +
                " parameters, " + Twine(uint64_t(grads.size())) +
                " gradients, " + Twine(uint64_t(m.size())) + " first and " +
                Twine(uint64_t(v.size())) + " second moments");
  double b1 = o.beta1, b2 = o.beta2;
  double c1 = 1.0 - std::pow(b1, double(step));
  double c2 = 1.0 - std::pow(b2, double(step));
  double decay = o.applyWeightDecay ? 1.0 - o.lr * o.weightDecay : 1.0;
  for (size_t i = 0; i < n; ++i) {
    double g = grads[i];
    double mi = b1 * double(m[i]) + (1.0 - b1) * g;
    double vi = b2 * double(v[i]) + (1.0 - b2) * g * g;
    double update = (mi / c1) / (std::sqrt(vi / c2) + o.eps);
    params[i] = float(double(params[i]) * decay - o.lr * update);
    m[i] = float(mi);
    v[i] = float(vi);
  }
  return llvm::Error::success();
}

llvm::Error sxf::training::validate(const LrSchedule &s) {
  const char *what = "learning-rate schedule";
  if (!std::isfinite(s.peakLr) || s.peakLr < 0)
    return badValue(what, "peakLr", s.peakLr, "not a finite value >= 0");
  if (s.warmupSteps < 0)
    return fail(Twine(what) + ": warmupSteps = " + Twine(s.warmupSteps) +
                " is negative");
  if (s.totalSteps < 0)
    return fail(Twine(what) + ": totalSteps = " + Twine(s.totalSteps) +
                " is negative");
  if (!(s.minLrRatio >= 0 && s.minLrRatio <= 1))
    return badValue(what, "minLrRatio", s.minLrRatio, "outside [0, 1]");
  return llvm::Error::success();
}

double sxf::training::learningRate(const LrSchedule &s, int64_t t) {
  int64_t w = s.warmupSteps, total = s.totalSteps;
  double peak = s.peakLr;
  if (t <= 0)
    return w > 0 ? 0.0 : peak;
  if (t < w)
    return peak * double(t) / double(w);
  if (total <= w)
    return peak;
  if (t >= total)
    return s.minLrRatio * peak;
  double progress = double(t - w) / double(total - w);
  double floor = s.minLrRatio * peak;
  return floor + (peak - floor) * 0.5 * (1.0 + std::cos(M_PI * progress));
}

llvm::Expected<double>
sxf::training::clipGradNorm(llvm::ArrayRef<llvm::MutableArrayRef<float>> grads,
                            double maxNorm) {
  if (!std::isfinite(maxNorm) || maxNorm <= 0)
    return badValue("gradient clipping", "maxNorm", maxNorm,
                    "not a finite value > 0");
  double sumSq = 0.0;
  for (llvm::MutableArrayRef<float> g : grads)
    for (float x : g)
      sumSq += double(x) * double(x);
  double norm = std::sqrt(sumSq);
  if (!std::isfinite(norm))
    return norm;
  double scale = maxNorm / (norm + 1e-6);
  if (scale < 1.0)
    for (llvm::MutableArrayRef<float> g : grads)
      for (float &x : g)
        x = float(double(x) * scale);
  return norm;
}
