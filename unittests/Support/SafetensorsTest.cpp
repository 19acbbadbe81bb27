//===- SafetensorsTest.cpp - Tests for the safetensors reader/writer ------===//
//
// Round trips through writeSafetensors, files built byte by byte to pin the
// on-disk format, and one test per validation error of the reader.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/Safetensors.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <thread>

#include <sys/stat.h>

using namespace sxf;

namespace {

class SafetensorsTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::error_code ec =
        llvm::sys::fs::createUniqueDirectory("sxf-safetensors-test", dir);
    ASSERT_FALSE(ec) << ec.message();
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string pathFor(llvm::StringRef name) {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }

  /// Writes raw bytes to a file in the temporary directory.
  std::string writeRaw(llvm::StringRef name, const std::string &bytes) {
    std::string p = pathFor(name);
    std::error_code ec;
    llvm::raw_fd_ostream os(p, ec);
    EXPECT_FALSE(ec) << ec.message();
    os << bytes;
    return p;
  }

  /// Reads a whole file.
  std::string slurp(const std::string &p) {
    auto buf = llvm::MemoryBuffer::getFile(p);
    EXPECT_TRUE(bool(buf));
    return buf ? (*buf)->getBuffer().str() : std::string();
  }

  /// Opens `name` holding `bytes` and returns the error message (empty and
  /// a test failure if it opened successfully).
  std::string openError(llvm::StringRef name, const std::string &bytes,
                        std::string *pathOut = nullptr) {
    std::string p = writeRaw(name, bytes);
    if (pathOut)
      *pathOut = p;
    auto f = SafetensorsFile::open(p);
    if (f) {
      ADD_FAILURE() << "expected " << name.str() << " to be rejected";
      return "";
    }
    std::string msg = llvm::toString(f.takeError());
    EXPECT_NE(msg.find(p), std::string::npos)
        << "message does not name the file: " << msg;
    return msg;
  }

  llvm::SmallString<128> dir;
};

/// The 8-byte little-endian length prefix followed by `header` and `data`.
std::string makeFile(const std::string &header, const std::string &data) {
  std::string out;
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i)
    out += static_cast<char>((n >> (8 * i)) & 0xff);
  return out + header + data;
}

std::string le32(uint32_t v) {
  std::string s;
  for (int i = 0; i < 4; ++i)
    s += static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos)             \
      << "'" << (haystack) << "' does not contain '" << (needle) << "'"

//===----------------------------------------------------------------------===//
// Round trips
//===----------------------------------------------------------------------===//

TEST_F(SafetensorsTest, RoundTripF32WithMetadata) {
  Tensor a({2, 3});
  for (int i = 0; i < 6; ++i)
    a.data[i] = 0.25f * i - 1.0f;
  Tensor s(std::vector<int64_t>{}, 3.5f);
  Tensor empty({0, 4});
  std::string p = pathFor("f32.safetensors");
  // Names deliberately out of alphabetical order.
  llvm::Error err = writeSafetensors(
      p, {{"zeta", &a, DType::F32}, {"alpha", &s}, {"empty", &empty}},
      {{"format", "pt"}, {"note", "quote \" and \\ backslash"}});
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  EXPECT_FALSE(llvm::sys::fs::exists(p + ".tmp"));

  auto f = SafetensorsFile::open(p);
  ASSERT_TRUE(bool(f)) << llvm::toString(f.takeError());
  SafetensorsFile &file = **f;
  EXPECT_EQ(file.path(), p);
  ASSERT_EQ(file.entries().size(), 3u);
  EXPECT_EQ(file.entries()[0].name, "zeta");
  EXPECT_EQ(file.entries()[1].name, "alpha");
  EXPECT_EQ(file.entries()[2].name, "empty");
  EXPECT_EQ(file.entries()[0].begin, 0u);
  EXPECT_EQ(file.entries()[0].end, 24u);
  EXPECT_EQ(file.entries()[1].begin, 24u);
  EXPECT_EQ(file.entries()[1].end, 28u);
  EXPECT_EQ(file.entries()[2].begin, 28u);
  EXPECT_EQ(file.entries()[2].end, 28u);
  EXPECT_EQ(file.metadata().size(), 2u);
  EXPECT_EQ(file.metadata().at("format"), "pt");
  EXPECT_EQ(file.metadata().at("note"), "quote \" and \\ backslash");

  auto ra = file.readFloat("zeta");
  ASSERT_TRUE(bool(ra)) << llvm::toString(ra.takeError());
  EXPECT_EQ(ra->shape, a.shape);
  EXPECT_EQ(ra->data, a.data);
  auto rs = file.readFloat("alpha");
  ASSERT_TRUE(bool(rs)) << llvm::toString(rs.takeError());
  EXPECT_TRUE(rs->shape.empty());
  ASSERT_EQ(rs->data.size(), 1u);
  EXPECT_EQ(rs->data[0], 3.5f);
  auto re = file.readFloat("empty");
  ASSERT_TRUE(bool(re)) << llvm::toString(re.takeError());
  EXPECT_EQ(re->shape, (std::vector<int64_t>{0, 4}));
  EXPECT_TRUE(re->data.empty());
  EXPECT_EQ(file.rawData(*file.find("zeta")).size(), 24u);
  EXPECT_EQ(file.find("missing"), nullptr);

  // The on-disk layout: header length multiple of 8, padded with spaces,
  // data contiguous right after it.
  std::string bytes = slurp(p);
  ASSERT_GE(bytes.size(), 8u);
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i)
    n |= uint64_t(static_cast<uint8_t>(bytes[i])) << (8 * i);
  EXPECT_EQ(n % 8, 0u);
  EXPECT_EQ(bytes.size(), 8 + n + 28);
  std::string header = bytes.substr(8, n);
  EXPECT_EQ(header.front(), '{');
  size_t close = header.rfind('}');
  ASSERT_NE(close, std::string::npos);
  EXPECT_EQ(header.find_first_not_of(' ', close + 1), std::string::npos);
  EXPECT_CONTAINS(header, "\"dtype\":\"F32\"");
  EXPECT_EQ(bytes.substr(8 + n, 4), le32(0xbf800000u)); // -1.0f
}

TEST_F(SafetensorsTest, RoundTripF16) {
  Tensor t({7});
  t.data = {1.0f, -2.5f, 65504.0f, 1e-7f, 0.1f, 1e6f, -0.0f};
  std::string p = pathFor("f16.safetensors");
  llvm::Error err = writeSafetensors(p, {{"h", &t, DType::F16}});
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  auto f = SafetensorsFile::open(p);
  ASSERT_TRUE(bool(f)) << llvm::toString(f.takeError());
  const SafetensorsEntry *e = (*f)->find("h");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->dtype, DType::F16);
  EXPECT_EQ(e->end - e->begin, 14u);
  llvm::ArrayRef<uint8_t> raw = (*f)->rawData(*e);
  ASSERT_EQ(raw.size(), 14u);
  EXPECT_EQ(raw[0], 0x00); // 1.0 = 0x3c00, little-endian
  EXPECT_EQ(raw[1], 0x3c);
  auto r = (*f)->readFloat("h");
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  ASSERT_EQ(r->data.size(), 7u);
  EXPECT_EQ(r->data[0], 1.0f);
  EXPECT_EQ(r->data[1], -2.5f);
  EXPECT_EQ(r->data[2], 65504.0f);
  EXPECT_EQ(r->data[3], std::ldexp(2.0f, -24)); // subnormal half
  EXPECT_EQ(r->data[4], halfToFloat(floatToHalf(0.1f)));
  EXPECT_NEAR(r->data[4], 0.1f, 1e-4f);
  EXPECT_TRUE(std::isinf(r->data[5]));
  EXPECT_TRUE(std::signbit(r->data[6]));
}

TEST_F(SafetensorsTest, RoundTripBF16) {
  Tensor t({2, 2});
  t.data = {1.0f, -2.5f, 3.14159f, std::numeric_limits<float>::infinity()};
  std::string p = pathFor("bf16.safetensors");
  llvm::Error err = writeSafetensors(p, {{"b", &t, DType::BF16}});
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  auto f = SafetensorsFile::open(p);
  ASSERT_TRUE(bool(f)) << llvm::toString(f.takeError());
  EXPECT_EQ((*f)->entries()[0].dtype, DType::BF16);
  auto r = (*f)->readFloat("b");
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  EXPECT_EQ(r->shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(r->data[0], 1.0f);
  EXPECT_EQ(r->data[1], -2.5f);
  EXPECT_EQ(r->data[2], 3.140625f); // 0x4049
  EXPECT_TRUE(std::isinf(r->data[3]));
}

TEST_F(SafetensorsTest, RoundTripMixedDTypesAndNoMetadata) {
  Tensor a({3}), b({2});
  a.data = {1.5f, 2.5f, -3.5f};
  b.data = {0.5f, -0.25f};
  std::string p = pathFor("mixed.safetensors");
  llvm::Error err = writeSafetensors(
      p, {{"a", &a, DType::F16}, {"b", &b, DType::F32}, {"c", &a, DType::F64}});
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  auto f = SafetensorsFile::open(p);
  ASSERT_TRUE(bool(f)) << llvm::toString(f.takeError());
  EXPECT_TRUE((*f)->metadata().empty());
  // Offsets are contiguous even when the first tensor has 2-byte elements.
  EXPECT_EQ((*f)->entries()[1].begin, 6u);
  EXPECT_EQ((*f)->entries()[2].begin, 14u);
  for (const char *n : {"a", "b", "c"}) {
    auto r = (*f)->readFloat(n);
    ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
    EXPECT_EQ(r->data, std::string(n) == "b" ? b.data : a.data) << n;
  }
}

TEST_F(SafetensorsTest, OverwritesExistingFile) {
  Tensor a({1}, 1.0f), b({1}, 2.0f);
  std::string p = pathFor("over.safetensors");
  ASSERT_FALSE(bool(writeSafetensors(p, {{"x", &a}})));
  ASSERT_FALSE(bool(writeSafetensors(p, {{"x", &b}})));
  auto f = SafetensorsFile::open(p);
  ASSERT_TRUE(bool(f)) << llvm::toString(f.takeError());
  auto r = (*f)->readFloat("x");
  ASSERT_TRUE(bool(r));
  EXPECT_EQ(r->data[0], 2.0f);
}

//===----------------------------------------------------------------------===//
// A file built byte by byte.
//===----------------------------------------------------------------------===//

TEST_F(SafetensorsTest, ReadsHandBuiltFile) {
  // Tensors listed out of offset order and out of name order; the header
  // has spaces, an escaped name and trailing padding.
  std::string header =
      "{\"__metadata__\": {\"format\": \"pt\"}, "
      "\"w\\u0031\": {\"dtype\": \"F32\", \"shape\": [2], "
      "\"data_offsets\": [0, 8]}, "
      "\"d\": {\"shape\": [], \"dtype\": \"F64\", \"data_offsets\": [16, 24]}, "
      "\"h\": {\"dtype\": \"F16\", \"shape\": [1, 1], "
      "\"data_offsets\": [8, 10]}, "
      "\"b\": {\"dtype\": \"BF16\", \"shape\": [1], \"data_offsets\": [10, "
      "12]}, "
      "\"ids\": {\"dtype\": \"I32\", \"shape\": [1], \"data_offsets\": [12, "
      "16]}}   ";
  std::string data;
  data += le32(0x3f800000u);          // 1.0f
  data += le32(0xc0200000u);          // -2.5f
  data += std::string("\x00\x3c", 2); // F16 1.0
  data += std::string("\x20\xc0", 2); // BF16 -2.5
  data += le32(42);                   // I32 42
  data += le32(0x54442d18u);          // F64 pi, low word
  data += le32(0x400921fbu);          // F64 pi, high word
  std::string p = writeRaw("hand.safetensors", makeFile(header, data));

  auto f = SafetensorsFile::open(p);
  ASSERT_TRUE(bool(f)) << llvm::toString(f.takeError());
  SafetensorsFile &file = **f;
  ASSERT_EQ(file.entries().size(), 5u);
  EXPECT_EQ(file.entries()[0].name, "w1");
  EXPECT_EQ(file.entries()[1].name, "d");
  EXPECT_EQ(file.entries()[2].name, "h");
  EXPECT_EQ(file.entries()[3].name, "b");
  EXPECT_EQ(file.entries()[4].name, "ids");
  EXPECT_EQ(file.metadata().at("format"), "pt");

  auto w = file.readFloat("w1");
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  EXPECT_EQ(w->data, (std::vector<float>{1.0f, -2.5f}));
  auto h = file.readFloat("h");
  ASSERT_TRUE(bool(h)) << llvm::toString(h.takeError());
  EXPECT_EQ(h->shape, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(h->data, (std::vector<float>{1.0f}));
  auto b = file.readFloat("b");
  ASSERT_TRUE(bool(b)) << llvm::toString(b.takeError());
  EXPECT_EQ(b->data, (std::vector<float>{-2.5f}));
  auto d = file.readFloat("d");
  ASSERT_TRUE(bool(d)) << llvm::toString(d.takeError());
  EXPECT_TRUE(d->shape.empty());
  EXPECT_EQ(d->data, (std::vector<float>{3.14159265358979f}));

  const SafetensorsEntry *ids = file.find("ids");
  ASSERT_NE(ids, nullptr);
  EXPECT_EQ(ids->dtype, DType::I32);
  llvm::ArrayRef<uint8_t> raw = file.rawData(*ids);
  ASSERT_EQ(raw.size(), 4u);
  EXPECT_EQ(raw[0], 42);

  auto bad = file.readFloat("ids");
  ASSERT_FALSE(bool(bad));
  std::string msg = llvm::toString(bad.takeError());
  EXPECT_CONTAINS(msg, p);
  EXPECT_CONTAINS(msg, "'ids'");
  EXPECT_CONTAINS(msg, "I32");
  auto missing = file.readFloat("nope");
  ASSERT_FALSE(bool(missing));
  msg = llvm::toString(missing.takeError());
  EXPECT_CONTAINS(msg, p);
  EXPECT_CONTAINS(msg, "no tensor named 'nope'");
}

TEST_F(SafetensorsTest, AcceptsEveryDType) {
  std::string header =
      "{\"a\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]},"
      "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]},"
      "\"c\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[2,3]},"
      "\"d\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[3,5]},"
      "\"e\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[5,9]},"
      "\"f\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[9,17]}}";
  std::string p =
      writeRaw("dtypes.safetensors", makeFile(header, std::string(17, '\0')));
  auto f = SafetensorsFile::open(p);
  ASSERT_TRUE(bool(f)) << llvm::toString(f.takeError());
  DType expected[] = {DType::I8,  DType::U8,  DType::Bool,
                      DType::I16, DType::I32, DType::I64};
  ASSERT_EQ((*f)->entries().size(), 6u);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ((*f)->entries()[i].dtype, expected[i]);
}

TEST_F(SafetensorsTest, FromBufferUsesGivenName) {
  std::string bytes = makeFile("{}", "");
  auto f = SafetensorsFile::fromBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(bytes), "in-memory");
  ASSERT_TRUE(bool(f)) << llvm::toString(f.takeError());
  EXPECT_EQ((*f)->path(), "in-memory");
  EXPECT_TRUE((*f)->entries().empty());

  auto g = SafetensorsFile::fromBuffer(
      llvm::MemoryBuffer::getMemBufferCopy("xy"), "in-memory");
  ASSERT_FALSE(bool(g));
  EXPECT_CONTAINS(llvm::toString(g.takeError()), "in-memory: ");
}

//===----------------------------------------------------------------------===//
// Reader errors
//===----------------------------------------------------------------------===//

const char *kOk = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],"
                  "\"data_offsets\":[0,8]}}";

TEST_F(SafetensorsTest, ErrorMissingFile) {
  std::string p = pathFor("does-not-exist.safetensors");
  auto f = SafetensorsFile::open(p);
  ASSERT_FALSE(bool(f));
  std::string msg = llvm::toString(f.takeError());
  EXPECT_CONTAINS(msg, p);
  EXPECT_CONTAINS(msg, "cannot open file");
}

TEST_F(SafetensorsTest, ErrorFileShorterThan8Bytes) {
  std::string msg = openError("short.safetensors", "abc");
  EXPECT_CONTAINS(msg, "too short");
  EXPECT_CONTAINS(msg, "3 bytes");
  msg = openError("empty.safetensors", "");
  EXPECT_CONTAINS(msg, "too short");
}

TEST_F(SafetensorsTest, ErrorHeaderLargerThanFile) {
  std::string bytes = makeFile(kOk, std::string(8, '\0'));
  bytes[0] = char(0xe8); // header length 1000
  bytes[1] = char(0x03);
  std::string msg = openError("hlen.safetensors", bytes);
  EXPECT_CONTAINS(msg, "header length 1000");
  EXPECT_CONTAINS(msg, "larger than the file");
  EXPECT_CONTAINS(msg, std::to_string(bytes.size()) + " bytes");
}

TEST_F(SafetensorsTest, ErrorHeaderAbsurdlyLarge) {
  std::string bytes = makeFile(kOk, std::string(8, '\0'));
  for (int i = 0; i < 8; ++i)
    bytes[i] = char(0xff); // 2^64 - 1
  std::string msg = openError("huge.safetensors", bytes);
  EXPECT_CONTAINS(msg, "absurdly large");
  EXPECT_CONTAINS(msg, "18446744073709551615");
  // Just above the 100 MB limit.
  uint64_t n = 100000001;
  for (int i = 0; i < 8; ++i)
    bytes[i] = char((n >> (8 * i)) & 0xff);
  msg = openError("huge2.safetensors", bytes);
  EXPECT_CONTAINS(msg, "absurdly large");
}

TEST_F(SafetensorsTest, ErrorHeaderNotJson) {
  std::string msg = openError("json.safetensors", makeFile("{bad", ""));
  // The problem and where it is, counted from the start of the file.
  EXPECT_CONTAINS(msg, "header is not valid JSON: expected a string key, found "
                       "'b' at byte 9");
  msg = openError("json0.safetensors", makeFile("", ""));
  EXPECT_CONTAINS(msg, "header is not valid JSON: expected a value, found "
                       "end of text at byte 8");
  // Strict JSON: no trailing commas.
  msg = openError("json1.safetensors", makeFile("{\"__metadata__\":{},}", ""));
  EXPECT_CONTAINS(msg, "header is not valid JSON: expected a string key, "
                       "found '}' at byte 27");
}

TEST_F(SafetensorsTest, ErrorHeaderNotObject) {
  std::string msg = openError("arr.safetensors", makeFile("[1, 2]", ""));
  EXPECT_CONTAINS(msg, "header is not a JSON object");
}

TEST_F(SafetensorsTest, ErrorEntryNotObject) {
  std::string msg = openError("entry.safetensors", makeFile("{\"t\": 5}", ""));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "not a JSON object");
}

TEST_F(SafetensorsTest, ErrorMissingOrIllTypedDType) {
  std::string msg =
      openError("nodtype.safetensors",
                makeFile("{\"t\":{\"shape\":[2],\"data_offsets\":[0,8]}}",
                         std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "missing 'dtype'");
  msg = openError(
      "dtypeint.safetensors",
      makeFile("{\"t\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}",
               std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "'dtype' is not a string");
}

TEST_F(SafetensorsTest, ErrorMissingOrIllTypedShape) {
  std::string msg =
      openError("noshape.safetensors",
                makeFile("{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}",
                         std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "missing 'shape'");
  msg = openError("shapestr.safetensors",
                  makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":\"2\","
                           "\"data_offsets\":[0,8]}}",
                           std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "'shape' is not an array");
  msg = openError("shapeelt.safetensors",
                  makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[\"2\"],"
                           "\"data_offsets\":[0,8]}}",
                           std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "'shape' must be an array of integers");
  msg = openError("shapefrac.safetensors",
                  makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[1.5],"
                           "\"data_offsets\":[0,8]}}",
                           std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "'shape' must be an array of integers");
}

TEST_F(SafetensorsTest, ErrorMissingOrIllTypedDataOffsets) {
  std::string msg = openError(
      "nooff.safetensors", makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[2]}}",
                                    std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "missing 'data_offsets'");
  const char *bad[] = {"[0]",     "[0, 8, 9]",  "[-1, 7]", "[8, 0]",
                       "\"0,8\"", "[0, \"8\"]", "[0.5, 8]"};
  int i = 0;
  for (const char *offsets : bad) {
    std::string header = std::string("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],"
                                     "\"data_offsets\":") +
                         offsets + "}}";
    msg = openError("off" + std::to_string(i++) + ".safetensors",
                    makeFile(header, std::string(16, '\0')));
    EXPECT_CONTAINS(msg, "tensor 't'");
    EXPECT_CONTAINS(msg, "'data_offsets' must be two non-negative integers");
  }
}

TEST_F(SafetensorsTest, ErrorUnknownDType) {
  std::string msg = openError(
      "fp8.safetensors", makeFile("{\"t\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],"
                                  "\"data_offsets\":[0,2]}}",
                                  std::string(2, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "unknown dtype 'F8_E4M3'");
  EXPECT_CONTAINS(msg, "F32, F16, BF16, F64, I8, I16, I32, I64, U8, BOOL");
  // Safetensors spells bool "BOOL"; "Bool" is not accepted.
  msg = openError("bool.safetensors",
                  makeFile("{\"t\":{\"dtype\":\"Bool\",\"shape\":[1],"
                           "\"data_offsets\":[0,1]}}",
                           std::string(1, '\0')));
  EXPECT_CONTAINS(msg, "unknown dtype 'Bool'");
}

TEST_F(SafetensorsTest, ErrorNegativeShapeExtent) {
  std::string msg = openError(
      "neg.safetensors", makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[-2, 3],"
                                  "\"data_offsets\":[0,8]}}",
                                  std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "negative extent -2");
}

TEST_F(SafetensorsTest, ErrorElementCountOverflow) {
  std::string msg = openError(
      "ovf.safetensors",
      makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[4294967296, 4294967296],"
               "\"data_offsets\":[0,8]}}",
               std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg,
                  "element count of shape 4294967296x4294967296 overflows");
  msg = openError(
      "ovf2.safetensors",
      makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[18446744073709551615],"
               "\"data_offsets\":[0,8]}}",
               std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "overflows");
  // numel fits in int64 but numel * 8 bytes does not fit in uint64.
  msg = openError(
      "ovf3.safetensors",
      makeFile("{\"t\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904],"
               "\"data_offsets\":[0,8]}}",
               std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "overflows");
}

TEST_F(SafetensorsTest, ErrorEndBeyondBuffer) {
  std::string msg = openError(
      "end.safetensors", makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[4],"
                                  "\"data_offsets\":[0,16]}}",
                                  std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "end 16 is beyond the data buffer (8 bytes)");
  // Huge offsets must not wrap around.
  msg = openError("end2.safetensors",
                  makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[0],"
                           "\"data_offsets\":[18446744073709551615,"
                           "18446744073709551615]}}",
                           ""));
  EXPECT_CONTAINS(msg, "beyond the data buffer (0 bytes)");
}

TEST_F(SafetensorsTest, ErrorByteSizeMismatch) {
  std::string msg = openError(
      "size.safetensors", makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[3],"
                                   "\"data_offsets\":[0,8]}}",
                                   std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "shape 3 and dtype F32");
  EXPECT_CONTAINS(msg, "expected 12 bytes, found 8");
}

// Issue 12: a header length one byte short still parses (JSON allows the
// trailing padding it cuts) but shifts every tensor by a byte; the offsets
// no longer add up to the data section, which is refused.
TEST_F(SafetensorsTest, ErrorHeaderLengthOffByOne) {
  std::string header =
      "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ";
  std::string good = makeFile(header, std::string(8, '\x11'));
  ASSERT_TRUE(bool(SafetensorsFile::open(writeRaw("good.safetensors", good))));
  std::string shortLen = good;
  shortLen[0] = static_cast<char>(header.size() - 1);
  std::string msg = openError("short.safetensors", shortLen);
  EXPECT_CONTAINS(msg, "the tensors cover 8 bytes but the data section after "
                       "the " + std::to_string(header.size() - 1) +
                       "-byte header holds 9");
}

TEST_F(SafetensorsTest, ErrorDataSectionHasHoles) {
  std::string msg = openError(
      "hole.safetensors",
      makeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
               "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
               std::string(12, '\0')));
  EXPECT_CONTAINS(msg, "bytes [4, 8) of the data section belong to no tensor");
  msg = openError(
      "lead.safetensors",
      makeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
               std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "bytes [0, 4) of the data section belong to no tensor");
}

TEST_F(SafetensorsTest, ErrorOverlappingTensors) {
  std::string msg =
      openError("overlap.safetensors",
                makeFile("{\"first\":{\"dtype\":\"F32\",\"shape\":[2],"
                         "\"data_offsets\":[0,8]},"
                         "\"second\":{\"dtype\":\"F32\",\"shape\":[2],"
                         "\"data_offsets\":[4,12]}}",
                         std::string(12, '\0')));
  EXPECT_CONTAINS(msg, "'first'");
  EXPECT_CONTAINS(msg, "'second'");
  EXPECT_CONTAINS(msg, "overlapping");
  // A range nested inside a longer earlier range is an overlap too, even if
  // a third tensor sorts between them.
  msg = openError("overlap2.safetensors",
                  makeFile("{\"big\":{\"dtype\":\"U8\",\"shape\":[16],"
                           "\"data_offsets\":[0,16]},"
                           "\"x\":{\"dtype\":\"U8\",\"shape\":[2],"
                           "\"data_offsets\":[10,12]}}",
                           std::string(16, '\0')));
  EXPECT_CONTAINS(msg, "'big'");
  EXPECT_CONTAINS(msg, "'x'");
  // Empty tensors never overlap anything.
  std::string p = writeRaw("emptyok.safetensors",
                           makeFile("{\"a\":{\"dtype\":\"U8\",\"shape\":[8],"
                                    "\"data_offsets\":[0,8]},"
                                    "\"e\":{\"dtype\":\"U8\",\"shape\":[0],"
                                    "\"data_offsets\":[4,4]}}",
                                    std::string(8, '\0')));
  auto f = SafetensorsFile::open(p);
  EXPECT_TRUE(bool(f)) << llvm::toString(f.takeError());
}

TEST_F(SafetensorsTest, ErrorDuplicateNames) {
  // llvm::json keeps only the last of duplicate keys; the reader scans the
  // raw header and rejects them.
  std::string msg = openError(
      "dup.safetensors", makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],"
                                  "\"data_offsets\":[0,8]},"
                                  "\"t\":{\"dtype\":\"F32\",\"shape\":[2],"
                                  "\"data_offsets\":[8,16]}}",
                                  std::string(16, '\0')));
  EXPECT_CONTAINS(msg, "duplicate tensor name 't'");
  // The same name spelled with an escape is still a duplicate.
  msg = openError("dup2.safetensors",
                  makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],"
                           "\"data_offsets\":[0,8]},"
                           "\"\\u0074\":{\"dtype\":\"F32\",\"shape\":[2],"
                           "\"data_offsets\":[8,16]}}",
                           std::string(16, '\0')));
  EXPECT_CONTAINS(msg, "duplicate tensor name 't'");
}

TEST_F(SafetensorsTest, ErrorDuplicateField) {
  // llvm::json kept the last "dtype"; the core refuses the entry.
  std::string msg = openError(
      "dupfield.safetensors",
      makeFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"dtype\":\"F16\","
               "\"data_offsets\":[0,8]}}",
               std::string(8, '\0')));
  EXPECT_CONTAINS(msg, "tensor 't': duplicate field 'dtype'");
}

TEST_F(SafetensorsTest, ErrorBadMetadata) {
  std::string msg = openError("meta.safetensors",
                              makeFile("{\"__metadata__\": [\"a\"]}", ""));
  EXPECT_CONTAINS(msg, "'__metadata__' must be an object");
  msg = openError("meta2.safetensors",
                  makeFile("{\"__metadata__\": {\"k\": 1}}", ""));
  EXPECT_CONTAINS(msg, "'__metadata__' value for key 'k' is not a string");
  msg = openError("meta3.safetensors",
                  makeFile("{\"__metadata__\": {}, \"__metadata__\": {}}", ""));
  EXPECT_CONTAINS(msg, "duplicate '__metadata__'");
  msg = openError(
      "meta4.safetensors",
      makeFile("{\"__metadata__\": {\"k\": \"a\", \"k\": \"b\"}}", ""));
  EXPECT_CONTAINS(msg, "duplicate key 'k' in '__metadata__'");
}

/// A buffer over exactly the bytes of `v` (no null terminator or slack), so
/// that AddressSanitizer reports any read past the end.
std::unique_ptr<llvm::MemoryBuffer> exactBuffer(const std::vector<char> &v) {
  return llvm::MemoryBuffer::getMemBuffer(llvm::StringRef(v.data(), v.size()),
                                          "exact",
                                          /*RequiresNullTerminator=*/false);
}

/// Every prefix of a valid file, and every single-byte corruption of its
/// header, must be rejected or accepted cleanly (run under ASan to check
/// that nothing is read out of bounds).
TEST_F(SafetensorsTest, TruncatedAndCorruptedFilesNeverCrash) {
  Tensor a({2, 3}, 1.0f), b({4}, 2.0f);
  std::string p = pathFor("good.safetensors");
  ASSERT_FALSE(bool(
      writeSafetensors(p, {{"a", &a, DType::F16}, {"b", &b}}, {{"k", "v"}})));
  std::string good = slurp(p);
  for (size_t n = 0; n < good.size(); ++n) {
    std::vector<char> exact(good.begin(), good.begin() + n);
    auto f = SafetensorsFile::fromBuffer(exactBuffer(exact), "trunc");
    EXPECT_FALSE(bool(f)) << n;
    if (!f)
      llvm::consumeError(f.takeError());
  }
  uint64_t headerLen = 0;
  for (int i = 0; i < 8; ++i)
    headerLen |= uint64_t(static_cast<uint8_t>(good[i])) << (8 * i);
  const char replacements[] = {'"',  '{', '}', '[', ']',  ',', ':',
                               '\\', '9', '-', 'x', '\0', ' '};
  for (size_t i = 8; i < 8 + headerLen; ++i) {
    for (char c : replacements) {
      std::vector<char> bad(good.begin(), good.end());
      bad[i] = c;
      auto f = SafetensorsFile::fromBuffer(exactBuffer(bad), "corrupt");
      if (!f) {
        llvm::consumeError(f.takeError());
        continue;
      }
      for (const SafetensorsEntry &e : (*f)->entries()) {
        (void)(*f)->rawData(e);
        auto t = (*f)->readFloat(e.name);
        if (!t)
          llvm::consumeError(t.takeError());
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// Writer errors
//===----------------------------------------------------------------------===//

TEST_F(SafetensorsTest, WriteErrorDataSizeMismatch) {
  Tensor t({2, 2});
  t.data.resize(3);
  std::string p = pathFor("w1.safetensors");
  llvm::Error err = writeSafetensors(p, {{"t", &t}});
  ASSERT_TRUE(bool(err));
  std::string msg = llvm::toString(std::move(err));
  EXPECT_CONTAINS(msg, p);
  EXPECT_CONTAINS(msg, "tensor 't'");
  EXPECT_CONTAINS(msg, "data has 3 elements but shape 2x2 needs 4");
  EXPECT_FALSE(llvm::sys::fs::exists(p));
}

TEST_F(SafetensorsTest, WriteErrorDuplicateNames) {
  Tensor t({1});
  std::string p = pathFor("w2.safetensors");
  llvm::Error err = writeSafetensors(p, {{"t", &t}, {"u", &t}, {"t", &t}});
  ASSERT_TRUE(bool(err));
  std::string msg = llvm::toString(std::move(err));
  EXPECT_CONTAINS(msg, p);
  EXPECT_CONTAINS(msg, "duplicate tensor name 't'");
  EXPECT_FALSE(llvm::sys::fs::exists(p));
}

TEST_F(SafetensorsTest, WriteErrorBadEntries) {
  Tensor t({1});
  std::string p = pathFor("w3.safetensors");
  llvm::Error err = writeSafetensors(p, {{"t", &t, DType::I32}});
  ASSERT_TRUE(bool(err));
  EXPECT_CONTAINS(llvm::toString(std::move(err)), "as I32");
  err = writeSafetensors(p, {{"t", nullptr}});
  ASSERT_TRUE(bool(err));
  EXPECT_CONTAINS(llvm::toString(std::move(err)), "no tensor given");
  err = writeSafetensors(p, {{"__metadata__", &t}});
  ASSERT_TRUE(bool(err));
  EXPECT_CONTAINS(llvm::toString(std::move(err)), "reserved");
  EXPECT_FALSE(llvm::sys::fs::exists(p));
}

TEST_F(SafetensorsTest, WriteErrorUnwritablePath) {
  Tensor t({1});
  std::string p = pathFor("no/such/dir/w.safetensors");
  llvm::Error err = writeSafetensors(p, {{"t", &t}});
  ASSERT_TRUE(bool(err));
  std::string msg = llvm::toString(std::move(err));
  EXPECT_CONTAINS(msg, p);
  EXPECT_CONTAINS(msg, "cannot write");
  EXPECT_CONTAINS(msg, "o such file or directory");
}

//===----------------------------------------------------------------------===//
// The streaming writer
//===----------------------------------------------------------------------===//

/// Tensors of every kind the writer handles: f32, f16, bf16, a scalar, an
/// empty tensor and raw bytes.
struct StreamFixture {
  Tensor a{std::vector<int64_t>{3, 5}}, b{std::vector<int64_t>{7}},
      c{std::vector<int64_t>{2, 2}}, scalar{std::vector<int64_t>{}, -2.5f},
      empty{std::vector<int64_t>{0, 3}};
  std::vector<uint8_t> raw{1, 2, 3, 250, 251};
  StreamFixture() {
    for (size_t i = 0; i < a.data.size(); ++i)
      a.data[i] = 0.1f * float(i) - 0.7f;
    for (size_t i = 0; i < b.data.size(); ++i)
      b.data[i] = 1.0f / float(i + 1);
    for (size_t i = 0; i < c.data.size(); ++i)
      c.data[i] = 3.0f * float(i);
  }
  std::vector<SafetensorsWriteEntry> entries() const {
    return {{"a", &a, DType::F32},         {"b", &b, DType::F16},
            {"raw", nullptr, DType::F32, &raw}, {"c", &c, DType::BF16},
            {"scalar", &scalar, DType::F32},    {"empty", &empty, DType::F32}};
  }
  std::vector<SafetensorsSlot> slots() const {
    return {{"a", DType::F32, a.shape},      {"b", DType::F16, b.shape},
            {"raw", DType::U8, {5}},         {"c", DType::BF16, c.shape},
            {"scalar", DType::F32, {}},      {"empty", DType::F32, empty.shape}};
  }
  /// Writes everything in reverse header order.
  llvm::Error writeReversed(SafetensorsWriter &w) const {
    if (llvm::Error e = w.write("scalar", scalar.data))
      return e;
    if (llvm::Error e = w.write("c", c.data))
      return e;
    if (llvm::Error e = w.writeRaw("raw", raw))
      return e;
    if (llvm::Error e = w.write("b", b.data))
      return e;
    return w.write("a", a.data);
  }
};

const std::map<std::string, std::string> kMeta = {{"producer", "test"}};

TEST_F(SafetensorsTest, StreamWriterEqualsWriteSafetensorsInAnyOrder) {
  StreamFixture fx;
  std::string whole = pathFor("whole.safetensors");
  llvm::Error err = writeSafetensors(whole, fx.entries(), kMeta);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));

  std::string streamed = pathFor("streamed.safetensors");
  auto w = SafetensorsWriter::create(streamed, fx.slots(), kMeta);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  // The empty tensor needs no write; nothing is at the path until commit.
  EXPECT_TRUE((*w)->written("empty"));
  EXPECT_EQ((*w)->missing().size(), 5u);
  err = fx.writeReversed(**w);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  EXPECT_FALSE(llvm::sys::fs::exists(streamed));
  err = (*w)->commit();
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  EXPECT_EQ(slurp(streamed), slurp(whole));
  auto f = SafetensorsFile::open(streamed);
  ASSERT_TRUE(bool(f)) << llvm::toString(f.takeError());
  auto ra = (*f)->readFloat("a");
  ASSERT_TRUE(bool(ra));
  EXPECT_EQ(ra->data, fx.a.data);
  // readFloat released the tensor's pages; reading again faults them back.
  auto again = (*f)->readFloat("a");
  ASSERT_TRUE(bool(again));
  EXPECT_EQ(again->data, fx.a.data);
}

TEST_F(SafetensorsTest, StreamWriterThroughAPipeHoldsEarlyTensors) {
  // A FIFO cannot seek: tensors that come before their turn wait in memory.
  StreamFixture fx;
  std::string whole = pathFor("whole.safetensors");
  ASSERT_FALSE(bool(writeSafetensors(whole, fx.entries(), kMeta)));
  std::string fifo = pathFor("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);
    received.assign(std::istreambuf_iterator<char>(in),
                    std::istreambuf_iterator<char>());
  });
  {
    auto w = SafetensorsWriter::create(fifo, fx.slots(), kMeta);
    if (!w) {
      ADD_FAILURE() << llvm::toString(w.takeError());
      std::ofstream unblock(fifo, std::ios::binary); // let the reader finish
    } else {
      llvm::Error err = fx.writeReversed(**w);
      EXPECT_FALSE(bool(err)) << llvm::toString(std::move(err));
      err = (*w)->commit();
      EXPECT_FALSE(bool(err)) << llvm::toString(std::move(err));
    }
  }
  reader.join();
  EXPECT_EQ(received, slurp(whole));
}

TEST_F(SafetensorsTest, StreamWriterErrors) {
  StreamFixture fx;
  std::string p = pathFor("errors.safetensors");
  auto w = SafetensorsWriter::create(p, fx.slots(), kMeta);
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  auto expectError = [&](llvm::Error err, llvm::StringRef what) {
    ASSERT_TRUE(bool(err)) << "expected: " << what.str();
    std::string msg = llvm::toString(std::move(err));
    EXPECT_CONTAINS(msg, p);
    EXPECT_CONTAINS(msg, what.str());
  };
  // A short write: fewer values than the header declares.
  std::vector<float> shortData(fx.a.data.begin(), fx.a.data.end() - 1);
  expectError((*w)->write("a", shortData),
              "tensor 'a': got 14 values but the header declares shape 3x5 "
              "(15 elements)");
  expectError((*w)->write("nope", fx.a.data),
              "no tensor named 'nope' in the header being written");
  expectError((*w)->write("raw", fx.a.data),
              "tensor 'raw': holds raw bytes (U8), not floating-point values");
  expectError((*w)->writeRaw("a", fx.raw),
              "tensor 'a': holds F32 values, not raw bytes");
  expectError((*w)->writeRaw("raw", std::vector<uint8_t>(4)),
              "tensor 'raw': got 4 bytes but the header declares 5");
  EXPECT_FALSE(bool((*w)->write("a", fx.a.data)));
  expectError((*w)->write("a", fx.a.data), "tensor 'a' is written twice");
  // Committing with tensors missing fails and leaves nothing behind.
  expectError((*w)->commit(), "4 of 6 tensors were never written (the first "
                              "is 'b'); the file is not complete");
  w->reset();
  EXPECT_FALSE(llvm::sys::fs::exists(p));
  std::error_code ec;
  llvm::sys::fs::directory_iterator it(dir, ec);
  EXPECT_EQ(it, llvm::sys::fs::directory_iterator()) << "left " << it->path();
}

TEST_F(SafetensorsTest, StreamWriterCreateErrors) {
  std::string p = pathFor("c.safetensors");
  auto expectCreateError = [&](const std::string &path,
                               std::vector<SafetensorsSlot> slots,
                               llvm::StringRef what) {
    auto w = SafetensorsWriter::create(path, slots);
    ASSERT_FALSE(bool(w)) << "expected: " << what.str();
    std::string msg = llvm::toString(w.takeError());
    EXPECT_CONTAINS(msg, path);
    EXPECT_CONTAINS(msg, what.str());
    EXPECT_FALSE(llvm::sys::fs::exists(path));
  };
  // Name collisions and bad slots are refused before a file is created.
  expectCreateError(p, {{"w", DType::F32, {2}}, {"w", DType::F16, {3}}},
                    "duplicate tensor name 'w'");
  expectCreateError(p, {{"__metadata__", DType::F32, {1}}}, "reserved");
  expectCreateError(p, {{"t", DType::I32, {1}}},
                    "tensor 't': cannot write I32");
  expectCreateError(p, {{"t", DType::U8, {2, 2}}},
                    "tensor 't': raw bytes (U8) are written as a 1-D tensor");
  expectCreateError(p, {{"t", DType::F32, {-1, 2}}}, "invalid shape");
  // Disk paths: a missing directory, a directory.
  expectCreateError(pathFor("no/such/dir/x.safetensors"),
                    {{"t", DType::F32, {1}}},
                    "o such file or directory");
  std::string sub = pathFor("sub");
  ASSERT_FALSE(llvm::sys::fs::create_directory(sub));
  auto w = SafetensorsWriter::create(sub, {{"t", DType::F32, {1}}});
  ASSERT_FALSE(bool(w));
  EXPECT_CONTAINS(llvm::toString(w.takeError()),
                  "cannot write '" + sub +
                      "': it exists and is not a regular file");
}

TEST_F(SafetensorsTest, StreamWriterFullDisk) {
  if (!llvm::sys::fs::exists("/dev/full"))
    GTEST_SKIP() << "no /dev/full";
  // A tensor larger than the stream's buffer fails at its write or, at the
  // latest, at commit; either names the path and the reason.
  Tensor big(std::vector<int64_t>{1 << 20});
  auto w = SafetensorsWriter::create("/dev/full",
                                     {{"big", DType::F32, big.shape}});
  ASSERT_TRUE(bool(w)) << llvm::toString(w.takeError());
  llvm::Error err = (*w)->write("big", big.data);
  if (!err)
    err = (*w)->commit();
  ASSERT_TRUE(bool(err));
  std::string msg = llvm::toString(std::move(err));
  EXPECT_CONTAINS(msg, "cannot write '/dev/full'");
  EXPECT_CONTAINS(msg, "No space left on device");
}

} // namespace
