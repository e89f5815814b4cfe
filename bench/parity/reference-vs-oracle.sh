#!/usr/bin/env bash
# Parity of the plain-C# double-precision reference step (tests/IJepa.GraphBuilder.Tests/Reference) with the
# TorchSharp oracle (../shared/peers/torchsharp-ijepa, `run.sh reference --double`): writes an example input, runs the
# oracle, then the [Explicit] OracleParityTests, which print per-tensor normwise relative differences of the loss,
# target features, prediction and every gradient, and fail above 1e-10.
# Usage: bench/parity/reference-vs-oracle.sh [toy|micro|tiny32] [noise, default 0.5] [batch, default 2] [seed, default 0]
# Not part of the test suite: the oracle needs TorchSharp (a large download, ~1 min first build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
oracle="${IJEPA_ORACLE_PEER:-$root/../shared/peers/torchsharp-ijepa/run.sh}"
[ -x "$oracle" ] || oracle=/work/shared/peers/torchsharp-ijepa/run.sh
preset="${1:-toy}" noise="${2:-0.5}" batch="${3:-2}" seed="${4:-0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$oracle" reference --make-example "$work/in.st" --preset "$preset" --batch "$batch" --seed "$seed" --noise "$noise"
"$oracle" reference --in "$work/in.st" --out "$work/out.st" --double --threads 1
IJEPA_ORACLE_IN="$work/in.st" IJEPA_ORACLE_OUT="$work/out.st" \
  dotnet test "$root/tests/IJepa.GraphBuilder.Tests" -c Release --filter "FullyQualifiedName~OracleParityTests" \
  --logger "console;verbosity=detailed"
