"""Backup and restore of one index: registry, Chroma's embedded folder, lexical index, manifest.

A backup is taken under the writer lock, so no write is half-done in what is copied; SQLite files
(the registry, Chroma's own database) go through SQLite's online backup API, which gives a
consistent snapshot even while readers hold them open. With a Chroma server (`QA_CHROMA_URL`) the
vectors are the server's to back up: the backup holds the registry and the lexical index only, and
a restore marks the index dirty so the next writer puts back any vector the server lacks (from the
registry's embedding cache, nothing is re-embedded).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vectorstore.errors import QAError
from vectorstore.registry import Registry
from vectorstore.store import IndexStore, WriterLock

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
REGISTRY = "registry.sqlite3"
PARTS = (REGISTRY, "chroma", "lexical")


class BackupError(QAError):
    code = "backup_error"


def _sqlite_copy(src: Path, dst: Path) -> None:
    """SQLite's online backup API: a consistent copy even with the source open elsewhere."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30.0)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        target.close()
        source.close()


def _copy_tree(src: Path, dst: Path) -> None:
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_dir():
            (dst / rel).mkdir(parents=True, exist_ok=True)
        elif path.name.endswith(("-wal", "-shm", "-journal")):
            continue  # the database beside them is copied through the backup API
        elif path.suffix == ".sqlite3":
            _sqlite_copy(path, dst / rel)
        else:
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dst / rel)


def _checksums(root: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST):
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        out[path.relative_to(root).as_posix()] = digest.hexdigest()
    return out


def _counts(registry_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{registry_path}?mode=ro", uri=True)
    try:
        docs = int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        chunks = int(conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
        row = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        return {"documents": docs, "chunks": chunks, "registry_version": int(row[0]) if row else 0}
    finally:
        conn.close()


def backup_index(store: IndexStore, dest: Path, *, server_mode: bool = False) -> dict[str, Any]:
    """Copy the index into the empty (or new) folder `dest`; returns the manifest written there."""
    dest = Path(dest)
    if not isinstance(store.registry.path, Path):
        raise BackupError(
            "The registry and conversations live in PostgreSQL (QA_DATABASE_URL): back them up with the "
            "database's own tools (`pg_dump --format=custom`, or the operator's base backups and WAL archive), and "
            "the vectors with the Chroma server's persist directory; see docs/scaling.md, 'What to back up'.")
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"The backup folder {dest} is not empty; choose a new folder.")
    with store.writer_lock:
        store.open_for_writing()  # a crashed writer's leftovers are repaired, not copied
        store.refresh(persist=True)  # the lexical index on disk matches the registry
        tmp = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            _sqlite_copy(store.registry.path, tmp / REGISTRY)
            if not server_mode:
                _copy_tree(store.data_dir / "chroma", tmp / "chroma")
            if (store.data_dir / "lexical").is_dir():
                _copy_tree(store.data_dir / "lexical", tmp / "lexical")
            manifest = {
                "format_version": FORMAT_VERSION,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "embeddings_id": store.embeddings_id,
                "chroma": "server" if server_mode else "embedded",
                "vectors": 0 if server_mode else store.collection.count(),
                **_counts(tmp / REGISTRY),
                "files": _checksums(tmp),
            }
            (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            if dest.exists():
                dest.rmdir()
            os.replace(tmp, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def verify_backup(src: Path) -> dict[str, Any]:
    """The manifest, once every file matches its checksum and the registry its counts."""
    path = Path(src) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{src} is not a backup: no {MANIFEST}.")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BackupError(f"{path} is not valid JSON: {exc}") from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Unsupported backup format {manifest.get('format_version')!r} (expected {FORMAT_VERSION}).")
    actual = _checksums(Path(src))
    expected = manifest.get("files") or {}
    bad = sorted(k for k in set(expected) | set(actual) if expected.get(k) != actual.get(k))
    if bad:
        raise BackupError(f"The backup at {src} is damaged or incomplete: {', '.join(bad[:5])}")
    counts = _counts(Path(src) / REGISTRY)
    if any(counts[k] != manifest.get(k) for k in counts):
        raise BackupError(f"The backup's registry does not match its manifest ({counts}).")
    return manifest


def index_is_empty(data_dir: Path) -> bool:
    reg = Path(data_dir) / REGISTRY
    if not reg.exists():
        return True
    try:
        return _counts(reg)["chunks"] == 0 and _counts(reg)["documents"] == 0
    except sqlite3.Error:
        return False


def restore_index(
    src: Path, data_dir: Path, *, force: bool = False, server_mode: bool = False, embeddings_id: str | None = None
) -> dict[str, Any]:
    """Replace the index in `data_dir` with the backup in `src` (verified first; with `embeddings_id`,
    refused when the backup was made with another model). Stop the servers using `data_dir` first:
    they hold the old files open."""
    manifest = verify_backup(src)
    if embeddings_id is not None and manifest.get("embeddings_id") != embeddings_id:
        raise BackupError(
            f"The backup was made with embeddings '{manifest.get('embeddings_id')}', but the current setting "
            f"gives '{embeddings_id}': set QA_EMBEDDINGS (and QA_EMBEDDINGS_MODEL) back before restoring."
        )
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with WriterLock(data_dir / "writer.lock", timeout=5.0):
        if not force and not index_is_empty(data_dir):
            raise BackupError(
                f"The index at {data_dir} is not empty; restore into an empty QA_DATA_DIR or pass --force "
                "to replace it."
            )
        if manifest["chroma"] == "embedded" and not server_mode and not (Path(src) / "chroma").is_dir():
            raise BackupError(f"The backup at {src} has no Chroma folder.")
        staged = data_dir / f".restore-{os.getpid()}-{int(time.time())}"
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir()
        try:
            for part in PARTS:
                if part == "chroma" and server_mode:
                    continue
                if (Path(src) / part).is_dir():
                    shutil.copytree(Path(src) / part, staged / part)
                elif (Path(src) / part).is_file():
                    shutil.copy2(Path(src) / part, staged / part)
            for part in PARTS:
                if part == "chroma" and server_mode:
                    continue
                target = data_dir / part
                for suffix in ("-wal", "-shm"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
                if (staged / part).exists():
                    os.replace(staged / part, target)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
        if server_mode or manifest["chroma"] == "server":
            registry = Registry(data_dir / REGISTRY)
            try:  # the next writer reconciles the server's collection with the restored registry
                registry.set_meta("dirty", "1")
            finally:
                registry.close()
    return manifest
