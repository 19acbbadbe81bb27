//===- sparse-opt.cpp - the sxf optimizer driver ----------------*- C++ -*-===//
//
// mlir-opt over the sxf dialect, its passes and the upstream dialects it
// uses. One addition: `--sxf-weights-out=FILE` appends sxf-export-weights to
// whatever pipeline was requested, so the weights of the resulting module are
// written to FILE; `--sxf-require-on-chip` makes sxf-tile fail instead of
// streaming weights when a model does not fit on-chip.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/FileOutput.h"
#include "sxf/Support/SourceInput.h"
#include "sxf/Support/ToolOptions.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/InitAll.h"
#include "sxf/Weights/WeightStore.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace {
/// Runs last when -o names a file in another directory than the input: a
/// relative sxf.weights_file is resolved as the input module sees it and
/// written relative to the output's directory (when the file lies below
/// it) or absolute, so the written module still finds its weights.
struct RebaseWeightsFilePass
    : public PassWrapper<RebaseWeightsFilePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(RebaseWeightsFilePass)
  explicit RebaseWeightsFilePass(std::string outputDir)
      : outputDir(std::move(outputDir)) {}
  StringRef getArgument() const override { return "sxf-rebase-weights-file"; }
  void runOnOperation() override {
    ModuleOp module = getOperation();
    sxf::WeightStore store(module);
    std::string declared = store.declaredFile();
    if (declared.empty() || llvm::sys::path::is_absolute(declared))
      return;
    llvm::SmallString<256> file(store.resolvedFile());
    if (!llvm::sys::fs::exists(file))
      return; // named but absent: left as written (readers report it)
    if (llvm::sys::fs::make_absolute(file))
      return;
    llvm::sys::path::remove_dots(file, /*remove_dot_dot=*/true);
    std::string rebased = std::string(file);
    std::string prefix =
        outputDir + llvm::sys::path::get_separator().str();
    if (StringRef(file).starts_with(prefix))
      rebased = StringRef(file).drop_front(prefix.size()).str();
    module->setAttr(sxf::kWeightsFileAttrName,
                    StringAttr::get(module.getContext(), rebased));
  }
  std::string outputDir;
};

/// The absolute directory of `path` ("" when it cannot be known).
std::string absoluteDirectory(StringRef path) {
  llvm::SmallString<256> dir(path);
  if (llvm::sys::fs::make_absolute(dir))
    return "";
  llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
  return llvm::sys::path::parent_path(dir).str();
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  sxf::useErrorProgramName(argc, argv);
  sxf::reportFileSizeLimitAsError();
  DialectRegistry registry;
  sxf::registerAllDialects(registry);
  sxf::registerAllPasses();

  static llvm::cl::opt<std::string> weightsOut(
      "sxf-weights-out",
      llvm::cl::desc("Write every weight of the resulting module to this "
                     "safetensors file (runs sxf-export-weights last)"),
      llvm::cl::value_desc("FILE.safetensors"), llvm::cl::init(""));

  static llvm::cl::opt<bool> requireOnChip(
      "sxf-require-on-chip",
      llvm::cl::desc("sxf-tile fails when the model does not fit the "
                     "target's on-chip SRAM instead of streaming weights"),
      llvm::cl::init(false));

  auto [inputFilename, outputFilename] = registerAndParseCLIOptions(
      argc, argv, "sxf sparse transformer optimizer\n", registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects() || config.shouldListPasses())
    return asMainReturnCode(
        MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  if (!weightsOut.empty() && weightsOut == outputFilename) {
    llvm::errs() << "sparse-opt: error: --sxf-weights-out and -o name the "
                    "same file ('"
                 << outputFilename << "')\n";
    return EXIT_FAILURE;
  }
  {
    MlirOptMainConfig base = config;
    std::string file = weightsOut;
    bool onChip = requireOnChip;
    // An output in another directory than the input: relative weight paths
    // are rebased onto it (RebaseWeightsFilePass).
    std::string outputDir;
    if (outputFilename != "-" && inputFilename != "-") {
      std::string in = absoluteDirectory(inputFilename);
      std::string out = absoluteDirectory(outputFilename);
      if (!in.empty() && !out.empty() && in != out)
        outputDir = out;
    }
    config.setPassPipelineSetupFn([base, file, onChip,
                                   outputDir](PassManager &pm) {
      {
        // llvm::cl prints a bad option value itself ("sparse-opt: error: for
        // the --method option: ...") and MLIR then reports the failure again
        // as an error with an empty message at an unknown location; that
        // empty echo is dropped so each failure is said once.
        // Errors about the pipeline text have no place in the input: say
        // them as the tool ("sparse-opt: error: ..."), not "<unknown>:0:".
        ScopedDiagnosticHandler optionErrors(
            pm.getContext(), [](Diagnostic &d) -> LogicalResult {
              if (d.getSeverity() != DiagnosticSeverity::Error ||
                  !isa<UnknownLoc>(d.getLocation()))
                return failure();
              std::string text = d.str();
              StringRef msg = StringRef(text).trim();
              msg.consume_front("<Pass-Options-Parser>: ");
              if (!msg.empty())
                llvm::errs() << "sparse-opt: error: " << msg << "\n";
              return success();
            });
        if (failed(base.setupPassPipeline(pm)))
          return failure();
      }
      if (onChip) {
        // The flag is sxf-tile's require-on-chip=true, set on every sxf-tile
        // of the requested pipeline (not a process-wide default).
        bool any = false;
        for (Pass &pass : pm.getPasses()) {
          if (pass.getArgument() != "sxf-tile")
            continue;
          any = true;
          if (failed(pass.initializeOptions(
                  "require-on-chip=true",
                  [](const Twine &msg) { return failure(); })))
            return failure();
        }
        if (!any) {
          llvm::errs() << "sparse-opt: error: --sxf-require-on-chip applies "
                          "to sxf-tile, which the pipeline does not run\n";
          return failure();
        }
      }
      if (!file.empty()) {
        sxf::SxfExportWeightsPassOptions options;
        options.file = file;
        pm.addPass(sxf::createSxfExportWeightsPass(options));
      }
      if (!outputDir.empty())
        pm.addPass(std::make_unique<RebaseWeightsFilePass>(outputDir));
      return success();
    });
  }

  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> input =
      sxf::openMlirInput(inputFilename, &errorMessage);
  if (!input) {
    llvm::errs() << "sparse-opt: error: " << errorMessage << "\n";
    return EXIT_FAILURE;
  }
  // The output is produced in memory and written once the pipeline has
  // succeeded (sxf/Support/FileOutput.h): a failure leaves the file, link or
  // device at -o untouched, and a failed write names the file.
  std::string text;
  llvm::raw_string_ostream os(text);
  if (failed(MlirOptMain(os, std::move(input), registry, config)))
    return EXIT_FAILURE;
  if (llvm::Error e = sxf::writeOutputFile(
          outputFilename, [&](llvm::raw_ostream &out) { out << text; })) {
    llvm::errs() << "sparse-opt: error: " << llvm::toString(std::move(e))
                 << "\n";
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
