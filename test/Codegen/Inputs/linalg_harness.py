"""to-linalg.test's helper for running sxf-to-linalg output with mlir-runner.

  linalg_harness.py main IN.mlir IDS.npy OUT.mlir
      appends to IN's module a @main that calls @forward on the ids of IDS.npy
      (a constant of the entry's argument type: token ids or f32) and prints the
      result with printMemrefF32;
  linalg_harness.py compare PRINTED.txt REF.npy [RTOL]
      checks the numbers mlir-runner printed against the interpreter's
      (max abs error relative to max |ref|).
"""
import re
import sys

import numpy as np


def main_mode(src, ids_path, dst):
    text = open(src).read()
    ids = np.load(ids_path)
    m = re.search(r"func\.func @forward\(%arg0: (tensor<([0-9x]+)x(i32|i64|f32)>)", text)
    assert m, "no @forward(%arg0: tensor<...xi32|i64|f32>) in " + src
    arg_type, elt = m.group(1), m.group(3)
    r = re.search(r"func\.func @forward\([^)]*\) -> \((tensor<[^>]*>)", text)
    res_type = r.group(1)
    if elt == "f32":
        values = np.array2string(ids.astype(np.float32), separator=", ",
                                 threshold=1 << 30, floatmode="unique")
    else:
        values = np.array2string(ids.astype(np.int64), separator=", ",
                                 threshold=1 << 30)
    values = values.replace("\n", "")
    harness = f"""
  func.func @main() {{
    %ids = arith.constant dense<{values}> : {arg_type}
    %y = call @forward(%ids) : ({arg_type}) -> {res_type}
    %u = tensor.cast %y : {res_type} to tensor<*xf32>
    call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
    return
  }}
  func.func private @printMemrefF32(%ptr : tensor<*xf32>) attributes {{ llvm.emit_c_interface }}
"""
    end = text.rstrip().rfind("}")
    open(dst, "w").write(text[:end] + harness + "}\n")


def compare_mode(printed, ref_path, rtol):
    t = open(printed).read()
    got = np.array([float(v) for v in
                    re.findall(r"-?(?:nan|inf|[0-9.]+(?:e[-+]?[0-9]+)?)",
                               t.split("data =")[1])])
    ref = np.load(ref_path).ravel()
    assert got.size == ref.size, (got.size, ref.size)
    err = np.abs(got - ref).max() / np.abs(ref).max()
    assert err < rtol, (err, rtol)
    print("mlir-runner equals the interpreter")
    print("relative error %.3g" % err, file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1] == "main":
        main_mode(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        compare_mode(sys.argv[2], sys.argv[3],
                     float(sys.argv[4]) if len(sys.argv) > 4 else 1e-5)
