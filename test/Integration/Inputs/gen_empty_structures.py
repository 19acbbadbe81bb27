"""Writes Inputs/empty-structures.mlir and Inputs/empty-formats.mlir (run from
the repository root): weights with empty encodings — all zero, empty rows and
columns, N:M groups with fewer than N nonzeros, empty block rows."""
import numpy as np
rng=np.random.default_rng(3)
def lit(a):
    return "dense<[" + ", ".join("[" + ", ".join(f"{v:.4f}" for v in row) + "]" for row in a) + "]>"
H=8
zero=np.zeros((H,H))
rows=rng.standard_normal((16,H)); rows[:8]=0; rows[:, 5]=0
onenm=np.zeros((H,H))
for r in range(H):
    for g in range(H//4):
        if (r+g)%3: onenm[r, g*4 + (r%4)] = rng.standard_normal()
half=np.zeros((16,H)); half[::2]=rng.standard_normal((8,H))
back=rng.standard_normal((H,16))*(rng.random((H,16))<0.3)
bvals=rng.standard_normal(H)
def model(fmts, what):
    out=[f'// {what}', '// Written by Inputs/gen_empty_structures.py; see empty-structures.test.']
    out.append('func.func @forward(%x: tensor<2x3x8xf32> {sxf.name = "x"}) -> (tensor<2x3x8xf32> {sxf.name = "y"}) {')
    def w(name, arr):
        f = f", format = {fmts[name]}" if name in fmts else ""
        shp="x".join(map(str,arr.shape))
        out.append(f'  %{name} = sxf.weight "{name}" {{value = {lit(arr)} : tensor<{shp}xf32>{f}}} : tensor<{shp}xf32>')
    for n,a in [("zero",zero),("rows",rows),("onenm",onenm),("half",half),("back",back)]: w(n,a)
    out.append(f'  %b = sxf.weight "b" {{value = dense<[{", ".join(f"{v:.4f}" for v in bvals)}]> : tensor<8xf32>}} : tensor<8xf32>')
    out.append(f'  %b2 = sxf.weight "b2" {{value = dense<[{", ".join(f"{v:.4f}" for v in bvals[::-1])}]> : tensor<8xf32>}} : tensor<8xf32>')
    out += ['  %h0 = sxf.linear %x, %zero, %b residual(%x) : (tensor<2x3x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x8xf32>',
    '  %h1 = sxf.linear %h0, %rows activation gelu : (tensor<2x3x8xf32>, tensor<16x8xf32>) -> tensor<2x3x16xf32>',
    '  %h2 = sxf.linear %h1, %back : (tensor<2x3x16xf32>, tensor<8x16xf32>) -> tensor<2x3x8xf32>',
    '  %h3 = sxf.linear %h2, %onenm residual(%h0) : (tensor<2x3x8xf32>, tensor<8x8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x8xf32>',
    '  %h4 = sxf.linear %h3, %half : (tensor<2x3x8xf32>, tensor<16x8xf32>) -> tensor<2x3x16xf32>',
    '  %y = sxf.linear %h4, %back, %b2 residual(%h3) : (tensor<2x3x16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x8xf32>',
    '  return %y : tensor<2x3x8xf32>', '}']
    return "\n".join(out)+"\n"
open("test/Integration/Inputs/empty-structures.mlir","w").write(model({}, "Empty structures: an all-zero weight, empty rows and columns, N:M groups with fewer than N nonzeros, empty block rows."))
open("test/Integration/Inputs/empty-formats.mlir","w").write(model({
 "zero": "#sxf.format<coo, index = 8>",
 "rows": "#sxf.format<ell, index = 8>",
 "onenm": "#sxf.format<nm[2, 4], index = 2>",
 "half": "#sxf.format<bsr[2, 2], index = 8>",
 "back": "#sxf.format<csc, value = f16, index = 8>",
}, "The same weights in explicit formats: coo of an all-zero weight (0 bytes), ell of width 0 rows, nm[2:4] groups of 0-1 nonzeros, bsr with empty block rows."))
