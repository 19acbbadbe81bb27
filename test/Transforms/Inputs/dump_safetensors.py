"""Prints every tensor of a safetensors file: NAME DTYPE SHAPE VALUES.

An independent reader (Python's struct/json, no sxf code) used by tests to
check what sxf writes. Values are printed for tensors of up to 16 elements.
"""
import json
import struct
import sys

FMT = {"F32": ("f", 4), "F64": ("d", 8), "F16": ("e", 2), "I32": ("i", 4), "I64": ("q", 8)}

data = open(sys.argv[1], "rb").read()
(n,) = struct.unpack("<Q", data[:8])
header = json.loads(data[8:8 + n])
base = 8 + n
for name, e in header.items():
    if name == "__metadata__":
        continue
    begin, end = e["data_offsets"]
    raw = data[base + begin:base + end]
    values = ""
    if e["dtype"] in FMT and len(raw) <= 16 * FMT[e["dtype"]][1]:
        code, size = FMT[e["dtype"]]
        vals = struct.unpack("<%d%s" % (len(raw) // size, code), raw)
        values = " [" + ", ".join(repr(float(v)) for v in vals) + "]"
    print(name, e["dtype"], e["shape"], values.strip())
