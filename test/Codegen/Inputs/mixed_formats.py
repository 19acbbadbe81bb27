"""Gives each attention / FFN weight of a 2:4-pruned model a different
storage format (every format the CPU runtime has a kernel for, plus CSC and
COO, which the lowering stores as CSR), so one compiled program exercises
them all. usage: mixed_formats.py IN.mlir OUT.mlir"""
import itertools
import re
import sys

formats = itertools.cycle([
    "#sxf.format<csr, value = f32, index = 8>",
    "#sxf.format<bsr[4, 4], value = f32, index = 8>",
    "#sxf.format<nm[2, 4], value = f32, index = 2>",
    "#sxf.format<ell, value = f16, index = 8>",
    "#sxf.format<dense, value = bf16>",
    "#sxf.format<csr, value = bf16, index = 16>",
    "#sxf.format<bsr[2, 4], value = f16, index = 16>",
    "#sxf.format<nm[2, 4], value = f16, index = 8>",
    "#sxf.format<csc, value = f32, index = 8>",
    "#sxf.format<coo, value = f32, index = 8>",
    "#sxf.format<dense, value = f32>",
])
weight = re.compile(r'(sxf\.weight "layers\.\d+\.(attn|ffn)\.\w+\.weight")( \{)?')
out = []
for line in open(sys.argv[1]):
    if weight.search(line):
        line = re.sub(r",? ?format = #sxf\.format<[^>]*>,?", "", line)
        fmt = next(formats)
        line = weight.sub(lambda m: m.group(1) + " {format = " + fmt +
                          (", " if m.group(3) else "} "), line, count=1)
        line = line.replace(", }", "}")
    out.append(line)
open(sys.argv[2], "w").write("".join(out))
