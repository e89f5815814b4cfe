#!/usr/bin/env bash
# Scale: the train step of 1 rank (2 intra-op threads) against 2 MPI ranks (1 thread each) at the same global batch,
# alternating in one session, with the allreduce of the flat gradient buffer also timed on its own (20 rounds after a
# barrier each). Here both share one 2-core machine, so this measures the overhead of data parallelism, not a speed-up.
# Usage: [PRESETS="tiny32 micro"] bench/scale.sh [rounds=3] [steps=10]   → bench/results/scale-<date>.json
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}" steps="${2:-10}"
cd "$root"
./ijepa-ort --help >/dev/null 2>&1 || true   # builds the CLI once
dll="src/IJepa.Cli/bin/Release/net10.0/ijepa-ort.dll"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p bench/results
out="bench/results/scale-$(date +%F).json"
tmp="$(mktemp)"
declare -A configs=([micro]=models/fmnist-vit-micro.yaml [tiny32]=models/cifar-vit-tiny32.yaml)
for preset in ${PRESETS:-tiny32 micro}; do
  config="${configs[$preset]}"
  for r in $(seq "$rounds"); do
    one=$(dotnet "$dll" bench --config "$config" --batch 64 --steps "$steps" --threads 2 --json | tail -1)
    two=$(mpirun -np 2 --oversubscribe dotnet "$dll" bench --config "$config" --batch 64 --steps "$steps" --threads 1 --json | tail -1)
    echo "{\"preset\":\"$preset\",\"round\":$r,\"one_rank\":$one,\"two_ranks\":$two}" | tee -a "$tmp"
  done
done
python3 - "$tmp" "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
summary = {}
for preset in sorted({r["preset"] for r in rows}):
    rs = [r for r in rows if r["preset"] == preset]
    med = lambda key, f: statistics.median(f(r[key]) for r in rs)
    one, two = med("one_rank", lambda x: x["ms_per_step"]), med("two_ranks", lambda x: x["ms_per_step"])
    ar_alone = med("two_ranks", lambda x: x["allreduce_ms"])
    ar_step = med("two_ranks", lambda x: x["phases_ms"]["allreduce"])
    mib = rs[0]["two_ranks"]["gradient_elements"] * 4 / 2**20
    summary[preset] = {"one_rank_ms_per_step": one, "two_ranks_ms_per_step": two, "two_vs_one": two / one,
                       "allreduce_alone_ms": ar_alone, "allreduce_in_step_ms": ar_step, "gradient_mib": mib,
                       "allreduce_gib_per_s": mib / 1024 / (ar_alone / 1000)}
    print(f"{preset}: 1 rank {one:.0f} ms/step, 2 ranks {two:.0f} ms/step ({two/one:.2f}x); allreduce of {mib:.1f} MiB "
          f"alone {ar_alone:.2f} ms, in the step {ar_step:.1f} ms (includes waiting for the slower rank)")
json.dump({"rounds": rows, "summary": summary}, open(sys.argv[2], "w"), indent=1)
print("wrote", sys.argv[2])
PY
rm -f "$tmp"
