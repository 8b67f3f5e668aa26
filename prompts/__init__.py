"""Named, versioned prompt files (`<name>_v<version>.yaml`) loaded into `ChatPromptTemplate`s.

Prompts live in files, not code, so a reviewer can read and diff the exact wording, and every
variable is declared: a file whose template uses an undeclared variable fails to load.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from langchain_core.prompts import ChatPromptTemplate

PROMPTS_DIR = Path(__file__).parent


class PromptError(ValueError):
    """A prompt file is missing or its declared variables do not match its template."""


def prompt_path(name: str) -> Path:
    """`answer` → the highest `answer_v<N>.yaml`; `answer_v1` → exactly that file."""
    exact = PROMPTS_DIR / f"{name}.yaml"
    if exact.is_file():
        return exact
    versions = sorted(PROMPTS_DIR.glob(f"{name}_v*.yaml"), key=lambda p: int(p.stem.rsplit("_v", 1)[1]))
    if not versions:
        raise PromptError(f"no prompt named {name!r} in {PROMPTS_DIR}")
    return versions[-1]


def read_spec(name: str) -> dict[str, Any]:
    spec = yaml.safe_load(prompt_path(name).read_text(encoding="utf-8"))
    if not isinstance(spec, dict) or not spec.get("messages"):
        raise PromptError(f"prompt {name!r} has no messages")
    return spec


@lru_cache(maxsize=32)
def load_prompt(name: str) -> ChatPromptTemplate:
    spec = read_spec(name)
    template = ChatPromptTemplate.from_messages([(m["role"], m["content"]) for m in spec["messages"]])
    declared = set(spec.get("variables", []))
    used = set(template.input_variables)
    if declared != used:
        raise PromptError(f"prompt {name!r}: declared {sorted(declared)} but the template uses {sorted(used)}")
    return template
