//===- JsonTest.cpp - Tests for the JSON depth bound ----------------------===//
//
// checkJsonDepth accepts nesting up to kMaxJsonDepth, refuses one level more
// at the right byte, ignores brackets inside strings (escaped quotes and
// backslashes included), and handles depths that would overflow the stack of
// a recursive parser.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Json.h"

#include "gtest/gtest.h"

#include <string>

using namespace sxf;

namespace {

std::string nested(unsigned depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string errorOf(llvm::Error err) {
  return err ? llvm::toString(std::move(err)) : std::string();
}

TEST(JsonDepth, AcceptsTheLimit) {
  EXPECT_EQ(errorOf(checkJsonDepth(nested(kMaxJsonDepth), "f.json")), "");
  EXPECT_EQ(errorOf(checkJsonDepth("{\"a\": [1, {\"b\": []}]}", "f.json")),
            "");
  EXPECT_EQ(errorOf(checkJsonDepth("", "f.json")), "");
}

TEST(JsonDepth, RefusesOneMoreAtItsByte) {
  EXPECT_EQ(errorOf(checkJsonDepth(nested(kMaxJsonDepth + 1), "f.json")),
            "f.json: JSON nested deeper than 128 levels at byte 128");
  // Objects count like arrays, and `offset` shifts the reported byte.
  std::string objects;
  for (unsigned i = 0; i <= kMaxJsonDepth; ++i)
    objects += "{\"k\":";
  EXPECT_EQ(errorOf(checkJsonDepth(objects, "h", /*offset=*/8)),
            "h: JSON nested deeper than 128 levels at byte " +
                std::to_string(8 + 5 * kMaxJsonDepth));
}

TEST(JsonDepth, ClosingBracketsReopenRoom) {
  // Many shallow siblings are fine: the depth, not the count, is bounded.
  std::string s = "[";
  for (int i = 0; i < 1000; ++i)
    s += nested(kMaxJsonDepth - 1) + ",";
  s += "0]";
  EXPECT_EQ(errorOf(checkJsonDepth(s, "f.json")), "");
}

TEST(JsonDepth, BracketsInStringsDoNotCount) {
  std::string deepInString = "\"" + std::string(1000, '[') + "\"";
  EXPECT_EQ(errorOf(checkJsonDepth(deepInString, "f.json")), "");
  // An escaped quote does not end the string; an escaped backslash before
  // the closing quote does not escape it.
  std::string escaped =
      "[\"a\\\"" + std::string(1000, '{') + "\", \"b\\\\\"]";
  EXPECT_EQ(errorOf(checkJsonDepth(escaped, "f.json")), "");
  // After a string that ends in an escaped backslash, brackets count again.
  std::string after = "[\"\\\\\"," + nested(kMaxJsonDepth) + "]";
  EXPECT_NE(errorOf(checkJsonDepth(after, "f.json")), "");
}

TEST(JsonDepth, VeryDeepInputDoesNotCrash) {
  std::string s(1 << 20, '[');
  EXPECT_EQ(errorOf(checkJsonDepth(s, "deep.json")),
            "deep.json: JSON nested deeper than 128 levels at byte 128");
  // Unterminated strings and stray closers are left to the parser.
  EXPECT_EQ(errorOf(checkJsonDepth("]]]}}\"[[[", "f.json")), "");
}

} // namespace
