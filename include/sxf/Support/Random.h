//===- Random.h - Portable deterministic random numbers ---------*- C++ -*-===//
//
// splitmix64 plus Box-Muller. The standard library's distributions differ
// between implementations; sxf needs the same stream everywhere (sparse-gen's
// weights, sparse-run's --random-inputs, and emitted programs that must
// reproduce sparse-run's inputs bit for bit), so it uses this header-only
// generator, which lives in the runtime (runtime/include/sxf_rt/random.h)
// and depends on nothing but <cmath> and <cstdint>.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SUPPORT_RANDOM_H
#define SXF_SUPPORT_RANDOM_H

#include "sxf_rt/random.h"

namespace sxf {

/// The runtime's generator (runtime/include/sxf_rt/random.h): one
/// implementation, so generated programs draw the same --random-inputs.
using Rng = sxf_rt::Rng;

} // namespace sxf

#endif // SXF_SUPPORT_RANDOM_H
