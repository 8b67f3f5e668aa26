"""One key for every spelling of a body, and every spelling of a key: what filters and comparisons use.

"UBND tỉnh", "Uỷ ban nhân dân tỉnh" and "Ủy ban nhân dân tỉnh" are one body (`canonical_key`); a filter for
"Sở GD&ĐT" must also find "Sở Giáo dục và Đào tạo" (`expand_aliases`). Split from `ingestion.actors`, which
finds the names in text; the tables are data in `ingestion.lexicon.bodies`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from ingestion.lexicon import bodies as lx
from vectorstore.analyzer import fold, normalize, to_nfc

__all__ = ["canonical_key", "expand_aliases", "same_body"]


def _low(text: str) -> str:
    return normalize(text).lower()


_S = r"(?:[^\S\n]+\n?[^\S\n]*|\n[^\S\n]*)"  # whitespace holding at most one line break (a wrap, not a paragraph)
_S0 = rf"(?:{_S})?"


def _phrase(display: str) -> str:
    """Regex for a name in lower case: separators (& , . -) optional, spaces may wrap a line."""
    parts = [t for t in re.split(r"(\s*[&,.\-–]\s*|\s+)", _low(display)) if t]
    sep = rf"{_S0}[&,.\-–]?{_S0}"
    return "".join(_S if t.isspace() else re.escape(t) if re.match(r"\w", t) else sep for t in parts)


def _alternation(displays: list[str]) -> str:
    return "|".join(_phrase(d) for d in sorted(set(displays), key=lambda d: -len(d)))


_ABBR_RUN = re.compile(r"(?<![\w&])[A-ZĐ][A-ZĐ0-9]*(?:(?:[^\S\n]?[&,\-][^\S\n]?|\.[^\S\n]?)[A-ZĐ][A-ZĐ0-9]*)*(?![\w&])")
_PART = re.compile(r"[A-ZĐ][A-ZĐ0-9]*")


def _compact(abbr: str) -> str:
    return fold(re.sub(r"[\s&,.\-]", "", abbr))


_ABBR = {_compact(a): fold(full) for a, full in lx.ABBREVIATIONS.items()} | {
    _compact(m): fold(fam[0]) for fam in lx.FAMILIES for m in fam[1:] if _ABBR_RUN.fullmatch(m)
}
_REWRITES = [(re.compile(p), r) for p, r in lx.KEY_REWRITES]
_MULTI = re.compile(lx.MULTI_LEVEL_KEY)
_KEY_UNIT = "(?:" + "|".join(sorted(lx.KEY_LEVELS, key=len, reverse=True)) + ")"
_KEY_UNIT = _KEY_UNIT.replace("|xa", "|(?<!tac )xa").replace("|phuong", "|(?<!dia )phuong")  # hợp tác xã, địa phương
_KEY_TAIL = re.compile(
    rf"(?:^| )(?:cac )?{_KEY_UNIT}(?: (?:va |cac )*{_KEY_UNIT})*(?: truc thuoc tinh| (?:truc thuoc )?trung uong)?$"
)


def canonical_key(name: str) -> str:
    """Folded lower-case full name, one for every spelling of a body ("UBND tỉnh" → "uy ban nhan dan tinh")."""

    def expand(m: re.Match[str]) -> str:  # "GD&ĐT" as a whole, else "UBND, HĐND" part by part
        whole = _ABBR.get(_compact(m.group()))
        return f" {whole} " if whole else _PART.sub(lambda p: f" {_ABBR.get(_compact(p.group()), p.group())} ", m[0])

    key = " ".join(re.findall(r"[a-z0-9]+", fold(_ABBR_RUN.sub(expand, to_nfc(name))).replace("&", " va ")))
    key = re.sub(r"^(?:cac|nhung) ", "", key)
    for pattern, repl in _REWRITES:
        key = pattern.sub(repl, key)
    level = ""
    if tail := _KEY_TAIL.search(key):  # "tỉnh" = this province; "các tỉnh, thành phố" = every province
        units = re.findall(_KEY_UNIT, tail.group())
        level = next((lx.KEY_LEVELS[u] for u in units if lx.KEY_LEVELS[u] != "tinh"), "tinh")
        plural = len(units) > 1 or "cac" in tail.group().split() or "trung uong" in tail.group()
        level, key = "cap tinh" if level == "tinh" and plural else level, key[: tail.start()]
    key = " ".join(w for w in key.split() if w not in ("cac", "nhung"))
    if _MULTI.match(key):
        level = level or "tinh"  # "UBND" alone is the province's
    elif level == "tinh":
        level = ""  # "Sở Tài chính tỉnh" is the Sở Tài chính
    return f"{key} {level}".strip()


def same_body(a: str, b: str) -> bool:
    return bool(key := canonical_key(a)) and key == canonical_key(b)


_FAMILY_RES = [(re.compile(rf"(?<![\w&])(?:{_alternation(list(fam))})(?![\w&])"), fam) for fam in lx.FAMILIES]
_LEVEL_END = re.compile(r"(?<!\w)(?:tỉnh|thành phố)$")
_NEW_TONE = re.compile(r"(?<![qQ])([oO](?=[àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ])|[uU](?=[ỳýỷỹỵỲÝỶỸỴ]))(\w)(?!\w)")


def _old_style(text: str) -> str:
    """Tone on the first vowel (hòa, ủy): the style most documents use."""
    nfd = unicodedata.normalize
    return _NEW_TONE.sub(lambda m: nfd("NFC", m[1] + nfd("NFD", m[2])[1:]) + nfd("NFD", m[2])[0], to_nfc(text))


def _spellings(seed: str) -> list[str]:
    """`seed` with each known name part spelled every known way ("GD&ĐT" ↔ "Giáo dục và Đào tạo")."""
    low, chosen = _low(seed), list[tuple[int, int, tuple[str, ...]]]()
    slots = [(m.start(), m.end(), fam) for regex, fam in _FAMILY_RES for m in regex.finditer(low)]
    slots += [(m.start(), m.end(), ("tỉnh", "Thành phố")) for m in _LEVEL_END.finditer(low)]
    for slot in sorted(slots, key=lambda s: (s[0], s[0] - s[1])):  # leftmost, then longest
        if not chosen or slot[0] >= chosen[-1][1]:
            chosen.append(slot)
    cuts = [0, *(p for a, b, _ in chosen for p in (a, b)), len(seed)]
    fixed = [seed[cuts[i] : cuts[i + 1]] for i in range(0, len(cuts), 2)]
    combos = itertools.islice(itertools.product(*[(seed[a:b], *fam) for a, b, fam in chosen]), 256)
    return ["".join(f + c for f, c in zip(fixed, (*combo, ""), strict=True)) for combo in combos]


def expand_aliases(query: str) -> list[str]:
    """Every known spelling of the body named in `query` (full names first), for search and filters."""
    seed = re.sub(r"^[Cc]ác\s+", "", " ".join(to_nfc(query).split()))
    key = canonical_key(seed)
    seeds = [seed] + [a for group in lx.ALIAS_GROUPS for a in group if canonical_key(a) == key]
    found: dict[str, None] = {}
    for spelled in (s for sd in seeds for s in _spellings(sd)):
        for variant in (_old_style(spelled), normalize(spelled)):
            if canonical_key(variant) == key:
                found.setdefault(variant)
    return sorted(found, key=lambda v: bool(_ABBR_RUN.search(v))) or [seed]
