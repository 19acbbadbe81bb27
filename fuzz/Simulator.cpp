//===- Simulator.cpp - fuzz the simulator on mutated tiled programs -------===//
//
// The input is a tiled module (an sxft.program beside the sxf model it
// plans, weights inline; seeds are sxf-tile outputs of small models). A
// module that parses and verifies is timed (sxf::simulatePerformance) and,
// when the performance model accepts it, executed (sxf::simulateFunctional)
// on seeded random inputs, as `sparse-sim --mode=functional` does. Programs
// name their target: a preset, or one of the toy targets of
// test/Tile/Inputs (toy4, toy4-small, toy4-rdu, toy4-64k).
//
//===----------------------------------------------------------------------===//

#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"
#include "FuzzCommon.h"
#include "sxf/InitAll.h"
#include "sxf/Interpreter/Inputs.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/Sim/Simulator.h"
#include "sxf/Target/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

using namespace mlir;

namespace {
std::map<std::string, sxf::TargetDesc> targets;

MLIRContext &getContext() { return sxf::fuzz::sharedContext(); }

const sxf::TargetDesc *findTarget(llvm::StringRef name) {
  auto it = targets.find(name.str());
  return it == targets.end() ? nullptr : &it->second;
}

void addTarget(llvm::StringRef nameOrPath) {
  llvm::Expected<sxf::TargetDesc> t = sxf::loadTarget(nameOrPath);
  if (!t) {
    llvm::consumeError(t.takeError());
    return;
  }
  targets.emplace(t->name, std::move(*t));
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  for (const std::string &preset : sxf::targetPresetNames())
    addTarget(preset);
  for (const char *toy : {"toy4", "toy4-small", "toy4-rdu", "toy4-64k"})
    addTarget(std::string(SXF_FUZZ_TOY_TARGETS) + "/" + toy + ".json");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &ctx = getContext();
  ScopedDiagnosticHandler drop(&ctx, [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module =
      sxf::fuzz::parseInput(ctx, data, size);
  if (!module)
    return 0;
  for (sxf::target::ProgramOp program :
       module->getOps<sxf::target::ProgramOp>()) {
    const sxf::TargetDesc *target = findTarget(program.getTarget());
    if (!target)
      continue;
    if (failed(sxf::simulatePerformance(program, *target, /*traceUnits=*/4)))
      continue;
    sxf::Interpreter interp(*module);
    FailureOr<func::FuncOp> func = interp.entry("");
    if (failed(func))
      continue;
    llvm::Expected<std::vector<sxf::HostValue>> args =
        sxf::bindInputs(interp, *func, {}, /*random=*/true, /*seed=*/1);
    if (!args) {
      llvm::consumeError(args.takeError());
      continue;
    }
    (void)sxf::simulateFunctional(*module, program, *args);
  }
  return 0;
}
