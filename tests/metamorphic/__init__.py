"""Metamorphic tests: meaning-preserving rewrites of the development letters."""
