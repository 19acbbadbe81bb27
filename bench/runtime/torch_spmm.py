#!/usr/bin/env python3
"""PyTorch's SpMM for the runtime benchmark's table (spmm_table.py): the
cells of bench/runtime/spmm_bench.cpp, computed by PyTorch on the CPU with
2 threads (torch.set_num_threads(2)):

  torchcsr/<pattern>/<R>x<C>/<N>   yT = torch.mm(W_csr, xT): W as a
                                   torch.sparse_csr tensor (every pattern
                                   stored as CSR: Debian's PyTorch has no BSR
                                   matmul without MKL), xT contiguous (C x N,
                                   prepared outside the timing: its fastest
                                   layout; from x it is 4-8x slower)
  torchdense/dense/<R>x<C>/<N>     y = torch.nn.functional.linear(x, W)
                                   (for reference; the table's "best dense"
                                   is oneDNN or OpenBLAS)

Weights are drawn with the same kinds and densities as spmm_bench (not the
same numbers); with --check every result is compared with a float64
product of the same operands and rel_err = max |y - ref| / max |ref| is
recorded (over --check-bound: reported as an error, not timed).

Prints Google Benchmark-style JSON on stdout (name, real_time in ms, nnz,
rel_err, error_occurred / error_message).

usage: torch_spmm.py [--min-time S] [--check] [--check-bound B]
                     [--shapes 768x768,...] [--tokens 128,512]
                     [--patterns dense,csr_10,...]
"""

import argparse
import json
import sys
import time
import warnings
import zlib

try:
    import numpy as np
    import torch
except ImportError:  # the table script reports the peer as missing
    print(json.dumps({"context": {"torch": "missing"}, "benchmarks": []}))
    sys.exit(0)

PATTERNS = ["dense", "csr_50", "csr_20", "csr_10", "csr_5", "bsr4_20",
            "bsr4_10", "nm2_4", "nm4_8"]


def make_weight(pattern, R, C, seed):
    rng = np.random.default_rng(seed)
    vals = rng.uniform(-1.0, 1.0, (R, C)).astype(np.float32)
    if pattern == "dense":
        return vals
    kind, arg = pattern.split("_")
    if kind == "csr":
        mask = rng.uniform(size=(R, C)) < int(arg) / 100.0
    elif kind == "bsr4":
        blocks = rng.uniform(size=(R // 4, C // 4)) < int(arg) / 100.0
        mask = np.kron(blocks, np.ones((4, 4), dtype=bool))
    else:  # nmN_M
        n, m = int(kind[2:]), int(arg)
        keys = rng.uniform(size=(R, C // m, m))
        ranks = keys.argsort(axis=2).argsort(axis=2)
        mask = (ranks < n).reshape(R, C)
    return np.where(mask, vals, np.float32(0.0))


def timed(fn, min_time):
    """ms per call: one warm-up call, then calls until min_time seconds and
    at least 3 calls have passed."""
    fn()
    n, start = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time and n >= 3:
            return elapsed / n * 1e3


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--min-time", type=float, default=0.2)
    p.add_argument("--check", action="store_true")
    p.add_argument("--check-bound", type=float, default=1e-4)
    p.add_argument("--shapes", default="768x768,3072x768,768x3072")
    p.add_argument("--tokens", default="128,512")
    p.add_argument("--patterns", default=",".join(PATTERNS))
    args = p.parse_args()
    torch.set_num_threads(2)
    warnings.filterwarnings("ignore", message="Sparse CSR tensor support")
    shapes = [tuple(int(v) for v in s.split("x")) for s in args.shapes.split(",")]
    tokens = [int(t) for t in args.tokens.split(",")]
    patterns = [q for q in args.patterns.split(",") if q]
    out = []
    with torch.no_grad():
        for (R, C) in shapes:
            for N in tokens:
                x_np = np.random.default_rng(12345).uniform(
                    -1.0, 1.0, (N, C)).astype(np.float32)
                x = torch.from_numpy(x_np)
                xT = x.t().contiguous()
                for pat in patterns:
                    seed = zlib.crc32(("%s/%dx%d" % (pat, R, C)).encode())
                    W_np = make_weight(pat, R, C, seed)
                    nnz = int(np.count_nonzero(W_np))
                    W = torch.from_numpy(W_np)
                    if pat == "dense":
                        name = "torchdense/dense/%dx%d/%d" % (R, C, N)
                        fn = lambda: torch.nn.functional.linear(x, W)
                        transposed = False
                    else:
                        name = "torchcsr/%s/%dx%d/%d" % (pat, R, C, N)
                        Wc = W.to_sparse_csr()
                        fn = lambda: torch.mm(Wc, xT)
                        transposed = True
                    rec = {"name": name, "run_name": name, "run_type": "iteration",
                           "time_unit": "ms", "nnz": nnz}
                    if args.check:
                        ref = W_np.astype(np.float64) @ x_np.T.astype(np.float64)
                        got = fn().numpy().astype(np.float64)
                        if not transposed:
                            got = got.T
                        err = float(np.abs(got - ref).max() / max(np.abs(ref).max(), 1e-30))
                        if not np.isfinite(got).all():
                            err = float("inf")
                        rec["rel_err"] = err
                        if not err <= args.check_bound:
                            rec["error_occurred"] = True
                            rec["error_message"] = (
                                "wrong result: max |y - ref| / max |ref| = %.3g > %.3g"
                                % (err, args.check_bound))
                            out.append(rec)
                            continue
                    ms = timed(fn, args.min_time)
                    rec["real_time"] = ms
                    rec["GFLOPs"] = 2.0 * N * nnz / (ms * 1e-3) * 1e-9
                    out.append(rec)
    ctx = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    print(json.dumps({"context": ctx, "benchmarks": out}))


if __name__ == "__main__":
    main()
