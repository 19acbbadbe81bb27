//===- Partition.cpp - Work-balanced partitions of sparse matrices -*- C++ -*-===//
//
// The algorithm lives in the runtime (runtime/include/sxf_rt/partition.h) so
// that sxf-tile and the generated code's threads split rows identically;
// this wraps it over llvm::ArrayRef.
//
//===----------------------------------------------------------------------===//

#include "sxf/Partition/Partition.h"

#include "sxf_rt/partition.h"

namespace sxf {

std::vector<int64_t> balancedRowSplit(llvm::ArrayRef<int64_t> work,
                                      int64_t parts, int64_t maxRowsPerPart) {
  return sxf_rt::balancedRowSplit(work.data(), int64_t(work.size()), parts,
                                  maxRowsPerPart);
}

int64_t maxPartWork(llvm::ArrayRef<int64_t> work,
                    llvm::ArrayRef<int64_t> cuts) {
  return sxf_rt::maxPartWork(work.data(), int64_t(work.size()), cuts.data(),
                             int64_t(cuts.size()));
}

double imbalance(llvm::ArrayRef<int64_t> work, llvm::ArrayRef<int64_t> cuts) {
  return sxf_rt::imbalance(work.data(), int64_t(work.size()), cuts.data(),
                           int64_t(cuts.size()));
}

} // namespace sxf
