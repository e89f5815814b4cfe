#!/usr/bin/env python3
"""Compares two step dumps (`ijepa-ort bench --dump-first-step`, safetensors: `loss` F64 [1], `grad.<name>` F32)
tensor by tensor: normwise relative difference |a - b| / |b| per tensor, the worst one, and a pass/fail against --tol.
Pure Python (no numpy), so it runs on any machine the bundle reaches.
Usage: compare-steps.py OURS REFERENCE [--tol 1e-4] [--json OUT]"""
import argparse, array, json, math, struct, sys

def read(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        values = array.array({"F32": "f", "F64": "d"}[info["dtype"]])
        values.frombytes(data[begin:end])
        if sys.byteorder != "little":
            values.byteswap()
        out[name] = values
    return out

def relative(a, b):
    diff = math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))
    norm = math.sqrt(sum(y * y for y in b))
    return diff / norm if norm > 0 else diff

def main():
    p = argparse.ArgumentParser()
    p.add_argument("ours"); p.add_argument("reference")
    p.add_argument("--tol", type=float, default=1e-4); p.add_argument("--json")
    a = p.parse_args()
    ours, ref = read(a.ours), read(a.reference)
    missing = sorted(set(ref) ^ set(ours))
    if missing:
        print(f"tensors in only one file: {missing[:5]}{' …' if len(missing) > 5 else ''}")
        return 1
    diffs = {name: relative(ours[name], ref[name]) for name in sorted(ref)}
    worst = max(diffs, key=diffs.get)
    ok = diffs[worst] <= a.tol
    print(f"loss {ours['loss'][0]:.8g} vs {ref['loss'][0]:.8g}; {len(diffs)} tensors, worst relative difference "
          f"{diffs[worst]:.2e} ({worst}); tolerance {a.tol:g}: {'PASS' if ok else 'FAIL'}")
    if a.json:
        json.dump({"loss": [ours["loss"][0], ref["loss"][0]], "worst": diffs[worst], "worst_tensor": worst,
                   "tolerance": a.tol, "pass": ok, "tensors": len(diffs)}, open(a.json, "w"))
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
