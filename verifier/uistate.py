"""The workbench's state between runs (filters, sort, selected claim) in ``<db>.ui.json``.

Read by the TUI through ``load_ui_state``: a file it cannot use (damaged JSON,
wrong types, unknown values) is ignored as a whole, and the caller gets one
line saying so, never an exception.
"""

from __future__ import annotations

from typing import Any

import orjson

from verifier.models import CLAIM_KINDS, STATUSES
from verifier.store.atomic import atomic_write

SUFFIX = ".ui.json"
MAX_BYTES = 1 << 16  # a few filters: anything larger is not ours
# key -> allowed values (a tuple) or type; "sort" and "quote" values are the TUI's, checked there too
_TEXT_KEYS = ("text", "speaker", "selected", "quote", "sort")


def ui_state_path(db_path: str) -> str:
    return db_path + SUFFIX


def load_ui_state(path: str) -> tuple[dict[str, Any], str | None]:
    """(state, warning). A missing file is ({}, None); an unusable one ({}, "<path>: ignored: why")."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        return {}, f"{path}: ignored: cannot read ({exc.strerror})"
    if len(raw) > MAX_BYTES:
        return {}, f"{path}: ignored: larger than {MAX_BYTES} bytes"
    try:
        state = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {}, f"{path}: ignored: not valid JSON"
    if not isinstance(state, dict):
        return {}, f"{path}: ignored: expected an object"
    for key in _TEXT_KEYS:
        if state.get(key) is not None and not isinstance(state[key], str):
            return {}, f"{path}: ignored: {key} must be text"
    if state.get("status") is not None and state["status"] not in STATUSES:
        return {}, f"{path}: ignored: status {str(state['status'])[:20]!r} is not one of {', '.join(STATUSES)}"
    if state.get("kind") is not None and state["kind"] not in CLAIM_KINDS:
        return {}, f"{path}: ignored: kind {str(state['kind'])[:20]!r} is not one of {', '.join(CLAIM_KINDS)}"
    return {k: state[k] for k in ("text", "status", "kind", "speaker", "quote", "sort", "selected") if k in state}, None


def save_ui_state(path: str, state: dict[str, Any]) -> None:
    atomic_write(path, orjson.dumps(state))
