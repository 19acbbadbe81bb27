//===- Partition.h - Work-balanced partitions of sparse matrices -*- C++ -*-===//
//
// The one partitioner of sxf: tiling onto IPU tiles and RDU units, and the
// CPU runtime's thread partitions, split a weight's rows so that each part
// gets the same *work* (nonzeros), not the same number of rows — irregular
// sparsity makes row counts a poor proxy (a few dense rows would otherwise
// serialise a layer).
//
//   std::vector<int64_t> cuts = balancedRowSplit(rowNnz, 4, maxRowsPerPart);
//   // part p owns rows [cuts[p], cuts[p + 1])
//
//===----------------------------------------------------------------------===//

#ifndef SXF_PARTITION_PARTITION_H
#define SXF_PARTITION_PARTITION_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace sxf {

/// Splits rows 0..n-1 into at most `parts` contiguous ranges minimising the
/// largest sum of `work` in a range (exact: binary search on the bound with a
/// greedy feasibility check, O(n log W)). Returns parts + 1 cut positions
/// (cuts[0] = 0, cuts[parts] = n; empty ranges at the end when there are
/// fewer rows than parts). With `maxRowsPerPart` > 0, no range may hold more
/// rows than that (a per-unit memory bound); if that makes `parts` ranges
/// insufficient, returns an empty vector.
std::vector<int64_t> balancedRowSplit(llvm::ArrayRef<int64_t> work,
                                      int64_t parts,
                                      int64_t maxRowsPerPart = 0);

/// The largest work of any range of a split (its makespan).
int64_t maxPartWork(llvm::ArrayRef<int64_t> work,
                    llvm::ArrayRef<int64_t> cuts);

/// Work imbalance of a split: max part work / mean part work (1 = perfect).
double imbalance(llvm::ArrayRef<int64_t> work, llvm::ArrayRef<int64_t> cuts);

} // namespace sxf

#endif // SXF_PARTITION_PARTITION_H
