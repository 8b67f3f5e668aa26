"""BM25 postings that can change without a rebuild: term frequencies are stored, scores are not.

bm25s precomputes idf·tf-part for every posting, so any write (which moves N, document frequencies
and the average length) invalidates all of them: the old index was rebuilt after every write (22 s at
100k chunks). Here a posting keeps its raw term frequency and the statistics are applied at query
time, over only the query terms' postings, with bm25s' arithmetic ("lucene" BM25: idf in float64
stored as float32, tf-part in float64, sums in float32 in query-token order), so scores equal a
fresh bm25s build's. Chunks live in numbered slots; a removed chunk's slot is masked dead until the
next merge compacts it away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class Postings:
    """Term → (slots, term frequencies), compressed by term (a CSC matrix of slots × terms)."""

    indptr: np.ndarray  # int64, n_terms + 1
    slots: np.ndarray  # int32
    tf: np.ndarray  # float32

    @property
    def n_terms(self) -> int:
        return len(self.indptr) - 1

    @property
    def size(self) -> int:
        return len(self.slots)

    def of(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        if term >= self.n_terms:
            return _NO_SLOTS, _NO_TF
        a, b = int(self.indptr[term]), int(self.indptr[term + 1])
        return self.slots[a:b], self.tf[a:b]

    @classmethod
    def empty(cls) -> Postings:
        return cls(np.zeros(1, dtype=np.int64), _NO_SLOTS, _NO_TF)

    @classmethod
    def from_triples(cls, slots: np.ndarray, terms: np.ndarray, tf: np.ndarray, n_slots: int, n_terms: int) -> Postings:
        """(slot, term, tf) triples, each (slot, term) once → postings (scipy's linear-time COO → CSC)."""
        if not len(slots):
            return cls(np.zeros(n_terms + 1, dtype=np.int64), _NO_SLOTS, _NO_TF)
        m = sp.csc_matrix((tf, (slots, terms)), shape=(n_slots, n_terms), dtype=np.float32)
        return cls(m.indptr.astype(np.int64), m.indices.astype(np.int32), m.data.astype(np.float32))

    def triples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        terms = np.repeat(np.arange(self.n_terms, dtype=np.int32), np.diff(self.indptr))
        return self.slots, terms, self.tf


_NO_SLOTS = np.zeros(0, dtype=np.int32)
_NO_TF = np.zeros(0, dtype=np.float32)


def term_counts(term_ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """A chunk's distinct term ids and how often each occurs."""
    ids, counts = np.unique(np.asarray(term_ids, dtype=np.int32), return_counts=True)
    return ids.astype(np.int32), counts.astype(np.float32)


def postings_of(rows: Sequence[tuple[int, np.ndarray, np.ndarray]], n_slots: int, n_terms: int) -> Postings:
    """Postings of (slot, distinct term ids, counts) rows."""
    if not rows:
        return Postings.from_triples(_NO_SLOTS, _NO_SLOTS, _NO_TF, n_slots, n_terms)
    slots = np.concatenate([np.full(len(ids), slot, dtype=np.int32) for slot, ids, _ in rows])
    terms = np.concatenate([ids for _, ids, _ in rows])
    tf = np.concatenate([c for _, _, c in rows])
    return Postings.from_triples(slots, terms, tf, n_slots, n_terms)


def compact(parts: Sequence[Postings], live: np.ndarray, n_terms: int) -> tuple[Postings, np.ndarray]:
    """One segment from several, dead slots dropped and live ones renumbered in order.
    Returns the postings and, for every old slot, its new number (-1 when dropped)."""
    renumber = np.where(live, np.cumsum(live) - 1, -1).astype(np.int64)
    triples = [p.triples() for p in parts if p.size]
    if not triples:
        return Postings.from_triples(_NO_SLOTS, _NO_SLOTS, _NO_TF, int(live.sum()), n_terms), renumber
    slots = np.concatenate([t[0] for t in triples])
    terms = np.concatenate([t[1] for t in triples])
    tf = np.concatenate([t[2] for t in triples])
    keep = live[slots]
    merged = Postings.from_triples(renumber[slots[keep]], terms[keep], tf[keep], int(live.sum()), n_terms)
    return merged, renumber


@dataclass(frozen=True)
class Stats:
    """Collection statistics over the live slots: what a fresh build would compute."""

    n_docs: int
    norm: np.ndarray  # per slot: k1·((1 − b) + b·len/avg), float64 as in bm25s

    @classmethod
    def of(cls, doc_len: np.ndarray, live: np.ndarray, k1: float, b: float) -> Stats:
        n = int(live.sum())
        avg = np.float64(int(doc_len[live].sum())) / n if n else np.float64(1.0)
        return cls(n, k1 * ((1 - b) + b * doc_len.astype(np.float64) / avg))


Contributions = tuple[tuple[np.ndarray, np.ndarray], ...]  # (slots, float32 score added to each), per segment


class TermCache:
    """Per snapshot: the contributions of query terms with long posting lists (the common words of
    questions, where the arithmetic costs), so a repeated term costs bm25s' one scatter-add. Bounded by
    postings held, oldest first out; a write makes a new snapshot, with an empty cache."""

    MIN_POSTINGS = 1000

    def __init__(self, max_postings: int = 16_000_000) -> None:
        self.max_postings = max_postings
        self._terms: dict[int, tuple[Contributions, int]] = {}
        self._held = 0

    def get(self, term: int) -> Contributions | None:
        hit = self._terms.get(term)
        return None if hit is None else hit[0]

    def put(self, term: int, parts: Contributions) -> None:
        size = sum(len(s) for s, _ in parts)
        if size < self.MIN_POSTINGS or size > self.max_postings:
            return
        while self._terms and self._held + size > self.max_postings:
            oldest = next(iter(self._terms))
            self._held -= self._terms.pop(oldest)[1]
        self._terms[term] = (parts, size)
        self._held += size


def contributions(segments: Sequence[Postings], term: int, live: np.ndarray, stats: Stats, all_live: bool) -> Contributions:
    hits = [seg.of(term) for seg in segments]
    if not all_live:
        hits = [(s[m], f[m]) for s, f in hits if len(s) for m in (live[s],)]
    df = sum(len(s) for s, _ in hits)
    if df == 0:
        return ()
    idf = float(np.float32(math.log(1 + (stats.n_docs - df + 0.5) / (df + 0.5))))  # bm25s keeps idf as float32
    out = []
    for slots, tf in hits:
        if len(slots):
            part = stats.norm[slots]  # float64, then tf / (norm + tf) · idf in place
            part += tf
            np.divide(tf, part, out=part)
            part *= idf
            out.append((slots, part.astype(np.float32)))
    return tuple(out)


def score(
    segments: Sequence[Postings], term_ids: Sequence[int], live: np.ndarray, stats: Stats, all_live: bool,
    cache: TermCache | None = None,
) -> np.ndarray:
    """BM25 of every slot for the query's term ids (duplicates count again, as in bm25s)."""
    out = np.zeros(len(live), dtype=np.float32)
    for term in term_ids:
        parts = cache.get(term) if cache is not None else None
        if parts is None:
            parts = contributions(segments, term, live, stats, all_live)
            if cache is not None:
                cache.put(term, parts)
        for slots, part in parts:
            np.add.at(out, slots, part)  # as bm25s: faster than out[slots] += part, same sums
    return out
