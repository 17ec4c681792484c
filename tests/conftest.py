"""Shared fixtures: the bundled graph, loaded once per session, and the toy fixtures."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

if "chokemap" not in sys.modules:
    # Test this checkout, whatever is installed: cli.py maps the folder to `chokemap`.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import cli  # noqa: F401
    sys.path.pop(0)

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.io.load import load

DATA = Path(__file__).parent / "data"


_CACHE = tempfile.mkdtemp(prefix="chokemap-test-cache-")


def pytest_configure(config: pytest.Config) -> None:
    """Keep the tests' caches (graphs, answers) out of the user's cache folder."""
    os.environ["XDG_CACHE_HOME"] = _CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove them when the session ends."""
    shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def bundled() -> KnowledgeGraph:
    """The bundled graph in data/, loaded once."""
    return load()


@pytest.fixture(scope="session")
def tiny() -> KnowledgeGraph:
    """The toy chain of tests/data/tiny.ttl (expected answers are marked in the file)."""
    return load([DATA / "tiny.ttl"])
