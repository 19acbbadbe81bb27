#!/usr/bin/python3
"""Train a tiny character-level GPT-2 on Debian's `fortunes` databases.

The model is written from scratch in torch (no `transformers`) and is saved in
the exact Hugging Face GPT-2 checkpoint layout (config.json + model.safetensors
with the hub tensor names `wte.weight`, `h.0.attn.c_attn.weight`, ... and
Conv1D [in, out] weight layout), so that tools which read the official `gpt2`
checkpoint can read this one too.  It is used by sxf to measure the accuracy
(perplexity) of pruning methods.

Usage (needs Debian's python3-torch and fortunes packages):

    apt-get install -y --no-install-recommends python3-torch fortunes
    /usr/bin/python3 scripts/train_tiny_gpt2.py --out models/fortunes-gpt2

Deterministic given --seed (single thread, CPU, deterministic algorithms).
"""

import argparse
import importlib.util
import json
import math
import os
import struct
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fortunes_corpus import read_fortunes, join_fortunes, split_fortunes  # noqa: E402
import torch
import torch.nn as nn
import torch.nn.functional as F

FORTUNE_DIR = "/usr/share/games/fortunes"

# Model sizes (fixed by the brief; see README).
N_EMBD = 128
N_HEAD = 4
N_LAYER = 4
N_INNER = 512
N_POSITIONS = 64
LN_EPS = 1e-5

EVAL_FRACTION = 0.05
EVAL_TEXT_CAP = 40000        # characters of held-out text written to eval.txt
EVAL_MAX_WINDOWS = 256
CALIB_WINDOWS = 128


# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------

# ----------------------------------------------------------------------------
# Model: GPT-2 written from scratch.  Linear maps are stored in the HF Conv1D
# layout ([in, out], y = x @ W + b) so they export without transposition.
# ----------------------------------------------------------------------------

class Conv1D(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.zeros(n_out))
        nn.init.normal_(self.weight, mean=0.0, std=0.02)

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.shape[-1]),
                           self.weight).reshape(*x.shape[:-1], -1)


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(
        math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = Conv1D(N_EMBD, 3 * N_EMBD)   # columns q | k | v
        self.c_proj = Conv1D(N_EMBD, N_EMBD)
        mask = torch.tril(torch.ones(N_POSITIONS, N_POSITIONS, dtype=torch.bool))
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x):
        B, S, H = x.shape
        d = H // N_HEAD
        q, k, v = self.c_attn(x).split(H, dim=-1)
        q = q.view(B, S, N_HEAD, d).transpose(1, 2)
        k = k.view(B, S, N_HEAD, d).transpose(1, 2)
        v = v.view(B, S, N_HEAD, d).transpose(1, 2)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(d)
        att = att.masked_fill(~self.mask[:S, :S], float("-inf"))
        att = torch.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, S, H)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_fc = Conv1D(N_EMBD, N_INNER)
        self.c_proj = Conv1D(N_INNER, N_EMBD)

    def forward(self, x):
        return self.c_proj(gelu_new(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(N_EMBD, eps=LN_EPS)
        self.attn = Attention()
        self.ln_2 = nn.LayerNorm(N_EMBD, eps=LN_EPS)
        self.mlp = MLP()

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT2(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, N_EMBD)
        self.wpe = nn.Embedding(N_POSITIONS, N_EMBD)
        self.h = nn.ModuleList([Block() for _ in range(N_LAYER)])
        self.ln_f = nn.LayerNorm(N_EMBD, eps=LN_EPS)
        nn.init.normal_(self.wte.weight, mean=0.0, std=0.02)
        nn.init.normal_(self.wpe.weight, mean=0.0, std=0.01)
        # GPT-2 scales the residual output projections by 1/sqrt(2 n_layer).
        for blk in self.h:
            for p in (blk.attn.c_proj.weight, blk.mlp.c_proj.weight):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * N_LAYER))

    def forward(self, ids):
        S = ids.shape[1]
        pos = torch.arange(S, device=ids.device)
        x = self.wte(ids) + self.wpe(pos)[None]
        for blk in self.h:
            x = blk(x)
        x = self.ln_f(x)
        return x @ self.wte.weight.t()          # tied LM head, no bias


def window_nll(model, windows, batch=64):
    """Mean next-token NLL over positions 0..S-2 of each window (nats)."""
    total, count = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(windows), batch):
            ids = windows[i:i + batch]
            logits = model(ids)[:, :-1]
            tgt = ids[:, 1:]
            nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).double(),
                                  tgt.reshape(-1), reduction="sum")
            total += nll.item()
            count += tgt.numel()
    return total / count


# ----------------------------------------------------------------------------
# Export
# ----------------------------------------------------------------------------

def hf_state_dict(model):
    """Tensors under the exact GPT-2 hub names (no 'transformer.' prefix)."""
    out = {}
    for name, p in model.state_dict().items():
        out[name] = p.detach().to(torch.float32).contiguous().cpu().numpy()
    # Sanity: exactly the expected names.
    expected = {"wte.weight", "wpe.weight", "ln_f.weight", "ln_f.bias"}
    for i in range(N_LAYER):
        for s in ("ln_1.weight", "ln_1.bias", "ln_2.weight", "ln_2.bias",
                  "attn.c_attn.weight", "attn.c_attn.bias",
                  "attn.c_proj.weight", "attn.c_proj.bias",
                  "mlp.c_fc.weight", "mlp.c_fc.bias",
                  "mlp.c_proj.weight", "mlp.c_proj.bias"):
            expected.add(f"h.{i}.{s}")
    assert set(out) == expected, sorted(set(out) ^ expected)
    return out


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    names = sorted(tensors)
    for n in names:
        a = tensors[n]
        assert a.dtype == np.float32
        nbytes = a.size * 4
        header[n] = {"dtype": "F32", "shape": list(a.shape),
                     "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((-len(hjson)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for n in names:
            f.write(np.ascontiguousarray(tensors[n], dtype="<f4").tobytes())


def windows_of(ids, S, max_windows):
    n = min(len(ids) // S, max_windows)
    return np.asarray(ids[:n * S], dtype=np.int32).reshape(n, S)


# ----------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="models/fortunes-gpt2")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--min-lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--fortune-dir", default=FORTUNE_DIR)
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(args.seed)
    rng = np.random.RandomState(args.seed)

    # ---- data ---------------------------------------------------------------
    files, fortunes = read_fortunes(args.fortune_dir)
    chars = sorted(set("".join(fortunes)) | {"%", "\n"})
    stoi = {c: i for i, c in enumerate(chars)}
    V = len(chars)

    eval_idx, train_idx = split_fortunes(len(fortunes), rng, EVAL_FRACTION)
    n_eval = len(eval_idx)
    train_text = join_fortunes([fortunes[i] for i in train_idx])
    eval_full = join_fortunes([fortunes[i] for i in eval_idx])
    # eval.txt: held-out fortunes (shuffled order), cut at a fortune boundary.
    eval_text = ""
    for i in eval_idx:
        piece = fortunes[i] + "%\n"
        if len(eval_text) + len(piece) > EVAL_TEXT_CAP:
            break
        eval_text += piece

    train_ids = np.array([stoi[c] for c in train_text], dtype=np.int64)
    eval_full_ids = np.array([stoi[c] for c in eval_full], dtype=np.int64)
    eval_ids = [stoi[c] for c in eval_text]
    S = N_POSITIONS
    eval_windows = windows_of(eval_ids, S, EVAL_MAX_WINDOWS)
    eval_full_windows = windows_of(eval_full_ids, S, 1 << 30)
    calib_starts = rng.randint(0, len(train_ids) - S, size=CALIB_WINDOWS)
    calib_windows = np.stack([train_ids[s:s + S] for s in calib_starts]).astype(np.int32)

    counts = np.bincount(train_ids, minlength=V).astype(np.float64) + 1.0
    logp = np.log(counts / counts.sum())
    unigram_ppl = math.exp(-logp[eval_full_ids].mean())

    print(f"files: {len(files)}  fortunes: {len(fortunes)}  "
          f"train: {len(fortunes) - n_eval} ({len(train_text)} chars)  "
          f"eval: {n_eval} ({len(eval_full)} chars; eval.txt {len(eval_text)} chars, "
          f"{len(eval_windows)} windows)  vocab: {V}", flush=True)
    print(f"unigram eval perplexity: {unigram_ppl:.3f}", flush=True)

    # ---- model --------------------------------------------------------------
    model = GPT2(V)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {n_params}", flush=True)

    decay = [p for n, p in model.named_parameters()
             if p.dim() == 2 and n != "wpe.weight"]
    no_decay = [p for n, p in model.named_parameters()
                if not (p.dim() == 2 and n != "wpe.weight")]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8)

    def lr_at(step):
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        t = (step - args.warmup) / max(1, args.steps - args.warmup)
        return args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * t))

    train_t = torch.from_numpy(train_ids)
    ev_t = torch.from_numpy(eval_windows.astype(np.int64))
    ev_full_t = torch.from_numpy(eval_full_windows.astype(np.int64))
    offs = torch.arange(S + 1)

    t0 = time.time()
    recent = []
    for step in range(args.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        starts = torch.from_numpy(rng.randint(0, len(train_ids) - S - 1, size=args.batch))
        chunk = train_t[starts[:, None] + offs[None, :]]
        x, y = chunk[:, :-1], chunk[:, 1:]
        model.train()
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        recent.append(loss.item())
        recent = recent[-100:]
        if (step + 1) % args.eval_every == 0 or step == 0 or step + 1 == args.steps:
            model.eval()
            ev = window_nll(model, ev_t)
            el = time.time() - t0
            print(f"step {step + 1:5d}/{args.steps}  lr {lr_at(step):.2e}  "
                  f"train loss(avg100) {sum(recent) / len(recent):.4f}  "
                  f"eval nll {ev:.4f} ppl {math.exp(ev):.3f}  "
                  f"[{el:.0f}s, {el / (step + 1):.3f}s/step]", flush=True)
    train_time = time.time() - t0
    final_train_loss = sum(recent) / len(recent)

    model.eval()
    eval_nll = window_nll(model, ev_t)
    eval_full_nll = window_nll(model, ev_full_t)
    calib_nll = window_nll(model, torch.from_numpy(calib_windows.astype(np.int64)))
    model64 = GPT2(V).double()
    model64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    model64.eval()
    eval_nll64 = window_nll(model64, ev_t)
    print(f"final: train loss(avg last 100 steps) {final_train_loss:.4f}  "
          f"calib-window nll {calib_nll:.4f}", flush=True)
    print(f"eval_tokens.npy perplexity (torch f32): {math.exp(eval_nll):.6f}", flush=True)
    print(f"eval_tokens.npy perplexity (torch f64): {math.exp(eval_nll64):.6f}", flush=True)
    print(f"full held-out split perplexity ({len(eval_full_windows)} windows): "
          f"{math.exp(eval_full_nll):.4f}", flush=True)

    # ---- write --------------------------------------------------------------
    out = args.out
    os.makedirs(out, exist_ok=True)
    config = {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "vocab_size": V,
        "n_positions": N_POSITIONS,
        "n_ctx": N_POSITIONS,
        "n_embd": N_EMBD,
        "n_layer": N_LAYER,
        "n_head": N_HEAD,
        "n_inner": N_INNER,
        "activation_function": "gelu_new",
        "layer_norm_epsilon": LN_EPS,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
    }
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(out, "model.safetensors"),
                      hf_state_dict(model), {"format": "pt"})
    with open(os.path.join(out, "vocab.json"), "w") as f:
        json.dump(stoi, f, ensure_ascii=True, indent=0)
        f.write("\n")
    with open(os.path.join(out, "eval.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(eval_text)
    np.save(os.path.join(out, "eval_tokens.npy"), eval_windows.astype(np.int32))
    np.save(os.path.join(out, "calib_tokens.npy"), calib_windows.astype(np.int32))

    # ---- independent cross-check with the NumPy float64 reference ----------
    ref_ppl = None
    ref_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gpt2_reference.py")
    if os.path.exists(ref_path):
        spec = importlib.util.spec_from_file_location("gpt2_reference", ref_path)
        ref = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ref)
        ref_ppl = ref.perplexity(ref.load_model(out),
                                 np.load(os.path.join(out, "eval_tokens.npy")))
        rel = abs(ref_ppl - math.exp(eval_nll)) / math.exp(eval_nll)
        print(f"gpt2_reference.py perplexity: {ref_ppl:.6f}  (rel diff vs torch f32 {rel:.2e})",
              flush=True)

    try:
        pkg = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "fortunes"],
                             capture_output=True, text=True).stdout.strip() or "unknown"
    except OSError:
        pkg = "unknown"

    write_readme(out, dict(
        V=V, n_params=n_params, files=files, n_fortunes=len(fortunes), n_eval=n_eval,
        train_chars=len(train_text), eval_chars=len(eval_full), eval_txt_chars=len(eval_text),
        n_eval_windows=len(eval_windows), n_eval_full_windows=len(eval_full_windows),
        unigram_ppl=unigram_ppl, seed=args.seed, steps=args.steps, batch=args.batch,
        lr=args.lr, min_lr=args.min_lr, warmup=args.warmup, wd=args.weight_decay,
        train_time=train_time, final_train_loss=final_train_loss, calib_nll=calib_nll,
        eval_ppl=math.exp(eval_nll), eval_ppl64=math.exp(eval_nll64),
        eval_full_ppl=math.exp(eval_full_nll), ref_ppl=ref_ppl, pkg=pkg,
        torch_version=torch.__version__))
    print(f"wrote {out}", flush=True)


def write_readme(out, d):
    ref = (f"{d['ref_ppl']:.6f}" if d["ref_ppl"] is not None else "(not run)")
    layer_rows = "\n".join([
        "| `h.{i}.ln_1.weight`, `h.{i}.ln_1.bias` | [128] | |",
        "| `h.{i}.attn.c_attn.weight` | [128, 384] | Conv1D: `y = x @ W + b`; columns q \\| k \\| v, heads contiguous (4 x 32) inside each |",
        "| `h.{i}.attn.c_attn.bias` | [384] | |",
        "| `h.{i}.attn.c_proj.weight` | [128, 128] | Conv1D |",
        "| `h.{i}.attn.c_proj.bias` | [128] | |",
        "| `h.{i}.ln_2.weight`, `h.{i}.ln_2.bias` | [128] | |",
        "| `h.{i}.mlp.c_fc.weight` | [128, 512] | Conv1D |",
        "| `h.{i}.mlp.c_fc.bias` | [512] | |",
        "| `h.{i}.mlp.c_proj.weight` | [512, 128] | Conv1D |",
        "| `h.{i}.mlp.c_proj.bias` | [128] | |",
    ])
    text = f"""# fortunes-gpt2: a tiny trained character-level GPT-2

A small causal transformer in the exact Hugging Face GPT-2 checkpoint layout,
trained from scratch on the fortune cookie databases shipped by Debian's
`fortunes` package. sxf uses it to measure the accuracy (perplexity) of pruning
methods on a model that has actually learned something.

- Architecture: GPT-2 (learned token + position embeddings, pre-LayerNorm
  blocks, causal multi-head attention, MLP with `gelu_new` (tanh GELU), final
  LayerNorm, LM head tied to `wte`, biases everywhere, LayerNorm eps 1e-5).
- Sizes: n_embd=128, n_head=4, n_layer=4, n_inner=512, n_positions=64,
  vocab_size={d['V']} (characters). {d['n_params']} parameters. No dropout.
- Tokenizer: one token per Unicode character. `vocab.json` maps each character
  to its id; ids are the indices of all characters seen in the corpus, sorted
  by code point. There are no special tokens (no BOS/EOS); fortunes are
  separated by a line holding only `%`, as in the fortune files.

## Files

| file | content |
| --- | --- |
| `config.json` | HF GPT-2 config (`GPT2LMHeadModel`, `tie_word_embeddings: true`) |
| `model.safetensors` | F32 weights, GPT-2 hub names (no `transformer.` prefix, no `lm_head`) |
| `vocab.json` | character -> id |
| `eval.txt` | {d['eval_txt_chars']} characters of held-out fortunes (UTF-8) |
| `eval_tokens.npy` | int32 [{d['n_eval_windows']}, 64]: non-overlapping 64-character windows of `eval.txt` (remainder dropped) |
| `calib_tokens.npy` | int32 [128, 64]: windows drawn (seeded) from the training text, for pruning calibration |

## Tensor layout (`model.safetensors`)

| name | shape | note |
| --- | --- | --- |
| `wte.weight` | [{d['V']}, 128] | token embedding, also the LM head (`logits = ln_f(x) @ wte.weight.T`) |
| `wpe.weight` | [64, 128] | position embedding |
{layer_rows}
| `ln_f.weight`, `ln_f.bias` | [128] | |

`{{i}}` runs over 0..3. All tensors are little-endian float32; the header
carries `"__metadata__": {{"format": "pt"}}`.

## Perplexity definition

For each window of `eval_tokens.npy`, the model sees the 64 tokens at once
(positions 0..63) and predicts token t+1 from tokens 0..t for t = 0..62.
Perplexity = exp(mean NLL over all windows and those 63 positions).
`scripts/gpt2_reference.py` (an independent NumPy float64 implementation)
computes it:

    /usr/bin/python3 scripts/gpt2_reference.py models/fortunes-gpt2 --ppl

## Training

    apt-get install -y --no-install-recommends python3-torch fortunes
    /usr/bin/python3 scripts/train_tiny_gpt2.py --out models/fortunes-gpt2

- Data: {len(d['files'])} fortune files in `/usr/share/games/fortunes/`
  (`.dat` index files, `.u8` symlinks and any `off/` directory skipped),
  {d['n_fortunes']} fortunes. A seeded permutation puts {d['n_eval']} fortunes (5%)
  in the held-out split ({d['eval_chars']} characters) and the rest in training
  ({d['train_chars']} characters). `eval.txt` is the start of the held-out split,
  cut at a fortune boundary.
- Seed {d['seed']}; {d['steps']} steps of AdamW (betas 0.9/0.95, weight decay {d['wd']} on
  matrices except `wpe`), batch {d['batch']} random 65-character windows of the
  training text, LR {d['lr']:g} with {d['warmup']} warmup steps and cosine decay to
  {d['min_lr']:g}, gradient clipping 1.0. One CPU thread, torch {d['torch_version']}
  (Debian's python3-torch), deterministic algorithms.
- Wall time: {d['train_time']:.0f} s of training ({d['train_time'] / d['steps']:.3f} s/step).
- Final train loss (mean of the last 100 steps): {d['final_train_loss']:.4f} nats/char;
  NLL on `calib_tokens.npy`: {d['calib_nll']:.4f}.
- Unigram perplexity of the held-out split (add-one smoothed): {d['unigram_ppl']:.3f}.
- Perplexity on `eval_tokens.npy`: {d['eval_ppl']:.6f} (torch float32),
  {d['eval_ppl64']:.6f} (torch float64), {ref} (`gpt2_reference.py`, NumPy float64).
- Perplexity on the whole held-out split ({d['n_eval_full_windows']} windows): {d['eval_full_ppl']:.4f}.

## License

The training text comes from Debian's `fortunes` package, version {d['pkg']}
(`dpkg-query -W fortunes`), files in `/usr/share/games/fortunes/`. These
fortune cookie collections are traditionally treated as public domain /
freely redistributable; the package itself is distributed under the BSD
license stated in `/usr/share/doc/fortunes/copyright`. `eval.txt` is a verbatim
excerpt of those files. The weights and the scripts are part of sxf.
"""
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
