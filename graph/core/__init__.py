"""The core: the vocabulary, the errors, progress reporting, the graph type and the one date rule.

Imports nothing else of chokemap; every other layer builds on it.
"""
