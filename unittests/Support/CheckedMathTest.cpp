//===- CheckedMathTest.cpp - Tests for checked sizes and counts -----------===//
//
// Unit tests for sxf/Support/CheckedMath.h.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/CheckedMath.h"

#include "gtest/gtest.h"

#include <vector>

using namespace sxf;

namespace {

TEST(CheckedMath, AddMulDiv) {
  EXPECT_EQ(checkedAdd(2, 3), 5);
  EXPECT_FALSE(checkedAdd(INT64_MAX, 1));
  EXPECT_EQ(checkedMul(-4, 5), -20);
  EXPECT_FALSE(checkedMul(int64_t(1) << 32, int64_t(1) << 31));
  EXPECT_EQ(checkedDiv(7, 2), 3);
  EXPECT_FALSE(checkedDiv(7, 0));
  EXPECT_FALSE(checkedDiv(INT64_MIN, -1));
}

TEST(CheckedMath, Elements) {
  EXPECT_EQ(checkedElements(std::vector<int64_t>{}), 1);
  EXPECT_EQ(checkedElements(std::vector<int64_t>{3, 4}), 12);
  EXPECT_FALSE(checkedElements(std::vector<int64_t>{3, -1}));
  // A zero extent makes the product 0 even when the rest would overflow.
  EXPECT_EQ(checkedElements(std::vector<int64_t>{0, INT64_MAX, 2}), 0);
  EXPECT_FALSE(checkedElements(std::vector<int64_t>{INT64_MAX, 2}));
  // The limit bounds allocations: the issue's [4294967295, 4] buffer.
  EXPECT_FALSE(
      checkedElements(std::vector<int64_t>{4294967295, 4}, kMaxElements));
  EXPECT_EQ(checkedElements(std::vector<int64_t>{65536, 65536}, kMaxElements),
            kMaxElements);
}

} // namespace
