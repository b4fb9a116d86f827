"""The desk's configuration: who publishes the verdicts (for ClaimReview's author).

Looked up in order: --config, $VERIFIER_CONFIG, verifier.toml beside the
database, verifier.toml in the working directory. Every key has a default,
so a fresh install exports something valid; the defaults say so when used.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, packaged as tomli (a dependency there only)
    import tomli as tomllib

from verifier.errors import InputError

PLACEHOLDER_URL = "https://example.org"


@dataclass
class Config:
    org_name: str = "Verification desk"
    org_url: str = PLACEHOLDER_URL
    # Where each published review lives; {claim_id} and {org_url} are filled in.
    review_url: str = "{org_url}/fact-checks/{claim_id}"
    path: str | None = None  # the file it came from, None for the defaults

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
    return cfg
