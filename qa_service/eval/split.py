"""Split a test set into a tuning part and a held-out part, by document, with a fixed seed.

Splitting by document (not by question) keeps every question about one document on one side,
so a rule tuned on a document's wording cannot lift its held-out twin. Unanswerable questions
name no gold document: they are split by a hash of their id, with the same seed.

    python -m qa_service.eval.split ../shared/corpus-official/dev_qa.jsonl --out artifacts/official
writes `tuning.jsonl` and `heldout.jsonl` (lines copied as they are) and prints the counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

from qa_service.eval.testset import parse_lines

SEED = 20261128
HELDOUT_SHARE = 0.4


def split_lines(lines: list[str], seed: int = SEED, heldout_share: float = HELDOUT_SHARE) -> tuple[list[str], list[str]]:
    """(tuning, held-out) lines; the input is validated first."""
    kept = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    parse_lines(kept)  # refuse an invalid set before splitting it
    rows = [json.loads(ln) for ln in kept]
    docs = sorted({r["gold_sources"][0] for r in rows if r.get("gold_sources")})
    rng = random.Random(seed)
    rng.shuffle(docs)
    heldout_docs = set(docs[: round(len(docs) * heldout_share)])
    tuning: list[str] = []
    heldout: list[str] = []
    for line, row in zip(kept, rows, strict=True):
        if row.get("gold_sources"):
            held = row["gold_sources"][0] in heldout_docs
        else:
            digest = hashlib.sha256(f"{seed}:{row['id']}".encode()).digest()
            held = digest[0] / 256 < heldout_share
        (heldout if held else tuning).append(line.rstrip("\n"))
    return tuning, heldout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("testset", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--heldout-share", type=float, default=HELDOUT_SHARE)
    args = parser.parse_args(argv)
    tuning, heldout = split_lines(args.testset.read_text(encoding="utf-8").splitlines(), args.seed, args.heldout_share)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, part in (("tuning", tuning), ("heldout", heldout)):
        (args.out / f"{name}.jsonl").write_text("\n".join(part) + "\n", encoding="utf-8")
    print(f"tuning {len(tuning)} · held-out {len(heldout)} questions → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
