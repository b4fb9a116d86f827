"""Words as quote comparison sees them: case, quote marks, whitespace and punctuation ignored.

Each word keeps its character span in the original text, so a match can be
shown in place and its surroundings quoted.
"""

from __future__ import annotations

import re

# A word: letters/digits, with inner apostrophes (don't, Ukraine's) kept together.
_WORD = re.compile(r"\w+(?:['’‘]\w+)*")

# Words that speech carries and quotes drop (or transcripts keep): never a change of meaning.
FILLERS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "ah", "eh", "hmm", "mm"})
FILLER_PHRASES = (("you", "know"), ("i", "mean"))  # not "sort of": a hedge can matter

CONTRACTIONS = {
    "don't": "do not", "doesn't": "does not", "didn't": "did not", "can't": "cannot", "won't": "will not",
    "isn't": "is not", "aren't": "are not", "wasn't": "was not", "weren't": "were not",
    "haven't": "have not", "hasn't": "has not", "hadn't": "had not", "wouldn't": "would not",
    "shouldn't": "should not", "couldn't": "could not", "i'm": "i am", "we're": "we are",
    "they're": "they are", "you're": "you are", "it's": "it is", "that's": "that is",
    "there's": "there is", "we've": "we have", "they've": "they have", "i've": "i have",
    "we'll": "we will", "they'll": "they will", "i'll": "i will", "let's": "let us",
}
NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "percent": "%", "per cent": "%",
}


def norm(word: str) -> str:
    return word.lower().replace("’", "'").replace("‘", "'")


def tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Normalised words and their [start, end) spans in ``text``."""
    words, spans = [], []
    for m in _WORD.finditer(text):
        words.append(norm(m.group(0)))
        spans.append(m.span())
    return words, spans


def canonical(words: list[str]) -> str:
    """The words with every difference that does not change meaning taken out:
    fillers and stutters dropped, contractions expanded, number words as digits,
    and the word breaks themselves removed (e-mail/email, 15,000/15000)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in FILLERS:
            i += 1
            continue
        if i + 1 < len(words) and (w, words[i + 1]) in FILLER_PHRASES:
            i += 2
            continue
        w = CONTRACTIONS.get(w, w)
        w = " ".join(NUMBER_WORDS.get(x, x) for x in w.split())
        if out and out[-1] == w:  # "the the": a stutter
            i += 1
            continue
        out.append(w)
        i += 1
    return "".join(out).replace(" ", "")
