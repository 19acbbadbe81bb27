#!/usr/bin/env python3
"""The bert-base encoder layer of bench/bert_layer.sh in PyTorch (CPU,
torch.set_num_threads(2), fp32, inference under torch.no_grad()):

  dense    the layer written with torch.nn.functional (linear, softmax
           attention with 12 heads, GELU (erf) FFN 3072, post-norm
           LayerNorms), as sxf.encoder_layer computes it
  encoder  torch.nn.TransformerEncoderLayer (norm_first=False, GELU,
           eval mode: its inference fast path), same sizes
  csr      the functional layer with its six weights magnitude-pruned to
           the given sparsity (one threshold per weight) and stored as
           torch.sparse_csr tensors: each linear is
           torch.mm(W_csr, x.t().contiguous()).t() + b, PyTorch's fastest
           CSR product (bench/runtime/torch_spmm.py)

The CSR layer is checked against the functional layer in float64 with the
same pruned weights (max |y - ref| / max |ref|). Prints one line per
variant, `<name>_ms=<median of --repeat>`, and `csr_rel_err=<e>`.

usage: bert_layer_torch.py [--tokens 128] [--sparsity 0.9] [--repeat 20]
"""

import argparse
import statistics
import time
import warnings

import torch
import torch.nn.functional as F

H, HEADS, FFN = 768, 12, 3072


def params(seed):
    g = torch.Generator().manual_seed(seed)
    def w(o, i):
        return torch.randn(o, i, generator=g) * 0.02
    def b(o):
        return torch.randn(o, generator=g) * 0.02
    p = {"wq": w(H, H), "bq": b(H), "wk": w(H, H), "bk": b(H),
         "wv": w(H, H), "bv": b(H), "wo": w(H, H), "bo": b(H),
         "w1": w(FFN, H), "b1": b(FFN), "w2": w(H, FFN), "b2": b(H),
         "g1": 1 + b(H), "be1": b(H), "g2": 1 + b(H), "be2": b(H)}
    return p


def layer(x, p, lin):
    T = x.shape[0]
    q = lin(x, "wq", "bq").view(T, HEADS, H // HEADS).transpose(0, 1)
    k = lin(x, "wk", "bk").view(T, HEADS, H // HEADS).transpose(0, 1)
    v = lin(x, "wv", "bv").view(T, HEADS, H // HEADS).transpose(0, 1)
    s = torch.softmax(q @ k.transpose(1, 2) / (H // HEADS) ** 0.5, dim=-1)
    ctx = (s @ v).transpose(0, 1).reshape(T, H)
    h = F.layer_norm(x + lin(ctx, "wo", "bo"), (H,), p["g1"], p["be1"], 1e-5)
    f = lin(F.gelu(lin(h, "w1", "b1")), "w2", "b2")
    return F.layer_norm(h + f, (H,), p["g2"], p["be2"], 1e-5)


def median_ms(fn, repeat):
    fn()
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1e3)
    return statistics.median(ts)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--sparsity", type=float, default=0.9)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    torch.set_num_threads(2)
    warnings.filterwarnings("ignore", message="Sparse CSR tensor support")
    warnings.filterwarnings("ignore", message="enable_nested_tensor")
    p = params(1)
    x = torch.randn(args.tokens, H, generator=torch.Generator().manual_seed(2))

    with torch.no_grad():
        dense_lin = lambda a, w, b: F.linear(a, p[w], p[b])
        print("dense_ms=%.3f" % median_ms(lambda: layer(x, p, dense_lin), args.repeat))

        enc = torch.nn.TransformerEncoderLayer(H, HEADS, FFN, dropout=0.0,
                                               activation="gelu",
                                               batch_first=True,
                                               norm_first=False).eval()
        xb = x.unsqueeze(0)
        print("encoder_ms=%.3f" % median_ms(lambda: enc(xb), args.repeat))

        pruned = dict(p)
        for w in ("wq", "wk", "wv", "wo", "w1", "w2"):
            a = p[w].abs().flatten()
            k = int(round(args.sparsity * a.numel()))
            thr = a.kthvalue(k).values if k > 0 else a.min() - 1
            pruned[w] = torch.where(p[w].abs() > thr, p[w], torch.zeros(()))
        csr = {w: pruned[w].to_sparse_csr() for w in ("wq", "wk", "wv", "wo", "w1", "w2")}
        csr_lin = lambda a, w, b: torch.mm(csr[w], a.t().contiguous()).t() + pruned[b]
        print("csr_ms=%.3f" % median_ms(lambda: layer(x, pruned, csr_lin), args.repeat))

        got = layer(x, pruned, csr_lin).double()
        p64 = {k: v.double() for k, v in pruned.items()}
        ref = layer(x.double(), p64, lambda a, w, b: F.linear(a, p64[w], p64[b]))
        err = ((got - ref).abs().max() / ref.abs().max()).item()
        print("csr_rel_err=%.3g" % err)


if __name__ == "__main__":
    main()
