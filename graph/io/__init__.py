"""Input and storage: which files a run reads, the triple index, the projection onto the
graph type, the caches, on-disk stores and SPARQL endpoints, and safe file writing."""
