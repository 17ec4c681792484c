"""Interchange formats: ETO's CSVs in, Turtle / JSON-LD / GraphML / GEXF / CSV out, and
read-only SPARQL."""
