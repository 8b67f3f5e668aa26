"""Put the marks back on a question typed without them, from the index's own language.

Many users type Vietnamese without diacritics ("co quan nao chu tri"). Folded matching finds the
words, but the dense model reads "co quan" as noise, and the exact-token side of the lexical index
cannot be used. The index already holds, for every chunk, its exact syllables and bigrams: from
their counts, a Viterbi pass picks the most likely marked spelling of each folded syllable given its
neighbour ("ke hoach" → "kế hoạch", "so tai chinh" → "sở tài chính"). Words the index has never seen
stay as typed.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from vectorstore.analyzer import fold, has_diacritics

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Candidates kept per folded syllable, and the weight of the bigram evidence against the unigram prior.
MAX_CANDIDATES = 6
BIGRAM_WEIGHT = 0.8
# How questions are phrased, which documents rarely write ("bao nhiêu tiền", "mấy"): counted as if the
# index held each phrase QUESTION_WEIGHT times, so "bao nhieu tien" is not read as "bao nhiêu tiến".
QUESTION_PHRASES = (
    "bao nhiêu tiền", "mấy", "bao nhiêu", "khi nào", "ở đâu", "là gì", "làm gì", "những gì", "như thế nào",
    "ai ký", "ai chủ trì", "cơ quan nào", "đơn vị nào", "ngày nào", "bao giờ", "có không", "mấy giờ", "mấy ngày",
    "mấy tháng", "mấy lần", "thế nào", "vì sao", "tại sao", "đâu", "gì", "nào", "do ai ban hành", "do ai ký",
    "của ai", "vào ngày nào", "ai ban hành", "thứ mấy", "số mấy",
)
QUESTION_WEIGHT = 50


class DiacriticRestorer:
    def __init__(self) -> None:
        self._forms: dict[str, list[tuple[str, int]]] = {}
        self._bigrams: Counter[tuple[str, str]] = Counter()
        self._unigrams: Counter[str] = Counter()
        self._total = 0

    @classmethod
    def from_tokens(cls, chunks: Iterable[list[str]]) -> DiacriticRestorer:
        """`chunks`: each chunk's lexical tokens (`analyzer.analyze(..., "index")`): exact syllables and
        `a_b` bigrams; folded twins (`~…`) and special tokens are skipped."""
        restorer = cls()
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        phrases = [_phrase_tokens(p) for p in QUESTION_PHRASES] * QUESTION_WEIGHT
        for tokens in itertools.chain(chunks, phrases):
            for token in tokens:
                if token.startswith("~"):
                    continue
                if "_" in token:
                    a, _, b = token.partition("_")
                    if a.isalpha() and b.isalpha():
                        restorer._bigrams[(a, b)] += 1
                elif token.isalpha():
                    forms[fold(token)][token] += 1
        for key, counter in forms.items():
            restorer._forms[key] = counter.most_common(MAX_CANDIDATES)
            restorer._unigrams.update(counter)
        restorer._total = sum(restorer._unigrams.values())
        return restorer

    def __len__(self) -> int:
        return len(self._forms)

    def _candidates(self, word: str) -> list[str]:
        return [form for form, _ in self._forms.get(fold(word.lower()), [])] or [word.lower()]

    def _prior(self, form: str) -> float:
        return (self._unigrams.get(form, 0) + 0.1) / (self._total + 1.0)

    def _transition(self, prev: str, cur: str) -> float:
        seen = self._unigrams.get(prev, 0)
        bigram = self._bigrams.get((prev, cur), 0) / seen if seen else 0.0
        return math.log(BIGRAM_WEIGHT * bigram + (1 - BIGRAM_WEIGHT) * self._prior(cur))

    def _best(self, words: list[str]) -> list[str]:
        """Viterbi over each word's marked spellings: P(form | previous form)."""
        lattice = [self._candidates(w) for w in words]
        scores = {form: math.log(self._prior(form)) for form in lattice[0]}
        back: list[dict[str, str]] = []
        for column in lattice[1:]:
            step, pointers = {}, {}
            for cur in column:
                prev = max(scores, key=lambda p: scores[p] + self._transition(p, cur))
                step[cur], pointers[cur] = scores[prev] + self._transition(prev, cur), prev
            scores, back = step, [*back, pointers]
        path = [max(scores, key=lambda f: scores[f])]
        for pointers in reversed(back):
            path.append(pointers[path[-1]])
        return path[::-1]

    def restore(self, text: str) -> str:
        """`text` with marks on its syllables; text that already has marks is returned unchanged (the
        user typed them, and mixing guesses into it would only add errors)."""
        if not self._forms or has_diacritics(text):
            return text
        out, last = [], 0
        for phrase in re.finditer(r"[^\W\d_]+(?:\s+[^\W\d_]+)*", text):
            words = _WORD.findall(phrase.group())
            restored = self._best(words)
            pieces, pos = [], 0
            for word, form in zip(words, restored, strict=True):
                at = phrase.group().index(word, pos)
                pieces.append(phrase.group()[pos:at] + _cased(form, word))
                pos = at + len(word)
            out.append(text[last : phrase.start()] + "".join(pieces) + phrase.group()[pos:])
            last = phrase.end()
        return "".join(out) + text[last:]


def _phrase_tokens(phrase: str) -> list[str]:
    words = phrase.split()
    return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]


def _cased(form: str, typed: str) -> str:
    """The restored syllable in the typed word's case ("Ha" → "Hà", "UBND" stays upper)."""
    if typed.isupper() and len(typed) > 1:
        return form.upper()
    return form[:1].upper() + form[1:] if typed[:1].isupper() else form
