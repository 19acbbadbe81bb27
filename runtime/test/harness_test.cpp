//===- harness_test.cpp - harness.h: the spec, shapes, names, runMain -----===//
//
// The spec runMain parses (dynamic dims, references, the workspace per
// token), the shape checks of dynamic inputs, and the defence in depth on
// names: a hand-edited spec with a name that fails sxf_rt::tensorNameProblem
// or an output path that would leave the output directory is refused before
// anything runs or is written.
//
//===----------------------------------------------------------------------===//

#include "sxf_rt/harness.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

namespace {

using sxf_rt::detail::SpecDim;

/// The smallest safetensors container: an empty header.
std::vector<unsigned char> emptyContainer() {
  std::string header = "{}      "; // padded to 8 bytes
  std::vector<unsigned char> bytes(8, 0);
  bytes[0] = static_cast<unsigned char>(header.size());
  bytes.insert(bytes.end(), header.begin(), header.end());
  return bytes;
}

int forwardCalls = 0;
/// y = x + 1 over [B, S, 2] for the spec of runWith.
void addOne(const sxf_rt::Model *, void *const *in, void *const *out,
            float *, const int64_t *dims) {
  ++forwardCalls;
  const float *x = static_cast<const float *>(in[0]);
  float *y = static_cast<float *>(out[0]);
  for (int64_t i = 0; i < dims[0] * dims[1] * dims[2]; ++i)
    y[i] = x[i] + 1.0f;
}

int runWith(const char *spec, std::vector<std::string> args) {
  std::vector<unsigned char> c = emptyContainer();
  args.insert(args.begin(), "prog");
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  return sxf_rt::runMain(int(argv.size()), argv.data(), addOne, spec,
                         c.data(), int64_t(c.size()));
}

TEST(Harness, ParsesDynamicSpec) {
  sxf_rt::detail::Spec spec;
  std::string error;
  ASSERT_TRUE(sxf_rt::detail::parseSpec(
      "in ids ids *2x?48 257;in enc f32 @0.0x?5x4;out logits f32 "
      "@0.0x@0.1x257;workspace 272 per @0.0x@0.1;weights w.safetensors;",
      spec, &error))
      << error;
  ASSERT_EQ(spec.ins.size(), 2u);
  EXPECT_EQ(spec.ins[0].dims[0].kind, SpecDim::Any);
  EXPECT_EQ(spec.ins[0].dims[1].kind, SpecDim::UpTo);
  EXPECT_EQ(spec.ins[0].dims[1].size, 48);
  EXPECT_EQ(spec.ins[0].vocab, 257);
  EXPECT_EQ(spec.ins[1].dims[0].kind, SpecDim::Same);
  EXPECT_EQ(spec.workspaceUnits, 272);
  ASSERT_EQ(spec.workspaceTokens.size(), 2u);
  EXPECT_EQ(spec.weightsFile, "w.safetensors");
  // Shapes: the batch is free, the sequence bounded, references checked.
  std::vector<std::vector<int64_t>> shapes = {{5, 48}};
  EXPECT_EQ(sxf_rt::detail::inputShapeProblem(spec, 0, {5, 48}, {}), "");
  EXPECT_NE(sxf_rt::detail::inputShapeProblem(spec, 0, {5, 49}, {}), "");
  EXPECT_NE(sxf_rt::detail::inputShapeProblem(spec, 0, {0, 4}, {}), "");
  EXPECT_NE(sxf_rt::detail::inputShapeProblem(spec, 0, {240}, {}), "");
  EXPECT_EQ(sxf_rt::detail::inputShapeProblem(spec, 1, {5, 3, 4}, shapes), "");
  EXPECT_NE(sxf_rt::detail::inputShapeProblem(spec, 1, {4, 3, 4}, shapes), "");
  EXPECT_NE(sxf_rt::detail::inputShapeProblem(spec, 1, {5, 3, 5}, shapes), "");
  EXPECT_EQ(sxf_rt::detail::resolveShape(spec.outs[0].dims, shapes),
            (std::vector<int64_t>{5, 48, 257}));
}

TEST(Harness, RefusesMalformedSpecs) {
  sxf_rt::detail::Spec spec;
  std::string error;
  EXPECT_FALSE(sxf_rt::detail::parseSpec("in x f32 ?3x@1.0;in y f32 4;",
                                         spec, &error));
  EXPECT_NE(error.find("refers to a later input"), std::string::npos);
  EXPECT_FALSE(sxf_rt::detail::parseSpec("in x f32 3xq;", spec, &error));
  EXPECT_FALSE(sxf_rt::detail::parseSpec("in x ids 3;", spec, &error));
  EXPECT_NE(error.find("missing vocabulary"), std::string::npos);
  EXPECT_FALSE(
      sxf_rt::detail::parseSpec("in x f32 3;out ../y f32 3;", spec, &error));
  EXPECT_NE(error.find("the name '../y' starts with '.'"), std::string::npos);
}

TEST(Harness, OutputPathStaysInTheDirectory) {
  std::string path, error;
  EXPECT_TRUE(sxf_rt::npyOutputPath("out", "logits", path, &error));
  EXPECT_EQ(path, "out/logits.npy");
  EXPECT_FALSE(sxf_rt::npyOutputPath("out", "../x", path, &error));
  EXPECT_FALSE(sxf_rt::npyOutputPath("out", "a/b", path, &error));
  EXPECT_FALSE(sxf_rt::npyOutputPath("out", "/etc/x", path, &error));
  EXPECT_NE(error.find("output name '/etc/x'"), std::string::npos);
}

TEST(Harness, RunsDynamicShapesAndRefusesHandEditedNames) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() /
                 ("sxf_harness_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const char *good = "in x f32 *2x?3x2;out y f32 @0.0x@0.1x2;workspace 16 per "
                     "@0.0x@0.1;";
  forwardCalls = 0;
  EXPECT_EQ(runWith(good, {"--random-inputs", "--batch", "4", "--seq", "2",
                           "--output-dir", (dir / "ok").string()}),
            0);
  EXPECT_EQ(forwardCalls, 1);
  sxf_rt::NpyArray y;
  std::string error;
  ASSERT_TRUE(sxf_rt::readNpy((dir / "ok" / "y.npy").string(), y, &error))
      << error;
  EXPECT_EQ(y.shape, (std::vector<int64_t>{4, 2, 2}));
  EXPECT_EQ(runWith(good, {"--random-inputs", "--seq", "4"}), 1);
  // A hand-edited spec whose output would leave the output directory:
  // refused before the forward function runs, nothing written.
  forwardCalls = 0;
  const char *escape = "in x f32 *2x?3x2;out ../../escaped f32 @0.0x@0.1x2;"
                       "workspace 16 per @0.0x@0.1;";
  EXPECT_EQ(runWith(escape, {"--random-inputs", "--output-dir",
                             (dir / "a" / "b").string()}),
            1);
  EXPECT_EQ(forwardCalls, 0);
  EXPECT_FALSE(fs::exists(dir / "escaped.npy"));
  fs::remove_all(dir);
}

} // namespace
