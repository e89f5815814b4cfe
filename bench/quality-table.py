#!/usr/bin/env python3
"""The README's quality table from bench/quality.sh's results: python3 bench/quality-table.py bench/results/quality-DATE-*.json

One table per part: a row per encoder (I-JEPA, random init, raw pixels), a column per readout (mean is the paper's
protocol), each cell "linear / kNN" top-1 (the attentive probe has no kNN figure); then the margins the issue asks for.
"""
import json
import sys

ORDER = {"fmnist": 0, "small": 1, "scenes": 2}
NAMES = {"i-jepa": "I-JEPA", "random-init": "random init", "pixels": "raw pixels"}


def pct(x):
    return "–" if x is None else f"{100 * x:.1f} %"


def column(readout):
    """The raw pixels' mean readout is the flat image ("flat"): it shares the mean column."""
    return "mean" if readout == "flat" else readout


def cell(scores, encoder, readout, task):
    got = {s["method"]: s["top1"] for s in scores if s["encoder"] == encoder and column(s["readout"]) == readout and s["task"] == task}
    if not got:
        return None, "–"
    text = pct(got.get("linear")) + ("" if "knn" not in got else " / " + pct(got["knn"]))
    return got, text


def table(part):
    probe, train = part["probe"], part["train"]
    scores = probe["results"]
    readouts = list(dict.fromkeys(column(s["readout"]) for s in scores))
    tasks = list(dict.fromkeys(s["task"] for s in scores))
    encoders = [e for e in NAMES if any(s["encoder"] == e for s in scores)]
    steps, minutes = train.get("steps"), part["train_seconds"] / 60
    print(f"**{part['config']}**: {steps:,} steps, trained in {minutes:.1f} min ({part['train_seconds'] / steps * 1000:.0f} ms/step), "
          f"probed in {part['probe_seconds'] / 60:.1f} min on {probe['train']:,} training / {probe['test']:,} test images "
          f"({part['cores']} cores, load {' '.join(part['load_average'])} at the end)")
    print()
    for task in tasks:
        head = f"{task}: linear / kNN top-1"
        print(f"| {head} | " + " | ".join("mean (the paper's; pixels: flat)" if r == "mean" else r for r in readouts) + " |")
        print("| --- |" + " --- |" * len(readouts))
        for e in encoders:
            print(f"| {NAMES[e]} | " + " | ".join(cell(scores, e, r, task)[1] for r in readouts) + " |")
        margins = []
        for r in readouts:
            ours, _ = cell(scores, "i-jepa", r, task)
            rand, _ = cell(scores, "random-init", r, task)
            pix, _ = cell(scores, "pixels", "mean", task)
            if not ours or not rand:
                continue
            parts = [f"linear {100 * (ours['linear'] - rand['linear']):+.1f}"]
            if "knn" in ours and "knn" in rand:
                parts.append(f"kNN {100 * (ours['knn'] - rand['knn']):+.1f}")
            text = f"{r}: " + ", ".join(parts) + " over random init"
            if pix and "linear" in pix:
                text += f", linear {100 * (ours['linear'] - pix['linear']):+.1f}"
                if "knn" in ours and "knn" in pix:
                    text += f", kNN {100 * (ours['knn'] - pix['knn']):+.1f}"
                text += " over the flat pixels"
            margins.append(text)
        print()
        print("Margins (points): " + "; ".join(margins) + ".")
        print()


def main(paths):
    parts = sorted((json.load(open(p)) for p in paths), key=lambda p: ORDER.get(p["part"], 9))
    for part in parts:
        table(part)


if __name__ == "__main__":
    main(sys.argv[1:])
