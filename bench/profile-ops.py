#!/usr/bin/env python3
# Summarises ONNX Runtime profiles (`./ijepa-ort bench --profile PREFIX`): kernel time per op type and per part of the
# step (target forward, context encoder + predictor forward, backward: the node's scope) per run, one object per
# profile file (the train-step graph and the optimizer graph each write one). The first two runs (one per side of the
# parameter ping-pong, where buffers are touched for the first time) are left out. Usage: profile-ops.py FILE...
import collections, json, sys

def part(node):
    scope = node.split("/")[0]
    if scope.startswith("grad"): return "backward"
    if scope.startswith("target_encoder"): return "target_forward"
    if scope.startswith(("encoder", "predictor")): return "context_predictor_forward"
    return "other"

def summarise(path, skip_runs=2):
    events = json.load(open(path))
    runs = sorted((e["ts"], e["ts"] + e["dur"]) for e in events if e.get("cat") == "Session" and e.get("name") == "model_run")
    timed = runs[skip_runs:] or runs
    start = timed[0][0]
    per_op, per_part, count = collections.defaultdict(float), collections.defaultdict(float), collections.Counter()
    for e in events:
        if e.get("cat") != "Node" or not e["name"].endswith("_kernel_time") or e["ts"] < start: continue
        op = e.get("args", {}).get("op_name", "?")
        per_op[op] += e["dur"]
        per_part[part(e["name"])] += e["dur"]
        count[op] += 1
    n = len(timed)
    ms = lambda us: round(us / n / 1000, 2)
    ops = {op: {"ms": ms(us), "nodes": count[op] // n} for op, us in sorted(per_op.items(), key=lambda kv: -kv[1])}
    return {"file": path, "runs": n, "run_ms": round(sum(b - a for a, b in timed) / n / 1000, 1),
            "kernel_ms": ms(sum(per_op.values())), "nodes": sum(count.values()) // n,
            "parts_ms": {p: ms(us) for p, us in sorted(per_part.items())}, "ops": ops}

if __name__ == "__main__":
    out = [summarise(p) for p in sys.argv[1:]]
    for s in out:
        print(f"{s['file']}: {s['runs']} runs, {s['run_ms']} ms/run, kernels {s['kernel_ms']} ms over {s['nodes']} nodes; "
              + ", ".join(f"{k} {v} ms" for k, v in s["parts_ms"].items()), file=sys.stderr)
        for op, v in list(s["ops"].items())[:25]:
            print(f"  {op:28s} {v['ms']:8.2f} ms  {v['nodes']:5d} nodes", file=sys.stderr)
    print(json.dumps(out))
