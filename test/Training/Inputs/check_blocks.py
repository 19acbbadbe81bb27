# Reads two sparse-train checkpoints (checkpoint/state.safetensors) whose
# weights use 4x4 blocks and prints, per weight of the first, the fraction of
# blocks its pattern stores and how many nonzero blocks lie outside it; then
# whether the two runs' patterns differ. (A stored block may be all zero: a
# block regrown where its input features are dead gets a zero gradient.)
import json, struct, sys
import numpy as np

def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=np.float32).reshape(e["shape"])
    return out

if __name__ == "__main__":
    a, b = load(sys.argv[1]), load(sys.argv[2])
    differ = False
    for key in sorted(a):
        if not key.startswith("pattern/"):
            continue
        name = key[len("pattern/"):]
        w = a["param/" + name]
        r, c = w.shape
        pattern = a[key].reshape(r // 4, c // 4) != 0
        nonzero = np.abs(w).reshape(r // 4, 4, c // 4, 4).sum(axis=(1, 3)) != 0
        print(name, "%.2f" % pattern.mean(), "outside:", int((nonzero & ~pattern).sum()))
        differ |= bool((a[key] != b[key]).any())
    print("patterns differ:", "yes" if differ else "no")
