#!/usr/bin/env bash
# Speed: the I-JEPA train step of ijepa-ort vs the TorchSharp peer (../shared/peers/torchsharp-ijepa), same model,
# batch, mask shapes and threads, alternating runs in one session (the machine is shared: compare the ratios of
# medians measured side by side; the load average is recorded with every run). Then one profiled run of ours per
# preset gives the train graph's kernel time by op type and by part (target forward, context + predictor forward,
# backward) and the optimizer graph's. Writes one JSON: bench/results/speed-<date>.json (OUT overrides).
# Usage: [PRESETS="micro tiny32"] [THREADS=2] bench/speed.sh [rounds=3] [steps=15]
# (the peer's first run restores TorchSharp-cpu/libtorch, about 1 GB, into its build folder)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peer="$root/../shared/peers/torchsharp-ijepa/run.sh"
rounds="${1:-3}" steps="${2:-15}" threads="${THREADS:-2}"
cd "$root"
out="${OUT:-bench/results/speed-$(date +%F).json}"
tmp="bench/results/tmp/speed-$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
# preset  our config                        peer shapes (context, target)
declare -A shapes=([micro]="models/fmnist-vit-micro.yaml 23 8" [tiny32]="models/cifar-vit-tiny32.yaml 30 10")
load() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s.%N; }
for preset in ${PRESETS:-micro tiny32}; do
  set -- $preset ${shapes[$preset]}
  for r in $(seq "$rounds"); do
    l0=$(load) t0=$(now)
    ours=$(./ijepa-ort bench --config "$2" --batch 64 --warmup 5 --steps "$steps" --threads "$threads" --context "$3" --target "$4" --json | tail -1)
    l1=$(load) t1=$(now)
    "$peer" train "$1" --batch 64 --warmup 5 --steps "$steps" --threads "$threads" > "$tmp/peer.txt"
    l2=$(load) t2=$(now)
    python3 - "$tmp/peer.txt" "$1" "$r" "$ours" "$l0 $l1 $l2" "$t0 $t1 $t2" >> "$tmp/rounds.jsonl" <<'PY'
import json, re, sys
text, preset, r, ours, loads, times = open(sys.argv[1]).read(), sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4]), sys.argv[5].split(), [float(t) for t in sys.argv[6].split()]
peer = json.loads(re.search(r"^PEER_JSON (.*)$", text, re.M).group(1))
m = re.search(r"\(min ([\d.]+), max ([\d.]+)", text)
peer["min_ms"], peer["max_ms"] = float(m.group(1)), float(m.group(2))
names = {"tgt-fwd": "target_forward", "ctx+pred-fwd+loss": "context_predictor_forward", "backward": "backward", "adamw": "optimizer", "ema": "ema"}
phases = re.search(r"^phase medians: (.*)$", text, re.M).group(1)
peer["phases_ms"] = {names[k]: float(v) for k, v in re.findall(r"([\w+-]+) ([\d.]+) ms", phases)}
ours["wall_s"], peer["wall_s"] = round(times[1] - times[0], 1), round(times[2] - times[1], 1)
ours["load_before"], peer["load_before"] = float(loads[0]), float(loads[1])
row = {"preset": preset, "round": r, "ours": ours, "peer": peer}
print(json.dumps(row))
print(f"{preset} round {r}: ours {ours['ms_per_step']:.1f} ms/step, peer {peer['ms_per_step']:.1f} ms/step (load {loads[0]} / {loads[1]})", file=sys.stderr)
PY
  done
  ./ijepa-ort bench --config "$2" --batch 64 --warmup 1 --steps 4 --threads "$threads" --context "$3" --target "$4" --profile "$tmp/prof-$1" >/dev/null
  python3 bench/profile-ops.py "$tmp"/prof-"$1"_*.json 2>/dev/null | python3 -c "import json,sys; print(json.dumps({'preset': sys.argv[1], 'profile': json.load(sys.stdin)}))" "$1" >> "$tmp/profiles.jsonl"
done
python3 - "$tmp/rounds.jsonl" "$tmp/profiles.jsonl" "$out" "$threads" "$(nproc)" "$rounds" "$steps" <<'PY'
import json, statistics, sys, datetime
rows = [json.loads(l) for l in open(sys.argv[1])]
profiles = {p["preset"]: p["profile"] for p in map(json.loads, open(sys.argv[2]))}
PEAK = 230.0                                     # GFLOP/s: the machine's measured FMA peak (2 cores, peer README)
FLOP = {"tiny32": 152.97, "micro": 17.67}        # GFLOP of matmul per step (the peer's analytical count)
med = statistics.median
def side(rs, key, preset):
    xs = [r[key] for r in rs]
    ms = med(x["ms_per_step"] for x in xs)
    gflop = xs[0].get("gflop_per_step", FLOP[preset])
    s = {"ms_per_step": round(ms, 1), "min_ms": round(min(x["min_ms"] for x in xs), 1), "max_ms": round(max(x["max_ms"] for x in xs), 1),
         "round_medians_ms": [round(x["ms_per_step"], 1) for x in xs], "img_per_s": round(64000 / ms, 1),
         "gflop_per_step": gflop, "gflops": round(gflop * 1000 / ms, 1), "pct_of_fma_peak": round(100 * gflop * 1000 / ms / PEAK, 1),
         "peak_rss_mib": max(x["peak_rss_mib"] for x in xs), "wall_s": [x["wall_s"] for x in xs], "load_before": [x["load_before"] for x in xs],
         "phases_ms": {k: round(med(x["phases_ms"][k] for x in xs), 1) for k in xs[0]["phases_ms"]}}
    if "first_step_s" in xs[0]: s["first_step_s"] = round(med(x["first_step_s"] for x in xs), 2)
    return s
summary = {}
for preset in dict.fromkeys(r["preset"] for r in rows):
    rs = [r for r in rows if r["preset"] == preset]
    ours, peer = side(rs, "ours", preset), side(rs, "peer", preset)
    ratios = [r["peer"]["ms_per_step"] / r["ours"]["ms_per_step"] for r in rs]
    summary[preset] = {"ours": ours, "peer": peer, "speedup_vs_peer": round(peer["ms_per_step"] / ours["ms_per_step"], 3),
                       "speedup_per_round": [round(x, 3) for x in ratios], "rss_ours_over_peer": round(ours["peak_rss_mib"] / peer["peak_rss_mib"], 3),
                       "profile": profiles.get(preset)}
    print(f"{preset}: ours {ours['ms_per_step']:.1f} ms/step ({ours['gflops']:.0f} GFLOP/s, {ours['pct_of_fma_peak']:.0f}% of peak, "
          f"RSS {ours['peak_rss_mib']:.0f} MiB, first step {ours.get('first_step_s', 0):.1f} s), peer {peer['ms_per_step']:.1f} ms/step "
          f"(RSS {peer['peak_rss_mib']} MiB): {peer['ms_per_step'] / ours['ms_per_step']:.2f}x")
meta = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "threads": int(sys.argv[4]), "cpus": int(sys.argv[5]),
        "batch": 64, "fma_peak_gflops": PEAK, "command": f"PRESETS=\"{' '.join(summary)}\" bench/speed.sh {sys.argv[6]} {sys.argv[7]}"}
json.dump({"meta": meta, "summary": summary, "rounds": rows}, open(sys.argv[3], "w"), indent=1)
print("wrote", sys.argv[3])
PY
