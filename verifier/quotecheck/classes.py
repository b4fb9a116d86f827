"""The answers a quote check gives, best first (no imports: the CLI's parser reads them at start)."""

CLASSES = ("verbatim", "minor", "partial", "altered", "not found")
FAITHFUL = ("verbatim", "minor", "partial")
