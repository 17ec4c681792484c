"""Shared fixtures: the bundled graph, loaded once per session, and the toy fixtures."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from graph.load import KnowledgeGraph, load

DATA = Path(__file__).parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    """Keep the tests' graph cache out of the user's cache folder."""
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="chokemap-test-cache-")


@pytest.fixture(scope="session")
def bundled() -> KnowledgeGraph:
    """The bundled graph in data/, loaded once."""
    return load()


@pytest.fixture(scope="session")
def tiny() -> KnowledgeGraph:
    """The toy chain of tests/data/tiny.ttl (expected answers are marked in the file)."""
    return load([DATA / "tiny.ttl"])
