"""Domain errors, raised below the API and mapped to JSON in one handler.

They live in the lowest layer so that `ingestion`, `vectorstore` and `qa_service` share them
without `vectorstore` importing anything above it.
"""

from __future__ import annotations


class QAError(Exception):
    """An error a user can act on: carries an HTTP status and a stable machine code."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code


class NotFoundError(QAError):
    status_code = 404
    code = "not_found"


class UnsupportedFileError(QAError):
    status_code = 415
    code = "unsupported_type"


class InvalidDocumentError(QAError):
    status_code = 422
    code = "invalid_document"


class IndexConfigError(QAError):
    """The index was built with another embedding model; mixing vector spaces is refused."""

    status_code = 409
    code = "embedding_mismatch"


class DatabaseUnavailableError(QAError):
    """`QA_DATABASE_URL` does not answer: the shared registry cannot be read or written."""

    status_code = 503
    code = "database_unavailable"


class IndexLockedError(QAError):
    status_code = 503
    code = "index_locked"


class ConflictError(QAError):
    """The name is taken by another document: replacing it must be asked for (`replace=true`)."""

    status_code = 409
    code = "conflict"

    def __init__(self, message: str, *, details: dict[str, object] | None = None):
        super().__init__(message)
        self.details = details or {}  # merged into the error object (e.g. the existing doc_id)


class LimitExceededError(QAError):
    """One file would cost more work than allowed (pages, characters, seconds): it is skipped whole."""

    status_code = 422
    code = "limit_exceeded"


class WriterBusyError(QAError):
    """Too many writes already wait for the single writer: come back later rather than queue forever."""

    status_code = 503
    code = "busy"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
