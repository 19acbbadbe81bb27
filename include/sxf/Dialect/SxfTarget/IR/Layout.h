//===- Layout.h - How a tensor is distributed over units --------*- C++ -*-===//
//
// The one description of a distributed tensor in sxft, shared by the
// verifier, the tiler (sxf-tile) and the simulator (sparse-sim): an R x C
// tensor cut into a p x q grid of blocks, repeated `replicas` times, block
// (i, j) of replica k on unit
//   first + k·p·q + i·q + j           (default), or
//   first + (i·q + j)·replicas + k    (interleave),
// modulo the unit count. A layout never spans more units than exist, so a
// unit holds at most one block of it.
//
//===----------------------------------------------------------------------===//

#ifndef SXF_DIALECT_SXFTARGET_IR_LAYOUT_H
#define SXF_DIALECT_SXFTARGET_IR_LAYOUT_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sxf {
namespace target {

class BufferOp;
class PartitionOp;

struct BlockId {
  int64_t replica = 0, i = 0, j = 0;
};

struct Layout {
  int64_t rows = 1, cols = 1;
  int64_t p = 1, q = 1, replicas = 1;
  int64_t first = 0;
  int64_t units = 1; // of the target (unit ids wrap modulo this)
  bool interleave = false;
  bool partial = false;
  /// p + 1 and q + 1 strictly increasing cut positions from 0 to rows/cols.
  std::vector<int64_t> rowCuts, colCuts;

  int64_t blocks() const { return p * q; }
  int64_t span() const { return p * q * replicas; }
  int64_t unitOf(int64_t replica, int64_t i, int64_t j) const;
  /// The block a unit holds, if any.
  std::optional<BlockId> blockOn(int64_t unit) const;
  int64_t rowBegin(int64_t i) const { return rowCuts[i]; }
  int64_t rowEnd(int64_t i) const { return rowCuts[i + 1]; }
  int64_t colBegin(int64_t j) const { return colCuts[j]; }
  int64_t colEnd(int64_t j) const { return colCuts[j + 1]; }
  int64_t blockRows(int64_t i) const { return rowEnd(i) - rowBegin(i); }
  int64_t blockCols(int64_t j) const { return colEnd(j) - colBegin(j); }
  int64_t maxBlockRows() const;
  int64_t maxBlockCols() const;
  /// The row / column parts that intersect [begin, end).
  std::pair<int64_t, int64_t> rowPartsOverlapping(int64_t begin,
                                                  int64_t end) const;
  std::pair<int64_t, int64_t> colPartsOverlapping(int64_t begin,
                                                  int64_t end) const;
};

/// `parts` + 1 cut positions splitting n as evenly as possible: part i is
/// [floor(i·n/parts), floor((i+1)·n/parts)).
std::vector<int64_t> evenCuts(int64_t n, int64_t parts);

/// Builds a layout; the message names what is wrong (cuts that do not rise
/// strictly from 0 to the extent, a grid larger than the tensor, a span
/// larger than the unit count, ...).
std::optional<Layout> makeLayout(int64_t rows, int64_t cols, int64_t p,
                                 int64_t q, int64_t replicas, int64_t first,
                                 int64_t units, bool interleave, bool partial,
                                 llvm::ArrayRef<int64_t> rowCuts,
                                 llvm::ArrayRef<int64_t> colCuts,
                                 std::string &error);

/// The layout of a buffer / partition (nullopt with `error` when invalid).
std::optional<Layout> layoutOf(BufferOp op, int64_t units, std::string &error);
std::optional<Layout> layoutOf(PartitionOp op, int64_t units,
                               std::string &error);

/// Elements that cross between units when redistributing `src` into `dst`
/// (same logical shape): every dst block is assembled from src (all
/// replicas when src is partial, else any one copy), and what its own unit
/// already holds does not move. With `perUnitIn`, adds each unit's incoming
/// elements to it (sized to the unit count). O(dst blocks).
int64_t exchangeElements(const Layout &src, const Layout &dst,
                         std::vector<int64_t> *perUnitIn = nullptr);

} // namespace target
} // namespace sxf

#endif // SXF_DIALECT_SXFTARGET_IR_LAYOUT_H
