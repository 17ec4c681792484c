"""One date, one scenario: the supply model, the policies in force and the engine.

:class:`Setting` ties the layers below together for one question: the AND/OR model of the
date (:mod:`graph.engine.supply`), the policies acting on it with their groups expanded
(:mod:`graph.engine.policy`), and the availability engine with the scenario's knock-outs
(:mod:`graph.engine.availability`).  Answers (:mod:`graph.engine.answers`) and rankings
(:mod:`graph.engine.ranking`) start from one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..core.model import KnowledgeGraph
from .availability import Engine, State
from .compiled import model_for
from .plans import count_plans
from .policy import PolicyBook, embargo, group_members, policies_from_graph, top_governments
from .supply import ITEM_TYPES

__all__ = ["Scenario", "Setting", "country_of", "embargo_keep", "entity_ref", "all_items"]


@dataclass(frozen=True)
class Scenario:
    """A what-if: nodes knocked out, policies lifted, embargoes added (government, country)."""

    removed: frozenset[str] = frozenset()
    lifted: frozenset[str] = frozenset()
    embargoes: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.removed or self.lifted or self.embargoes)


@dataclass
class Setting:
    """The model, policies and engine for one date and scenario."""

    kg: KnowledgeGraph
    date: dt.date
    scenario: Scenario = field(default_factory=Scenario)
    keep: frozenset[str] = frozenset()
    plans: dt.date | None = None  # count the planned suppliers expected by this date

    def __post_init__(self) -> None:
        # one model per date class, shared (plans change it: then a private copy)
        self.model = model_for(self.kg, self.date, private=self.plans is not None)
        self.counted = count_plans(self.model, self.plans) if self.plans is not None else {}
        self.policies = policies_from_graph(self.kg)
        extra = []
        g = self.kg.g
        for gov, country in self.scenario.embargoes:
            extra.append(embargo(gov, g.nodes[gov].get("label", gov), g.nodes[gov]["governs"], country))
        self.book = PolicyBook.on(self.policies, self.date, self.scenario.lifted, extra,
                                  members=group_members(self.kg, self.date))
        self.engine = Engine(self.model, self.book, self.scenario.removed, keep=self.keep)

    def root(self, item: str, buyer: str | None) -> State:
        return State(item, self.engine.buyer_for(buyer))


def country_of(kg: KnowledgeGraph, node: str | None) -> str | None:
    """The country a buyer stands for: itself for a country, its location for a firm."""
    if node is None:
        return None
    d = kg.g.nodes.get(node, {})
    return node if d.get("type") == "Country" else d.get("country")


def embargo_keep(kg: KnowledgeGraph, country: str | None) -> frozenset[str]:
    """The countries a ranking for a buyer in ``country`` keeps apart (``Setting.keep``):
    that country, when some government other than its own could embargo it (the
    chokepoint analysis tries each such embargo); else none, so that a buyer no policy
    and no embargo can single out shares its states with every other buyer.  O(V) the
    first time (:func:`graph.engine.policy.top_governments`), then O(G)."""
    if country and any(gc != country for gc in top_governments(kg).values()):
        return frozenset({country})
    return frozenset()


def entity_ref(kg: KnowledgeGraph, node: str | None) -> dict[str, Any] | None:
    if node is None:
        return None
    d = kg.g.nodes.get(node, {})
    return {"id": node, "label": d.get("label") or node, "type": d.get("type")}


def all_items(kg: KnowledgeGraph) -> list[str]:
    """Every item of the graph (chips, tools, materials, software, processes, systems)."""
    return sorted(n for n, d in kg.g.nodes(data=True) if d.get("type") in ITEM_TYPES)
