"""Questions about the graph as it is: name lookup, descriptions and statistics, paths and
trees, validation (the SHACL shapes live here)."""
