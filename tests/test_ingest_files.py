"""ingestion.pipeline.ingest_files: the one way files get in, for `qa ingest` and for uploads alike —
one batch under the writer lock, one outcome per file in input order, the index visible at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingestion import pipeline, uploads
from ingestion.outcomes import FileOutcome
from ingestion.pipeline import SourceFile, ingest_files, ingest_paths
from ingestion.uploads import ingest_named
from tests.test_api_documents import NEW_PLAN
from vectorstore.analyzer import analyze
from vectorstore.store import IndexStore


def plan(n: int) -> bytes:
    return NEW_PLAN.replace("74/KH-UBND", f"{n}/KH-UBND").encode()


@pytest.fixture
def upserts(core_store: IndexStore, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many documents each store write carried."""
    calls: list[int] = []
    real = core_store.upsert_documents

    def spy(docs: list[Any], *args: Any) -> Any:
        calls.append(len(docs))
        return real(docs, *args)

    monkeypatch.setattr(core_store, "upsert_documents", spy)
    return calls


def test_an_upload_of_several_files_is_one_batch(core_store: IndexStore, upserts: list[int]) -> None:
    summary = ingest_named(core_store, [("a.txt", plan(1)), ("b.txt", plan(2)), ("c.txt", plan(3))])
    assert [o.status for o in summary.outcomes] == ["added"] * 3
    assert [o.path for o in summary.outcomes] == ["a.txt", "b.txt", "c.txt"]
    assert upserts == [3]  # one embedding pass and one Chroma call, as `qa ingest` writes a folder
    hits, _ = core_store.lexical_search(analyze("Kế hoạch 2/KH-UBND", mode="query"), 1)
    assert hits and hits[0][0].startswith(summary.outcomes[1].doc_id or "?")  # visible when the call returns


def test_a_name_twice_in_one_upload_is_judged_after_the_first_is_written(core_store: IndexStore) -> None:
    out = ingest_named(core_store, [("x.txt", plan(1)), ("x.txt", plan(2)), ("y.txt", plan(3))]).outcomes
    assert [o.status for o in out] == ["added", "conflict", "added"]
    assert out[1].doc_id == out[0].doc_id
    out = ingest_named(core_store, [("x.txt", plan(4)), ("x.txt", plan(5))], replace=True).outcomes
    assert [o.status for o in out] == ["updated", "updated"] and core_store.registry.counts()[0] == 2


def test_outcomes_keep_input_order_whatever_is_decided_when(core_store: IndexStore, tmp_path: Path) -> None:
    def unreadable() -> bytes:
        raise PermissionError(13, "Permission denied")

    ingest_named(core_store, [("same.txt", plan(9))])
    files: list[SourceFile | FileOutcome] = [
        SourceFile("new.txt", "new.txt", lambda: plan(10)),
        FileOutcome("gone.txt", "skipped", reason="no such file or folder"),
        SourceFile("same.txt", "same.txt", lambda: plan(9), doc_id=core_store.registry.find_by_source("same.txt")[0][0]),
        SourceFile("locked.txt", "locked.txt", unreadable),
        SourceFile("empty.txt", "empty.txt", lambda: b""),
        SourceFile("twin.txt", "twin.txt", lambda: plan(10)),
    ]
    out = ingest_files(core_store, files).outcomes
    assert [(o.path, o.status) for o in out] == [
        ("new.txt", "added"), ("gone.txt", "skipped"), ("same.txt", "unchanged"), ("locked.txt", "skipped"),
        ("empty.txt", "skipped"), ("twin.txt", "skipped"),
    ]
    assert out[3].reason == "cannot read: Permission denied" and "same content as new.txt" in (out[5].reason or "")


def test_the_cli_and_the_upload_route_share_it(core_store: IndexStore, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    real = pipeline.ingest_files

    def spy(store: IndexStore, files: Any, **kwargs: Any) -> Any:
        seen.append([f.path for f in files])
        return real(store, files, **kwargs)

    monkeypatch.setattr(pipeline, "ingest_files", spy)
    monkeypatch.setattr(uploads, "ingest_files", spy)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "k.txt").write_bytes(plan(20))
    ingest_paths(core_store, [tmp_path / "docs"])
    from ingestion.limits import UNLIMITED
    from qa_service.api.uploads import ingest_uploads

    ingest_uploads(core_store, [("u.txt", plan(21))], False, UNLIMITED)
    assert seen == [[str((tmp_path / "docs" / "k.txt").resolve())], ["u.txt"]]
    assert core_store.registry.counts()[0] == 2 and core_store.chunk_count() == len(core_store.registry.chunk_ids())
