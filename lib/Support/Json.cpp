//===- Json.cpp - Limits every sxf JSON reader applies ----------*- C++ -*-===//
//
// See Json.h.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Json.h"

namespace sxf {

llvm::Error checkJsonDepth(llvm::StringRef text, const llvm::Twine &origin,
                           uint64_t offset) {
  unsigned depth = 0;
  for (size_t i = 0, n = text.size(); i < n; ++i) {
    char c = text[i];
    if (c == '"') {
      // Skip the string: a backslash escapes the next character, whatever it
      // is, so \" and \\ are handled alike. An unterminated string ends the
      // scan; the parser reports it.
      for (++i; i < n && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth)
        return llvm::createStringError(
            origin + ": JSON nested deeper than " + llvm::Twine(kMaxJsonDepth) +
            " levels at byte " + llvm::Twine(offset + i));
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return llvm::Error::success();
}

} // namespace sxf
