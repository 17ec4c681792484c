"""Shared fixtures: the bundled graph, loaded once per session, and the toy fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.load import KnowledgeGraph, load

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def bundled() -> KnowledgeGraph:
    """The bundled graph in data/, loaded once."""
    return load()


@pytest.fixture(scope="session")
def tiny() -> KnowledgeGraph:
    """The toy chain of tests/data/tiny.ttl (expected answers are marked in the file)."""
    return load([DATA / "tiny.ttl"])
