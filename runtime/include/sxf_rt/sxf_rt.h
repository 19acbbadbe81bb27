//===- sxf_rt/sxf_rt.h - The whole sxf CPU kernel runtime -------*- C++ -*-===//
//
// Umbrella header of the sxf CPU kernel runtime (header-only, C++17, standard
// library plus optional OpenMP): the kernels, for tests, benchmarks and the
// compiler. Code emitted by sxf includes api.h instead and links libsxf_rt,
// where these kernels are compiled once (runtime/src).
//
//   partition.h  balancedRowSplit / maxPartWork / imbalance (the one
//                partitioner of sxf, shared with lib/Partition)
//   formats.h    views over lib/Formats' weight layouts, f16/bf16
//   spmm.h       y = act(x·Wᵀ + bias) + residual (+ layer norm) per format
//   ops.h        layer / RMS norm, softmax, attention, embedding, matmul, add
//   npy.h        .npy reading and writing
//   safetensors.h  the safetensors reader and header writer (shared with
//                the compiler; container.h reads weights with it)
//   common.h     activations, vectors, threads, Workspace
//
// See runtime/README.md for conventions, numerics and build lines.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_SXF_RT_H
#define SXF_RT_SXF_RT_H

#include "sxf_rt/common.h"
#include "sxf_rt/format_kinds.h"
#include "sxf_rt/formats.h"
#include "sxf_rt/npy.h"
#include "sxf_rt/ops.h"
#include "sxf_rt/partition.h"
#include "sxf_rt/safetensors.h"
#include "sxf_rt/spmm.h"

#endif // SXF_RT_SXF_RT_H
