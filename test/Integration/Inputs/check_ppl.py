"""Checks sparse-run's perplexity line against NumPy: check_ppl.py ids logits out.txt"""
import re
import sys

import numpy as np

ids = np.load(sys.argv[1]).astype(np.int64)
logits = np.load(sys.argv[2]).astype(np.float64)
z = logits - logits.max(-1, keepdims=True)
logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
nll = -np.take_along_axis(logp[:, :-1], ids[:, 1:, None], -1)
expected = float(np.exp(nll.mean()))
text = open(sys.argv[3]).read()
m = re.search(r"perplexity: ([0-9.]+) .* over (\d+) tokens in (\d+) windows", text)
got = float(m.group(1))
print("tokens:", m.group(2), "windows:", m.group(3))
print("expected %.6f got %.6f" % (expected, got))
print("match:", abs(got - expected) <= 1e-4 * expected)
