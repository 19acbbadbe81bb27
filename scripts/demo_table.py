"""The table scripts/demo prints. Reads lines "name|interpreter ppl line|
program ppl line|sparsity report JSON|forward ms" on stdin; prints held-out
perplexity from both executors (they must agree to 1e-4 relative: exit 1
otherwise), stored weight bytes and forward latency, with ratios to the first
(dense) row."""
import json
import re
import sys


def ppl(line):
    m = re.search(r"perplexity: ([0-9.]+)", line)
    return float(m.group(1)) if m else float("nan")


rows = [l.rstrip("\n").split("|") for l in sys.stdin if l.strip()]
head = ("variant", "ppl interp", "ppl program", "agree", "weight bytes",
        "vs dense", "forward ms", "vs dense")
print("%-15s %11s %12s %6s %13s %9s %11s %9s" % head)
base = None
bad = False
for name, ref, prog, report, lat in rows:
    stored = json.load(open(report))["totals"]["stored_bytes"]
    ms = float(lat)
    if base is None:
        base = (stored, ms)
    a, p = ppl(ref), ppl(prog)
    agree = abs(a - p) <= 1e-4 * a
    bad |= not agree
    print("%-15s %11.4f %12.4f %6s %13s %8.0f%% %11.3f %8.2fx" %
          (name, a, p, "yes" if agree else "NO", f"{stored:,}",
           100.0 * stored / base[0], ms, ms / base[1]))
sys.exit(1 if bad else 0)
