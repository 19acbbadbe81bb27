//===- safetensors_container_test.cpp - json.h, safetensors.h, container.h ===//
//
// json.h: what strict JSON accepts and refuses, with the problem and its
// position; nesting at and past 128 levels; the writer's quoting.
// safetensors.h: the header writer pinned byte for byte and read back; one
// case per problem of parseSafetensorsView (the compiler's
// unittests/Support/SafetensorsTest.cpp checks the same core through its
// llvm::Error wrapper); every prefix and single-byte corruption of a valid
// file. container.h: the runtime's view of a container, errors naming the
// file. format_kinds.h: the container's format record, round trips per kind
// and malformed records.
//
//===----------------------------------------------------------------------===//

#include "sxf_rt/container.h"
#include "sxf_rt/format_kinds.h"
#include "sxf_rt/json.h"
#include "sxf_rt/safetensors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using namespace sxf_rt;

namespace {

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos)             \
      << "'" << (haystack) << "' does not contain '" << (needle) << "'"

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

/// The problem parseJson reports for `text` ("" when it parses).
std::string jsonProblem(const std::string &text, uint64_t offset = 0,
                        bool *tooDeep = nullptr) {
  JsonValue v;
  std::optional<std::string> p =
      parseJson(text.data(), text.size(), v, offset, tooDeep);
  return p ? *p : "";
}

TEST(Json, ParsesValuesInOrderWithDuplicates) {
  std::string text = " {\"b\": [1, -2.5e3, 0, true, false, null, \"x\"],\n"
                     "\t\"a\": {}, \"b\": -0, \"c\": []}\r\n";
  JsonValue v;
  ASSERT_EQ(parseJson(text.data(), text.size(), v), std::nullopt);
  ASSERT_EQ(v.kind, JsonValue::Object);
  EXPECT_EQ(v.keys, (std::vector<std::string>{"b", "a", "b", "c"}));
  const JsonValue *b = v.get("b"); // the first
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->kind, JsonValue::Array);
  ASSERT_EQ(b->items.size(), 7u);
  EXPECT_EQ(b->items[0].text, "1");
  EXPECT_EQ(b->items[1].kind, JsonValue::Number);
  EXPECT_EQ(b->items[1].text, "-2.5e3");
  EXPECT_TRUE(b->items[3].boolean);
  EXPECT_EQ(b->items[4].kind, JsonValue::Bool);
  EXPECT_FALSE(b->items[4].boolean);
  EXPECT_EQ(b->items[5].kind, JsonValue::Null);
  EXPECT_EQ(b->items[6].kind, JsonValue::String);
  EXPECT_EQ(b->items[6].text, "x");
  EXPECT_EQ(v.items[2].text, "-0");
  EXPECT_EQ(v.get("a")->kind, JsonValue::Object);
  EXPECT_EQ(v.get("c")->kind, JsonValue::Array);
  EXPECT_EQ(v.get("d"), nullptr);
  // Any value may stand alone.
  EXPECT_EQ(jsonProblem("7"), "");
  EXPECT_EQ(jsonProblem("\"s\""), "");
  EXPECT_EQ(jsonProblem("null"), "");
}

TEST(Json, DecodesEscapesAndUtf8) {
  std::string text = "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u0041\\u00e9\\u20AC"
                     "\\ud83d\\ude00 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"";
  JsonValue v;
  ASSERT_EQ(parseJson(text.data(), text.size(), v), std::nullopt);
  EXPECT_EQ(v.text, "q\" b\\ s/ \b\f\n\r\t A\xc3\xa9\xe2\x82\xac"
                    "\xf0\x9f\x98\x80 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  // An escaped NUL is a character like any other.
  std::string nul = "\"a\\u0000b\"";
  ASSERT_EQ(parseJson(nul.data(), nul.size(), v), std::nullopt);
  EXPECT_EQ(v.text, std::string("a\0b", 3));
}

TEST(Json, RefusesWhatStrictJsonRefuses) {
  struct Case {
    std::string text, problem;
  } cases[] = {
      {"", "expected a value, found end of text at byte 0"},
      {"   ", "expected a value, found end of text at byte 3"},
      {"{\"a\":1,}", "expected a string key, found '}' at byte 7"},
      {"[1,]", "expected a value, found ']' at byte 3"},
      {"{'a':1}", "expected a string key, found ''' at byte 1"},
      {"{a:1}", "expected a string key, found 'a' at byte 1"},
      {"{\"a\" 1}", "expected ':' after an object key, found '1' at byte 5"},
      {"{\"a\":1 \"b\":2}",
       "expected ',' or '}' in an object, found '\"' at byte 7"},
      {"[1 2]", "expected ',' or ']' in an array, found '2' at byte 3"},
      {"{\"a\":1", "expected ',' or '}' in an object, found end of text at "
                   "byte 6"},
      {"01", "unexpected '1' after the JSON value at byte 1"},
      {"{} x", "unexpected 'x' after the JSON value at byte 3"},
      {std::string("{}\0", 3),
       "unexpected byte 0x00 after the JSON value at byte 2"},
      {"1.", "expected a digit after '.', found end of text at byte 2"},
      {"1.e5", "expected a digit after '.', found 'e' at byte 2"},
      {"1e", "expected a digit in the exponent, found end of text at byte 2"},
      {"1e+", "expected a digit in the exponent, found end of text at byte 3"},
      {"-", "expected a digit, found end of text at byte 1"},
      {"-a", "expected a digit, found 'a' at byte 1"},
      {".5", "expected a value, found '.' at byte 0"},
      {"+1", "expected a value, found '+' at byte 0"},
      {"NaN", "expected a value, found 'N' at byte 0"},
      {"tru", "expected a value, found 't' at byte 0"},
      {"True", "expected a value, found 'T' at byte 0"},
      {"nullx", "unexpected 'x' after the JSON value at byte 4"},
      {"/* c */ {}", "expected a value, found '/' at byte 0"},
      {"\"abc", "unterminated string at byte 4"},
      {"\"abc\\", "unterminated string at byte 5"},
      {"\"a\x01\"", "raw control character byte 0x01 in a string at byte 2"},
      {"\"a\nb\"", "raw control character byte 0x0a in a string at byte 2"},
      {"\"\\x\"", "invalid escape '\\x' at byte 2"},
      {"\"\\'\"", "invalid escape '\\'' at byte 2"},
      {"\"\\u12\"", "expected four hex digits after \\u at byte 5"},
      {"\"\\u12g4\"", "expected four hex digits after \\u at byte 5"},
      {"\"\\ud800\"", "unpaired surrogate in a \\u escape at byte 7"},
      {"\"\\ud800\\u0041\"", "unpaired surrogate in a \\u escape at byte 13"},
      {"\"\\udc00\"", "unpaired surrogate in a \\u escape at byte 7"},
      {"\"\xc0\xaf\"", "invalid UTF-8 in a string at byte 1"}, // overlong
      {"\"\xe0\x80\xaf\"", "invalid UTF-8 in a string at byte 1"},
      {"\"\xed\xa0\x80\"", "invalid UTF-8 in a string at byte 1"}, // U+D800
      {"\"\xf4\x90\x80\x80\"", "invalid UTF-8 in a string at byte 1"},
      {"\"\xf5\x80\x80\x80\"", "invalid UTF-8 in a string at byte 1"},
      {"\"a\x80\"", "invalid UTF-8 in a string at byte 2"},
      {"\"\xe2\x82\"", "invalid UTF-8 in a string at byte 1"}, // truncated
      {"\"\xe2\x82", "invalid UTF-8 in a string at byte 1"},
      {"\xef\xbb\xbf{}", "expected a value, found byte 0xef at byte 0"},
  };
  for (const Case &c : cases) {
    bool tooDeep = true;
    EXPECT_EQ(jsonProblem(c.text, 0, &tooDeep), c.problem) << c.text;
    EXPECT_FALSE(tooDeep) << c.text;
  }
  // Positions count from the offset given.
  EXPECT_EQ(jsonProblem("[1,]", 8), "expected a value, found ']' at byte 11");
}

TEST(Json, BoundsNesting) {
  auto nested = [](int levels, bool objects) {
    std::string s;
    for (int i = 0; i < levels; ++i)
      s += objects ? "{\"k\":" : "[";
    s += "0";
    for (int i = 0; i < levels; ++i)
      s += objects ? "}" : "]";
    return s;
  };
  for (bool objects : {false, true}) {
    EXPECT_EQ(jsonProblem(nested(int(kMaxJsonDepth), objects)), "");
    bool tooDeep = false;
    std::string text = nested(int(kMaxJsonDepth) + 1, objects);
    size_t at = text.find_first_of("[{", objects ? 5 * 128 : 128);
    EXPECT_EQ(jsonProblem(text, 8, &tooDeep),
              "JSON nested deeper than 128 levels at byte " +
                  std::to_string(8 + at));
    EXPECT_TRUE(tooDeep);
    // Thousands of levels are the same error, not a stack overflow.
    EXPECT_CONTAINS(jsonProblem(nested(100000, objects)),
                    "JSON nested deeper than 128 levels at byte ");
  }
  // Brackets in strings do not nest.
  EXPECT_EQ(jsonProblem("\"" + std::string(5000, '[') + "\""), "");
}

TEST(Json, QuotesAsLlvmJsonDoes) {
  std::string out;
  jsonQuote(out, std::string("a\"b\\c/\t\n\r\x01\x1f\x7f\xc3\xa9", 14));
  EXPECT_EQ(out, "\"a\\\"b\\\\c/\\t\\n\\r\\u0001\\u001f\x7f\xc3\xa9\"");
  JsonValue v;
  ASSERT_EQ(parseJson(out.data(), out.size(), v), std::nullopt);
  EXPECT_EQ(v.text, std::string("a\"b\\c/\t\n\r\x01\x1f\x7f\xc3\xa9", 14));
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_TRUE(isValidUtf8("a\xc3\xa9\xf0\x9f\x98\x80"));
  EXPECT_FALSE(isValidUtf8("\xc3"));
  EXPECT_FALSE(isValidUtf8("\xed\xbf\xbf"));
  EXPECT_FALSE(isValidUtf8("a\xff"));
}

//===----------------------------------------------------------------------===//
// The safetensors core
//===----------------------------------------------------------------------===//

/// The 8-byte little-endian length, `header` and `data`.
std::string makeFile(const std::string &header, const std::string &data) {
  std::string out;
  for (int k = 0; k < 8; ++k)
    out += char((uint64_t(header.size()) >> (8 * k)) & 0xff);
  return out + header + data;
}

/// The problem parseSafetensorsView reports for `bytes` ("" when valid).
std::string viewProblem(const std::string &bytes,
                        SafetensorsView *view = nullptr) {
  SafetensorsView v;
  std::optional<std::string> p = parseSafetensorsView(
      reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size(), v);
  if (view)
    *view = v;
  return p ? *p : "";
}

/// One tensor entry of a header.
std::string entry(const std::string &name, const std::string &dtype,
                  const std::string &shape, const std::string &offsets) {
  return "\"" + name + "\":{\"dtype\":" + dtype + ",\"shape\":" + shape +
         ",\"data_offsets\":" + offsets + "}";
}

TEST(Safetensors, DTypes) {
  EXPECT_EQ(parseSafetensorsDType("BF16"), SafetensorsDType::BF16);
  EXPECT_EQ(parseSafetensorsDType("BOOL"), SafetensorsDType::Bool);
  EXPECT_EQ(parseSafetensorsDType("Bool"), std::nullopt);
  EXPECT_EQ(parseSafetensorsDType("U16"), std::nullopt);
  for (int i = 0; i <= int(SafetensorsDType::Bool); ++i) {
    SafetensorsDType t = SafetensorsDType(i);
    EXPECT_EQ(parseSafetensorsDType(safetensorsDTypeName(t)), t);
  }
  EXPECT_EQ(safetensorsDTypeSize(SafetensorsDType::F64), 8u);
  EXPECT_EQ(safetensorsDTypeSize(SafetensorsDType::BF16), 2u);
  EXPECT_EQ(safetensorsDTypeSize(SafetensorsDType::Bool), 1u);
}

TEST(Safetensors, HeaderWriterPinnedAndReadBack) {
  std::vector<SafetensorsTensor> ts(3);
  ts[0].name = "w\"1";
  ts[0].dtype = SafetensorsDType::F16;
  ts[0].shape = {2, 3};
  ts[1].name = "s";
  ts[1].shape = {};
  ts[2].name = "e";
  ts[2].dtype = SafetensorsDType::U8;
  ts[2].shape = {0, 5};
  std::string prefix;
  ASSERT_EQ(safetensorsFileHeader(ts, {{"k", "v\n"}, {"a", ""}}, prefix),
            std::nullopt);
  std::string json =
      "{\"__metadata__\":{\"a\":\"\",\"k\":\"v\\n\"},"
      "\"w\\\"1\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,12]},"
      "\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[12,16]},"
      "\"e\":{\"dtype\":\"U8\",\"shape\":[0,5],\"data_offsets\":[16,16]}}";
  json.append((8 - json.size() % 8) % 8, ' ');
  EXPECT_EQ(prefix, makeFile(json, ""));
  EXPECT_EQ(ts[1].begin, 12u);
  EXPECT_EQ(ts[1].end, 16u);

  std::string data(16, '\0');
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = char(i);
  std::string bytes = prefix + data;
  SafetensorsView v;
  ASSERT_EQ(viewProblem(bytes, &v), "");
  EXPECT_EQ(v.headerLength, json.size());
  EXPECT_EQ(v.dataSize, 16u);
  EXPECT_EQ(v.data, reinterpret_cast<const unsigned char *>(bytes.data()) + 8 +
                        json.size());
  ASSERT_EQ(v.tensors.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(v.tensors[i].name, ts[i].name);
    EXPECT_EQ(v.tensors[i].dtype, ts[i].dtype);
    EXPECT_EQ(v.tensors[i].shape, ts[i].shape);
    EXPECT_EQ(v.tensors[i].begin, ts[i].begin);
    EXPECT_EQ(v.tensors[i].end, ts[i].end);
  }
  EXPECT_EQ(v.metadata,
            (std::map<std::string, std::string>{{"a", ""}, {"k", "v\n"}}));

  // Nothing at all: "{}" padded to 8 bytes.
  std::vector<SafetensorsTensor> none;
  ASSERT_EQ(safetensorsFileHeader(none, {}, prefix), std::nullopt);
  EXPECT_EQ(prefix, makeFile("{}      ", ""));
  EXPECT_EQ(viewProblem(prefix), "");
}

TEST(Safetensors, HeaderWriterProblems) {
  auto problem = [](std::vector<SafetensorsTensor> ts,
                    std::map<std::string, std::string> meta = {}) {
    std::string out;
    std::optional<std::string> p = safetensorsFileHeader(ts, meta, out);
    return p ? *p : "";
  };
  auto t = [](std::string name, std::vector<int64_t> shape = {1}) {
    SafetensorsTensor r;
    r.name = std::move(name);
    r.shape = std::move(shape);
    return r;
  };
  EXPECT_EQ(problem({t("a\xff")}), "tensor name 'a\xff' is not UTF-8");
  EXPECT_EQ(problem({t("__metadata__")}),
            "'__metadata__' is reserved and cannot name a tensor");
  EXPECT_EQ(problem({t("a"), t("b"), t("a")}), "duplicate tensor name 'a'");
  EXPECT_EQ(problem({t("a", {2, -1})}), "tensor 'a': invalid shape 2x-1");
  EXPECT_EQ(problem({t("a", {INT64_MAX, 2})}),
            "tensor 'a': invalid shape 9223372036854775807x2");
  EXPECT_EQ(problem({t("a", {INT64_MAX / 4 + 1})}),
            "tensor 'a': invalid shape 2305843009213693952"); // F32 bytes
  EXPECT_EQ(problem({t("a")}, {{"k\xc3", "v"}}),
            "metadata entry 'k\xc3' is not UTF-8");
  EXPECT_EQ(problem({t("a")}, {{"k", "\xe2\x82"}}),
            "metadata entry 'k' is not UTF-8");
  // A header a reader would refuse as too long (100,000,000 bytes).
  EXPECT_EQ(problem({t("a")}, {{"k", std::string(100000000, 'x')}}),
            "the header would be 100000080 bytes, more than a reader accepts "
            "(100000000)");
  EXPECT_EQ(problem({t("a"), t("b", {0, INT64_MAX, INT64_MAX})}),
            "tensor 'b': invalid shape 0x9223372036854775807x"
            "9223372036854775807");
}

TEST(Safetensors, FileProblems) {
  // The length field.
  EXPECT_EQ(viewProblem("abc"), "file is too short for a safetensors header "
                                "(3 bytes, need at least 8)");
  EXPECT_EQ(viewProblem(""), "file is too short for a safetensors header "
                             "(0 bytes, need at least 8)");
  EXPECT_EQ(viewProblem(std::string(8, '\xff')),
            "header length 18446744073709551615 is absurdly large (limit "
            "100000000 bytes)");
  std::string big = makeFile("{}", "");
  const char len[] = {'\x01', '\xe1', '\xf5', '\x05'}; // 100000001
  std::copy(len, len + 4, big.begin());
  EXPECT_EQ(viewProblem(big), "header length 100000001 is absurdly large "
                              "(limit 100000000 bytes)");
  std::string longer = makeFile("{}", "");
  longer[0] = 3;
  EXPECT_EQ(viewProblem(longer), "header length 3 is larger than the file "
                                 "(10 bytes, 2 after the length field)");
  // The JSON, positions counted from the start of the file.
  EXPECT_EQ(viewProblem(makeFile("{bad", "")),
            "header is not valid JSON: expected a string key, found 'b' at "
            "byte 9");
  EXPECT_EQ(viewProblem(makeFile(std::string("{} \0", 4), "")),
            "header is not valid JSON: unexpected byte 0x00 after the JSON "
            "value at byte 11");
  std::string deep = "{\"__metadata__\": {\"a\": " + std::string(5000, '[') +
                     std::string(5000, ']') + "}}";
  EXPECT_EQ(viewProblem(makeFile(deep, "")),
            "header: JSON nested deeper than 128 levels at byte 157");
  EXPECT_EQ(viewProblem(makeFile("[1, 2]", "")), "header is not a JSON object");
  EXPECT_EQ(viewProblem(makeFile("\"{}\"", "")), "header is not a JSON object");
}

TEST(Safetensors, HeaderProblems) {
  const std::string f32x2 = entry("t", "\"F32\"", "[2]", "[0,8]");
  struct Case {
    std::string header;
    size_t dataSize;
    std::string problem;
  } cases[] = {
      // Names and metadata.
      {"{" + f32x2 + "," + entry("t", "\"F32\"", "[2]", "[8,16]") + "}", 16,
       "duplicate tensor name 't' in header"},
      {"{" + f32x2 + "," + entry("\\u0074", "\"F32\"", "[2]", "[8,16]") + "}",
       16, "duplicate tensor name 't' in header"},
      {"{\"__metadata__\":{},\"__metadata__\":{}}", 0,
       "duplicate '__metadata__' in header"},
      {"{\"__metadata__\":[\"a\"]}", 0,
       "'__metadata__' must be an object mapping strings to strings"},
      {"{\"__metadata__\":{\"k\":1}}", 0,
       "'__metadata__' value for key 'k' is not a string"},
      {"{\"__metadata__\":{\"k\":\"a\",\"k\":\"a\"}}", 0,
       "duplicate key 'k' in '__metadata__'"},
      // An entry.
      {"{\"t\":5}", 0, "tensor 't': entry is not a JSON object"},
      {"{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],"
       "\"shape\":[2]}}",
       8, "tensor 't': duplicate field 'shape'"},
      {"{\"t\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
       "tensor 't': missing 'dtype'"},
      {"{" + entry("t", "4", "[2]", "[0,8]") + "}", 8,
       "tensor 't': 'dtype' is not a string"},
      {"{" + entry("t", "\"F8_E4M3\"", "[2]", "[0,2]") + "}", 2,
       "tensor 't': unknown dtype 'F8_E4M3' (expected one of F32, F16, BF16, "
       "F64, I8, I16, I32, I64, U8, BOOL)"},
      {"{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8,
       "tensor 't': missing 'shape'"},
      {"{" + entry("t", "\"F32\"", "\"2\"", "[0,8]") + "}", 8,
       "tensor 't': 'shape' is not an array"},
      {"{" + entry("t", "\"F32\"", "[\"2\"]", "[0,8]") + "}", 8,
       "tensor 't': 'shape' must be an array of integers"},
      {"{" + entry("t", "\"F32\"", "[2.0]", "[0,8]") + "}", 8,
       "tensor 't': 'shape' must be an array of integers"},
      {"{" + entry("t", "\"F32\"", "[2e0]", "[0,8]") + "}", 8,
       "tensor 't': 'shape' must be an array of integers"},
      {"{" + entry("t", "\"F32\"", "[null]", "[0,8]") + "}", 8,
       "tensor 't': 'shape' must be an array of integers"},
      {"{" + entry("t", "\"F32\"", "[18446744073709551616]", "[0,8]") + "}", 8,
       "tensor 't': 'shape' must be an array of integers"},
      {"{" + entry("t", "\"F32\"", "[-2, 3]", "[0,8]") + "}", 8,
       "tensor 't': negative extent -2 in 'shape'"},
      {"{" + entry("t", "\"F32\"", "[18446744073709551615]", "[0,8]") + "}", 8,
       "tensor 't': shape extent 18446744073709551615 overflows the element "
       "count"},
      {"{" + entry("t", "\"F32\"", "[4294967296, 4294967296]", "[0,8]") + "}",
       8, "tensor 't': element count of shape 4294967296x4294967296 overflows"},
      // The product of the non-zero extents must fit even next to a zero.
      {"{" + entry("t", "\"F32\"", "[4294967296, 0, 4294967296]", "[0,0]") +
           "}",
       0,
       "tensor 't': element count of shape 4294967296x0x4294967296 "
       "overflows"},
      {"{" + entry("t", "\"F64\"", "[4611686018427387904]", "[0,8]") + "}", 8,
       "tensor 't': byte size of shape 4611686018427387904 overflows"},
      {"{\"t\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8,
       "tensor 't': missing 'data_offsets'"},
      {"{" + entry("t", "\"F32\"", "[4]", "[0,16]") + "}", 8,
       "tensor 't': data_offsets end 16 is beyond the data buffer (8 bytes)"},
      {"{" +
           entry("t", "\"F32\"", "[0]",
                 "[18446744073709551615,18446744073709551615]") +
           "}",
       0,
       "tensor 't': data_offsets end 18446744073709551615 is beyond the data "
       "buffer (0 bytes)"},
      {"{" + entry("t", "\"F32\"", "[3]", "[0,8]") + "}", 8,
       "tensor 't': byte size does not match shape 3 and dtype F32 (expected "
       "12 bytes, found 8)"},
      {"{" + entry("t", "\"F32\"", "[]", "[0,8]") + "}", 8,
       "tensor 't': byte size does not match shape scalar and dtype F32 "
       "(expected 4 bytes, found 8)"},
      // The layout.
      {"{" + entry("first", "\"F32\"", "[2]", "[0,8]") + "," +
           entry("second", "\"F32\"", "[2]", "[4,12]") + "}",
       12,
       "tensors 'first' [0, 8) and 'second' [4, 12) have overlapping byte "
       "ranges"},
      {"{" + entry("x", "\"U8\"", "[2]", "[10,12]") + "," +
           entry("big", "\"U8\"", "[16]", "[0,16]") + "," +
           entry("y", "\"U8\"", "[2]", "[2,4]") + "}",
       16, "tensors 'big' [0, 16) and 'y' [2, 4) have overlapping byte ranges"},
      {"{" + entry("a", "\"F32\"", "[1]", "[0,4]") + "," +
           entry("b", "\"F32\"", "[1]", "[8,12]") + "}",
       12,
       "bytes [4, 8) of the data section belong to no tensor (do the header "
       "length and the data offsets add up?)"},
      {"{" + entry("a", "\"F32\"", "[1]", "[4,8]") + "}", 8,
       "bytes [0, 4) of the data section belong to no tensor (do the header "
       "length and the data offsets add up?)"},
  };
  for (const Case &c : cases)
    EXPECT_EQ(viewProblem(makeFile(c.header, std::string(c.dataSize, '\0'))),
              c.problem)
        << c.header;
  std::string h = "{" + f32x2 + "}";
  EXPECT_EQ(viewProblem(makeFile(h, std::string(9, '\0'))),
            "the tensors cover 8 bytes but the data section after the " +
                std::to_string(h.size()) +
                "-byte header holds 9 (do the header length and the data "
                "offsets add up?)");
  // One byte of padding cut from the header: it still parses, but the
  // offsets no longer add up to the data section.
  std::string padded = makeFile(h + "  ", std::string(8, '\x11'));
  EXPECT_EQ(viewProblem(padded), "");
  padded[0] = char(padded[0] - 1);
  EXPECT_CONTAINS(viewProblem(padded), "the tensors cover 8 bytes but the "
                                       "data section after the");
}

TEST(Safetensors, AcceptsWhatTheFormatAllows) {
  // Every dtype; entries out of offset order; empty tensors anywhere, even
  // inside another's range; unknown fields ignored (as the reference
  // implementation does); "-0" is 0; whitespace padding.
  std::string header =
      "{" + entry("a", "\"I8\"", "[1]", "[0,1]") + "," +
      entry("f", "\"I64\"", "[1]", "[9,17]") + "," +
      entry("b", "\"U8\"", "[1]", "[1,2]") + "," +
      entry("c", "\"BOOL\"", "[1]", "[2,3]") + "," +
      entry("d", "\"I16\"", "[1]", "[3,5]") + "," +
      entry("e", "\"I32\"", "[-0]", "[5,5]") + "," +
      entry("g", "\"I32\"", "[1]", "[5,9]") + "," +
      entry("h", "\"BF16\"", "[0,3]", "[7,7]") + "," +
      "\"i\":{\"data_offsets\":[17,19],\"x-extra\":{\"k\":[1,2]},"
      "\"shape\":[1,1],\"dtype\":\"F16\"}," +
      entry("j", "\"F64\"", "[]", "[19,27]") + "}  \n ";
  SafetensorsView v;
  ASSERT_EQ(viewProblem(makeFile(header, std::string(27, '\0')), &v), "");
  ASSERT_EQ(v.tensors.size(), 10u);
  EXPECT_EQ(v.tensors[1].name, "f");
  EXPECT_EQ(v.tensors[1].dtype, SafetensorsDType::I64);
  EXPECT_EQ(v.tensors[5].shape, (std::vector<int64_t>{0}));
  EXPECT_EQ(v.tensors[8].shape, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(v.tensors[8].begin, 17u);
  EXPECT_TRUE(v.tensors[9].shape.empty());
  EXPECT_TRUE(v.metadata.empty());
}

/// Every prefix of a valid file is refused, and every single-byte
/// corruption of its header is refused or accepted cleanly with every
/// tensor inside the data section (run under ASan: nothing is read out of
/// bounds).
TEST(Safetensors, TruncatedAndCorruptedFilesNeverCrash) {
  std::vector<SafetensorsTensor> ts(2);
  ts[0].name = "a";
  ts[0].dtype = SafetensorsDType::F16;
  ts[0].shape = {2, 3};
  ts[1].name = "b";
  ts[1].shape = {4};
  std::string prefix;
  ASSERT_EQ(safetensorsFileHeader(ts, {{"k", "v"}}, prefix), std::nullopt);
  std::string good = prefix + std::string(28, '\x3c');
  ASSERT_EQ(viewProblem(good), "");
  for (size_t n = 0; n < good.size(); ++n) {
    std::vector<unsigned char> exact(good.begin(), good.begin() + long(n));
    SafetensorsView v;
    EXPECT_NE(parseSafetensorsView(exact.data(), exact.size(), v), std::nullopt)
        << n;
  }
  const char replacements[] = {'"',  '{', '}', '[', ']',  ',', ':',
                               '\\', '9', '-', 'x', '\0', ' ', '\x80'};
  for (size_t i = 0; i < prefix.size(); ++i)
    for (char c : replacements) {
      std::vector<unsigned char> bad(good.begin(), good.end());
      bad[i] = static_cast<unsigned char>(c);
      SafetensorsView v;
      if (parseSafetensorsView(bad.data(), bad.size(), v))
        continue;
      for (const SafetensorsTensor &t : v.tensors) {
        EXPECT_LE(t.begin, t.end);
        EXPECT_LE(t.end, v.dataSize);
      }
      EXPECT_EQ(v.data + v.dataSize, bad.data() + bad.size());
    }
}

//===----------------------------------------------------------------------===//
// The container of generated code
//===----------------------------------------------------------------------===//

std::unique_ptr<Container> fromString(const std::string &bytes,
                                      std::string &error) {
  return Container::fromBytes(reinterpret_cast<const uint8_t *>(bytes.data()),
                              bytes.size(), "w.safetensors", &error);
}

TEST(Container, ReadsEntriesAndMetadata) {
  std::vector<SafetensorsTensor> ts(3);
  ts[0].name = "w/values";
  ts[0].dtype = SafetensorsDType::U8;
  ts[0].shape = {6};
  ts[1].name = "b";
  ts[1].shape = {2};
  ts[2].name = "empty";
  ts[2].shape = {0};
  std::string prefix;
  ASSERT_EQ(
      safetensorsFileHeader(
          ts, {{"sxf.format/w", "kind=dense value=f32"}, {"x", "y"}}, prefix),
      std::nullopt);
  std::string data = "abcdef" + std::string("\x00\x00\x80\x3f", 4) +
                     std::string("\x00\x00\x00\x40", 4);
  std::string error;
  std::unique_ptr<Container> c = fromString(prefix + data, error);
  ASSERT_NE(c, nullptr) << error;
  EXPECT_EQ(c->name(), "w.safetensors");
  const Container::Entry *v = c->find("w/values");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->dtype, "U8");
  EXPECT_EQ(v->shape, (std::vector<int64_t>{6}));
  EXPECT_EQ(v->size, 6u);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(v->data), 6), "abcdef");
  // The copy is 8-byte aligned, and the header pads to 8 bytes: the data
  // section starts aligned.
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v->data) % 8, 0u);
  const Container::Entry *b = c->find("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->dtype, "F32");
  float f[2];
  std::memcpy(f, b->data, 8);
  EXPECT_EQ(f[0], 1.0f);
  EXPECT_EQ(f[1], 2.0f);
  ASSERT_NE(c->find("empty"), nullptr);
  EXPECT_EQ(c->find("empty")->size, 0u);
  EXPECT_EQ(c->find("nope"), nullptr);
  ASSERT_NE(c->metadata("x"), nullptr);
  EXPECT_EQ(*c->metadata("x"), "y");
  EXPECT_EQ(c->metadata("y"), nullptr);
  EXPECT_EQ(c->formattedNames(), (std::vector<std::string>{"w"}));
}

TEST(Container, ErrorsNameTheFile) {
  std::string error;
  EXPECT_EQ(fromString("abc", error), nullptr);
  EXPECT_EQ(error, "w.safetensors: file is too short for a safetensors header "
                   "(3 bytes, need at least 8)");
  // The old reader's unknown-field and metadata quirks are gone: it is the
  // core's problem, word for word.
  EXPECT_EQ(
      fromString(makeFile("{\"t\":{\"shape\":[2],\"data_offsets\":[0,8]}}",
                          std::string(8, '\0')),
                 error),
      nullptr);
  EXPECT_EQ(error, "w.safetensors: tensor 't': missing 'dtype'");
  EXPECT_EQ(
      fromString(makeFile("{\"__metadata__\":{\"k\":[\"v\"]}}", ""), error),
      nullptr);
  EXPECT_EQ(error, "w.safetensors: '__metadata__' value for key 'k' is not a "
                   "string");
  std::string header = "{" + entry("t", "\"F32\"", "[2]", "[0,8]") + "}";
  std::string bytes = makeFile(header, std::string(8, '\0'));
  EXPECT_EQ(fromString(bytes.substr(0, 20), error), nullptr);
  EXPECT_EQ(error, "w.safetensors: header length " +
                       std::to_string(header.size()) +
                       " is larger than the file (20 bytes, 12 after the "
                       "length field)");
  EXPECT_EQ(Container::fromFile("/nonexistent/dir/w.safetensors", &error),
            nullptr);
  EXPECT_CONTAINS(error, "/nonexistent/dir/w.safetensors: cannot open: ");
}

TEST(Container, DeeplyNestedHeaderIsAnError) {
  // 5000 levels in a metadata value, in a tensor field and at the top.
  std::string deep = std::string(5000, '[') + std::string(5000, ']');
  std::string deepObj;
  for (int i = 0; i < 5000; ++i)
    deepObj += "{\"k\":";
  for (const std::string &header :
       {"{\"__metadata__\": {\"a\": " + deep + "}}",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": " + deep + "}}",
        "{\"w\": {\"x\": " + deepObj + "}}", deep}) {
    std::string error;
    EXPECT_EQ(fromString(makeFile(header, ""), error), nullptr);
    EXPECT_EQ(error.rfind("w.safetensors: header: JSON nested deeper than 128 "
                          "levels at byte ",
                          0),
              0u)
        << error;
  }
}

//===----------------------------------------------------------------------===//
// The container's format record
//===----------------------------------------------------------------------===//

/// The problem parseFormatRecord reports for `desc` ("" when valid).
std::string recordProblem(const std::string &desc) {
  FormatRecord r;
  std::optional<std::string> p = parseFormatRecord(desc, r);
  return p ? *p : "";
}

TEST(FormatRecord, RoundTripsEveryKind) {
  struct Case {
    Kind kind;
    ValueType vt;
    unsigned indexBits, a, b; // a x b: bsr block, nm n:m
    int64_t rows, cols, stored;
    std::string text;
  } cases[] = {
      {Kind::Dense, ValueType::F32, 32, 0, 0, 3, 5, 15,
       "kind=dense value=f32 index=32 rows=3 cols=5 stored=15"},
      {Kind::CSR, ValueType::F16, 16, 0, 0, 4, 8, 5,
       "kind=csr value=f16 index=16 rows=4 cols=8 stored=5"},
      {Kind::CSC, ValueType::BF16, 8, 0, 0, 4, 8, 0,
       "kind=csc value=bf16 index=8 rows=4 cols=8 stored=0"},
      {Kind::COO, ValueType::F32, 64, 0, 0, 4, 8, 32,
       "kind=coo value=f32 index=64 rows=4 cols=8 stored=32"},
      {Kind::BSR, ValueType::F16, 8, 2, 4, 4, 8, 16,
       "kind=bsr value=f16 index=8 rows=4 cols=8 stored=16 block=2x4"},
      {Kind::NM, ValueType::F32, 2, 2, 4, 3, 8, 12,
       "kind=nm value=f32 index=2 rows=3 cols=8 stored=12 nm=2:4"},
      {Kind::ELL, ValueType::F32, 16, 0, 0, 3, 8, 6,
       "kind=ell value=f32 index=16 rows=3 cols=8 stored=6"},
  };
  for (const Case &c : cases) {
    FormatRecord r;
    r.spec.kind = c.kind;
    r.spec.valueType = c.vt;
    r.spec.indexBits = c.indexBits;
    if (c.kind == Kind::BSR)
      r.spec.blockRows = c.a, r.spec.blockCols = c.b;
    if (c.kind == Kind::NM)
      r.spec.n = c.a, r.spec.m = c.b;
    r.rows = c.rows;
    r.cols = c.cols;
    r.stored = c.stored;
    EXPECT_EQ(formatRecordString(r), c.text);
    FormatRecord back;
    ASSERT_EQ(parseFormatRecord(c.text, back), std::nullopt) << c.text;
    EXPECT_EQ(formatRecordString(back), c.text);
    EXPECT_EQ(back.spec.kind, c.kind);
    EXPECT_EQ(back.spec.blockRows, r.spec.blockRows);
    EXPECT_EQ(back.spec.m, r.spec.m);
    EXPECT_EQ(back.stored, c.stored);
  }
  // Any order, any spacing.
  EXPECT_EQ(recordProblem("  stored=5 rows=4\tkind=csr cols=8 index=16 "
                          "value=f16 "),
            "");
  // The arrays a record implies: csr 4x8, 5 values of f16, 16-bit indices,
  // 5 pointers of max(16, 8) bits.
  FormatRecord r;
  ASSERT_EQ(parseFormatRecord(cases[1].text, r), std::nullopt);
  ByteBreakdown b = recordArrayBytes(r);
  EXPECT_EQ(b.values, 10);
  EXPECT_EQ(b.indices, 10);
  EXPECT_EQ(b.pointers, 10);
}

TEST(FormatRecord, RefusesMalformedRecords) {
  const std::string csr = "kind=csr value=f16 index=16 rows=4 cols=8 ";
  struct Case {
    std::string desc, problem;
  } cases[] = {
      // Fields.
      {"", "incomplete format description"},
      {"kind=csr value=f16 index=16 rows=4 cols=8",
       "incomplete format description"},
      {"value=f16 index=16 rows=4 cols=8 stored=1",
       "incomplete format description"},
      {csr + "stored=1 kind=bsr", "duplicate field 'kind'"},
      {csr + "stored=1 stored=2", "duplicate field 'stored'"},
      {csr + "stored=1 slice=2", "unknown field 'slice=2'"},
      {csr + "stored=1 junk", "unknown field 'junk'"},
      {"Kind=csr value=f16 index=16 rows=4 cols=8 stored=1",
       "unknown field 'Kind=csr'"},
      // Values.
      {"kind=lil value=f16 index=16 rows=4 cols=8 stored=1",
       "unknown format kind 'lil' (expected dense, csr, csc, coo, bsr, nm or "
       "ell)"},
      {"kind= value=f16 index=16 rows=4 cols=8 stored=1",
       "unknown format kind '' (expected dense, csr, csc, coo, bsr, nm or "
       "ell)"},
      {"kind=csr value=f64 index=16 rows=4 cols=8 stored=1",
       "unknown value type 'f64' (expected f32, f16 or bf16)"},
      {csr + "stored=-1", "malformed number in '" + csr + "stored=-1'"},
      {csr + "stored=", "malformed number in '" + csr + "stored='"},
      {csr + "stored=1e3", "malformed number in '" + csr + "stored=1e3'"},
      {csr + "stored=0x10", "malformed number in '" + csr + "stored=0x10'"},
      {csr + "stored=+1", "malformed number in '" + csr + "stored=+1'"},
      // Above INT64_MAX: refused, not wrapped to a negative count.
      {csr + "stored=9999999999999999999",
       "malformed number in '" + csr + "stored=9999999999999999999'"},
      {csr + "stored=9223372036854775808",
       "malformed number in '" + csr + "stored=9223372036854775808'"},
      {"kind=csr value=f16 index=65 rows=4 cols=8 stored=1",
       "malformed number in 'kind=csr value=f16 index=65 rows=4 cols=8 "
       "stored=1'"},
      {"kind=csr value=f16 index=16 rows=72057594037927937 cols=8 stored=1",
       "malformed number in 'kind=csr value=f16 index=16 "
       "rows=72057594037927937 cols=8 stored=1'"},
      // bsr and nm parameters.
      {"kind=bsr value=f16 index=16 rows=4 cols=8 stored=16",
       "bsr without block="},
      {"kind=bsr value=f16 index=16 rows=4 cols=8 stored=16 block=4",
       "bad block 4"},
      {"kind=bsr value=f16 index=16 rows=4 cols=8 stored=16 block=4x",
       "bad block 4x"},
      {"kind=bsr value=f16 index=16 rows=4 cols=8 stored=16 block=4x4x4",
       "bad block 4x4x4"},
      {"kind=bsr value=f16 index=16 rows=4 cols=8 stored=16 block=4294967296x1",
       "bad block 4294967296x1"},
      {"kind=bsr value=f16 index=16 rows=4 cols=8 stored=16 block=0x4",
       "bsr block shape 0x4 must be positive"},
      {"kind=bsr value=f16 index=16 rows=6 cols=8 stored=16 block=4x4",
       "block shape 4x4 does not divide the 6x8 matrix"},
      {"kind=nm value=f16 index=16 rows=4 cols=8 stored=16", "nm without nm="},
      {"kind=nm value=f16 index=16 rows=4 cols=8 stored=16 nm=2-4",
       "bad nm 2-4"},
      {"kind=nm value=f16 index=16 rows=4 cols=8 stored=16 nm=3:2",
       "nm format 3:2 has N > M"},
      {"kind=nm value=f16 index=2 rows=4 cols=16 stored=32 nm=4:8",
       "2-bit indices cannot hold in-group index 7 of a group of 8"},
      {"kind=nm value=f16 index=16 rows=4 cols=6 stored=12 nm=2:4",
       "group size M = 4 does not divide the 6 columns"},
      // Widths and shapes.
      {"kind=csr value=f16 index=12 rows=4 cols=8 stored=1",
       "index width 12 is not one of 8, 16, 32, 64"},
      {"kind=csr value=f16 index=8 rows=4 cols=300 stored=1",
       "8-bit indices cannot hold column index 299 of the 4x300 matrix"},
      {"kind=dense value=f16 index=32 rows=72057594037927936 "
       "cols=72057594037927936 stored=0",
       "the matrix has too many elements"},
      // Stored counts a format cannot have.
      {"kind=dense value=f32 index=32 rows=3 cols=5 stored=14",
       "14 stored values are impossible for dense f32 3x5"},
      {csr + "stored=33",
       "33 stored values are impossible for csr f16/i16 4x8"},
      {"kind=coo value=f16 index=16 rows=4 cols=8 stored=33",
       "33 stored values are impossible for coo f16/i16 4x8"},
      {"kind=bsr value=f16 index=16 rows=4 cols=8 stored=12 block=2x4",
       "12 stored values are impossible for bsr[2x4] f16/i16 4x8"},
      {"kind=bsr value=f16 index=16 rows=4 cols=8 stored=40 block=2x4",
       "40 stored values are impossible for bsr[2x4] f16/i16 4x8"},
      {"kind=nm value=f16 index=16 rows=4 cols=8 stored=15 nm=2:4",
       "15 stored values are impossible for nm[2:4] f16/i16 4x8"},
      {"kind=ell value=f16 index=16 rows=4 cols=8 stored=6",
       "6 stored values are impossible for ell f16/i16 4x8"},
      {"kind=ell value=f16 index=16 rows=4 cols=8 stored=36",
       "36 stored values are impossible for ell f16/i16 4x8"},
      {"kind=ell value=f16 index=16 rows=0 cols=8 stored=1",
       "1 stored values are impossible for ell f16/i16 0x8"},
      // Array sizes that would overflow recordArrayBytes.
      {"kind=coo value=f32 index=64 rows=72057594037927936 cols=64 "
       "stored=4611686018427387904",
       "array sizes overflow"},
  };
  for (const Case &c : cases)
    EXPECT_EQ(recordProblem(c.desc), c.problem) << c.desc;
}

} // namespace
