"""How much work one file may cost: pages, characters, seconds (uploads; `qa ingest` is unbounded).

Checked while the file is read (a PDF's page count before any text is extracted, characters and
time page by page) and between embedding batches; over a limit the file is skipped whole, with a
reason a person can act on, and nothing of it is written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from vectorstore.errors import LimitExceededError


@dataclass(frozen=True)
class Limits:
    pages: int | None = None
    chars: int | None = None
    seconds: float | None = None

    def budget(self) -> Budget:
        return Budget(self)


@dataclass
class Budget:
    """One file's share of the limits, its clock started when the file is picked up."""

    limits: Limits = field(default_factory=Limits)
    started: float = field(default_factory=time.monotonic)

    def pages(self, count: int) -> None:
        if self.limits.pages is not None and count > self.limits.pages:
            raise LimitExceededError(
                f"Tệp có {count} trang, vượt giới hạn {self.limits.pages} trang (QA_MAX_PAGES); "
                "tệp không được nạp. Hãy tách tệp thành các phần nhỏ hơn."
            )

    def chars(self, count: int) -> None:
        if self.limits.chars is not None and count > self.limits.chars:
            raise LimitExceededError(
                f"Tệp có hơn {self.limits.chars:,} ký tự (QA_MAX_CHARS); tệp không được nạp. "
                "Hãy tách tệp thành các phần nhỏ hơn.".replace(",", ".")
            )

    def time(self) -> None:
        seconds = self.limits.seconds
        if seconds is not None and time.monotonic() - self.started > seconds:
            raise LimitExceededError(
                f"Xử lý tệp vượt quá {seconds:g} giây (QA_INGEST_SECONDS); tệp không được nạp. "
                "Hãy tách tệp thành các phần nhỏ hơn hoặc thử lại sau."
            )

    def check(self, chars: int = 0) -> None:
        """Characters read so far, and the clock: called as text accumulates."""
        self.chars(chars)
        self.time()


UNLIMITED = Limits()
