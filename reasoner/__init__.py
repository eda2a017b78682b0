"""imrkg: knowledge-graph guideline reasoning for California workers' compensation IMR."""

__version__ = "0.1.0"
