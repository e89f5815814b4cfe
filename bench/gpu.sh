#!/usr/bin/env bash
# The CUDA path checked on a GPU machine in one go (issue 8), from the self-contained bundle of ../shared/gpu/
# (no .NET there; APP=/tmp/ortgpu/run.sh). With `cpu` it runs here on the CPU build, so the script itself is tested.
#   parity  micro and tiny32: the first step's loss and every gradient on DEVICE (TF32 off) against the CPU, ≤ 1e-4
#   speed   micro and tiny32 steps/s on DEVICE (batch 64), and the bytes ijepa-ort copies host↔device per step
#   profile tiny32 on DEVICE: ONNX Runtime's nodes per execution provider and every Memcpy node with its bytes
#   nccl    the NCCL path with one rank (libnccl.so.2 from PyTorch's nvidia-nccl wheel)      [GPU only]
#   vitb16  ViT-B/16 at 224 px, batch $VIT_BATCH: our step against upstream's in PyTorch (bench/torch_ijepa_step.py),
#           same shapes (90 context, 4 × 30 target patches), TF32 on both, plus PyTorch with bf16 autocast (upstream's
#           use_bfloat16)                                                                      [GPU only]
# Usage: [APP=cmd] [OUT=dir] [VIT_BATCH=64] bench/gpu.sh [cuda:0|cpu]   → OUT/gpu-<device>.jsonl (one JSON per line)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dev="${1:-cuda:0}"
read -r -a app <<< "${APP:-./ijepa-ort}"
out="${OUT:-bench/results}"; [[ -z "${OUT:-}" && "$dev" == cpu ]] && out=bench/results/tmp   # a CPU self-test is scratch
mkdir -p "$out"
json="$out/gpu-${dev/:/}.jsonl"; : > "$json"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
declare -A cfg=([micro]=models/fmnist-vit-micro.yaml [tiny32]=models/cifar-vit-tiny32.yaml)
record() { echo "{\"check\":\"$1\",\"preset\":\"$2\",\"result\":$3}" | tee -a "$json"; }
last() { tail -1 "$1"; }
status=0

echo "== parity: first step on $dev vs cpu (TF32 off, tolerance 1e-4)"
for p in micro tiny32; do
  "${app[@]}" bench --config "${cfg[$p]}" --batch 16 --warmup 0 --steps 1 --threads 2 --device cpu --dump-first-step "$work/$p.cpu.st" --json > "$work/$p.cpu.out" || status=1
  "${app[@]}" bench --config "${cfg[$p]}" --batch 16 --warmup 0 --steps 1 --threads 1 --device "$dev" --tf32 off --dump-first-step "$work/$p.dev.st" --json > "$work/$p.dev.out" || status=1
  python3 bench/compare-steps.py "$work/$p.dev.st" "$work/$p.cpu.st" --tol 1e-4 --json "$work/$p.cmp.json" || status=1
  record parity "$p" "$(cat "$work/$p.cmp.json" 2>/dev/null || echo null)"
done

echo "== speed on $dev (batch 64, 20 steps)"
for p in micro tiny32; do
  "${app[@]}" bench --config "${cfg[$p]}" --batch 64 --steps 20 --device "$dev" --json > "$work/$p.speed.out" || status=1
  record speed "$p" "$(last "$work/$p.speed.out")"
done

echo "== profile of tiny32 on $dev: nodes per provider, Memcpy nodes"
"${app[@]}" bench --config "${cfg[tiny32]}" --batch 64 --warmup 1 --steps 2 --device "$dev" --profile "$work/prof" --json > "$work/prof.out" || status=1
record profile tiny32 "$(python3 - "$work" <<'PY'
import glob, json, sys, collections
providers, copies = collections.Counter(), collections.defaultdict(lambda: [0, 0])
for path in glob.glob(sys.argv[1] + "/prof*.json"):
    for e in json.load(open(path)):
        a = e.get("args", {})
        if e.get("cat") != "Node" or "op_name" not in a or not e["name"].endswith("_kernel_time"):
            continue
        providers[a.get("provider", "?")] += 1
        if "Memcpy" in a["op_name"]:
            copies[a["op_name"]][0] += 1
            copies[a["op_name"]][1] += int(a.get("output_size", 0))
print(json.dumps({"nodes_per_provider": providers, "memcpy": {k: {"runs": v[0], "bytes": v[1]} for k, v in copies.items()}}))
PY
)"

if [[ "$dev" == cuda* ]]; then
  echo "== NCCL with one rank"
  nccl="$(python3 -c 'import nvidia.nccl, os; print(os.path.join(list(nvidia.nccl.__path__)[0], "lib", "libnccl.so.2"))' 2>/dev/null)"
  IJEPA_NCCL_LIBRARY="$nccl" "${app[@]}" bench --config "${cfg[micro]}" --batch 64 --steps 10 --device "$dev" --comm nccl --json > "$work/nccl.out" || status=1
  record nccl micro "$(last "$work/nccl.out")"

  echo "== ViT-B/16 at 224 px: ours vs PyTorch"
  vb="${VIT_BATCH:-64}"
  "${app[@]}" bench --config models/in1k_vith14_ep300.yaml --set "meta.model_name=vit_base;mask.patch_size=16;meta.pred_depth=6;meta.pred_emb_dim=384" \
    --batch "$vb" --warmup 3 --steps 10 --context 90 --target 30 --device "$dev" --json > "$work/vitb.out" || status=1
  record vitb16 ours "$(last "$work/vitb.out")"
  for precision in tf32 bf16; do
    python3 bench/torch_ijepa_step.py --batch "$vb" --steps 10 --context 90 --target 30 --pred-depth 6 --pred-dim 384 --precision "$precision" --json > "$work/torch.$precision.out" || status=1
    record vitb16 "torch-$precision" "$(last "$work/torch.$precision.out")"
  done
fi
echo "wrote $json (exit $status)"
exit $status
