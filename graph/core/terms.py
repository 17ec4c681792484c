"""The vocabulary's names as plain text, for code that must not load rdflib.

:mod:`graph.core.vocab` builds its namespaces and term sets from these (one list of
names, checked there against the defined terms); the engine and a graph read from the
cache use them as they are, without importing rdflib.
"""

from __future__ import annotations

__all__ = ["VOCAB", "INSTANCES", "BLOCKING", "CONDITION", "NEUTRAL"]

#: The vocabulary's namespace (``cm:``) and the bundled instances' (``cmi:``).
VOCAB = "https://chokemap.org/ns#"
INSTANCES = "https://chokemap.org/id/"

#: Policy kinds that stop a flow they apply to (local names of ``cm:`` classes).
BLOCKING = frozenset({"Ban", "LicenceDenial", "EntityListing", "ImportBan"})
#: Policy kinds that let a flow through with conditions attached.
CONDITION = frozenset({"LicenceReview", "Tariff", "RevenueShare", "VolumeCap", "ImportApproval", "Restriction"})
#: Policy kinds with no effect of their own on flows (they act through other policies).
NEUTRAL = frozenset({"Suspension", "Announcement"})
