//===- spmm_bench.cpp - sxf_rt SpMM vs OpenBLAS sgemm and Eigen -----------===//
//
// Google Benchmark comparing, in one run, y = x·Wᵀ (x: N x C fp32 tokens, W:
// R x C weight, y: N x R) computed by
//   sxf/<pattern>/...        the runtime's kernel for the pattern's format
//                            (CSR, BSR 4/8/16, N:M 2:4 and 4:8)
//   openblas/dense/...       dense cblas_sgemm on the same weight shape
//                            (threads = 2)
//   eigen/<pattern>/...      Eigen SparseMatrix<float, RowMajor> x dense, the
//                            zero-copy mapping (yᵀ = W·xᵀ with xᵀ, yᵀ
//                            column-major views of x, y)
//   eigenrm/<pattern>/...    Eigen with row-major dense operands (x
//                            transposed in, y transposed out, copies timed)
//   mlir/<csr pattern>/...   the same CSR product compiled by upstream MLIR's
//                            --sparsifier (bench/mlir; with -DSXF_BENCH_MLIR
//                            and its object file linked in; single-threaded:
//                            the sparsifier emits no threads without OpenMP
//                            lowering)
// for weight shapes 768x768, 3072x768 (FFN up: R = 3072) and 768x3072 (FFN
// down), N = 128 and 512 tokens, unstructured densities 50/30/20/10/5%
// (CSR), BSR 4x4/8x8/16x16 at 20% and 10% of blocks, 2:4 and 4:8.
//
// OpenBLAS runs first as a block, then a 0.5 s pause ("settle") lets its
// busy-waiting threads go idle before the OpenMP-based runs (sxf, Eigen).
//
// Names: <impl>/<pattern>/<R>x<C>/<N>. Counters: GFLOPs = 2·N·(stored
// values) per second (the work done), dense_GFLOPs = 2·N·R·C per second
// (dense-equivalent rate). bench/runtime/spmm_table.py runs this binary and
// prints the comparison table.
//
// Build (see runtime/README.md):
//   g++ -std=c++17 -O3 -march=native -fopenmp -DNDEBUG -Iruntime/include
//       -isystem /usr/include/eigen3 bench/runtime/spmm_bench.cpp
//       -o spmm_bench -lbenchmark -lopenblas -pthread
//
//===----------------------------------------------------------------------===//

#include "sxf_rt/spmm.h"

#include <benchmark/benchmark.h>
#include <cblas.h>

#include "sxf_rt/random.h"

#include <Eigen/Dense>
#include <Eigen/Sparse>
#ifdef SXF_BENCH_MLIR
#include "../mlir/mlir_spmm.h"
#endif

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 2;

/// Deterministic random numbers: the runtime's generator plus values in
/// [-1, 1).
struct Rng : sxf_rt::Rng {
  using sxf_rt::Rng::Rng;
  float value() { return float(uniform() * 2.0 - 1.0); }
};

/// A sparsity pattern: unstructured at a density, blocks at a density, or
/// N:M.
struct Pattern {
  std::string name; // csr_10, bsr4_20, nm2_4, ...
  enum Kind { Unstructured, Block, NM } kind;
  double density = 1.0;
  int64_t block = 0, n = 0, m = 0;
};

/// Weight data shared by all implementations of one (pattern, shape).
struct Weight {
  int64_t R = 0, C = 0, nnz = 0;
  std::vector<float> dense; // row-major R x C, zeros included
  // Encoded arrays (f32 values, 32-bit indices and pointers, or 8-bit nm
  // indices) and the view over them.
  std::vector<float> values;
  std::vector<uint32_t> indices, pointers;
  std::vector<uint8_t> nmIndices;
  sxf_rt::CsrView csr;
  sxf_rt::BsrView bsr;
  sxf_rt::NmView nm;
  Eigen::SparseMatrix<float, Eigen::RowMajor> eigen;
};

std::shared_ptr<Weight> makeWeight(const Pattern &p, int64_t R, int64_t C) {
  auto w = std::make_shared<Weight>();
  w->R = R;
  w->C = C;
  w->dense.assign(size_t(R * C), 0.0f);
  Rng rng(uint64_t(R * 131 + C * 7) ^ std::hash<std::string>()(p.name));
  switch (p.kind) {
  case Pattern::Unstructured:
    for (auto &v : w->dense)
      if (rng.uniform() < p.density)
        v = rng.value();
    break;
  case Pattern::Block:
    for (int64_t i = 0; i < R / p.block; ++i)
      for (int64_t j = 0; j < C / p.block; ++j)
        if (rng.uniform() < p.density)
          for (int64_t a = 0; a < p.block; ++a)
            for (int64_t b = 0; b < p.block; ++b)
              w->dense[size_t((i * p.block + a) * C + j * p.block + b)] =
                  rng.value();
    break;
  case Pattern::NM:
    for (int64_t r = 0; r < R; ++r)
      for (int64_t g = 0; g < C / p.m; ++g) {
        std::vector<int64_t> perm(static_cast<size_t>(p.m));
        for (int64_t j = 0; j < p.m; ++j)
          perm[size_t(j)] = j;
        for (int64_t j = p.m - 1; j > 0; --j)
          std::swap(perm[size_t(j)], perm[size_t(rng.next() % uint64_t(j + 1))]);
        for (int64_t j = 0; j < p.n; ++j)
          w->dense[size_t(r * C + g * p.m + perm[size_t(j)])] = rng.value();
      }
    break;
  }
  for (float v : w->dense)
    w->nnz += v != 0.0f;

  // CSR arrays (also what Eigen gets).
  if (p.kind == Pattern::Unstructured) {
    w->pointers.push_back(0);
    for (int64_t r = 0; r < R; ++r) {
      for (int64_t c = 0; c < C; ++c)
        if (float v = w->dense[size_t(r * C + c)]; v != 0.0f) {
          w->values.push_back(v);
          w->indices.push_back(uint32_t(c));
        }
      w->pointers.push_back(uint32_t(w->values.size()));
    }
    w->csr = sxf_rt::makeCsrView(R, C, w->nnz, sxf_rt::ValueType::F32, 32,
                                 w->values.data(), w->indices.data(),
                                 w->pointers.data());
  } else if (p.kind == Pattern::Block) {
    int64_t b = p.block;
    w->pointers.push_back(0);
    for (int64_t i = 0; i < R / b; ++i) {
      for (int64_t j = 0; j < C / b; ++j) {
        bool any = false;
        for (int64_t a = 0; a < b && !any; ++a)
          for (int64_t c = 0; c < b && !any; ++c)
            any = w->dense[size_t((i * b + a) * C + j * b + c)] != 0.0f;
        if (!any)
          continue;
        w->indices.push_back(uint32_t(j));
        for (int64_t a = 0; a < b; ++a)
          for (int64_t c = 0; c < b; ++c)
            w->values.push_back(w->dense[size_t((i * b + a) * C + j * b + c)]);
      }
      w->pointers.push_back(uint32_t(w->indices.size()));
    }
    w->bsr = sxf_rt::makeBsrView(R, C, b, b, int64_t(w->indices.size()),
                                 sxf_rt::ValueType::F32, 32, w->values.data(),
                                 w->indices.data(), w->pointers.data());
  } else {
    for (int64_t r = 0; r < R; ++r)
      for (int64_t g = 0; g < C / p.m; ++g)
        for (int64_t j = 0; j < p.m; ++j)
          if (float v = w->dense[size_t(r * C + g * p.m + j)]; v != 0.0f) {
            w->values.push_back(v);
            w->nmIndices.push_back(uint8_t(j));
          }
    w->nm = sxf_rt::makeNmView(R, C, p.n, p.m, sxf_rt::ValueType::F32, 8,
                               w->values.data(), w->nmIndices.data());
  }

  std::vector<Eigen::Triplet<float>> trip;
  trip.reserve(size_t(w->nnz));
  for (int64_t r = 0; r < R; ++r)
    for (int64_t c = 0; c < C; ++c)
      if (float v = w->dense[size_t(r * C + c)]; v != 0.0f)
        trip.emplace_back(int(r), int(c), v);
  w->eigen.resize(int(R), int(C));
  w->eigen.setFromTriplets(trip.begin(), trip.end());
  w->eigen.makeCompressed();
  return w;
}

std::shared_ptr<Weight> weightFor(const Pattern &p, int64_t R, int64_t C) {
  static std::map<std::string, std::shared_ptr<Weight>> cache;
  std::string key = p.name + "/" + std::to_string(R) + "x" + std::to_string(C);
  auto it = cache.find(key);
  if (it != cache.end())
    return it->second;
  return cache[key] = makeWeight(p, R, C);
}

std::vector<float> activations(int64_t n) {
  Rng rng(12345);
  std::vector<float> x(static_cast<size_t>(n));
  for (auto &v : x)
    v = rng.value();
  return x;
}

void setCounters(benchmark::State &state, double stored, int64_t N,
                 int64_t R, int64_t C) {
  state.counters["GFLOPs"] = benchmark::Counter(
      2.0 * double(N) * stored * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate);
  state.counters["dense_GFLOPs"] = benchmark::Counter(
      2.0 * double(N) * double(R) * double(C) * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate);
}

void benchSxf(benchmark::State &state, Pattern p, int64_t R, int64_t C,
              int64_t N) {
  auto w = weightFor(p, R, C);
  std::vector<float> x = activations(N * C);
  std::vector<float> y(static_cast<size_t>(N * R));
  sxf_rt::Workspace ws;
  sxf_rt::SpmmOptions opt;
  opt.threads = kThreads;
  opt.workspace = &ws;
  double stored = double(w->values.size());
  for (auto _ : state) {
    switch (p.kind) {
    case Pattern::Unstructured:
      sxf_rt::spmm(w->csr, x.data(), N, y.data(), {}, opt);
      break;
    case Pattern::Block:
      sxf_rt::spmm(w->bsr, x.data(), N, y.data(), {}, opt);
      break;
    case Pattern::NM:
      sxf_rt::spmm(w->nm, x.data(), N, y.data(), {}, opt);
      break;
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  setCounters(state, stored, N, R, C);
}

void benchSxfDense(benchmark::State &state, int64_t R, int64_t C, int64_t N) {
  std::vector<float> w = activations(R * C);
  std::vector<float> x = activations(N * C);
  std::vector<float> y(static_cast<size_t>(N * R));
  sxf_rt::DenseView view =
      sxf_rt::makeDenseView(R, C, sxf_rt::ValueType::F32, w.data());
  sxf_rt::Workspace ws;
  sxf_rt::SpmmOptions opt;
  opt.threads = kThreads;
  opt.workspace = &ws;
  for (auto _ : state) {
    sxf_rt::spmm(view, x.data(), N, y.data(), {}, opt);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  setCounters(state, double(R * C), N, R, C);
}

void benchOpenBlas(benchmark::State &state, int64_t R, int64_t C, int64_t N) {
  openblas_set_num_threads(kThreads);
  std::vector<float> w = activations(R * C);
  std::vector<float> x = activations(N * C);
  std::vector<float> y(static_cast<size_t>(N * R));
  for (auto _ : state) {
    // y[N x R] = x[N x C] · W[R x C]ᵀ
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(N), int(R),
                int(C), 1.0f, x.data(), int(C), w.data(), int(C), 0.0f,
                y.data(), int(R));
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  setCounters(state, double(R * C), N, R, C);
}

#ifdef SXF_BENCH_MLIR
mlir_bench::Kernel mlirKernel(int64_t R, int64_t C) {
  if (R == 768 && C == 768)
    return _mlir_ciface_spmm_768x768;
  if (R == 3072 && C == 768)
    return _mlir_ciface_spmm_3072x768;
  if (R == 768 && C == 3072)
    return _mlir_ciface_spmm_768x3072;
  return nullptr;
}

void benchMlir(benchmark::State &state, Pattern p, int64_t R, int64_t C,
               int64_t N) {
  std::shared_ptr<Weight> w = weightFor(p, R, C);
  std::vector<float> x = activations(N * C);
  std::vector<float> y(static_cast<size_t>(N * R));
  mlir_bench::Kernel k = mlirKernel(R, C);
  auto *pos = reinterpret_cast<int32_t *>(w->pointers.data());
  auto *crd = reinterpret_cast<int32_t *>(w->indices.data());
  for (auto _ : state) {
    std::fill(y.begin(), y.end(), 0.0f); // the kernel accumulates into y
    if (!mlir_bench::spmm(k, pos, R, crd, w->values.data(),
                          int64_t(w->values.size()), x.data(), N, C,
                          y.data()))
      state.SkipWithError("the MLIR kernel did not update y in place");
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  setCounters(state, double(w->nnz), N, R, C);
}
#endif

void benchEigen(benchmark::State &state, Pattern p, int64_t R, int64_t C,
                int64_t N) {
  Eigen::setNbThreads(kThreads);
  auto w = weightFor(p, R, C);
  std::vector<float> x = activations(N * C);
  std::vector<float> y(static_cast<size_t>(N * R));
  using ColMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;
  Eigen::Map<const ColMat> xT(x.data(), C, N); // xᵀ: C x N column-major
  Eigen::Map<ColMat> yT(y.data(), R, N);       // yᵀ: R x N column-major
  for (auto _ : state) {
    yT.noalias() = w->eigen * xT;
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  setCounters(state, double(w->nnz), N, R, C);
}

void benchEigenRowMajor(benchmark::State &state, Pattern p, int64_t R,
                        int64_t C, int64_t N) {
  Eigen::setNbThreads(kThreads);
  auto w = weightFor(p, R, C);
  std::vector<float> x = activations(N * C);
  std::vector<float> y(static_cast<size_t>(N * R));
  using RowMat =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using ColMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;
  RowMat xTr(C, N), yTr(R, N);
  for (auto _ : state) {
    xTr = Eigen::Map<const ColMat>(x.data(), C, N); // transpose in
    yTr.noalias() = w->eigen * xTr;
    Eigen::Map<ColMat>(y.data(), R, N) = yTr; // transpose out
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  setCounters(state, double(w->nnz), N, R, C);
}

std::vector<Pattern> patterns() {
  std::vector<Pattern> ps;
  for (int d : {50, 30, 20, 10, 5})
    ps.push_back({"csr_" + std::to_string(d), Pattern::Unstructured,
                  d / 100.0, 0, 0, 0});
  for (int b : {4, 8, 16})
    for (int d : {20, 10})
      ps.push_back({"bsr" + std::to_string(b) + "_" + std::to_string(d),
                    Pattern::Block, d / 100.0, b, 0, 0});
  ps.push_back({"nm2_4", Pattern::NM, 0.5, 0, 2, 4});
  ps.push_back({"nm4_8", Pattern::NM, 0.5, 0, 4, 8});
  return ps;
}

/// Sleeps long enough for OpenBLAS's worker threads, which busy-wait for a
/// while after each call, to go idle, so that they do not steal a core from
/// the benchmarks that follow (and the reverse for OpenMP's threads).
void settle(benchmark::State &state) {
  for (auto _ : state)
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
}

void registerAll() {
  const int64_t shapes[][2] = {{768, 768}, {3072, 768}, {768, 3072}};
  auto tail = [](int64_t R, int64_t C, int64_t N) {
    return "/" + std::to_string(R) + "x" + std::to_string(C) + "/" +
           std::to_string(N);
  };
  // OpenBLAS first, as one block (its threads spin between calls), then
  // the OpenMP-based implementations.
  for (auto s : shapes)
    for (int64_t N : {128, 512})
      benchmark::RegisterBenchmark(
          ("openblas/dense" + tail(s[0], s[1], N)).c_str(), benchOpenBlas,
          s[0], s[1], N)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
  benchmark::RegisterBenchmark("settle", settle)->Iterations(1);
  for (auto s : shapes)
    for (int64_t N : {128, 512}) {
      int64_t R = s[0], C = s[1];
      benchmark::RegisterBenchmark(("sxf/dense" + tail(R, C, N)).c_str(),
                                   benchSxfDense, R, C, N)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
      for (const Pattern &p : patterns()) {
        benchmark::RegisterBenchmark(
            ("sxf/" + p.name + tail(R, C, N)).c_str(), benchSxf, p, R, C, N)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
        benchmark::RegisterBenchmark(
            ("eigen/" + p.name + tail(R, C, N)).c_str(), benchEigen, p, R, C,
            N)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
        benchmark::RegisterBenchmark(
            ("eigenrm/" + p.name + tail(R, C, N)).c_str(), benchEigenRowMajor,
            p, R, C, N)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
#ifdef SXF_BENCH_MLIR
        if (p.kind == Pattern::Unstructured && mlirKernel(R, C))
          benchmark::RegisterBenchmark(
              ("mlir/" + p.name + tail(R, C, N)).c_str(), benchMlir, p, R, C,
              N)
              ->Unit(benchmark::kMillisecond)
              ->UseRealTime();
#endif
      }
    }
}

} // namespace

int main(int argc, char **argv) {
  registerAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
