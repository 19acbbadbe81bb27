#!/usr/bin/env python3
"""Seeded size sweep: random model / pipeline configurations through the whole
sxf chain, checking that the stages agree (docs/testing.md).

For each configuration drawn from (--seed, index):

  gen       sparse-gen --arch=gpt|bert with awkward sizes
  pipeline  sparse-opt -verify-each --sxf-pipeline="target=T method=M ..."
            (decompose, prune, eliminate dead structure, select formats, fuse)
  exact     sparse-opt --sxf-decompose --sxf-prune=<the same pruning>
            --sxf-select-format=<the same>: the pipeline's dead-structure
            elimination and fusion must not change the outputs
  interp    sparse-run (reference interpreter) --random-inputs --seed K
  tile/sim  sparse-opt -verify-each --sxf-tile="target=T", then
            sparse-sim --mode=functional (which checks itself against the
            interpreter); its outputs are also compared with interp's here
  cxx       sparse-opt --sxf-lower-to-emitc, sparse-translate --sxf-to-cpp,
            c++ -O2 linking libsxf_rt (--rt-lib), run, and
            sparse-run --check-against the program's outputs

Every failure is printed as one line: a shell command that reproduces it from
scratch, then '#', the stage and the first line of the error. The exit status
is 1 when anything failed. Everything is deterministic from the seed.

Uses only the Python 3 standard library and numpy.
"""

import argparse
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import numpy as np
except ImportError:  # the numpy cross-check is skipped without it
    np = None

SCRIPT = os.path.abspath(__file__)
REPO = os.path.dirname(os.path.dirname(SCRIPT))

TARGETS = ["cpu-host", "ipu-mk2", "ipu-pod16", "rdu-sn10"]
SPARSITIES = [0.5, 0.7, 0.8, 0.9, 0.95, 0.99]
WIDTHS = [200, 256, 257, 384, 509, 512, 768, 1000, 1024]
QUICK_WIDTHS = [24, 30, 36, 40, 60, 96, 100]
QUICK_WIDE = [509, 1000]  # the wide configuration of --quick (index 0)
NM = [(2, 4), (4, 8), (1, 4), (2, 8), (1, 2), (3, 4), (1, 8)]
BLOCKS = [(1, 4), (4, 1), (2, 2), (4, 4), (8, 8), (16, 16), (2, 8), (8, 1)]
METHODS = ["magnitude", "magnitude-neuron", "magnitude-head", "block", "nm",
           "wanda", "wanda-nm", "sparsegpt", "sparsegpt-nm"]
STAGE_GROUPS = ["exact", "interp", "sim", "cxx", "grad"]  # gen and pipeline always run

# Errors of documented limits (docs/tiling.md "Limits"): the configuration is
# counted as unsupported, not failed (--strict makes them failures).
UNSUPPORTED = [
    ("fit", re.compile(r"activations of fewer tokens per run would fit")),
    ("fit", re.compile(r"bytes of SRAM of all \d+ units")),
    ("fit", re.compile(r"units' SRAM; .* has \d+")),
]
# Faults known and being fixed (issue 11); still failures, labelled.
KNOWN = [
    ("index-width", re.compile(r"\d+-bit indices cannot address")),
    ("empty-encoding", re.compile(r"cannot hold weight")),
]


# --------------------------------------------------------------------------
# Configurations
# --------------------------------------------------------------------------

def divisors(n, lo=1, hi=None):
    hi = n if hi is None else hi
    return [d for d in range(lo, min(n, hi) + 1) if n % d == 0]


def is_pow2(n):
    return n & (n - 1) == 0


def pick_heads(rng, hidden, quick):
    ds = [d for d in divisors(hidden, 1, 16) if hidden // d >= 2]
    odd = [d for d in ds if not is_pow2(d)]
    if odd and (quick or rng.random() < 0.75):
        return rng.choice(odd)
    return rng.choice(ds)


def draw(seed, index, quick):
    """The configuration `index` of `seed`: a function of both alone."""
    rng = random.Random("sxf-sweep:%d:%d:%s" % (seed, index, "q" if quick else "f"))
    c = {"seed": seed, "index": index}
    c["arch"] = rng.choice(["gpt", "bert"])
    c["target"] = TARGETS[index % len(TARGETS)] if quick else rng.choice(TARGETS)
    wide = quick and index == 0
    if quick:
        c["hidden"] = rng.choice(QUICK_WIDE) if wide else rng.choice(QUICK_WIDTHS)
        c["layers"] = 1 if wide else rng.choice([1, 2])
        c["seq"] = rng.randint(1, 3) if wide else rng.randint(1, 12)
        c["batch"] = 1 if wide else rng.randint(1, 3)
        c["vocab"] = rng.randint(20, 80)
    else:
        c["hidden"] = rng.choice(WIDTHS)
        c["layers"] = rng.choice([1, 2])
        # mostly short sequences, sometimes long ones
        c["seq"] = rng.randint(1, 32) if rng.random() < 0.6 else rng.randint(33, 300)
        c["batch"] = rng.randint(1, 3)
        c["vocab"] = rng.randint(50, 300)
    c["heads"] = pick_heads(rng, c["hidden"], quick)
    h = c["hidden"]

    method = rng.choice(METHODS)
    if wide:
        method = "magnitude"
    if method.endswith("-nm") or method == "nm":
        ms = [(n, m) for (n, m) in NM if h % m == 0]
        if not ms:
            method = method.replace("-nm", "").replace("nm", "magnitude")
    if method == "block":
        bs = [(r, cc) for (r, cc) in BLOCKS if h % r == 0 and h % cc == 0]
        if not bs:
            method = "magnitude"
    # FFN: realistic (4h) or awkward, a multiple of whatever the method needs
    mult = 1
    if method.endswith("-nm") or method == "nm":
        c["n"], c["m"] = rng.choice(ms)
        mult = c["m"]
    elif method == "block":
        c["block"] = "%dx%d" % rng.choice(bs)
        r, cc = map(int, c["block"].split("x"))
        mult = r * cc // _gcd(r, cc)
    cap = 160 if quick else 4096
    if wide:
        ffn = rng.choice([40, 64, 77])
    elif rng.random() < 0.4:
        ffn = min(4 * h, cap)
    else:
        ffn = rng.randint(max(2, h // 4) if not quick else 8, cap)
    ffn = max(mult, ffn // mult * mult)
    c["ffn"] = ffn

    base = method.split("-")[0]
    c["method"] = base
    if method in ("magnitude-neuron", "magnitude-head"):
        c["granularity"] = method.split("-")[1]
    if "m" not in c:
        c["sparsity"] = 0.99 if wide else rng.choice(SPARSITIES)
    if base in ("wanda", "sparsegpt"):
        c["calib"] = "random"
        c["samples"] = rng.choice([1, 2, 4]) if quick else rng.choice([2, 4, 8])
    c["value"] = rng.choice(["f32", "f32", "f32", "f16", "bf16"])
    c["objective"] = rng.choice(["latency", "latency", "memory", "energy"])
    c["dtype"] = rng.choice(["f32", "f32", "f32", "f16", "bf16"])
    c["gen_seed"] = rng.randint(0, 999)
    c["input_seed"] = rng.randint(0, 999)
    return c


def _gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def prune_options(c):
    """The pruning part of the sxf-pipeline / sxf-prune option string."""
    opts = ["method=" + c["method"]]
    for k in ("sparsity", "n", "m", "block", "calib", "samples", "granularity"):
        if k in c:
            opts.append("%s=%s" % (k, c[k]))
    return opts


def pipeline_options(c):
    return " ".join(["target=" + c["target"]] + prune_options(c) +
                    ["objective=" + c["objective"], "value=" + c["value"]])


def compact(c):
    return json.dumps(c, sort_keys=True, separators=(",", ":"))


def describe(c):
    s = "%s %dx%d h%d ffn%d %dx%d v%d %s %s" % (
        c["arch"], c["layers"], c["hidden"], c["heads"], c["ffn"], c["batch"],
        c["seq"], c["vocab"], c["target"], c["method"])
    for k in ("granularity", "block"):
        if k in c:
            s += " " + c[k]
    if "m" in c:
        s += " %d:%d" % (c["n"], c["m"])
    if "sparsity" in c:
        s += " s=%g" % c["sparsity"]
    if c["value"] != "f32":
        s += " " + c["value"]
    return s


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------

class StageFailure(Exception):
    def __init__(self, stage, message, unsupported=None):
        super().__init__(message)
        self.stage = stage
        self.message = message
        self.unsupported = unsupported


def first_error(text, rc):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for l in lines:
        if "error:" in l or "MISMATCH" in l:
            return l
    for l in lines:
        if "Assertion" in l or "terminate" in l or "Segmentation" in l:
            return l
    if rc < 0:
        return "killed by signal %d" % -rc
    return (lines[-1] if lines else "") + " (exit status %d)" % rc


class Runner:
    def __init__(self, args):
        self.args = args
        self.bin = args.bin
        self.timeout = args.timeout

    def tool(self, name):
        return os.path.join(self.bin, name)

    def run(self, stage, cmd, cwd, timeout=None):
        if self.args.verbose:
            print("  $ " + " ".join(shlex.quote(x) for x in cmd), flush=True)
        try:
            p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT,
                               timeout=timeout or self.timeout)
        except subprocess.TimeoutExpired:
            raise StageFailure(stage, "timed out after %ds" % (timeout or self.timeout))
        except OSError as e:
            raise StageFailure(stage, "cannot run %s: %s" % (cmd[0], e))
        out = p.stdout.decode("utf-8", "replace")
        with open(os.path.join(cwd, "log.txt"), "a") as log:
            log.write("$ %s\n%s\n[exit %d]\n" % (
                " ".join(shlex.quote(x) for x in cmd), out, p.returncode))
        if p.returncode != 0:
            msg = first_error(out, p.returncode)
            scale = re.search(r"relative to max \|ref\| ([0-9.eE+-]+): MISMATCH", out)
            if scale:
                msg += " [max err / max |ref| = %s]" % scale.group(1)
            why = None
            for label, rx in UNSUPPORTED:
                if rx.search(out):
                    why = label
            raise StageFailure(stage, msg, None if self.args.strict else why)
        return out


def compare_npy(stage, ref_dir, got_dir, rtol=1e-5, atol=1e-6):
    """Every .npy of ref_dir against got_dir with the tools' rule (sparse-run
    --check-against): |got - ref| <= atol + rtol * max(|ref|, max |ref| of its
    row), a row being the last dimension; infinities exactly, NaN only
    against NaN."""
    if np is None:
        return
    names = sorted(f for f in os.listdir(ref_dir) if f.endswith(".npy"))
    if not names:
        raise StageFailure(stage, "no outputs in " + ref_dir)
    for f in names:
        path = os.path.join(got_dir, f)
        if not os.path.exists(path):
            raise StageFailure(stage, "missing output " + path)
        ref = np.load(os.path.join(ref_dir, f)).astype(np.float64)
        got = np.load(path).astype(np.float64)
        if ref.shape != got.shape:
            raise StageFailure(stage, "%s: shape %s vs %s" % (f, got.shape, ref.shape))
        finite = np.isfinite(ref)
        mag = np.abs(np.where(finite, ref, 0.0))
        if ref.ndim:
            mag = np.maximum(mag, mag.max(axis=-1, keepdims=True) if ref.size else mag)
        with np.errstate(invalid="ignore"):
            ok = np.where(finite, np.abs(got - ref) <= atol + rtol * mag,
                          (got == ref) | (np.isnan(ref) & np.isnan(got)))
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            raise StageFailure(stage, "%s: %d of %d elements differ (first at %d: %g vs %g)" % (
                f, int((~ok).sum()), ok.size, i, got.flat[i], ref.flat[i]))


def read_safetensors(path):
    """{name: float32 array} of a safetensors file (F32, F16, BF16)."""
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        raw = data[e["data_offsets"][0]:e["data_offsets"][1]]
        if e["dtype"] == "F32":
            a = np.frombuffer(raw, dtype=np.float32)
        elif e["dtype"] == "F16":
            a = np.frombuffer(raw, dtype=np.float16).astype(np.float32)
        elif e["dtype"] == "BF16":
            a = (np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            continue
        out[name] = a.reshape(e["shape"])
    return out


def check_gradients(d):
    """The training step's results: a finite loss, and zero gradients off
    the stored positions of every weight in an unstructured sparse format."""
    if np is None:
        return
    loss = float(np.load(os.path.join(d, "grad", "loss.npy")))
    if not np.isfinite(loss):
        raise StageFailure("grad", "loss is %r" % loss)
    with open(os.path.join(d, "planned.mlir")) as f:
        text = f.read()
    formats = dict(re.findall(r'sxf\.weight "([^"]+)" \{[^}]*format = #sxf\.format<(\w+)', text))
    weights = read_safetensors(os.path.join(d, "planned.safetensors"))
    for name, kind in formats.items():
        if kind not in ("csr", "csc", "coo", "ell", "nm"):
            continue
        path = os.path.join(d, "grad", "grad.%s.npy" % name)
        if name not in weights or not os.path.exists(path):
            continue
        g, w = np.load(path), weights[name]
        if g.shape != w.shape:
            raise StageFailure("grad", "grad.%s: shape %s, weight %s" % (name, g.shape, w.shape))
        off = (w == 0) & (g != 0)
        if off.any():
            raise StageFailure("grad", "grad.%s (%s): %d nonzero gradients where the weight "
                               "stores nothing" % (name, kind, int(off.sum())))


class Config:
    def __init__(self, c, work):
        self.c = c
        self.dir = os.path.join(work, "c%d-%03d" % (c["seed"], c["index"]))
        self.failure = None
        self.unsupported = None
        self.cxx_ready = False
        self.seconds = 0.0


def run_front(r, cfg, stages):
    """Everything up to (and including) translation to C++."""
    c, d = cfg.c, cfg.dir
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    seed = str(c["input_seed"])
    r.run("gen", [r.tool("sparse-gen"), "--arch=" + c["arch"],
                  "--layers=%d" % c["layers"], "--hidden=%d" % c["hidden"],
                  "--heads=%d" % c["heads"], "--ffn=%d" % c["ffn"],
                  "--seq=%d" % c["seq"], "--vocab=%d" % c["vocab"],
                  "--batch=%d" % c["batch"], "--seed=%d" % c["gen_seed"],
                  "--dtype=" + c["dtype"], "-o", "model.mlir"], d)
    r.run("pipeline", [r.tool("sparse-opt"), "model.mlir", "-verify-each",
                       "--sxf-pipeline=" + pipeline_options(c),
                       "--sxf-weights-out=planned.safetensors", "-o", "planned.mlir"], d)
    if "interp" in stages or "exact" in stages:
        r.run("interp", [r.tool("sparse-run"), "planned.mlir", "--random-inputs",
                         "--seed", seed, "--output-dir", "ref"], d)
    if "exact" in stages:
        # The same pruning and format selection without dead-structure
        # elimination and fusion: the outputs must agree. (Selection is kept
        # because formats of f16/bf16 values round the weights on purpose.)
        r.run("exact", [r.tool("sparse-opt"), "model.mlir", "-verify-each",
                        "--sxf-decompose",
                        "--sxf-prune=" + " ".join(prune_options(c)),
                        "--sxf-select-format=target=%s objective=%s value=%s" % (
                            c["target"], c["objective"], c["value"]),
                        "--sxf-weights-out=pruned.safetensors", "-o", "pruned.mlir"], d)
        r.run("exact", [r.tool("sparse-run"), "pruned.mlir", "--random-inputs",
                        "--seed", seed, "--check-against", "ref"], d)
    if "sim" in stages:
        r.run("tile", [r.tool("sparse-opt"), "planned.mlir", "-verify-each",
                       "--sxf-tile=target=" + c["target"], "-o", "tiled.mlir"], d)
        r.run("sim", [r.tool("sparse-sim"), "tiled.mlir", "--target=" + c["target"],
                      "--mode=functional", "--random-inputs", "--seed", seed,
                      "--output-dir", "sim", "--quiet"], d)
        if "interp" in stages:
            compare_npy("sim-vs-interp", os.path.join(d, "ref"), os.path.join(d, "sim"))
    if "grad" in stages and c["arch"] == "gpt":
        # The training step of the planned model (sxf-differentiate; BERT has
        # no head, so it is refused by design): it runs, its loss is finite,
        # and a sparse weight's gradient is zero wherever the weight's format
        # stores nothing (docs/training.md).
        r.run("differentiate", [r.tool("sparse-opt"), "planned.mlir", "-verify-each",
                                "--sxf-differentiate", "-o", "step.mlir"], d)
        r.run("grad", [r.tool("sparse-run"), "step.mlir", "--entry=train_step",
                       "--random-inputs", "--seed", seed, "--output-dir", "grad"], d)
        check_gradients(d)
    if "cxx" in stages:
        r.run("lower", [r.tool("sparse-opt"), "planned.mlir", "-verify-each",
                        "--sxf-lower-to-emitc=weights=model.rt.safetensors",
                        "-o", "low.mlir"], d)
        r.run("translate", [r.tool("sparse-translate"), "--sxf-to-cpp", "low.mlir",
                            "-o", "model.cpp"], d)
        cfg.cxx_ready = True


def cxx_flags(args):
    return ["-std=c++17", "-O2", "-I", os.path.join(REPO, "runtime", "include")]


def link_flags(args):
    """The compiled runtime the generated programs call (libsxf_rt)."""
    return ["-L", args.rt_lib, "-lsxf_rt", "-Wl,-rpath," + args.rt_lib]


def compile_batch(r, args, cfgs, work):
    """Compiles the translated programs against libsxf_rt: one alone as it
    is; several as one translation unit (each source included in its own
    namespace, its sxf_forward and main renamed, plus a dispatching main),
    one compiler run instead of one per program."""
    if not cfgs:
        return {}
    if len(cfgs) == 1:
        cfg = cfgs[0]
        exe = os.path.join(cfg.dir, "model")
        r.run("compile", [args.cxx] + cxx_flags(args) +
              [os.path.join(cfg.dir, "model.cpp")] + link_flags(args) + ["-o", exe], cfg.dir,
              timeout=max(r.timeout, 600))
        return {id(cfg): [exe]}
    src = os.path.join(work, "sweep_models.cpp")
    with open(src, "w") as f:
        f.write("// Generated by scripts/sweep.py: %d programs in one unit.\n" % len(cfgs))
        f.write('#include "sxf_rt/api.h"\n#include <cstdlib>\n#include <cstring>\n')
        for i, cfg in enumerate(cfgs):
            f.write("#define sxf_forward sxf_forward_%d\n#define main sxf_main_%d\n" % (i, i))
            f.write("namespace sxf_sweep_%d {\n#include %s\n}\n" % (
                i, json.dumps(os.path.join(cfg.dir, "model.cpp"))))
            f.write("#undef sxf_forward\n#undef main\n")
        f.write("int main(int argc, char **argv) {\n"
                "  if (argc < 2) return 2;\n  int i = std::atoi(argv[1]);\n"
                "  argv[1] = argv[0];\n  switch (i) {\n")
        for i in range(len(cfgs)):
            f.write("  case %d: return sxf_sweep_%d::sxf_main_%d(argc - 1, argv + 1);\n" % (i, i, i))
        f.write("  }\n  return 2;\n}\n")
    exe = os.path.join(work, "sweep_models")
    log = os.path.join(work, "compile")
    os.makedirs(log, exist_ok=True)
    try:
        r.run("compile", [args.cxx] + cxx_flags(args) + [src] + link_flags(args) +
              ["-o", exe], log,
              timeout=max(r.timeout, 900))
    except StageFailure as e:
        text = open(os.path.join(log, "log.txt")).read()
        blamed = [cfg for cfg in cfgs if os.path.join(cfg.dir, "model.cpp") + ":" in text]
        if not blamed or len(blamed) == len(cfgs):
            for cfg in cfgs:
                cfg.failure = StageFailure("compile", e.message)
            return {}
        for cfg in blamed:
            for line in text.splitlines():
                if os.path.join(cfg.dir, "model.cpp") + ":" in line and "error" in line:
                    cfg.failure = StageFailure("compile", line.strip())
                    break
            else:
                cfg.failure = StageFailure("compile", e.message)
        rest = [cfg for cfg in cfgs if cfg.failure is None]
        return compile_batch(r, args, rest, work)
    return {id(cfg): [exe, str(i)] for i, cfg in enumerate(cfgs)}


FORMAT_RE = re.compile(r'sxf\.weight "[^"]*" \{format = #sxf\.format<(\w+)(\[[^\]]*\])?'
                       r'.*?: tensor<(\d+)x(\d+)x')


def formats_used(cfg):
    """'csr:3 dense:4 ...' over the 2-D weights of the planned model."""
    counts = {}
    try:
        text = open(os.path.join(cfg.dir, "planned.mlir")).read()
    except OSError:
        return ""
    for m in FORMAT_RE.finditer(text):
        k = m.group(1) + (m.group(2) or "").replace(" ", "")
        counts[k] = counts.get(k, 0) + 1
    return " ".join("%s:%d" % kv for kv in sorted(counts.items()))


def run_back(r, cfg, exe):
    c, d = cfg.c, cfg.dir
    seed = str(c["input_seed"])
    r.run("run-cxx", exe + ["--random-inputs", "--seed", seed, "--output-dir", "cxx"], d)
    r.run("cxx-vs-interp", [r.tool("sparse-run"), "planned.mlir", "--random-inputs",
                            "--seed", seed, "--check-against", "cxx"], d)


def default_rt_lib(bin_dir):
    """lib/ beside bin/: a build tree's build/lib, an installation's lib."""
    return os.path.join(os.path.dirname(bin_dir), "lib")


def repro(args, c):
    cmd = ["python3", SCRIPT, "--bin", args.bin, "--config", compact(c)]
    if set(args.stage_list) != set(STAGE_GROUPS):
        cmd += ["--stages", ",".join(args.stage_list)]
    if args.cxx != "c++":
        cmd += ["--cxx", args.cxx]
    if args.rt_lib != default_rt_lib(args.bin):
        cmd += ["--rt-lib", args.rt_lib]
    return " ".join(shlex.quote(x) for x in cmd)


def known_label(stage, msg):
    for label, rx in KNOWN:
        if rx.search(msg):
            return label
    # sparse-sim compares element by element (atol + rtol |expected|): a
    # different summation order fails elements near zero although the error is
    # tiny against the output's scale (known: sim tolerance).
    scale = re.search(r"max err / max \|ref\| = ([0-9.eE+-]+)", msg)
    if stage == "sim" and scale and float(scale.group(1)) < 1e-5:
        return "sim-tolerance"
    return None


def report(args, cfg):
    c = cfg.c
    e = cfg.failure
    msg = e.message.replace("\n", " ")
    if e.unsupported:
        print("%s  # UNSUPPORTED (%s) %s: %s" % (repro(args, c), e.unsupported, e.stage, msg),
              flush=True)
        return
    label = known_label(e.stage, msg)
    tag = "FAIL" if label is None else "FAIL (known: %s)" % label
    l2 = re.search(r"relative L2 err ([0-9.eE+-]+)", msg)
    if label is None and l2 and float(l2.group(1)) < 1e-6:
        tag += " (rounding? relative L2 error %s)" % l2.group(1)
    print("%s  # %s %s: %s" % (repro(args, c), tag, e.stage, msg), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=0, help="seed of the configurations")
    ap.add_argument("--count", type=int, default=10, help="configurations to draw")
    ap.add_argument("--index", type=int, action="append",
                    help="run only configuration I of the seed (repeatable)")
    ap.add_argument("--config", action="append",
                    help="run this configuration (JSON, as printed by a failure)")
    ap.add_argument("--bin", help="tool directory (default: where sparse-opt is on "
                    "PATH, else <repo>/build/bin)")
    ap.add_argument("--work", help="working directory (default: a temporary one, removed)")
    ap.add_argument("--stages", default="all",
                    help="comma-separated subset of %s (gen and pipeline always run); "
                    "'all' (default), or '-cxx' style exclusions" % ",".join(STAGE_GROUPS))
    ap.add_argument("--quick", action="store_true",
                    help="small sizes (the test suite's subset)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the artefacts of failing configurations")
    ap.add_argument("--list", action="store_true",
                    help="print the configurations without running them")
    ap.add_argument("--cxx", default=os.environ.get("CXX", "c++"),
                    help="C++ compiler for the generated programs (default $CXX or c++)")
    ap.add_argument("--rt-lib", help="directory of libsxf_rt, the runtime the generated "
                    "programs link (default: lib/ beside --bin)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per command")
    ap.add_argument("--strict", action="store_true",
                    help="count documented limits (model does not fit the target) as failures")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every command")
    args = ap.parse_args()

    if args.stages == "all":
        args.stage_list = list(STAGE_GROUPS)
    elif args.stages.startswith("-"):
        drop = set(s.strip("-") for s in args.stages.split(","))
        args.stage_list = [s for s in STAGE_GROUPS if s not in drop]
    else:
        args.stage_list = [s for s in args.stages.split(",") if s]
    for s in args.stage_list:
        if s not in STAGE_GROUPS:
            ap.error("unknown stage '%s' (choose from %s)" % (s, ", ".join(STAGE_GROUPS)))

    if args.config:
        configs = []
        for text in args.config:
            try:
                configs.append(json.loads(text))
            except ValueError as e:
                ap.error("--config: %s" % e)
    else:
        indices = args.index if args.index else range(args.count)
        configs = [draw(args.seed, i, args.quick) for i in indices]
    if args.list:
        for c in configs:
            print("%-60s %s" % (describe(c), compact(c)))
        return 0

    if not args.bin:
        found = shutil.which("sparse-opt")
        args.bin = os.path.dirname(found) if found else os.path.join(REPO, "build", "bin")
    args.bin = os.path.abspath(args.bin)
    for t in ("sparse-gen", "sparse-opt", "sparse-run", "sparse-sim", "sparse-translate"):
        if not os.access(os.path.join(args.bin, t), os.X_OK):
            ap.error("no %s in %s (use --bin)" % (t, args.bin))
    args.rt_lib = os.path.abspath(args.rt_lib or default_rt_lib(args.bin))
    if "cxx" in args.stage_list and not os.path.exists(os.path.join(args.rt_lib, "libsxf_rt.so")):
        ap.error("no libsxf_rt.so in %s (build it, or use --rt-lib)" % args.rt_lib)

    own_work = args.work is None
    work = tempfile.mkdtemp(prefix="sxf-sweep-") if own_work else os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    r = Runner(args)
    cfgs = [Config(c, work) for c in configs]
    stages = set(args.stage_list)
    start = time.time()
    for cfg in cfgs:
        t0 = time.time()
        try:
            run_front(r, cfg, stages)
        except StageFailure as e:
            cfg.failure = e
        cfg.seconds += time.time() - t0
        if cfg.failure:
            report(args, cfg)
        elif args.verbose:
            print("front ok %s (%.1fs)" % (describe(cfg.c), cfg.seconds), flush=True)
    ready = [cfg for cfg in cfgs if cfg.cxx_ready and cfg.failure is None]
    t0 = time.time()
    exes = compile_batch(r, args, ready, work)
    if ready:
        print("compiled %d program(s) in %.0fs" % (len(ready), time.time() - t0), flush=True)
    for cfg in ready:
        if cfg.failure:
            report(args, cfg)
            continue
        t0 = time.time()
        try:
            run_back(r, cfg, exes[id(cfg)])
        except StageFailure as e:
            cfg.failure = e
            report(args, cfg)
        cfg.seconds += time.time() - t0

    failed = [c for c in cfgs if c.failure and not c.failure.unsupported]
    unsupported = [c for c in cfgs if c.failure and c.failure.unsupported]
    for cfg in cfgs:
        if not cfg.failure:
            print("ok   %-64s %6.1fs  %s" % (describe(cfg.c), cfg.seconds, formats_used(cfg)))
    print("sweep: %d configurations, %d passed, %d failed, %d unsupported (%.0fs)" % (
        len(cfgs), len(cfgs) - len(failed) - len(unsupported), len(failed),
        len(unsupported), time.time() - start), flush=True)

    if own_work:
        if args.keep and (failed or unsupported):
            for cfg in cfgs:
                if not cfg.failure:
                    shutil.rmtree(cfg.dir, ignore_errors=True)
            print("artefacts of failures kept in " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
