"""Claim extraction: quotes with speakers, attributed statements and figures."""

from verifier.extract.claims import Draft, extract
from verifier.extract.names import full_names

__all__ = ["Draft", "extract", "full_names"]
