"""Exports: plain data out of the store; no terminal code here."""

from __future__ import annotations

from verifier.config import Config
from verifier.store.interface import ClaimStore

FORMATS = {"json": ".json", "claimreview": ".jsonld", "csv": ".csv", "markdown": ".md"}


def render(store: ClaimStore, fmt: str, config: Config) -> str:
    """The whole export as text, in one of FORMATS."""
    if fmt == "json":
        from verifier.export import json_export
        return json_export.dumps(json_export.build(store))
    if fmt == "claimreview":
        from verifier.export import claimreview
        return claimreview.dumps(claimreview.build(store, config))
    if fmt == "csv":
        from verifier.export import csv_export
        return csv_export.dumps(store)
    if fmt == "markdown":
        from verifier.export import markdown_export
        return markdown_export.dumps(store)
    raise ValueError(fmt)
