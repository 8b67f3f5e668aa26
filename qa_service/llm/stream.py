"""Streaming without leaking: text goes out only after the output filter has seen it.

A few words are held back, so a link, an image or a run of system-prompt wording is complete
(and removed) before any of it reaches the client; the `done` event still carries the verified
answer, which the widget shows in place of the streamed draft.
"""

from __future__ import annotations

import re

from qa_service.llm.guard import LeakDetector, strip_links, strip_thinking
from qa_service.llm.verify import drop_bad_markers

HOLDBACK_WORDS = 8
WINDOW_CHARS = 200
_WORD = re.compile(r"\S+")


class SafeEmitter:
    """Filters each newly safe stretch once (linear in the answer, not quadratic)."""

    def __init__(self, leak: LeakDetector, sources: list[str], k: int, holdback: int = HOLDBACK_WORDS) -> None:
        self.leak, self.sources, self.k, self.holdback = leak, sources, k, holdback
        self.raw = ""
        self.done = 0  # raw[:done] has been filtered and sent
        self.leaked = False

    def _safe_cut(self) -> int:
        """End of the text that may be filtered now: before the last words and any open bracket."""
        starts = [m.start() for m in _WORD.finditer(self.raw, self.done)]
        if len(starts) <= self.holdback:
            return self.done
        cut = starts[-self.holdback]
        think = self.raw.rfind("<think>", self.done, cut)
        if think >= 0 and not 0 <= self.raw.find("</think>", think) <= cut - len("</think>"):
            return think  # hold reasoning back until it closes; it is never sent
        opened = max(self.raw.rfind(c, self.done, cut) for c in "[(<")
        closed = max(self.raw.rfind(c, self.done, cut) for c in "])>")
        return opened if opened > closed else cut

    def _emit(self, cut: int) -> str:
        if cut <= self.done:
            return ""
        segment = strip_thinking(self.raw[self.done : cut])
        # The window reaches back a little so a leaked phrase across two stretches is still seen.
        window = strip_thinking(self.raw[max(0, self.done - WINDOW_CHARS) : self.done]) + segment
        if self.leak.leaks(window):
            self.leaked = True
            return ""
        clean, _ = strip_links(segment, self.sources)
        clean, _ = drop_bad_markers(clean, self.k)
        self.done = cut
        return clean

    def feed(self, token: str) -> str:
        self.raw += token
        return "" if self.leaked else self._emit(self._safe_cut())

    def flush(self) -> str:
        return "" if self.leaked else self._emit(len(self.raw))
