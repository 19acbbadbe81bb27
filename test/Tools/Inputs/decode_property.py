"""Property: one decode step continues prefill exactly.

For a GPT model of the given sizes and a cache of P positions, with the same
weights (same seed, names and shapes: every model has --max-positions rows of
positions):
  full    = prefill of P + 1 tokens (sparse-gen --seq=P+1 --return-cache)
  prefill = prefill of the first P tokens (--seq=P --return-cache)
  step    = decode of token P (--decode --past=P) fed prefill's cache
the step's logits equal the last row of full's logits, and its updated cache
(prefill's cache with the step's new rows present_key.L / present_value.L
appended) equals full's keys and values, to 1e-5
relative to the largest magnitude (the reference interpreter, sparse-run).
Prints one line per case.

usage: decode_property.py WORKDIR SEED "SPARSE-GEN SIZE ARGS" P [P ...]
"""
import subprocess
import sys

import numpy as np

work, seed, sizes, pasts = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), \
    [int(p) for p in sys.argv[4:]]


def run(*args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        sys.exit(f"FAILED: {' '.join(args)}")
    return p.stdout


def gen(name, *extra):
    path = f"{work}/{name}.mlir"
    run("sparse-gen", *sizes, f"--seed={seed}", *extra, "-o", path)
    return path


def close(a, b):
    scale = max(1e-30, float(np.abs(b).max()))
    return float(np.abs(a - b).max()) / scale


layers = None
for P in pasts:
    full = gen(f"full{P}", f"--seq={P + 1}", "--return-cache")
    pre = gen(f"pre{P}", f"--seq={P}", "--return-cache")
    step = gen(f"step{P}", f"--decode", f"--past={P}")
    rng = np.random.default_rng(seed * 1000 + P)
    vocab = int(sizes[[s.startswith("--vocab=") for s in sizes].index(True)]
                .split("=")[1])
    batch = int(sizes[[s.startswith("--batch=") for s in sizes].index(True)]
                .split("=")[1])
    ids = rng.integers(0, vocab, size=(batch, P + 1)).astype(np.int32)
    np.save(f"{work}/ids{P}.npy", ids)
    np.save(f"{work}/pre_ids{P}.npy", ids[:, :P])
    np.save(f"{work}/new_ids{P}.npy", ids[:, P:])
    run("sparse-run", full, f"--input=input_ids={work}/ids{P}.npy",
        "--output-dir", f"{work}/full{P}")
    run("sparse-run", pre, f"--input=input_ids={work}/pre_ids{P}.npy",
        "--output-dir", f"{work}/pre{P}")
    layers = int(sizes[[s.startswith("--layers=") for s in sizes].index(True)]
                 .split("=")[1])
    inputs = [f"--input=input_ids={work}/new_ids{P}.npy"]
    for l in range(layers):
        for kv in ("key", "value"):
            inputs.append(f"--input=past_{kv}.{l}={work}/pre{P}/present_{kv}.{l}.npy")
    run("sparse-run", step, *inputs, "--output-dir", f"{work}/step{P}")
    worst = 0.0
    full_logits = np.load(f"{work}/full{P}/logits.npy")
    step_logits = np.load(f"{work}/step{P}/logits.npy")
    assert step_logits.shape == (batch, 1, full_logits.shape[2]), step_logits.shape
    worst = max(worst, close(step_logits[:, 0], full_logits[:, -1]))
    for l in range(layers):
        for kv in ("key", "value"):
            # The step's new row appended to the cache prefill returned.
            new = np.load(f"{work}/step{P}/present_{kv}.{l}.npy")
            assert new.shape[:2] == (batch, 1), new.shape
            cache = np.load(f"{work}/pre{P}/present_{kv}.{l}.npy")
            a = np.concatenate([cache, new], axis=1)
            b = np.load(f"{work}/full{P}/present_{kv}.{l}.npy")
            assert a.shape == b.shape, (a.shape, b.shape)
            worst = max(worst, close(a, b))
    # Not vacuous: another new token gives other logits.
    np.save(f"{work}/other_ids{P}.npy", (ids[:, P:] + 1) % vocab)
    inputs[0] = f"--input=input_ids={work}/other_ids{P}.npy"
    run("sparse-run", step, *inputs, "--output-dir", f"{work}/other{P}")
    other = np.load(f"{work}/other{P}/logits.npy")
    differs = close(other[:, 0], full_logits[:, -1]) > 1e-3
    status = "ok" if worst <= 1e-5 and differs else "MISMATCH"
    print(f"past {P}: decode vs prefill max rel err {worst:.3e}: {status}")
