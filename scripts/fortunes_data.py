#!/usr/bin/python3
"""Token windows of the fortunes corpus for sparse-train.

Writes OUT/train_tokens.npy, int32 [N, seq+1]: every (seq+1)-character window
of the training split at a stride of seq (consecutive windows share one
character, so every character is a target once), in the vocabulary of
models/fortunes-gpt2/vocab.json and the training split that model was trained
on (scripts/fortunes_corpus.py, seed 1234). The held-out windows are the
bundled models/fortunes-gpt2/eval_tokens.npy ([256, 64]), taken from the
held-out split.

Usage (needs Debian's fortunes package):
    /usr/bin/python3 scripts/fortunes_data.py --out out/train
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fortunes_corpus import join_fortunes, read_fortunes, split_fortunes  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="directory for train_tokens.npy")
    ap.add_argument("--seq", type=int, default=64)
    ap.add_argument("--fortune-dir", default="/usr/share/games/fortunes")
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "fortunes-gpt2"))
    args = ap.parse_args()
    if args.seq < 2:
        sys.exit("fortunes_data.py: error: --seq must be >= 2")
    if not os.path.isdir(args.fortune_dir):
        sys.exit(f"fortunes_data.py: error: {args.fortune_dir} does not exist "
                 "(apt-get install fortunes)")
    with open(os.path.join(args.model, "vocab.json"), encoding="utf-8") as f:
        stoi = json.load(f)
    _, fortunes = read_fortunes(args.fortune_dir)
    _, train_idx = split_fortunes(len(fortunes), np.random.RandomState(1234), 0.05)
    text = join_fortunes([fortunes[i] for i in train_idx])
    unknown = sorted(set(text) - set(stoi))
    if unknown:
        sys.exit(f"fortunes_data.py: error: characters {unknown!r} of {args.fortune_dir} "
                 f"are not in {args.model}/vocab.json (a different fortunes release?)")
    ids = np.array([stoi[c] for c in text], dtype=np.int32)
    L = args.seq + 1
    starts = np.arange(0, len(ids) - L + 1, args.seq)
    windows = np.stack([ids[s:s + L] for s in starts]).astype(np.int32)
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "train_tokens.npy")
    np.save(path, windows)
    print(f"{path}: {windows.shape[0]} windows of {L} tokens "
          f"({len(text)} training characters, vocabulary {len(stoi)})")


if __name__ == "__main__":
    main()
