"""usage: lit_summary.py LABEL RESULTS.json

Prints "LABEL: N passed, N failed, N skipped" for a lit JSON results file
(lit -o); a missing or unreadable file counts as one failure. The summary
line of scripts/test and scripts/sanitize.
"""
import json
import sys

label, path = sys.argv[1], sys.argv[2]
try:
    with open(path) as f:
        tests = json.load(f)["tests"]
except (OSError, ValueError, KeyError):
    print(f"{label}: 0 passed, 1 failed, 0 skipped (lit produced no results)")
    sys.exit(0)
passed = sum(t["code"] in {"PASS", "XFAIL"} for t in tests)
skipped = sum(t["code"] in {"UNSUPPORTED", "SKIPPED", "EXCLUDED"} for t in tests)
print(f"{label}: {passed} passed, {len(tests) - passed - skipped} failed, {skipped} skipped")
