"""BM25 over analyzer tokens (syllables, bigrams, folded twins, whole document numbers and dates).

The index is derived data, stamped with the registry version it reflects. A write no longer rebuilds
it (22 s at 100k chunks): `apply` masks the changed documents' old slots and appends their new chunks
as a small delta segment, scored with the statistics of the whole live collection (`vectorstore.bm25`),
so results equal a from-scratch build. When the delta or the dead slots grow past a share of the main
segment, both are compacted into a new main segment (vectorised, no re-tokenising; seconds at 100k
chunks, so the reader does it in the background, `needs_merge`). Every change makes a new
`LexicalIndex` sharing the unchanged arrays: a query keeps the snapshot it started with.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from vectorstore.bm25 import Postings, Stats, TermCache, compact, postings_of, score, term_counts
from vectorstore.lexical_files import load_state, save_state

__all__ = ["LexicalIndex"]

Row = tuple[str, str, list[str]]  # chunk id, doc id, tokens
MERGE_SHARE = 0.1  # compact when the delta (or the dead slots) passes this share of the main segment…
MERGE_MIN = 2000  # …and this many slots: a small delta costs little per query


@dataclass(eq=False)
class LexicalIndex:
    k1: float = 1.2
    b: float = 0.75
    version: int = -1
    vocab: dict[str, int] = field(default_factory=dict)  # append-only, shared by snapshots
    main: Postings = field(default_factory=Postings.empty)
    delta: Postings = field(default_factory=Postings.empty)
    n_main: int = 0  # slots [0, n_main) are the main segment's, the rest the delta's
    slot_ids: list[str] = field(default_factory=list)
    slot_docs: list[str] = field(default_factory=list)
    doc_len: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    live: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    delta_rows: list[tuple[int, np.ndarray, np.ndarray]] = field(default_factory=list)  # to rebuild the delta
    generation: str = ""  # names the main segment on disk, so a save can reuse its files

    def __len__(self) -> int:
        return self.stats.n_docs

    # --- derived, per snapshot ---------------------------------------------------------------------
    @cached_property
    def stats(self) -> Stats:
        return Stats.of(self.doc_len, self.live, self.k1, self.b)

    @cached_property
    def term_cache(self) -> TermCache:
        return TermCache()

    @cached_property
    def all_live(self) -> bool:
        return bool(self.live.all())

    @cached_property
    def slot_of(self) -> dict[str, int]:
        return {cid: i for i, cid in enumerate(self.slot_ids) if self.live[i]}

    @cached_property
    def by_doc(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, doc in enumerate(self.slot_docs):
            if self.live[i]:
                out.setdefault(doc, []).append(i)
        return out

    @cached_property
    def live_slots(self) -> np.ndarray:
        return np.flatnonzero(self.live)

    @cached_property
    def chunk_ids(self) -> list[str]:
        """Live chunk ids in slot order (the order of `scores`)."""
        return self.slot_ids if self.all_live else [self.slot_ids[i] for i in self.live_slots]

    @property
    def positions(self) -> dict[str, int]:
        return self.slot_of if self.all_live else {cid: i for i, cid in enumerate(self.chunk_ids)}

    # --- building and changing ---------------------------------------------------------------------
    def build(self, items: Iterable[tuple[str, list[str]] | Row], version: int) -> None:
        """From scratch: (chunk id, tokens) or (chunk id, doc id, tokens) rows."""
        fresh = LexicalIndex(self.k1, self.b)._with_rows([_row(item) for item in items], version)
        fresh = fresh.merged()
        self.__dict__.clear()
        self.__dict__.update(fresh.__dict__)

    def apply(self, changed_docs: Iterable[str], rows: Iterable[Row], version: int) -> LexicalIndex:
        """A new snapshot: the chunks of `changed_docs` replaced by `rows` (their current chunks, none
        for a deleted document), stamped `version`; this one is left as it is for running queries."""
        live = self.live.copy()
        by_doc = self.by_doc
        for doc in set(changed_docs):
            live[by_doc.get(doc, [])] = False
        out = replace(self, live=live, version=version)._with_rows(list(rows), version)
        # A bulk load (a delta larger than the main segment) is compacted at once: it costs what it adds.
        return out.merged() if len(out.slot_ids) - out.n_main > max(MERGE_MIN, out.n_main) else out

    @property
    def needs_merge(self) -> bool:
        limit = max(MERGE_MIN, int(MERGE_SHARE * self.n_main))
        return len(self.slot_ids) - self.n_main > limit or len(self.live) - int(self.live.sum()) > limit

    def _with_rows(self, rows: list[Row], version: int) -> LexicalIndex:
        """Append rows as delta slots (a copy of the slot tables; the main segment is shared)."""
        if not rows:
            return replace(self, version=version)
        vocab, base = self.vocab, len(self.slot_ids)
        new_rows = list(self.delta_rows)
        lengths = []
        for i, (_, _, tokens) in enumerate(rows):
            toks = tokens or [""]  # as bm25s: an empty chunk is one empty token long
            ids = [vocab.setdefault(t, len(vocab)) for t in toks]
            new_rows.append((base + i, *term_counts(ids)))
            lengths.append(len(toks))
        n_slots = base + len(rows)
        return replace(
            self, version=version, delta_rows=new_rows, delta=postings_of(new_rows, n_slots, len(vocab)),
            slot_ids=self.slot_ids + [r[0] for r in rows], slot_docs=self.slot_docs + [r[1] for r in rows],
            doc_len=np.concatenate([self.doc_len, np.asarray(lengths, dtype=np.int64)]),
            live=np.concatenate([self.live, np.ones(len(rows), dtype=bool)]),
        )

    def merged(self) -> LexicalIndex:
        """Main and delta compacted into one main segment, dead slots dropped (order kept)."""
        main, renumber = compact([self.main, self.delta], self.live, len(self.vocab))
        keep = np.flatnonzero(renumber >= 0)
        return LexicalIndex(
            self.k1, self.b, self.version, self.vocab, main, Postings.empty(), len(keep),
            [self.slot_ids[i] for i in keep], [self.slot_docs[i] for i in keep], self.doc_len[keep],
            np.ones(len(keep), dtype=bool), [], generation=uuid.uuid4().hex,
        )

    # --- querying ------------------------------------------------------------------------------------
    def slot_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 of every slot (dead ones 0) for the query tokens."""
        ids = [self.vocab[t] for t in tokens if t in self.vocab]
        if not ids or not len(self.live):
            return np.zeros(len(self.live), dtype=np.float32)
        return score((self.main, self.delta), ids, self.live, self.stats, self.all_live, self.term_cache)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk (in `chunk_ids` order) for the query tokens."""
        raw = self.slot_scores(tokens)
        return raw if self.all_live else raw[self.live_slots]

    def top(self, tokens: list[str], k: int) -> tuple[list[tuple[str, float]], np.ndarray]:
        """The k best chunks scoring above 0, best first, and every slot's score. Ranked over the live
        slots only: the order a rebuild from the registry would have, so even ties come out the same."""
        scores = self.slot_scores(tokens)
        ranked = scores if self.all_live else scores[self.live_slots]
        if not len(ranked) or k <= 0:
            return [], scores
        k = min(k, len(ranked))
        top = np.argpartition(-ranked, k - 1)[:k]
        top = top[np.argsort(-ranked[top], kind="stable")]
        ids = self.chunk_ids
        return [(ids[i], float(ranked[i])) for i in top if ranked[i] > 0], scores

    def search(self, tokens: list[str], k: int) -> list[tuple[str, float]]:
        return self.top(tokens, k)[0]

    # --- persistence (`vectorstore.lexical_files`: temp folder, then rename) ---------------------------
    def save(self, folder: Path) -> None:
        save_state(folder, self)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        return load_state(folder, cls)


def _row(item: tuple[str, list[str]] | Row) -> Row:
    return (item[0], item[0], item[1]) if len(item) == 2 else item  # type: ignore[return-value]

