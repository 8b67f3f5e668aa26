"""The Vietnamese text analyzer shared by ingestion and queries.

A search engine's analyzer belongs to its index: documents and questions go through the very same
functions, so a question typed in either tone-mark style, in NFD, or without diacritics meets the
same tokens as the text it should find.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining marks, after NFD: the five tones and the three letter modifiers.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_MODIFIERS = {"\u0302", "\u0306", "\u031b"}  # circumflex (â ê ô), breve (ă), horn (ơ ư)
_VOWELS = set("aăâeêioôơuưy")

# Document numbers: 12-CT/TW, 108-KH/TU, 1830/LHHN-VP, 15/2020/NĐ-CP, 74-UBND-KH, 45/QĐ-UBND, 59/2020/QH14.
DOC_NUMBER_RE = re.compile(
    r"(?<![\w/-])\d{1,6}(?:/\d{4})?(?:[-/][A-Za-zĐđ][A-Za-zĐđ0-9]{0,11}(?:[-/][A-Za-zĐđ0-9]{1,12})*)(?![\w])"
)
# Dates: 05/01/2022, 20/5/2022, 5-1-2022, 20.5.2022 (day first, as Vietnamese writes them).
DATE_RE = re.compile(r"(?<![\w/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\w/])")
_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Punctuation that ends a phrase: bigrams never join syllables across it.
_PHRASE_BREAK_RE = re.compile(r"[.,;:!?()\[\]{}\"“”‘’'«»…–—|]+|\s-\s|\n")


def to_nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese mark (tone, modifier or đ)."""
    return fold(text) != text.lower()


def fold(text: str) -> str:
    """Lowercase and strip every diacritic (every combining mark after NFD); `đ` becomes `d`."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d")


def _tone_position(base: str) -> int | None:
    """Index in the toneless lowercase syllable that carries the tone (new style: hoà, thuỷ)."""
    start = 0
    if base.startswith("qu") and len(base) > 2 and base[2] in _VOWELS or base.startswith("gi") and len(base) > 2 and base[2] in _VOWELS:
        start = 2
    idx = [i for i in range(start, len(base)) if base[i] in _VOWELS]
    if not idx:
        return None
    # The nucleus is the contiguous vowel run that starts at the first vowel.
    run = [idx[0]]
    for i in idx[1:]:
        if i == run[-1] + 1:
            run.append(i)
        else:
            break
    for i in reversed(run):
        if base[i] in "ăâêôơư":
            return i
    if len(run) == 1:
        return run[0]
    has_final = run[-1] + 1 < len(base)
    if has_final:
        return run[-1]
    cluster = base[run[0] : run[-1] + 1]
    if len(run) == 3:
        return run[1]
    if cluster in ("oa", "oe", "uy"):
        return run[1]
    return run[0]


@lru_cache(maxsize=65536)
def _normalize_syllable(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) != 1:
        return word
    toneless = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    if not toneless.isalpha():
        return word
    pos = _tone_position(toneless.lower())
    if pos is None:
        return word
    out = toneless[: pos + 1] + tones[0] + toneless[pos + 1 :]
    return unicodedata.normalize("NFC", out)


def normalize(text: str) -> str:
    """NFC plus one tone-mark placement (`hòa`/`hoà` → `hoà`, `ủy`/`uỷ` → `uỷ`); case is kept.

    Offsets are preserved: every syllable keeps its length in NFC, so a span found in the
    normalised text is the same span in the NFC original.
    """
    text = to_nfc(text)
    return _WORD_RE.sub(lambda m: _normalize_syllable(m.group(0)), text)


def canonical_date(day: str, month: str, year: str) -> str:
    return f"{int(day)}/{int(month)}/{year}"


def _special_tokens(text: str) -> tuple[list[str], str]:
    """Pull out document numbers and dates as whole tokens; blank them in the remaining text."""
    tokens: list[str] = []

    def keep_date(m: re.Match[str]) -> str:
        tokens.append(canonical_date(m.group(1), m.group(3), m.group(4)))
        return f" {int(m.group(1))} {int(m.group(3))} {m.group(4)} "

    def keep_number(m: re.Match[str]) -> str:
        value = m.group(0).lower()
        tokens.extend(dict.fromkeys((value, fold(value))))
        return " " + re.sub(r"[-/]", " ", m.group(0)) + " "

    text = DATE_RE.sub(keep_date, text)
    text = DOC_NUMBER_RE.sub(keep_number, text)
    return tokens, text


# Syllables repeat endlessly: folding each distinct one once was a third of the analyzer's time
# (ingestion analyses every chunk, answering every retrieved sentence; see bench/perf.py).
_fold_syllable = lru_cache(maxsize=65536)(fold)


def _phrase_tokens(phrase: str, folded_mode: bool) -> list[str]:
    words = [w for w in _WORD_RE.findall(phrase)]
    syllables = ["~" + _fold_syllable(w) for w in words] if folded_mode else [w for w in words]
    out = list(syllables)
    out.extend(f"{a}_{b.lstrip('~')}" for a, b in zip(syllables, syllables[1:], strict=False))
    return out


def analyze(text: str, mode: str = "index") -> list[str]:
    """Tokens for the lexical index.

    `mode="index"` (documents): exact syllables and bigrams plus their diacritic-folded twins
    (prefixed `~`), so a question typed without marks still finds the text.
    `mode="query"`: exact tokens when the question carries diacritics, folded ones when it has none.
    Document numbers and dates are whole tokens in every mode (and their parts are syllables).
    """
    text = normalize(text).lower()
    special, rest = _special_tokens(text)
    phrases = [p for p in _PHRASE_BREAK_RE.split(rest) if p.strip()]
    tokens = list(dict.fromkeys(special)) if mode == "query" else list(special)
    if mode == "index":
        for phrase in phrases:
            tokens.extend(_phrase_tokens(phrase, folded_mode=False))
            tokens.extend(_phrase_tokens(phrase, folded_mode=True))
        return tokens
    folded_mode = not has_diacritics(DOC_NUMBER_RE.sub(" ", text))  # a pasted "45/QĐ-UBND" is not typing with marks
    for phrase in phrases:
        tokens.extend(_phrase_tokens(phrase, folded_mode=folded_mode))
    return tokens


def match_key(text: str) -> str:
    """A comparison key for answers: normalised, lowercased, whitespace collapsed (marks kept)."""
    return " ".join(normalize(text).lower().split())
