//===- Target.h - Descriptions of the hardware sxf compiles for -*- C++ -*-===//
//
// A target description is data: how many compute units, how much SRAM each
// has, how fast memory and the on-chip network are, the dense FLOP rate per
// value type, the fraction of it each sparse format achieves, and energy
// per FLOP and per byte moved. Cost models, partitioners and the simulator
// read every number from here (or from a cited preset), never from
// constants of their own. Descriptions load from JSON (docs/targets.md);
// bad files are rejected with the field and the reason.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_TARGET_TARGET_H
#define SXF_TARGET_TARGET_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sxf {

enum class TargetKind { Ipu, Rdu, Cpu };

struct TargetDesc {
  std::string name;
  TargetKind kind = TargetKind::Cpu;
  std::string unitName = "unit"; // "tile", "pcu", "core"
  int64_t units = 1;             // compute units
  double clockHz = 1e9;
  /// Memory local to each unit (IPU tile SRAM, RDU PMU, a CPU core's L2).
  int64_t sramPerUnitBytes = 0;
  /// Off-chip memory (IPU streaming memory, RDU DDR, host DRAM); 0 = none.
  int64_t offchipBytes = 0;
  double offchipBandwidth = 0;  // bytes/s, whole chip
  double sramBandwidth = 0;     // bytes/s, all units together
  double exchangeBandwidth = 0; // bytes/s, unit-to-unit network, whole chip
  /// bytes/s one unit can receive; 0 = exchangeBandwidth / units.
  double unitExchangeBandwidth = 0;
  double syncSeconds = 0;       // one barrier (IPU BSP sync, pipeline fill)
  /// Peak dense FLOP/s of the whole chip per value type ("f32", "f16",
  /// "bf16").
  std::map<std::string, double> peakFlops;
  /// Fraction of the peak a dense matmul sustains, by value type ("f32",
  /// "f16", "bf16") or under kAnyValueType for every type (the JSON's plain
  /// number). Read through dense().
  std::map<std::string, double> denseEfficiency = {{kAnyValueType, 1.0}};
  /// Fraction of the peak each sparse format sustains on the FLOPs it
  /// stores (padding included): per value type (or kAnyValueType, the
  /// JSON's flat form), by format key (sxf_rt::kEfficiencyKeys: "csr",
  /// "csc", "coo", "ell", "nm", "bsr1", "bsr4", "bsr8", "bsr16"). Formats
  /// absent from a type's table are not supported for that type. Read
  /// through sparse().
  std::map<std::string, std::map<std::string, double>> sparseEfficiency;
  /// The same for sparsity patterns that change at run time (PopSparse's
  /// "dynamic" mode); the target "NAME:dynamic" uses it as its
  /// sparseEfficiency. Empty: the target has no dynamic mode.
  std::map<std::string, std::map<std::string, double>> dynamicSparseEfficiency;
  /// Whether a linear's epilogue can include a layer norm (a reduction over
  /// the output row): true on the dataflow chips and CPUs modelled here.
  bool fuseLayerNorm = true;
  double joulesPerFlop = 0;
  double joulesPerSramByte = 0;
  double joulesPerOffchipByte = 0;
  /// Power drawn whatever the chip does (leakage, clocks, idle I/O), whole
  /// chip, charged for the simulated time.
  double staticWatts = 0;
  /// Seconds to reconfigure the units between sections (a CGRA's or RDU's
  /// new configuration, loaded before each section's weights).
  double reconfigureSeconds = 0;
  /// Where the figures come from (free text, shown in reports).
  std::string source;

  int64_t totalSramBytes() const { return units * sramPerUnitBytes; }
  /// Peak FLOP/s for a value type ("f32", "f16", "bf16"); falls back to the
  /// closest available type (f16 <-> bf16, then f32).
  double peak(llvm::StringRef valueType) const;
  /// Dense efficiency for a value type (same fallback as peak()).
  double dense(llvm::StringRef valueType) const;
  /// Sparse efficiency of format key `key` for a value type: the type's
  /// table, else the closest type's (as peak()); std::nullopt when that
  /// table does not list the format.
  std::optional<double> sparse(llvm::StringRef valueType,
                               llvm::StringRef key) const;

  /// The key of a figure given for every value type.
  static constexpr const char *kAnyValueType = "*";
};

/// Current version of the JSON schema (docs/targets.md); files without a
/// `version` field are read as version 1.
constexpr int64_t kTargetSchemaVersion = 2;

/// The built-in presets: "ipu-mk2", "ipu-pod16", "rdu-sn10", "cpu-host".
std::vector<std::string> targetPresetNames();
/// A preset by name, or a JSON file by path (anything containing '/' or
/// ending in ".json"). "X:dynamic" is target X with its
/// dynamic_sparse_efficiency as sparse efficiency (an error if X has none).
/// Errors name the preset list or the file, field and reason.
llvm::Expected<TargetDesc> loadTarget(llvm::StringRef nameOrPath);
/// Parses a JSON description; `origin` names it in errors.
llvm::Expected<TargetDesc> parseTarget(llvm::StringRef json,
                                       llvm::StringRef origin);
/// Serialises to the JSON that parseTarget reads.
std::string targetToJson(const TargetDesc &t);

} // namespace sxf

#endif // SXF_TARGET_TARGET_H
