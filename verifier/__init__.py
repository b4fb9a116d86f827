"""verifier: a claim and quote verification workbench.

The core (ingest, extract, link, store, export) is plain Python and never
imports the terminal UI; ``verifier.tui`` is a thin layer over it.
"""

__version__ = "0.1.0"
