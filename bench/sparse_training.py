#!/usr/bin/python3
"""Graphcore's dynamic-sparsity finding at small scale (issue 16, item 4).

Trains the fortunes GPT (models/fortunes-gpt2's config: width 128, 4 layers,
4 heads, FFN 512, 64 positions, 113 characters) from scratch with
sparse-train on the fortunes training split, four ways, from the same seed
and data order:

  dense          every weight dense
  static-90      every layer linear (q, k, v, o, fc1, fc2) 90% sparse, a
                 fixed random pattern
  dynamic-90     the same start, then Graphcore's schedule: --updates pattern
                 updates (magnitude prune, random regrowth), prune ratio 0.5
                 decayed by a cosine
  small-dense    a dense model of about the static/dynamic runs' training
                 FLOPs (width 52, 4 heads of 13, FFN 208)

and prints a markdown table of held-out perplexity (models/fortunes-gpt2/
eval_tokens.npy) against training FLOPs (the training step's FLOPs from the
ops' cost interface, stored entries only, times the steps), and plots the
loss curves to a PNG.

Usage (needs Debian's fortunes and python3-matplotlib):
    /usr/bin/python3 bench/sparse_training.py --steps 1500 \\
        --png docs/sparse-training-loss.png --table docs/sparse-training.md
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--updates", type=int, default=160)
    ap.add_argument("--block", default="1")
    ap.add_argument("--small-width", type=int, default=52)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "sparse-training"))
    ap.add_argument("--bin", default=os.path.join(ROOT, os.environ.get("SXF_BUILD_DIR", "build"), "bin"))
    ap.add_argument("--png", default=None)
    ap.add_argument("--table", default=None)
    ap.add_argument("--runs", default="dense,static-90,dynamic-90,small-dense")
    ap.add_argument("--resume", action="store_true",
                    help="reuse finished runs, resume stopped ones")
    args = ap.parse_args()

    model = os.path.join(ROOT, "models", "fortunes-gpt2")
    os.makedirs(args.work, exist_ok=True)
    data = os.path.join(args.work, "data")
    train = os.path.join(data, "train_tokens.npy")
    if not os.path.exists(train):
        run([sys.executable, os.path.join(ROOT, "scripts", "fortunes_data.py"), "--out", data])
    evald = os.path.join(model, "eval_tokens.npy")

    cfg = json.load(open(os.path.join(model, "config.json")))
    small = dict(cfg, n_embd=args.small_width, n_inner=4 * args.small_width)
    small_dir = os.path.join(args.work, "small-config")
    os.makedirs(small_dir, exist_ok=True)
    json.dump(small, open(os.path.join(small_dir, "config.json"), "w"), indent=2)

    common = ["--train-data", train, "--eval-data", evald, "--steps", str(args.steps),
              "--batch", str(args.batch), "--lr", str(args.lr), "--warmup", "50",
              "--seed", str(args.seed), "--eval-every", str(max(1, args.steps // 10)),
              "--log-every", "100"]
    sparse = ["--sparsity", "0.9", "--block", args.block]
    runs = {
        "dense": (model, []),
        "static-90": (model, ["--sparsity-mode", "static"] + sparse),
        "dynamic-90": (model, ["--sparsity-mode", "dynamic", "--updates", str(args.updates)] + sparse),
        "small-dense": (small_dir, []),
    }
    wanted = args.runs.split(",")
    for name in wanted:
        cfg_dir, extra = runs[name]
        out = os.path.join(args.work, name)
        if args.resume and os.path.exists(os.path.join(out, "summary.json")):
            continue
        resume = ["--resume"] if args.resume and os.path.exists(
            os.path.join(out, "checkpoint", "state.json")) else []
        t0 = time.time()
        run([os.path.join(args.bin, "sparse-train"), cfg_dir, "-o", out] + common + extra + resume)
        print(f"{name}: {time.time() - t0:.0f} s", flush=True)

    # Each trained model/ is a Hugging Face checkpoint; with the bundled
    # model's calibration and held-out windows beside it, scripts/demo runs
    # on it (SXF_DEMO_MODEL=<run>/model).
    import shutil
    for name in wanted:
        for f in ("calib_tokens.npy", "eval_tokens.npy", "vocab.json"):
            shutil.copy(os.path.join(model, f), os.path.join(args.work, name, "model", f))

    rows, curves = [], {}
    dense_flops = None
    for name in wanted:
        out = os.path.join(args.work, name)
        s = json.load(open(os.path.join(out, "summary.json")))
        log = [json.loads(l) for l in open(os.path.join(out, "log.jsonl"))]
        curves[name] = ([l["step"] for l in log if "loss" in l], [l["loss"] for l in log if "loss" in l],
                        [(l["step"], l["eval_ppl"]) for l in log if "eval_ppl" in l])
        if name == "dense":
            dense_flops = s["train_flops"]
        rows.append((name, s))

    lines = [f"Fortunes GPT trained from scratch by `sparse-train`: {args.steps} steps of batch "
             f"{args.batch} x 64 characters, AdamW (lr {args.lr:g}, 50 warm-up steps, cosine to 10%, "
             f"weight decay 0.01 on linear weights), clip 1.0, seed {args.seed}; sparse runs: every layer "
             f"linear 90% sparse in {args.block} blocks, dynamic: {args.updates} updates, magnitude "
             "prune and random regrowth, prune ratio 0.5 with cosine decay. Held-out perplexity on "
             "`models/fortunes-gpt2/eval_tokens.npy` (256 windows).", "",
             "| run | stored parameters | training FLOPs | vs dense | final train loss | held-out perplexity | wall time |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, s in rows:
        ratio = s["train_flops"] / dense_flops if dense_flops else float("nan")
        lines.append(f"| {name} | {s['parameters']:,} of {s['dense_parameters']:,} | "
                     f"{s['train_flops']:.3e} | {ratio:.2f}x | {s['final_loss']:.4f} | "
                     f"{s['eval_ppl']:.4f} | {s['seconds']:.0f} s |")
    table = "\n".join(lines)
    print(table)
    if args.table:
        with open(args.table, "w") as f:
            f.write(table + "\n")

    if args.png:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import ScalarFormatter
        fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
        flops = {name: s["step_flops"] for name, s in rows}
        for name, (steps, losses, evals) in curves.items():
            k = 25  # moving average over k steps
            sm = [sum(losses[max(0, i - k + 1):i + 1]) / len(losses[max(0, i - k + 1):i + 1])
                  for i in range(len(losses))]
            a.plot(steps, sm, label=name)
            b.plot([e[0] * flops[name] for e in evals], [e[1] for e in evals], marker="o", label=name)
        a.set_xlabel("step"); a.set_ylabel("training loss (nats/char, 25-step mean)")
        b.set_xlabel("training FLOPs"); b.set_ylabel("held-out perplexity")
        b.set_xscale("log"); b.set_yscale("log")
        b.yaxis.set_major_formatter(ScalarFormatter()); b.yaxis.set_minor_formatter(ScalarFormatter())
        a.legend(); b.legend(); a.grid(alpha=0.3); b.grid(alpha=0.3, which="both")
        fig.suptitle("fortunes GPT from scratch: dense vs 90% static vs 90% dynamic sparsity vs small dense")
        fig.tight_layout()
        fig.savefig(args.png, dpi=110)
        print("wrote", args.png)


if __name__ == "__main__":
    main()
