//===- model.cpp - libsxf_rt: the ops generated code calls ----------------===//
//
// Part of libsxf_rt, the compiled CPU runtime that generated programs link
// (api.h declares what is here). Thin adapters from the generated calls
// (model first, weights by name) to the header-only kernels of spmm.h and
// ops.h, which are instantiated once, in this library, instead of in every
// generated program: `linear` dispatches on the weight's stored format to
// spmm's kernels for every value type and index width (kernels.h; the
// runtime's dominant compile cost, paid when the library is built).
//
//===----------------------------------------------------------------------===//

#include "sxf_rt/api.h"
#include "kernels.h"
#include "sxf_rt/model.h"
#include "sxf_rt/ops.h"

#include <cstring>
#include <memory>
#include <string>

namespace sxf_rt {

void lib::runSpmm(const DenseView &w, const float *x, int64_t T, float *y,
                  const Epilogue &ep) {
  spmm(w, x, T, y, ep);
}

void linear(const Model *m, const char *w, const float *x, int64_t T,
            float *y, const char *bias, int64_t act, const float *residual,
            const char *gamma, const char *beta, float eps) {
  const FormattedWeight *fw = m->weight(w);
  int64_t R = fw->rows;
  Epilogue ep;
  ep.bias = bias ? m->dense(bias, R) : nullptr;
  ep.activation = static_cast<Activation>(act);
  ep.residual = residual;
  if (gamma) {
    ep.normGamma = m->dense(gamma, R);
    ep.normBeta = m->dense(beta, R);
    ep.normEpsilon = eps;
  }
  switch (fw->kind) {
  case Kind::Dense:
    lib::runSpmm(fw->dense, x, T, y, ep);
    break;
  case Kind::CSR:
    lib::runSpmm(fw->csr, x, T, y, ep);
    break;
  case Kind::BSR:
    lib::runSpmm(fw->bsr, x, T, y, ep);
    break;
  case Kind::NM:
    lib::runSpmm(fw->nm, x, T, y, ep);
    break;
  case Kind::ELL:
    lib::runSpmm(fw->ell, x, T, y, ep);
    break;
  case Kind::CSC:
  case Kind::COO:
    Model::fatal(std::string("weight '") + w + "' is " + kindName(fw->kind) +
                 ", which has no CPU kernel");
  }
}

// The other ops: thin adapters from the generated calls (model first, names
// of weights) to ops.h.

void layerNorm(const Model *m, const char *gamma, const char *beta,
               const float *x, int64_t T, int64_t N, float *y, float eps) {
  sxf_rt::layerNorm(x, T, N, m->dense(gamma, N), m->dense(beta, N), eps, y);
}

void rmsNorm(const Model *m, const char *gamma, const float *x, int64_t T,
             int64_t N, float *y, float eps) {
  sxf_rt::rmsNorm(x, T, N, m->dense(gamma, N), eps, y);
}

void softmax(const Model *, const float *x, int64_t T, int64_t N, float *y) {
  sxf_rt::softmax(x, T, N, 1, y);
}

void activation(const Model *, const float *x, int64_t n, int64_t act,
                float *y) {
  sxf_rt::activation(static_cast<Activation>(act), x, y, n);
}

void add(const Model *, const float *a, int64_t n, const float *b, int64_t nb,
         float *y) {
  sxf_rt::add(a, n, b, nb, y);
}

void split(const Model *, const float *x, int64_t T, int64_t N,
           int64_t offset, int64_t width, float *y) {
  sliceColumns(x, T, N, offset, width, y);
}

void embedding(const Model *m, const char *table, const char *positions,
               const int64_t *ids, int64_t B, int64_t S, float *y) {
  embedding_at(m, table, positions, ids, B, S, 0, y);
}

void kv_append(const Model *, const float *cache, const float *update,
               int64_t B, int64_t P, int64_t N, int64_t D, float *y) {
  for (int64_t b = 0; b < B; ++b) {
    std::memcpy(y + b * (P + N) * D, cache + b * P * D,
                size_t(P * D) * sizeof(float));
    std::memcpy(y + (b * (P + N) + P) * D, update + b * N * D,
                size_t(N * D) * sizeof(float));
  }
}

void embedding_at(const Model *m, const char *table, const char *positions,
                  const int64_t *ids, int64_t B, int64_t S, int64_t offset,
                  float *y) {
  const Container::Entry *t = m->entry(table);
  if (t->shape.size() != 2)
    Model::fatal(std::string("embedding table '") + table + "' is not 2-D");
  int64_t V = t->shape[0], D = t->shape[1];
  const float *tab = m->dense(table, V * D);
  const float *pos = nullptr;
  int64_t posRows = 0;
  if (positions) {
    const Container::Entry *p = m->entry(positions);
    posRows = p->shape.empty() ? 0 : p->shape[0];
    pos = m->dense(positions, posRows * D);
  }
  std::string error;
  if (!sxf_rt::embedding(ids, {B, S}, tab, V, D, pos, posRows, y, &error,
                         offset))
    Model::fatal(error);
}

void attention(const Model *, const float *q, const float *k, const float *v,
               int64_t B, int64_t Sq, int64_t Sk, int64_t H, int64_t hd,
               int64_t causal, const char *keep, float *y) {
  std::unique_ptr<bool[]> keepHeads(new bool[size_t(H)]);
  for (int64_t h = 0; h < H; ++h)
    keepHeads[size_t(h)] = true;
  for (int64_t h = 0; keep && h < H && keep[h]; ++h)
    keepHeads[size_t(h)] = keep[h] != '0';
  AttentionShape a;
  a.batch = B;
  a.seq = Sq;
  a.kvSeq = Sk;
  a.heads = H;
  a.headDim = hd;
  a.causal = causal != 0;
  a.keepHeads = keepHeads.get();
  sxf_rt::attention(q, k, v, y, a);
}

} // namespace sxf_rt
