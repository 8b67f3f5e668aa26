"""Who may read or continue a conversation: the key that created it, or, without a key, the client
holding its conversation token. Admin keys may read, list and delete any conversation, but continue
only their own (a turn never lands in another caller's history).

A public client (open server, or `QA_PUBLIC_CHAT` with no key sent) has no identity of its own, so the
server hands it an unguessable token with its first answer (`conversation_token`, and the
`X-Conversation-Token` response header); the client sends it back in that header. Only its hash is
stored, so the conversations table grants nothing to whoever reads it.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass

from qa_service.api.security import Principal
from qa_service.conversations import ConversationStore
from qa_service.schemas import ChatRequest, ChatResponse

log = logging.getLogger(__name__)

TOKEN_HEADER = "X-Conversation-Token"
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{32,128}$"  # what `secrets.token_urlsafe(32)` gives (43 characters)


@dataclass(frozen=True)
class Caller:
    owner: str  # what `conversations.owner` holds for this caller; never empty (empty = ownerless)
    token: str | None  # a public client's token, returned with each answer; None for keys
    admin: bool  # an admin key: may read, list and delete any conversation


def caller_for(principal: Principal, token: str | None) -> Caller:
    if principal.keyed:
        return Caller(owner=principal.key_id, token=None, admin="admin" in principal.scopes)
    token = token or secrets.token_urlsafe(32)
    return Caller(owner="token:" + hashlib.sha256(token.encode()).hexdigest()[:32], token=token, admin=False)


def may_read(caller: Caller, owner: str | None) -> bool:
    return caller.admin or (bool(owner) and owner == caller.owner)


def bind(store: ConversationStore, caller: Caller, request: ChatRequest) -> ChatRequest:
    """The request with a conversation id the caller owns: its own (a new id is claimed for it), or,
    for an id someone else owns, a fresh one, so that history is neither read nor extended."""
    wanted = request.conversation_id
    if wanted and store.claim(wanted, caller.owner):
        return request
    fresh = uuid.uuid4().hex
    store.claim(fresh, caller.owner)
    if wanted:
        log.info("conversation %s belongs to another caller: started %s instead", wanted, fresh)
    return request.model_copy(update={"conversation_id": fresh})


def stamp(response: ChatResponse, caller: Caller) -> ChatResponse:
    """The response with the caller's conversation token (public clients only)."""
    return response.model_copy(update={"conversation_token": caller.token}) if caller.token else response


def token_headers(caller: Caller) -> dict[str, str]:
    return {TOKEN_HEADER: caller.token} if caller.token else {}


def owner_label(owner: str) -> str | None:
    """What an admin listing shows: the key's hash id, "public" for a token, None for ownerless."""
    if owner.startswith("token:"):
        return "public"
    return owner or None
