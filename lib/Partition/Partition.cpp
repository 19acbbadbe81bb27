//===- Partition.cpp - Work-balanced partitions of sparse matrices -*- C++ -*-===//

#include "sxf/Partition/Partition.h"

#include <algorithm>
#include <numeric>

namespace sxf {

/// Greedy check: can rows be cut into at most `parts` ranges of work <=
/// bound and at most maxRows rows each? Fills `cuts` when it can.
static bool fits(llvm::ArrayRef<int64_t> work, int64_t parts, int64_t bound,
                 int64_t maxRows, std::vector<int64_t> *cuts) {
  const int64_t n = work.size();
  int64_t used = 1, sum = 0, start = 0;
  if (cuts) {
    cuts->assign(1, 0);
  }
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

std::vector<int64_t> balancedRowSplit(llvm::ArrayRef<int64_t> work,
                                      int64_t parts, int64_t maxRowsPerPart) {
  const int64_t n = work.size();
  if (parts <= 0)
    return {};
  if (maxRowsPerPart > 0 && n > parts * maxRowsPerPart)
    return {};
  int64_t lo = 0, hi = 0;
  for (int64_t w : work) {
    lo = std::max(lo, w);
    hi += w;
  }
  // Smallest feasible bound.
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (fits(work, parts, mid, maxRowsPerPart, nullptr))
      hi = mid;
    else
      lo = mid + 1;
  }
  std::vector<int64_t> cuts;
  if (!fits(work, parts, lo, maxRowsPerPart, &cuts))
    return {};
  return cuts;
}

int64_t maxPartWork(llvm::ArrayRef<int64_t> work,
                    llvm::ArrayRef<int64_t> cuts) {
  int64_t best = 0;
  for (size_t p = 0; p + 1 < cuts.size(); ++p) {
    int64_t sum = 0;
    for (int64_t r = cuts[p]; r < cuts[p + 1]; ++r)
      sum += work[r];
    best = std::max(best, sum);
  }
  return best;
}

double imbalance(llvm::ArrayRef<int64_t> work, llvm::ArrayRef<int64_t> cuts) {
  int64_t total = std::accumulate(work.begin(), work.end(), int64_t(0));
  int64_t parts = static_cast<int64_t>(cuts.size()) - 1;
  if (total == 0 || parts <= 0)
    return 1.0;
  return double(maxPartWork(work, cuts)) * double(parts) / double(total);
}

} // namespace sxf
