"""Claim extraction: quotes with speakers, attributed statements and figures."""

from verifier.extract.claims import Draft, extract
from verifier.extract.names import full_names


def clear_caches() -> None:
    """Forget the per-text caches (word lists, lexicon hits, proper-noun counts).

    They exist so one sentence's several checks tokenise it once; a benchmark clears them
    between posts so a sentence repeated across its corpus is not counted as free. The lexicon's
    per-word memo (lexicon._WORD_HITS) is a vocabulary, not a per-text cache, and is kept: a new
    sentence made of known words is as cheap in a long run as it is here.
    """
    from verifier.extract import attribution, checkworthiness, lexicon, names

    lexicon.words.cache_clear()
    lexicon.runs.cache_clear()
    lexicon._hits.cache_clear()
    checkworthiness._proper_count.cache_clear()
    checkworthiness.is_forecast.cache_clear()
    checkworthiness.is_furniture.cache_clear()
    names.split_role.cache_clear()
    names.looks_person.cache_clear()
    names.is_institution.cache_clear()
    attribution._clean_np.cache_clear()
    attribution._valid.cache_clear()
    attribution._described.cache_clear()
    attribution._make_parts.cache_clear()


__all__ = ["Draft", "clear_caches", "extract", "full_names"]
