#!/usr/bin/env bash
# bench/quality.sh — does I-JEPA pretraining help? (issue 4) Pretrains a small preset on Fashion-MNIST for a fixed number of
# steps, then probes its target encoder (linear probe and kNN top-1) against a randomly initialised encoder of the same
# preset and the raw pixels, with the accuracy over training (every numbered checkpoint); then pretrains the scenes preset
# and probes object count and largest-object size (the paper's Clevr/Count and Clevr/Dist, in miniature).
# Each preset trains its whole schedule (2,400 and 1,200 steps), so the learning rate ends where the preset says.
# Writes bench/results/quality-<date>.json (every figure) and quality-<date>.png (probe top-1 over training, one point
# per checkpoint: every ijepa_ort.checkpoint_freq epochs). About 25-30 minutes on 2 idle CPU cores.
# Knobs (environment): FMNIST_CONFIG, FMNIST_STEPS / SCENES_STEPS (stop early, schedule unchanged; default: the whole
# schedule), SCENES_CONFIG, TRAIN_SIZE / TEST_SIZE (probe subsets; 0 = all), SKIP_SCENES=1, DEVICE (cpu | cuda:N).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

FMNIST_CONFIG=${FMNIST_CONFIG:-models/fmnist-vit-micro.yaml}
FMNIST_STEPS=${FMNIST_STEPS:-}
SCENES_CONFIG=${SCENES_CONFIG:-models/scenes-vit-micro.yaml}
SCENES_STEPS=${SCENES_STEPS:-}
TRAIN_SIZE=${TRAIN_SIZE:-10000}
TEST_SIZE=${TEST_SIZE:-5000}
DEVICE=${DEVICE:-cpu}
date=$(date +%F)
results=bench/results
work=$results/tmp/quality-$date
mkdir -p "$work"
rm -rf "$work/fmnist" "$work/scenes"

last_json() { tail -n 1 "$1"; }
max_steps() { [ -n "$1" ] && echo "--max-steps $1" || true; }
steps_json() { [ -n "$1" ] && echo "$1" || echo null; }
seconds_since() { echo $(( $(date +%s) - $1 )); }

./ijepa-ort --help >/dev/null 2>&1 || true      # build once, outside the timings

echo "== pretrain $FMNIST_CONFIG" >&2
t0=$(date +%s)
# shellcheck disable=SC2046
./ijepa-ort train --config "$FMNIST_CONFIG" --out "$work/fmnist" $(max_steps "$FMNIST_STEPS") --device "$DEVICE" --json \
  | tee "$work/fmnist-train.log" >&2
fmnist_train_s=$(seconds_since "$t0")

echo "== probe (linear + kNN) against random init and raw pixels, over training" >&2
t0=$(date +%s)
./ijepa-ort probe --checkpoint "$work/fmnist" --baselines --curve --plot "$results/quality-$date.png" \
  --train-size "$TRAIN_SIZE" --test-size "$TEST_SIZE" --device "$DEVICE" --json | tee "$work/fmnist-probe.log"
fmnist_probe_s=$(seconds_since "$t0")

scenes_json=null
if [ "${SKIP_SCENES:-0}" != 1 ]; then
  echo "== pretrain $SCENES_CONFIG" >&2
  t0=$(date +%s)
  # shellcheck disable=SC2046
  ./ijepa-ort train --config "$SCENES_CONFIG" --out "$work/scenes" $(max_steps "$SCENES_STEPS") --device "$DEVICE" --json \
    | tee "$work/scenes-train.log" >&2
  scenes_train_s=$(seconds_since "$t0")
  echo "== probe object count and largest size against random init and raw pixels" >&2
  t0=$(date +%s)
  ./ijepa-ort probe --checkpoint "$work/scenes" --task count,size --baselines \
    --train-size "$TRAIN_SIZE" --test-size "$TEST_SIZE" --device "$DEVICE" --json | tee "$work/scenes-probe.log"
  scenes_probe_s=$(seconds_since "$t0")
  scenes_json="{\"config\": \"$SCENES_CONFIG\", \"max_steps\": $(steps_json "$SCENES_STEPS"), \"train_seconds\": $scenes_train_s, \"probe_seconds\": $scenes_probe_s, \"train\": $(last_json "$work/scenes-train.log"), \"probe\": $(last_json "$work/scenes-probe.log")}"
fi

cat > "$results/quality-$date.json" <<JSON
{"date": "$date", "cores": $(nproc), "device": "$DEVICE", "probe_train_size": $TRAIN_SIZE, "probe_test_size": $TEST_SIZE,
 "fmnist": {"config": "$FMNIST_CONFIG", "max_steps": $(steps_json "$FMNIST_STEPS"), "train_seconds": $fmnist_train_s, "probe_seconds": $fmnist_probe_s,
            "train": $(last_json "$work/fmnist-train.log"), "probe": $(last_json "$work/fmnist-probe.log")},
 "scenes": $scenes_json}
JSON
echo "wrote $results/quality-$date.json and $results/quality-$date.png" >&2
