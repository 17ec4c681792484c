"""Graphs in a triple store: --endpoint (a real Virtuoso on loopback) and --store (Oxigraph).

The same commands must give the same answers from a store as from the files in memory.
Virtuoso is Debian's ``virtuoso-opensource-7-bin``: the fixture starts ``virtuoso-t`` from
a small ini in a temporary folder (both ports bound to 127.0.0.1, free ports picked at
run time), waits until ``/sparql`` answers, bulk-loads Turtle with ``isql-vt`` and
``ld_dir`` / ``rdf_loader_run`` into one named graph per dataset, and stops the server by
its process id.  Without ``virtuoso-t`` those tests skip, saying so.

Known differences are tolerated, and only in order: where the engine lists several
policies (conditions, blocking causes) it lists them in the graph's node order, and where
a tree or chain picks one of two parallel edges it takes the first; for files that is
the order of the files and of their lines, and a store has no such order.  So answers
are compared as JSON with every list sorted and hops (of chains, trees and paths) by
their ends and type only (``show`` still compares every edge with its sources), and the lists whose order *is* the answer (ranked
chokepoints, paths, tree nodes) are compared exactly.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chokemap.cli import cli
from chokemap.graph.core.vocab import CM
from chokemap.graph.io.endpoint import EndpointError, HttpEndpoint, build_store, fetch_subgraph, iri_of

ROOT = Path(__file__).parents[2]
DATA = ROOT / "data"
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
_HAS_VIRTUOSO = pytest.mark.skipif(
    not (VIRTUOSO and ISQL),
    reason="virtuoso-t / isql-vt not installed (apt-get install virtuoso-opensource-7-bin)")


def NEEDS_VIRTUOSO(test: Any) -> Any:  # noqa: N802 (reads as the marker it was)
    """A test against a real Virtuoso server: skipped without one, and in the slow step (starting
    the server and loading the graph take tens of seconds, too much for the README's command)."""
    return pytest.mark.slow(_HAS_VIRTUOSO(test))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def answer(*args: str) -> Any:
    code, out = run(*args, "--json")
    assert code in (0, 1), out
    return json.loads(out)


def canon(x: Any, loose: bool = False) -> Any:
    """JSON with every list sorted (see the module docstring); ``loose`` keeps only the
    ends and type of each hop, since which of two parallel edges a tree shows follows
    the edges' order too (NVIDIA supplies the H200 twice: new chips, and stock)."""
    if isinstance(x, dict):
        if loose and {"from", "to", "type"} <= set(x):
            return {k: x[k] for k in ("from", "to", "type")}
        if loose and {"type", "share", "sources"} <= set(x):  # an edge seen from one end
            return {"type": x["type"]}
        return {k: canon(v, loose) for k, v in x.items()}
    if isinstance(x, list):
        return sorted((canon(v, loose) for v in x), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    for marker in ("with conditions: ", "blocked by "):
        if isinstance(x, str) and marker in x:
            head, _, tail = x.partition(marker)
            return head + marker + "; ".join(sorted(tail.split("; ")))
    return x


def ranked(x: Any) -> Any:
    """The lists whose order is the answer: chokepoint ids, paths' node lists, tree nodes."""
    if isinstance(x, list):
        return [v.get("id") for v in x if isinstance(v, dict)]
    out: dict[str, Any] = {}
    if isinstance(x.get("chokepoints"), list):
        out["chokepoints"] = [c["id"] for c in x["chokepoints"]]
    if "paths" in x:
        out["paths"] = [[h["to"] for h in p["hops"]] for p in x["paths"]]
    if "nodes" in x:
        out["nodes"] = [n["id"] for n in x["nodes"]]
    return out


def same(args: tuple[str, ...], local: tuple[str, ...], remote: tuple[str, ...]) -> None:
    a, b = answer(*local, *args), answer(*remote, *args)
    assert ranked(a) == ranked(b), args
    assert canon(a, loose=True) == canon(b, loose=True), args


# Questions whose answers must not depend on where the graph is held.
BUNDLED_QUESTIONS = [
    ("chokepoints", "--target", "H200", "--buyer", "ByteDance", "--as-of", "2026-02-01"),
    ("chokepoints", "--target", "Ascend 910C", "--buyer", "China", "--as-of", "2026-02-01", "--pairs"),
    ("available", "H200", "B200", "--buyer", "CN", "--as-of", "2026-02-01"),
    ("available", "H200", "--buyer", "CN", "--as-of", "2025-12-01"),
    ("path", "SK hynix", "H200"),
    ("path", "ASML", "Ascend 910C", "--all", "--as-of", "2026-01-01"),
    ("path", "H200", "SK hynix"),
    ("upstream", "H200"),
    ("upstream", "Ascend 910C", "--type", "Firm,Country", "--as-of", "2026-01-01"),
    ("downstream", "SK hynix"),
    ("show", "ASML"),
    ("show", "H200"),
    ("show", "China"),
    ("compare", "H200", "Ascend 910C", "--buyer", "CN", "--as-of", "2026-02-01"),
    ("whatif", "--remove", "SK hynix", "--target", "H200", "--buyer", "US", "--as-of", "2026-02-01"),
    ("diff", "--from", "2025-12-01", "--to", "2026-02-01", "--buyer", "CN", "--target", "H200"),
    ("chokepoints", "--buyer", "CN", "--as-of", "2026-02-01", "--top", "10"),
    ("timeline", "H200", "--buyer", "ByteDance"),
    ("timeline", "H200", "--buyer", "CN", "--from", "2025-12-01", "--chokepoints"),
]


# --------------------------------------------------------------------------- Virtuoso


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Virtuoso:
    """A Virtuoso server in a temporary folder, on two free loopback ports."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sql_port, self.http_port = _free_port(), _free_port()
        db = folder / "db"
        db.mkdir()
        (folder / "virtuoso.ini").write_text(f"""\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{self.sql_port}
NumberOfBuffers = 40000
MaxDirtyBuffers = 30000
DirsAllowed = ., {folder}
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{self.http_port}
ServerRoot = {folder}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 300
""", encoding="utf-8")
        self.log = (folder / "server.log").open("wb")
        self.proc = subprocess.Popen([str(VIRTUOSO), "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                                     cwd=folder, stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.http_port}/sparql"
        deadline = time.monotonic() + 90
        while True:
            if self.proc.poll() is not None:
                self.stop()
                pytest.fail(f"virtuoso-t exited: {(folder / 'server.log').read_text(errors='replace')[-600:]}")
            try:
                with urllib.request.urlopen(f"{self.base}?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    pytest.fail("virtuoso-t did not answer on /sparql within 90 s")
                time.sleep(0.3)

    def load(self, files: list[Path], graph: str) -> str:
        """Bulk-load Turtle files into a named graph; return the endpoint URL for it."""
        src = self.folder / graph.replace(":", "_")
        src.mkdir()
        for f in files:
            shutil.copy(f, src / f.name)
        sql = (f"ld_dir('{src}', '*.ttl', '{graph}'); rdf_loader_run(); checkpoint; "
               f"SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_graph = '{graph}' AND ll_error IS NOT NULL;")
        out = subprocess.run([str(ISQL), f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
                             capture_output=True, text=True, timeout=600, check=True).stdout
        assert "\n0\n" in out.replace(" ", ""), out[-800:]
        return f"{self.base}?default-graph-uri={graph}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    if not (VIRTUOSO and ISQL):
        pytest.skip("virtuoso-t / isql-vt not installed (apt-get install virtuoso-opensource-7-bin)")
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def bundled_url(virtuoso: Virtuoso) -> str:
    return virtuoso.load(sorted(DATA.glob("*.ttl")), "urn:chokemap:bundled")


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("store") / "bundled.store"
    build_store(None, path)
    return str(path)


@NEEDS_VIRTUOSO
@pytest.mark.parametrize("question", BUNDLED_QUESTIONS, ids=lambda q: " ".join(q)[:60])
def test_endpoint_answers_equal_in_memory(bundled_url: str, question: tuple[str, ...]) -> None:
    same(question, (), ("--endpoint", bundled_url))


@pytest.mark.parametrize("question", BUNDLED_QUESTIONS, ids=lambda q: " ".join(q)[:60])
def test_store_answers_equal_in_memory(bundled_store: str, question: tuple[str, ...]) -> None:
    same(question, (), ("--store", bundled_store))


@NEEDS_VIRTUOSO
def test_endpoint_pulls_only_the_cone(bundled_url: str) -> None:
    # H200's upstream cone holds TSMC's N4 and HBM3E but nothing only Huawei's chips need
    ix = fetch_subgraph(bundled_url, [iri_of("h200")])
    subjects = set(ix.spo)
    assert {iri_of("tsmc-n4"), iri_of("hbm3e"), iri_of("sk-hynix")} <= subjects
    assert iri_of("ascend-910c") not in subjects and iri_of("cloudmatrix-384") not in subjects
    # every policy comes along, and every source the pulled edges cite
    whole = fetch_subgraph(bundled_url, [])
    assert set(whole.subjects_of_type(str(CM.Policy))) <= subjects


@NEEDS_VIRTUOSO
def test_endpoint_pages_and_splits_batches(bundled_url: str) -> None:
    # a tiny page forces batch splitting and ORDER BY / OFFSET paging of single entities;
    # the result must be the same triples
    big = fetch_subgraph(bundled_url, [iri_of("h200")])
    small = fetch_subgraph(HttpEndpoint(bundled_url), [iri_of("h200")], page=10, batch=7)
    assert small.count == big.count
    assert {s for s in small.spo if not s.startswith("_:")} == {s for s in big.spo if not s.startswith("_:")}


@NEEDS_VIRTUOSO
def test_unknown_name_fails_like_in_memory(bundled_url: str) -> None:
    local = run("show", "h20x")
    remote = run("--endpoint", bundled_url, "show", "h20x")
    assert local == remote and local[0] == 1 and "did you mean" in local[1]


# --------------------------------------------------------------------------- errors


def test_unreachable_endpoint_is_one_line_exit_1() -> None:
    port = _free_port()  # nothing listens there
    code, out = run("--endpoint", f"http://127.0.0.1:{port}/sparql", "show", "ASML")
    assert code == 1
    assert out == (f"Error: cannot reach SPARQL endpoint http://127.0.0.1:{port}/sparql (Connection refused); "
                   "is the server running and the URL right?\n")


@pytest.fixture()
def web_page(tmp_path: Path) -> Iterator[str]:
    """A plain web server on loopback: a URL that answers, but not SPARQL."""
    (tmp_path / "index.html").write_text("<html><body>hello</body></html>", encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "http.server did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def test_non_sparql_url_is_one_line_exit_1(web_page: str) -> None:
    # python's http.server answers POST with 501 and GET pages as text/html
    code, out = run("--endpoint", f"{web_page}/", "show", "ASML")
    assert code == 1 and out.count("\n") == 1
    assert out.startswith(f"Error: SPARQL endpoint {web_page}/ answered HTTP 501")
    with pytest.raises(EndpointError, match="answered HTTP 501"):
        HttpEndpoint(f"{web_page}/index.html").select("ASK {}")


def test_html_answer_is_not_sparql(monkeypatch: pytest.MonkeyPatch) -> None:
    class Page:
        headers = {"Content-Type": "text/html; charset=utf-8"}

        def read(self) -> bytes:
            return b"<html>login</html>"

        def __enter__(self) -> Page:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: Page())
    with pytest.raises(EndpointError) as info:
        HttpEndpoint("http://example.org/login").select("ASK {}")
    assert str(info.value) == ("http://example.org/login is not a SPARQL endpoint (it answered text/html, "
                               "not SPARQL results); give the query URL, e.g. http://localhost:8890/sparql")


def test_bad_endpoint_options_are_usage_errors(tmp_path: Path) -> None:
    code, out = run("--endpoint", "localhost:8890", "show", "ASML")
    assert code == 2 and "--endpoint 'localhost:8890': not an http:// or https:// URL" in out
    code, out = run("--endpoint", "http://127.0.0.1:1/sparql", "--store", str(tmp_path), "show", "ASML")
    assert code == 2 and "give one of them" in out
    code, out = run("--data", str(DATA), "--store", str(tmp_path), "show", "ASML")
    assert code == 2 and "give one of them" in out


def test_missing_or_foreign_store(tmp_path: Path) -> None:
    code, out = run("--store", str(tmp_path / "none"), "show", "ASML")
    assert (code, out) == (1, f"Error: {tmp_path / 'none'}: no store there; build one first with the "
                              "`store build` command\n")


def test_store_build(tmp_path: Path) -> None:
    target = tmp_path / "s" / "tiny.store"
    code, out = run("--data", str(ROOT / "tests" / "data" / "tiny.ttl"), "store", "build", str(target), "--json")
    assert code == 0
    res = json.loads(out)
    assert res["triples"] > 0 and res["store"] == str(target) and target.is_dir()
    # never over an existing folder, and a failed build leaves nothing behind
    code, out = run("store", "build", str(target))
    assert code == 1 and "already exists" in out
    bad = tmp_path / "bad.store"
    code, out = run("--data", str(ROOT / "tests" / "data" / "bad_syntax.ttl"), "store", "build", str(bad))
    assert code == 1 and out.startswith("Error: ") and out.count("\n") == 1
    assert not bad.exists() and [p.name for p in tmp_path.iterdir()] == ["s"]


# --------------------------------------------------------------------------- M-sized graph


@pytest.fixture(scope="module")
def m_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("m")
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "M", str(folder / "csv")],
                   check=True, capture_output=True, timeout=600)
    code, out = run("import", "eto", str(folder / "csv"), "-o", str(folder / "M.ttl"))
    assert code == 0, out
    return folder / "M.ttl"


M_QUESTIONS = [
    ("chokepoints", "--target", "Finished logic chip", "--buyer", "CN", "--as-of", "2026-02-01", "--top", "20"),
    ("upstream", "ETO N100", "--depth", "2"),
]


@pytest.mark.slow
@NEEDS_VIRTUOSO
def test_m_sized_graph_endpoint_and_store(virtuoso: Virtuoso, m_file: Path, tmp_path: Path) -> None:
    # ~4 minutes on 2 cores: import ~25 s, Virtuoso load ~20 s, store ~10 s, and the
    # finished chip's cone is the whole graph (1M triples) pulled over HTTP (~60 s) and
    # from the store (~40 s)
    url = virtuoso.load([m_file], "urn:chokemap:m")
    store = tmp_path / "M.store"
    build_store([m_file], store)
    for question in M_QUESTIONS:
        same(question, ("--data", str(m_file)), ("--endpoint", url))
        same(question, ("--data", str(m_file)), ("--store", str(store)))


# --------------------------------------------------------------------------- SPARQL in place

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a cm:Firm }"


@NEEDS_VIRTUOSO
def test_sparql_is_sent_to_the_endpoint(bundled_url: str) -> None:
    local = run("sparql", COUNT, "--format", "csv")
    remote = run("--endpoint", bundled_url, "sparql", COUNT, "--format", "csv")
    assert local[0] == remote[0] == 0 and local[1] == remote[1]
    # Only Virtuoso knows its bif: functions: the query ran there, not on a local copy.
    code, out = run("--endpoint", bundled_url, "sparql", 'SELECT (bif:length("chokemap") AS ?n) {}',
                    "--format", "csv")
    assert code == 0 and out.splitlines()[-1] == "8"
    code, out = run("--endpoint", bundled_url, "sparql", "ASK { cmi:asml a cm:Firm }", "--format", "json")
    assert code == 0 and "true" in out, out


def test_sparql_runs_in_the_store(bundled_store: str) -> None:
    local = run("sparql", COUNT, "--format", "csv")
    assert run("--store", bundled_store, "sparql", COUNT, "--format", "csv") == local
