//===- sparse-sim.cpp - the sxf reference simulator -------------*- C++ -*-===//
//
//   sparse-sim model.mlir --target=NAME|FILE [--mode=functional|performance]
//     [--input NAME=x.npy ...|--random-inputs --seed K] [--output-dir DIR]
//     [--report=FILE.json] [--trace=FILE.json] [--sxf-require-on-chip]
//
// Tiles the model with sxf-tile (decomposing composite layers first) unless
// the module already holds an sxft.program for the target, then simulates
// it. Performance mode prints the table of docs/tools.md (and the JSON
// report / Chrome trace); functional mode executes the program unit by
// unit, compares every output with the reference interpreter (fails beyond
// --rtol / --atol) and writes the outputs as .npy.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/FileOutput.h"
#include "sxf/Support/SourceInput.h"
#include "sxf/Support/ToolOptions.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/InitAll.h"
#include "sxf_rt/names.h"
#include "sxf/Interpreter/Inputs.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/Sim/Simulator.h"
#include "sxf/Support/Npy.h"
#include "sxf/Target/TargetAttr.h"
#include "sxf/Conversion/SxfToSxfTarget/Tiler.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

#include <chrono>
#include <cmath>

using namespace llvm;

static cl::OptionCategory category("sparse-sim options");
static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<model.mlir>"),
                                          cl::Required, cl::cat(category));
static cl::opt<std::string> targetName(
    "target", cl::desc("Target preset (ipu-mk2, ipu-pod16, rdu-sn10, "
                       "cpu-host) or a target description .json (default: "
                       "the module's #sxf.target)"),
    cl::init(""), cl::cat(category));
static cl::opt<std::string> mode("mode",
                                 cl::desc("functional or performance"),
                                 cl::init("performance"), cl::cat(category));
static cl::opt<std::string> entryName("entry",
                                      cl::desc("Entry function"),
                                      cl::init(""), cl::cat(category));
static cl::list<std::string> inputs("input",
                                    cl::desc("NAME=file.npy (functional)"),
                                    cl::cat(category));
static cl::opt<bool> randomInputs("random-inputs",
                                  cl::desc("Random values for the inputs "
                                           "not given with --input"),
                                  cl::cat(category));
static cl::opt<uint64_t> seed("seed", cl::desc("Seed for --random-inputs"),
                              cl::init(0), cl::cat(category));
static cl::opt<std::string> outputDir("output-dir",
                                      cl::desc("Write outputs here (.npy)"),
                                      cl::init(""), cl::cat(category));
static cl::opt<std::string> reportFile("report",
                                       cl::desc("Write the JSON report here"),
                                       cl::init(""), cl::cat(category));
static cl::opt<std::string> traceFile(
    "trace", cl::desc("Write a Chrome/Perfetto trace here"), cl::init(""),
    cl::cat(category));
static cl::opt<int64_t> traceUnits("trace-units",
                                   cl::desc("Units with their own trace track"),
                                   cl::init(16), cl::cat(category));
static cl::opt<bool> requireOnChip(
    "sxf-require-on-chip",
    cl::desc("Fail when the model does not fit on-chip (no streaming)"),
    cl::cat(category));
static cl::opt<int64_t> microbatches(
    "microbatches", cl::desc("RDU pipeline micro-batches (0: one per stage)"),
    cl::init(0), cl::cat(category));
static cl::opt<double> relTol("rtol",
                              cl::desc("Functional: relative tolerance"),
                              cl::init(1e-5), cl::cat(category));
static cl::opt<double> absTol("atol",
                              cl::desc("Functional: absolute tolerance"),
                              cl::init(1e-6), cl::cat(category));
static cl::opt<bool> inputsOnChip(
    "inputs-on-chip",
    cl::desc("Performance mode: the entry's arguments are already in SRAM "
             "(a layer inside a larger model, a one-op benchmark); by default "
             "they cross the off-chip link in the step that first reads them"),
    cl::cat(category));
static cl::opt<bool> quiet("quiet", cl::desc("No table on stdout"),
                           cl::cat(category));

static int fail(const Twine &msg) {
  errs() << "sparse-sim: error: " << msg << "\n";
  return 1;
}

static bool writeFile(StringRef path,
                      function_ref<void(raw_ostream &)> write) {
  if (llvm::Error e = sxf::writeOutputFile(path, write)) {
    errs() << "sparse-sim: error: " << llvm::toString(std::move(e)) << "\n";
    return false;
  }
  return true;
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  sxf::useErrorProgramName(argc, argv);
  sxf::reportFileSizeLimitAsError();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "sxf reference simulator: tiles a model onto a "
                              "dataflow target and simulates it\n");
  if (mode != "functional" && mode != "performance")
    return fail("--mode must be functional or performance, got '" + mode +
                "'");
  if (mode == "performance" && (!inputs.empty() || randomInputs ||
                                !outputDir.empty()))
    return fail("--input, --random-inputs and --output-dir are for "
                "--mode=functional");
  if (traceUnits < 0 || microbatches < 0)
    return fail("--trace-units and --microbatches must be non-negative");
  if (!(relTol >= 0) || !(absTol >= 0) || !std::isfinite(double(relTol)) ||
      !std::isfinite(double(absTol)))
    return fail("--rtol and --atol must be finite and non-negative");
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
    return 1;
  // --target, else the target the module's formats were selected for.
  if (targetName.empty() && !sxf::recordedTarget(*module))
    return fail("give --target: " + inputFilename +
                " records no target (#sxf.target, written by "
                "sxf-select-format / sxf-pipeline)");
  Expected<sxf::TargetDesc> desc =
      !targetName.empty() ? sxf::loadTarget(targetName)
                          : sxf::targetFromAttr(sxf::recordedTarget(*module));
  if (!desc)
    return fail((!targetName.empty() ? "--target: " : inputFilename + ": ") +
                toString(desc.takeError()));

  auto start = std::chrono::steady_clock::now();
  // Use a program already tiled for this target, else tile now.
  sxf::TileOptions options;
  options.entry = entryName;
  options.requireOnChip = requireOnChip;
  options.microbatches = microbatches;
  std::optional<sxf::TileResult> tiled;
  mlir::FailureOr<sxf::target::ProgramOp> found =
      sxf::programFor(*module, *desc, options, &tiled);
  if (failed(found))
    return 1;
  sxf::target::ProgramOp program = *found;
  if (tiled) {
    if (!tiled->fitsOnChip && tiled->worstUnit >= 0)
      errs() << formatv("sparse-sim: note: the model does not fit on-chip "
                        "(unit {0} would hold {1} bytes of its {2}; {3} of "
                        "{4} units over); weights stream from off-chip "
                        "memory in {5} section{6}\n",
                        tiled->worstUnit, tiled->worstBytes,
                        desc->sramPerUnitBytes, tiled->unitsOver, desc->units,
                        tiled->sections, tiled->sections == 1 ? "" : "s");
    else if (!tiled->fitsOnChip && tiled->unitsNeeded)
      errs() << formatv("sparse-sim: note: the model does not fit on-chip "
                        "(its ops need {0} units of their own in one "
                        "pipeline section, the target has {1}); weights "
                        "stream from off-chip memory in {2} section{3}\n",
                        tiled->unitsNeeded, desc->units, tiled->sections,
                        tiled->sections == 1 ? "" : "s");
    else if (!tiled->fitsOnChip)
      errs() << formatv("sparse-sim: note: the model does not fit on-chip "
                        "(its weights need {0} bytes, the units hold {1}); "
                        "weights stream from off-chip memory in {2} "
                        "section{3}\n",
                        tiled->worstBytes, desc->totalSramBytes(),
                        tiled->sections, tiled->sections == 1 ? "" : "s");
  }

  mlir::FailureOr<sxf::SimReport> report =
      sxf::simulatePerformance(program, *desc, traceUnits, inputsOnChip);
  if (failed(report))
    return 1;
  // A program tiled earlier (sparse-opt --sxf-tile) is held to the flag too.
  if (requireOnChip && !report->fitsOnChip) {
    program.emitError() << "sparse-sim: the program does not fit on-chip on "
                        << desc->name << " (" << report->sections
                        << " section" << (report->sections == 1 ? "" : "s")
                        << ", weights streamed from off-chip memory) and "
                           "--sxf-require-on-chip was given";
    return 1;
  }
  double wall = std::chrono::duration<double>(
                    std::chrono::steady_clock::now() - start)
                    .count();

  if (mode == "functional") {
    sxf::Interpreter interp(*module);
    mlir::FailureOr<mlir::func::FuncOp> func = interp.entry(entryName);
    if (failed(func))
      return 1;
    Expected<std::vector<sxf::HostValue>> args =
        sxf::bindInputs(interp, *func, inputs, randomInputs, seed);
    if (!args)
      return fail(toString(args.takeError()));
    mlir::FailureOr<std::vector<sxf::HostValue>> simulated =
        sxf::simulateFunctional(*module, program, *args);
    if (failed(simulated))
      return 1;
    mlir::FailureOr<std::vector<sxf::HostValue>> expected =
        interp.run(*func, *args);
    if (failed(expected) ||
        failed(sxf::applyProgramUpdates(*module, program, *expected)))
      return 1;
    if (!outputDir.empty())
      if (std::error_code ec = sys::fs::create_directories(outputDir))
        return fail("cannot create '" + outputDir + "': " + ec.message());
    bool mismatch = false;
    for (size_t i = 0; i < simulated->size(); ++i) {
      std::string name =
          sxf::valueName(func->getResultAttrDict(i), "result", i);
      std::string fileName = name;
      // A gradient applied on chip is compared (and written, as
      // <weight>.npy) as the updated weight.
      if (auto of = func->getResultAttrOfType<mlir::StringAttr>(
              i, "sxf.gradient_of");
          of && program.getAdamwAttr()) {
        name = of.str() + " after one AdamW step";
        fileName = of.str();
      }
      const sxf::Tensor &got = (*simulated)[i].f, &want = (*expected)[i].f;
      sxf::Comparison cmp = sxf::compareOutputs(got, want, relTol, absTol);
      double maxRef = cmp.maxRef, maxErr = cmp.maxAbs;
      int64_t bad = cmp.bad;
      outs() << formatv("{0}: simulated on {1} vs reference interpreter: "
                        "max abs err {2:e}, relative to max |ref| {3:e}: "
                        "{4}\n",
                        name, desc->name, maxErr,
                        maxRef > 0 ? maxErr / maxRef : maxErr,
                        bad ? "MISMATCH" : "ok");
      if (bad) {
        errs() << formatv("sparse-sim: error: {0}: {1} of {2} elements differ "
                          "from the reference interpreter by more than atol "
                          "{3:e} + rtol {4:e}·max(|expected|, row max "
                          "|expected|)\n",
                          name, bad, want.numel(), double(absTol),
                          double(relTol));
        mismatch = true;
      }
      if (!outputDir.empty()) {
        std::string path, error;
        if (!sxf_rt::npyOutputPath(outputDir, fileName, path, &error))
          return fail(error);
        if (Error e = sxf::writeNpy(path, got))
          return fail(toString(std::move(e)));
      }
    }
    if (mismatch)
      return 1;
  } else if (!quiet) {
    sxf::printReportTable(*report, outs());
    outs() << formatv("  simulated in      {0:F3} s\n", wall);
  }
  if (!reportFile.empty() &&
      !writeFile(reportFile,
                 [&](raw_ostream &os) { sxf::writeReportJson(*report, os); }))
    return 1;
  if (!traceFile.empty() &&
      !writeFile(traceFile,
                 [&](raw_ostream &os) { sxf::writeTrace(*report, os); }))
    return 1;
  return 0;
}
