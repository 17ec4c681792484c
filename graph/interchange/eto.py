"""Import ETO's Advanced Semiconductor Supply Chain Dataset (CSET) as chokemap RDF.

The dataset (``georgetown-cset/eto-chip-explorer``, folder ``data/``) is five CSV files:
``inputs.csv`` (processes, tools, materials, design resources, the final output),
``providers.csv`` (organisations with a country code, and countries), ``provision.csv``
(provider -> input, a share in percent, a year, a source text), ``sequence.csv``
(``goes_into`` and ``is_type_of`` links between inputs) and ``stages.csv``.

How ETO's structure maps onto chokemap's AND/OR model (the README says why):

* input types: ``process`` -> ``cm:Process``, ``tool_resource`` -> ``cm:Tool``,
  ``material_resource`` -> ``cm:Material``, ``design_resource`` -> ``cm:Software`` (a design
  is an intangible made by design firms, not a manufactured chip), ``ultimate_output`` ->
  ``cm:Chip``.  Stages become ``cm:Process`` nodes (countries supply them in
  ``provision.csv``); a process names its stage in its description.
* ``A goes_into B``: ``B cm:requires A``.
* ``A is_type_of B``: ``A cm:kindOf B`` (a policy on B covers A), and with
  ``types="all"`` (the default) ``B cm:requires A`` -- a leading-edge fab needs every kind
  of lithography tool (EUV for the critical layers, ArF immersion and dry, KrF, i-line for
  the rest), so a kind with one maker is a chokepoint; with ``types="any"`` B is
  ``cm:suppliedBy`` each kind (any kind will do), which lets i-line steppers stand in for
  EUV scanners and hides every chokepoint below the category level.
* provision rows -> ``B cm:suppliedBy [ cm:supplier P ; cm:share pct/100 ; ... ]``.  A
  country row is ETO's by-country breakdown of the same market: where organisation rows
  exist for the same input and year, country rows are kept as ``cm:spec`` values
  (``country_share``), not as suppliers, because a country counted as a supplier beside
  its own firms would be an extra route around them and hide every firm chokepoint.
  Where an input has only country rows, the countries are its suppliers.
* years: per input, the latest year (or the latest up to ``year``) is current (valid
  from 1 January of that year, open-ended); each older year is dated history, valid from
  its 1 January to the day before the next year's data.  Rows after ``year`` are dropped.
* placeholders ("Various companies", "Various countries") and regions ("EUR") are
  ``cm:aggregate true``: never reported as chokepoints.  Blank shares stay unknown.
* IRIs keep ETO's ids (``cmi:eto-N26``, ``cmi:eto-P313``, ``cmi:eto-S2``), the ids are
  also aliases ("ETO N26"); every edge cites the dataset (a ``cm:Source``) and, when ETO's
  per-row source text holds a link, a source node for it; the text itself is the note.

Reading and checking the CSV files is :mod:`graph.interchange.eto_read` (its names are re-exported
here); every read error names the file, the line and the column, in one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ..core.dates import today
from ..core.errors import DataError, UsageError
from ..core.progress import report
from ..core.vocab import CM, CMI, PREFIXES
from .eto_read import (
    FILES,
    ISO3,
    REGIONS,
    TYPE_CLASSES,
    YEAR_RE,
    EtoData,
    Row,
    cited_link,
    is_placeholder,
    markdown_links,
    plain_text,
    read_eto,
    row_year,
    share_percent,
)
from .turtle import TripleList, write_turtle

__all__ = [
    "DATASET_URL",
    "DATASET_PUBLISHER",
    "FILES",
    "ISO3",
    "TYPE_CLASSES",
    "EtoData",
    "read_eto",
    "to_rdf",
    "import_eto",
    "is_placeholder",
    "markdown_links",
    "plain_text",
    "parse_year",
    "render_summary",
]

DATASET_URL = "https://github.com/georgetown-cset/eto-chip-explorer"
DATASET_PUBLISHER = "Center for Security and Emerging Technology (CSET), Emerging Technology Observatory"

# --------------------------------------------------------------------------- mapping


def _iri(eto_id: str) -> URIRef:
    return CMI[f"eto-{re.sub(r'[^A-Za-z0-9_-]', '-', eto_id)}"]


def _date_lit(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


@dataclass
class _Builder:
    data: EtoData
    year: int | None
    types: str
    g: TripleList = field(default_factory=TripleList)
    summary: dict[str, Any] = field(default_factory=dict)
    _sources: dict[str, URIRef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns, override=True)
        self.summary = defaultdict(int)
        years = [int(r.get("year")) for r in self.data.provision]
        date = self.data.dataset_date
        self.dataset = CMI["eto-dataset"]
        g = self.g
        g.add((self.dataset, RDF.type, CM.Source))
        g.add((self.dataset, RDFS.label, Literal("ETO Advanced Semiconductor Supply Chain Dataset")))
        g.add((self.dataset, CM.url, Literal(DATASET_URL, datatype=XSD.anyURI)))
        g.add((self.dataset, CM.publisher, Literal(DATASET_PUBLISHER)))
        if date is None:  # no README: the latest data year stands in for the release
            date = dt.date(max(years), 1, 1) if years else today()
            note = "Release date unknown (no README.md in the folder): the date is the latest data year."
        else:
            note = "Date: the month of the dataset commit named in the folder's README.md."
        commit = f" Commit {self.data.dataset_commit}, folder data/." if self.data.dataset_commit else ""
        g.add((self.dataset, CM.date, _date_lit(date)))
        self.dataset_date = date
        g.add((self.dataset, CM.note, Literal(
            f"{note}{commit} Licence: CC BY-NC 4.0. Most figures come from the CSET report "
            "'The Semiconductor Supply Chain: Assessing National Competitiveness' (2021), updated with "
            "TechInsights market-share data.")))

    # -- sources ----------------------------------------------------------------------
    def _years_cited(self) -> dict[str, int]:
        """The earliest data year each cited URL backs (one source node per URL)."""
        first: dict[str, int] = {}
        rows = [(r.get("source"), r.get("year")) for r in self.data.provision]
        rows += [(r.get("market_share_chart_source"), r.get("year")) for r in self.data.inputs.values()]
        for text, year in rows:
            cited = cited_link(text)
            if cited and YEAR_RE.match(year):
                first[cited[1]] = min(first.get(cited[1], 9999), int(year))
        return first

    def row_source(self, text: str) -> URIRef | None:
        """A cm:Source for the link in ETO's per-row source text (None when it has none)."""
        cited = cited_link(text)
        if cited is None:
            return None
        publisher, url = cited
        if url in self._sources:
            return self._sources[url]
        if not hasattr(self, "_first_year"):
            self._first_year = self._years_cited()
        year = self._first_year.get(url)
        date = dt.date(year, 1, 1) if year else self.dataset_date
        node = CMI[f"eto-src-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:10]}"]
        g = self.g
        g.add((node, RDF.type, CM.Source))
        g.add((node, RDFS.label, Literal(f"{publisher}, as cited in the ETO dataset")))
        g.add((node, CM.url, Literal(url, datatype=XSD.anyURI)))
        g.add((node, CM.publisher, Literal(publisher)))
        g.add((node, CM.date, _date_lit(date)))
        g.add((node, CM.note, Literal(
            "Cited by the ETO dataset; the date is the earliest data year it backs there (ETO gives no "
            "publication date). Each edge's note quotes ETO's source text in full.")))
        self._sources[url] = node
        self.summary["sources"] += 1
        return node

    def cite(self, node: BNode | URIRef, extra: URIRef | None = None) -> None:
        self.g.add((node, CM.source, self.dataset))
        if extra is not None:
            self.g.add((node, CM.source, extra))

    # -- nodes ------------------------------------------------------------------------
    def entity(self, node: URIRef, cls: URIRef, label: str, aliases: Iterable[str],
               description: str = "", aggregate: bool = False) -> None:
        g = self.g
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(label)))
        for alias in dict.fromkeys(a for a in aliases if a and a != label):
            g.add((node, CM.alias, Literal(alias)))
        if description:
            g.add((node, CM.description, Literal(description)))
        if aggregate:
            g.add((node, CM.aggregate, Literal(True)))
        if cls in (CM.Chip, CM.System):  # ETO's outputs are categories ("DRAM"), never one product
            launch = BNode()
            g.add((node, CM.launch, launch))
            g.add((launch, CM.status, CM.NotAProduct))
            g.add((launch, CM.note, Literal("an ETO output category, not one product: no launch date")))

    def market_size(self, node: URIRef, row: Row) -> None:
        size = row.get("market_share_chart_global_market_size_info")
        if not size:
            return
        year = row.get("year")
        spec = BNode()
        g = self.g
        g.add((node, CM.spec, spec))
        g.add((spec, CM.property, Literal("market_size")))
        g.add((spec, CM.value, Literal(size)))
        if YEAR_RE.match(year):
            g.add((spec, CM.asOf, _date_lit(dt.date(int(year), 1, 1))))
        caption = row.get("market_share_chart_caption")
        if caption:
            g.add((spec, CM.note, Literal(caption)))
        self.cite(spec, self.row_source(row.get("market_share_chart_source")))

    def nodes(self) -> None:
        d = self.data
        for sid, row in d.stages.items():
            name = row.get("stage_name") or sid
            node = _iri(sid)
            self.entity(node, CM.Process, name, [f"{name} stage", f"ETO {sid}"],
                        f"{row.get('description')} [ETO stage {sid}]".strip())
            self.market_size(node, row)
            self.summary["stages"] += 1
        for iid, row in d.inputs.items():
            node = _iri(iid)
            desc = row.get("description")
            stage = row.get("stage_id")
            if stage:
                desc = f"{desc} [ETO stage: {d.stages[stage].get('stage_name')} ({stage})]".strip()
            self.entity(node, TYPE_CLASSES[row.get("type")], row.get("input_name"), [f"ETO {iid}"], desc)
            self.market_size(node, row)
            self.summary["inputs"] += 1
        self.country_nodes: dict[str, URIRef] = {}
        for pid, row in d.providers.items():
            if row.get("provider_type") == "country":
                self.country_nodes[row.get("provider_name")] = _iri(pid)
        for pid, row in d.providers.items():
            name = row.get("provider_name")
            aliases = [*d.provider_aliases[pid], f"ETO {pid}"]
            if row.get("provider_type") == "country":
                self._country(_iri(pid), name, aliases)
                continue
            node = _iri(pid)
            placeholder = is_placeholder(name)
            self.entity(node, CM.Firm, name, aliases, aggregate=placeholder,
                        description="Placeholder in the ETO dataset for the rest of a market; never a "
                        "chokepoint." if placeholder else "")
            code = row.get("country")
            if code:
                self.g.add((node, CM.locatedIn, self._country_for(code)))
            self.summary["firms"] += 1

    def _country(self, node: URIRef, code: str, aliases: list[str]) -> None:
        iso = ISO3.get(code)
        region = REGIONS.get(code)
        label = (aliases[0] if aliases and not aliases[0].startswith("ETO ") else None) or \
            (iso[1] if iso else region or code)
        placeholder = is_placeholder(code) or region is not None
        desc = ""
        if region:
            desc = f"{region}: a region in the ETO dataset (a group of countries), never a chokepoint."
        elif placeholder:
            desc = "Placeholder in the ETO dataset for suppliers spread over many countries; never a chokepoint."
        self.entity(node, CM.Country, label, [code, *aliases], desc, aggregate=placeholder)
        if iso:
            self.g.add((node, CM.isoCode, Literal(iso[0])))
        self.summary["countries"] += 1

    def _country_for(self, code: str) -> URIRef:
        node = self.country_nodes.get(code)
        if node is None:  # a code no country row defines
            node = self.country_nodes[code] = CMI[f"eto-country-{code}"]
            self._country(node, code, [])
        return node

    # -- edges ------------------------------------------------------------------------
    def sequence(self) -> None:
        g = self.g
        for row in self.data.sequence:
            a = _iri(row.get("input_id"))
            into = row.get("goes_into_id")
            if into:
                q = BNode()
                g.add((_iri(into), CM.requires, q))
                g.add((q, CM.input, a))
                g.add((q, CM.note, Literal(f"ETO sequence: {row.get('input_id')} goes into {into}.")))
                self.cite(q)
                self.summary["requires"] += 1
            kind = row.get("is_type_of_id")
            if kind:
                b = _iri(kind)
                g.add((a, CM.kindOf, b))
                self.summary["kinds"] += 1
                q = BNode()
                if self.types == "all":
                    g.add((b, CM.requires, q))
                    g.add((q, CM.input, a))
                    g.add((q, CM.note, Literal(f"ETO sequence: {row.get('input_id')} is a type of {kind}; "
                                               "imported reading is_type_of as all: every type is needed.")))
                    self.summary["requires"] += 1
                else:
                    g.add((b, CM.suppliedBy, q))
                    g.add((q, CM.supplier, a))
                    g.add((q, CM.note, Literal(f"ETO sequence: {row.get('input_id')} is a type of {kind}; "
                                               "imported reading is_type_of as any: any type will do.")))
                    self.summary["variants"] += 1
                self.cite(q)

    def provision(self) -> None:
        d = self.data
        by_item: dict[str, dict[int, list[Row]]] = defaultdict(lambda: defaultdict(list))
        for row in d.provision:
            y = row_year(row)
            if self.year is not None and y > self.year:
                self.summary["rows_after_year"] += 1
                continue
            by_item[row.get("provided_id")][y].append(row)
        # With --types all a category is made of all its types: its own rows sum up their
        # markets (ASML's 81.5% of all lithography tools), so they are figures, not a route.
        categories = {r.get("is_type_of_id") for r in d.sequence if r.get("is_type_of_id")} \
            if self.types == "all" else set()
        for n, (item, years) in enumerate(by_item.items(), 1):
            if not n % 1000:
                report("importing provision rows, by input", n, len(by_item))
            ordered = sorted(years)
            for i, y in enumerate(ordered):
                start = dt.date(y, 1, 1)
                end = dt.date(ordered[i + 1], 1, 1) - dt.timedelta(days=1) if i + 1 < len(ordered) else None
                rows = years[y]
                orgs = [r for r in rows if d.providers[r.get("provider_id")].get("provider_type") == "organization"]
                for row in rows:
                    is_country = d.providers[row.get("provider_id")].get("provider_type") == "country"
                    if item in categories:
                        self._share_spec(item, row, y, "country_share" if is_country else "market_share",
                                         "imported reading is_type_of as all, the category's types carry its supply")
                    elif is_country and orgs:
                        self._share_spec(item, row, y, "country_share",
                                         "ETO's by-country breakdown of the same market")
                    else:
                        self._supply(item, row, y, start, end)

    def _supply(self, item: str, row: Row, year: int, start: dt.date, end: dt.date | None) -> None:
        g = self.g
        q = BNode()
        g.add((_iri(item), CM.suppliedBy, q))
        g.add((q, CM.supplier, _iri(row.get("provider_id"))))
        share = share_percent(row)
        if share is not None:
            g.add((q, CM.share, Literal(share / 100, datatype=XSD.decimal)))
            g.add((q, CM.shareBasis, Literal(f"the {year} market (ETO)")))
            self.summary["shares"] += 1
        g.add((q, CM.validFrom, _date_lit(start)))
        if end is not None:
            g.add((q, CM.validTo, _date_lit(end)))
            self.summary["history"] += 1
        text = row.get("source")
        note = f"ETO provision, {year}" + (f"; source: {text}" if text else "; no source text")
        g.add((q, CM.note, Literal(note)))
        self.cite(q, self.row_source(text))
        self.summary["supplies"] += 1

    def _share_spec(self, item: str, row: Row, year: int, prop: str, why: str) -> None:
        """Keep a provision row as a sourced figure on the item (``cm:spec``), not a supplier."""
        g = self.g
        pid = row.get("provider_id")
        provider = self.data.providers[pid]
        code = provider.get("provider_name")
        is_country = provider.get("provider_type") == "country"
        spec = BNode()
        g.add((_iri(item), CM.spec, spec))
        g.add((spec, CM.property, Literal(prop)))
        share = share_percent(row)
        g.add((spec, CM.value, Literal(share / 100, datatype=XSD.decimal) if share is not None
               else Literal("unknown")))
        g.add((spec, CM.asOf, _date_lit(dt.date(year, 1, 1))))
        name = f"{(self.data.provider_aliases[pid] or [code])[0]} ({code}, ETO {pid})" if is_country \
            else f"{code} (ETO {pid})"
        held = "providers based there" if is_country else "this provider"
        text = row.get("source")
        g.add((spec, CM.note, Literal(
            f"{name}: share of the {year} market held by {held}; a figure, not a supply route: {why}"
            + (f"; source: {text}" if text else ""))))
        self.cite(spec, self.row_source(text))
        if share is not None:
            self.summary["shares"] += 1
        self.summary[f"{prop}s"] += 1


def to_rdf(data: EtoData, year: int | None = None, types: str = "all") -> tuple[Graph, dict[str, Any]]:
    """Map checked ETO tables onto chokemap RDF (see the module docstring).

    Parameters
    ----------
    data : EtoData
        From :func:`read_eto`.
    year : int, optional
        Use the data up to this year (the latest year up to it is current); default: all
        years, the latest current.
    types : {"all", "any"}
        How ``is_type_of`` reads: a category needs all its types, or any one will do.

    Returns
    -------
    (rdflib.Graph, dict)
        The graph and a summary of what was made (counts of nodes, edges, shares).

    Complexity: O(R log R) for R rows (sorting each input's years).
    """
    b = _build(data, year, types)
    graph = Graph()
    for prefix, ns in b.g.prefixes.items():
        graph.bind(prefix, ns, override=True)
    graph.parse(data=b.g.turtle(), format="turtle")  # the builder keeps its triples as Turtle text
    return graph, _summary(b, data, year, types, len(graph))


def _build(data: EtoData, year: int | None, types: str) -> _Builder:
    if types not in ("all", "any"):
        msg = "write all or any"
        raise UsageError(msg, "types", repr(types))
    b = _Builder(data, year, types)
    b.nodes()
    b.sequence()
    b.provision()
    return b


def _summary(b: _Builder, data: EtoData, year: int | None, types: str, triples: int) -> dict[str, Any]:
    summary = dict(sorted(b.summary.items()))
    summary.update(folder=str(data.folder), year=year or "latest", types=types, triples=triples,
                   dataset_date=b.dataset_date.isoformat())
    return summary


def parse_year(text: str | int | None) -> int | None:
    """``"latest"`` or None -> None; ``"2025"`` -> 2025; anything else is a usage error."""
    if text is None or str(text).strip().lower() == "latest":
        return None
    if not YEAR_RE.match(str(text).strip()):
        msg = "write latest or a four-digit year such as 2019"
        raise UsageError(msg, "year", repr(text))
    return int(str(text).strip())


def import_eto(folder: str | Path, output: str | Path, year: str | int | None = None,
               types: str = "all", link: str | Path | None = None) -> dict[str, Any]:
    """Read an ETO folder and write it as one Turtle file (atomically); with ``link`` (a
    mapping file, ``""`` for the bundled one) on the bundled graph's IRIs (:mod:`.eto_link`).

    Nothing is written when the folder has an error: the file appears whole or not at all
    (it is written to a temporary file in the same folder, then renamed).

    Complexity: O(R log R) for R rows, plus O(T) to write the T triples.
    """
    from ..io.files import open_atomic

    data = read_eto(folder)
    built = _build(data, parse_year(year), types)
    if link is not None:
        from .eto_link import apply_links, read_links

        built.summary.update(apply_links(built.g, data, read_links(link or None), built.dataset))
    with open_atomic(output, DataError, "give -o another path") as fh:
        fh.write(f"# Imported by `chokemap import eto` from {Path(folder).name}/ "
                 f"(year: {parse_year(year) or 'latest'}, types: {types}"
                 f"{', linked by links-eto.ttl' if link is not None else ''}).\n"
                 f"# Source: {DATASET_URL} ({DATASET_PUBLISHER}); licence CC BY-NC 4.0.\n")
        count = write_turtle(fh, built.g, built.g.prefixes)
    summary = _summary(built, data, parse_year(year), types, count)
    summary["output"] = str(output)
    return summary


def render_summary(summary: dict[str, Any]) -> str:
    """The text ``chokemap import eto`` prints: what was made, and what to run next."""
    s = summary
    lines = [
        f"wrote {s['output']}: {s['triples']} triples from {s['folder']} (year: {s['year']}, types: {s['types']})",
        f"  nodes: {s.get('inputs', 0)} inputs, {s.get('stages', 0)} stages, {s.get('firms', 0)} firms, "
        f"{s.get('countries', 0)} countries",
        f"  edges: {s.get('supplies', 0)} supplies ({s.get('history', 0)} dated history), "
        f"{s.get('requires', 0)} requires, {s.get('variants', 0)} variants, {s.get('kinds', 0)} kind-of",
        f"  figures kept as specs: {s.get('market_shares', 0)} category market shares, "
        f"{s.get('country_shares', 0)} country shares; {s.get('shares', 0)} shares in all",
    ]
    if "linked" in s:
        lines.append(f"  linked to the bundled graph: {s['linked']} ETO ids on our IRIs, {s['kinds_linked']} "
                     f"kind-of links, {s['stage_requirements']} stage requirements of our processes")
    if s.get("rows_after_year"):
        lines.append(f"  left out: {s['rows_after_year']} provision rows after {s['year']}")
    return "\n".join(lines)
