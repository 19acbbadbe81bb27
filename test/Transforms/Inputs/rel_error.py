"""Prints ‖a − b‖ / ‖a‖ for two .npy files, or checks an ordering.

rel_error.py REF A                -> "rel_error: X"
rel_error.py --less REF A B       -> "less: True" when err(A) < err(B)
"""
import sys

import numpy as np


def err(ref, path):
    a, b = np.load(ref), np.load(path)
    return float(np.linalg.norm(a - b) / np.linalg.norm(a))


if sys.argv[1] == "--less":
    ref, a, b = sys.argv[2:5]
    ea, eb = err(ref, a), err(ref, b)
    print("errors: %.4f %.4f" % (ea, eb))
    print("less:", ea < eb)
else:
    print("rel_error: %.6g" % err(sys.argv[1], sys.argv[2]))
