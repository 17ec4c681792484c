"""Dependency order: the strongly connected components of a state graph, dependencies first.

The kill-set fixpoint of :mod:`graph.engine.chokepoints` visits states in this order, once
per state on an acyclic graph and iterated to stability inside a component.
"""

from __future__ import annotations

from .availability import State

__all__ = ["strong_components"]


def strong_components(succ: dict[State, list[State]]) -> list[list[State]]:
    """The strongly connected components of a graph given as successor lists, each one
    after every component it reaches (dependencies first).  Tarjan's algorithm, without
    recursion; successors outside ``succ`` are ignored.  Complexity: O(V + E).

    >>> strong_components({"chip": ["die"], "die": ["chip", "wafer"], "wafer": []})
    [['wafer'], ['die', 'chip']]
    """
    index: dict[State, int] = {}
    low: dict[State, int] = {}
    on_stack: set[State] = set()
    stack: list[State] = []
    out: list[list[State]] = []
    for root in succ:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ[root]))]
        while work:
            v, it = work[-1]
            for w in it:
                if w not in succ:
                    continue
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ[w])))
                    break
                if w in on_stack and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work and low[v] < low[work[-1][0]]:
                    low[work[-1][0]] = low[v]
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    out.append(comp)
    return out
