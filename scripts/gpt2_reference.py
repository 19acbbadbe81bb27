#!/usr/bin/python3
"""Independent NumPy (float64) reference for Hugging Face GPT-2 checkpoints.

Loads `config.json` + `model.safetensors` (GPT-2 hub tensor names, with or
without a "transformer." prefix; Conv1D [in, out] weights; LM head tied to
`wte` unless an `lm_head.weight` is present) and computes logits or the
windowed next-token perplexity.  Needs only NumPy.

    /usr/bin/python3 scripts/gpt2_reference.py models/fortunes-gpt2 --ppl
        prints "perplexity: X" over DIR/eval_tokens.npy: exp of the mean over
        all windows and positions t = 0..S-2 of -log p(tok[t+1] | tok[..t]).
    /usr/bin/python3 scripts/gpt2_reference.py models/fortunes-gpt2 --logits ids.npy out.npy
        ids.npy: integer [B, S] (or [S]); writes float32 logits [B, S, V].
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np

_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4",
           "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dt = info["dtype"]
        if dt == "BF16":
            b, e = info["data_offsets"]
            raw = np.frombuffer(data[base + b:base + e], dtype="<u2").astype(np.uint32) << 16
            arr = raw.view(np.float32)
        else:
            b, e = info["data_offsets"]
            arr = np.frombuffer(data[base + b:base + e], dtype=_DTYPES[dt])
        out[name] = arr.reshape(info["shape"]).astype(np.float64)
    return out


def load_model(model_dir):
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    w = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    w = {(k[len("transformer."):] if k.startswith("transformer.") else k): v
         for k, v in w.items()}
    act = cfg.get("activation_function", "gelu_new")
    if act not in ("gelu_new", "gelu_pytorch_tanh"):
        raise SystemExit(f"unsupported activation_function {act!r}")
    return {"cfg": cfg, "w": w}


def _layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def _gelu_new(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def logits(model, ids):
    """ids: int array [B, S] -> float64 logits [B, S, V]."""
    cfg, w = model["cfg"], model["w"]
    ids = np.asarray(ids, dtype=np.int64)
    if ids.ndim == 1:
        ids = ids[None]
    B, S = ids.shape
    H = cfg["n_embd"]
    nh = cfg["n_head"]
    d = H // nh
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    if S > cfg["n_positions"]:
        raise ValueError(f"sequence length {S} > n_positions {cfg['n_positions']}")
    x = w["wte.weight"][ids] + w["wpe.weight"][np.arange(S)][None]
    causal = np.tril(np.ones((S, S), dtype=bool))
    for i in range(cfg["n_layer"]):
        p = f"h.{i}."
        a = _layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = a @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]   # [B,S,3H]
        q, k, v = qkv[..., :H], qkv[..., H:2 * H], qkv[..., 2 * H:]
        q = q.reshape(B, S, nh, d).transpose(0, 2, 1, 3)
        k = k.reshape(B, S, nh, d).transpose(0, 2, 1, 3)
        v = v.reshape(B, S, nh, d).transpose(0, 2, 1, 3)
        s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d)                      # [B,nh,S,S]
        s = np.where(causal, s, -np.inf)
        s = s - s.max(-1, keepdims=True)
        pr = np.exp(s)
        pr /= pr.sum(-1, keepdims=True)
        o = (pr @ v).transpose(0, 2, 1, 3).reshape(B, S, H)
        x = x + o @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        m = _layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = _gelu_new(m @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        x = x + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    x = _layer_norm(x, w["ln_f.weight"], w["ln_f.bias"], eps)
    head = w.get("lm_head.weight", w["wte.weight"])
    return x @ head.T


def mean_nll(model, windows, batch=32):
    windows = np.asarray(windows, dtype=np.int64)
    total, count = 0.0, 0
    for i in range(0, len(windows), batch):
        ids = windows[i:i + batch]
        lg = logits(model, ids)[:, :-1]                    # predict t+1 from ..t
        lg = lg - lg.max(-1, keepdims=True)
        lse = np.log(np.exp(lg).sum(-1))
        tgt = ids[:, 1:]
        picked = np.take_along_axis(lg, tgt[..., None], axis=-1)[..., 0]
        total += float((lse - picked).sum())
        count += tgt.size
    return total / count


def perplexity(model, windows):
    return math.exp(mean_nll(model, windows))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("--ppl", action="store_true",
                    help="print the perplexity over MODEL_DIR/eval_tokens.npy")
    ap.add_argument("--tokens", help="token windows for --ppl (default: MODEL_DIR/eval_tokens.npy)")
    ap.add_argument("--logits", nargs=2, metavar=("IDS_NPY", "OUT_NPY"),
                    help="write float32 logits [B, S, V] for the int token array IDS_NPY")
    args = ap.parse_args()
    if not args.ppl and not args.logits:
        ap.error("nothing to do: give --ppl and/or --logits IDS OUT")
    model = load_model(args.model_dir)
    if args.logits:
        ids = np.load(args.logits[0])
        np.save(args.logits[1], logits(model, ids).astype(np.float32))
    if args.ppl:
        toks = np.load(args.tokens or os.path.join(args.model_dir, "eval_tokens.npy"))
        print(f"perplexity: {perplexity(model, toks):.6f}")


if __name__ == "__main__":
    main()
