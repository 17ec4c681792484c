"""chokemap: a knowledge-graph explorer for AI-chip supply-chain chokepoints.

The library: load the graph (:mod:`graph.load`), look entities up (:mod:`graph.lookup`),
validate data (:mod:`graph.validate`), describe it (:mod:`graph.describe`), and answer
availability and chokepoint questions (:mod:`graph.supply`, :mod:`graph.availability`,
:mod:`graph.chokepoints`, :mod:`graph.scenario`).
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
