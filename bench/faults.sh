#!/usr/bin/env bash
# Faults: kill-and-resume trials of `ijepa-ort train` on a short schedule of the micro preset. Each trial SIGKILLs the run
# (at a random moment, or at a chosen write through IJEPA_KILL_AT: mid-step, while writing latest or copying ep<N>, while
# a resume rewrites log.csv or metrics.jsonl), resumes it with --resume until it finishes, and compares the result with
# an uninterrupted run: checkpoints byte for byte, log.csv and metrics.jsonl row for row (step times aside).
# Usage: bench/faults.sh [trials=22]   → bench/results/faults-<date>.json (runs under runs/faults/, ignored by git)
# The fast part (a few kills at fixed points) is tests/IJepa.Cli.Tests/KillResumeTests.cs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./ijepa-ort build --config models/fmnist-vit-micro.yaml >/dev/null
# The trials run a copy of the CLI, so that a rebuild during the bench cannot swap it under them.
rm -rf runs/faults && mkdir -p runs/faults && cp -r src/IJepa.Cli/bin/Release/net10.0 runs/faults/bin
python3 - "${1:-22}" "bench/results/faults-$(date +%F).json" <<'PY'
import json, os, random, re, shutil, signal, subprocess, sys, time

trials, out = int(sys.argv[1]), sys.argv[2]
EVERY, IPE, EPOCHS, MAX_STEPS = 3, 8, 6, 40
SETTINGS = (f"ijepa_ort.ipe={IPE};optimization.epochs={EPOCHS};ijepa_ort.checkpoint_freq=1;ijepa_ort.eval_freq=0;"
            f"ijepa_ort.checkpoint_every.steps={EVERY};ijepa_ort.checkpoint_every.minutes=0;ijepa_ort.threads=1;"
            "data.batch_size=16;data.num_workers=1")
DLL = "runs/faults/bin/ijepa-ort.dll"
BASE = "runs/faults"
rng = random.Random(int(os.environ.get("SEED", "9")))

def command(run_dir, resume):
    return ["dotnet", DLL, "train", "--out", run_dir, "--max-steps", str(MAX_STEPS), "--set", SETTINGS] + (["--resume"] if resume else [])

def train(run_dir, resume, kill_at=None, kill_after=None):
    """Runs one process; kill_at: an IJEPA_KILL_AT point, kill_after: seconds before a SIGKILL. Returns (rc, output)."""
    env = dict(os.environ, **({"IJEPA_KILL_AT": kill_at} if kill_at else {}))
    p = subprocess.Popen(command(run_dir, resume), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    if kill_after is not None:
        try: p.wait(timeout=kill_after)
        except subprocess.TimeoutExpired: p.send_signal(signal.SIGKILL)
    output = p.communicate(timeout=600)[0]
    return p.returncode, output

def rows(run_dir):
    """Complete rows of log.csv: the steps the killed run had done (a row is written per step)."""
    try: text = open(os.path.join(run_dir, "log.csv"), encoding="utf-8", errors="replace").read()
    except FileNotFoundError: return 0
    return max(0, text.count("\n") - 1)

def resumed_at(output):
    m = re.search(r"resuming from \S+ at step (\d+)", output)
    return int(m.group(1)) if m else 0

def comparable(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    if path.endswith(".csv"): return [",".join("" if i == 5 else f for i, f in enumerate(l.split(","))) for l in lines]
    return [re.sub(r'"eval_seconds":[^,}]*', "", l) for l in lines]

def checkpoints(run_dir):
    folder = os.path.join(run_dir, "checkpoints")
    return {f: open(os.path.join(folder, f), "rb").read() for f in sorted(os.listdir(folder))}

reference = f"{BASE}/reference"
start = time.time()
rc, output = train(reference, False)
assert rc == 0, output
reference_seconds = time.time() - start
ref_ckpt, ref_logs = checkpoints(reference), {f: comparable(f"{reference}/{f}") for f in ("log.csv", "metrics.jsonl")}
print(f"reference: {MAX_STEPS} steps in {reference_seconds:.1f} s; checkpoints {sorted(ref_ckpt)}", flush=True)

# Targeted kills, one kind per trial in turn (odd trials); even trials kill at random moments.
def targeted(i):
    kinds = [
        ("mid-step", lambda: [f"step:{rng.randint(1, MAX_STEPS - 1)}"]),
        ("writing latest (data)", lambda: [f"mid-write:latest.safetensors:{rng.randint(1, 10)}"]),
        ("writing latest (before rename)", lambda: [f"before-rename:latest.safetensors:{rng.randint(1, 10)}"]),
        ("copying ep<N> (data)", lambda: [f"mid-write:ep{rng.randint(1, 4)}.safetensors:1"]),
        ("copying ep<N> (before rename)", lambda: [f"before-rename:ep{rng.randint(1, 4)}.safetensors:1"]),
        ("resume rewriting log.csv", lambda: [f"step:{rng.randint(2, 20)}", "before-rename:log.csv:1"]),
        ("resume rewriting metrics.jsonl", lambda: [f"step:{rng.randint(9, 30)}", "mid-write:metrics.jsonl:1"]),
        ("twice mid-step", lambda: [f"step:{rng.randint(1, 15)}", f"step:{rng.randint(1, 15)}"]),
    ]
    return kinds[(i // 2) % len(kinds)]

def trial(i, run_dir):
    shutil.rmtree(run_dir, ignore_errors=True)
    if i % 2 == 0:
        kind, plan = "random moment", [("time", rng.uniform(0.2, 0.9 * reference_seconds)) for _ in range(rng.randint(1, 2))]
    else:
        kind, points = targeted(i)
        plan = [("point", p()) if callable(p) else ("point", p) for p in points()]
    kills, per_kill, events, pending = 0, [], [], None
    runs = list(plan) + [("none", None)] * 5                  # the kills, then plain resumes until it finishes
    final_rc = output = None
    for how, what in runs:
        rc, output = train(run_dir, True, kill_at=what if how == "point" else None, kill_after=what if how == "time" else None)
        if pending is not None and ("resuming from" in output or "starting fresh" in output):
            per_kill.append(max(0, pending - resumed_at(output)))  # steps the killed run had logged past its checkpoint
            pending = None
        if how != "none": events.append({"kill": what, "exit": rc, "rows_at_kill": rows(run_dir)})
        if rc == 0:
            final_rc = 0
            break
        if rc == -signal.SIGKILL or rc == 137:
            kills += 1
            pending = rows(run_dir) if pending is None else pending
        else:
            final_rc = rc
            break
    redone = sum(per_kill)
    ok = final_rc == 0 and "done:" in output
    ckpt = checkpoints(run_dir) if ok else {}
    same_params = ok and ckpt == ref_ckpt
    same_logs = ok and all(comparable(f"{run_dir}/{f}") == ref_logs[f] for f in ref_logs)
    leftovers = [f for f in os.listdir(f"{run_dir}/checkpoints") if f.endswith(".tmp")] if ok else []
    return {"trial": i, "kind": kind, "events": events, "kills": kills, "survived": ok, "final_exit": final_rc,
            "identical_checkpoints": same_params, "identical_logs": same_logs, "tmp_left": leftovers,
            "steps_redone": redone, "max_redone_per_kill": max(per_kill, default=0)}

results = []
for i in range(trials):
    for attempt in range(3):                 # a random kill that came after the run had finished kills nothing: draw again
        result = trial(i, f"{BASE}/trial{i:02d}")
        if result["kills"] > 0: break
    results.append(result)
    print(json.dumps(result), flush=True)

summary = {
    "date": time.strftime("%Y-%m-%d"), "command": "bash bench/faults.sh " + sys.argv[1],
    "schedule": {"preset": "fmnist-vit-micro", "max_steps": MAX_STEPS, "ipe": IPE, "epochs": EPOCHS, "checkpoint_every_steps": EVERY, "set": SETTINGS},
    "reference_seconds": round(reference_seconds, 1),
    "trials": len(results), "kills": sum(r["kills"] for r in results),
    "survived": sum(r["survived"] for r in results),
    "identical_checkpoints": sum(r["identical_checkpoints"] for r in results),
    "identical_logs": sum(r["identical_logs"] for r in results),
    "steps_redone": sum(r["steps_redone"] for r in results),
    "max_steps_redone_per_kill": max(r["max_redone_per_kill"] for r in results),
    "tmp_files_left": sum(len(r["tmp_left"]) for r in results),
    "seconds": round(time.time() - start, 1),
    "results": results,
}
os.makedirs(os.path.dirname(out), exist_ok=True)
json.dump(summary, open(out, "w"), indent=1)
print(json.dumps({k: v for k, v in summary.items() if k != "results"}))
print(f"wrote {out}")
PY
