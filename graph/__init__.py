"""chokemap: a knowledge-graph explorer for AI-chip supply-chain chokepoints.

The library: load the graph (:mod:`graph.io.load`), look entities up (:mod:`graph.queries.lookup`),
validate data (:mod:`graph.queries.validate`), describe it (:mod:`graph.queries.describe`), and answer
availability and chokepoint questions (:mod:`graph.engine.supply`, :mod:`graph.engine.availability`,
:mod:`graph.engine.chokepoints`, :mod:`graph.engine.scenario`).
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
