"""Streaming without leaking: text goes out only after the output filter has seen it.

A few words are held back, so a link, an image or a run of system-prompt wording is complete
(and removed) before any of it reaches the client; the `done` event still carries the verified
answer, which the widget shows in place of the streamed draft.
"""

from __future__ import annotations

import re

from qa_service.llm.guard import LeakDetector, strip_links
from qa_service.llm.verify import drop_bad_markers

HOLDBACK_WORDS = 8


class SafeEmitter:
    def __init__(self, leak: LeakDetector, sources: list[str], k: int, holdback: int = HOLDBACK_WORDS) -> None:
        self.leak, self.sources, self.k, self.holdback = leak, sources, k, holdback
        self.raw = ""
        self.sent = ""
        self.leaked = False

    def _safe_cut(self) -> int:
        """End of the text that may be filtered now: before the last words and any open bracket."""
        starts = [m.start() for m in re.finditer(r"\S+", self.raw)]
        if len(starts) <= self.holdback:
            return 0
        cut = starts[-self.holdback]
        opened = max(self.raw.rfind(c, 0, cut) for c in "[(<")
        closed = max(self.raw.rfind(c, 0, cut) for c in "])>")
        if opened > closed:
            cut = opened
        return cut

    def _emit(self, text: str) -> str:
        if self.leak.leaks(text):
            self.leaked = True
            return ""
        clean, _ = strip_links(text, self.sources)
        clean, _ = drop_bad_markers(clean, self.k)
        if not clean.startswith(self.sent):
            return ""  # the filter changed earlier text: wait for `done`
        piece, self.sent = clean[len(self.sent) :], clean
        return piece

    def feed(self, token: str) -> str:
        self.raw += token
        return self._emit(self.raw[: self._safe_cut()]) if not self.leaked else ""

    def flush(self) -> str:
        return self._emit(self.raw) if not self.leaked else ""
