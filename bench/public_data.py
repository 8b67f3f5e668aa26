"""Public Vietnamese QA benchmarks as documents + questions, read in place (never copied).

- ALQAC 2023 (`law.json` + `train.json`): each law article is a document, headed by the law's
  name and `Điều N.` as in a real statute (the header also keeps two articles with the same text
  apart); a question is relevant to its gold article(s). Free-text (`Tự luận`) answers are checked
  by containment; yes/no and multiple-choice answers are letters or labels, so they are not.
- SQuAD-format files (UIT-ViNewsQA, UIT-ViQuAD): each context is a document, relevant to its own
  questions; `group` is the article (title) for article-level scores. Answers are matched by text,
  not by offset (about 0.5% of offsets are wrong in these files).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vectorstore.analyzer import match_key

SQUAD_FILES = {"vinewsqa": "dev_ViNewsQA.json", "viquad1": "dev_ViQuAD.json"}
BENCHMARKS = ("alqac23", *SQUAD_FILES)


@dataclass(frozen=True)
class BenchDocument:
    key: str  # stable id within the benchmark, e.g. "Luật Viên chức#29" or "viquad1/3/0"
    title: str
    text: str
    group: str  # the article a context belongs to (same as key for ALQAC)

    @property
    def filename(self) -> str:
        """The name it is ingested under; the store reports it back as the citation's `source`."""
        return f"bench_{hashlib.sha1(self.key.encode()).hexdigest()[:16]}.txt"

    def file_text(self) -> str:
        return f"{self.title}\n\n{self.text}\n"


@dataclass(frozen=True)
class BenchQuestion:
    id: str
    question: str
    gold: frozenset[str]  # document keys
    answers: tuple[str, ...] = ()  # acceptable answer texts; empty = not checked
    kind: str = ""


@dataclass
class Benchmark:
    name: str
    documents: list[BenchDocument]
    questions: list[BenchQuestion]
    groups: dict[str, str] = field(default_factory=dict)  # document key -> group

    def __post_init__(self) -> None:
        self.groups = {d.key: d.group for d in self.documents}

    def by_filename(self) -> dict[str, BenchDocument]:
        return {d.filename: d for d in self.documents}


class DatasetMissingError(FileNotFoundError):
    """The public data is not where it was said to be (it is never shipped with the repo)."""


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise DatasetMissingError(f"{path} not found (public datasets are read in place, see datasets/README.md)")
    return json.loads(path.read_text(encoding="utf-8"))


def load_alqac(folder: Path) -> Benchmark:
    laws = _read_json(Path(folder) / "law.json")
    train = _read_json(Path(folder) / "train.json")
    documents = [
        BenchDocument(
            key=f"{law['id']}#{article['id']}",
            title=f"{law['id']} - Điều {article['id']}",
            text=f"Điều {article['id']}. {article['text'].strip()}",
            group=f"{law['id']}#{article['id']}",
        )
        for law in laws
        for article in law["articles"]
    ]
    questions = []
    for item in train:
        gold = frozenset(f"{a['law_id']}#{a['article_id']}" for a in item["relevant_articles"])
        free_text = item.get("question_type") == "Tự luận" and str(item.get("answer", "")).strip()
        answers = (str(item["answer"]).strip(),) if free_text else ()
        questions.append(BenchQuestion(item["question_id"], item["text"], gold, answers, item.get("question_type", "")))
    return Benchmark("alqac23", documents, questions)


def load_squad(path: Path, name: str | None = None) -> Benchmark:
    data = _read_json(Path(path))
    name = name or Path(path).stem
    documents: list[BenchDocument] = []
    questions: list[BenchQuestion] = []
    for a, article in enumerate(data["data"]):
        title = str(article.get("title") or f"{name} {a}")
        for p, paragraph in enumerate(article["paragraphs"]):
            key = f"{name}/{a}/{p}"
            documents.append(BenchDocument(key, title, paragraph["context"].strip(), group=f"{name}/{a}"))
            for qa in paragraph["qas"]:
                if qa.get("is_impossible"):
                    continue
                answers = tuple(dict.fromkeys(x["text"].strip() for x in qa.get("answers", []) if x["text"].strip()))
                questions.append(BenchQuestion(str(qa["id"]), qa["question"], frozenset({key}), answers, "extractive"))
    return Benchmark(name, documents, questions)


def load_benchmark(name: str, datasets_dir: Path) -> Benchmark:
    """`alqac23`, `vinewsqa` or `viquad1` from the shared datasets folder."""
    if name == "alqac23":
        return load_alqac(Path(datasets_dir) / "alqac23")
    if name in SQUAD_FILES:
        return load_squad(Path(datasets_dir) / name / SQUAD_FILES[name], name)
    raise ValueError(f"unknown benchmark {name!r}; expected one of {', '.join(BENCHMARKS)}")


def answer_contained(text: str, answers: tuple[str, ...]) -> bool:
    """Any gold answer inside `text`, compared with the analyzer's `match_key`."""
    key = match_key(text)
    return any(match_key(a) in key for a in answers)
