"""The desk's configuration: who publishes the verdicts (for ClaimReview's author),
what the verdicts are called and how they rate, and the workbench's keys.

Looked up in order: --config, $VERIFIER_CONFIG, verifier.toml beside the
database, verifier.toml in the working directory. Every key has a default,
so a fresh install exports something valid; the defaults say so when used.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, packaged as tomli (a dependency there only)
    import tomli as tomllib

from verifier.errors import InputError

PLACEHOLDER_URL = "https://example.org"
VERDICT_STATUSES = ("sourced", "unverified", "disputed")
# status -> (label, ClaimReview ratingValue, rating name); 1 is the worst rating.
DEFAULT_VERDICTS = {
    "disputed": ("Disputed", 1, "Disputed: contradicted by the record or by other sources"),
    "unverified": ("Unverified", 2, "Unverified: no independent source confirms it yet"),
    "sourced": ("Sourced", 3, "Sourced: confirmed by a named, checkable source"),
}


@dataclass
class Config:
    org_name: str = "Verification desk"
    org_url: str = PLACEHOLDER_URL
    # Where each published review lives; {claim_id} and {org_url} are filled in.
    review_url: str = "{org_url}/fact-checks/{claim_id}"
    path: str | None = None  # the file it came from, None for the defaults
    # [verdicts]: what each decision is called (screen and exports) and its ClaimReview rating
    verdicts: dict[str, tuple[str, int, str]] = field(default_factory=lambda: dict(DEFAULT_VERDICTS))
    # [keymap]: binding id -> keys ("tag_sourced" = "1"), handed to Textual's set_keymap
    keymap: dict[str, str] = field(default_factory=dict)

    def label(self, status: str) -> str:
        """A status as the desk names it ("not-a-claim" and "unreviewed" are not configurable)."""
        if status in self.verdicts:
            return self.verdicts[status][0]
        return {"unreviewed": "unreviewed", "not-a-claim": "not a claim"}.get(status, status)

    @property
    def best(self) -> int:
        return max(v[1] for v in self.verdicts.values())

    @property
    def worst(self) -> int:
        return min(v[1] for v in self.verdicts.values())

    @property
    def is_placeholder(self) -> bool:
        return self.org_url == PLACEHOLDER_URL


def find_config(db_path: str, explicit: str | None = None) -> str | None:
    named = explicit or os.environ.get("VERIFIER_CONFIG")
    if named:
        return named  # named by the person: missing is an error, not a silent default
    for c in (os.path.join(os.path.dirname(os.path.abspath(db_path)), "verifier.toml"), "verifier.toml"):
        if os.path.isfile(c):
            return c
    return None


def load_config(db_path: str, explicit: str | None = None) -> Config:
    path = find_config(db_path, explicit)
    if path is None:
        return Config()
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(f"{path}: no such configuration file") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a valid TOML configuration ({exc})") from None
    org = data.get("organization", {})
    review = data.get("claimreview", {})
    if not isinstance(org, dict) or not isinstance(review, dict):
        raise InputError(f"{path}: [organization] and [claimreview] must be tables")
    cfg = Config(path=path)
    cfg.org_name = str(org.get("name", cfg.org_name))
    cfg.org_url = str(org.get("url", cfg.org_url)).rstrip("/")
    cfg.review_url = str(review.get("review_url", cfg.review_url))
    cfg.verdicts = _verdicts(path, data.get("verdicts", {}))
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) and v.strip() for v in keymap.values()):
        raise InputError(f"{path}: [keymap] maps binding ids to keys, e.g. tag_sourced = \"1\"")
    cfg.keymap = {str(k): v.strip() for k, v in keymap.items()}
    return cfg


def _verdicts(path: str, table: object) -> dict[str, tuple[str, int, str]]:
    """[verdicts] sourced = { label = "True", rating = 3, name = "..." }; a bare string is a label."""
    if not isinstance(table, dict):
        raise InputError(f"{path}: [verdicts] must be a table")
    out = dict(DEFAULT_VERDICTS)
    for status, spec in table.items():
        if status not in VERDICT_STATUSES:
            raise InputError(f"{path}: [verdicts] {status}: choose among {', '.join(VERDICT_STATUSES)}")
        label, rating, name = out[status]
        if isinstance(spec, str):
            spec = {"label": spec}
        if not isinstance(spec, dict):
            raise InputError(f"{path}: [verdicts] {status} must be a label or a table")
        label = str(spec.get("label", label)).strip() or label
        rating = spec.get("rating", rating)
        if not isinstance(rating, int) or isinstance(rating, bool) or rating < 1:
            raise InputError(f"{path}: [verdicts] {status}: rating must be a whole number from 1")
        name = str(spec.get("name", name if label == DEFAULT_VERDICTS[status][0] else label))
        out[status] = (label, rating, name)
    return out
