"""The extractive answerer's phrasing, read from the versioned `phrases_v<N>.yaml` beside the prompts.

`phrase("issued_by", label=…, issuer=…, cite=…)` renders one phrase. A phrase whose text uses a field
it does not declare (or declares one it does not use) fails to load, and rendering with missing or extra
values fails loudly: the wording can be reviewed and changed in one file without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from string import Formatter
from typing import Any

import yaml

from prompts import PromptError, prompt_path


@dataclass(frozen=True)
class Phrase:
    key: str
    text: str
    fields: frozenset[str]


def used_fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def parse_phrases(spec: Any, name: str = "phrases") -> dict[str, Phrase]:
    entries = spec.get("phrases") if isinstance(spec, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise PromptError(f"{name!r} has no phrases")
    out: dict[str, Phrase] = {}
    for key, entry in entries.items():
        text, fields = entry.get("text"), set(entry.get("fields") or [])
        if not isinstance(text, str):
            raise PromptError(f"phrase {key!r} has no text")
        if used_fields(text) != fields:
            raise PromptError(f"phrase {key!r}: declares {sorted(fields)} but its text uses {sorted(used_fields(text))}")
        out[key] = Phrase(key, text, frozenset(fields))
    return out


@lru_cache(maxsize=4)
def load_phrases(name: str = "phrases") -> dict[str, Phrase]:
    return parse_phrases(yaml.safe_load(prompt_path(name).read_text(encoding="utf-8")), name)


def phrase(key: str, **values: Any) -> str:
    found = load_phrases().get(key)
    if found is None:
        raise PromptError(f"no phrase {key!r}")
    if set(values) != found.fields:
        raise PromptError(f"phrase {key!r} takes {sorted(found.fields)}, given {sorted(values)}")
    return found.text.format(**values)
