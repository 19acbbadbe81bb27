"""An independent NumPy (float64) implementation of the models sparse-gen builds.

Reads the weights from the safetensors file with plain json/numpy, runs the
forward pass, and writes the expected output as .npy, so that a lit test can
check the reference interpreter against it (sparse-run --check-against).

usage: numpy_forward.py --arch gpt|bert --heads H --weights W.safetensors
                        --ids ids.npy --out OUT.npy
       numpy_forward.py --make-ids SHAPE VOCAB SEED OUT.npy
"""
import argparse
import json
import math
import struct

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def load_safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    tensors = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        raw = data[8 + n + b:8 + n + end]
        if e["dtype"] == "BF16":
            u16 = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            arr = u16.view(np.float32)
        else:
            arr = np.frombuffer(raw, dtype=np.dtype(DTYPES[e["dtype"]]).newbyteorder("<"))
        tensors[name] = arr.astype(np.float64).reshape(e["shape"])
    return tensors


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def linear(x, w, b=None):
    y = x @ w.T
    return y + b if b is not None else y


def attention(q, k, v, heads, causal):
    bsz, s, h = q.shape
    t = k.shape[1]
    d = h // heads
    out = np.zeros_like(q)
    for hd in range(heads):
        sl = slice(hd * d, (hd + 1) * d)
        scores = q[:, :, sl] @ k[:, :, sl].transpose(0, 2, 1) / math.sqrt(d)
        if causal:
            mask = np.arange(t)[None, :] > (np.arange(s)[:, None] + (t - s))
            scores = np.where(mask, -np.inf, scores)
        scores = scores - scores.max(-1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(-1, keepdims=True)
        out[:, :, sl] = p @ v[:, :, sl]
    return out


def forward(w, ids, arch, heads):
    bert = arch == "bert"
    eps = 1e-12 if bert else 1e-5
    x = w["embed.tokens.weight"][ids] + w["embed.positions.weight"][: ids.shape[1]]
    if bert:
        x = layer_norm(x, w["embed.ln.weight"], w["embed.ln.bias"], eps)
    l = 0
    while "layers.%d.attn.q.weight" % l in w:
        p = lambda n: w["layers.%d.%s" % (l, n)]
        proj = lambda a, n: linear(a, p(n + ".weight"), p(n + ".bias"))
        if bert:
            a = attention(proj(x, "attn.q"), proj(x, "attn.k"), proj(x, "attn.v"), heads, False)
            h = layer_norm(x + proj(a, "attn.o"), p("ln1.weight"), p("ln1.bias"), eps)
            f = proj(gelu(proj(h, "ffn.fc1")), "ffn.fc2")
            x = layer_norm(h + f, p("ln2.weight"), p("ln2.bias"), eps)
        else:
            n = layer_norm(x, p("ln1.weight"), p("ln1.bias"), eps)
            a = attention(proj(n, "attn.q"), proj(n, "attn.k"), proj(n, "attn.v"), heads, True)
            h = x + proj(a, "attn.o")
            n = layer_norm(h, p("ln2.weight"), p("ln2.bias"), eps)
            x = h + proj(gelu_tanh(proj(n, "ffn.fc1")), "ffn.fc2")
        l += 1
    if not bert:
        x = layer_norm(x, w["final_ln.weight"], w["final_ln.bias"], eps)
        x = linear(x, w["embed.tokens.weight"])
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--make-ids", nargs=4, metavar=("SHAPE", "VOCAB", "SEED", "OUT"))
    ap.add_argument("--arch")
    ap.add_argument("--heads", type=int)
    ap.add_argument("--weights")
    ap.add_argument("--ids")
    ap.add_argument("--out")
    a = ap.parse_args()
    if a.make_ids:
        shape, vocab, seed, out = a.make_ids
        rng = np.random.default_rng(int(seed))
        dims = tuple(int(d) for d in shape.split("x"))
        np.save(out, rng.integers(0, int(vocab), size=dims).astype(np.int32))
        return
    w = load_safetensors(a.weights)
    ids = np.load(a.ids).astype(np.int64)
    np.save(a.out, forward(w, ids, a.arch, a.heads).astype(np.float32))


if __name__ == "__main__":
    main()
