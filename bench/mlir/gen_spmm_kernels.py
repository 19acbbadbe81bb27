#!/usr/bin/env python3
"""Writes the SpMM kernels compiled by MLIR's own sparsifier for the runtime
benchmark: y[T, R] += x[T, C] · W[R, C]ᵀ with W in CSR (32-bit positions and
coordinates) passed as its three arrays, one function per weight shape,
`spmm_RxC`, with the C interface (`_mlir_ciface_spmm_RxC`). y is updated in
place (the caller zeroes it).

usage: gen_spmm_kernels.py OUT.mlir RxC [RxC ...]
"""
import sys

out, shapes = sys.argv[1], sys.argv[2:]
text = ["#CSR = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j : compressed), posWidth = 32, crdWidth = 32 }>",
        "#xmap = affine_map<(t, r, c) -> (t, c)>",
        "#wmap = affine_map<(t, r, c) -> (r, c)>",
        "#ymap = affine_map<(t, r, c) -> (t, r)>",
        "module {"]
for s in shapes:
    r, c = (int(v) for v in s.split("x"))
    text.append(f"""  func.func @spmm_{r}x{c}(%pos: tensor<{r + 1}xi32>, %crd: tensor<?xi32>, %val: tensor<?xf32>,
      %x: tensor<?x{c}xf32>, %y: tensor<?x{r}xf32> {{bufferization.writable = true}}) -> tensor<?x{r}xf32>
      attributes {{ llvm.emit_c_interface }} {{
    %w = sparse_tensor.assemble (%pos, %crd), %val : (tensor<{r + 1}xi32>, tensor<?xi32>), tensor<?xf32> to tensor<{r}x{c}xf32, #CSR>
    %o = linalg.generic {{indexing_maps = [#xmap, #wmap, #ymap], iterator_types = ["parallel", "parallel", "reduction"]}}
      ins(%x, %w : tensor<?x{c}xf32>, tensor<{r}x{c}xf32, #CSR>) outs(%y : tensor<?x{r}xf32>) {{
      ^bb0(%a: f32, %b: f32, %acc: f32):
        %m = arith.mulf %a, %b : f32
        %s = arith.addf %acc, %m : f32
        linalg.yield %s : f32
    }} -> tensor<?x{r}xf32>
    return %o : tensor<?x{r}xf32>
  }}""")
text.append("}")
open(out, "w").write("\n".join(text) + "\n")
