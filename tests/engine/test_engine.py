"""The availability and chokepoint engine against its oracles.

* on the toy chain of ``tests/data/tiny.ttl`` (expected answers marked in that file);
* hypothesis: on random small AND/OR graphs with policies, suppliers of every kind and
  cycles, the fast kill sets equal brute-force removal, and the linear propagation equals
  naive fixpoint iteration.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from chokemap.graph.core.model import KnowledgeGraph
from chokemap.graph.engine.answers import Scenario, Setting, availability
from chokemap.graph.engine.availability import Engine, State
from chokemap.graph.engine.chokepoints import brute_force_single, kill_sets
from chokemap.graph.engine.order import strong_components
from chokemap.graph.engine.policy import PolicyBook, group_members, policies_from_graph
from chokemap.graph.engine.ranking import chokepoints
from chokemap.graph.engine.supply import SupplyModel
from chokemap.graph.io.load import load

TINY = Path(__file__).parents[1] / "data" / "tiny.ttl"
D2024, D2025, D2026 = dt.date(2024, 6, 1), dt.date(2025, 6, 1), dt.date(2026, 6, 1)




def ids(report: dict) -> set[str]:
    return {c["id"] for c in report["chokepoints"]}


def test_single_chokepoints_of_the_toy_chain(tiny: KnowledgeGraph) -> None:
    got = ids(chokepoints(tiny, ["phone"], None, D2024, top=None))
    assert got == {"soc", "process", "scanner", "memory", "fabco", "scannerco", "phoneco",
                   "tw", "nl", "xx"}
    assert not got & {"mema", "memb", "kr", "us"}


def test_the_memory_makers_are_a_pair(tiny: KnowledgeGraph) -> None:
    report = chokepoints(tiny, ["phone"], None, D2024, top=None, pairs=True)
    pairs = {frozenset(p["ids"]) for p in report["pairs"]}
    assert frozenset({"mema", "memb"}) in pairs
    assert frozenset({"kr", "us"}) in pairs
    assert all(not ({"scannerco", "nl"} & p) for p in pairs)  # singles never appear in pairs


def test_a_ban_makes_the_other_supplier_a_chokepoint(tiny: KnowledgeGraph) -> None:
    got = ids(chokepoints(tiny, ["phone"], "xx", D2025, top=None))
    assert {"mema", "kr", "gov-kr"} <= got  # MemB is banned: MemA alone remains
    assert "xx" not in got  # the buyer's own country is not reported
    assert "gov-us" not in got  # the US already blocks its supplier


def test_explanation_runs_from_the_chokepoint_to_the_target(tiny: KnowledgeGraph) -> None:
    report = chokepoints(tiny, ["phone"], None, D2024, top=None)
    nl = next(c for c in report["chokepoints"] if c["id"] == "nl")
    path = [(h["from"], h["to"], h["type"]) for h in nl["explanation"]]
    assert path == [("nl", "scannerco", "location_of"), ("scannerco", "scanner", "supplies"),
                    ("scanner", "process", "requires"), ("process", "soc", "requires"),
                    ("soc", "phone", "requires")]
    assert nl["explanation"][1]["sources"][0]["url"] == "https://example.org/toy"
    assert nl["why"] == "home of ScannerCo, the only working supplier of Scanner"


def test_availability_over_time(tiny: KnowledgeGraph) -> None:
    before = availability(tiny, "phone", "xx", D2024)
    assert before["available"] and before["conditions"] == []
    banned = availability(tiny, "memory", "xx", D2025)
    assert banned["available"]  # MemA still ships
    licensed = availability(tiny, "phone", "xx", D2026)
    assert licensed["available"]
    assert [c["policy"] for c in licensed["conditions"]] == ["pol-kr-licence"]
    assert licensed["conditions"][0]["conditions"] == ["case-by-case licence"]


def test_unavailable_answer_names_the_blocking_policy(tiny: KnowledgeGraph) -> None:
    ans = availability(tiny, "phone", "xx", D2025, Scenario(removed=frozenset({"mema"})))
    assert not ans["available"]
    reasons = {(c["reason"], c.get("policy") or c.get("node")) for c in ans["blocked_by"]}
    assert reasons == {("policy", "pol-us-ban"), ("removed", "mema")}


def test_concentration(tiny: KnowledgeGraph) -> None:
    model = SupplyModel.compile(tiny, D2024)
    conc = model.concentration("memory")
    assert conc["by_firm"] == {"suppliers": 2, "top": "mema", "top_share": 0.6, "hhi": 0.52}
    assert conc["by_country"]["top"] == "kr"


# --------------------------------------------------------------------------- properties

COUNTRIES = ["c0", "c1", "c2"]
KINDS = ["Ban", "LicenceDenial", "EntityListing", "ImportBan", "LicenceReview", "Tariff", "ImportApproval"]
SCOPES = [None, "Extraterritorial", "Imports"]


@st.composite
def random_graph(draw: st.DrawFn) -> tuple[KnowledgeGraph, str, str | None]:
    """A random AND/OR supply graph with firms, countries, variants, policies and cycles, and
    the rules of the world: a country group with dated members as a destination, relaxations
    and named-party approvals, launch dates, a placeholder supplier and one firm's models."""
    g = nx.MultiDiGraph()
    n_items = draw(st.integers(2, 7))
    items = [f"i{k}" for k in range(n_items)]
    firms = [f"f{k}" for k in range(draw(st.integers(1, 4)))]
    for c in COUNTRIES:
        g.add_node(c, type="Country", label=c, aliases=[])
        g.add_node(f"gov-{c}", type="Government", label=f"gov {c}", aliases=[], governs=c)
        g.add_edge(f"gov-{c}", c, type="governs")
    g.add_node("grp", type="CountryGroup", label="grp", aliases=[])
    for c in COUNTRIES:
        since = draw(st.sampled_from([None, D2025, D2025 + dt.timedelta(days=1)]))
        if draw(st.booleans()):
            g.add_edge(c, "grp", type="member_of", valid_from=since, valid_to=None, sources=[])
    for f in firms:
        c = draw(st.sampled_from(COUNTRIES))
        g.add_node(f, type="Firm", label=f, aliases=[], country=c)
        g.add_edge(f, c, type="located_in")
    g.add_node("various", type="Firm", label="Various companies", aliases=[], aggregate=True)
    for it in items:
        launch = draw(st.sampled_from([None, D2025, D2025 + dt.timedelta(days=1)]))
        g.add_node(it, type=draw(st.sampled_from(["Chip", "Tool", "Process"])), label=it, aliases=[],
                   **({"launch": launch} if launch else {}))
        if draw(st.integers(0, 3)) == 0:
            g.add_edge(it, draw(st.sampled_from(firms)), type="designed_by")
    cycles = draw(st.booleans())
    for a, it in enumerate(items):
        for b, other in enumerate(items):
            if (b > a or (cycles and b != a)) and draw(st.integers(0, 3)) == 0:
                g.add_edge(other, it, type="requires", sources=[])
        for _ in range(draw(st.integers(0, 3))):
            pool = firms + COUNTRIES + ["various"] + [o for b, o in enumerate(items) if b > a or (cycles and b != a)]
            g.add_edge(draw(st.sampled_from(pool)), it, type="supplies", sources=[])
    for k in range(draw(st.integers(0, 3))):
        pid = f"p{k}"
        kind = draw(st.sampled_from(KINDS))
        scope = draw(st.sampled_from(SCOPES))
        g.add_node(pid, type="Policy", label=pid, aliases=[], kind=kind, scope=scope,
                   issuer=f"gov-{draw(st.sampled_from(COUNTRIES))}",
                   covers_all=draw(st.booleans()), effective_from=None, effective_to=None,
                   conditions=["c"])
        g.add_edge(pid, g.nodes[pid]["issuer"], type="issued_by")
        g.add_edge(pid, draw(st.sampled_from(items)), type="covers")
        if draw(st.booleans()):
            g.add_edge(pid, draw(st.sampled_from([*COUNTRIES, "grp"])), type="destination")
        if draw(st.booleans()):
            g.add_edge(pid, draw(st.sampled_from(firms)), type="listed_party")
        if k and draw(st.booleans()):
            g.add_edge(pid, f"p{draw(st.integers(0, k - 1))}", type="relaxes")
    buyer = draw(st.sampled_from([None, *COUNTRIES, *firms]))
    return KnowledgeGraph(rdf=Graph(), g=g, sources={}), items[0], buyer


def _setup(kg: KnowledgeGraph) -> tuple[SupplyModel, PolicyBook]:
    model = SupplyModel.compile(kg, D2025)
    return model, PolicyBook.on(policies_from_graph(kg), D2025, members=group_members(kg, D2025))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_graph())
def test_kill_sets_equal_brute_force(case: tuple[KnowledgeGraph, str, str | None]) -> None:
    kg, target, buyer = case
    model, book = _setup(kg)
    country = None if buyer is None else (buyer if buyer in COUNTRIES else kg.g.nodes[buyer]["country"])
    keep = {country} if country else set()
    engine = Engine(model, book, keep=keep)
    root = State(target, engine.buyer_for(buyer))
    assert root.buyer.country == country  # the buyer's own country is never collapsed
    sol = engine.solve([root])
    ks = kill_sets(engine, sol, country)
    candidates = [n for n, d in kg.g.nodes(data=True) if d["type"] != "Policy"]
    if root not in sol.available:
        assert ks.members(root) == []
        return
    fast = set(ks.members(root))
    slow = brute_force_single(model, book, root, candidates, country, keep=keep)
    assert fast == slow
    # keeping only the root's set, and walking on sets restricted to a few nodes, change nothing
    lean = kill_sets(engine, sol, country, keep=[root])
    assert set(lean.members(root)) == fast and set(lean.kill) == {root}
    chunked = kill_sets(engine, sol, country, keep=[root], chunk=3)  # several passes of 3 bits
    assert set(chunked.members(root)) == fast
    few = candidates[::2]
    lean.focus(few)
    for s in sol.available:
        assert set(lean.focused(s)) == set(ks.members(s)) & set(few)
    # collapsing buyer countries no policy names changes no answer
    full = Engine(model, book, keep=set(COUNTRIES))
    full_root = State(target, full.buyer_for(buyer))
    assert (full_root in full.solve([full_root]).available) == (root in sol.available)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_graph())
def test_propagation_equals_naive_iteration(case: tuple[KnowledgeGraph, str, str | None]) -> None:
    kg, target, buyer = case
    model, book = _setup(kg)
    engine = Engine(model, book)
    root = State(target, engine.buyer_for(buyer))
    sol = engine.solve([root])
    for allow in (True, False):
        avail: set[State] = set()
        changed = True
        while changed:
            changed = False
            for s, opts in sol.options.items():
                if s in avail:
                    continue
                if any(not o.dead and (allow or not o.conditions)
                       and all(p in avail for p in o.prereqs) for o in opts):
                    avail.add(s)
                    changed = True
        assert avail == (sol.available if allow else sol.free)


def test_setting_applies_embargo_and_lift(tiny: KnowledgeGraph) -> None:
    base = Setting(tiny, D2025)
    assert "pol-us-ban" in base.book.active
    lifted = Setting(tiny, D2025, Scenario(lifted=frozenset({"pol-us-ban"})))
    assert "pol-us-ban" not in lifted.book.active
    # a Dutch embargo on Xland changes nothing: the scanner goes to Taiwan, not Xland
    emb = Setting(tiny, D2024, Scenario(embargoes=(("gov-nl", "xx"),)))
    assert emb.root("phone", "xx") in emb.engine.solve([emb.root("phone", "xx")]).available
    # one on Taiwan cuts FabCo off its scanner, and so Xland off its phones
    emb = Setting(tiny, D2024, Scenario(embargoes=(("gov-nl", "tw"),)))
    assert emb.root("phone", "xx") not in emb.engine.solve([emb.root("phone", "xx")]).available


def test_a_requirement_cycle_has_a_meaning_not_a_hang() -> None:
    # tests/data/cycle.ttl: alpha needs beta, beta needs alpha, no way in from outside:
    # the least fixpoint says neither is available, and says why.
    kg = load([TINY.parent / "cycle.ttl"])
    ans = availability(kg, "alpha", None, D2025)
    assert not ans["available"]
    assert chokepoints(kg, ["alpha"], None, D2025)["chokepoints"] == []


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 14), st.lists(st.integers(0, 16), max_size=5), max_size=15))
def test_strong_components_equal_networkx_in_dependency_order(succ: dict[int, list[int]]) -> None:
    comps = strong_components(succ)  # type: ignore[arg-type]
    g = nx.DiGraph()
    g.add_nodes_from(succ)
    g.add_edges_from((u, v) for u, vs in succ.items() for v in vs if v in succ)
    assert sorted(sorted(c) for c in comps) == sorted(sorted(c) for c in nx.strongly_connected_components(g))
    where = {v: i for i, c in enumerate(comps) for v in c}
    for u, v in g.edges:  # whatever a node needs comes in its own component or an earlier one
        assert where[v] <= where[u]
