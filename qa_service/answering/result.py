"""What an answerer returns: the text with `[n]` markers, its citations, and why it abstained."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qa_service.citations import CitationBuilder


@dataclass
class Answer:
    text: str
    abstained: bool
    citations: CitationBuilder
    reason: str = ""
    debug: dict[str, Any] = field(default_factory=dict)
