"""Lists that share one head word: "yêu cầu các Bộ: Nông nghiệp và Môi trường; Xây dựng; Khoa học và
Công nghệ xây dựng phương án …" gives work to three ministries, each written without its "Bộ".

Each listed name is read as the body it abbreviates ("Bộ Xây dựng"): its span is the name as written,
its full name is the head word and the name. Only names known to follow the head are read (the lexicon's
`SHARED_HEAD_LISTS`), so a list of ordinary words after "các bộ:" is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.body_keys import _S, _S0, _low
from ingestion.lexicon import bodies as lx
from vectorstore.analyzer import fold


@dataclass(frozen=True)
class SharedItem:
    start: int  # the name as written: text[start:end]
    end: int
    full: str  # "Bộ Xây dựng"
    head: tuple[int, int]  # the plural head ("các Bộ, cơ quan") the item belongs to


def _words(name: str) -> str:
    return _S.join(re.escape(w) for w in _low(name).split())


_COMPANIONS = "|".join(_words(c) for c in lx.SHARED_HEAD_COMPANIONS)
_HEAD_RES = [
    (head, re.compile(rf"(?<!\w)các{_S}{_words(head)}(?:{_S0},{_S0}(?:{_COMPANIONS}))*{_S0}:{_S0}"),
     re.compile("|".join(_words(n) for n in sorted(names, key=len, reverse=True)) + r"(?!\w)"))
    for head, names in lx.SHARED_HEAD_LISTS.items()
]
_SEPARATOR = re.compile(rf"{_S0}(?:[,;]|và){_S0}(?:{_S0}và{_S0})?")


def shared_head_items(text: str) -> list[SharedItem]:
    """Every name listed after a plural head and a colon, in order."""
    if ":" not in text:  # most sentences: no list to read (and no normalising to pay for)
        return []
    low = _low(text)
    if len(low) != len(text):
        return []
    out: list[SharedItem] = []
    for head, head_re, names in _HEAD_RES:
        for m in head_re.finditer(low):
            pos = m.end()
            while (name := names.match(low, pos)) and text[pos].isupper():
                written = " ".join(text[name.start() : name.end()].split())
                out.append(SharedItem(name.start(), name.end(), f"{head} {written}", (m.start(), m.end())))
                sep = _SEPARATOR.match(low, name.end())
                if sep is None:
                    break
                pos = sep.end()
    return sorted(out, key=lambda i: i.start)


# The same head folded, at the end of the words before a list's first name ("… đề nghị các bộ: ").
_FOLDED_HEAD = re.compile(
    r"\b(?:" + "|".join(fold(h).lower() for h in lx.SHARED_HEAD_LISTS) + r")"
    + r"(?:\s*,\s*(?:" + "|".join(fold(c) for c in lx.SHARED_HEAD_COMPANIONS) + r"))*\s*:\s*$"
)
_FOLDED_GAP = re.compile(r"\s*(?:[,;]|va)\s*(?:va\s+)?")


def before_shared_head(folded_before: str) -> str:
    """The words before a list's plural head: "… đề nghị các " for "… đề nghị các Bộ: " (folded), so that
    the words asking the bodies are read as if they stood right before each listed name."""
    return _FOLDED_HEAD.sub("", folded_before)


def same_list(folded_gap: str) -> bool:
    """Whether two listed names stand next to each other in one list ("; ", ", ", " và ")."""
    return _FOLDED_GAP.fullmatch(folded_gap) is not None


def list_regions(sentence: str) -> list[tuple[int, int]]:
    """From first to last name of each shared-head list ("các Bộ: A; B; C"): its semicolons separate
    names, not clauses."""
    regions: dict[tuple[int, int], tuple[int, int]] = {}
    for item in shared_head_items(sentence):
        lo, _ = regions.get(item.head, (item.start, item.end))
        regions[item.head] = (lo, item.end)
    return list(regions.values())


def continues_list(prev: str, nxt: str) -> bool:
    """Whether line `nxt` starts with the next name of a list line `prev` opened and broke after
    a separator: the break is a wrap inside the list, not the end of an item."""
    joined = f"{prev} {nxt}"
    return any(item.start == len(prev) + 1 for item in shared_head_items(joined))
