"""At M (1.0M triples, 30,028 entities), ``view --chokepoints`` and the whole-graph ``view``
answer with a page: the chokepoint page as it is (a few hundred nodes), the whole graph as an
overview.  Slow (a minute or two): ``pytest -m slow``.  How fast is measured by
``bench/overview.py m`` (bench/RESULTS.md, "Big graphs (issue 16)"), never asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH_M = Path(os.environ.get("CHOKEMAP_BENCH_M", "/tmp/chokemap-bench/M/M.ttl"))

pytestmark = pytest.mark.slow


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=1800, check=False)


@pytest.fixture(scope="module")
def m_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if BENCH_M.is_file():
        return BENCH_M
    folder = tmp_path_factory.mktemp("m")
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "M", str(folder / "csv")],
                   check=True, capture_output=True, timeout=600)
    res = cli("import", "eto", str(folder / "csv"), "-o", str(folder / "M.ttl"))
    assert res.returncode == 0, res.stderr
    return folder / "M.ttl"


def test_chokepoints_at_m_answer_with_a_page(m_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "choke.html"
    res = cli("--data", str(m_file), "view", "--chokepoints", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"Wrote {out}") and "Chokepoints of all end products" in res.stdout
    page = out.read_text(encoding="utf-8")
    assert "chokemap-data" in page and "Ranked chokepoints" in page


def test_whole_graph_at_m_is_an_overview(m_file: Path) -> None:
    res = cli("--data", str(m_file), "view", "--json")
    assert res.returncode == 0, res.stderr
    view = json.loads(res.stdout)
    o = view["overview"]
    assert o["nodes"] == 30028 and view["counts"]["nodes"] <= o["limit"]
    heads = [c for c in view["clusters"] if c["parent"] is None]
    assert sum(c["count"] for c in heads) + o["kept"] == o["nodes"]
    assert len(view["ranking"]) == 40
