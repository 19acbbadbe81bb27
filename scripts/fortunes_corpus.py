#!/usr/bin/python3
"""The fortunes corpus: reading Debian's fortune databases and the seeded
train / held-out split that models/fortunes-gpt2 was trained with.

Shared by scripts/train_tiny_gpt2.py (which trained the bundled model) and
scripts/fortunes_data.py (which makes sparse-train's token windows), so that
both see the same characters and the same held-out fortunes. No torch.
"""

import os

import numpy as np


def read_fortunes(root):
    """Returns a list of fortunes (str), in (sorted file name, file order)."""
    fortunes = []
    files = []
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        # Skip index files, the .u8 symlinks (same content), and any
        # subdirectory (notably the offensive "off/" collection).
        if name.endswith(".dat") or name.endswith(".u8"):
            continue
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        files.append(name)
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
        cur = []
        for line in text.split("\n"):
            if line == "%":
                body = "\n".join(cur)
                if body.strip():
                    fortunes.append(body + "\n")
                cur = []
            else:
                cur.append(line)
        body = "\n".join(cur).rstrip("\n")
        if body.strip():
            fortunes.append(body + "\n")
    return files, fortunes


def join_fortunes(fs):
    # Re-create the fortune file format: each fortune followed by a "%" line.
    return "".join(f + "%\n" for f in fs)


def split_fortunes(n, rng, eval_fraction):
    """(held-out indices in permutation order, sorted training indices) of n
    fortunes: the first round(eval_fraction * n) of rng.permutation(n) are
    held out. `rng` is a numpy RandomState; train_tiny_gpt2.py seeds it with
    its --seed (1234) and draws nothing from it before this."""
    perm = rng.permutation(n)
    n_eval = int(round(eval_fraction * n))
    return perm[:n_eval], np.sort(perm[n_eval:])
