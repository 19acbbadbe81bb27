"""Makes small random Hugging Face GPT-2 / BERT checkpoints and runs them.

  hf_checkpoint.py make gpt2|bert DIR SEED [--prefix P] [--drop NAME]
                   [--reshape NAME] [--config KEY=JSON ...] [--lm-head 1]
                   [--add NAME] [--unset KEY]
  hf_checkpoint.py forward DIR ids.npy out.npy

`make` writes config.json and model.safetensors in the Hub layout (GPT-2
Conv1D weights [in, out] with q|k|v fused in c_attn; BERT nn.Linear weights
[out, in], token-type embeddings, pooler). `forward` is an independent
float64 NumPy implementation over that layout (the HF modelling code's
math), used to check sparse-import end to end. --drop/--reshape/--config
make malformed checkpoints for the error tests. --lm-head 1 adds a GPT-2
LM head of its own, "lm_head.weight" [vocab, n_embd], stored without the
prefix as GPT2LMHeadModel saves it; `forward` uses it when the config says
tie_word_embeddings=false, and the token embedding otherwise (what HF does).
--add NAME adds a small tensor NAME, unprefixed (a task head); --unset KEY
leaves KEY out of config.json (HF's default applies).
"""
import json
import math
import os
import struct
import sys

import numpy as np


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, arr in tensors.items():
        data = np.ascontiguousarray(arr, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read_safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + b:8 + n + end], "<f4").astype(np.float64).reshape(e["shape"])
    return out


GPT2 = dict(model_type="gpt2", architectures=["GPT2LMHeadModel"], n_embd=24, n_head=3,
            n_layer=2, n_positions=12, n_ctx=12, vocab_size=29, n_inner=None,
            activation_function="gelu_new", layer_norm_epsilon=1e-5, tie_word_embeddings=True)
BERT = dict(model_type="bert", architectures=["BertModel"], hidden_size=20, num_attention_heads=4,
            num_hidden_layers=2, max_position_embeddings=10, vocab_size=23, intermediate_size=36,
            type_vocab_size=2, hidden_act="gelu", layer_norm_eps=1e-12)


def make(kind, out, seed, prefix, drop, reshape, overrides, lm_head=False, add=(), unset=()):
    rng = np.random.default_rng(seed)
    r = lambda *s: rng.normal(0, 0.3, size=s)
    cfg = dict(GPT2 if kind == "gpt2" else BERT)
    t = {}
    if kind == "gpt2":
        h, l, v, p = cfg["n_embd"], cfg["n_layer"], cfg["vocab_size"], cfg["n_positions"]
        f = 4 * h
        t["wte.weight"], t["wpe.weight"] = r(v, h), r(p, h)
        for i in range(l):
            q = "h.%d." % i
            t[q + "ln_1.weight"], t[q + "ln_1.bias"] = 1 + r(h), r(h)
            t[q + "attn.bias"] = np.tril(np.ones((1, 1, p, p)))  # HF mask buffer
            t[q + "attn.c_attn.weight"], t[q + "attn.c_attn.bias"] = r(h, 3 * h), r(3 * h)
            t[q + "attn.c_proj.weight"], t[q + "attn.c_proj.bias"] = r(h, h), r(h)
            t[q + "ln_2.weight"], t[q + "ln_2.bias"] = 1 + r(h), r(h)
            t[q + "mlp.c_fc.weight"], t[q + "mlp.c_fc.bias"] = r(h, f), r(f)
            t[q + "mlp.c_proj.weight"], t[q + "mlp.c_proj.bias"] = r(f, h), r(h)
        t["ln_f.weight"], t["ln_f.bias"] = 1 + r(h), r(h)
    else:
        h, l, v, p, f = (cfg["hidden_size"], cfg["num_hidden_layers"], cfg["vocab_size"],
                         cfg["max_position_embeddings"], cfg["intermediate_size"])
        e = "embeddings."
        t[e + "word_embeddings.weight"], t[e + "position_embeddings.weight"] = r(v, h), r(p, h)
        t[e + "token_type_embeddings.weight"] = r(2, h)
        t[e + "LayerNorm.weight"], t[e + "LayerNorm.bias"] = 1 + r(h), r(h)
        for i in range(l):
            q = "encoder.layer.%d." % i
            for n in ["attention.self.query", "attention.self.key", "attention.self.value",
                      "attention.output.dense"]:
                t[q + n + ".weight"], t[q + n + ".bias"] = r(h, h), r(h)
            t[q + "attention.output.LayerNorm.weight"] = 1 + r(h)
            t[q + "attention.output.LayerNorm.bias"] = r(h)
            t[q + "intermediate.dense.weight"], t[q + "intermediate.dense.bias"] = r(f, h), r(f)
            t[q + "output.dense.weight"], t[q + "output.dense.bias"] = r(h, f), r(h)
            t[q + "output.LayerNorm.weight"], t[q + "output.LayerNorm.bias"] = 1 + r(h), r(h)
        t["pooler.dense.weight"], t["pooler.dense.bias"] = r(h, h), r(h)
    for name in drop:
        del t[name]
    for name in reshape:
        t[name] = t[name][..., :-1]
    for kv in overrides:
        k, val = kv.split("=", 1)
        cfg[k] = json.loads(val)
    for k in unset:
        del cfg[k]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w") as fh:
        json.dump(cfg, fh, indent=1)
    tensors = {prefix + k: x for k, x in t.items()}
    if lm_head:
        tensors["lm_head.weight"] = r(cfg["vocab_size"], cfg["n_embd"])
    for name in add:
        tensors[name] = r(3)
    write_safetensors(os.path.join(out, "model.safetensors"), tensors)


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(((x - mu) ** 2).mean(-1, keepdims=True) + eps) * g + b


def attention(q, k, v, heads, causal):
    bsz, s, h = q.shape
    d = h // heads
    out = np.zeros_like(q)
    for i in range(heads):
        sl = slice(i * d, (i + 1) * d)
        sc = q[..., sl] @ k[..., sl].transpose(0, 2, 1) / math.sqrt(d)
        if causal:
            sc = np.where(np.triu(np.ones((s, s), bool), 1), -np.inf, sc)
        sc = np.exp(sc - sc.max(-1, keepdims=True))
        out[..., sl] = (sc / sc.sum(-1, keepdims=True)) @ v[..., sl]
    return out


def forward(d, ids_path, out_path):
    cfg = json.load(open(os.path.join(d, "config.json")))
    t = read_safetensors(os.path.join(d, "model.safetensors"))
    for p in ("transformer.", "bert."):
        t = {k[len(p):] if k.startswith(p) else k: v for k, v in t.items()}
    ids = np.load(ids_path).astype(np.int64)
    s = ids.shape[1]
    if cfg["model_type"] == "gpt2":
        h, eps = cfg["n_embd"], cfg["layer_norm_epsilon"]
        gelu = lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
        x = t["wte.weight"][ids] + t["wpe.weight"][:s]
        for i in range(cfg["n_layer"]):
            q = "h.%d." % i
            a = layer_norm(x, t[q + "ln_1.weight"], t[q + "ln_1.bias"], eps)
            qkv = a @ t[q + "attn.c_attn.weight"] + t[q + "attn.c_attn.bias"]
            att = attention(qkv[..., :h], qkv[..., h:2 * h], qkv[..., 2 * h:], cfg["n_head"], True)
            x = x + att @ t[q + "attn.c_proj.weight"] + t[q + "attn.c_proj.bias"]
            a = layer_norm(x, t[q + "ln_2.weight"], t[q + "ln_2.bias"], eps)
            m = gelu(a @ t[q + "mlp.c_fc.weight"] + t[q + "mlp.c_fc.bias"])
            x = x + m @ t[q + "mlp.c_proj.weight"] + t[q + "mlp.c_proj.bias"]
        x = layer_norm(x, t["ln_f.weight"], t["ln_f.bias"], eps)
        untied = cfg.get("tie_word_embeddings", True) is False
        y = x @ t["lm_head.weight" if untied else "wte.weight"].T
    else:
        eps = cfg["layer_norm_eps"]
        erf = np.vectorize(math.erf)
        gelu = lambda x: 0.5 * x * (1 + erf(x / math.sqrt(2)))
        e = "embeddings."
        x = (t[e + "word_embeddings.weight"][ids] + t[e + "position_embeddings.weight"][:s]
             + t[e + "token_type_embeddings.weight"][0])
        x = layer_norm(x, t[e + "LayerNorm.weight"], t[e + "LayerNorm.bias"], eps)
        lin = lambda a, n: a @ t[n + ".weight"].T + t[n + ".bias"]
        for i in range(cfg["num_hidden_layers"]):
            q = "encoder.layer.%d." % i
            att = attention(lin(x, q + "attention.self.query"), lin(x, q + "attention.self.key"),
                            lin(x, q + "attention.self.value"), cfg["num_attention_heads"], False)
            x = layer_norm(x + lin(att, q + "attention.output.dense"),
                           t[q + "attention.output.LayerNorm.weight"],
                           t[q + "attention.output.LayerNorm.bias"], eps)
            m = lin(gelu(lin(x, q + "intermediate.dense")), q + "output.dense")
            x = layer_norm(x + m, t[q + "output.LayerNorm.weight"], t[q + "output.LayerNorm.bias"], eps)
        y = x
    np.save(out_path, y.astype(np.float32))


def main():
    a = sys.argv[1:]
    if a[0] == "make":
        kind, out, seed = a[1], a[2], int(a[3])
        prefix, drop, reshape, overrides, lm_head, add, unset, i = "", [], [], [], False, [], [], 4
        while i < len(a):
            flag, val = a[i], a[i + 1]
            if flag == "--prefix":
                prefix = val
            elif flag == "--drop":
                drop.append(val)
            elif flag == "--reshape":
                reshape.append(val)
            elif flag == "--config":
                overrides.append(val)
            elif flag == "--lm-head":
                lm_head = val == "1"
            elif flag == "--add":
                add.append(val)
            elif flag == "--unset":
                unset.append(val)
            else:
                sys.exit("unknown option " + flag)
            i += 2
        make(kind, out, seed, prefix, drop, reshape, overrides, lm_head, add, unset)
    elif a[0] == "forward":
        forward(a[1], a[2], a[3])


if __name__ == "__main__":
    main()
