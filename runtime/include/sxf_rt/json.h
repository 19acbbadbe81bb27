//===- sxf_rt/json.h - Strict JSON with bounded nesting ---------*- C++ -*-===//
//
// Part of the sxf CPU kernel runtime (header-only, C++17, standard library
// only): the JSON of the safetensors core (safetensors.h), which the
// compiler and generated programs share.
//
// Strict RFC 8259: one value with only whitespace around it; no comments,
// trailing commas or single quotes; numbers in JSON's grammar (no leading
// zeros, no bare '.', no NaN); strings of valid UTF-8 (no overlong forms,
// surrogates or code points above U+10FFFF) without raw control characters,
// their escapes decoded (a \u surrogate pair is joined, a lone surrogate is
// an error). Arrays and objects nest at most kMaxJsonDepth levels (the
// outermost is level 1): the parser recurses once per level, so no input
// goes deeper than that on the stack. Objects keep their members in textual
// order with duplicates (what a duplicate means is the caller's call);
// numbers keep their literal text (which ones are integers too).
//
//   sxf_rt::JsonValue v;
//   bool tooDeep = false;
//   if (std::optional<std::string> problem =
//           sxf_rt::parseJson(text, size, v, /*offset=*/0, &tooDeep))
//     ... // "expected ':' after an object key at byte 12"
//
// Positions in messages count from `offset` (where `text` starts in its
// file). The writing side: jsonQuote (the escaping llvm::json::OStream
// uses) and isValidUtf8.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_RT_JSON_H
#define SXF_RT_JSON_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sxf_rt {

/// The deepest nesting of arrays and objects any sxf JSON reader accepts
/// (sxf/Support/Json.h holds the compiler's readers to it too).
constexpr unsigned kMaxJsonDepth = 128;

/// A parsed JSON value.
struct JsonValue {
  enum Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Null;
  bool boolean = false;
  /// String: the decoded UTF-8. Number: the literal as written ("-1.5e3").
  std::string text;
  /// Array: the elements. Object: the member values, keys[i] naming items[i].
  std::vector<JsonValue> items;
  std::vector<std::string> keys;

  /// The first member named `key` of an object, or nullptr.
  const JsonValue *get(const std::string &key) const {
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key)
        return &items[i];
    return nullptr;
  }
};

namespace json_detail {

/// The length of the valid UTF-8 sequence starting at `s` (at most `n`
/// bytes available), or 0.
inline size_t utf8Length(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  // Second byte range and length by first byte (Unicode 15, table 3-7).
  unsigned char lo = 0x80, hi = 0xBF;
  size_t len;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi)
    return 0;
  for (size_t k = 2; k < len; ++k)
    if (s[k] < 0x80 || s[k] > 0xBF)
      return 0;
  return len;
}

inline void appendUtf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

/// Recursive descent, one level of recursion per nesting level.
class Parser {
public:
  Parser(const char *text, size_t size, uint64_t offset)
      : s(reinterpret_cast<const unsigned char *>(text)), n(size),
        base(offset) {}

  bool document(JsonValue &out) {
    ws();
    if (!value(out, 0))
      return false;
    ws();
    if (pos != n)
      return fail("unexpected " + describe() + " after the JSON value");
    return true;
  }

  std::string error;
  bool tooDeep = false;

private:
  const unsigned char *s;
  size_t n, pos = 0;
  uint64_t base;

  bool fail(const std::string &what) {
    error = what + " at byte " + std::to_string(base + pos);
    return false;
  }
  /// The byte at `pos` for a message: "'x'", "byte 0x07", "end of text".
  std::string describe() const {
    if (pos >= n)
      return "end of text";
    unsigned char c = s[pos];
    if (c >= 0x20 && c < 0x7F)
      return std::string("'") + char(c) + "'";
    const char *hex = "0123456789abcdef";
    return std::string("byte 0x") + hex[c >> 4] + hex[c & 15];
  }
  void ws() {
    while (pos < n && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' ||
                       s[pos] == '\r'))
      ++pos;
  }
  bool consume(char c) {
    if (pos < n && s[pos] == static_cast<unsigned char>(c)) {
      ++pos;
      return true;
    }
    return false;
  }
  bool isDigit() const { return pos < n && s[pos] >= '0' && s[pos] <= '9'; }

  bool value(JsonValue &v, unsigned depth) {
    if (pos >= n)
      return fail("expected a value, found end of text");
    unsigned char c = s[pos];
    if (c == '{' || c == '[') {
      if (depth + 1 > kMaxJsonDepth) {
        tooDeep = true;
        return fail("JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                    " levels");
      }
      return c == '{' ? object(v, depth + 1) : array(v, depth + 1);
    }
    if (c == '"') {
      v.kind = JsonValue::String;
      return string(v.text);
    }
    if (c == '-' || (c >= '0' && c <= '9'))
      return number(v);
    for (const char *word : {"true", "false", "null"}) {
      size_t len = std::char_traits<char>::length(word);
      if (n - pos >= len &&
          std::char_traits<char>::compare(
              reinterpret_cast<const char *>(s + pos), word, len) == 0) {
        pos += len;
        v.kind = word[0] == 'n' ? JsonValue::Null : JsonValue::Bool;
        v.boolean = word[0] == 't';
        return true;
      }
    }
    return fail("expected a value, found " + describe());
  }

  bool object(JsonValue &v, unsigned depth) {
    v.kind = JsonValue::Object;
    ++pos; // '{'
    ws();
    if (consume('}'))
      return true;
    for (;;) {
      ws();
      if (pos >= n || s[pos] != '"')
        return fail("expected a string key, found " + describe());
      std::string key;
      if (!string(key))
        return false;
      ws();
      if (!consume(':'))
        return fail("expected ':' after an object key, found " + describe());
      ws();
      v.items.emplace_back();
      if (!value(v.items.back(), depth))
        return false;
      v.keys.push_back(std::move(key));
      ws();
      if (consume(','))
        continue;
      if (consume('}'))
        return true;
      return fail("expected ',' or '}' in an object, found " + describe());
    }
  }

  bool array(JsonValue &v, unsigned depth) {
    v.kind = JsonValue::Array;
    ++pos; // '['
    ws();
    if (consume(']'))
      return true;
    for (;;) {
      ws();
      v.items.emplace_back();
      if (!value(v.items.back(), depth))
        return false;
      ws();
      if (consume(','))
        continue;
      if (consume(']'))
        return true;
      return fail("expected ',' or ']' in an array, found " + describe());
    }
  }

  /// Four hex digits at `pos`.
  bool hex4(uint32_t &cp) {
    cp = 0;
    for (int k = 0; k < 4; ++k, ++pos) {
      unsigned char c = pos < n ? s[pos] : 0;
      unsigned d = c >= '0' && c <= '9'   ? c - '0'
                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : 16;
      if (d == 16)
        return fail("expected four hex digits after \\u");
      cp = cp * 16 + d;
    }
    return true;
  }

  /// A string at `pos` (at its opening quote), decoded into `out`.
  bool string(std::string &out) {
    ++pos; // '"'
    for (;;) {
      if (pos >= n)
        return fail("unterminated string");
      unsigned char c = s[pos];
      if (c == '"') {
        ++pos;
        return true;
      }
      if (c < 0x20)
        return fail("raw control character " + describe() + " in a string");
      if (c >= 0x80) {
        size_t len = utf8Length(s + pos, n - pos);
        if (!len)
          return fail("invalid UTF-8 in a string");
        out.append(reinterpret_cast<const char *>(s + pos), len);
        pos += len;
        continue;
      }
      ++pos;
      if (c != '\\') {
        out += char(c);
        continue;
      }
      if (pos >= n)
        return fail("unterminated string");
      char e = char(s[pos++]);
      const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
      if (e != 'u') {
        size_t k = 0;
        while (from[k] && from[k] != e)
          ++k;
        if (!from[k]) {
          --pos;
          return fail("invalid escape '\\" + std::string(1, e) + "'");
        }
        out += to[k];
        continue;
      }
      uint32_t cp;
      if (!hex4(cp))
        return false;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        uint32_t lo;
        if (!(consume('\\') && consume('u')) || !hex4(lo) || lo < 0xDC00 ||
            lo > 0xDFFF)
          return fail("unpaired surrogate in a \\u escape");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return fail("unpaired surrogate in a \\u escape");
      }
      appendUtf8(out, cp);
    }
  }

  /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number(JsonValue &v) {
    size_t start = pos;
    consume('-');
    if (consume('0')) {
    } else if (isDigit()) {
      while (isDigit())
        ++pos;
    } else {
      return fail("expected a digit, found " + describe());
    }
    if (consume('.')) {
      if (!isDigit())
        return fail("expected a digit after '.', found " + describe());
      while (isDigit())
        ++pos;
    }
    if (consume('e') || consume('E')) {
      if (!consume('+'))
        consume('-');
      if (!isDigit())
        return fail("expected a digit in the exponent, found " + describe());
      while (isDigit())
        ++pos;
    }
    v.kind = JsonValue::Number;
    v.text.assign(reinterpret_cast<const char *>(s + start), pos - start);
    return true;
  }
};

} // namespace json_detail

/// Parses `size` bytes of `text` as one JSON value into `out`. Returns the
/// problem ("<what> at byte K", K counted from `offset`), or std::nullopt;
/// `*tooDeep` tells a nesting error from a syntax error.
inline std::optional<std::string> parseJson(const char *text, size_t size,
                                            JsonValue &out, uint64_t offset = 0,
                                            bool *tooDeep = nullptr) {
  out = JsonValue();
  json_detail::Parser p(text, size, offset);
  bool ok = p.document(out);
  if (tooDeep)
    *tooDeep = p.tooDeep;
  if (ok)
    return std::nullopt;
  out = JsonValue();
  return p.error;
}

/// True when `s` is valid UTF-8 (what a JSON string may hold).
inline bool isValidUtf8(const std::string &s) {
  const unsigned char *p = reinterpret_cast<const unsigned char *>(s.data());
  for (size_t i = 0, len; i < s.size(); i += len)
    if (!(len = json_detail::utf8Length(p + i, s.size() - i)))
      return false;
  return true;
}

/// Appends `s` (valid UTF-8) as a JSON string: '"' and '\' escaped, \t \n
/// \r short, other control characters as \u00XX, everything else as is
/// (byte for byte what llvm::json::OStream writes).
inline void jsonQuote(std::string &out, const std::string &s) {
  const char *hex = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\')
      out += '\\';
    if (c >= 0x20) {
      out += char(c);
      continue;
    }
    out += '\\';
    if (c == '\t')
      out += 't';
    else if (c == '\n')
      out += 'n';
    else if (c == '\r')
      out += 'r';
    else
      out += std::string("u00") + hex[c >> 4] + hex[c & 15];
  }
  out += '"';
}

} // namespace sxf_rt

#endif // SXF_RT_JSON_H
