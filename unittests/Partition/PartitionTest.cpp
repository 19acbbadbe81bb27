//===- PartitionTest.cpp - Tests of the work-balanced partitioner -*- C++ -*-===//

#include "sxf/Partition/Partition.h"
#include "sxf/Support/Random.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <numeric>

using namespace sxf;

namespace {

/// The optimal makespan by brute force over every way to cut (small n).
int64_t bruteForce(const std::vector<int64_t> &w, int64_t parts,
                   int64_t maxRows) {
  int64_t n = w.size(), best = INT64_MAX;
  // Recursive enumeration of cut positions.
  std::function<void(int64_t, int64_t, int64_t)> go =
      [&](int64_t start, int64_t left, int64_t worst) {
        if (start == n) {
          best = std::min(best, worst);
          return;
        }
        if (left == 0)
          return;
        int64_t sum = 0;
        for (int64_t end = start + 1; end <= n; ++end) {
          sum += w[end - 1];
          if (maxRows > 0 && end - start > maxRows)
            break;
          go(end, left - 1, std::max(worst, sum));
        }
      };
  go(0, parts, 0);
  return best;
}

TEST(PartitionTest, BalancesWorkNotRows) {
  // One heavy row: a row-count split would give one part 103 of 106.
  std::vector<int64_t> w = {100, 1, 1, 1, 1, 1, 1};
  std::vector<int64_t> cuts = balancedRowSplit(w, 2);
  ASSERT_EQ(cuts, (std::vector<int64_t>{0, 1, 7}));
  EXPECT_EQ(maxPartWork(w, cuts), 100);
}

TEST(PartitionTest, HandWorkedSplit) {
  std::vector<int64_t> w = {3, 1, 4, 1, 5, 9, 2, 6};
  std::vector<int64_t> cuts = balancedRowSplit(w, 3);
  // Total 31. The 9 must share a range with the 5 (14) or the 2 and 6
  // (17), or stand alone, which forces [3 1 4 1 5] = 14: the best is 14.
  EXPECT_EQ(maxPartWork(w, cuts), 14);
  EXPECT_EQ(maxPartWork(w, cuts), bruteForce(w, 3, 0));
  EXPECT_EQ(cuts.front(), 0);
  EXPECT_EQ(cuts.back(), 8);
  EXPECT_EQ(cuts.size(), 4u);
}

TEST(PartitionTest, MatchesBruteForceOnRandomInputs) {
  Rng rng(3);
  for (int trial = 0; trial < 300; ++trial) {
    int64_t n = 1 + rng.below(9), parts = 1 + rng.below(5);
    int64_t maxRows = rng.below(3) == 0 ? 1 + rng.below(4) : 0;
    std::vector<int64_t> w(n);
    for (int64_t &x : w)
      x = rng.below(20);
    std::vector<int64_t> cuts = balancedRowSplit(w, parts, maxRows);
    if (maxRows > 0 && n > parts * maxRows) {
      EXPECT_TRUE(cuts.empty());
      continue;
    }
    ASSERT_EQ(static_cast<int64_t>(cuts.size()), parts + 1) << "trial " << trial;
    EXPECT_TRUE(std::is_sorted(cuts.begin(), cuts.end()));
    EXPECT_EQ(cuts.back(), n);
    if (maxRows > 0) {
      for (int64_t p = 0; p < parts; ++p) {
        EXPECT_LE(cuts[p + 1] - cuts[p], maxRows);
      }
    }
    EXPECT_EQ(maxPartWork(w, cuts), bruteForce(w, parts, maxRows))
        << "trial " << trial;
  }
}

TEST(PartitionTest, MorePartsThanRows) {
  std::vector<int64_t> w = {5, 7};
  std::vector<int64_t> cuts = balancedRowSplit(w, 4);
  ASSERT_EQ(cuts.size(), 5u);
  EXPECT_EQ(maxPartWork(w, cuts), 7);
  EXPECT_NEAR(imbalance(w, cuts), 7.0 * 4 / 12, 1e-12);
}

TEST(PartitionTest, DegenerateInputs) {
  EXPECT_TRUE(balancedRowSplit({1, 2}, 0).empty());
  std::vector<int64_t> empty;
  std::vector<int64_t> cuts = balancedRowSplit(empty, 2);
  EXPECT_EQ(cuts, (std::vector<int64_t>{0, 0, 0}));
  std::vector<int64_t> zeros(5, 0);
  EXPECT_EQ(maxPartWork(zeros, balancedRowSplit(zeros, 2)), 0);
  EXPECT_DOUBLE_EQ(imbalance(zeros, balancedRowSplit(zeros, 2)), 1.0);
}

} // namespace
