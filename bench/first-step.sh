#!/usr/bin/env bash
# Time to first step: `ijepa-ort bench` for one step with speed.sh's mask shapes, alternating arms in one session (the
# machine is shared): ours (the launcher as is), ours-4k (huge pages off: GLIBC_TUNABLES=glibc.malloc.hugetlb=0) and,
# with BASE=<another checkout>, that checkout's ./ijepa-ort (e.g. main before a change). Reports first_step_s (bench's
# clock: config, graphs, sessions, stores, the first step) and wall_s (process start to exit: what a user waits), medians
# over the rounds, with the minor page faults of the process. Writes bench/results/first-step-<date>.json (OUT overrides).
# Usage: [PRESETS="micro tiny32"] [THREADS=2] [BASE=dir] bench/first-step.sh [rounds=3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}" threads="${THREADS:-2}"
cd "$root"
out="${OUT:-bench/results/first-step-$(date +%F).json}"
tmp="bench/results/tmp/first-step-$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
# preset  config                         fixed mask shapes (context, target): speed.sh's
declare -A configs=([micro]="models/fmnist-vit-micro.yaml" [tiny32]="models/cifar-vit-tiny32.yaml") shapes=([micro]="23 8" [tiny32]="30 10")
arms="ours ours-4k${BASE:+ base}"
# Build outside the clock (--version exits 1 by CommandLineParser's convention; a failed build shows in the first run).
for dir in "$root" ${BASE:+"$BASE"}; do "$dir/ijepa-ort" --version >/dev/null || true; done
one() {  # arm preset round
  local dir="$root" tunables="${GLIBC_TUNABLES:-}" masks=(${shapes[$2]}) l0 t0 t1 json
  case $1 in ours-4k) tunables=glibc.malloc.hugetlb=0 ;; base) dir="$BASE" ;; esac
  l0=$(cut -d' ' -f1 /proc/loadavg) t0=$(date +%s.%N)
  json=$(cd "$dir" && GLIBC_TUNABLES="$tunables" /usr/bin/time -f "faults %R" -o "$root/$tmp/time.txt" ./ijepa-ort bench --config "${configs[$2]}" \
    --batch 64 --warmup 0 --steps 1 --threads "$threads" --context "${masks[0]}" --target "${masks[1]}" --json 2>/dev/null | tail -1)
  t1=$(date +%s.%N)
  python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(json.dumps({"arm": sys.argv[2], "preset": sys.argv[3], "round": int(sys.argv[4]), "first_step_s": round(j["first_step_s"], 2), "wall_s": round(float(sys.argv[6]) - float(sys.argv[5]), 2), "minor_faults": int(sys.argv[8].split()[-1]), "peak_rss_mib": round(j["peak_rss_mib"]), "first_loss": j["first_loss"], "load_before": float(sys.argv[7])}))' \
    "$json" "$1" "$2" "$3" "$t0" "$t1" "$l0" "$(tail -1 "$tmp/time.txt")" | tee -a "$tmp/rows.jsonl" >&2
}
for r in $(seq "$rounds"); do
  for preset in ${PRESETS:-micro tiny32}; do
    for arm in $arms; do one "$arm" "$preset" "$r"; done
  done
done
python3 - "$tmp/rows.jsonl" "$out" "$threads" "$rounds" "$arms" "${BASE:-}" "$(nproc)" <<'PY'
import json, statistics, sys, datetime
rows = [json.loads(l) for l in open(sys.argv[1])]
summary = {}
for preset in dict.fromkeys(r["preset"] for r in rows):
    summary[preset] = {}
    for arm in sys.argv[5].split():
        rs = [r for r in rows if r["preset"] == preset and r["arm"] == arm]
        s = summary[preset][arm] = {k: round(statistics.median(r[k] for r in rs), 2) for k in ("first_step_s", "wall_s", "minor_faults", "peak_rss_mib")}
        s |= {"first_step_s_rounds": [r["first_step_s"] for r in rs], "wall_s_rounds": [r["wall_s"] for r in rs], "first_loss": sorted({r["first_loss"] for r in rs})}
        print(f"{preset} {arm}: first step {s['first_step_s']:.2f} s, process {s['wall_s']:.2f} s, {s['minor_faults']:.0f} page faults (medians of {len(rs)})")
meta = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "threads": int(sys.argv[3]), "batch": 64,
        "command": f"{'BASE=' + sys.argv[6] + ' ' if sys.argv[6] else ''}PRESETS=\"{' '.join(summary)}\" bench/first-step.sh {sys.argv[4]}",
        "arms": sys.argv[5].split(), "cpus": int(sys.argv[7])}
json.dump({"meta": meta, "summary": summary, "rounds": rows}, open(sys.argv[2], "w"), indent=1)
print("wrote", sys.argv[2])
PY
