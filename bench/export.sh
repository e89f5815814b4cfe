#!/usr/bin/env bash
# bench/export.sh — what the edge precisions cost and buy (issue 10). Exports the target encoder of a Fashion-MNIST run at
# fp32, fp16, int8 (dynamic: MatMulInteger) and int8 (qdq: DequantizeLinear weights), and for each writes: file size,
# CPU latency per image at batch 1 and 32 with 1 and 2 intra-op threads (`embed --latency`: median of >= 5 runs over >= 2 s;
# ROUNDS rounds that alternate the variants, the best round kept, so that a busy shared machine skews all variants alike),
# and linear-probe top-1 on Fashion-MNIST with its change against fp32 (same probe, same subsets).
# Writes bench/results/export-<date>.json. Trains the run first when it has no checkpoint (RUN, STEPS).
# Knobs (environment): RUN (default runs/fmnist-vit-micro), STEPS (default 2400), CONFIG, TRAIN_SIZE / TEST_SIZE (probe
# subsets), ROUNDS (default 3). About 6 minutes on 2 CPU cores once the run exists.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

RUN=${RUN:-runs/fmnist-vit-micro}
STEPS=${STEPS:-2400}
CONFIG=${CONFIG:-models/fmnist-vit-micro.yaml}
TRAIN_SIZE=${TRAIN_SIZE:-10000}
TEST_SIZE=${TEST_SIZE:-5000}
ROUNDS=${ROUNDS:-3}
variants=(fp32 fp16 int8-dynamic int8-qdq)
date=$(date +%F)
results=bench/results
work=$results/tmp/export-$date
mkdir -p "$work"

./ijepa-ort --help >/dev/null 2>&1 || true      # build once, outside the timings
if [ ! -e "$RUN/checkpoints/latest.safetensors" ]; then
  echo "== pretrain $CONFIG ($STEPS steps) into $RUN" >&2
  ./ijepa-ort train --config "$CONFIG" --out "$RUN" --max-steps "$STEPS" >&2
fi

for variant in "${variants[@]}"; do
  precision=${variant%%-*}
  scheme=${variant#*-}; [ "$scheme" = "$variant" ] && scheme=dynamic
  ./ijepa-ort export --checkpoint "$RUN" --precision "$precision" --int8 "$scheme" --out "$work/encoder-$variant.onnx" --json \
    | tail -n 1 > "$work/$variant.export.json"
done
for round in $(seq "$ROUNDS"); do
  for variant in "${variants[@]}"; do
    echo "== latency round $round: $variant" >&2
    ./ijepa-ort embed --model "$work/encoder-$variant.onnx" --latency --batches 1,32 --threads 1,2 --json \
      | tee /dev/stderr | tail -n 1 > "$work/$variant.latency-$round.json"
  done
done
for variant in "${variants[@]}"; do
  echo "== probe $variant" >&2
  ./ijepa-ort probe --model "$work/encoder-$variant.onnx" --config "$CONFIG" --method linear --train-size "$TRAIN_SIZE" --test-size "$TEST_SIZE" --json \
    | tail -n 1 > "$work/$variant.probe.json"
done

# Assemble one JSON: per variant its export, latency and probe figures, and top-1 minus fp32's (in points).
node - "$work" "$results/export-$date.json" "$RUN" "$TRAIN_SIZE" "$TEST_SIZE" "$ROUNDS" "${variants[@]}" <<'JS'
const fs = require('fs');
const [work, out, run, trainSize, testSize, rounds, ...variants] = process.argv.slice(2);
const read = (v, kind) => JSON.parse(fs.readFileSync(`${work}/${v}.${kind}.json`, 'utf8'));
// Per (batch, threads): the best round's median.
const best = (v) => {
  const all = Array.from({ length: +rounds }, (_, i) => read(v, `latency-${i + 1}`)).flat();
  const keys = [...new Set(all.map((l) => `${l.batch}/${l.threads}`))];
  return keys.map((k) => all.filter((l) => `${l.batch}/${l.threads}` === k).reduce((a, b) => (b.ms_per_image < a.ms_per_image ? b : a)));
};
const top1 = (probe) => probe.results.find((r) => r.method === 'linear').top1;
const fp32 = top1(read('fp32', 'probe'));
const rows = variants.map((v) => {
  const exp = read(v, 'export'), lat = best(v), probe = read(v, 'probe');
  const ms = Object.fromEntries(lat.map((l) => [`b${l.batch}_t${l.threads}`, l.ms_per_image]));
  return { variant: v, bytes: exp.bytes, ms_per_image: ms, linear_top1: top1(probe), top1_change_points: 100 * (top1(probe) - fp32), latency: lat, probe };
});
const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1];
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString().slice(0, 10), run, cpu, cores: require('os').cpus().length, latency_rounds: +rounds,
  probe_train_size: +trainSize, probe_test_size: +testSize, variants: rows }, null, 1) + '\n');
console.log('variant        MiB   ms/img b1t1  b1t2  b32t1  b32t2   linear top-1  change');
for (const r of rows)
  console.log(`${r.variant.padEnd(13)} ${(r.bytes / 1048576).toFixed(2).padStart(5)}  ${['b1_t1', 'b1_t2', 'b32_t1', 'b32_t2'].map((k) => r.ms_per_image[k].toFixed(3).padStart(6)).join(' ')}   ${(100 * r.linear_top1).toFixed(2).padStart(6)} %  ${r.top1_change_points >= 0 ? '+' : ''}${r.top1_change_points.toFixed(2)}`);
console.error(`wrote ${out}`);
JS
