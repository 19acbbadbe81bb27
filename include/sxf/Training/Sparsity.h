//===- Sparsity.h - Dynamic sparsity: patterns, prune and regrow -*- C++
//-*-===//
//
// The pattern side of always-sparse training (issue 16), with no MLIR
// dependency (sxf Support / Formats and LLVM Support only): a weight
// [rows, cols] is held as dense row-major fp32 values plus an explicit
// pattern of stored blocks. The pattern is never inferred from the values: a
// stored weight may be 0.0 (regrown weights start at 0, as in RigL), and
// formats::encode's `pattern` argument keeps such zeros stored.
//
//   SparsityPattern p = cantFail(initialPattern(768, 3072, {4, 4},
//                                               /*density=*/0.1, /*seed=*/1));
//   ... train; every `updateEvery` steps, update i of n:
//   double f = cantFail(pruneFraction(config, i));
//   SparsityPattern old = p;
//   PatternUpdateResult r =
//       cantFail(updatePattern(values, p, f, Regrowth::Random, {}, seed + i));
//   m = cantFail(remapStored(old, p, spec, m));      // optimizer state
//   v = cantFail(remapStored(old, p, spec, v));
//   EncodedMatrix w = cantFail(encodeWithPattern(values, p, spec));
//
// Sources. RigL: Evci, Gale, Menick, Castro, Elsen, "Rigging the Lottery:
// Making All Tickets Winners", ICML 2020 (drop the smallest magnitudes, grow
// by the largest dense-gradient magnitudes, new weights at 0, drop fraction
// decayed by alpha/2 * (1 + cos(pi t / T_end))). Graphcore: Dietrich,
// Gressmann, Orr, Chelombiev, Justus, Luschi, "Towards Structured Dynamic
// Sparse Pre-Training of BERT", arXiv:2108.06277, 2021 (BERT at sparsity 0.9,
// magnitude pruning and random regrowth in blocks of 1x1, 4x4, 8x8 and
// 16x16, prune ratio 0.5 decayed by a cosine over 160 pattern updates).
//
//===----------------------------------------------------------------------===//

#ifndef SXF_TRAINING_SPARSITY_H
#define SXF_TRAINING_SPARSITY_H

#include "sxf/Formats/Formats.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace sxf {
namespace training {

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// The granule of a pattern: bh x bw elements (1x1 unstructured; Graphcore
/// used 4x4, 8x8, 16x16). Both positive and dividing the weight's shape.
struct BlockShape {
  int64_t rows = 1, cols = 1;
};

/// Which blocks of a rows x cols weight are stored. The block grid is
/// gridRows() x gridCols() = (rows / block.rows) x (cols / block.cols);
/// block b = br * gridCols() + bc covers rows [br*bh, (br+1)*bh) and
/// columns [bc*bw, (bc+1)*bw). `blocks` holds one byte per block, row-major
/// over the grid, 1 = stored, 0 = not (no other values).
struct SparsityPattern {
  int64_t rows = 0, cols = 0;
  BlockShape block;
  std::vector<uint8_t> blocks;

  int64_t gridRows() const { return block.rows ? rows / block.rows : 0; }
  int64_t gridCols() const { return block.cols ? cols / block.cols : 0; }
  int64_t numBlocks() const { return gridRows() * gridCols(); }
  /// Stored blocks (an update keeps this number).
  int64_t storedBlocks() const;
  /// Stored elements: storedBlocks() * block area.
  int64_t storedElements() const {
    return storedBlocks() * block.rows * block.cols;
  }
  /// Whether element (r, c) is stored.
  bool isStored(int64_t r, int64_t c) const {
    return blocks[size_t((r / block.rows) * gridCols() + c / block.cols)] != 0;
  }
  /// The element mask: rows*cols bytes, row-major, 1 = stored (the
  /// `pattern` argument of formats::encode).
  std::vector<uint8_t> elementMask() const;
};

/// Checks that rows, cols > 0 and that the block is positive and divides
/// them; the error names the shape and the block.
llvm::Error checkBlockShape(int64_t rows, int64_t cols, BlockShape block);

/// Checks a pattern: its block shape (checkBlockShape), blocks.size() ==
/// numBlocks() and every entry 0 or 1.
llvm::Error validate(const SparsityPattern &pattern);

/// A random pattern with exactly round(density * numBlocks) blocks stored
/// (round half away from zero), chosen uniformly among all blocks with
/// sxf::Rng(seed) (a partial Fisher-Yates shuffle): every block has the same
/// chance, every layer the same density. This is the simple uniform rule,
/// not RigL's Erdos-Renyi(-Kernel) per-layer densities. Fails on a bad block
/// shape or a density outside (0, 1].
llvm::Expected<SparsityPattern> initialPattern(int64_t rows, int64_t cols,
                                               BlockShape block, double density,
                                               uint64_t seed);

//===----------------------------------------------------------------------===//
// Pattern updates (prune and regrow)
//===----------------------------------------------------------------------===//

/// How the pruned blocks are replaced.
enum class Regrowth {
  /// Uniformly among the candidates, with sxf::Rng(seed) (Graphcore's
  /// default, SET's rule).
  Random,
  /// The candidates with the largest L1 norm of the dense gradient dL/dW
  /// over the block (RigL). Needs the gradient at every position, stored or
  /// not (e.g. dYᵀ·X computed densely at the update step; sxf_rt::sddmm
  /// gives it only at stored positions).
  Gradient,
};

/// What an update did. prunedBlocks and regrownBlocks are block indices
/// (br * gridCols + bc), ascending; pruned == prunedBlocks.size() ==
/// regrown == regrownBlocks.size().
struct PatternUpdateResult {
  int64_t pruned = 0, regrown = 0;
  std::vector<int64_t> prunedBlocks, regrownBlocks;
};

/// One pattern update on a weight held as dense row-major `values`
/// (rows*cols; positions outside the pattern are expected to be 0):
///  1. k = min(round(pruneFraction * storedBlocks), unstored blocks) (the
///     cap keeps the count invariant when the pattern is denser than 1/2).
///  2. Prune the k stored blocks with the smallest L1 norm of their values;
///     equal norms are broken by the lower block index first. Their values
///     are set to 0.
///  3. Regrow k blocks among those that were NOT stored before this update
///     (a just-pruned block is not grown back at once): Random or Gradient
///     (`denseGradient`, rows*cols row-major; equal norms: lower block index
///     first). Their values are set to 0 (RigL's initialisation).
/// The number of stored blocks is unchanged. The result is a function of
/// the inputs and the seed only (the seed is used by Random alone).
/// Fails, changing nothing, when the pattern is invalid, values (or, for
/// Gradient, denseGradient) is not rows*cols long, pruneFraction is not in
/// [0, 1], or a block norm to be compared is not finite (NaN or infinity
/// in the values or the gradient).
llvm::Expected<PatternUpdateResult>
updatePattern(llvm::MutableArrayRef<float> values, SparsityPattern &pattern,
              double pruneFraction, Regrowth regrowth,
              llvm::ArrayRef<float> denseGradient, uint64_t seed);

//===----------------------------------------------------------------------===//
// The schedule of updates
//===----------------------------------------------------------------------===//

/// How the prune fraction evolves over the pattern updates.
enum class PruneDecay {
  /// f(i) = initialPruneRatio * (1 + cos(pi * i / numUpdates)) / 2 for
  /// update i = 0, 1, ..., numUpdates - 1 (and 0 from i = numUpdates on):
  /// RigL's f_decay with alpha = initialPruneRatio and t / T_end = i / n;
  /// with Graphcore's 0.5 that is 0.5 * (1 + cos(pi * i / n)) / 2, from
  /// 0.5 at the first update down towards 0 at the last.
  Cosine,
  /// f(i) = initialPruneRatio for every update.
  Constant,
};

/// A dynamic-sparsity configuration; the defaults are Graphcore's (sparsity
/// 0.9, prune ratio 0.5 with cosine decay, 160 updates, random regrowth,
/// unstructured). Static sparsity, the baseline, is initialPruneRatio = 0
/// (or no updates at all).
struct DynamicSparsityConfig {
  double sparsity = 0.9;          ///< 1 - density of initialPattern, [0, 1)
  double initialPruneRatio = 0.5; ///< f(0), in [0, 1]
  int64_t numUpdates = 160;       ///< pattern updates over training, >= 1
  PruneDecay decay = PruneDecay::Cosine;
  Regrowth regrowth = Regrowth::Random;
  BlockShape block;
};

/// Checks the configuration's ranges (sparsity in [0, 1), initialPruneRatio
/// in [0, 1], numUpdates >= 1, block positive; the block's fit to a weight
/// is checked per weight).
llvm::Error validate(const DynamicSparsityConfig &config);

/// The prune fraction of update `index` (0-based) of config.numUpdates
/// (PruneDecay). Fails when the config is invalid or index < 0.
llvm::Expected<double> pruneFraction(const DynamicSparsityConfig &config,
                                     int64_t index);

//===----------------------------------------------------------------------===//
// Storage: encoding and moving stored-order arrays
//===----------------------------------------------------------------------===//
//
// The *stored order* of a pattern in a format is the order of the values
// array that encodeWithPattern produces (Formats.h's layouts with the pattern
// as the stored positions): row-major over the stored elements for csr and
// coo, column-major for csc, block by block (block rows, then block
// columns, each block row-major) for bsr, every position row-major for
// dense. sxf_rt::sddmm writes dW in it and AdamW's state m, v lives in it.

/// The weight encoded in `spec` with exactly the pattern's positions stored
/// (formats::encode with pattern.elementMask()), zero-valued ones included:
/// decoding gives `values` masked by the pattern, and sxf_rt::forEachStored
/// over a csr view, or a bsr view whose block is the pattern's, visits
/// exactly the pattern. Fails when values is not rows*cols long, the pattern
/// is invalid, or formats::encode refuses (nm and ell cannot keep a stored
/// zero; a bsr block that does not divide the shape; index width).
llvm::Expected<formats::EncodedMatrix>
encodeWithPattern(llvm::ArrayRef<float> values, const SparsityPattern &pattern,
                  const formats::FormatSpec &spec);

/// The values at the pattern's positions in its stored order in `spec`
/// (encodeWithPattern's values array as fp32, including the zero slots a
/// bsr block pads with): a parameter, or its gradient, as AdamW sees it.
/// Fails as encodeWithPattern does.
llvm::Expected<std::vector<float>>
gatherStored(llvm::ArrayRef<float> values, const SparsityPattern &pattern,
             const formats::FormatSpec &spec);

/// The inverse of gatherStored: writes `stored` (in the pattern's stored
/// order in `spec`) back to the dense row-major `values` (rows*cols) at the
/// pattern's positions; every other position becomes 0. Fails when the
/// sizes do not match or the pattern cannot be encoded in spec.
llvm::Error scatterStored(llvm::ArrayRef<float> stored,
                          const SparsityPattern &pattern,
                          const formats::FormatSpec &spec,
                          llvm::MutableArrayRef<float> values);

/// Moves an array laid out in `from`'s stored order in spec's format (e.g.
/// AdamW's m or v, spec's value type and index width do not matter: the
/// state is fp32) to `to`'s stored order: each slot of the result holds the
/// old value at its position when `from` stored that position, and 0
/// otherwise (regrown positions, and stored slots outside `to`'s pattern such
/// as the rest of a bsr block). Implemented on formats::encode / decode, so it
/// follows the format's layout rule without restating it. Fails when the
/// patterns differ in shape, `old` does not have from's stored-value count,
/// or the pattern cannot be encoded in spec.
llvm::Expected<std::vector<float>> remapStored(const SparsityPattern &from,
                                               const SparsityPattern &to,
                                               const formats::FormatSpec &spec,
                                               llvm::ArrayRef<float> old);

} // namespace training
} // namespace sxf

#endif // SXF_TRAINING_SPARSITY_H
