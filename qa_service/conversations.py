"""Server-side conversation history and feedback (SQLite under QA_DATA_DIR).

A portal may send only the new message with a `conversation_id`; the service keeps the turns,
bounded to the last `max_turns` so a long chat never grows the prompt or the table without end.

Each conversation has an owner (`conversations.owner`): the hash id of the API key that created it,
or the hash of a public client's conversation token; never a key or a token itself. Conversations
written without one (`qa ask`, rows from before owners existed) get the empty owner: admin only.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from qa_service.schemas import HistoryMessage
from vectorstore.sqlite import ThreadLocalSQLite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    conversation_id TEXT NOT NULL, message_id TEXT NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_conv ON messages(conversation_id, created);
CREATE TABLE IF NOT EXISTS conversations (
    conversation_id TEXT PRIMARY KEY, owner TEXT NOT NULL, created REAL NOT NULL
);
INSERT OR IGNORE INTO conversations
    SELECT conversation_id, '', MIN(created) FROM messages GROUP BY conversation_id;
CREATE TABLE IF NOT EXISTS feedback (
    conversation_id TEXT, message_id TEXT, rating TEXT NOT NULL, comment TEXT, created REAL NOT NULL
);
"""


class ConversationStore:
    def __init__(self, path: Path, max_turns: int = 20) -> None:
        self.path = path
        self.max_turns = max_turns
        self._db = ThreadLocalSQLite(path, _SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        return self._db.conn()

    def history(self, conversation_id: str) -> list[HistoryMessage]:
        rows = self._conn().execute(
            "SELECT role, content FROM messages WHERE conversation_id=? ORDER BY created DESC, rowid DESC LIMIT ?",
            (conversation_id, self.max_turns * 2),
        ).fetchall()
        return [HistoryMessage(role=r, content=c) for r, c in reversed(rows)]

    def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        rows = self._conn().execute(
            "SELECT message_id, role, content, created FROM messages WHERE conversation_id=? ORDER BY created, rowid",
            (conversation_id,),
        ).fetchall()
        return [{"message_id": m, "role": r, "content": c, "created": t} for m, r, c, t in rows]

    def claim(self, conversation_id: str, owner: str) -> bool:
        """Bind an unused id to `owner`; True when the conversation is (now) `owner`'s. Atomic, so two
        callers racing for a new id cannot both get it."""
        conn = self._conn()
        conn.execute("INSERT OR IGNORE INTO conversations VALUES (?,?,?)", (conversation_id, owner, time.time()))
        return self.owner(conversation_id) == owner

    def owner(self, conversation_id: str) -> str | None:
        row = self._conn().execute(
            "SELECT owner FROM conversations WHERE conversation_id=?", (conversation_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def listing(self, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """Conversations with at least one message, most recently active first (for admins)."""
        conn = self._conn()
        total = int(conn.execute("SELECT COUNT(DISTINCT conversation_id) FROM messages").fetchone()[0])
        rows = conn.execute(
            "SELECT m.conversation_id, COALESCE(c.owner, ''), COUNT(*), MIN(m.created), MAX(m.created) "
            "FROM messages m LEFT JOIN conversations c USING (conversation_id) "
            "GROUP BY m.conversation_id ORDER BY MAX(m.created) DESC, m.conversation_id LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        keys = ("conversation_id", "owner", "messages", "created", "updated")
        return [dict(zip(keys, r, strict=True)) for r in rows], total

    def append(self, conversation_id: str, question: str, message_id: str, answer: str) -> None:
        now = time.time()
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        # A caller that did not claim the id (the CLI) leaves it ownerless: admin only.
        conn.execute("INSERT OR IGNORE INTO conversations VALUES (?,'',?)", (conversation_id, now))
        conn.executemany(
            "INSERT INTO messages VALUES (?,?,?,?,?)",
            [(conversation_id, message_id + "-q", "user", question, now),
             (conversation_id, message_id, "assistant", answer, now + 1e-6)],
        )
        # Keep only the newest turns.
        conn.execute(
            "DELETE FROM messages WHERE conversation_id=? AND rowid NOT IN (SELECT rowid FROM messages "
            "WHERE conversation_id=? ORDER BY created DESC, rowid DESC LIMIT ?)",
            (conversation_id, conversation_id, self.max_turns * 2),
        )
        conn.execute("COMMIT")

    def delete(self, conversation_id: str) -> int:
        """Forget the turns; the owner row stays, so the id cannot be taken over by another caller."""
        cur = self._conn().execute("DELETE FROM messages WHERE conversation_id=?", (conversation_id,))
        return cur.rowcount

    def add_feedback(self, conversation_id: str | None, message_id: str | None, rating: str, comment: str | None) -> None:
        self._conn().execute(
            "INSERT INTO feedback VALUES (?,?,?,?,?)", (conversation_id, message_id, rating, comment, time.time())
        )

    def feedback_count(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM feedback").fetchone()[0])
