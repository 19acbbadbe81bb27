//===- sxf_rt/prepared.h - Dense weights prepared for oneDNN ----*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime: declared here, defined in libsxf_rt
// (runtime/src/prepared.cpp), which links oneDNN. A dense weight's product
// y = x·Wᵀ runs faster in oneDNN's fp32 matmul, with W reordered once into
// the blocked layout its kernel reads, than in spmm.h's built-in dense
// kernel (docs/codegen.md, "Benchmarks"). Model::load (model.h) prepares
// every dense weight of a program this way; spmm(DenseView) then runs the
// product through the view's `prepared` handle and applies sxf's own
// epilogue (spmm.h, PreparedDense).
//
//   std::unique_ptr<PreparedDense> p = prepareDense(view, &why);
//   view.prepared = p.get();          // p must outlive every use of view
//   spmm(view, x, T, y, epilogue, options);
//
// f16 and bf16 weights are widened to fp32 once, exactly (the values the
// built-in kernel loads), so the prepared copy takes 4 bytes a value and
// the product's numerics are those of fp32 weights. The handle runs on
// SpmmOptions::threads OpenMP threads (oneDNN shares libsxf_rt's OpenMP
// runtime) and declines the products that the built-in kernel does faster
// (PreparedDense::product), which spmm then runs.
//
// SXF_RT_NO_ONEDNN=1 in the environment makes prepareDense decline every
// weight (generated programs then run the built-in kernel: an A/B switch
// for measurements).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_PREPARED_H
#define SXF_RT_PREPARED_H

#include "sxf_rt/api.h"
#include "sxf_rt/formats.h"
#include "sxf_rt/spmm.h"

#include <memory>
#include <string>

namespace sxf_rt {

/// W (any value type) prepared for oneDNN's matmul: reordered once into
/// oneDNN's preferred layout, fp32. nullptr, with the reason in `*why` when
/// given, when oneDNN cannot take it (or SXF_RT_NO_ONEDNN is set); the
/// weight then runs in the built-in kernel. The handle does not refer to
/// w's arrays.
SXF_RT_API std::unique_ptr<PreparedDense> prepareDense(const DenseView &w,
                                                       std::string *why = nullptr);

} // namespace sxf_rt

#endif // SXF_RT_PREPARED_H
