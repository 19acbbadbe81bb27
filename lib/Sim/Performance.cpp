//===- Performance.cpp - Timing an sxft program on its target -------------===//

#include "sxf/Dialect/SxfTarget/IR/Layout.h"
#include "sxf/Sim/Simulator.h"
#include "sxf/Tile/PerfModel.h"
#include "sxf/Tile/ProgramChecks.h"
#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Dialect/Sxf/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

using namespace mlir;

namespace sxf {

using target::Layout;

namespace {

/// Statistics of a weight block described only by its format and nonzeros.
WeightStats statsForBlock(MLIRContext *ctx, FormatAttr f, int64_t rows,
                          int64_t cols, int64_t nnz) {
  double density = rows > 0 && cols > 0
                       ? std::min(1.0, double(nnz) / double(rows * cols))
                       : 0.0;
  SparsityAttr attr;
  if (f && f.getKind() == StorageKind::nm)
    attr = SparsityAttr::get(ctx, SparsityPattern::nm, density, 0, 0,
                             f.getN(), f.getM());
  else if (f && f.getKind() == StorageKind::bsr)
    attr = SparsityAttr::get(ctx, SparsityPattern::block, density,
                             f.getBlockRows(), f.getBlockCols());
  else
    attr = SparsityAttr::get(ctx,
                             density >= 1.0 ? SparsityPattern::dense
                                            : SparsityPattern::unstructured,
                             density);
  return statsFromAttr({rows, cols}, attr);
}

struct Unit {
  double seconds = 0; // per unit in the compute's span
  double sramBytes = 0;
  double imbalance = 1;
  int64_t gatherBytes = 0;
};

} // namespace

FailureOr<target::ProgramOp> programFor(ModuleOp module,
                                        const TargetDesc &t,
                                        const TileOptions &options,
                                        std::optional<TileResult> *tiled) {
  // A program tiled for this target (and for the entry asked for, when one
  // is: a module holds the forward and a training step).
  for (auto p : module.getOps<target::ProgramOp>())
    if (p.getTarget() == t.name &&
        (options.entry.empty() || p.getEntry() == options.entry))
      return p;
  bool composite = false;
  module.walk([&](Operation *op) {
    composite |= isa<EncoderLayerOp, DecoderLayerOp>(op);
  });
  if (composite) {
    PassManager pm(module.getContext());
    pm.addPass(createSxfDecomposePass());
    if (failed(pm.run(module)))
      return failure();
  }
  FailureOr<TileResult> r = tileModule(module, t, options);
  if (failed(r))
    return failure();
  if (tiled)
    *tiled = *r;
  return r->program;
}

FailureOr<SimReport> simulatePerformance(target::ProgramOp program,
                                         const TargetDesc &t,
                                         int64_t traceUnits,
                                         bool inputsOnChip) {
  MLIRContext *ctx = program.getContext();
  int64_t units = int64_t(program.getUnits());
  if (units != t.units || int64_t(program.getSramPerUnit()) !=
                              t.sramPerUnitBytes)
    return program.emitError()
           << "sparse-sim: the program was tiled for " << units
           << " units of " << int64_t(program.getSramPerUnit())
           << " bytes, but target " << t.name << " has " << t.units
           << " of " << t.sramPerUnitBytes << " (re-run sxf-tile)";
  target::ProgramKind kind = target::programKindOf(t.kind);
  if (program.getKind() != kind)
    return program.emitError()
           << "sparse-sim: the program is for a '"
           << target::stringifyProgramKind(program.getKind())
           << "' target, but " << t.name << " is '"
           << target::stringifyProgramKind(kind) << "' (re-run sxf-tile)";
  // What the verifier does not check: SRAM occupancy, each weight
  // partitioned once, buffers produced before they are read; and whether
  // the program agrees with the model around it.
  if (failed(target::checkProgram(program)))
    return failure();
  // (A program alone in its file, without its model, is timed as it is.)
  if (auto module = program->getParentOfType<ModuleOp>())
    if (module.lookupSymbol(program.getEntry()) &&
        failed(target::checkAgainstModel(module, program)))
      return failure();
  TargetDesc unit = unitView(t);
  SimReport r;
  r.target = program.getTarget().str();
  r.kind = target::stringifyProgramKind(program.getKind()).str();
  r.units = units;
  r.sramPerUnit = t.sramPerUnitBytes;
  r.tokens = int64_t(program.getTokens());
  r.microbatches = int64_t(program.getMicrobatches());
  r.clockHz = t.clockHz;
  bool rdu = false;
  switch (program.getKind()) {
  case target::ProgramKind::rdu:
    rdu = true;
    break;
  case target::ProgramKind::ipu:
  case target::ProgramKind::cpu:
    break;
  }
  bool bsp = !rdu;
  std::string error;
  auto layoutOfSym = [&](Attribute sym) -> std::optional<Layout> {
    Operation *op =
        SymbolTable::lookupSymbolIn(program, cast<SymbolRefAttr>(sym));
    if (auto b = dyn_cast_or_null<target::BufferOp>(op))
      return target::layoutOf(b, units, error);
    if (auto p = dyn_cast_or_null<target::PartitionOp>(op))
      return target::layoutOf(p, units, error);
    return std::nullopt;
  };

  std::vector<char> used(units, 0);
  std::vector<double> busyPerUnit(units, 0.0);
  std::vector<int64_t> perUnitIn(units, 0);
  // Per traced unit: (step position, offset in the step, seconds).
  std::vector<std::vector<std::tuple<size_t, double, double>>> busy(
      std::min(traceUnits, units));
  double busyUnitSeconds = 0, weightedImbalance = 0;
  std::vector<StepReport> steps;
  // A program of one section is configured once and runs again and again;
  // with several, every run reconfigures the units before each section.
  bool reconfigures = false;
  for (auto step : program.getBody().front().getOps<target::StepOp>())
    reconfigures |= int64_t(step.getSection()) > 0;
  // Entry arguments cross the off-chip link in the step that first reads
  // them (a decode step's KV cache arrives with its layer).
  std::set<Operation *> inputsSent;
  int64_t inputBytes = 0;
  auto sendInput = [&](Attribute sym, StepReport &s) {
    auto b = dyn_cast_or_null<target::BufferOp>(
        SymbolTable::lookupSymbolIn(program, cast<SymbolRefAttr>(sym)));
    if (inputsOnChip || !b || !b.getInput() || !inputsSent.insert(b).second)
      return;
    int64_t bytes =
        int64_t(b.getShape()[0]) * b.getShape()[1] * kActivationBytes;
    s.loadBytes += bytes;
    inputBytes += bytes;
  };
  // Entry results cross the off-chip link right after the last step that
  // touches them (the host reads each as soon as it is final), unless the
  // entry is a layer inside a larger model (inputsOnChip: they stay).
  std::map<Operation *, Operation *> lastStepOf;
  if (!inputsOnChip)
    for (auto step : program.getBody().front().getOps<target::StepOp>())
      step.walk([&](Operation *op) {
        for (NamedAttribute a : op->getAttrs()) {
          SmallVector<Attribute> syms;
          if (auto r = dyn_cast<SymbolRefAttr>(a.getValue()))
            syms.push_back(r);
          else if (auto arr = dyn_cast<ArrayAttr>(a.getValue()))
            for (Attribute e : arr)
              if (isa<SymbolRefAttr>(e))
                syms.push_back(e);
          for (Attribute sym : syms)
            if (auto b = dyn_cast_or_null<target::BufferOp>(
                    SymbolTable::lookupSymbolIn(program,
                                                cast<SymbolRefAttr>(sym))))
              if (b.getOutput())
                lastStepOf[b] = step;
        }
      });
  int64_t outputBytes = 0;
  for (auto step : program.getBody().front().getOps<target::StepOp>()) {
    StepReport s;
    s.index = int64_t(step.getIndex());
    s.section = int64_t(step.getSection());
    if (reconfigures && (steps.empty() || steps.back().section != s.section))
      s.reconfigureSeconds = t.reconfigureSeconds;
    s.layer = step.getLayer() ? step.getLayer()->str() : "";
    int64_t gather = 0;
    std::vector<std::tuple<int64_t, int64_t, double>> spans;
    for (Operation &op : step.getBody().front()) {
      if (auto ld = dyn_cast<target::LoadOp>(op)) {
        s.loadBytes += int64_t(ld.getBytes());
      } else if (auto st = dyn_cast<target::StoreOp>(op)) {
        s.storeBytes += int64_t(st.getBytes());
      } else if (auto x = dyn_cast<target::ExchangeOp>(op)) {
        sendInput(x.getSourceAttr(), s);
        std::optional<Layout> src = layoutOfSym(x.getSourceAttr());
        std::optional<Layout> dst = layoutOfSym(x.getDestAttr());
        if (!src || !dst)
          return x.emitError("sparse-sim: bad exchange operands");
        std::fill(perUnitIn.begin(), perUnitIn.end(), 0);
        target::exchangeElements(*src, *dst, &perUnitIn);
        int64_t maxIn = *std::max_element(perUnitIn.begin(), perUnitIn.end());
        s.exchangeBytes += int64_t(x.getBytes());
        s.exchangeSeconds += exchangeSeconds(
            t, double(int64_t(x.getBytes())), double(maxIn * kActivationBytes));
      } else if (auto c = dyn_cast<target::ComputeOp>(op)) {
        for (Attribute a : c.getReads())
          sendInput(a, s);
        double flops = double(int64_t(c.getFlops()));
        s.flops += flops;
        // Broadcast parameters: the network copies the resident block to
        // the other replicas before the compute.
        for (Attribute a : c.getReads())
          if (auto p = dyn_cast_or_null<target::PartitionOp>(
                  SymbolTable::lookupSymbolIn(program, cast<SymbolRefAttr>(a))))
            if (p.getBroadcast() && p.getReplicas() > 1) {
              double copies = double(int64_t(p.getBytes())) *
                              double(int64_t(p.getReplicas()));
              s.exchangeBytes += int64_t(copies);
              s.exchangeSeconds += exchangeSeconds(
                  t, copies, double(int64_t(p.getBytes())));
            }
        Unit u;
        target::ComputeKind kind = c.getKind();
        s.once |= kind == target::ComputeKind::update;
        bool matmul = false, attention = false, isGather = false;
        switch (kind) {
        case target::ComputeKind::matmul:
        case target::ComputeKind::matmul_t: // the same block, transposed
        case target::ComputeKind::sddmm:    // a dot product per stored entry
          matmul = true;
          break;
        case target::ComputeKind::attention:
          attention = true;
          break;
        case target::ComputeKind::gather:
          isGather = true;
          break;
        case target::ComputeKind::epilogue:
        case target::ComputeKind::rowwise:
        case target::ComputeKind::append: // a copy: priced by its bytes
        case target::ComputeKind::reduce:
        case target::ComputeKind::update: // element-wise on the gradient
          break;
        }
        if (matmul) {
          auto p = cast<target::PartitionOp>(
              SymbolTable::lookupSymbolIn(program, c.getPartitionAttr()));
          Layout wl = *target::layoutOf(p, units, error);
          std::optional<Layout> x = layoutOfSym(c.getReads()[0]);
          // The tokens of one unit: all of them, or one token part's when
          // the weight is replicated over token parts.
          int64_t tokens = x ? x->maxBlockRows() : r.tokens;
          // A chunked step multiplies each slice of tokens by the block
          // in turn: the block is read once per chunk.
          int64_t chunks = std::min<int64_t>(int64_t(step.getChunks()),
                                             std::max<int64_t>(1, tokens));
          int64_t sliceTokens = (tokens + chunks - 1) / chunks;
          FormatAttr format = p.getFormatAttr();
          WeightStats bs =
              statsForBlock(ctx, format, wl.maxBlockRows(), wl.maxBlockCols(),
                            int64_t(p.getNnz()));
          std::optional<WorkCost> cost =
              format ? matmulCost(unit, bs, format, sliceTokens)
                     : std::nullopt;
          if (!cost)
            return c.emitError() << "sparse-sim: the target cannot run the "
                                    "format of partition "
                                 << c.getPartitionAttr();
          u.seconds = cost->seconds * double(chunks);
          u.sramBytes = cost->sramBytes * double(chunks) * double(wl.span());
          double maxFlops = linearFlops(double(tokens), double(p.getNnz()));
          u.imbalance = flops > 0 ? maxFlops * wl.span() / flops : 1.0;
        } else {
          // A reduce is priced over the token rows it reads, not the
          // partial sums it writes.
          std::optional<Layout> out =
              kind == target::ComputeKind::reduce
                  ? std::optional<Layout>(
                        target::reduceRowsLayout(program, c, units))
              : kind == target::ComputeKind::update
                  ? layoutOfSym(c.getReads()[0])
                  : layoutOfSym(c.getWrites()[0]);
          if (!out)
            return c.emitError("sparse-sim: a compute must write a buffer");
          double total = double(out->rows) * double(out->cols);
          double most = double(out->maxBlockRows()) * out->maxBlockCols();
          double perElement = total > 0 ? flops / total : 0.0;
          if (attention) {
            // q, k, v and the output block of the busiest unit.
            u.seconds = roofline(unit, flops * most / total,
                                 4.0 * kActivationBytes * most);
            u.sramBytes = 4.0 * kActivationBytes * total;
          } else {
            WorkCost w = elementwiseCost(unit, int64_t(most), perElement);
            u.seconds = w.seconds;
            u.sramBytes = 2.0 * kActivationBytes * total;
          }
          if (isGather)
            gather += int64_t(total) * kActivationBytes;
          u.imbalance = most * out->span() / std::max(1.0, total);
        }
        s.computeSeconds += u.seconds;
        r.sramBytes += int64_t(u.sramBytes);
        weightedImbalance += u.imbalance * flops;
        int64_t first = int64_t(c.getUnit()), span = int64_t(c.getSpan());
        spans.emplace_back(first, span, u.seconds);
        for (int64_t k = 0; k < span; ++k) {
          used[(first + k) % units] = 1;
          busyPerUnit[(first + k) % units] += u.seconds;
        }
        s.unitsBusy = std::max(s.unitsBusy, span);
        s.imbalance = std::max(s.imbalance, u.imbalance);
        busyUnitSeconds += u.seconds * double(span);
      } else {
        return op.emitError("sparse-sim: unexpected op in a step");
      }
    }
    if (gather) {
      s.exchangeBytes += gather;
      s.exchangeSeconds += exchangeSeconds(t, double(gather), 0.0);
    }
    for (auto &[b, last] : lastStepOf)
      if (last == step.getOperation()) {
        auto buf = cast<target::BufferOp>(b);
        int64_t bytes =
            int64_t(buf.getShape()[0]) * buf.getShape()[1] * kActivationBytes;
        s.loadBytes += bytes;
        outputBytes += bytes;
      }
    s.loadSeconds = offchipSeconds(t, double(s.loadBytes + s.storeBytes));
    // One sync per pass over the body: a chunked step passes once per
    // token slice.
    s.syncSeconds =
        bsp ? t.syncSeconds * double(int64_t(step.getChunks())) : 0.0;
    s.seconds = s.reconfigureSeconds + s.loadSeconds + s.exchangeSeconds +
                s.syncSeconds + s.computeSeconds;
    // Per-unit busy intervals (relative to the step's compute phase).
    double computeStart = s.reconfigureSeconds + s.loadSeconds +
                          s.exchangeSeconds + s.syncSeconds;
    for (auto [first, span, secs] : spans) {
      for (int64_t u = 0; u < int64_t(busy.size()); ++u) {
        int64_t off = ((u - first) % units + units) % units;
        if (off < span)
          busy[u].push_back({steps.size(), computeStart, secs});
      }
      computeStart += secs;
    }
    steps.push_back(s);
  }

  // Timeline: BSP steps back to back; RDU sections as pipelines.
  double now = 0;
  if (bsp) {
    for (StepReport &s : steps) {
      s.start = now;
      now += s.seconds;
    }
  } else {
    double m = double(std::max<int64_t>(1, r.microbatches));
    double worstStage = 0;
    size_t k = 0;
    while (k < steps.size()) {
      size_t end = k;
      double sum = 0, slowest = 0, loads = 0;
      while (end < steps.size() && steps[end].section == steps[k].section) {
        double stage = steps[end].exchangeSeconds + steps[end].computeSeconds;
        loads += steps[end].reconfigureSeconds + steps[end].loadSeconds;
        if (steps[end].once) {
          // An optimizer update: after the pipeline, whole.
          ++end;
          continue;
        }
        sum += stage;
        if (stage > slowest)
          slowest = stage;
        if (stage > worstStage) {
          worstStage = stage;
          r.bottleneck = (steps[end].layer.empty() ? std::string("step")
                                                   : steps[end].layer) +
                         " step " + std::to_string(steps[end].index);
        }
        ++end;
      }
      // Loads, then the fill of the first micro-batch, then one micro-batch
      // per slowest stage time.
      now += loads;
      double stageStart = now;
      for (size_t j = k; j < end; ++j) {
        if (steps[j].once)
          continue;
        steps[j].start = stageStart;
        stageStart += (steps[j].exchangeSeconds + steps[j].computeSeconds) / m;
      }
      now += sum / m + (m - 1) * slowest / m;
      for (size_t j = k; j < end; ++j)
        if (steps[j].once) {
          steps[j].start = now;
          now += steps[j].exchangeSeconds + steps[j].computeSeconds;
        }
      k = end;
    }
    r.tokensPerSecond = worstStage > 0 ? double(r.tokens) / worstStage : 0;
  }
  r.unitBusy.assign(busy.size(), {});
  for (size_t u = 0; u < busy.size(); ++u)
    for (auto [k, offset, secs] : busy[u]) {
      double scale = bsp || steps[k].once
                         ? 1.0
                         : 1.0 / double(std::max<int64_t>(1, r.microbatches));
      double phase = bsp ? offset : steps[k].exchangeSeconds * scale;
      r.unitBusy[u].push_back({steps[k].start + phase, secs * scale});
    }
  r.seconds = now;
  r.cycles = now * t.clockHz;
  if (bsp)
    r.tokensPerSecond = now > 0 ? double(r.tokens) / now : 0;

  // Totals and layers.
  std::map<std::string, size_t> layerIndex;
  std::map<size_t, std::pair<double, double>> layerStages; // sum, slowest
  int64_t loadBytes = 0;
  for (const StepReport &s : steps) {
    r.flops += s.flops;
    r.reconfigureSeconds += s.reconfigureSeconds;
    r.bytesOnChip += s.exchangeBytes;
    loadBytes += s.loadBytes + s.storeBytes;
    std::string name = s.layer.empty() ? "-" : s.layer;
    auto [it, fresh] = layerIndex.try_emplace(name, r.layers.size());
    if (fresh) {
      LayerReport l;
      l.name = name;
      r.layers.push_back(l);
    }
    LayerReport &l = r.layers[it->second];
    if (bsp) {
      l.seconds += s.seconds;
    } else {
      // As if the layer ran as a pipeline of its own: its loads, then the
      // fill, then one micro-batch per slowest stage.
      double m = double(std::max<int64_t>(1, r.microbatches));
      double stage = s.exchangeSeconds + s.computeSeconds;
      if (s.once) {
        // An optimizer update runs once, after the pipeline.
        l.seconds += s.reconfigureSeconds + s.loadSeconds + stage;
      } else {
        auto &[sum, slowest] = layerStages[it->second];
        l.seconds -= sum / m + (m - 1) * slowest / m;
        sum += stage;
        slowest = std::max(slowest, stage);
        l.seconds += s.reconfigureSeconds + s.loadSeconds + sum / m +
                     (m - 1) * slowest / m;
      }
    }
    l.flops += s.flops;
    l.bytesOnChip += s.exchangeBytes;
    l.bytesOffChip += s.loadBytes + s.storeBytes;
    l.energy += s.flops * t.joulesPerFlop +
                double(s.exchangeBytes) * t.joulesPerSramByte +
                double(s.loadBytes + s.storeBytes) * t.joulesPerOffchipByte;
  }
  // Host I/O: the entry's inputs and outputs crossed the off-chip link in
  // the steps that first read / last wrote them, and are in loadBytes.
  r.bytesOffChip = loadBytes;
  r.dynamicEnergy = r.flops * t.joulesPerFlop +
                    double(r.sramBytes + r.bytesOnChip) * t.joulesPerSramByte +
                    double(r.bytesOffChip) * t.joulesPerOffchipByte;
  // Static power is drawn for the whole simulated time (a layer's share
  // for its own time).
  r.staticEnergy = t.staticWatts * r.seconds;
  r.energy = r.staticEnergy + r.dynamicEnergy;
  for (LayerReport &l : r.layers)
    l.energy += t.staticWatts * l.seconds;
  target::Occupancy occ = target::computeOccupancy(program);
  r.peakUnitBytes = occ.worstBytes;
  if (units > 0) {
    r.unitBusyMin = *std::min_element(busyPerUnit.begin(), busyPerUnit.end());
    r.unitBusyMax = *std::max_element(busyPerUnit.begin(), busyPerUnit.end());
    double sum = 0;
    for (double b : busyPerUnit)
      sum += b;
    r.unitBusyMean = sum / double(units);
    r.unitBytesMin = double(*std::min_element(occ.peak.begin(), occ.peak.end()));
    double bytes = 0;
    for (int64_t b : occ.peak)
      bytes += double(b);
    r.unitBytesMean = bytes / double(units);
  }
  // Off-chip weights (inputs always come from the host).
  bool offchip = loadBytes > inputBytes + outputBytes;
  std::set<StringRef> counted;
  for (auto p : program.getBody().front().getOps<target::PartitionOp>()) {
    offchip |= p.getOffchip();
    Layout l = *target::layoutOf(p, units, error);
    r.optimizerStateBytes += int64_t(p.getStateBytes()) *
                             int64_t(p.getPieces()) *
                             (p.getBroadcast() ? l.blocks() : l.span());
    // Each weight once: the copies a streamed training step loads where
    // its gradients run are in bytes_off_chip.
    if (!counted.insert(p.getWeight()).second)
      continue;
    // A broadcast parameter is held once (its replicas only while read).
    // (one piece of `pieces` is `bytes`).
    r.weightBytes += int64_t(p.getBytes()) * int64_t(p.getPieces()) *
                     (p.getBroadcast() ? l.blocks() : l.span());
  }
  r.fitsOnChip = !offchip && occ.worstBytes <= t.sramPerUnitBytes;
  for (char c : used)
    r.unitsUsed += c;
  r.utilisation = r.unitsUsed && now > 0
                      ? busyUnitSeconds / (double(r.unitsUsed) * now)
                      : 0;
  r.imbalance = r.flops > 0 ? weightedImbalance / r.flops : 1;
  int64_t sections = 1;
  for (const StepReport &s : steps)
    sections = std::max(sections, s.section + 1);
  r.sections = sections;
  r.steps = std::move(steps);
  return r;
}

static std::string num(double v) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

void printReportTable(const SimReport &r, llvm::raw_ostream &os) {
  os << "sparse-sim: " << r.target << " (" << r.kind << ", " << r.units
     << " units of " << r.sramPerUnit << " bytes), " << r.tokens
     << " tokens\n";
  os << "  fits on chip      " << (r.fitsOnChip ? "yes" : "no") << " ("
     << r.sections << " section" << (r.sections > 1 ? "s" : "") << ")\n";
  os << "  time              " << num(r.seconds) << " s (" << num(r.cycles)
     << " cycles)\n";
  os << "  flops             " << num(r.flops) << "\n";
  os << "  bytes on chip     " << r.bytesOnChip << " (exchanged)\n";
  os << "  bytes off chip    " << r.bytesOffChip << "\n";
  os << "  energy            " << num(r.energy) << " J (static "
     << num(r.staticEnergy) << " J, dynamic " << num(r.dynamicEnergy)
     << " J)\n";
  if (r.reconfigureSeconds > 0)
    os << "  reconfiguration   " << num(r.reconfigureSeconds) << " s\n";
  os << "  peak unit bytes   " << r.peakUnitBytes << "\n";
  os << "  weight bytes      " << r.weightBytes << "\n";
  if (r.optimizerStateBytes)
    os << "  optimizer state   " << r.optimizerStateBytes << " bytes\n";
  os << "  units used        " << r.unitsUsed << "\n";
  os << "  utilisation       " << num(r.utilisation) << "\n";
  os << "  unit busy (s)     min " << num(r.unitBusyMin) << ", mean "
     << num(r.unitBusyMean) << ", max " << num(r.unitBusyMax) << "\n";
  os << "  unit peak bytes   min " << num(r.unitBytesMin) << ", mean "
     << num(r.unitBytesMean) << ", max " << r.peakUnitBytes << "\n";
  os << "  load imbalance    " << num(r.imbalance) << "\n";
  os << "  tokens / s        " << num(r.tokensPerSecond) << "\n";
  if (!r.bottleneck.empty())
    os << "  bottleneck stage  " << r.bottleneck << "\n";
  os << "  layer              seconds       flops      on-chip B   off-chip B\n";
  for (const LayerReport &l : r.layers) {
    std::string name = l.name;
    name.resize(std::max<size_t>(name.size(), 18), ' ');
    os << "  " << name << " " << llvm::format("%-13s %-11s %-12lld %lld\n",
                                              num(l.seconds).c_str(),
                                              num(l.flops).c_str(),
                                              (long long)l.bytesOnChip,
                                              (long long)l.bytesOffChip);
  }
}

/// A number for the JSON report and the trace: a non-finite value (which
/// extreme target figures can produce) is written as null, so the output is
/// always valid JSON (llvm::json would print a bare inf or nan).
static llvm::json::Value jsonNumber(double v) {
  return std::isfinite(v) ? llvm::json::Value(v) : llvm::json::Value(nullptr);
}
static llvm::json::Value jsonNumber(int64_t v) { return v; }

void writeReportJson(const SimReport &r, llvm::raw_ostream &os) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    j.attribute("target", r.target);
    j.attribute("kind", r.kind);
    j.attribute("units", jsonNumber(r.units));
    j.attribute("tokens", jsonNumber(r.tokens));
    j.attribute("fits_on_chip", r.fitsOnChip);
    j.attribute("sections", jsonNumber(r.sections));
    j.attribute("microbatches", jsonNumber(r.microbatches));
    j.attribute("time_s", jsonNumber(r.seconds));
    j.attribute("cycles", jsonNumber(r.cycles));
    j.attribute("flops", jsonNumber(r.flops));
    j.attribute("bytes_on_chip", jsonNumber(r.bytesOnChip));
    j.attribute("bytes_off_chip", jsonNumber(r.bytesOffChip));
    j.attribute("sram_bytes", jsonNumber(r.sramBytes));
    j.attribute("energy_j", jsonNumber(r.energy));
    j.attribute("energy_static_j", jsonNumber(r.staticEnergy));
    j.attribute("energy_dynamic_j", jsonNumber(r.dynamicEnergy));
    j.attribute("reconfigure_s", jsonNumber(r.reconfigureSeconds));
    j.attribute("peak_unit_bytes", jsonNumber(r.peakUnitBytes));
    j.attribute("weight_bytes", jsonNumber(r.weightBytes));
    j.attribute("optimizer_state_bytes", jsonNumber(r.optimizerStateBytes));
    j.attribute("units_used", jsonNumber(r.unitsUsed));
    j.attributeObject("unit_busy_s", [&] {
      j.attribute("min", jsonNumber(r.unitBusyMin));
      j.attribute("mean", jsonNumber(r.unitBusyMean));
      j.attribute("max", jsonNumber(r.unitBusyMax));
    });
    j.attributeObject("unit_peak_bytes", [&] {
      j.attribute("min", jsonNumber(r.unitBytesMin));
      j.attribute("mean", jsonNumber(r.unitBytesMean));
      j.attribute("max", jsonNumber(double(r.peakUnitBytes)));
    });
    j.attribute("utilisation", jsonNumber(r.utilisation));
    j.attribute("load_imbalance", jsonNumber(r.imbalance));
    j.attribute("tokens_per_s", jsonNumber(r.tokensPerSecond));
    if (!r.bottleneck.empty())
      j.attribute("bottleneck", r.bottleneck);
    j.attributeArray("layers", [&] {
      for (const LayerReport &l : r.layers)
        j.object([&] {
          j.attribute("name", l.name);
          j.attribute("time_s", jsonNumber(l.seconds));
          j.attribute("flops", jsonNumber(l.flops));
          j.attribute("bytes_on_chip", jsonNumber(l.bytesOnChip));
          j.attribute("bytes_off_chip", jsonNumber(l.bytesOffChip));
          j.attribute("energy_j", jsonNumber(l.energy));
        });
    });
    j.attributeArray("steps", [&] {
      for (const StepReport &s : r.steps)
        j.object([&] {
          j.attribute("index", jsonNumber(s.index));
          j.attribute("section", jsonNumber(s.section));
          j.attribute("layer", s.layer);
          j.attribute("start_s", jsonNumber(s.start));
          j.attribute("reconfigure_s", jsonNumber(s.reconfigureSeconds));
          j.attribute("load_s", jsonNumber(s.loadSeconds));
          j.attribute("exchange_s", jsonNumber(s.exchangeSeconds));
          j.attribute("sync_s", jsonNumber(s.syncSeconds));
          j.attribute("compute_s", jsonNumber(s.computeSeconds));
          j.attribute("time_s", jsonNumber(s.seconds));
          j.attribute("cycles", jsonNumber(s.seconds * r.clockHz));
          if (r.kind == "rdu") {
            // This stage's own throughput in the section's pipeline.
            double stage = s.exchangeSeconds + s.computeSeconds;
            j.attribute("stage_tokens_per_s", jsonNumber(stage > 0 ? double(r.tokens) / stage : 0.0));
          }
          j.attribute("flops", jsonNumber(s.flops));
          j.attribute("exchange_bytes", jsonNumber(s.exchangeBytes));
          j.attribute("load_bytes", jsonNumber(s.loadBytes));
          if (s.storeBytes)
            j.attribute("store_bytes", jsonNumber(s.storeBytes));
          j.attribute("units_busy", jsonNumber(s.unitsBusy));
          j.attribute("imbalance", jsonNumber(s.imbalance));
        });
    });
  });
  os << "\n";
}

void writeTrace(const SimReport &r, llvm::raw_ostream &os) {
  llvm::json::OStream j(os);
  double us = 1e6;
  j.object([&] {
    j.attribute("displayTimeUnit", "ns");
    j.attributeArray("traceEvents", [&] {
      auto meta = [&](int64_t tid, const std::string &name) {
        j.object([&] {
          j.attribute("name", "thread_name");
          j.attribute("ph", "M");
          j.attribute("pid", 0);
          j.attribute("tid", tid);
          j.attributeObject("args", [&] { j.attribute("name", name); });
        });
      };
      meta(0, "chip: load / exchange / sync / compute");
      for (size_t u = 0; u < r.unitBusy.size(); ++u)
        meta(int64_t(u) + 1, "unit " + std::to_string(u));
      auto event = [&](int64_t tid, const std::string &name, double start,
                       double dur, const StepReport &s) {
        if (dur <= 0)
          return;
        j.object([&] {
          j.attribute("name", name);
          j.attribute("ph", "X");
          j.attribute("pid", 0);
          j.attribute("tid", tid);
          j.attribute("ts", jsonNumber(start * us));
          j.attribute("dur", jsonNumber(dur * us));
          j.attributeObject("args", [&] {
            j.attribute("step", jsonNumber(s.index));
            j.attribute("layer", s.layer);
            j.attribute("section", jsonNumber(s.section));
          });
        });
      };
      for (const StepReport &s : r.steps) {
        double at = s.start;
        event(0, "reconfigure", at, s.reconfigureSeconds, s);
        at += s.reconfigureSeconds;
        event(0, "load", at, s.loadSeconds, s);
        at += s.loadSeconds;
        event(0, "exchange", at, s.exchangeSeconds, s);
        at += s.exchangeSeconds;
        event(0, "sync", at, s.syncSeconds, s);
        at += s.syncSeconds;
        event(0, "compute " + s.layer, at, s.computeSeconds, s);
      }
      for (size_t u = 0; u < r.unitBusy.size(); ++u) {
        for (auto [start, dur] : r.unitBusy[u]) {
          j.object([&] {
            j.attribute("name", "compute");
            j.attribute("ph", "X");
            j.attribute("pid", 0);
            j.attribute("tid", int64_t(u) + 1);
            j.attribute("ts", jsonNumber(start * us));
            j.attribute("dur", jsonNumber(dur * us));
          });
        }
      }
    });
  });
  os << "\n";
}

} // namespace sxf
