"""Load and validate a test set (DESIGN.md, "Test set, JSON Lines").

Every line is checked before anything runs, and all problems are reported at once with their line
numbers: a typo on line 57 should not surface after 56 questions were already paid for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

KNOWN_TYPES = (
    "responsibility",
    "deadline",
    "date",
    "entity",
    "no-diacritics",
    "tone-style",
    "follow-up",
    "paraphrase",
    "unanswerable",
)


class TestsetError(ValueError):
    """The file cannot be used; `problems` lists `(line number, message)` pairs."""

    __test__ = False  # not a pytest class

    def __init__(self, path: Path | str, problems: list[tuple[int, str]]) -> None:
        self.path = str(path)
        self.problems = problems
        lines = "\n".join(f"  line {n}: {msg}" for n, msg in problems)
        super().__init__(f"{self.path}: {len(problems)} invalid line(s)\n{lines}")


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str = Field(min_length=1)


class TestCase(BaseModel):
    """One question of the test set, exactly the DESIGN.md shape plus the optional `type`."""

    __test__ = False  # not a pytest class
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    history: list[Turn] = Field(default_factory=list)
    answerable: bool
    must_include: list[list[str]] = Field(default_factory=list)
    gold_sources: list[str] = Field(default_factory=list)
    gold_evidence: str = ""
    type: str | None = None

    @field_validator("question")
    @classmethod
    def _question_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question is blank")
        return value

    @field_validator("must_include")
    @classmethod
    def _groups_not_empty(cls, groups: list[list[str]]) -> list[list[str]]:
        for i, group in enumerate(groups):
            if not group or any(not alt.strip() for alt in group):
                raise ValueError(f"must_include group {i} is empty or has a blank alternative")
        return groups

    @model_validator(mode="after")
    def _consistent(self) -> TestCase:
        if self.answerable and not self.must_include:
            raise ValueError("an answerable question needs at least one must_include group")
        if self.answerable and not (self.gold_evidence.strip() or self.gold_sources):
            raise ValueError("an answerable question needs gold_evidence or gold_sources")
        if not self.answerable and self.must_include:
            raise ValueError("an unanswerable question must have an empty must_include")
        if self.history and self.history[-1].role != "assistant":
            raise ValueError("history must end with an assistant turn (the question is the next user turn)")
        return self


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        msg = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def parse_lines(lines: Iterable[str], path: Path | str = "<testset>") -> list[TestCase]:
    """Parse JSON Lines text; blank lines and `#` comments are skipped. Raises `TestsetError`."""
    cases: list[TestCase] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append((number, f"not valid JSON ({exc.msg} at column {exc.colno})"))
            continue
        if not isinstance(data, dict):
            problems.append((number, "expected a JSON object"))
            continue
        try:
            case = TestCase.model_validate(data)
        except ValidationError as exc:
            problems.append((number, _describe(exc)))
            continue
        if case.id in seen:
            problems.append((number, f"duplicate id {case.id!r} (first on line {seen[case.id]})"))
            continue
        seen[case.id] = number
        cases.append(case)
    if problems:
        raise TestsetError(path, problems)
    if not cases:
        raise TestsetError(path, [(0, "the test set has no questions")])
    return cases


def load_testset(path: Path | str) -> list[TestCase]:
    """Read and validate a whole test set file (UTF-8, with or without a BOM)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TestsetError(p, [(0, f"not UTF-8 text ({exc.reason})")]) from exc
    return parse_lines(text.splitlines(), p)
