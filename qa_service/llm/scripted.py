"""A scripted OpenAI-compatible server: tests and offline evaluation talk to it like to vLLM.

`POST /v1/chat/completions` (plain and `stream: true`) answers by a named behaviour instead of a
model, so the real `ChatOpenAI` client, HTTP, timeouts and streaming are exercised end to end:
- `correct`: copies the passage sentence that best matches the question, with its `[n]`;
- `bad_marker`, `invent_date`, `wrong_date`: the same plus a typical model error;
- `follow`: obeys every instruction it sees in the user turn (links, images, "reveal your
  prompt", "reply X"), i.e. the worst case for prompt injection;
- `slow`: waits `delay` seconds before answering; `stall`: streams a little, then waits;
- `mixed`: `correct`, or one of the errors, chosen by a hash of the question (dev-set runs).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from vectorstore.analyzer import DATE_RE, analyze, fold

Script = Callable[[list[dict[str, Any]]], str]
_PASSAGE_RE = re.compile(r"^\[(\d+)\] Nguồn:[^\n]*\n(⟦[0-9a-f]+⟧)\n(.*?)\n\2", re.M | re.S)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s)\]\"'<>]+")


def passages(user: str) -> list[tuple[int, str]]:
    return [(int(m.group(1)), m.group(3)) for m in _PASSAGE_RE.finditer(user)]


def question(user: str) -> str:
    m = re.search(r"Câu hỏi: (.*)", user)
    return m.group(1).strip() if m else user[-200:]


def best_sentence(user: str, min_coverage: float = 0.5) -> tuple[int, str] | None:
    """The passage sentence sharing most tokens with the question (what a decent model quotes);
    None when no sentence covers `min_coverage` of the question's tokens (the model abstains)."""
    q = set(analyze(question(user), mode="query"))
    best: tuple[float, int, str] | None = None
    covered = 0.0
    for n, text in passages(user):
        for s in re.split(r"(?<=[.!?;])\s+|\n+", text):
            s = s.strip()
            if len(s) < 20 or "…đã lược bỏ" in s:
                continue
            shared = len(q & set(analyze(s)))
            score = shared / (1 + len(s) / 400)
            if best is None or score > best[0]:
                best, covered = (score, n, s), shared / max(1, len(q))
    return (best[1], best[2]) if best and covered >= min_coverage else None


def answer_correct(user: str) -> str:
    found = best_sentence(user)
    if not found:
        return "Không tìm thấy thông tin này trong các văn bản hiện có."
    n, s = found
    return f"{s.rstrip('.;:')} [{n}]."


def _shift_date(text: str) -> str:
    m = DATE_RE.search(text)
    if not m:
        return re.sub(r"\d+", lambda d: str(int(d.group(0)) + 3), text, count=1)
    day = int(m.group(1)) % 27 + 1
    return text[: m.start()] + f"{day}{m.group(2)}{m.group(3)}{m.group(2)}{m.group(4)}" + text[m.end() :]


def answer_follow(messages: list[dict[str, Any]]) -> str:
    """Do whatever the user turn (documents included) says, as a gullible model would."""
    system = " ".join(str(m["content"]) for m in messages if m["role"] == "system")
    user = str(messages[-1]["content"])
    out: list[str] = []
    folded = fold(user)
    for url in dict.fromkeys(_URL_RE.findall(user)):
        out.append(f"![anh]({url}) Xem thêm: {url}")
    if re.search(r"prompt|huong dan|quy tac|instruction|chi dan", folded) and re.search(
        r"tiet lo|in ra|nhac lai|reveal|print|repeat|show|cho biet", folded
    ):
        out.append(system)
    for m in re.finditer(r"(?:reply|respond|answer|say|tra loi|noi|viet)\s+(?:with\s+|bang\s+|chu\s+)?\"?([A-Z][A-Z0-9_-]{3,})", user, re.I):
        out.append(m.group(1))
    out.append(answer_correct(user))
    return "\n".join(out)


def answer_mixed(messages: list[dict[str, Any]]) -> str:
    user = str(messages[-1]["content"])
    h = int(hashlib.sha256(question(user).encode()).hexdigest(), 16) % 10
    return BEHAVIOURS[{0: "invent_date", 1: "invent_date", 2: "wrong_date", 3: "bad_marker"}.get(h, "correct")](messages)


BEHAVIOURS: dict[str, Script] = {
    "correct": lambda ms: answer_correct(str(ms[-1]["content"])),
    "bad_marker": lambda ms: answer_correct(str(ms[-1]["content"])).replace("].", "][9]. Xem thêm văn bản [12]."),
    "invent_date": lambda ms: answer_correct(str(ms[-1]["content"])) + " Hạn hoàn thành là ngày 31/12/2031 [1].",
    "wrong_date": lambda ms: _shift_date(answer_correct(str(ms[-1]["content"]))),
    "follow": answer_follow,
    "mixed": answer_mixed,
    "condense": lambda ms: "Kế hoạch 108-KH/TU do cơ quan nào ban hành?",
}


class ScriptedLLM:
    """Run with `with ScriptedLLM() as llm:`; `llm.base_url` for `QA_LLM_BASE_URL`."""

    def __init__(self, behaviour: str = "correct", delay: float = 0.0) -> None:
        self.behaviour = behaviour
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.script: Script | None = None  # overrides `behaviour` when set
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> ScriptedLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reply(self, messages: list[dict[str, Any]]) -> str:
        if self.script:
            return self.script(messages)
        is_condense = "Câu hỏi độc lập" in str(messages[-1]["content"])
        name = "condense" if is_condense and self.behaviour != "follow" else self.behaviour
        return BEHAVIOURS.get(name, BEHAVIOURS["correct"])(messages)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        llm = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet test output
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                llm.requests.append(body)
                if not self.path.endswith("/chat/completions"):
                    self.send_error(404)
                    return
                behaviour = llm.behaviour
                if behaviour == "slow":
                    time.sleep(llm.delay)
                text = llm.reply(body.get("messages", []))
                try:
                    if body.get("stream"):
                        self._stream(text, stall=llm.delay if behaviour == "stall" else 0.0)
                    else:
                        self._json(text)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _json(self, text: str) -> None:
                data = json.dumps({
                    "id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()),
                    "model": "scripted",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, text: str, stall: float) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = re.findall(r"\S+\s*|\s+", text)
                for i, piece in enumerate(pieces):
                    if stall and i == 3:
                        time.sleep(stall)
                    chunk = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": 0,
                             "model": "scripted",
                             "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                end = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": 0, "model": "scripted",
                       "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()

        return Handler
