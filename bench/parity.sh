#!/usr/bin/env bash
# Parity with upstream's math: our train-step graph (float32) against the numerical oracle (libtorch, a port of
# facebookresearch/ijepa's train_step checked against upstream's own Python) on the same weights, images and masks.
# Usage: bench/parity.sh [batch=2] [tol=1e-5]   (first run downloads TorchSharp/libtorch for the oracle)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
oracle="$root/../shared/peers/torchsharp-ijepa/run.sh"
batch="${1:-2}" tol="${2:-1e-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
for preset in micro tiny32; do
  echo "== $preset (batch $batch)"
  "$oracle" reference --make-example "$work/$preset.in.st" --preset "$preset" --batch "$batch" --seed 0 --noise 0.1 >/dev/null
  "$oracle" reference --in "$work/$preset.in.st" --out "$work/$preset.oracle.st" --threads 1 >/dev/null
  ./ijepa-ort parity --in "$work/$preset.in.st" --out "$work/$preset.ours.st"
  "$oracle" reference --compare "$work/$preset.ours.st" "$work/$preset.oracle.st" --tol "$tol"
done
