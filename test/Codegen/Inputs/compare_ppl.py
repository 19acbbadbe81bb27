"""Compares the perplexity lines of two runs (dynamic-shapes.test).

usage: compare_ppl.py A.txt B.txt

Each file holds the line `perplexity: P (mean NLL M nats over T tokens in N
windows)`; the mean NLLs must agree to 1e-5 relative and the token and
window counts exactly. Prints `ppl: same` or exits 1 with both lines.
"""
import re
import sys

PATTERN = re.compile(r"perplexity: (\S+) \(mean NLL (\S+) nats over (\d+) "
                     r"tokens in (\d+) windows\)")


def parse(path):
    with open(path) as f:
        m = PATTERN.search(f.read())
    if not m:
        sys.exit(f"compare_ppl: no perplexity line in {path}")
    return float(m.group(2)), int(m.group(3)), int(m.group(4)), m.group(0)


a, b = parse(sys.argv[1]), parse(sys.argv[2])
if a[1:3] != b[1:3] or abs(a[0] - b[0]) > 1e-5 * abs(b[0]):
    sys.exit(f"compare_ppl: differ:\n  {a[3]}\n  {b[3]}")
print("ppl: same")
