//===- sparse-import.cpp - Import Hugging Face checkpoints ------*- C++ -*-===//
//
//   sparse-import DIR -o model.mlir [--seq S] [--batch B]
//                 [--dtype=f32|f16|bf16] [--weights-file PATH] [--primitive]
//
// DIR holds a Hugging Face GPT-2 or BERT checkpoint (config.json and
// model.safetensors). The converted weights go to <output stem>.safetensors
// (or --weights-file); tensors the sxf model does not use (a pooler, a
// classification head, attention-mask buffers) are listed as notes.
//
//===----------------------------------------------------------------------===//

#include "sxf/Support/FileOutput.h"
#include "sxf/Support/ToolOptions.h"
#include "sxf/Import/HuggingFace.h"
#include "sxf/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace llvm;

static cl::OptionCategory category("sparse-import options");
static cl::opt<std::string> inputDir(cl::Positional,
                                     cl::desc("<checkpoint directory>"),
                                     cl::Required, cl::cat(category));
static cl::opt<std::string> outputFilename("o", cl::desc("Output .mlir file"),
                                           cl::value_desc("filename"),
                                           cl::Required, cl::cat(category));
static cl::opt<int64_t> seqLen("seq",
                               cl::desc("Input sequence length (default: "
                                        "the checkpoint's positions)"),
                               cl::init(0), cl::cat(category));
static cl::opt<int64_t> batch("batch", cl::desc("Batch size"), cl::init(1),
                              cl::cat(category));
static cl::opt<std::string> dtype("dtype",
                                  cl::desc("Stored weight type: f32, f16, "
                                           "bf16"),
                                  cl::init("f32"), cl::cat(category));
static cl::opt<std::string>
    weightsFile("weights-file",
                cl::desc("Converted weights (default: <output "
                         "stem>.safetensors)"),
                cl::init(""), cl::cat(category));
static cl::opt<bool> primitive("primitive",
                               cl::desc("Emit primitive ops instead of "
                                        "encoder/decoder layers"),
                               cl::init(false), cl::cat(category));

static int fail(const Twine &msg) {
  errs() << "sparse-import: error: " << msg << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  sxf::useErrorProgramName(argc, argv);
  sxf::reportFileSizeLimitAsError();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "sxf importer: Hugging Face GPT-2 / BERT "
                              "checkpoints to sxf modules\n");
  sxf::ImportOptions options;
  if (seqLen < 0 || batch <= 0)
    return fail("--seq must be >= 0 and --batch positive");
  options.seq = seqLen;
  options.batch = batch;
  options.composite = !primitive;
  if (std::optional<sxf::DType> d = sxf::parseStorageDType(dtype))
    options.dtype = *d;
  else
    return fail("--dtype must be f32, f16 or bf16, got '" + dtype + "'");
  if (outputFilename == "-")
    return fail("-o must name a file (the weights are written beside it)");
  if (!weightsFile.empty()) {
    options.weightsPath = weightsFile;
  } else {
    SmallString<256> path(outputFilename);
    sys::path::replace_extension(path, "safetensors");
    options.weightsPath = std::string(path);
  }
  if (options.weightsPath == std::string(outputFilename))
    return fail("the weights file and -o are the same file ('" +
                outputFilename + "')");
  if (sys::path::parent_path(options.weightsPath) ==
      sys::path::parent_path(outputFilename))
    options.weightsRef = sys::path::filename(options.weightsPath).str();

  mlir::DialectRegistry registry;
  sxf::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  Expected<sxf::ImportResult> result =
      sxf::importHuggingFace(&context, inputDir, options);
  if (!result)
    return fail(toString(result.takeError()));
  for (const std::string &note : result->notes)
    errs() << "sparse-import: note: " << note << "\n";
  for (const std::string &name : result->ignored)
    errs() << "sparse-import: note: ignoring checkpoint tensor '" << name
           << "' (not part of the sxf " << result->modelType << " model)\n";
  if (Error e = sxf::writeOutputFile(outputFilename, [&](raw_ostream &os) {
        result->module->print(os);
        os << "\n";
      }))
    return fail(toString(std::move(e)));
  return 0;
}
