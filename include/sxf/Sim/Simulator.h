//===- Simulator.h - Reference simulator of sxft programs -------*- C++ -*-===//
//
// Executes an sxft.program (the output of sxf-tile) on its target model:
//
//  - performance mode walks the steps and, for every unit a compute or an
//    exchange touches, charges the per-unit costs of PerfModel.h: IPU and
//    CPU steps are bulk-synchronous (load, exchange, sync, then the slowest
//    unit's compute); RDU sections are pipelines over `microbatches` slices
//    of the tokens whose steady state is set by the slowest stage. It reads
//    only the program (block sizes, nonzeros, formats, bytes), so it runs
//    from metadata alone in time proportional to ops x units;
//  - functional mode executes the program unit by unit in fp32: every unit
//    holds only its blocks, exchanges assemble each destination block from
//    the units that hold its pieces (summing partial sums), and computes use
//    only what their unit holds. Its outputs are the proof that a tiling is
//    correct: they must equal the reference interpreter's.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_SIM_SIMULATOR_H
#define SXF_SIM_SIMULATOR_H

#include "sxf/Conversion/SxfToSxfTarget/Tiler.h"
#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"
#include "sxf/Interpreter/Interpreter.h"
#include "sxf/Target/Target.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace sxf {

struct StepReport {
  int64_t index = 0, section = 0;
  std::string layer;
  double start = 0;                                   // seconds
  double loadSeconds = 0, exchangeSeconds = 0, syncSeconds = 0,
         computeSeconds = 0, seconds = 0;
  /// Reconfiguration before the first step of a section (programs of more
  /// than one section; TargetDesc::reconfigureSeconds).
  double reconfigureSeconds = 0;
  double flops = 0;
  /// loadBytes: what crosses the off-chip link into the chip (weights,
  /// entry arguments) and out to the host (entry results); storeBytes:
  /// updated weights and optimizer state written back (sxft.store). Both
  /// are in loadSeconds.
  int64_t exchangeBytes = 0, loadBytes = 0, storeBytes = 0;
  /// An optimizer update: once per run, after the gradients are complete
  /// (on an RDU, after the section's pipeline has drained).
  bool once = false;
  int64_t unitsBusy = 0;
  double imbalance = 1; // largest unit's work / mean unit work
};

struct LayerReport {
  std::string name;
  double seconds = 0, flops = 0, energy = 0;
  int64_t bytesOnChip = 0, bytesOffChip = 0;
};

struct SimReport {
  std::string target, kind;
  int64_t units = 0, sramPerUnit = 0, tokens = 0, sections = 1,
          microbatches = 1;
  bool fitsOnChip = true;
  double clockHz = 0;
  double seconds = 0, cycles = 0, flops = 0, energy = 0;
  /// energy = staticEnergy (static watts x time) + dynamicEnergy (FLOPs and
  /// bytes moved).
  double staticEnergy = 0, dynamicEnergy = 0;
  /// Seconds spent reconfiguring between sections.
  double reconfigureSeconds = 0;
  int64_t bytesOnChip = 0, bytesOffChip = 0, sramBytes = 0;
  int64_t peakUnitBytes = 0, unitsUsed = 0;
  /// Weights as placed: every block at its partition's largest block size
  /// (an upper bound of the encoded bytes), replicas included.
  int64_t weightBytes = 0;
  /// A training step with AdamW on chip: the optimizer state held with the
  /// weights (partitions' `state_bytes`, counted like weightBytes).
  int64_t optimizerStateBytes = 0;
  double utilisation = 0; // busy unit-seconds / (units used x time)
  /// Per-unit compute seconds and peak SRAM bytes over all units: min,
  /// mean, max (the per-unit view without a 23,552-entry list).
  double unitBusyMin = 0, unitBusyMean = 0, unitBusyMax = 0;
  double unitBytesMin = 0, unitBytesMean = 0;
  double imbalance = 1;   // flop-weighted mean of the steps' imbalance
  /// RDU: steady-state tokens per second and the stage that limits it.
  double tokensPerSecond = 0;
  std::string bottleneck;
  std::vector<StepReport> steps;
  std::vector<LayerReport> layers;
  /// Per-unit busy seconds (the first `traceUnits` units, for the trace).
  std::vector<std::vector<std::pair<double, double>>> unitBusy;
};

/// The program to simulate for `module` on `target`: one already tiled for
/// that target (sparse-opt --sxf-tile), else sxf-tile's, with composite
/// layers decomposed first. `tiled` (when given) receives sxf-tile's result
/// when it ran, for its "does not fit" figures. sparse-sim and the C API
/// (sxfSimulatePerformance) both get their program here.
mlir::FailureOr<target::ProgramOp>
programFor(mlir::ModuleOp module, const TargetDesc &target,
           const TileOptions &options,
           std::optional<TileResult> *tiled = nullptr);

/// Times `program` on `target` (which must be the program's target).
/// Entry arguments cross the off-chip link in the step that first reads
/// them, unless `inputsOnChip` (they are already in SRAM: a layer inside a
/// larger model, or a benchmark of one op such as PopSparse's).
mlir::FailureOr<SimReport> simulatePerformance(target::ProgramOp program,
                                               const TargetDesc &target,
                                               int64_t traceUnits = 0,
                                               bool inputsOnChip = false);

/// Executes `program` functionally on `inputs` (the entry's arguments) and
/// returns the entry's results. Errors (a compute reading a block its unit
/// does not hold, a weight without values) are diagnosed at the op.
mlir::FailureOr<std::vector<HostValue>>
simulateFunctional(mlir::ModuleOp module, target::ProgramOp program,
                   const std::vector<HostValue> &inputs);

/// The results of a training-step entry as `program` returns them, from
/// the reference interpreter's: with `adamw`, each gradient result an
/// `update` applies on chip becomes its weight (as stored) after one AdamW
/// step from zero state (sxf::training::adamwStep, the simulator's update;
/// decayed per adamwDecays). A program without `adamw` changes nothing.
mlir::LogicalResult applyProgramUpdates(mlir::ModuleOp module,
                                        target::ProgramOp program,
                                        std::vector<HostValue> &results);

void printReportTable(const SimReport &r, llvm::raw_ostream &os);
void writeReportJson(const SimReport &r, llvm::raw_ostream &os);
/// Chrome / Perfetto trace: one track per phase of the chip and one per
/// traced unit.
void writeTrace(const SimReport &r, llvm::raw_ostream &os);

} // namespace sxf

#endif // SXF_SIM_SIMULATOR_H
