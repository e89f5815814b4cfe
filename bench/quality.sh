#!/usr/bin/env bash
# bench/quality.sh [fmnist] [small] [scenes] — does I-JEPA pretraining help, and how much (issue 11)? Each part pretrains a
# preset for its whole schedule (so the learning rate ends where the preset says) and probes its target encoder on the
# test split, once, against a randomly initialised encoder of the same preset and the raw pixels, with every readout
# (mean = the paper's protocol, grid:2, attentive), linear probe and kNN:
#   fmnist  models/fmnist-vit-micro.yaml, the default run (`./ijepa-ort train`), ~10 min on 2 idle cores
#   small   models/fmnist-vit-small.yaml, the longer preset, ~30 min
#   scenes  models/scenes-vit-micro.yaml, object count and largest size on the generated scenes
# The Fashion-MNIST parts also probe every numbered checkpoint (top-1 over training, one line per readout and method).
# Writes bench/results/quality-<date>-<part>.json (every figure, the commands, the wall times) and -<part>.png, then
# prints the README's table from every bench/results/quality-<date>-*.json (bench/quality-table.py).
# Settings were chosen on a validation split carved from the training images (`probe --validation`; README, "How the
# presets were tuned"), never on these test figures.
# Knobs (environment): TRAIN_SIZE / TEST_SIZE (probe subsets; 0 = all), READOUTS, DEVICE (cpu | cuda:N).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(fmnist small scenes)
TRAIN_SIZE=${TRAIN_SIZE:-10000}
TEST_SIZE=${TEST_SIZE:-5000}
READOUTS=${READOUTS:-mean,grid:2,attentive}
DEVICE=${DEVICE:-cpu}
date=$(date +%F)
results=bench/results
work=$results/tmp/quality-$date
mkdir -p "$work"

./ijepa-ort --help >/dev/null 2>&1 || true      # build once, outside the timings

for part in "${parts[@]}"; do
  case $part in
    fmnist) config=models/fmnist-vit-micro.yaml; probe_args=(--curve --plot "$results/quality-$date-$part.png") ;;
    small)  config=models/fmnist-vit-small.yaml; probe_args=(--curve --plot "$results/quality-$date-$part.png") ;;
    scenes) config=models/scenes-vit-micro.yaml; probe_args=(--task count,size) ;;
    *) echo "bench/quality.sh: '$part' is not fmnist, small or scenes" >&2; exit 2 ;;
  esac
  run=$work/$part
  rm -rf "$run"
  train_cmd=(./ijepa-ort train --config "$config" --out "$run" --device "$DEVICE" --json)
  probe_cmd=(./ijepa-ort probe --checkpoint "$run" --baselines --readout "$READOUTS" --train-size "$TRAIN_SIZE"
    --test-size "$TEST_SIZE" --device "$DEVICE" --json "${probe_args[@]}")
  echo "== $part: ${train_cmd[*]}" >&2
  t0=$(date +%s)
  "${train_cmd[@]}" | tee "$work/$part-train.log" >&2
  train_s=$(( $(date +%s) - t0 ))
  echo "== $part: ${probe_cmd[*]}" >&2
  t0=$(date +%s)
  "${probe_cmd[@]}" | tee "$work/$part-probe.log"
  probe_s=$(( $(date +%s) - t0 ))
  python3 - "$results/quality-$date-$part.json" <<PY
import json, sys
json.dump({"date": "$date", "part": "$part", "config": "$config", "cores": $(nproc), "device": "$DEVICE",
           "load_average": open("/proc/loadavg").read().split()[:3],
           "train_command": "${train_cmd[*]}", "probe_command": "${probe_cmd[*]}",
           "train_seconds": $train_s, "probe_seconds": $probe_s,
           "train": json.loads(open("$work/$part-train.log").read().strip().splitlines()[-1]),
           "probe": json.loads(open("$work/$part-probe.log").read().strip().splitlines()[-1])},
          open(sys.argv[1], "w"), indent=1)
PY
  echo "wrote $results/quality-$date-$part.json" >&2
done

python3 bench/quality-table.py "$results"/quality-"$date"-*.json
