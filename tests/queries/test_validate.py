"""validate: SHACL findings name the entity and the problem; references and cycles too."""

from __future__ import annotations

from pathlib import Path

from chokemap.graph.io.load import load
from chokemap.graph.queries.validate import requirement_cycles, validate

DATA = Path(__file__).parents[1] / "data"
LAUNCH = ("cm:launch: every chip and system states its launch: a cm:date, or a cm:status (NotYetLaunched, "
          "LaunchDateUnknown, NotAProduct); without one, answers cannot tell whether it existed on the date asked")


def violations(findings: list) -> list:
    return [f for f in findings if f.severity == "violation"]


def test_clean_fixture_has_no_findings() -> None:
    findings = validate(load([DATA / "tiny.ttl"]))
    assert violations(findings) == []
    # the toy chips state no launch: warnings only, each naming the chip
    assert sorted(str(f) for f in findings) == [f"{c}: {LAUNCH} (warning)" for c in ("memory", "phone", "soc")]


def test_each_broken_rule_is_named_with_its_entity() -> None:
    found = {str(f) for f in validate(load([DATA / "bad_shapes.ttl"], lenient=True))}
    assert found == {
        "nolabel: every entity needs exactly one rdfs:label",
        "pol-x: a policy needs one cm:issuer (a cm:Government)",
        "pol-x: cm:destination must name a cm:Country or a cm:CountryGroup (got 'maker')",
        "src-nourl: a source needs a cm:url (xsd:anyURI, http or https)",
        "widget requires ghost: cm:input points to 'ghost', which is not defined (no rdf:type) in the data",
        "widget suppliedBy maker: cm:share is one xsd:decimal fraction between 0 and 1 (got '1.5')",
        "widget suppliedBy maker: every dependency edge needs at least one cm:source (a cm:Source)",
        f"widget: {LAUNCH} (warning)",
    }


def test_requirement_cycle_is_named() -> None:
    kg = load([DATA / "cycle.ttl"])
    assert [sorted(c) for c in requirement_cycles(kg)] == [["alpha", "beta"]]
    (finding,) = violations(validate(kg))
    assert finding.check == "cycle"
    assert "Alpha -> Beta -> Alpha" in finding.message or "Beta -> Alpha -> Beta" in finding.message


def test_two_sources_with_one_url_are_reported(tmp_path) -> None:
    text = (DATA / "tiny.ttl").read_text(encoding="utf-8")
    text += ('\ncmi:src2 a cm:Source ; rdfs:label "Copy" ; cm:url "https://example.org/toy"^^xsd:anyURI ;'
             ' cm:publisher "Example" ; cm:date "2024-01-01"^^xsd:date .\n')
    path = tmp_path / "dup.ttl"
    path.write_text(text, encoding="utf-8")
    (finding,) = violations(validate(load([path])))
    assert str(finding) == "src: same cm:url as src2: define each source once"
