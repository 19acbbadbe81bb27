"""Checks that two safetensors files hold the same tensors bit for bit.

An independent reader (Python's struct/json, no sxf code): the tensor
entries (names in header order, dtypes, shapes, data offsets) and the whole
data sections must be equal; `__metadata__` may differ (it names the
producer). Prints "same: N tensors, B data bytes" or the first difference
and exits 1.
"""
import json
import struct
import sys


def load(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    return list(header.items()), data[8 + n:]


(ha, da), (hb, db) = load(sys.argv[1]), load(sys.argv[2])
if [k for k, _ in ha] != [k for k, _ in hb]:
    sys.exit("different tensor names: %s vs %s" % ([k for k, _ in ha], [k for k, _ in hb]))
for (name, ea), (_, eb) in zip(ha, hb):
    if ea != eb:
        sys.exit("tensor %s: %s vs %s" % (name, ea, eb))
    b, e = ea["data_offsets"]
    if da[b:e] != db[b:e]:
        sys.exit("tensor %s: values differ" % name)
if da != db:
    sys.exit("data sections differ")
print("same: %d tensors, %d data bytes" % (len(ha), len(da)))
