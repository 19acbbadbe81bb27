#!/usr/bin/python3
"""Pruning beyond memory (issue 14, item 5): peak resident memory against
model size when sxf-prune streams its output (`--sxf-prune="... out=F"`).

Generates random GPTs with sparse-gen (which streams its weights file too),
prunes each with sxf-prune writing as it goes, and prints one table: model
parameters, weights file size, method, wall time, peak RSS of the process
(wait4's ru_maxrss of that one child), RSS / file size and, for SparseGPT,
pruned parameters per second. The smallest model is also pruned the old way
(inline values, then --sxf-weights-out) for comparison. Files are deleted
after each model; the free disk is checked first and a model that does not
fit (weights + pruned copy + 2 GiB) is skipped with a note.

Usage: bench/prune_memory.py [--models small,1b,huge] [--samples 16]
                              [--work DIR] [--bin build/bin]
Run it under /work/buildlock and nice on the shared machine.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

# name: (sparse-gen size flags, methods). seq 128 = the calibration length.
MODELS = {
    # GPT-2 small (124 M parameters).
    "small": (["--preset=gpt2-small", "--seq=128"], ["sparsegpt", "magnitude", "inline-sparsegpt"]),
    # ~1.0 B: 18 layers of width 2048, FFN 8192, GPT-2's vocabulary.
    "1b": (["--layers=18", "--hidden=2048", "--heads=16", "--ffn=8192",
            "--vocab=50257", "--seq=128"], ["sparsegpt", "magnitude"]),
    # ~7.0 B (28 GB of f32, more than the 24 GiB machine): 34 layers of
    # width 4096, FFN 16384.
    "huge": (["--layers=34", "--hidden=4096", "--heads=32", "--ffn=16384",
              "--vocab=50257", "--seq=128"], ["magnitude"]),
}


def run(cmd):
    """Runs cmd; returns (seconds, peak RSS bytes of that process)."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("failed (%d): %s" % (os.waitstatus_to_exitcode(status), " ".join(cmd)))
    return seconds, usage.ru_maxrss * 1024


def sizes(flags):
    v = dict(f.lstrip("-").split("=") for f in flags if "=" in f and not f.startswith("--preset"))
    if "--preset=gpt2-small" in flags:
        v = dict(layers=12, hidden=768, ffn=3072, vocab=50257, **{"seq": v.get("seq", 128)})
    return {k: int(x) for k, x in v.items()}


def params(s):
    h, f, L = s["hidden"], s["ffn"], s["layers"]
    per_layer = 4 * (h * h + h) + 2 * h * f + f + h + 4 * h
    total = L * per_layer + s["vocab"] * h + s["seq"] * h + 2 * h
    linear = L * (4 * h * h + 2 * h * f)  # what sxf-prune selects
    return total, linear


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="small,1b,huge")
    ap.add_argument("--samples", type=int, default=16)
    ap.add_argument("--work", default=None)
    ap.add_argument("--bin", default=os.path.join(os.environ.get("SXF_BUILD_DIR", "build"), "bin"))
    args = ap.parse_args()
    gen = os.path.join(args.bin, "sparse-gen")
    opt = os.path.join(args.bin, "sparse-opt")
    work = args.work or tempfile.mkdtemp(prefix="sxf-prune-memory-", dir="/var/tmp")
    os.makedirs(work, exist_ok=True)
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    print("machine: %d cores, %.1f GiB memory; work dir %s; calibration %d x 128 tokens"
          % (os.cpu_count(), mem / 2**30, work, args.samples))
    rows = []
    notes = []
    for name in args.models.split(","):
        flags, methods = MODELS[name]
        s = sizes(flags)
        total, linear = params(s)
        need = 2 * total * 4 + (2 << 30)
        free = shutil.disk_usage(work).free
        if free < need:
            notes.append("%s (%.2f B parameters) skipped: needs %.1f GB free disk, %.1f GB available"
                         % (name, total / 1e9, need / 1e9, free / 1e9))
            print(notes[-1], flush=True)
            continue
        model = os.path.join(work, name + ".mlir")
        secs, rss = run([gen, *flags, "--seed=1", "--primitive", "-o", model])
        size = os.path.getsize(os.path.join(work, name + ".safetensors"))
        rows.append((name, total, size, "sparse-gen (write)", secs, rss, None))
        print(rows[-1], flush=True)
        for method in methods:
            out = os.path.join(work, name + "-pruned.safetensors")
            inline = method.startswith("inline-")
            m = method.replace("inline-", "")
            spec = "method=%s sparsity=0.5" % m
            if m == "sparsegpt":
                spec += " calib=random samples=%d" % args.samples
            if inline:
                cmd = [opt, model, "--sxf-prune=" + spec, "--sxf-weights-out=" + out, "-o", os.devnull]
                label = m + " (inline, then --sxf-weights-out)"
            else:
                cmd = [opt, model, "--sxf-prune=%s out=%s" % (spec, out), "-o", os.devnull]
                label = m + " (out=, streaming)"
            secs, rss = run(cmd)
            rate = linear / secs if m == "sparsegpt" else None
            rows.append((name, total, size, label, secs, rss, rate))
            print(rows[-1], flush=True)
            os.remove(out)
        for ext in (".mlir", ".safetensors"):
            os.remove(os.path.join(work, name + ext))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print("| model | parameters | weights file | run | wall s | peak RSS | RSS / file | SparseGPT params/s |")
    print("|---|---|---|---|---|---|---|---|")
    for name, total, size, label, secs, rss, rate in rows:
        print("| %s | %.3f B | %.2f GB | %s | %.1f | %.2f GB | %.3f | %s |"
              % (name, total / 1e9, size / 1e9, label, secs, rss / 1e9, rss / size,
                 "%.2f M" % (rate / 1e6) if rate else "–"))
    for n in notes:
        print("note:", n)


if __name__ == "__main__":
    main()
