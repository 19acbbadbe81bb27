//===- LayoutTest.cpp - Layouts and exchange volumes against brute force --===//

#include "sxf/Dialect/SxfTarget/IR/Layout.h"
#include "sxf/Support/Random.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace sxf::target;

namespace {

/// A random valid layout of rows x cols over `units` units.
Layout randomLayout(sxf::Rng &rng, int64_t rows, int64_t cols,
                    int64_t units, bool partial) {
  for (;;) {
    int64_t p = 1 + rng.next() % std::min<int64_t>(rows, 4);
    int64_t q = 1 + rng.next() % std::min<int64_t>(cols, 4);
    int64_t r = 1 + rng.next() % 3;
    if (p * q * r > units)
      continue;
    std::vector<int64_t> rc, cc;
    if (rng.next() % 2) { // uneven cuts
      std::set<int64_t> s;
      while (int64_t(s.size()) < p - 1)
        s.insert(1 + rng.next() % (rows - 1));
      rc.push_back(0);
      rc.insert(rc.end(), s.begin(), s.end());
      rc.push_back(rows);
    }
    std::string error;
    std::optional<Layout> l =
        makeLayout(rows, cols, p, q, r, rng.next() % units, units,
                   rng.next() % 2, partial, rc, cc, error);
    EXPECT_TRUE(l.has_value()) << error;
    if (l)
      return *l;
  }
}

} // namespace

TEST(Layout, EvenCutsCoverAndBalance) {
  for (int64_t n = 1; n < 40; ++n)
    for (int64_t parts = 1; parts <= n; ++parts) {
      std::vector<int64_t> c = evenCuts(n, parts);
      ASSERT_EQ(int64_t(c.size()), parts + 1);
      EXPECT_EQ(c.front(), 0);
      EXPECT_EQ(c.back(), n);
      for (int64_t i = 0; i < parts; ++i) {
        EXPECT_GE(c[i + 1] - c[i], n / parts);
        EXPECT_LE(c[i + 1] - c[i], n / parts + 1);
      }
    }
}

TEST(Layout, UnitsAreDistinctAndInvertible) {
  sxf::Rng rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    int64_t units = 1 + rng.next() % 40;
    Layout l = randomLayout(rng, 1 + rng.next() % 9, 1 + rng.next() % 9,
                            units, false);
    std::set<int64_t> seen;
    for (int64_t k = 0; k < l.replicas; ++k)
      for (int64_t i = 0; i < l.p; ++i)
        for (int64_t j = 0; j < l.q; ++j) {
          int64_t u = l.unitOf(k, i, j);
          ASSERT_GE(u, 0);
          ASSERT_LT(u, units);
          EXPECT_TRUE(seen.insert(u).second) << "two blocks on unit " << u;
          std::optional<BlockId> b = l.blockOn(u);
          ASSERT_TRUE(b.has_value());
          EXPECT_EQ(b->replica, k);
          EXPECT_EQ(b->i, i);
          EXPECT_EQ(b->j, j);
        }
    for (int64_t u = 0; u < units; ++u)
      EXPECT_EQ(l.blockOn(u).has_value(), seen.count(u) > 0);
  }
}

TEST(Layout, RejectsBadCutsAndSpans) {
  std::string error;
  EXPECT_FALSE(makeLayout(4, 4, 2, 1, 1, 0, 8, false, false, {0, 3, 3}, {},
                          error));
  EXPECT_NE(error.find("rising strictly"), std::string::npos);
  EXPECT_FALSE(makeLayout(4, 4, 2, 2, 3, 0, 8, false, false, {}, {}, error));
  EXPECT_NE(error.find("spans 12 units"), std::string::npos);
  EXPECT_FALSE(makeLayout(2, 4, 3, 1, 1, 0, 8, false, false, {}, {}, error));
  EXPECT_FALSE(makeLayout(4, 4, 1, 1, 1, 8, 8, false, false, {}, {}, error));
}

// exchangeElements counts, element by element, what a destination block
// needs from other units: one copy (any replica, none if its own unit holds
// it) or, for partial sums, every replica's contribution.
TEST(Layout, ExchangeVolumeMatchesBruteForce) {
  sxf::Rng rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    int64_t units = 1 + rng.next() % 30;
    int64_t rows = 1 + rng.next() % 8, cols = 1 + rng.next() % 8;
    Layout src = randomLayout(rng, rows, cols, units, rng.next() % 2);
    Layout dst = randomLayout(rng, rows, cols, units, false);
    // Which units hold each element of src (per replica).
    std::map<std::pair<int64_t, int64_t>, std::vector<int64_t>> holders;
    for (int64_t k = 0; k < src.replicas; ++k)
      for (int64_t i = 0; i < src.p; ++i)
        for (int64_t j = 0; j < src.q; ++j)
          for (int64_t r = src.rowBegin(i); r < src.rowEnd(i); ++r)
            for (int64_t c = src.colBegin(j); c < src.colEnd(j); ++c)
              holders[{r, c}].push_back(src.unitOf(k, i, j));
    int64_t expected = 0;
    std::vector<int64_t> perUnit(units, 0), expectedPerUnit(units, 0);
    for (int64_t k = 0; k < dst.replicas; ++k)
      for (int64_t i = 0; i < dst.p; ++i)
        for (int64_t j = 0; j < dst.q; ++j) {
          int64_t u = dst.unitOf(k, i, j);
          for (int64_t r = dst.rowBegin(i); r < dst.rowEnd(i); ++r)
            for (int64_t c = dst.colBegin(j); c < dst.colEnd(j); ++c) {
              const std::vector<int64_t> &h = holders[{r, c}];
              int64_t local = std::count(h.begin(), h.end(), u);
              int64_t in = src.partial ? int64_t(h.size()) - local
                                       : (local ? 0 : 1);
              expected += in;
              expectedPerUnit[u] += in;
            }
        }
    EXPECT_EQ(exchangeElements(src, dst, &perUnit), expected);
    EXPECT_EQ(perUnit, expectedPerUnit);
  }
}
