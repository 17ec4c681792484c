"""Rendering: text reports, JSON twins and the self-contained HTML pages."""
