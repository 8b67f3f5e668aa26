"""Generate a scale corpus of about N chunks (our splitter's count) from the public datasets.

    python bench/scale_corpus.py --chunks 10000 [--datasets ../shared/datasets] [--out bench/.cache/corpus-10k]

Base documents, all real Vietnamese text: every ALQAC 2023 article (one file each, "<law> – Điều
<n>. <text>"), every UIT-ViNewsQA article (its paragraphs joined) and every UIT-ViQuAD paragraph
(titled by its Wikipedia article). That gives about 10k of our chunks. When more are asked for,
"variant" copies are added: copy r of a document keeps its sentences but rotates their order by a
seeded amount and tags the title with "(bản r)", so every copy has its own content hash (no
dedup shortcut), the vocabulary and term statistics stay those of real text, and BM25 posting
lists grow as they would with more documents. Files are written under `--out` (git-ignored),
never into the repository; a manifest records counts, so a later run reuses the folder.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CACHE, DEFAULT_DATASETS, load_alqac, squad_contexts  # noqa: E402


def base_documents(datasets: Path) -> list[tuple[str, str]]:
    """(file stem, text) of every base document."""
    docs: list[tuple[str, str]] = []
    articles, _ = load_alqac(datasets)
    for i, a in enumerate(articles):
        docs.append((f"alqac-{i:05d}", a.document_text()))
    by_title: dict[str, list[str]] = {}
    for title, ctx in squad_contexts(datasets / "vinewsqa" / "dev_ViNewsQA.json"):
        by_title.setdefault(title, []).append(ctx)
    for i, (title, paras) in enumerate(by_title.items()):
        docs.append((f"vinewsqa-{i:04d}", (title + "\n\n" if title else "") + "\n\n".join(paras)))
    for i, (title, ctx) in enumerate(squad_contexts(datasets / "viquad1" / "dev_ViQuAD.json")):
        docs.append((f"viquad-{i:04d}", f"{title.replace('_', ' ')}\n\n{ctx}"))
    return docs


_SENT = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ0-9\"“])")


def variant(text: str, r: int) -> str:
    """Copy r: same first line (tagged), sentences rotated by a seeded amount."""
    head, _, body = text.partition("\n")
    sentences = _SENT.split(body.strip()) if body.strip() else _SENT.split(head)
    if len(sentences) > 1:
        shift = random.Random(r * 7919 + len(text)).randrange(1, len(sentences))
        sentences = sentences[shift:] + sentences[:shift]
    return f"{head} (bản {r})\n" + " ".join(sentences)


def count_chunks(text: str) -> int:
    from ingestion.clean import clean_text
    from ingestion.split import split_text

    return len(split_text(clean_text(text)))


def generate(datasets: Path, out: Path, target: int) -> dict[str, int]:
    manifest = out / "manifest.json"
    if manifest.exists():
        meta = json.loads(manifest.read_text())
        if meta.get("target") == target:
            return meta  # type: ignore[no-any-return]
    docs_dir = out / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    for old in docs_dir.glob("*.txt"):
        old.unlink()
    base = base_documents(datasets)
    sizes = [count_chunks(t) for _, t in base]
    total, files, chars, r = 0, 0, 0, 0
    while total < target:
        for (stem, text), n in zip(base, sizes, strict=True):
            if total >= target:
                break
            body = text if r == 0 else variant(text, r)
            name = stem if r == 0 else f"{stem}-v{r}"
            (docs_dir / f"{name}.txt").write_text(body, encoding="utf-8")
            total += n if r == 0 else count_chunks(body)
            files += 1
            chars += len(body)
        r += 1
    meta = {"target": target, "chunks_estimate": total, "files": files, "chars": chars, "copies": r}
    manifest.write_text(json.dumps(meta))
    return meta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    out = args.out or CACHE / f"corpus-{args.chunks // 1000}k"
    print(json.dumps(generate(args.datasets, out, args.chunks)))


if __name__ == "__main__":
    main()
