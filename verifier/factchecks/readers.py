"""Reading published fact-checks: ClaimReview JSON-LD (an object, a list, @graph, a DataFeed, or the
JSON-LD inside an HTML page), Google Fact Check Tools API results, CSV, the CLEF CheckThat! forms (Snopes TSV, PolitiFact JSON Lines) and
verifier's own JSON export (a colleague's verdicts).

Every reader returns whole FactCheck records or raises InputError with one line: a file is read
entirely before anything is stored. Text from the web is untrusted: only strings are taken, and
fields are cut to sane lengths.
"""

from __future__ import annotations

import csv
import io
import os
import re
from typing import Any, Iterable

import orjson

from verifier.errors import InputError
from verifier.factchecks.models import FactCheck, entry_key
from verifier.factchecks.text import parse_date
from verifier.ingest.files import read_text

MAX_FIELD = 2000  # characters kept of any one field
POLITIFACT = "https://www.politifact.com"


def _s(value: Any, limit: int = MAX_FIELD) -> str | None:
    """A clean one-line string from an untrusted JSON value, or None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    s = " ".join(value.split())
    return s[:limit] or None


def _name(value: Any) -> str | None:
    """A name from a string, a {name: ...} object, or the first of a list of them."""
    if isinstance(value, list):
        value = next((v for v in value if _name(v)), None)
    if isinstance(value, dict):
        return _s(value.get("name")) or _s(value.get("url"))
    return _s(value, 300)


def _url(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    s = _s(value, 1000)
    return s if s and re.match(r"https?://", s) else None


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    ts = t if isinstance(t, list) else [t]
    return {x.rsplit("/", 1)[-1] for x in ts if isinstance(x, str)}


def _claim_reviews(node: Any, depth: int = 0) -> Iterable[dict[str, Any]]:
    """Every ClaimReview object in a JSON-LD document, whatever wraps it."""
    if depth > 8:
        return
    if isinstance(node, list):
        for x in node:
            yield from _claim_reviews(x, depth + 1)
        return
    if not isinstance(node, dict):
        return
    if "ClaimReview" in _types(node):
        yield node
        return
    for key in ("@graph", "dataFeedElement", "item", "mainEntity", "hasPart", "itemListElement"):
        if key in node:
            yield from _claim_reviews(node[key], depth + 1)


def from_claim_review(cr: dict[str, Any], origin: str) -> FactCheck | None:
    claim = _s(cr.get("claimReviewed"))
    reviewed = cr.get("itemReviewed")
    item: dict[str, Any] = reviewed if isinstance(reviewed, dict) else {}
    if not claim:
        claim = _s(item.get("text")) or _s(item.get("name"))
    rating = cr.get("reviewRating")
    if isinstance(rating, list):
        rating = rating[0] if rating else None
    rating = rating if isinstance(rating, dict) else {}
    url = _url(cr.get("url"))
    own_id = _s(cr.get("identifier"), 300) or _s(cr.get("@id"), 1000) or url
    if not claim or not own_id:
        return None
    publisher = _name(cr.get("author")) or _name(cr.get("publisher"))
    claim_date = item.get("datePublished")
    if not claim_date:
        first = item.get("firstAppearance") or item.get("appearance")
        if isinstance(first, list):
            first = first[0] if first else None
        claim_date = first.get("datePublished") if isinstance(first, dict) else None
    return FactCheck(
        key=entry_key(publisher, own_id), id=own_id, claim=claim,
        title=_s(cr.get("headline")) or _s(cr.get("name")),
        claimant=_name(item.get("author")),
        date=parse_date(_s(claim_date)) or parse_date(_s(cr.get("datePublished"))),
        publisher=publisher,
        rating=_s(rating.get("alternateName"), 300) or _s(rating.get("name"), 300),
        url=url, origin=origin,
    )


def _json_error(path: str, exc: orjson.JSONDecodeError) -> InputError:
    return InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})")


_LD_SCRIPT = re.compile(r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.I | re.S)


def _read_jsonld(path: str, text: str) -> list[FactCheck]:
    if text.lstrip().startswith("<"):  # an HTML page: its JSON-LD blocks
        docs = []
        for block in _LD_SCRIPT.findall(text):
            try:
                docs.append(orjson.loads(block.strip()))
            except orjson.JSONDecodeError:
                continue  # one broken block on a page does not hide the others
    else:
        try:
            docs = [orjson.loads(text)]
        except orjson.JSONDecodeError as exc:
            raise _json_error(path, exc) from None
    if docs and isinstance(docs[0], dict) and docs[0].get("schema") == "verifier-export/1":
        return _read_export(path, docs[0])
    out = [e for e in (from_claim_review(cr, path) for cr in _claim_reviews(docs)) if e]
    out += [e for d in docs if isinstance(d, dict) for e in _from_fact_check_api(d, path)]
    if not out:
        raise InputError(f"{path}: no ClaimReview (or Fact Check API claim) with a claim and a URL or id found")
    return out


def _from_fact_check_api(doc: dict[str, Any], origin: str) -> list[FactCheck]:
    """Google Fact Check Tools API results (claims:search), saved as JSON: {"claims": [{"text",
    "claimant", "claimDate", "claimReview": [{"publisher": {"name"}, "url", "title", "reviewDate",
    "textualRating"}]}]}."""
    out = []
    claims = doc.get("claims")
    for c in claims if isinstance(claims, list) else []:
        if not isinstance(c, dict) or not _s(c.get("text")):
            continue
        reviews = c.get("claimReview")
        for r in reviews if isinstance(reviews, list) else []:
            if not isinstance(r, dict):
                continue
            url = _url(r.get("url"))
            if not url:
                continue
            publisher = _name(r.get("publisher"))
            out.append(FactCheck(key=entry_key(publisher, url), id=url, claim=_s(c.get("text")) or "",
                                 title=_s(r.get("title")), claimant=_s(c.get("claimant"), 300),
                                 date=parse_date(_s(c.get("claimDate"))) or parse_date(_s(r.get("reviewDate"))),
                                 publisher=publisher, rating=_s(r.get("textualRating"), 300), url=url,
                                 origin=origin))
    return out


def _read_export(path: str, doc: dict[str, Any]) -> list[FactCheck]:
    """A colleague's verifier export: its reviewed claims are fact-checks by that desk."""
    from verifier.factchecks.library import desk_entry
    from verifier.models import CLAIM_KINDS, STATUSES, Claim, Verdict

    claims = doc.get("claims")
    if not isinstance(claims, list):
        raise InputError(f"{path}: verifier export without a claims list")
    posts = {p.get("id"): p for p in doc.get("posts") or [] if isinstance(p, dict)}
    out = []
    for i, c in enumerate(claims):
        v = c.get("verdict") if isinstance(c, dict) else None
        if not isinstance(v, dict) or not _s(c.get("id")) or not _s(c.get("text")):
            raise InputError(f"{path}: claim {i + 1} has no id, text and verdict")
        if v.get("status") in (None, "unreviewed"):
            continue
        kind = _s(c.get("kind"))
        claim = Claim(id=c["id"], post_id=str(c.get("post_id") or ""),
                      kind=kind if kind in CLAIM_KINDS else "statement",
                      text=_s(c.get("text")) or "", span=[0, 0], quote=_s(c.get("quote")),
                      speaker=_s(c.get("speaker")))
        evidence = [str(e) for e in v.get("evidence") or [] if isinstance(e, str)]
        if v["status"] not in STATUSES:
            raise InputError(f"{path}: claim {i + 1}: unknown status {str(v['status'])[:40]!r}")
        verdict = Verdict(claim_id=c["id"], status=v["status"], note=_s(v.get("note")), evidence=evidence,
                          updated_at=_s(v.get("updated_at")), by=_s(v.get("by")))
        post = posts.get(c.get("post_id")) or {}
        out.append(desk_entry(claim, verdict, published=_s(post.get("published")), origin=path,
                              publisher="export: " + os.path.basename(path)))
    if not out:
        raise InputError(f"{path}: the export holds no reviewed claims")
    return out


def _read_jsonl(path: str, text: str) -> list[FactCheck]:
    out: list[FactCheck] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"{path}: line {n} is not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise InputError(f"{path}: line {n} is not a JSON object")
        if "vclaim" in obj:
            entry = _from_clef_politifact(obj, path)
        else:
            found = [from_claim_review(cr, path) for cr in _claim_reviews(obj)]
            entry = next((e for e in found if e), None)
        if entry is None:
            raise InputError(f"{path}: line {n} is neither a CLEF vclaim nor a ClaimReview with a claim and id")
        out.append(entry)
    if not out:
        raise InputError(f"{path}: empty file")
    return out


def _from_clef_politifact(obj: dict[str, Any], origin: str) -> FactCheck | None:
    own_id, claim = _s(obj.get("vclaim_id"), 300), _s(obj.get("vclaim"))
    if not own_id or not claim:
        return None
    url = _s(obj.get("url"), 1000)
    if url and url.startswith("/"):
        url = POLITIFACT + url
    publisher = "PolitiFact" if (url or "").startswith(POLITIFACT) or own_id.startswith("vclaim-pol") else None
    return FactCheck(key=entry_key(publisher, own_id), id=own_id, claim=claim, title=_s(obj.get("title")),
                     claimant=_s(obj.get("speaker"), 300), date=parse_date(_s(obj.get("date"))),
                     publisher=publisher, rating=_s(obj.get("truth_label"), 300),
                     url=url if url and url.startswith("http") else None, origin=origin)


# CSV columns, by what they hold; the first present wins. ClaimReview and CLEF names included.
COLUMNS = {
    "id": ("id", "identifier", "vclaim_id", "claim_id", "review_id", ""),
    "claim": ("claim", "claimreviewed", "claim_reviewed", "vclaim", "claim_text", "text", "statement"),
    "title": ("title", "headline", "review_title"),
    "claimant": ("claimant", "claim_author", "speaker", "author", "itemreviewed_author", "source"),
    "date": ("date", "claim_date", "datepublished", "review_date", "date_published"),
    "publisher": ("publisher", "fact_checker", "factchecker", "review_author", "organization"),
    "rating": ("rating", "alternatename", "textual_rating", "truth_label", "verdict", "label"),
    "url": ("url", "review_url", "claimreview_url", "link"),
}


def _read_table(path: str, text: str, delimiter: str) -> list[FactCheck]:
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    try:
        header = [h.strip().lower().replace(" ", "_") for h in next(rows)]
    except StopIteration:
        raise InputError(f"{path}: empty file") from None
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable table ({exc})") from None
    col = {field: next((header.index(n) for n in names if n in header), None) for field, names in COLUMNS.items()}
    if col["claim"] is None:
        what = "tab-separated" if delimiter == "\t" else "CSV"
        raise InputError(f"{path}: {what} file without a claim column (expected one of: "
                         f"{', '.join(COLUMNS['claim'][:4])})")
    default_pub = "Snopes" if header[:3] == ["", "vclaim", "title"] else None  # CLEF 2020's Snopes claims
    out = []
    try:
        for n, row in enumerate(rows, 2):
            if not any(x.strip() for x in row):
                continue
            def get(f: str, row: list[str] = row) -> str | None:
                i = col[f]
                return _s(row[i]) if i is not None and i < len(row) else None

            claim = get("claim")
            if not claim:
                raise InputError(f"{path}: row {n} has no claim text")
            url = get("url")
            url = url if url and url.startswith(("http://", "https://")) else None
            own_id = get("id") or url
            if not own_id:
                raise InputError(f"{path}: row {n} has no id or URL")
            publisher = get("publisher") or default_pub
            out.append(FactCheck(key=entry_key(publisher, own_id), id=own_id, claim=claim, title=get("title"),
                                 claimant=get("claimant"), date=parse_date(get("date")), publisher=publisher,
                                 rating=get("rating"), url=url, origin=path))
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable table ({exc})") from None
    if not out:
        raise InputError(f"{path}: no fact-checks in the table")
    return out


def read_factchecks(path: str) -> list[FactCheck]:
    """The fact-checks in one file, by its extension and first characters; InputError when it holds none."""
    text = read_text(path)
    ext = os.path.splitext(path)[1].lower()
    head = text.lstrip("\ufeff \t\r\n")[:1]
    if ext == ".jsonl" or (ext not in (".json", ".jsonld") and head == "{" and "\n{" in text.strip()):
        return _read_jsonl(path, text)
    if ext in (".json", ".jsonld", ".html", ".htm") or head in ("{", "[", "<"):
        return _read_jsonld(path, text)
    if ext == ".tsv" or (ext != ".csv" and "\t" in text.split("\n", 1)[0]):
        return _read_table(path, text, "\t")
    return _read_table(path, text, ",")


def read_all(paths: list[str]) -> list[FactCheck]:
    """Every file read before anything is stored; the last reading of a key wins."""
    out: dict[str, FactCheck] = {}
    for p in paths:
        for e in read_factchecks(p):
            out[e.key] = e
    return list(out.values())
