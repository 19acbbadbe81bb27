//===- sparse-run.cpp - Run an sxf model with the reference interpreter ===//
//
//   sparse-run model.mlir [--entry=NAME] [--input NAME=x.npy ...]
//              [--random-inputs --seed K] --output-dir DIR
//              [--check-against DIR [--rtol R --atol A]]
//
// Inputs are named by the function argument's `sxf.name` attribute, or
// argN. Each result is written to DIR/<name>.npy (its `sxf.name`, or
// resultN). With --check-against, each result is compared with the .npy of
// the same name in that directory and the tool fails when any element
// differs by more than atol + rtol·|expected|.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/SourceInput.h"
#include "sxf/Support/FileOutput.h"
#include "sxf/Support/ToolOptions.h"
#include "sxf/InitAll.h"
#include "sxf/Interpreter/Evaluate.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/Interpreter/Inputs.h"
#include "sxf/Pruning/FastLinear.h"
#include "sxf/Support/Npy.h"
#include "sxf_rt/names.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <cmath>

using namespace llvm;

static cl::OptionCategory category("sparse-run options");
static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<model.mlir>"),
                                          cl::Required, cl::cat(category));
static cl::opt<std::string> entryName("entry",
                                      cl::desc("Function to run (default "
                                               "@forward)"),
                                      cl::init(""), cl::cat(category));
static cl::list<std::string> inputs("input",
                                    cl::desc("NAME=file.npy for an input"),
                                    cl::value_desc("NAME=file.npy"),
                                    cl::cat(category));
static cl::opt<bool> randomInputs("random-inputs",
                                  cl::desc("Make deterministic random inputs "
                                           "for every input not given"),
                                  cl::init(false), cl::cat(category));
static cl::opt<uint64_t> seed("seed", cl::desc("Seed for --random-inputs"),
                              cl::init(0), cl::cat(category));
static cl::opt<std::string> outputDir("output-dir",
                                      cl::desc("Directory for <result>.npy"),
                                      cl::init(""), cl::cat(category));
static cl::opt<std::string>
    checkAgainst("check-against",
                 cl::desc("Compare each result with DIR/<result>.npy"),
                 cl::init(""), cl::cat(category));
static cl::opt<std::string>
    compareTo("compare-to",
              cl::desc("Like --check-against, but only report the errors "
                        "(never fails)"),
              cl::init(""), cl::cat(category));
static cl::opt<std::string>
    evalPpl("eval-ppl",
            cl::desc("Print the next-token perplexity of a causal LM over the "
                     "token windows in this .npy ([N, seq] ids)"),
            cl::value_desc("tokens.npy"), cl::init(""), cl::cat(category));
static cl::opt<std::string>
    kernels("kernels",
            cl::desc("reference (default: the ground-truth loops) or fast "
                     "(Eigen GEMM for sxf.linear and its backward products)"),
            cl::init("reference"), cl::cat(category));
static cl::opt<double> relTol("rtol", cl::desc("Relative tolerance"),
                            cl::init(1e-5), cl::cat(category));
static cl::opt<double> absTol("atol", cl::desc("Absolute tolerance"),
                            cl::init(1e-6), cl::cat(category));

static int fail(const Twine &msg) {
  errs() << "sparse-run: error: " << msg << "\n";
  return 1;
}

static std::string nameOf(mlir::DictionaryAttr attrs, StringRef prefix,
                          unsigned i) {
  return sxf::valueName(attrs, prefix, i);
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  sxf::useErrorProgramName(argc, argv);
  sxf::reportFileSizeLimitAsError();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "sxf reference interpreter: runs a model in "
                              "fp32 and writes its outputs as .npy\n");
  if (outputDir.empty() && checkAgainst.empty() && compareTo.empty() &&
      evalPpl.empty())
    return fail("give --output-dir DIR (and/or --check-against DIR)");
  if (!(relTol >= 0) || !(absTol >= 0) || !std::isfinite(double(relTol)) ||
      !std::isfinite(double(absTol)))
    return fail("--rtol and --atol must be finite and non-negative");
  if (kernels != "reference" && kernels != "fast")
    return fail("--kernels must be reference or fast, got '" + kernels + "'");
  if (!checkAgainst.empty() && !compareTo.empty())
    return fail("give either --check-against or --compare-to, not both");
  const std::string &refDir = checkAgainst.empty() ? compareTo : checkAgainst;
  const bool strict = !checkAgainst.empty();

  mlir::DialectRegistry registry;
  sxf::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  std::string err;
  std::unique_ptr<MemoryBuffer> file = sxf::openMlirInput(inputFilename, &err);
  if (!file)
    return fail(err);
  sourceMgr.AddNewSourceBuffer(std::move(file), SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1; // the parser has reported a located error

  sxf::Interpreter interp(*module);
  if (kernels == "fast") {
    interp.setLinearImpl(sxf::prune::fastLinear);
    interp.setLinearGradImpls(sxf::prune::fastLinearGradInput,
                              sxf::prune::fastLinearGradWeight);
  }
  mlir::FailureOr<mlir::func::FuncOp> func = interp.entry(entryName);
  if (failed(func))
    return 1;

  if (!evalPpl.empty()) {
    Expected<sxf::NpyArray> arr = sxf::readNpy(evalPpl);
    if (!arr)
      return fail(toString(arr.takeError()));
    Expected<sxf::IntTensor> windows = arr->toInt();
    if (!windows)
      return fail(evalPpl + ": " + toString(windows.takeError()));
    mlir::FailureOr<sxf::PerplexityResult> ppl =
        sxf::evaluatePerplexity(interp, *func, *windows);
    if (failed(ppl))
      return 1;
    outs() << ppl->line << "\n";
    if (outputDir.empty() && checkAgainst.empty() && compareTo.empty())
      return 0;
  }

  // Bind inputs: named files first, random values for the rest.
  Expected<std::vector<sxf::HostValue>> args =
      sxf::bindInputs(interp, *func, inputs, randomInputs, seed);
  if (!args)
    return fail(toString(args.takeError()));

  mlir::FailureOr<std::vector<sxf::HostValue>> results = interp.run(*func, *args);
  if (failed(results))
    return 1;

  if (!outputDir.empty())
    if (std::error_code ec = sys::fs::create_directories(outputDir))
      return fail("cannot create '" + outputDir + "': " + ec.message());
  bool mismatch = false;
  for (auto [i, r] : llvm::enumerate(*results)) {
    std::string name = nameOf(func->getResultAttrDict(i), "result", i);
    if (!outputDir.empty()) {
      std::string path, error;
      if (!sxf_rt::npyOutputPath(outputDir, name, path, &error))
        return fail(error);
      Error e = r.isInt ? sxf::writeNpy(path, r.i) : sxf::writeNpy(path, r.f);
      if (e)
        return fail(toString(std::move(e)));
      outs() << name << ": " << sxf::shapeToString(r.shape()) << " -> " << path
             << "\n";
    }
    if (!refDir.empty()) {
      if (r.isInt)
        return fail("--check-against supports float results only");
      std::string path, error;
      if (!sxf_rt::npyOutputPath(refDir, name, path, &error))
        return fail(error);
      Expected<sxf::NpyArray> arr = sxf::readNpy(path);
      if (!arr)
        return fail(toString(arr.takeError()));
      Expected<sxf::Tensor> expected = arr->toFloat();
      if (!expected)
        return fail(path + ": " + toString(expected.takeError()));
      if (expected->shape != r.f.shape)
        return fail(name + ": shape " + sxf::shapeToString(r.f.shape) +
                    " differs from " + sxf::shapeToString(expected->shape) +
                    " in " + path);
      sxf::Comparison cmp =
          sxf::compareOutputs(r.f, *expected, relTol, absTol);
      double maxAbs = cmp.maxAbs, maxRel = cmp.maxRel, relL2 = cmp.relL2;
      int64_t bad = cmp.bad, firstBad = cmp.firstBad;
      outs() << formatv("{0}: max abs err {1:e}, max rel err {2:e}, "
                        "relative L2 err {3:e} vs {4}: {5}\n",
                        name, maxAbs, maxRel, relL2, path,
                        !strict ? "compared" : bad ? "MISMATCH" : "ok");
      if (bad && strict) {
        outs().flush();
        errs() << formatv("sparse-run: error: {0}: {1} of {2} elements "
                          "differ by more than atol {3:e} + rtol {4:e}·max(|expected|, "
                          "row max |expected|) "
                          "(first at flat index {5}: {6:e} vs {7:e})\n",
                          name, bad, r.f.numel(), double(absTol), double(relTol),
                          firstBad, r.f.data[firstBad],
                          expected->data[firstBad]);
        mismatch = true;
      }
    }
  }
  return mismatch ? 1 : 0;
}
