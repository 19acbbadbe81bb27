//===- sxf_rt/partition.h - Work-balanced contiguous row splits -*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only). This header is the one implementation of sxf's work-balanced
// partitioner: lib/Partition (sxf-tile's IPU/RDU/CPU targets) and the
// runtime's OpenMP threads must split a weight's rows the same way, so both
// call these functions (lib/Partition wraps them over llvm::ArrayRef).
//
// Rows are split so that every part gets the same *work* (e.g. nonzeros),
// not the same number of rows: irregular sparsity makes row counts a poor
// proxy (a few dense rows would otherwise serialise a layer).
//
//   std::vector<int64_t> cuts =
//       sxf_rt::balancedRowSplit(rowNnz.data(), rowNnz.size(), 4);
//   // part p owns rows [cuts[p], cuts[p + 1])
//
// Offers
//   balancedRowSplit(work, n, parts, maxRowsPerPart = 0) -> cuts
//   maxPartWork(work, n, cuts, numCuts)                  -> makespan
//   imbalance(work, n, cuts, numCuts)                    -> max / mean
// (plus std::vector overloads of each).
//
// Conventions: `work` holds n non-negative per-row costs; a split of n rows
// into `parts` parts is parts + 1 non-decreasing cut positions with
// cuts[0] = 0 and cuts[parts] = n. No allocation besides the result, no
// threads, no exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_PARTITION_H
#define SXF_RT_PARTITION_H

#include <algorithm>
#include <cstdint>
#include <vector>

namespace sxf_rt {

namespace detail {

/// Greedy check: can rows 0..n-1 be cut into at most `parts` ranges of work
/// <= bound and at most maxRows rows each (maxRows <= 0: no row limit)?
/// Fills `cuts` (parts + 1 entries) when it can and `cuts` is not null.
inline bool splitFits(const int64_t *work, int64_t n, int64_t parts,
                      int64_t bound, int64_t maxRows,
                      std::vector<int64_t> *cuts) {
  int64_t used = 1, sum = 0, start = 0;
  if (cuts)
    cuts->assign(1, 0);
  for (int64_t r = 0; r < n; ++r) {
    if (work[r] > bound)
      return false;
    bool full = sum + work[r] > bound || (maxRows > 0 && r - start >= maxRows);
    if (full) {
      if (++used > parts)
        return false;
      if (cuts)
        cuts->push_back(r);
      sum = 0;
      start = r;
    }
    sum += work[r];
  }
  if (cuts) {
    while (static_cast<int64_t>(cuts->size()) < parts)
      cuts->push_back(n);
    cuts->push_back(n);
  }
  return true;
}

} // namespace detail

/// Splits rows 0..n-1 into at most `parts` contiguous ranges minimising the
/// largest sum of `work` in a range (exact: binary search on the bound with a
/// greedy feasibility check, O(n log W)). Returns parts + 1 cut positions
/// (cuts[0] = 0, cuts[parts] = n; empty ranges at the end when there are
/// fewer rows than parts). With `maxRowsPerPart` > 0, no range may hold more
/// rows than that (a per-unit memory bound); if that makes `parts` ranges
/// insufficient, returns an empty vector. parts <= 0 also returns an empty
/// vector.
inline std::vector<int64_t> balancedRowSplit(const int64_t *work, int64_t n,
                                             int64_t parts,
                                             int64_t maxRowsPerPart = 0) {
  if (parts <= 0)
    return {};
  if (maxRowsPerPart > 0 && n > parts * maxRowsPerPart)
    return {};
  int64_t lo = 0, hi = 0;
  for (int64_t r = 0; r < n; ++r) {
    lo = std::max(lo, work[r]);
    hi += work[r];
  }
  // Smallest feasible bound.
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (detail::splitFits(work, n, parts, mid, maxRowsPerPart, nullptr))
      hi = mid;
    else
      lo = mid + 1;
  }
  std::vector<int64_t> cuts;
  if (!detail::splitFits(work, n, parts, lo, maxRowsPerPart, &cuts))
    return {};
  return cuts;
}

inline std::vector<int64_t> balancedRowSplit(const std::vector<int64_t> &work,
                                             int64_t parts,
                                             int64_t maxRowsPerPart = 0) {
  return balancedRowSplit(work.data(), static_cast<int64_t>(work.size()),
                          parts, maxRowsPerPart);
}

/// The largest work of any range of a split (its makespan). `cuts` holds
/// numCuts positions into work[0, n).
inline int64_t maxPartWork(const int64_t *work, int64_t n,
                           const int64_t *cuts, int64_t numCuts) {
  (void)n; // the cuts index into work; n documents its extent
  int64_t best = 0;
  for (int64_t p = 0; p + 1 < numCuts; ++p) {
    int64_t sum = 0;
    for (int64_t r = cuts[p]; r < cuts[p + 1]; ++r)
      sum += work[r];
    best = std::max(best, sum);
  }
  return best;
}

inline int64_t maxPartWork(const std::vector<int64_t> &work,
                           const std::vector<int64_t> &cuts) {
  return maxPartWork(work.data(), static_cast<int64_t>(work.size()),
                     cuts.data(), static_cast<int64_t>(cuts.size()));
}

/// Work imbalance of a split: max part work / mean part work (1 = perfect;
/// 1 also when the total work is 0 or there is no part).
inline double imbalance(const int64_t *work, int64_t n, const int64_t *cuts,
                        int64_t numCuts) {
  int64_t total = 0;
  for (int64_t r = 0; r < n; ++r)
    total += work[r];
  int64_t parts = numCuts - 1;
  if (total == 0 || parts <= 0)
    return 1.0;
  return double(maxPartWork(work, n, cuts, numCuts)) * double(parts) /
         double(total);
}

inline double imbalance(const std::vector<int64_t> &work,
                        const std::vector<int64_t> &cuts) {
  return imbalance(work.data(), static_cast<int64_t>(work.size()), cuts.data(),
                   static_cast<int64_t>(cuts.size()));
}

} // namespace sxf_rt

#endif // SXF_RT_PARTITION_H
