//===- SparsityStats.h - Measuring and costing weight sparsity --*- C++ -*-===//
//
// The one place that measures the structure of a weight (nonzeros, N:M
// compliance, block structure) and computes what it occupies in each storage
// format. sxf-sparsity-report, the pruning passes and format selection all
// use it, so that "how many bytes is this weight in CSR" has one answer.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_ANALYSIS_SPARSITYSTATS_H
#define SXF_ANALYSIS_SPARSITYSTATS_H

#include "sxf/Dialect/Sxf/IR/Sxf.h"
#include "sxf/Formats/Formats.h"
#include "sxf/Support/Tensor.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sxf {

/// Block sizes whose structure is detected (square blocks, as PopSparse).
constexpr unsigned kDetectedBlockSizes[] = {4, 8, 16};
/// N:M patterns whose compliance is detected.
constexpr std::pair<unsigned, unsigned> kDetectedNM[] = {{2, 4}, {4, 8}};
/// Group sizes whose N:M fit is measured exactly.
constexpr unsigned kMeasuredGroupSizes[] = {2, 4, 8, 16, 32};
/// A block pattern is reported when the nonzero blocks are at least this
/// full (a block-pruned weight has full blocks; natural zeros inside a kept
/// block are tolerated).
constexpr double kBlockFillThreshold = 0.99;
/// An N:M-compliant weight is reported as N:M when its density is at least
/// this fraction of N/M.
constexpr double kNMFillThreshold = 0.95;

/// Block structure of a matrix for one square block size.
struct BlockStats {
  unsigned size = 0;
  bool divides = false;      // the block size divides both dimensions
  int64_t nonzeroBlocks = 0; // blocks holding at least one nonzero
  double fill = 0.0;         // nnz / (nonzeroBlocks · size²)
};

/// What is known about a weight's nonzeros.
struct WeightStats {
  std::vector<int64_t> shape;
  int64_t rows = 0, cols = 0; // the matrix view: [prod(shape[:-1]), shape[-1]]
  int64_t numel = 0;
  int64_t nnz = 0;
  double density = 1.0;
  int64_t maxRowNnz = 0;        // widest row (ELL width)
  bool measured = false;        // from values (true) or from an attribute
  std::vector<std::pair<unsigned, unsigned>> nmCompliant; // e.g. {2,4}
  /// For group sizes M in kMeasuredGroupSizes dividing the columns: the
  /// most nonzeros any group of M consecutive inputs holds (N:M with N >=
  /// it can hold the weight).
  std::map<unsigned, int64_t> maxGroupNnz;
  std::vector<BlockStats> blocks;                         // per detected size
  /// The pattern attribute that best describes the weight.
  sxf::SparsityPattern pattern = sxf::SparsityPattern::dense;
  unsigned patternBlock = 0, patternN = 0, patternM = 0;
};

/// Measures a tensor (any rank; viewed as [rows, cols]).
WeightStats measureWeight(const Tensor &t);
/// Statistics implied by a metadata-only weight's attribute (nnz, ELL width,
/// nonzero blocks are estimated from the density assuming an even spread).
WeightStats statsFromAttr(llvm::ArrayRef<int64_t> shape,
                          sxf::SparsityAttr attr);
class WeightStore;
/// The statistics of a weight op: measured from its values when it has
/// any, else implied by its #sxf.sparsity (metadata-only weights). Fails
/// (diagnosed) when values exist but cannot be read.
mlir::FailureOr<WeightStats> weightStats(WeightOp op, WeightStore &store);

/// The #sxf.sparsity attribute describing `stats`.
sxf::SparsityAttr toSparsityAttr(mlir::MLIRContext *ctx,
                                       const WeightStats &stats);

/// Bytes a weight occupies in a storage format, by component.
struct FormatBytes {
  int64_t values = 0;   // stored values, padding included
  int64_t indices = 0;  // column (or row / in-group) indices
  int64_t pointers = 0; // row or block-row pointers
  int64_t paddingValues = 0; // explicit zeros stored (counted in `values`)
  int64_t total() const { return values + indices + pointers; }
};

/// Bytes of `stats` stored as `format`. Indices take the format's index
/// width; pointers take pointerBits(). bsr stores whole blocks of the
/// format's shape; nm stores N values and N in-group indices of the format's
/// index width (2 or 4 bits packed, or 8+) per group of M; ell pads every row
/// to the widest. Fails
/// (returns std::nullopt) when the format cannot hold the weight: a block or
/// M that does not divide the shape, or a weight that is not N:M compliant.
std::optional<FormatBytes> formatBytes(const WeightStats &stats,
                                       sxf::FormatAttr format);
/// Width of row/block pointers: at least the index width, and wide enough
/// for the largest pointer (the number of stored entries or blocks).
unsigned pointerBits(unsigned indexBits, int64_t largestPointer);

// toFormatSpec(FormatAttr) is declared with the dialect (Sxf.h).

// linearFlops(rows, entries) is defined with the dialect (Sxf.h).

/// Dense bytes of the weight at `valueBits` per element.
int64_t denseBytes(const WeightStats &stats, unsigned valueBits);

/// The format a weight is reported in when it has no #sxf.format: dense for
/// dense weights, CSR with f32 values and 32-bit indices otherwise.
sxf::FormatAttr defaultReportFormat(mlir::MLIRContext *ctx,
                                          const WeightStats &stats);

/// Pretty-prints a format ("csr f16/i16", "bsr[4x4] f32/i32").
std::string formatToString(sxf::FormatAttr format);

} // namespace sxf

#endif // SXF_ANALYSIS_SPARSITYSTATS_H
