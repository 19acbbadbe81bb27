//===- sxf_rt/random.h - The deterministic RNG of sxf -----------*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17). The one random
// number generator of sxf: the interpreter's --random-inputs, calibration
// data, model generation and generated programs' --random-inputs all draw
// from it (include/sxf/Support/Random.h is this class), so a seed means the
// same inputs everywhere.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_RANDOM_H
#define SXF_RT_RANDOM_H

#include <cmath>
#include <cstdint>

namespace sxf_rt {

class Rng {
public:
  explicit Rng(uint64_t seed) : state(seed) {}

  /// Next 64 random bits (splitmix64, Steele et al. 2014).
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return (next() >> 11) * (1.0 / 9007199254740992.0); }
  /// Uniform integer in [0, n), n > 0 (multiply-shift; bias < 2^-32 for
  /// n < 2^32).
  int64_t below(int64_t n) {
    return static_cast<int64_t>(uniform() * static_cast<double>(n));
  }
  /// Standard normal (Box-Muller; one value per call, no caching, so the
  /// stream position depends only on the number of calls).
  double normal() {
    double u1 = uniform(), u2 = uniform();
    if (u1 < 1e-300)
      u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

private:
  uint64_t state;
};

} // namespace sxf_rt

#endif // SXF_RT_RANDOM_H
