//===- Json.cpp - Limits every sxf JSON reader applies ----------*- C++ -*-===//
//
// See Json.h.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Json.h"

#include <set>
#include <string>
#include <vector>

namespace sxf {

llvm::Error checkJsonDepth(llvm::StringRef text, const llvm::Twine &origin,
                           uint64_t offset) {
  // One entry per open [ or {: whether it is an object, whether the next
  // string in it is a key, and the keys seen (a duplicate key would
  // otherwise keep only one of its values, silently).
  struct Level {
    bool object;
    bool expectKey;
    std::set<std::string> keys;
  };
  std::vector<Level> levels;
  for (size_t i = 0, n = text.size(); i < n; ++i) {
    char c = text[i];
    if (c == '"') {
      // Skip the string: a backslash escapes the next character, whatever it
      // is, so \" and \\ are handled alike. An unterminated string ends the
      // scan; the parser reports it.
      size_t begin = i + 1;
      for (++i; i < n && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      if (!levels.empty() && levels.back().object && levels.back().expectKey) {
        levels.back().expectKey = false;
        std::string key = text.substr(begin, std::min(i, n) - begin).str();
        if (!levels.back().keys.insert(key).second)
          return llvm::createStringError(
              origin + ": JSON object has the key \"" + key +
              "\" twice (byte " + llvm::Twine(offset + begin - 1) + ")");
      }
      continue;
    }
    if (c == '[' || c == '{') {
      if (levels.size() + 1 > kMaxJsonDepth)
        return llvm::createStringError(
            origin + ": JSON nested deeper than " + llvm::Twine(kMaxJsonDepth) +
            " levels at byte " + llvm::Twine(offset + i));
      levels.push_back({c == '{', c == '{', {}});
    } else if ((c == ']' || c == '}') && !levels.empty()) {
      levels.pop_back();
    } else if (c == ',' && !levels.empty() && levels.back().object) {
      levels.back().expectKey = true;
    }
  }
  return llvm::Error::success();
}

} // namespace sxf
