"""qa_service.conversations: bounded history, atomic ownership, listing and feedback — on embedded
SQLite and on a real PostgreSQL (`db_location` in conftest), the same tests for both engines."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_service.conversations import ConversationStore


@pytest.fixture
def store(db_location: Path | str) -> Iterator[ConversationStore]:
    conversations = ConversationStore(db_location, max_turns=2)
    yield conversations
    conversations.close()


def test_history_keeps_the_newest_turns_in_order(store: ConversationStore) -> None:
    for i in range(3):
        store.append("c1", f"hỏi {i}", f"m{i}", f"đáp {i}")
    history = store.history("c1")
    assert [(h.role, h.content) for h in history] == [
        ("user", "hỏi 1"), ("assistant", "đáp 1"), ("user", "hỏi 2"), ("assistant", "đáp 2")]
    assert [m["message_id"] for m in store.messages("c1")] == ["m1-q", "m1", "m2-q", "m2"]
    assert store.history("khác") == []


def test_claim_binds_an_id_to_one_owner_even_under_a_race(store: ConversationStore) -> None:
    wins: list[str] = []

    def claim(owner: str) -> None:
        if store.claim("c-race", owner):
            wins.append(owner)

    threads = [threading.Thread(target=claim, args=(f"key{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1 and store.owner("c-race") == wins[0]
    assert store.claim("c-race", wins[0]) and not store.claim("c-race", "someone-else")
    assert store.owner("never") is None


def test_cli_turns_are_ownerless_and_deleting_keeps_the_owner_row(store: ConversationStore) -> None:
    store.append("cli", "câu hỏi", "m1", "trả lời")
    assert store.owner("cli") == ""
    store.claim("mine", "key1")
    store.append("mine", "Thành ủy giao việc gì?", "m2", "Giao Sở Tài chính [1].")
    assert store.owner("mine") == "key1"  # appending does not take the conversation over
    assert store.delete("mine") == 2 and store.messages("mine") == []
    assert store.owner("mine") == "key1" and not store.claim("mine", "key2")


def test_listing_most_recent_first_with_owner_and_counts(store: ConversationStore) -> None:
    store.claim("a", "key1")
    store.append("a", "q", "m1", "r")
    store.append("b", "q", "m2", "r")
    store.append("b", "q", "m3", "r")
    store.claim("empty", "key1")  # no message: not listed
    rows, total = store.listing(limit=10, offset=0)
    assert total == 2
    assert [(r["conversation_id"], r["owner"], r["messages"]) for r in rows] == [("b", "", 4), ("a", "key1", 2)]
    assert rows[0]["updated"] >= rows[0]["created"]
    page, _ = store.listing(limit=1, offset=1)
    assert [r["conversation_id"] for r in page] == ["a"]


def test_feedback_is_counted_and_survives_reopening(store: ConversationStore, db_location: Path | str) -> None:
    store.add_feedback("a", "m1", "down", "Thiếu thời hạn.")
    store.add_feedback(None, None, "up", None)
    assert store.feedback_count() == 2
    again = ConversationStore(db_location)
    try:
        assert again.feedback_count() == 2
    finally:
        again.close()


def test_a_nul_character_is_stored_not_fatal(store: ConversationStore) -> None:
    """PostgreSQL text cannot hold NUL: it becomes U+FFFD there (SQLite keeps it); the request never fails."""
    store.claim("c\x00", "key\x00")
    store.append("c\x00", "hỏi\x00", "m1", "đáp")
    assert store.owner("c\x00") in ("key\x00", "key\ufffd")
    assert store.history("c\x00")[0].content in ("hỏi\x00", "hỏi\ufffd")
