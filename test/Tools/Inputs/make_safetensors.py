"""Writes a safetensors file with a given JSON header and N zero data bytes.

Used by tests to craft malformed files: make_safetensors.py OUT HEADER NBYTES
"""
import struct
import sys

out, header, nbytes = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3])
with open(out, "wb") as f:
    f.write(struct.pack("<Q", len(header)))
    f.write(header)
    f.write(b"\0" * nbytes)
