"""The chokepoint engine as it was before issue 17 (speed, round two), kept as the plain
reference the faster engine is checked against (tests/engine/test_reference.py).

These are copies of ``graph/engine/{availability,chokepoints,ranking,horizons,setting}.py``
at commit 3eed64f, with their imports pointed here; every other module is the live one.
Do not speed these up: their worth is that they are the old, obviously-checked code.
"""
