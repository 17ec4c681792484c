"""Importing ETO's supply-chain CSVs: the mapping on a hand-written fixture, every bad
input the task names, and the real dataset in ../shared/eto (skipped when absent).

The fixture (tests/data/eto/, expected answers in its README.md): EUV Co is the only
maker of EUV scanners, so EUV Co and the Netherlands are chokepoints of "Finished chip";
placeholders never are.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.namespace import XSD

from chokemap.cli import cli
from chokemap.graph.core.errors import DataError, UsageError
from chokemap.graph.core.model import short_id
from chokemap.graph.core.vocab import CM, CMI
from chokemap.graph.engine.ranking import chokepoints
from chokemap.graph.interchange.eto import import_eto, read_eto, to_rdf
from chokemap.graph.io.load import load
from chokemap.graph.queries.validate import validate

FIXTURE = Path(__file__).parents[1] / "data" / "eto"
REAL = Path(__file__).parents[3] / "shared" / "eto"
TODAY = dt.date(2026, 11, 27)
needs_real = pytest.mark.skipif(not (REAL / "provision.csv").is_file(),
                                reason=f"the ETO dataset is not at {REAL} (../shared/eto from the project root)")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def imported(tmp_path: Path, folder: Path = FIXTURE, **kw: str) -> tuple[Path, dict]:
    out = tmp_path / "eto.ttl"
    summary = import_eto(folder, out, **kw)
    return out, summary


def supplies(kg, item: str) -> list[dict]:
    return [{"from": u, **d} for u, _v, d in kg.g.in_edges(item, data=True) if d["type"] == "supplies"]


# --------------------------------------------------------------------------- the mapping


def test_fixture_maps_classes_ids_aliases_and_placeholders(tmp_path: Path) -> None:
    out, summary = imported(tmp_path)
    kg = load([out])
    types = {n: d["type"] for n, d in kg.g.nodes(data=True)}
    assert {k: types[f"eto-{k}"] for k in ("N1", "N3", "N6", "N7", "N8", "S2", "P1", "P10")} == {
        "N1": "Process", "N3": "Tool", "N6": "Material", "N7": "Software", "N8": "Chip",
        "S2": "Process", "P1": "Country", "P10": "Firm"}
    assert summary["inputs"] == 8 and summary["firms"] == 6 and summary["countries"] == 4
    assert "ETO N4" in kg.node("eto-N4")["aliases"]
    assert kg.node("eto-P1")["iso"] == "NL" and kg.node("eto-P1")["label"] == "Netherlands"
    assert "NLD" in kg.node("eto-P1")["aliases"]
    # ScanCo is listed twice in providers.csv (once per alias): one node, both names
    assert kg.node("eto-P11")["aliases"] == ["ETO P11", "ScanCo Machinery"]
    assert kg.node("eto-P12")["label"] == "Résist Kagaku"  # non-ASCII survives
    aggregates = sorted(n for n, d in kg.g.nodes(data=True) if d.get("aggregate"))
    assert aggregates == ["eto-P14", "eto-P4"]
    assert kg.node("eto-P15")["country"] == "eto-P3"  # supplies nothing, still imported
    assert "ETO stage: Fabrication (S2)" in kg.node("eto-N2")["description"]
    assert validate(kg) == []


def test_sequence_goes_into_and_types_all_versus_any(tmp_path: Path) -> None:
    data = read_eto(FIXTURE)
    g_all, _ = to_rdf(data, types="all")
    g_any, _ = to_rdf(data, types="any")
    scanners, euv = CMI["eto-N3"], CMI["eto-N4"]
    needs = lambda g, item: {g.value(q, CM.input) for q in g.objects(item, CM.requires)}  # noqa: E731
    variants = lambda g, item: {g.value(q, CM.supplier) for q in g.objects(item, CM.suppliedBy)}  # noqa: E731
    assert needs(g_all, CMI["eto-N2"]) == {CMI["eto-N1"], scanners, CMI["eto-N6"]}  # goes_into
    assert needs(g_all, scanners) == {euv, CMI["eto-N5"]}
    assert variants(g_all, scanners) == set()  # the category's own rows are figures with "all"
    assert needs(g_any, scanners) == set()
    assert {euv, CMI["eto-N5"]} <= variants(g_any, scanners)
    for g in (g_all, g_any):
        assert (euv, CM.kindOf, scanners) in g
    with pytest.raises(UsageError, match="write all or any"):
        to_rdf(data, types="some")


def test_country_rows_are_a_breakdown_unless_alone(tmp_path: Path) -> None:
    out, _ = imported(tmp_path)
    kg = load([out])
    # EUV scanners: EUV Co 100% is the supplier; NLD 100% is the same market by country
    assert [(s["from"], s["share"]) for s in supplies(kg, "eto-N4")] == [("eto-P10", 1.0)]
    specs = kg.node("eto-N4")["specs"]
    assert [(s["property"], s["value"], s["as_of"]) for s in specs] == [
        ("country_share", 1.0, dt.date(2025, 1, 1))]
    assert "Netherlands (NLD, ETO P1)" in specs[0]["note"]
    # GPU design has only country rows: the countries supply it
    assert sorted((s["from"], s["share"]) for s in supplies(kg, "eto-N7")) == [
        ("eto-P3", 0.95), ("eto-P4", 0.05)]


def test_years_latest_current_older_history_blank_shares_unknown(tmp_path: Path) -> None:
    out, summary = imported(tmp_path)
    kg = load([out])
    resist = sorted(supplies(kg, "eto-N6"), key=lambda s: (s["valid_from"], s["from"]))
    assert [(s["from"], s["share"], s["valid_from"], s["valid_to"]) for s in resist] == [
        ("eto-P12", None, dt.date(2019, 1, 1), dt.date(2024, 12, 31)),
        ("eto-P14", None, dt.date(2019, 1, 1), dt.date(2024, 12, 31)),
        ("eto-P12", 0.7, dt.date(2025, 1, 1), None),
        ("eto-P14", 0.3, dt.date(2025, 1, 1), None),
    ]
    assert summary["history"] == 2
    # every edge cites the dataset; a row whose source text has a link cites it too
    old = resist[0]
    assert "eto-dataset" in [s["id"] for s in old["sources"]]
    linked = next(s for s in old["sources"] if s["id"] != "eto-dataset")
    assert linked["url"] == "https://cset.georgetown.edu/publication/the-semiconductor-supply-chain/"
    assert linked["publisher"] == "CSET" and linked["date"] == dt.date(2019, 1, 1)
    assert old["note"].startswith("ETO provision, 2019; source: [CSET](")
    dataset = kg.sources["eto-dataset"]
    assert dataset["url"] == "https://github.com/georgetown-cset/eto-chip-explorer"
    assert dataset["date"] == dt.date(2026, 3, 1)  # the fixture README's commit month
    assert dataset["publisher"].startswith("Center for Security and Emerging Technology (CSET)")


def test_year_option_keeps_data_up_to_that_year(tmp_path: Path) -> None:
    out, summary = imported(tmp_path, year="2019")
    kg = load([out])
    resist = supplies(kg, "eto-N6")
    assert {(s["from"], s["valid_from"], s["valid_to"]) for s in resist} == {
        ("eto-P12", dt.date(2019, 1, 1), None), ("eto-P14", dt.date(2019, 1, 1), None)}
    assert supplies(kg, "eto-N4") == []  # 2025 only: left out
    assert summary["rows_after_year"] == 14
    with pytest.raises(UsageError, match="four-digit year"):
        import_eto(FIXTURE, tmp_path / "x.ttl", year="last")


def test_fixture_chokepoints_are_euv_co_and_the_netherlands_never_a_placeholder(tmp_path: Path) -> None:
    out, _ = imported(tmp_path)
    kg = load([out])
    rows = chokepoints(kg, ["eto-N8"], None, TODAY, top=None)["chokepoints"]
    actors = {r["id"] for r in rows if r["type"] in ("Firm", "Country")}
    assert actors == {"eto-P10", "eto-P1"}
    assert [r["id"] for r in rows].index("eto-P10") < 3
    assert not any(kg.node(r["id"]).get("aggregate") for r in rows)
    # with --types any, any scanner will do: EUV Co is no longer a chokepoint
    out_any = tmp_path / "any.ttl"
    import_eto(FIXTURE, out_any, types="any")
    kg_any = load([out_any])
    ids = {r["id"] for r in chokepoints(kg_any, ["eto-N8"], None, TODAY, top=None)["chokepoints"]}
    assert "eto-P10" not in ids and "eto-N4" not in ids


# --------------------------------------------------------------------------- bad input


def copy_fixture(tmp_path: Path) -> Path:
    folder = tmp_path / "eto"
    shutil.copytree(FIXTURE, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("provision.csv", "provider_id,provided_name", "provider,provided_name",
     r"provision\.csv:1: missing column provider_id \(the header has: "),
    ("provision.csv", "EUV Co,P10,EUV scanners,N4,100.0", "EUV Co,P10,EUV scanners,N4,abc",
     r"provision\.csv:2: column share_provided: 'abc' is not a number"),
    ("provision.csv", "EUV Co,P10,EUV scanners,N4,100.0", "EUV Co,P10,EUV scanners,N4,150",
     r"provision\.csv:2: column share_provided: '150' is not a percentage from 0 to 100"),
    ("provision.csv", "EUV Co,P10,EUV scanners,N4,100.0,2025", "EUV Co,P10,EUV scanners,N4,100.0,25",
     r"provision\.csv:2: column year: '25' is not a year"),
    ("provision.csv", "EUV Co,P10,EUV scanners,N4,", "EUV Co,P99,EUV scanners,N4,",
     r"provision\.csv:2: column provider_id: unknown provider 'P99' \(not in providers\.csv\)"),
    ("provision.csv", "EUV Co,P10,EUV scanners,N4,", "EUV Co,P10,EUV scanners,N404,",
     r"provision\.csv:2: column provided_id: unknown input 'N404'"),
    ("sequence.csv", "EUV scanners,N4,,,Scanners,N3", "EUV scanners,N4,,,Scanners,N33",
     r"sequence\.csv:2: column is_type_of_id: unknown input 'N33' \(not in inputs\.csv\)"),
    ("sequence.csv", "Photoresist,N6,Lithography,N2", "Photoresist,N66,Lithography,N2",
     r"sequence\.csv:5: column input_id: unknown input 'N66'"),
    ("inputs.csv", "N4,EUV scanners,tool_resource", "N4,EUV scanners,gadget",
     r"inputs\.csv:\d+: column type: unknown input type 'gadget'"),
    ("inputs.csv", "N5,DUV scanners", "N4,DUV scanners",
     r"inputs\.csv:\d+: column input_id: duplicate input id 'N4' \(first on line \d+\)"),
    ("providers.csv", "GPU Inc,,P13,organization,USA", "GPU Inc,,P13,organization,XYZ",
     r"providers\.csv:\d+: column country: unknown country code 'XYZ'"),
    ("provision.csv", "USA,P3,GPU design,N7,95,2019,", "USA,P3,GPU design,N7,95,2019",
     r"provision\.csv:\d+: 6 fields, but the header has 7"),
])
def test_bad_input_is_one_line_naming_file_line_and_column(
        tmp_path: Path, file: str, old: str, new: str, message: str) -> None:
    folder = copy_fixture(tmp_path)
    edit(folder / file, old, new)
    target = tmp_path / "out.ttl"
    with pytest.raises(DataError, match=message) as err:
        import_eto(folder, target)
    assert "\n" not in str(err.value)
    assert not target.exists() and not list(tmp_path.glob(".out.ttl.*"))
    code, out = run("import", "eto", str(folder), "-o", str(target))
    assert code == 1 and out.startswith("Error: ") and out.count("\n") == 1
    assert "Traceback" not in out and not target.exists()


def test_non_utf8_bytes_name_file_line_and_column(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    path = folder / "providers.csv"
    path.write_bytes(path.read_bytes().replace("Résist".encode(), "R\xe9sist".encode("latin-1")))
    target = tmp_path / "out.ttl"
    target.write_text("previous content", encoding="utf-8")
    with pytest.raises(DataError, match=r"providers\.csv:9: column provider_name: not UTF-8 \(byte 0xe9\); "
                                        "save the file as UTF-8"):
        import_eto(folder, target)
    assert target.read_text(encoding="utf-8") == "previous content"  # untouched


def test_bom_and_windows_line_ends_simply_work(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    g_dos, s_dos = to_rdf(read_eto(folder))
    g_unix, s_unix = to_rdf(read_eto(FIXTURE))
    assert s_dos == {**s_unix, "folder": str(folder)}
    assert len(g_dos) == len(g_unix)
    desc = g_dos.value(CMI["eto-N1"], CM.description)
    assert str(desc).startswith('Design of the chip, with "quotes", commas.')


def test_missing_folder_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not a folder"):
        read_eto(tmp_path / "nowhere")
    folder = copy_fixture(tmp_path)
    (folder / "stages.csv").unlink()
    with pytest.raises(DataError, match=r"stages\.csv: missing; an ETO folder holds inputs\.csv"):
        read_eto(folder)


def test_cli_import_text_json_and_usage_errors(tmp_path: Path) -> None:
    target = tmp_path / "eto.ttl"
    code, out = run("import", "eto", str(FIXTURE), "-o", str(target))
    assert code == 0
    assert out.splitlines()[0] == f"wrote {target}: 291 triples from {FIXTURE} (year: latest, types: all)"
    assert out.splitlines()[-1] == f"next: chokemap --data {target} validate"
    code, out = run("import", "eto", str(FIXTURE), "-o", str(target), "--types", "any", "--json")
    assert code == 0 and json.loads(out)["variants"] == 2
    code, out = run("import", "eto", str(FIXTURE), "-o", str(target), "--year", "soon")
    assert code == 2 and "--year 'soon': write latest or a four-digit year" in out
    code, out = run("import", "eto", str(FIXTURE), "-o", str(tmp_path / "no" / "x.ttl"))
    assert code == 1 and "does not exist; create it first" in out
    code, out = run("--data", str(target), "validate")
    assert code == 0 and out.startswith("valid:")


# --------------------------------------------------------------------------- the real dataset


def read_csv(name: str) -> list[dict[str, str]]:
    with open(REAL / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("eto") / "eto.ttl"
    summary = import_eto(REAL, out)
    return load([out]), summary


@needs_real
def test_real_every_input_and_provider_becomes_a_node(real) -> None:
    kg, summary = real
    inputs = read_csv("inputs.csv")
    providers = read_csv("providers.csv")
    provision = read_csv("provision.csv")
    types = {"process": "Process", "tool_resource": "Tool", "material_resource": "Material",
             "design_resource": "Software", "ultimate_output": "Chip"}
    for row in inputs:
        assert kg.node(f"eto-{row['input_id']}")["type"] == types[row["type"]]
        assert kg.label(f"eto-{row['input_id']}") == row["input_name"]
    referenced = {r["provider_id"] for r in provision}
    for row in providers:
        node = kg.node(f"eto-{row['provider_id']}")
        assert node["type"] == ("Country" if row["provider_type"] == "country" else "Firm")
    assert referenced <= {r["provider_id"] for r in providers}
    assert summary["inputs"] == len({r["input_id"] for r in inputs})
    assert summary["firms"] + summary["countries"] == len({r["provider_id"] for r in providers})
    placeholders = {f"eto-{r['provider_id']}" for r in providers if r["provider_name"].startswith("Various")}
    assert placeholders and all(kg.node(p)["aggregate"] for p in placeholders)


@needs_real
def test_real_every_share_keeps_its_value_and_year(real) -> None:
    kg, summary = real
    provision = read_csv("provision.csv")
    expected = Counter()
    for r in provision:
        if r["share_provided"].strip():
            share = float(Decimal(r["share_provided"]) / 100)
            expected[(f"eto-{r['provided_id']}", f"eto-{r['provider_id']}", round(share, 6), int(r["year"]))] += 1
    found = Counter()
    for u, v, d in kg.g.edges(data=True):
        if d["type"] == "supplies" and d.get("share") is not None and kg.node(u)["type"] != kg.node(v)["type"]:
            found[(v, u, round(d["share"], 6), d["valid_from"].year)] += 1
    rdf = kg.rdf
    for item, spec in rdf.subject_objects(CM.spec):
        prop = str(rdf.value(spec, CM.property))
        value = rdf.value(spec, CM.value)
        if prop in ("market_share", "country_share") and value.datatype == XSD.decimal:
            pid = str(rdf.value(spec, CM.note)).split("ETO ", 1)[1].split(")")[0]
            found[(short_id(item), f"eto-{pid}", round(float(value.toPython()), 6),
                   rdf.value(spec, CM.asOf).toPython().year)] += 1
    assert found == expected
    assert summary["shares"] == sum(expected.values())
    blank = sum(1 for r in provision if not r["share_provided"].strip())
    assert blank > 0  # blank shares exist in the data and stay unknown:
    no_share = sum(1 for _u, _v, d in kg.g.edges(data=True) if d["type"] == "supplies" and d["share"] is None
                   and d.get("valid_from") is not None)
    unknown_specs = sum(1 for _i, s in rdf.subject_objects(CM.spec) if rdf.value(s, CM.value) == Literal("unknown"))
    assert no_share + unknown_specs == blank


@needs_real
def test_real_graph_validates(real) -> None:
    kg, _ = real
    assert validate(kg) == []
    assert all(d.get("sources") for _u, _v, d in kg.g.edges(data=True) if d["type"] in ("requires", "supplies"))


@needs_real
def test_real_chokepoints_of_the_finished_logic_chip(real) -> None:
    kg, _ = real
    chip = next(f"eto-{r['input_id']}" for r in read_csv("inputs.csv") if r["type"] == "ultimate_output")
    rows = chokepoints(kg, [chip], None, TODAY, top=None)["chokepoints"]
    ids = [r["id"] for r in rows]
    asml = next(n for n, d in kg.g.nodes(data=True) if d.get("label") == "ASML")
    assert asml in ids[:3], [r["label"] for r in rows[:5]]
    row = rows[ids.index(asml)]
    assert row["why"] == "the only working supplier of EUV lithography tools (100% share)"
    assert row["explanation"][0]["sources"][0]["url"] == "https://github.com/georgetown-cset/eto-chip-explorer"
    netherlands = next(n for n, d in kg.g.nodes(data=True) if d.get("iso") == "NL")
    assert netherlands in ids
    assert not any(kg.node(n).get("aggregate") for n in ids)
    # ArF immersion: ASML 99.3% with a placeholder for the rest, kept as given
    arf = next(n for n, d in kg.g.nodes(data=True) if d.get("label") == "ArF immersion (DUV) lithography tools")
    assert sorted(round(s["share"], 3) for s in supplies(kg, arf)) == [0.007, 0.993]


@needs_real
def test_real_types_any_hides_the_category_level_chokepoints(tmp_path: Path) -> None:
    out = tmp_path / "any.ttl"
    import_eto(REAL, out, types="any")
    kg = load([out])
    chip = next(n for n, d in kg.g.nodes(data=True) if d.get("type") == "Chip")
    ids = {r["id"] for r in chokepoints(kg, [chip], None, TODAY, top=None)["chokepoints"]}
    asml = next(n for n, d in kg.g.nodes(data=True) if d.get("label") == "ASML")
    assert asml not in ids
    # what is left are the categories themselves, each needed with no substitute
    assert "Lithography tools" in {kg.label(n) for n in ids}
