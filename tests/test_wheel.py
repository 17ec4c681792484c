"""The wheel a user installs: built from this checkout, installed into a fresh venv, run.

The checkout's layout (``graph/``, ``data/``, ``cli.py`` at the top) is mapped by
``pyproject.toml`` to one import name, ``chokemap``; this checks what the mapping ships.
The checkout is copied first (without ``build/``, ``*.egg-info`` and caches), so the build
leaves nothing in it and a stale ``build/lib`` cannot leak deleted modules into the wheel.
The venv does not see the system's packages: pip installs the dependencies from the
configured index.  Slow (about a minute, more on a busy machine): ``pytest -m slow``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chokemap.cli import cli

ROOT = Path(__file__).parents[1]
NOT_SOURCE = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis",
                                    ".mypy_cache", ".ruff_cache", ".pytest_cache", ".benchmarks", ".venv",
                                    "*.html")
QUESTION = ["chokepoints", "--target", "H200", "--buyer", "ByteDance", "--as-of", "2026-02-01", "--json"]

pytestmark = pytest.mark.slow


def has_venv() -> bool:
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        return False
    return True


class Installed:
    """A venv with the wheel installed, and a scratch folder to run its commands from."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        self.env["PYTHONNOUSERSITE"] = "1"
        src, dist, venv = tmp / "src", tmp / "dist", tmp / "venv"
        shutil.copytree(ROOT, src, ignore=NOT_SOURCE)
        self.check([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)])
        (self.wheel,) = dist.glob("chokemap-*.whl")
        self.check([sys.executable, "-m", "venv", str(venv)])
        self.bin = venv / "bin"
        self.check([str(self.bin / "python"), "-m", "pip", "install", "-q", str(self.wheel)])
        purelib = self.check([str(self.bin / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
        self.site = Path(purelib.strip())
        self.work = tmp / "work"
        self.work.mkdir()

    def check(self, cmd: list[str]) -> str:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=self.env, cwd=self.tmp, timeout=900)
        assert proc.returncode == 0, f"{cmd} exited {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
        return proc.stdout

    def chokemap(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bin / "chokemap"), *args], capture_output=True, text=True, env=self.env,
                              cwd=self.work, timeout=600)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    if not has_venv():
        pytest.skip("python -m venv cannot make a venv here (apt-get install python3-venv)")
    yield Installed(tmp_path_factory.mktemp("wheel"))


def test_the_installed_command_answers_from_any_folder(installed: Installed) -> None:
    stats = installed.chokemap("stats")
    assert stats.returncode == 0, stats.stderr
    assert "entities" in stats.stdout and "policies" in stats.stdout and "sources" in stats.stdout
    res = installed.chokemap(*QUESTION)
    assert res.returncode == 0, res.stderr
    got: list[dict[str, Any]] = json.loads(res.stdout)
    assert got and got[0]["id"] == "asml" and got[0]["targets"] == ["h200"]
    # each chokepoint says why; the first 20 (the --explain default) carry their chains, the rest say
    # their chain was left out; every dependency hop names its sources
    assert all(c["why"] for c in got)
    assert all(c["explanation"] for c in got[:20])
    assert all(c["explanation_omitted"] is True for c in got[20:]) and len(got) > 20
    assert all(hop["sources"] for c in got for hop in c["explanation"] if hop["type"] in ("supplies", "requires"))
    # the same answer as this checkout gives
    mine = CliRunner().invoke(cli, QUESTION, catch_exceptions=False)
    assert mine.exit_code == 0 and json.loads(mine.output) == got
    # what needs the package's data files: the shapes, and the page's templates
    assert installed.chokemap("validate").returncode == 0
    page = installed.chokemap("view", "--chokepoints", "--buyer", "CN", "--as-of", "2026-02-01", "-o", "c.html")
    assert page.returncode == 0, page.stderr
    assert "<script" in (installed.work / "c.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in installed.work.iterdir()) == ["c.html"]


def test_the_wheel_installs_one_package_with_its_data(installed: Installed) -> None:
    site = installed.site
    # only `chokemap` at the top: no `graph`, `cli`, `data`, `tests` or `bench` of the checkout
    for name in ("graph", "cli", "data", "tests", "bench"):
        assert not (site / name).exists() and not (site / f"{name}.py").exists(), name
    top = (next(site.glob("chokemap-*.dist-info")) / "top_level.txt").read_text(encoding="utf-8").split()
    assert top == ["chokemap"]
    pkg = site / "chokemap"
    assert sorted(p.name for p in (pkg / "data").glob("*.ttl")) == sorted(p.name for p in (ROOT / "data").glob("*.ttl"))
    assert (pkg / "graph" / "queries" / "shapes.ttl").is_file()
    templates = pkg / "graph" / "render" / "templates"
    assert sorted(p.name for p in templates.iterdir()) == sorted(
        p.name for p in (ROOT / "graph" / "render" / "templates").iterdir() if p.name != "__pycache__")
    # the venv imports the installed copy, not this checkout
    where = installed.check([str(installed.bin / "python"), "-c",
                             "import chokemap.cli, chokemap.graph; print(chokemap.cli.__file__)"])
    assert Path(where.strip()) == pkg / "cli.py"
