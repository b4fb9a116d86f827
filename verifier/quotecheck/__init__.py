"""Quote verification: align a quote against reference texts and other posts, then classify it.

The names below are imported on first use (PEP 562), so that importing a light
submodule (``verifier.quotecheck.classes``, read by the CLI's parser) does not load
the aligner and rapidfuzz. ``verifier.quotecheck.align`` names the function, as it
always has, even after the submodule of that name is imported.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verifier.quotecheck.align import QuoteMatch, align, classify, same_person
    from verifier.quotecheck.index import TextIndex

__all__ = ["QuoteMatch", "TextIndex", "align", "classify", "same_person"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = import_module("verifier.quotecheck.index" if name == "TextIndex" else "verifier.quotecheck.align")
    value = globals()[name] = getattr(module, name)
    return value


class _Package(ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name == "align" and isinstance(value, ModuleType):
            return  # the import system naming the submodule: `align` stays the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
