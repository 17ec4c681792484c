"""Reading and checking ETO's supply-chain CSV files (see :mod:`graph.interchange.eto` for the mapping).

Every read error names the file, the line and the column, in one line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NoReturn

from rdflib import URIRef

from ..core.errors import DataError
from ..core.vocab import CM

__all__ = [
    "FILES",
    "ISO3",
    "REGIONS",
    "TYPE_CLASSES",
    "EtoData",
    "Row",
    "is_placeholder",
    "markdown_links",
    "plain_text",
    "read_eto",
    "cited_link",
    "share_percent",
    "row_year",
    "YEAR_RE",
]

#: Input types -> chokemap classes.
TYPE_CLASSES: dict[str, URIRef] = {
    "process": CM.Process,
    "tool_resource": CM.Tool,
    "material_resource": CM.Material,
    "design_resource": CM.Software,
    "ultimate_output": CM.Chip,
}

#: The files of an ETO folder and the columns chokemap reads from each.
FILES: dict[str, tuple[str, ...]] = {
    "inputs.csv": ("input_id", "input_name", "type", "stage_id", "description"),
    "providers.csv": ("provider_name", "alias", "provider_id", "provider_type", "country"),
    "provision.csv": ("provider_id", "provided_id", "share_provided", "year", "source"),
    "sequence.csv": ("input_id", "goes_into_id", "is_type_of_id"),
    "stages.csv": ("stage_id", "stage_name", "description"),
}

#: ISO 3166-1 alpha-3 -> (alpha-2, English name), for the codes ETO uses and their neighbours.
ISO3: dict[str, tuple[str, str]] = {
    "ARE": ("AE", "United Arab Emirates"), "ARG": ("AR", "Argentina"), "AUS": ("AU", "Australia"),
    "AUT": ("AT", "Austria"), "BEL": ("BE", "Belgium"), "BGR": ("BG", "Bulgaria"),
    "BLR": ("BY", "Belarus"), "BRA": ("BR", "Brazil"), "CAN": ("CA", "Canada"),
    "CHE": ("CH", "Switzerland"), "CHL": ("CL", "Chile"), "CHN": ("CN", "China"),
    "CZE": ("CZ", "Czech Republic"), "DEU": ("DE", "Germany"), "DNK": ("DK", "Denmark"),
    "ESP": ("ES", "Spain"), "EST": ("EE", "Estonia"), "FIN": ("FI", "Finland"),
    "FRA": ("FR", "France"), "GBR": ("GB", "United Kingdom"), "GRC": ("GR", "Greece"),
    "HKG": ("HK", "Hong Kong"), "HUN": ("HU", "Hungary"), "IDN": ("ID", "Indonesia"),
    "IND": ("IN", "India"), "IRL": ("IE", "Ireland"), "ISR": ("IL", "Israel"),
    "ITA": ("IT", "Italy"), "JPN": ("JP", "Japan"), "KOR": ("KR", "South Korea"),
    "LTU": ("LT", "Lithuania"), "LUX": ("LU", "Luxembourg"), "LVA": ("LV", "Latvia"),
    "MAC": ("MO", "Macau"), "MEX": ("MX", "Mexico"), "MYS": ("MY", "Malaysia"),
    "NLD": ("NL", "Netherlands"), "NOR": ("NO", "Norway"), "NZL": ("NZ", "New Zealand"),
    "PHL": ("PH", "Philippines"), "POL": ("PL", "Poland"), "PRT": ("PT", "Portugal"),
    "ROU": ("RO", "Romania"), "RUS": ("RU", "Russia"), "SAU": ("SA", "Saudi Arabia"),
    "SGP": ("SG", "Singapore"), "SVK": ("SK", "Slovakia"), "SVN": ("SI", "Slovenia"),
    "SWE": ("SE", "Sweden"), "THA": ("TH", "Thailand"), "TUR": ("TR", "Turkey"),
    "TWN": ("TW", "Taiwan"), "UKR": ("UA", "Ukraine"), "USA": ("US", "United States"),
    "VNM": ("VN", "Vietnam"), "ZAF": ("ZA", "South Africa"),
}

#: Codes that name a group of countries, not one: imported as aggregates.
REGIONS: dict[str, str] = {"EUR": "Europe", "EUU": "European Union"}

_PLACEHOLDER = re.compile(r"^\s*(various|other|others|misc\.?|miscellaneous|unknown|unnamed|rest of)\b", re.I)
_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s,]+)[^)]*\)")
_BARE_URL = re.compile(r"https?://[^\s)\]>,]+")
YEAR_RE = re.compile(r"^\d{4}$")
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}


def is_placeholder(name: str) -> bool:
    """True for ETO's placeholder providers ("Various companies", "Other", ...).

    >>> is_placeholder("Various companies"), is_placeholder("ASML")
    (True, False)
    """
    return bool(_PLACEHOLDER.match(name))


def markdown_links(text: str) -> list[tuple[str, str]]:
    """The ``(text, url)`` pairs of the markdown links in ``text``, then bare URLs.

    >>> markdown_links("[CSET](https://cset.georgetown.edu/x) (citing SEMI)")
    [('CSET', 'https://cset.georgetown.edu/x')]
    >>> markdown_links("see https://perma.cc/AB-1.")
    [('', 'https://perma.cc/AB-1')]
    """
    links = [(m.group(1).strip(), m.group(2)) for m in _LINK.finditer(text)]
    rest = _LINK.sub(" ", text)
    links += [("", u.rstrip(".;")) for u in _BARE_URL.findall(rest)]
    return links


def cited_link(text: str) -> tuple[str, str] | None:
    """``(publisher, url)`` of the first link in a source text whose text names someone."""
    links = markdown_links(text or "")
    if not links:
        return None
    named = next(((t, u) for t, u in links if t[:1].isupper()), None)
    return named or ("Cited in the ETO dataset", links[0][1])


def plain_text(text: str) -> str:
    """``text`` with markdown links replaced by their text and spaces collapsed.

    >>> plain_text("[CSET](https://cset.georgetown.edu/x) (citing SEMI)")
    'CSET (citing SEMI)'
    """
    return " ".join(_LINK.sub(lambda m: m.group(1), text).split())


# --------------------------------------------------------------------------- reading


@dataclass
class Row:
    """One CSV record: its values by column and the line it starts on."""

    file: str
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def fail(self, column: str, message: str) -> NoReturn:
        """Raise a DataError naming this row's file, line and ``column``."""
        msg = f"{self.file}:{self.line}: column {column}: {message}"
        raise DataError(msg) from None


@dataclass
class EtoData:
    """The five tables of an ETO folder, checked for ids, shares and years."""

    folder: Path
    inputs: dict[str, Row] = field(default_factory=dict)
    stages: dict[str, Row] = field(default_factory=dict)
    providers: dict[str, Row] = field(default_factory=dict)
    provider_aliases: dict[str, list[str]] = field(default_factory=dict)
    provision: list[Row] = field(default_factory=list)
    sequence: list[Row] = field(default_factory=list)
    dataset_date: dt.date | None = None
    dataset_commit: str | None = None


def _read_csv(path: Path, required: Iterable[str]) -> list[Row]:
    """Read one CSV (UTF-8, with or without BOM, any line ends) into rows.

    Complexity: O(size of the file).
    """
    if not path.is_file():
        msg = f"{path}: missing; an ETO folder holds {', '.join(FILES)}"
        raise DataError(msg)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        msg = f"{path}: cannot read the file ({exc.strerror}); check its permissions"
        raise DataError(msg) from None
    # surrogateescape keeps undecodable bytes, so the error can name the row and column
    text = raw.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        msg = f"{path}: empty file; expected a header line with {', '.join(required)}"
        raise DataError(msg) from None
    missing = [c for c in required if c not in header]
    if missing:
        shown = " ".join(", ".join(header).split())  # one line, even when a quote spans lines
        shown = shown if len(shown) <= 200 else shown[:200] + " ..."
        msg = f"{path}:1: missing column {', '.join(missing)} (the header has: {shown})"
        raise DataError(msg)
    rows: list[Row] = []
    start = reader.line_num + 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                msg = f"{path}:{line}: {len(record)} fields, but the header has {len(header)}; quote values that hold commas"
                raise DataError(msg)
            values = dict(zip(header, record, strict=True))
            for column, cell in values.items():
                bad = next((ch for ch in cell if "\udc80" <= ch <= "\udcff"), None)
                if bad is not None:
                    msg = (f"{path}:{line}: column {column}: not UTF-8 (byte 0x{ord(bad) - 0xDC00:02x}); "
                           "save the file as UTF-8")
                    raise DataError(msg)
            rows.append(Row(str(path), line, values))
    except csv.Error as exc:
        msg = f"{path}:{reader.line_num}: bad CSV: {exc}"
        raise DataError(msg) from None
    return rows


def _dataset_release(folder: Path) -> tuple[dt.date | None, str | None]:
    """The commit month and hash a README.md in the folder names, if any."""
    readme = folder / "README.md"
    if not readme.is_file():
        return None, None
    try:
        text = readme.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None, None  # the release is only a note; the data itself is what must be read
    commit = re.search(r"commit\s+([0-9a-f]{7,40})", text)
    when = re.search(r"\((January|February|March|April|May|June|July|August|September|October|"
                     r"November|December)\s+(\d{4})\)", text)
    date = dt.date(int(when.group(2)), _MONTHS[when.group(1).lower()], 1) if when else None
    return date, commit.group(1) if commit else None


def _unique(rows: list[Row], column: str, what: str) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for row in rows:
        key = row.get(column)
        if not key:
            row.fail(column, f"empty {what} id")
        if key in out:
            row.fail(column, f"duplicate {what} id {key!r} (first on line {out[key].line})")
        out[key] = row
    return out


def read_eto(folder: str | Path) -> EtoData:
    """Read and check an ETO folder.

    Checks: required columns, UTF-8, unique ids, known input types and provider types,
    shares (blank, or a number from 0 to 100), years (four digits), and that every id in
    ``provision.csv`` and ``sequence.csv`` is defined.

    Complexity: O(R) for R rows in all files.

    Raises
    ------
    DataError
        One line naming the file, the line and the column.
    """
    root = Path(folder)
    if not root.is_dir():
        msg = f"{root}: not a folder; give the folder that holds the ETO CSV files"
        raise DataError(msg)
    tables = {name: _read_csv(root / name, cols) for name, cols in FILES.items()}
    data = EtoData(root)
    data.dataset_date, data.dataset_commit = _dataset_release(root)
    data.stages = _unique(tables["stages.csv"], "stage_id", "stage")
    data.inputs = _unique(tables["inputs.csv"], "input_id", "input")
    _check_inputs(data)
    _read_providers(data, tables["providers.csv"])
    _check_countries(data)
    _read_provision(data, tables["provision.csv"])
    _read_sequence(data, tables["sequence.csv"])
    return data


def _check_inputs(data: EtoData) -> None:
    """Each input: a known type, a name, a known stage, an id that is not also a stage's."""
    for row in data.inputs.values():
        if row.get("type") not in TYPE_CLASSES:
            row.fail("type", f"unknown input type {row.get('type')!r} "
                            f"(expected one of {', '.join(TYPE_CLASSES)})")
        if not row.get("input_name"):
            row.fail("input_name", "empty name")
        stage = row.get("stage_id")
        if stage and stage not in data.stages:
            row.fail("stage_id", f"unknown stage {stage!r} (not in stages.csv)")
        if row.get("input_id") in data.stages:
            row.fail("input_id", f"{row.get('input_id')!r} is also a stage id")


def _read_providers(data: EtoData, rows: list[Row]) -> None:
    """Providers by id, each with its aliases (ETO repeats a provider once per alias)."""
    for row in rows:
        pid = row.get("provider_id")
        if not pid:
            row.fail("provider_id", "empty provider id")
        if row.get("provider_type") not in ("organization", "country"):
            row.fail("provider_type", f"unknown provider type {row.get('provider_type')!r} "
                            "(expected organization or country)")
        if not row.get("provider_name"):
            row.fail("provider_name", "empty name")
        first = data.providers.get(pid)
        if first is None:
            data.providers[pid] = row
            data.provider_aliases[pid] = []
        else:  # ETO repeats a provider once per alias
            for column in ("provider_name", "provider_type", "country"):
                if row.get(column) != first.get(column):
                    row.fail(column, f"provider {pid} has {column} {row.get(column)!r} here but "
                                    f"{first.get(column)!r} on line {first.line}")
        alias = row.get("alias")
        if alias and alias not in data.provider_aliases[pid]:
            data.provider_aliases[pid].append(alias)


def _check_countries(data: EtoData) -> None:
    """Each organisation's country: a country provider, an ISO alpha-3 code or a region."""
    countries = {r.get("provider_name") for r in data.providers.values() if r.get("provider_type") == "country"}
    for row in data.providers.values():
        code = row.get("country")
        if row.get("provider_type") == "organization" and code and code not in countries \
                and code not in ISO3 and code not in REGIONS:
            row.fail("country", f"unknown country code {code!r} (write an ISO 3166-1 alpha-3 code)")


def _read_provision(data: EtoData, rows: list[Row]) -> None:
    """Provision rows: known provider and input, a share and a year, no repeat per year."""
    seen: dict[tuple[str, str, str], Row] = {}
    for row in rows:
        if row.get("provider_id") not in data.providers:
            row.fail("provider_id", f"unknown provider {row.get('provider_id')!r} (not in providers.csv)")
        target = row.get("provided_id")
        if target not in data.inputs and target not in data.stages:
            row.fail("provided_id", f"unknown input {target!r} (not in inputs.csv or stages.csv)")
        share_percent(row)
        row_year(row)
        key = (row.get("provider_id"), target, row.get("year"))
        if key in seen:
            row.fail("provider_id", f"{key[0]} provides {target} in {key[2]} twice "
                            f"(also line {seen[key].line})")
        seen[key] = row
        data.provision.append(row)


def _read_sequence(data: EtoData, rows: list[Row]) -> None:
    """Sequence rows: a known input that goes into, or is a type of, another known input."""
    for row in rows:
        if row.get("input_id") not in data.inputs:
            row.fail("input_id", f"unknown input {row.get('input_id')!r} (not in inputs.csv)")
        targets = [(c, row.get(c)) for c in ("goes_into_id", "is_type_of_id") if row.get(c)]
        if not targets:
            row.fail("goes_into_id", "neither goes_into_id nor is_type_of_id is given")
        for column, other in targets:
            if other not in data.inputs:
                row.fail(column, f"unknown input {other!r} (not in inputs.csv)")
            if other == row.get("input_id"):
                row.fail(column, f"{other!r} cannot go into or be a type of itself")
        data.sequence.append(row)


def share_percent(row: Row) -> Decimal | None:
    text = row.get("share_provided").removesuffix("%").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        row.fail("share_provided", f"{text!r} is not a number (write a percentage from 0 to 100, "
                  "or leave it blank when unknown)")
    if not value.is_finite() or value < 0 or value > 100:
        row.fail("share_provided", f"{text!r} is not a percentage from 0 to 100")
    return value


def row_year(row: Row) -> int:
    text = row.get("year")
    if not YEAR_RE.match(text):
        row.fail("year", f"{text!r} is not a year (write four digits, e.g. 2025)")
    return int(text)
