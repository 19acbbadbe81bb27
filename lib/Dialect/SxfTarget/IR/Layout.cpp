//===- Layout.cpp - How a tensor is distributed over units ----------------===//

#include "sxf/Dialect/SxfTarget/IR/Layout.h"
#include "sxf/Dialect/SxfTarget/IR/SxfTarget.h"
#include "sxf/Support/CheckedMath.h"

#include <algorithm>

namespace sxf {
namespace target {

std::vector<int64_t> evenCuts(int64_t n, int64_t parts) {
  std::vector<int64_t> cuts(parts + 1);
  for (int64_t i = 0; i <= parts; ++i)
    cuts[i] = static_cast<int64_t>((static_cast<__int128>(i) * n) / parts);
  return cuts;
}

static int64_t wrap(int64_t u, int64_t units) {
  u %= units;
  return u < 0 ? u + units : u;
}

int64_t Layout::unitOf(int64_t replica, int64_t i, int64_t j) const {
  int64_t offset = interleave ? (i * q + j) * replicas + replica
                              : replica * p * q + i * q + j;
  return wrap(first + offset, units);
}

std::optional<BlockId> Layout::blockOn(int64_t unit) const {
  int64_t offset = wrap(unit - first, units);
  if (offset >= span())
    return std::nullopt;
  BlockId b;
  int64_t blk;
  if (interleave) {
    blk = offset / replicas;
    b.replica = offset % replicas;
  } else {
    b.replica = offset / (p * q);
    blk = offset % (p * q);
  }
  b.i = blk / q;
  b.j = blk % q;
  return b;
}

int64_t Layout::maxBlockRows() const {
  int64_t m = 0;
  for (int64_t i = 0; i < p; ++i)
    m = std::max(m, blockRows(i));
  return m;
}

int64_t Layout::maxBlockCols() const {
  int64_t m = 0;
  for (int64_t j = 0; j < q; ++j)
    m = std::max(m, blockCols(j));
  return m;
}

static std::pair<int64_t, int64_t>
partsOverlapping(const std::vector<int64_t> &cuts, int64_t begin,
                 int64_t end) {
  // First part whose end is > begin, last part whose begin is < end.
  int64_t lo = std::upper_bound(cuts.begin() + 1, cuts.end(), begin) -
               (cuts.begin() + 1);
  int64_t hi = std::lower_bound(cuts.begin(), cuts.end() - 1, end) -
               cuts.begin() - 1;
  return {lo, hi};
}

std::pair<int64_t, int64_t> Layout::rowPartsOverlapping(int64_t begin,
                                                        int64_t end) const {
  return partsOverlapping(rowCuts, begin, end);
}

std::pair<int64_t, int64_t> Layout::colPartsOverlapping(int64_t begin,
                                                        int64_t end) const {
  return partsOverlapping(colCuts, begin, end);
}

static bool checkCuts(llvm::ArrayRef<int64_t> cuts, int64_t parts,
                      int64_t extent, const char *what, std::string &error) {
  bool ok = static_cast<int64_t>(cuts.size()) == parts + 1 &&
            cuts.front() == 0 && cuts.back() == extent;
  for (size_t k = 1; ok && k < cuts.size(); ++k)
    ok = cuts[k] > cuts[k - 1];
  if (ok)
    return true;
  error = std::string(what) + " must be " + std::to_string(parts + 1) +
          " positions rising strictly from 0 to " + std::to_string(extent) +
          ", got [";
  for (size_t k = 0; k < cuts.size(); ++k)
    error += (k ? ", " : "") + std::to_string(cuts[k]);
  error += "]";
  return false;
}

std::optional<Layout> makeLayout(int64_t rows, int64_t cols, int64_t p,
                                 int64_t q, int64_t replicas, int64_t first,
                                 int64_t units, bool interleave, bool partial,
                                 llvm::ArrayRef<int64_t> rowCuts,
                                 llvm::ArrayRef<int64_t> colCuts,
                                 std::string &error) {
  if (rows <= 0 || cols <= 0) {
    error = "shape [" + std::to_string(rows) + ", " + std::to_string(cols) +
            "] must be positive";
    return std::nullopt;
  }
  if (p <= 0 || q <= 0 || replicas <= 0) {
    error = "grid and replicas must be positive";
    return std::nullopt;
  }
  if (!checkedElements(std::vector<int64_t>{rows, cols}, kMaxElements)) {
    error = "shape [" + std::to_string(rows) + ", " + std::to_string(cols) +
            "] has more than " + std::to_string(kMaxElements) + " elements";
    return std::nullopt;
  }
  if (p > rows || q > cols) {
    error = "grid [" + std::to_string(p) + ", " + std::to_string(q) +
            "] has more parts than the " + std::to_string(rows) + "x" +
            std::to_string(cols) + " tensor has rows or columns";
    return std::nullopt;
  }
  std::optional<int64_t> span =
      checkedElements(std::vector<int64_t>{p, q, replicas});
  if (!span || *span > units) {
    error = (span ? "spans " + std::to_string(*span) + " units"
                  : std::string("spans more units than int64 counts")) +
            " but the target has " + std::to_string(units);
    return std::nullopt;
  }
  if (first < 0 || first >= units) {
    error = "unit " + std::to_string(first) +
            " does not exist (the target has " + std::to_string(units) +
            " units)";
    return std::nullopt;
  }
  Layout l;
  l.rows = rows;
  l.cols = cols;
  l.p = p;
  l.q = q;
  l.replicas = replicas;
  l.first = first;
  l.units = units;
  l.interleave = interleave;
  l.partial = partial;
  if (!rowCuts.empty()) {
    if (!checkCuts(rowCuts, p, rows, "row_cuts", error))
      return std::nullopt;
    l.rowCuts.assign(rowCuts.begin(), rowCuts.end());
  } else {
    l.rowCuts = evenCuts(rows, p);
  }
  if (!colCuts.empty()) {
    if (!checkCuts(colCuts, q, cols, "col_cuts", error))
      return std::nullopt;
    l.colCuts.assign(colCuts.begin(), colCuts.end());
  } else {
    l.colCuts = evenCuts(cols, q);
  }
  return l;
}

static llvm::ArrayRef<int64_t> orEmpty(std::optional<llvm::ArrayRef<int64_t>> a) {
  return a ? *a : llvm::ArrayRef<int64_t>();
}

std::optional<Layout> layoutOf(BufferOp op, int64_t units,
                               std::string &error) {
  llvm::ArrayRef<int64_t> shape = op.getShape(), grid = op.getGrid();
  if (shape.size() != 2 || grid.size() != 2) {
    error = "shape and grid take two numbers each";
    return std::nullopt;
  }
  return makeLayout(shape[0], shape[1], grid[0], grid[1], int64_t(op.getReplicas()),
                    int64_t(op.getFirst()), units, op.getInterleave(), op.getPartial(),
                    orEmpty(op.getRowCuts()), orEmpty(op.getColCuts()), error);
}

std::optional<Layout> layoutOf(PartitionOp op, int64_t units,
                               std::string &error) {
  llvm::ArrayRef<int64_t> shape = op.getShape(), grid = op.getGrid();
  if (shape.size() != 2 || grid.size() != 2) {
    error = "shape and grid take two numbers each";
    return std::nullopt;
  }
  return makeLayout(shape[0], shape[1], grid[0], grid[1], int64_t(op.getReplicas()),
                    int64_t(op.getFirst()), units, /*interleave=*/false,
                    /*partial=*/false, orEmpty(op.getRowCuts()),
                    orEmpty(op.getColCuts()), error);
}

static int64_t overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1) {
  return std::max<int64_t>(0, std::min(a1, b1) - std::max(a0, b0));
}

int64_t exchangeElements(const Layout &src, const Layout &dst,
                         std::vector<int64_t> *perUnitIn) {
  int64_t total = 0;
  for (int64_t k = 0; k < dst.replicas; ++k)
    for (int64_t i = 0; i < dst.p; ++i)
      for (int64_t j = 0; j < dst.q; ++j) {
        int64_t u = dst.unitOf(k, i, j);
        int64_t area = dst.blockRows(i) * dst.blockCols(j);
        int64_t need = src.partial ? area * src.replicas : area;
        int64_t local = 0;
        if (std::optional<BlockId> b = src.blockOn(u))
          local = overlap(src.rowBegin(b->i), src.rowEnd(b->i),
                          dst.rowBegin(i), dst.rowEnd(i)) *
                  overlap(src.colBegin(b->j), src.colEnd(b->j),
                          dst.colBegin(j), dst.colEnd(j));
        int64_t in = need - local;
        total += in;
        if (perUnitIn)
          (*perUnitIn)[u] += in;
      }
  return total;
}

} // namespace target
} // namespace sxf
