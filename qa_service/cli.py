"""The `qa` command: ingest, remove, ask, serve, eval, reindex (contract in DESIGN.md)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from qa_service.eval.cli import eval_command
from qa_service.settings import Settings, get_settings
from vectorstore.errors import QAError

if TYPE_CHECKING:
    from ingestion.pipeline import IngestSummary
    from vectorstore.backend import IndexLock

app = typer.Typer(help="Hỏi đáp văn bản tiếng Việt — Vietnamese document QA.", no_args_is_help=True)
app.command("eval", help="Run a JSONL test set in process or against --url; write reports.")(eval_command)
console = Console(stderr=True)


def _fail(message: str, code: int = 1) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


# A second writer is refused after this long; the server's own writes hold the lock for seconds at most.
EARLY_LOCK_TIMEOUT = 1.0


@contextmanager
def writing(settings: Settings) -> Iterator[IndexLock]:
    """The index's writer lock, taken before the model, Chroma and the ingestion pipeline are loaded
    (seconds on a busy machine): a second writer is refused at once, and the store reuses this lock."""
    from vectorstore.backend import make_writer_lock

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with make_writer_lock(settings.data_dir, settings.database_url, timeout=EARLY_LOCK_TIMEOUT) as lock:
        yield lock


def _ingest(settings: Settings, lock: IndexLock, paths: list[Path], json_out: bool) -> IngestSummary:
    from ingestion.pipeline import ingest_paths
    from qa_service.service import build_store

    store = build_store(settings, writer_lock=lock)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=json_out or not sys.stderr.isatty()) as bar:
        task = bar.add_task("ingesting", total=None)

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=f"ingesting {name[:40]}")

        return ingest_paths(store, paths, progress=progress)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (recursive).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Ingest files; unchanged files do no work, changed files replace their old chunks."""
    missing = [str(p) for p in paths if not p.exists()]
    settings = get_settings()
    try:
        with writing(settings) as lock:
            summary = _ingest(settings, lock, paths, json_out)
    except QAError as exc:
        _fail(exc.message)
        return
    if json_out:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
    else:
        d = summary.as_dict()
        console.print(
            f"{d['files']} files: {d['added']} added, {d['updated']} updated, {d['unchanged']} unchanged, "
            f"{d['skipped']} skipped; {d['chunks']} chunks written in {d['seconds']:.2f}s"
        )
        for kind, row in summary.by_kind().items():
            console.print(f"  {kind}: {row['documents']} documents, {row['chunks']} chunks, {row['tasks']} tasks")
        for o in summary.skipped:
            console.print(f"  [yellow]skipped[/yellow] {o.path}: {o.reason}")
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}")


@app.command()
def remove(target: Annotated[str, typer.Argument(help="Document id or the path it was ingested from.")]) -> None:
    """Delete a document everywhere (vectors, lexical index, registry)."""
    settings = get_settings()
    try:
        with writing(settings) as lock:
            from ingestion.pipeline import remove as remove_doc
            from qa_service.service import build_store

            outcome = remove_doc(build_store(settings, writer_lock=lock), target)
    except QAError as exc:
        _fail(exc.message)
        return
    console.print(f"removed {outcome.doc_id} ({outcome.chunks} chunks)")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Câu hỏi tiếng Việt.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the response object as JSON.")] = False,
    top_k: Annotated[int | None, typer.Option(min=1, max=20)] = None,
) -> None:
    """Answer one question from the indexed documents, with its sources."""
    from pydantic import ValidationError

    from qa_service.schemas import ChatRequest
    from qa_service.service import build_service

    try:
        request = ChatRequest(message=question, top_k=top_k)
    except ValidationError as exc:
        _fail(exc.errors()[0]["msg"], code=2)
        return
    try:
        service = build_service(get_settings())
        started = time.perf_counter()
        response = service.answer(request)
    except QAError as exc:
        _fail(exc.message)
        return
    if json_out:
        print(response.model_dump_json(indent=2))
        return
    print(response.answer)
    if response.citations:
        print("\nNguồn:" if not response.abstained else "\nCác đoạn gần nhất để bạn kiểm tra:")
    for c in response.citations:
        date = f", {c.published}" if c.published else ""
        snippet = " ".join(c.snippet.split())
        print(f"[{c.index}] {c.title} ({c.source}{date}) ký tự {c.start}–{c.end}\n    “{snippet[:300]}”")
    console.print(f"[dim]{(time.perf_counter() - started) * 1000:.0f} ms[/dim]")


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Serve the chat page and the HTTP API."""
    import uvicorn

    from qa_service.api.server_protocol import HeadTimeoutH11Protocol

    settings = get_settings()
    # h11 bounds a request head's size (httptools accepted 1 MB of headers), the protocol its time.
    uvicorn.run("qa_service.api.app:create_app", host=host, port=port, workers=workers, factory=True,
                log_level=settings.log_level.lower(), timeout_graceful_shutdown=20, http=HeadTimeoutH11Protocol,
                h11_max_incomplete_event_size=settings.max_header_kb * 1024, timeout_keep_alive=5)


@app.command()
def reindex() -> None:
    """Re-embed every chunk with the configured embedding model (after changing QA_EMBEDDINGS)."""
    from qa_service.service import build_store

    try:
        store = build_store(get_settings(), allow_model_change=True)
        with store.writer_lock:
            n = store.reembed()
    except QAError as exc:
        _fail(exc.message)
        return
    console.print(f"re-embedded {n} chunks with {store.embeddings_id}")


@app.command()
def backup(dest: Annotated[Path, typer.Argument(help="A new (or empty) folder for the backup.")]) -> None:
    """Back up the index (registry, Chroma, lexical index) under the writer lock, with a manifest."""
    from qa_service.service import build_store
    from vectorstore.backup import backup_index

    settings = get_settings()
    if settings.database_url:
        _fail("QA_DATABASE_URL is set: back up the PostgreSQL database with pg_dump (or the operator's base backups) "
              "and the Chroma server's directory; see docs/scaling.md, 'What to back up'.")
    server_mode = bool(settings.chroma_url)
    if server_mode:
        console.print(
            f"[yellow]note:[/yellow] vectors live on the Chroma server ({settings.chroma_url}); backing them up is "
            "the server's job (snapshot its persist directory). This backup holds the registry and the lexical "
            "index only; after a restore, the next writer puts back any vector the server lacks from the "
            "registry's embedding cache."
        )
    try:
        manifest = backup_index(build_store(settings), dest, server_mode=server_mode)
    except QAError as exc:
        _fail(exc.message)
        return
    except ValueError as exc:  # chromadb: "Could not connect to a Chroma server"
        _fail(str(exc))
        return
    console.print(
        f"backed up {manifest['documents']} documents, {manifest['chunks']} chunks "
        f"({manifest['embeddings_id']}, Chroma {manifest['chroma']}) to {dest}"
    )


@app.command()
def restore(
    src: Annotated[Path, typer.Argument(help="A folder written by `qa backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace a non-empty index.")] = False,
) -> None:
    """Restore a backup into QA_DATA_DIR (verified first; stop servers using the index before)."""
    from vectorstore.backup import restore_index
    from vectorstore.embeddings import embeddings_id, make_embeddings
    from vectorstore.store import IndexStore

    settings = get_settings()
    if settings.database_url:
        _fail("QA_DATABASE_URL is set: restore the PostgreSQL database with pg_restore, then the Chroma server's "
              "directory, or run `qa reindex` to refill the collection from the embedding cache (docs/scaling.md).")
    server_mode = bool(settings.chroma_url)
    try:
        embeddings = make_embeddings(settings.embeddings, settings.embeddings_model)
        manifest = restore_index(src, settings.data_dir, force=force, server_mode=server_mode,
                                 embeddings_id=embeddings_id(embeddings))
        store = IndexStore(settings.data_dir, embeddings, chroma_url=settings.chroma_url)
        with store.writer_lock:
            store.open_for_writing()  # server mode: the collection is reconciled with the registry
        vectors = store.collection.count()
        store.close()
    except QAError as exc:
        _fail(exc.message)
        return
    except ValueError as exc:  # chromadb: "Could not connect to a Chroma server"
        _fail(str(exc))
        return
    if server_mode:
        console.print("[yellow]note:[/yellow] Chroma server data is not part of the backup; the collection "
                      "was reconciled with the restored registry.")
    console.print(
        f"restored {manifest['documents']} documents, {manifest['chunks']} chunks ({vectors} vectors) "
        f"from the backup of {manifest['created']} into {settings.data_dir}"
    )


@app.command()
def migrate(
    to: Annotated[str, typer.Option("--to", help="Only 'postgresql': into QA_DATABASE_URL (vectors to QA_CHROMA_URL).")],
) -> None:
    """Copy the embedded index under QA_DATA_DIR (registry, conversations, vectors) into PostgreSQL, verified."""
    from qa_service.migrate import migrate_to_postgresql

    if to != "postgresql":
        _fail(f"unknown target '{to}': only 'postgresql' is supported", code=2)
    try:
        counts = migrate_to_postgresql(get_settings())
    except QAError as exc:
        _fail(exc.message)
        return
    console.print("migrated and verified: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
