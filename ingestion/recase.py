"""Upper-case headings back to sentence case, word by word as the document's own prose writes them.

Official documents print their kind line and abstract in capitals ("KẾ HOẠCH TRIỂN KHAI …"); a title
reads "Kế hoạch triển khai …", with names as the prose spells them. Split from `ingestion.layout`.
"""

from __future__ import annotations

import re
from collections import Counter

from ingestion.layout_signature import fkey, is_upper, kind_at_start
from ingestion.lexicon import layout as lex
from vectorstore.analyzer import fold

_NUMBER = re.compile(rf"(?<![\w/.-]){lex.NUMBER}(?![\w/-])")
_WORDS = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(rf"(?P<num>{lex.NUMBER})|(?P<word>[^\W\d_]+)")
_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")


class Recaser:
    """Upper-case headings back to sentence case, each word as the document's own prose writes it
    mid-sentence, next to the same neighbour where it can ("CÁN BỘ CỦA BỘ TƯ PHÁP" → "cán bộ của
    Bộ Tư pháp", "TỈNH ĐẮK LẮK" → "tỉnh Đắk Lắk", "32/CT-TTG" → "32/CT-TTg")."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, bool]] = []  # word, opens a sentence ("" between prose lines)
        self._index: dict[str, list[int]] | None = None
        self._numbers: dict[str, str] | None = None

    def index(self) -> dict[str, list[int]]:
        """Where each lower-cased word of the prose (upper-case lines left out) occurs."""
        if self._index is None:
            self._index, ended = {}, True
            for line in self.text[: lex.PROSE_CHARS].split("\n"):
                if not line.strip() or is_upper(line):
                    self.tokens.append(("", True))
                    ended = True
                    continue
                for m in _WORDS.finditer(line):
                    before = line[max(0, m.start() - 3) : m.start()].rstrip()
                    self._index.setdefault(m.group(0).lower(), []).append(len(self.tokens))
                    self.tokens.append((m.group(0), before[-1] in ".!?:;-+•(\"“”'" if before else ended))
                ended = line.rstrip()[-1:] in ".!?:;"
        return self._index

    def forms(self, words: list[str]) -> list[str | None]:
        """How the prose writes each word mid-sentence: beside the same neighbours (left or right),
        else anywhere if written so often enough. Not a phrase's first word: mostly a verb, which
        prose capitalises only inside names ("Luật Ban hành văn bản ...")."""
        low, toks, index = [w.lower() for w in words], self.tokens, self.index()
        out: list[str | None] = []
        for i, w in enumerate(low):
            seen: tuple[Counter[str], Counter[str], Counter[str]] = (Counter(), Counter(), Counter())
            for p in index.get(w, [])[: lex.MAX_OCCURRENCES]:
                tok, initial = toks[p]
                if not initial:
                    seen[0][tok] += bool(i) and toks[p - 1][0].lower() == low[i - 1]
                    seen[1][tok] += i + 1 < len(low) and p + 1 < len(toks) and toks[p + 1][0].lower() == low[i + 1]
                    seen[2][tok] += 1
            top = seen[2].most_common(1)[0][1] if seen[2] else 0
            alone = top >= lex.MIN_ALONE and top >= 0.75 * sum(seen[2].values())
            best = (+(seen[0] + seen[1]) or (+seen[2] if alone else None)) if i or len(low) == 1 else None
            out.append(best.most_common(1)[0][0] if best else None)
        return out

    def __call__(self, upper: str) -> str:
        if self._numbers is None:
            self._numbers = {fkey(m[0]): m[0] for m in _NUMBER.finditer(self.text) if not m[0].isupper()}
        upper = " ".join(upper.split())
        forms = iter(self.forms([m["word"] for m in _TOKEN.finditer(upper) if m["word"]]))

        def repl(m: re.Match[str]) -> str:
            if m["num"]:
                return (self._numbers or {}).get(fkey(m[0]), m[0])
            w, form = m["word"], next(forms)
            return form or (w if _ROMAN.match(w) or not re.search("[aeiouy]", fold(w)) else w.lower())

        return _TOKEN.sub(repl, upper)

    def phrase(self, text: str) -> str:
        """A heading's words as they read after a kind word: recased if upper, the first word in lower
        case unless the prose writes it capitalised ("V/v Tuyên truyền" → "tuyên truyền")."""
        text = " ".join(text.split())
        if is_upper(text):
            return self(text)
        first = text.split()[0] if text else ""
        form = self.forms([first])[0] if first[1:2].islower() else None
        return text if form and form[:1].isupper() else text[:1].lower() + text[1:]

    def title(self, heading: str) -> tuple[str | None, str]:
        """Kind and title of a heading ("KẾ HOẠCH TRIỂN KHAI ..." → "Kế hoạch triển khai ...")."""
        kind = kind_at_start(heading)
        rest = self.phrase(" ".join(heading.split()[kind[1] :]) if kind else heading)
        return (kind[0], f"{kind[0]} {rest}".strip()) if kind else (None, rest[:1].upper() + rest[1:])
