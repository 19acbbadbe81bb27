//===- sxf-embed.cpp - sxf embedded in another program -------------------===//
//
// What a compiler that embeds sxf does, through the installed public C++ API
// only (docs/embedding.md):
//
//   sxf-embed model.mlir "target=cpu-host method=magnitude sparsity=0.8" out.cpp
//
// (out.cpp and its encoded weights, out.cpp.safetensors, also embedded in
// the source)
// registers sxf's dialects and passes into its own registry, parses the
// model, builds sxf-pipeline from an option string with one call
// (sxf::buildPipeline), lowers the result to EmitC with the weights embedded
// (a registered pass, by name), and translates it to C++ with MLIR's EmitC
// emitter. Compile the program against the installed runtime:
//
//   c++ -std=c++17 -O2 out.cpp -I P/include -L P/lib -lsxf_rt -Wl,-rpath,P/lib
//
//===----------------------------------------------------------------------===//

#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "sxf/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/Cpp/CppEmitter.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 4) {
    llvm::errs() << "usage: sxf-embed model.mlir \"<sxf-pipeline options>\" "
                    "out.cpp\n";
    return 2;
  }
  mlir::DialectRegistry registry;
  sxf::registerAllDialects(registry);
  sxf::registerAllPasses();
  mlir::MLIRContext context(registry);

  llvm::SourceMgr sources;
  std::string error;
  auto file = mlir::openInputFile(argv[1], &error);
  if (!file) {
    llvm::errs() << "sxf-embed: " << error << "\n";
    return 1;
  }
  sources.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  mlir::SourceMgrDiagnosticHandler diagnostics(sources, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sources, &context);
  if (!module)
    return 1;

  // sxf-pipeline, built from its options with one call.
  auto options = std::make_unique<sxf::PipelineOptions>();
  std::string reason;
  llvm::raw_string_ostream reasonStream(reason);
  if (failed(options->parseFromString(argv[2], reasonStream))) {
    llvm::errs() << "sxf-embed: cannot parse the options '" << argv[2]
                 << "': " << llvm::StringRef(reason).trim() << "\n";
    return 1;
  }
  std::string problem = sxf::validatePipelineOptions(*options);
  if (!problem.empty()) {
    llvm::errs() << "sxf-embed: " << problem << "\n";
    return 1;
  }
  mlir::PassManager pm(&context);
  sxf::buildPipeline(pm, *options);
  // The lowering, by its registered name: the encoded weights go to
  // out.cpp.safetensors and into the C++ source.
  std::string weights = std::string(argv[3]) + ".safetensors";
  if (failed(mlir::parsePassPipeline(
          "sxf-lower-to-emitc{embed=true weights=" + weights + "}", pm,
          llvm::errs())))
    return 1;
  if (failed(pm.run(*module)))
    return 1;

  auto out = mlir::openOutputFile(argv[3], &error);
  if (!out) {
    llvm::errs() << "sxf-embed: " << error << "\n";
    return 1;
  }
  if (failed(mlir::emitc::translateToCpp(*module, out->os())))
    return 1;
  out->keep();
  llvm::outs() << "sxf-embed: wrote " << argv[3] << " (sxf from "
               << SXF_EMBED_PREFIX << ")\n";
  return 0;
}
