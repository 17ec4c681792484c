"""Synthetic supply chains in the ETO CSV format, deterministic by seed.

    python bench/generate.py M /tmp/bench-M            # five CSVs in the ETO layout
    python bench/generate.py S /tmp/bench-S --seed 7

Sizes (inputs, providers, provision rows, sequence rows), chosen to match the anchors
of the performance issue: S is about the bundled graph's size, M is 25,000 inputs /
5,000 providers / ~98,000 provision rows / ~46,000 sequence rows, L is ten times M.

The shape follows the real dataset: one finished output; processes that need tools,
materials and earlier processes (``goes_into``); specific tools that are kinds of broader
ones (``is_type_of``); organisations with a country, country rows, placeholder providers
("Various companies"); shares in percent, often blank; two years for some inputs.
Turn the CSVs into Turtle with ``chokemap import eto DIR -o FILE.ttl``.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

__all__ = ["SIZES", "generate"]

#: size -> (inputs, providers)
SIZES: dict[str, tuple[int, int]] = {"S": (150, 60), "M": (25_000, 5_000), "L": (250_000, 50_000)}

COUNTRIES = ["USA", "CHN", "TWN", "KOR", "JPN", "NLD", "DEU", "GBR", "FRA", "SGP", "MYS", "ISR",
             "CHE", "BEL", "ITA", "IRL", "AUT", "CAN", "IND", "VNM", "THA", "PHL", "AUS", "FIN"]
TYPES = [("process", 0.25), ("tool_resource", 0.45), ("material_resource", 0.25), ("design_resource", 0.05)]
STAGES = [("S1", "Design"), ("S2", "Fabrication"), ("S3", "Assembly, testing, and packaging (ATP)")]


def _pick_type(rng: random.Random) -> str:
    x = rng.random()
    for name, weight in TYPES:
        if x < weight:
            return name
        x -= weight
    return TYPES[-1][0]


def generate(size: str, folder: Path, seed: int = 1) -> dict[str, int]:
    """Write inputs, providers, provision, sequence and stages CSVs; return row counts.

    Complexity: O(inputs + providers + rows); deterministic for a given size and seed.
    """
    n_inputs, n_orgs = SIZES[size]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    # inputs: N0 is the finished output; the others are laid out in layers, earlier
    # layers feeding later ones (so the sequence is acyclic, like the real data)
    inputs = [("N0", "Finished logic chip", "ultimate_output", "S3")]
    for i in range(1, n_inputs):
        kind = _pick_type(rng)
        stage = rng.choice(STAGES)[0]
        inputs.append((f"N{i}", f"{kind.split('_')[0].capitalize()} input {i}", kind, stage))
    with (folder / "inputs.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["input_id", "input_name", "type", "stage_name", "stage_id", "description", "year",
                    "market_share_chart_global_market_size_info", "market_share_chart_caption",
                    "market_share_chart_source"])
        names = dict(STAGES)
        for iid, name, kind, stage in inputs:
            w.writerow([iid, name, kind, names[stage] if kind == "process" else "", stage if kind == "process" else "",
                        f"Synthetic {kind} for benchmarks, seed {seed}.", 2025, "", "", ""])
    counts["inputs"] = len(inputs)

    # providers: organisations with a country, the countries themselves, placeholders
    providers = []
    for c_i, code in enumerate(COUNTRIES):
        providers.append((f"P{c_i + 1}", code, code, "country", ""))
    for j in range(n_orgs):
        pid = f"P{len(COUNTRIES) + j + 1}"
        providers.append((pid, f"Company {j}", "", "organization", rng.choice(COUNTRIES)))
    various = (f"P{len(providers) + 1}", "Various companies", "", "organization", "")
    providers.append(various)
    with (folder / "providers.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["provider_name", "alias", "provider_id", "provider_type", "country"])
        for pid, name, alias, ptype, country in providers:
            w.writerow([name, alias, pid, ptype, country])
    counts["providers"] = len(providers)

    orgs = [p for p in providers if p[3] == "organization" and p is not various]
    countries = [p for p in providers if p[3] == "country"]
    src = "Synthetic benchmark data; see [chokemap bench](https://example.org/chokemap-bench)."
    rows = 0
    with (folder / "provision.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["provider_name", "provider_id", "provided_name", "provided_id", "share_provided", "year", "source"])
        for iid, name, _kind, _stage in inputs[1:]:
            n = rng.choice((1, 2, 3, 3, 4, 4, 5, 6))
            chosen = rng.sample(orgs, n)
            shares = [rng.random() for _ in chosen]
            total = sum(shares) * rng.uniform(1.0, 1.3)
            for (pid, pname, *_rest), s in zip(chosen, shares, strict=True):
                share = "" if rng.random() < 0.3 else f"{100 * s / total:.1f}"
                w.writerow([pname, pid, name, iid, share, 2025, src])
                rows += 1
            if rng.random() < 0.1:  # an older year, kept as history
                pid, pname, *_rest = rng.choice(orgs)
                w.writerow([pname, pid, name, iid, f"{rng.uniform(5, 60):.1f}", 2021, src])
                rows += 1
            if rng.random() < 0.15:
                w.writerow([various[1], various[0], name, iid, "", 2025, src])
                rows += 1
            if rng.random() < 0.1:
                pid, pname, *_rest = rng.choice(countries)
                w.writerow([pname, pid, name, iid, f"{rng.uniform(10, 90):.1f}", 2025, src])
                rows += 1
    counts["provision"] = rows

    rows = 0
    with (folder / "sequence.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["input_name", "input_id", "goes_into_name", "goes_into_id", "is_type_of_name", "is_type_of_id"])
        feeds = [0]  # the finished output and the processes numbered so far
        for i, (iid, name, kind, _stage) in enumerate(inputs[1:], start=1):
            if kind == "tool_resource" and i > 10 and rng.random() < 0.1:
                j = rng.randrange(1, i)
                if inputs[j][2] == "tool_resource":  # a specific tool is a kind of a broader one
                    w.writerow([name, iid, "", "", inputs[j][1], inputs[j][0]])
                    rows += 1
                    continue
            # each input goes into one or two processes numbered before it: acyclic
            for target in {rng.choice(feeds[-40:]) for _ in range(1 if rng.random() < 0.4 else 2)}:
                w.writerow([name, iid, inputs[target][1], inputs[target][0], "", ""])
                rows += 1
            if kind == "process":
                if rng.random() < 0.7 and 0 not in feeds[-40:]:
                    w.writerow([name, iid, inputs[0][1], inputs[0][0], "", ""])
                    rows += 1
                feeds.append(i)
    counts["sequence"] = rows

    with (folder / "stages.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["stage_id", "stage_name", "description", "market_share_chart_global_market_size_info",
                    "market_share_chart_caption", "market_share_chart_source"])
        for sid, sname in STAGES:
            w.writerow([sid, sname, f"The {sname.lower()} stage.", "", "", ""])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = generate(args.size, args.folder, args.seed)
    print(", ".join(f"{k} {v:,}" for k, v in counts.items()), "->", args.folder)


if __name__ == "__main__":
    main()
