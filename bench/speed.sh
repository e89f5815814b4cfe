#!/usr/bin/env bash
# Speed: the I-JEPA train step of ijepa-ort vs the TorchSharp peer, same model, batch, mask shapes and threads,
# alternating runs in one session (the machine is shared and noisy: compare medians and their ratio).
# Usage: [PRESETS="micro tiny32"] bench/speed.sh [rounds=3] [steps=20]   → bench/results/speed-<date>.json
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peer="$root/../shared/peers/torchsharp-ijepa/run.sh"
rounds="${1:-3}" steps="${2:-20}"
cd "$root"
./ijepa-ort build --config models/fmnist-vit-micro.yaml >/dev/null
out="bench/results/speed-$(date +%F).json"
tmp="$(mktemp)"
# preset  our config                        peer shapes (context, target)
declare -A shapes=([micro]="models/fmnist-vit-micro.yaml 23 8" [tiny32]="models/cifar-vit-tiny32.yaml 30 10")
for preset in ${PRESETS:-micro tiny32}; do
  set -- $preset ${shapes[$preset]}
  for r in $(seq "$rounds"); do
    ours=$(./ijepa-ort bench --config "$2" --batch 64 --steps "$steps" --threads 2 --context "$3" --target "$4" --json | tail -1)
    theirs=$("$peer" train "$1" --batch 64 --steps "$steps" --threads 2 | grep PEER_JSON | sed 's/^PEER_JSON //')
    echo "{\"preset\":\"$1\",\"round\":$r,\"ours\":$ours,\"peer\":$theirs}" | tee -a "$tmp"
  done
done
python3 - "$tmp" "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
summary = {}
for preset in sorted({r["preset"] for r in rows}):
    rs = [r for r in rows if r["preset"] == preset]
    ours = statistics.median(r["ours"]["ms_per_step"] for r in rs)
    peer = statistics.median(r["peer"]["ms_per_step"] for r in rs)
    summary[preset] = {"ours_ms_per_step": ours, "peer_ms_per_step": peer, "speedup": peer / ours,
                       "ours_peak_rss_mib": max(r["ours"]["peak_rss_mib"] for r in rs),
                       "peer_peak_rss_mib": max(r["peer"].get("peak_rss_mib", 0) for r in rs)}
    print(f"{preset}: ours {ours:.0f} ms/step, peer {peer:.0f} ms/step, speedup {peer/ours:.2f}x")
json.dump({"rounds": rows, "summary": summary}, open(sys.argv[2], "w"), indent=1)
print("wrote", sys.argv[2])
PY
rm -f "$tmp"
