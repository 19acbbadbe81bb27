//===- harness.cpp - libsxf_rt: runMain, the main() of generated programs -===//
//
// Part of libsxf_rt (api.h declares runMain; harness.h documents the
// options and the spec, and holds the spec's parser and shape checks).
//
//===----------------------------------------------------------------------===//

#include "sxf_rt/api.h"
#include "sxf_rt/common.h"
#include "sxf_rt/eval.h"
#include "sxf_rt/harness.h"
#include "sxf_rt/model.h"
#include "sxf_rt/names.h"
#include "sxf_rt/npy.h"
#include "sxf_rt/random.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sxf_rt {

int runMain(int argc, char **argv, ForwardFn forward,
                   const char *specText, const unsigned char *embedded,
                   int64_t embeddedSize) {
  using detail::SpecDim;
  using detail::TensorSpec;
  auto fail = [&](const std::string &why) {
    std::fprintf(stderr, "%s: error: %s\n", argv[0], why.c_str());
    return 1;
  };
  std::string error;
  detail::Spec spec;
  if (!detail::parseSpec(specText, spec, &error))
    return fail(error);
  const std::vector<TensorSpec> &ins = spec.ins, &outs = spec.outs;
  // Options.
  std::vector<std::string> inputSpecs;
  bool random = false;
  uint64_t seed = 0;
  std::string outputDir, weightsFile = spec.weightsFile, evalPpl;
  bool weightsGiven = false;
  int repeat = 1;
  int64_t batch = 0, seq = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const std::string &opt) -> const char * {
      if (a.compare(0, opt.size() + 1, opt + "=") == 0)
        return argv[i] + opt.size() + 1;
      if (a == opt && i + 1 < argc)
        return argv[++i];
      return nullptr;
    };
    auto positive = [&](const char *v, int64_t &out) {
      char *end = nullptr;
      long long n = std::strtoll(v, &end, 10);
      out = n;
      return end && *end == 0 && n >= 1;
    };
    if (const char *v = value("--input"))
      inputSpecs.push_back(v);
    else if (a == "--random-inputs")
      random = true;
    else if (const char *v = value("--seed"))
      seed = std::strtoull(v, nullptr, 10);
    else if (const char *v = value("--output-dir"))
      outputDir = v;
    else if (const char *v = value("--weights")) {
      weightsFile = v;
      weightsGiven = true;
    } else if (const char *v = value("--repeat")) {
      int64_t n = 0;
      if (!positive(v, n) || n > 1000000)
        return fail("--repeat expects an integer in [1, 1000000], got '" +
                    std::string(v) + "'");
      repeat = int(n);
    }
    else if (const char *v = value("--batch")) {
      if (!positive(v, batch))
        return fail("--batch expects a positive integer, got '" +
                    std::string(v) + "'");
    } else if (const char *v = value("--seq")) {
      if (!positive(v, seq))
        return fail("--seq expects a positive integer, got '" +
                    std::string(v) + "'");
    } else if (const char *v = value("--eval-ppl"))
      evalPpl = v;
    else if (a == "--help" || a == "-h") {
      std::printf("usage: %s [--input NAME=x.npy ...] [--random-inputs "
                  "--seed K [--batch N] [--seq N]] [--output-dir DIR] "
                  "[--weights FILE] [--repeat N] [--eval-ppl tokens.npy]\n",
                  argv[0]);
      return 0;
    } else
      return fail("unknown option '" + a + "'");
  }
  if ((batch || seq) && !random)
    return fail("--batch and --seq choose the shape of --random-inputs");
  // Weights: --weights as given; the spec's file as given (relative to the
  // working directory, as it was named when the program was generated) or,
  // when that does not exist, the same file name beside the program.
  if (!weightsGiven && !weightsFile.empty() &&
      std::filesystem::path(weightsFile).is_relative()) {
    std::error_code ec;
    if (!std::filesystem::exists(weightsFile, ec)) {
      std::filesystem::path self =
          std::filesystem::read_symlink("/proc/self/exe", ec);
      if (ec)
        self = std::filesystem::path(argv[0]);
      std::filesystem::path beside =
          self.parent_path() / std::filesystem::path(weightsFile).filename();
      if (std::filesystem::exists(beside, ec))
        weightsFile = beside.string();
    }
  }
  std::unique_ptr<Container> c =
      embedded && !weightsGiven
          ? Container::fromBytes(embedded, uint64_t(embeddedSize),
                                 "<embedded weights>", &error)
          : Container::fromFile(weightsFile, &error);
  if (!c)
    return fail(error);
  std::unique_ptr<Model> model = Model::load(std::move(c), &error);
  if (!model)
    return fail(error);
  Workspace workspace;
  auto workspaceFor = [&](const std::vector<std::vector<int64_t>> &shapes) {
    int64_t n = spec.workspaceUnits *
                detail::product(
                    detail::resolveShape(spec.workspaceTokens, shapes));
    return workspace.floats(0, size_t(std::max<int64_t>(1, n)));
  };

  // Perplexity: windows [N, S'] run in batches of up to 16 (or the model's
  // fixed batch).
  if (!evalPpl.empty()) {
    if (ins.size() != 1 || !ins[0].ids || ins[0].dims.size() != 2 ||
        outs.empty() || outs[0].dims.size() != 3)
      return fail("--eval-ppl needs a model with one token-id input [B, S] "
                  "and logits [B, S, V] as its first result");
    NpyArray arr;
    if (!readNpy(evalPpl, arr, &error))
      return fail(error);
    if (arr.isFloat)
      return fail(evalPpl + ": token windows must be integer ids, not " +
                  arr.dtype);
    const SpecDim &bd = ins[0].dims[0], &sd = ins[0].dims[1];
    std::string wanted =
        "[N, S] with N >= 1 and " +
        (sd.kind == SpecDim::Fixed ? "S = " + std::to_string(sd.size)
         : sd.kind == SpecDim::UpTo
             ? "2 <= S <= " + std::to_string(sd.size)
             : std::string("S >= 2")) +
        (bd.kind == SpecDim::Fixed
             ? ", N a multiple of " + std::to_string(bd.size)
             : "");
    if (arr.shape.size() != 2)
      return fail(evalPpl + ": token windows of shape " +
                  detail::shapeString(arr.shape) + ", expected " + wanted);
    int64_t n = arr.shape[0], s = arr.shape[1];
    if (n == 0)
      return fail(evalPpl + ": token windows of shape " +
                  detail::shapeString(arr.shape) +
                  " are empty: perplexity needs at least one window");
    if (s < 2 || (sd.kind == SpecDim::Fixed && s != sd.size) ||
        (sd.kind == SpecDim::UpTo && s > sd.size) ||
        (bd.kind == SpecDim::Fixed && n % bd.size != 0))
      return fail(evalPpl + ": token windows of shape " +
                  detail::shapeString(arr.shape) + ", expected " + wanted);
    // Logits [B, S, V]: ids index them (as in sparse-run) and the table.
    const SpecDim &vd = outs[0].dims[2];
    if (vd.kind != SpecDim::Fixed)
      return fail("--eval-ppl needs logits [B, S, V] with a fixed V, the "
                  "first result is " +
                  detail::specString(outs[0].dims, ins));
    int64_t vocab = std::min(ins[0].vocab, vd.size);
    for (int64_t i = 0; i < n * s; ++i)
      if (arr.ints[size_t(i)] < 0 || arr.ints[size_t(i)] >= vocab)
        return fail(evalPpl + ": token id " +
                    std::to_string(arr.ints[size_t(i)]) + " (window " +
                    std::to_string(i / s) + ", position " +
                    std::to_string(i % s) +
                    ") is outside the vocabulary [0, " +
                    std::to_string(vocab) + ")");
    int64_t chunk = bd.kind == SpecDim::Fixed ? bd.size
                    : bd.kind == SpecDim::UpTo
                        ? std::min<int64_t>(16, bd.size)
                        : 16;
    Perplexity ppl;
    std::vector<float> logits;
    for (int64_t w0 = 0; w0 < n; w0 += chunk) {
      int64_t m = std::min(chunk, n - w0);
      std::vector<std::vector<int64_t>> shapes = {{m, s}};
      std::string why = detail::inputShapeProblem(spec, 0, shapes[0], {});
      if (!why.empty())
        return fail(evalPpl + ": " + why);
      std::vector<int64_t> outShape =
          detail::resolveShape(outs[0].dims, shapes);
      if (outShape[0] != m || outShape[1] != s)
        return fail("--eval-ppl needs logits [B, S, V] for an input [B, S], "
                    "the first result is " +
                    detail::specString(outs[0].dims, ins));
      std::vector<std::vector<float>> results(outs.size());
      std::vector<void *> outPtrs(outs.size());
      for (size_t k = 0; k < outs.size(); ++k) {
        results[k].assign(
            size_t(detail::product(detail::resolveShape(outs[k].dims,
                                                        shapes))),
            0.0f);
        outPtrs[k] = results[k].data();
      }
      const int64_t *ids = arr.ints.data() + w0 * s;
      void *in = const_cast<int64_t *>(ids);
      std::vector<int64_t> dims = detail::flatDims(shapes);
      forward(model.get(), &in, outPtrs.data(), workspaceFor(shapes),
              dims.data());
      ppl.addWindows(results[0].data(), ids, m, s, vd.size);
    }
    std::printf("%s\n", ppl.line().c_str());
    if (outputDir.empty())
      return 0;
  }

  // Inputs: named files, then random values drawn as sparse-run draws them
  // (one stream over the inputs in order).
  std::vector<NpyArray> given(ins.size());
  std::vector<std::string> givenPath(ins.size());
  std::vector<bool> isGiven(ins.size(), false);
  for (const std::string &s : inputSpecs) {
    size_t eq = s.find('=');
    if (eq == std::string::npos)
      return fail("--input expects NAME=file.npy, got '" + s + "'");
    std::string name = s.substr(0, eq), path = s.substr(eq + 1);
    size_t k = 0;
    while (k < ins.size() && ins[k].name != name &&
           "arg" + std::to_string(k) != name)
      ++k;
    if (k == ins.size())
      return fail("the model has no input named '" + name + "'");
    NpyArray &arr = given[k];
    if (!readNpy(path, arr, &error))
      return fail(error);
    if (ins[k].ids && arr.isFloat)
      return fail(path + ": input '" + name +
                  "' takes integer token ids, not " + arr.dtype);
    if (!ins[k].ids && !arr.isFloat)
      return fail(path + ": input '" + name + "' takes floats, not " +
                  arr.dtype);
    isGiven[k] = true;
    givenPath[k] = path;
  }
  // Shapes, in input order (dims refer to earlier inputs).
  std::vector<std::vector<int64_t>> shapes;
  for (size_t k = 0; k < ins.size(); ++k) {
    if (!random && !isGiven[k])
      return fail("no value for input '" + ins[k].name +
                  "' (give --input NAME=file.npy or --random-inputs)");
    std::vector<int64_t> shape;
    if (isGiven[k]) {
      shape = given[k].shape;
    } else {
      // The IR's shape, with --batch / --seq on the first / last dynamic
      // dim.
      shape = detail::resolveShape(ins[k].dims, shapes);
      std::vector<size_t> dyn;
      for (size_t j = 0; j < ins[k].dims.size(); ++j)
        if (ins[k].dims[j].kind == SpecDim::UpTo ||
            ins[k].dims[j].kind == SpecDim::Any)
          dyn.push_back(j);
      if (seq && !dyn.empty())
        shape[dyn.back()] = seq;
      if (batch && dyn.size() >= 2)
        shape[dyn.front()] = batch;
    }
    std::string why = detail::inputShapeProblem(spec, k, shape, shapes);
    if (!why.empty())
      return fail((isGiven[k] ? givenPath[k] : std::string("--random-inputs")) +
                  ": " + why);
    shapes.push_back(shape);
  }
  std::vector<std::vector<float>> floats(ins.size());
  std::vector<std::vector<int64_t>> ids(ins.size());
  Rng rng(seed);
  for (size_t k = 0; k < ins.size(); ++k) {
    int64_t numel = detail::product(shapes[k]);
    if (isGiven[k]) {
      if (ins[k].ids) {
        ids[k] = given[k].ints;
        for (int64_t v : ids[k])
          if (v < 0 || v >= ins[k].vocab)
            return fail(givenPath[k] + ": token id " +
                        std::to_string(v) +
                        " is outside the vocabulary [0, " +
                        std::to_string(ins[k].vocab) + ")");
      } else {
        floats[k] = given[k].floats;
      }
    }
    // Draw for every input (given or not) so streams match sparse-run's.
    if (!random)
      continue;
    if (ins[k].ids) {
      std::vector<int64_t> v(static_cast<size_t>(numel));
      for (int64_t &x : v)
        x = rng.below(ins[k].vocab);
      if (!isGiven[k])
        ids[k] = std::move(v);
    } else {
      std::vector<float> v(static_cast<size_t>(numel));
      for (float &x : v)
        x = static_cast<float>(rng.normal());
      if (!isGiven[k])
        floats[k] = std::move(v);
    }
  }
  std::vector<void *> inPtrs(ins.size());
  for (size_t k = 0; k < ins.size(); ++k)
    inPtrs[k] = ins[k].ids ? static_cast<void *>(ids[k].data())
                           : static_cast<void *>(floats[k].data());
  std::vector<std::vector<float>> results(outs.size());
  std::vector<std::vector<int64_t>> outShapes(outs.size());
  std::vector<void *> outPtrs(outs.size());
  for (size_t k = 0; k < outs.size(); ++k) {
    outShapes[k] = detail::resolveShape(outs[k].dims, shapes);
    results[k].assign(size_t(detail::product(outShapes[k])), 0.0f);
    outPtrs[k] = results[k].data();
  }
  float *ws = workspaceFor(shapes);
  std::vector<int64_t> dims = detail::flatDims(shapes);
  // Run.
  std::vector<double> ms;
  if (repeat > 1) // warm up: threads, page faults, caches
    forward(model.get(), inPtrs.data(), outPtrs.data(), ws, dims.data());
  for (int r = 0; r < repeat; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    forward(model.get(), inPtrs.data(), outPtrs.data(), ws, dims.data());
    ms.push_back(std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - t0)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("forward: %.3f ms (median of %d, %d threads)\n",
              ms[ms.size() / 2], repeat, maxThreads());
  if (outputDir.empty())
    return 0;
  std::error_code ec;
  std::filesystem::create_directories(outputDir, ec);
  if (ec)
    return fail("cannot create '" + outputDir + "': " + ec.message());
  for (size_t k = 0; k < outs.size(); ++k) {
    std::string path;
    if (!npyOutputPath(outputDir, outs[k].name, path, &error) ||
        !writeNpy(path, results[k].data(), outShapes[k], &error))
      return fail(error);
    std::printf("%s: %s -> %s\n", outs[k].name.c_str(),
                detail::shapeString(outShapes[k]).c_str(), path.c_str());
  }
  return 0;
}

} // namespace sxf_rt
