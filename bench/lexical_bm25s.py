"""The lexical index as it was before the incremental one (bm25s, rebuilt from the registry after every
write): kept here, outside the product, as the "before" of `bench/lexical_write.py`."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import bm25s
import numpy as np

from vectorstore.lexical_files import swap_in


class LexicalIndex:
    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.version = -1
        self.chunk_ids: list[str] = []
        self.positions: dict[str, int] = {}
        self._bm25: bm25s.BM25 | None = None

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def build(self, items: Iterable[tuple[str, list[str]]], version: int) -> None:
        ids: list[str] = []
        # Token ids, not strings: at 100k chunks the token lists are ~50M entries, and one shared
        # int per vocabulary entry costs a pointer each where a string per token cost ~60 bytes.
        vocab: dict[str, int] = {}
        corpus: list[list[int]] = []
        for chunk_id, tokens in items:
            ids.append(chunk_id)
            corpus.append([vocab.setdefault(t, len(vocab)) for t in (tokens or [""])])
        bm25: bm25s.BM25 | None = None
        if corpus:
            vocab.setdefault("", len(vocab))  # bm25s scores empty queries through this token
            bm25 = bm25s.BM25(k1=self.k1, b=self.b)
            bm25.index((corpus, vocab), show_progress=False)
        self._bm25, self.chunk_ids, self.version = bm25, ids, version
        self.positions = {cid: i for i, cid in enumerate(ids)}

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk (in `chunk_ids` order) for the query tokens."""
        if self._bm25 is None or not tokens:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        known = [t for t in tokens if t in self._bm25.vocab_dict]
        if not known:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def search(self, tokens: list[str], k: int) -> list[tuple[str, float]]:
        scores = self.scores(tokens)
        if not len(scores):
            return []
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]

    # --- persistence: write to a temp folder, then rename, so a crash never leaves half a file --
    def save(self, folder: Path) -> None:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".lexical-", dir=folder.parent))
        try:
            if self._bm25 is not None:
                self._bm25.save(str(tmp / "bm25"))
            (tmp / "state.json").write_text(
                json.dumps({"version": self.version, "chunk_ids": self.chunk_ids, "k1": self.k1, "b": self.b})
            )
            swap_in(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        state_file = folder / "state.json"
        if not state_file.exists():
            return None
        try:
            state = json.loads(state_file.read_text())
            index = cls(k1=state["k1"], b=state["b"])
            index.chunk_ids = list(state["chunk_ids"])
            index.positions = {cid: i for i, cid in enumerate(index.chunk_ids)}
            index.version = int(state["version"])
            if index.chunk_ids:
                index._bm25 = bm25s.BM25.load(str(folder / "bm25"))
            return index
        except (OSError, ValueError, KeyError):
            return None  # unreadable derived data: the caller rebuilds it from the registry
