"""The lexical index on disk: written to a temp folder, then renamed, so a crash never leaves half a copy.

The main segment's arrays only change at a merge; a save after a small write hard-links them from the
copy already there (same generation) and writes only the slot tables, the vocabulary and the delta.
Arrays are memory-mapped on load: a worker starts without reading them, and workers share the pages.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import scipy.sparse as sp

from vectorstore.bm25 import Postings

if TYPE_CHECKING:
    from vectorstore.lexical import LexicalIndex

L = TypeVar("L", bound="LexicalIndex")
FORMAT = 2  # 1 was bm25s' own folder (rebuilt from the registry when found)
_MAIN = ("main_indptr", "main_slots", "main_tf")


def swap_in(tmp: Path, folder: Path) -> None:
    """Put the complete folder `tmp` in `folder`'s place by renames, so a crash leaves the old copy or
    the new one, never half of either."""
    old = folder.with_name(folder.name + ".old")
    if folder.exists():
        os.replace(folder, old)
    os.replace(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)


def save_state(folder: Path, index: LexicalIndex) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".lexical-", dir=folder.parent))
    try:
        same_main = _generation(folder) == index.generation and index.generation != ""
        for name, array in zip(_MAIN, (index.main.indptr, index.main.slots, index.main.tf), strict=True):
            if same_main and (folder / f"{name}.npy").exists():
                os.link(folder / f"{name}.npy", tmp / f"{name}.npy")
            else:
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(array))
        for name, array in (("delta_indptr", index.delta.indptr), ("delta_slots", index.delta.slots),
                            ("delta_tf", index.delta.tf), ("doc_len", index.doc_len), ("live", index.live)):
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(array))
        terms = sorted(index.vocab, key=index.vocab.__getitem__)  # analyzer tokens hold no whitespace
        (tmp / "vocab.txt").write_text("\n".join(terms), encoding="utf-8")
        (tmp / "slots.json").write_text(json.dumps({"ids": index.slot_ids, "docs": index.slot_docs}))
        # Written last: a folder with a state.json is complete.
        (tmp / "state.json").write_text(json.dumps({
            "format": FORMAT, "version": index.version, "k1": index.k1, "b": index.b, "n_main": index.n_main,
            "generation": index.generation, "terms": len(terms),
        }))
        swap_in(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load_state(folder: Path, cls: type[L]) -> L | None:
    try:
        state = json.loads((folder / "state.json").read_text())
        if state.get("format") != FORMAT:
            return None
        terms = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n") if state["terms"] else []
        if len(terms) != state["terms"]:
            return None
        slots = json.loads((folder / "slots.json").read_text())

        def arr(name: str) -> np.ndarray:
            return np.load(folder / f"{name}.npy", mmap_mode="r" if name in _MAIN else None)

        main = Postings(*(arr(n) for n in _MAIN))
        delta = Postings(arr("delta_indptr"), arr("delta_slots"), arr("delta_tf"))
        index = cls(
            k1=float(state["k1"]), b=float(state["b"]), version=int(state["version"]),
            vocab={t: i for i, t in enumerate(terms)}, main=main, delta=delta, n_main=int(state["n_main"]),
            slot_ids=list(slots["ids"]), slot_docs=list(slots["docs"]), doc_len=arr("doc_len"), live=arr("live"),
            delta_rows=_rows(delta, len(slots["ids"])), generation=str(state["generation"]),
        )
        if not len(index.slot_ids) == len(index.slot_docs) == len(index.live) == len(index.doc_len):
            return None
        return index
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or unreadable derived data: the caller rebuilds it from the registry


def _generation(folder: Path) -> str:
    try:
        return str(json.loads((folder / "state.json").read_text()).get("generation", ""))
    except (OSError, ValueError, AttributeError):
        return ""


def _rows(delta: Postings, n_slots: int) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """The delta's (slot, term ids, counts) rows back from its postings (to append to it later)."""
    if not delta.size:
        return []
    m = sp.csc_matrix((delta.tf, delta.slots, delta.indptr), shape=(n_slots, delta.n_terms)).tocsr()
    return [(int(s), m.indices[m.indptr[s]:m.indptr[s + 1]].astype(np.int32),
             m.data[m.indptr[s]:m.indptr[s + 1]].astype(np.float32))
            for s in np.flatnonzero(np.diff(m.indptr))]
