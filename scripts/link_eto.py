"""Propose, review and write ``data/links-eto.ttl``: ETO ids -> bundled entities.

Usage (from the repository root)::

    python scripts/link_eto.py ../shared/eto            # print the proposals, one per line
    python scripts/link_eto.py ../shared/eto --write    # write data/links-eto.ttl

Providers are proposed by normalised name and alias (corporate suffixes dropped), checked
against the country; countries by ISO code.  Inputs and stages are matched by hand (their
names differ in kind: ETO's "EUV lithography tools" is our "EUV lithography scanner"),
and the hand decisions below are the review: ``REJECT`` drops a wrong name match,
``HAND`` adds what names cannot find.  Only ETO ids and names are written, as keys.

Complexity: O(P·A + B·A) for P ETO providers, B bundled firms, A aliases each.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "chokemap" not in sys.modules:
    sys.path.insert(0, str(ROOT))
    import cli  # noqa: F401  (maps this checkout to the package `chokemap`)

    sys.path.pop(0)

from rdflib import Graph  # noqa: E402
from rdflib.namespace import RDF, RDFS  # noqa: E402

from chokemap.graph.core.vocab import CM  # noqa: E402
from chokemap.graph.interchange.eto_read import ISO3, read_eto  # noqa: E402

_SUFFIXES = {"inc", "corp", "corporation", "co", "ltd", "limited", "ag", "group", "holdings",
             "holding", "technology", "technologies", "tech", "the", "company", "plc", "nv", "sa"}

#: Name matches the review rejected: (ETO id, bundled id) -> why.
REJECT: dict[tuple[str, str], str] = {}

#: Links names cannot find, made by hand: ETO id -> [(match, bundled id, note)].
#: match: exact (the same thing), broad (ours is broader), narrow (ours is narrower).
HAND: dict[str, list[tuple[str, str, str]]] = {
    # providers whose names differ
    "P52": [("exact", "tfme", "TongFu = Tongfu Microelectronics (TFME), Nantong; same country")],
    "P57": [("exact", "pti", "Powertech = Powertech Technology (PTI); same country")],
    "P82": [("exact", "nissin-ion", "Nissin Ion = Nissin Ion Equipment; same country")],
    "P289": [("narrow", "sumitomo-chemical", "ETO's Sumitomo is the group (resists, resins, packages); "
                                            "ours is Sumitomo Chemical, its resist maker")],
    "P97": [("exact", "hitachi-high-tech", "ETO's alias Hitachi High-Tech names our firm; same country")],
    "P187": [("exact", "siemens-eda", "Mentor Graphics is our alias of Siemens EDA (its name since 2021)")],
    "P191": [("exact", "empyrean", "Huada Empyrean = Empyrean Technology (Beijing Huada Jiutian); same country")],
    "P209": [("exact", "fujifilm", "FUJIFILM Electronic Materials is our alias of Fujifilm; same country")],
    "P212": [("broad", "dupont", "DuPont Electronic Solutions is a DuPont business; ours is the whole firm")],
    "P241": [("exact", "hoya", "Hoya Corporation = HOYA; same country")],
    # inputs
    "N20": [("exact", "euv-scanner", "EUV lithography tools = EUV lithography scanners (only ASML makes them)")],
    "N22": [("narrow", "duv-immersion-scanner", "ArF immersion tools include our NXT:2000i-and-newer class"),
            ("narrow", "duv-immersion-older", "ArF immersion tools include our NXT:1970i/1980i class")],
    "N21": [("broad", "duv-dry-scanner", "our DUV dry scanner covers ArF dry and KrF")],
    "N105": [("broad", "duv-dry-scanner", "our DUV dry scanner covers ArF dry and KrF")],
    "N17": [("exact", "ion-implanters", "Ion implanters = ion implantation equipment")],
    "N26": [("exact", "silicon-wafer", "Wafer = silicon wafer")],
    "N31": [("exact", "photoresist", "Photoresists = photoresist")],
    "N32": [("exact", "coater-developer", "Resist processing tools = the coater/developer track")],
    "N36": [("exact", "deposition-tools", "Deposition tools = deposition equipment (CVD, PVD, ALD)")],
    "N38": [("broad", "deposition-tools", "plasma CVD is one kind of deposition")],
    "N39": [("broad", "deposition-tools", "low-pressure CVD is one kind of deposition")],
    "N40": [("broad", "deposition-tools", "high-temperature CVD is one kind of deposition")],
    "N42": [("broad", "deposition-tools", "PVD is one kind of deposition")],
    "N41": [("exact", "ald-tools", "Atomic layer deposition tools = ALD equipment")],
    "N43": [("broad", "annealing-tools", "rapid thermal processing is one kind of annealing")],
    "N55": [("narrow", "etch-tools", "ETO's etch-and-clean category holds our etch equipment"),
            ("narrow", "cleaning-tools", "ETO's etch-and-clean category holds our wafer cleaning equipment")],
    "N103": [("broad", "etch-tools", "dry etch is one kind of etch")],
    "N102": [("broad", "cleaning-tools", "dry clean is one kind of wafer cleaning")],
    "N60": [("exact", "metrology-inspection", "Process control tools = metrology and inspection equipment")],
    "N86": [("exact", "cmp-tools", "CMP tools = CMP equipment")],
    "N84": [("exact", "eda", "Electronic design automation software = EDA software")],
    "N91": [("narrow", "neon", "electronic gases include semiconductor-grade neon"),
            ("narrow", "hydrogen-fluoride", "electronic gases include high-purity (anhydrous) hydrogen fluoride")],
    # stages: the bundled processes of a stage (its ETO processes become their requirements)
    "S2": [("narrow", p, "a leading-edge logic process: ETO's fabrication stage") for p in
           ("tsmc-n4", "tsmc-4np", "tsmc-n3", "tsmc-n5", "smic-n2", "smic-n3")],
    "S3": [("narrow", p, "advanced packaging: ETO's assembly, testing and packaging stage") for p in
           ("tsmc-cowos", "tsmc-cowos-l")],
}

_MATCH = {"exact": "skos:exactMatch", "broad": "skos:broadMatch", "narrow": "skos:narrowMatch"}


def norm(name: str) -> str:
    """Lower case, ``&`` as ``and``, no punctuation, no corporate suffixes.

    >>> norm("Axcelis Technologies, Inc.")
    'axcelis'
    """
    words = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).split()
    return " ".join(w for w in words if w not in _SUFFIXES)


def bundled_index(folder: Path) -> tuple[dict[str, list[tuple[str, str]]], dict[str, str], dict[str, str]]:
    """Normalised names -> [(firm id, label or alias)], firm id -> country id, ISO -> country id."""
    g = Graph()
    for path in sorted(folder.glob("*.ttl")):
        if path.name != "links-eto.ttl":
            g.parse(path)
    names: dict[str, list[tuple[str, str]]] = {}
    where: dict[str, str] = {}
    for firm in g.subjects(RDF.type, CM.Firm):
        fid = str(firm).rsplit("/", 1)[-1]
        country = g.value(firm, CM.locatedIn)
        where[fid] = str(country).rsplit("/", 1)[-1] if country else ""
        label = str(g.value(firm, RDFS.label))
        names.setdefault(norm(label), []).append((fid, "name"))
        for alias in g.objects(firm, CM.alias):
            names.setdefault(norm(str(alias)), []).append((fid, "alias"))
    iso = {str(g.value(c, CM.isoCode)): str(c).rsplit("/", 1)[-1]
           for c in g.subjects(RDF.type, CM.Country) if g.value(c, CM.isoCode)}
    return names, where, iso


def propose(eto_folder: Path, data: Path) -> list[tuple[str, str, str, str, str, str]]:
    """(ETO id, ETO name, match, bundled id, method, note) for every proposed link."""
    eto = read_eto(eto_folder)
    names, where, iso = bundled_index(data)
    out: list[tuple[str, str, str, str, str, str]] = []
    for pid, row in eto.providers.items():
        name = row.get("provider_name")
        if pid in HAND:
            continue
        if row.get("provider_type") == "country":
            code = ISO3.get(name, ("", ""))[0]
            if code in iso:
                out.append((pid, name, "exact", iso[code], "country", f"ISO 3166 code {name} = {code}"))
            elif name.lower().startswith("various"):
                out.append((pid, name, "exact", "various-countries", "name", "both are the placeholder"))
            continue
        found: dict[str, str] = {}
        for text in [name, *eto.provider_aliases[pid]]:
            for fid, how in names.get(norm(text), []):
                found.setdefault(fid, "name" if (how == "name" and text == name) else "alias")
        for fid, how in found.items():
            if (pid, fid) in REJECT:
                continue
            code = ISO3.get(row.get("country"), ("", ""))[0].lower() or norm(row.get("country")).replace(" ", "-")
            same = "same country" if code and code == where.get(fid) else \
                f"country differs (ETO {row.get('country') or 'none'}, ours {where.get(fid) or 'none'})"
            out.append((pid, name, "exact", fid, how, f"normalised {how} match; {same}"))
    labels = {**{k: r.get("input_name") for k, r in eto.inputs.items()},
              **{k: r.get("stage_name") for k, r in eto.stages.items()},
              **{k: r.get("provider_name") for k, r in eto.providers.items()}}
    for eid, links in HAND.items():
        out += [(eid, labels[eid], m, fid, "hand", note) for m, fid, note in links]
    return out


def turtle(links: list[tuple[str, str, str, str, str, str]]) -> str:
    """The reviewed links as Turtle: one ``cm:Link`` node per (ETO id, bundled id)."""
    head = [
        "# Links from ETO's Advanced Semiconductor Supply Chain Dataset to the bundled graph: our own",
        "# work (made by scripts/link_eto.py and reviewed by hand; see data/README.md). Only ETO ids and",
        "# names are kept, as keys; ETO's data (CC BY-NC 4.0) stays where the user has it.",
        "@prefix cm:   <https://chokemap.org/ns#> .",
        "@prefix cmi:  <https://chokemap.org/id/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "",
    ]
    body = []
    for eid, name, match, fid, method, note in sorted(links, key=lambda x: (x[0][0], int(x[0][1:]), x[3])):
        esc = name.replace("\\", "\\\\").replace('"', '\\"')
        body.append(f'cmi:link-eto-{eid}-{fid} a cm:Link ; cm:etoId "{eid}" ; cm:etoName "{esc}" ;\n'
                    f'    {_MATCH[match]} cmi:{fid} ; cm:method "{method}" ;\n'
                    f'    cm:note "{note}" .')
    return "\n".join(head + body) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("eto", type=Path, help="the folder of ETO CSV files")
    parser.add_argument("--write", action="store_true", help="write data/links-eto.ttl")
    args = parser.parse_args()
    links = propose(args.eto, ROOT / "data")
    if args.write:
        (ROOT / "data" / "links-eto.ttl").write_text(turtle(links), encoding="utf-8")
    for link in links:
        print(" | ".join(link))


if __name__ == "__main__":
    main()
