"""The task register: who must do what by when, across all documents (API, exports, chat)."""

from qa_service.tasks.records import TaskRecord
from qa_service.tasks.register import TaskQuery, TaskRegister

__all__ = ["TaskQuery", "TaskRecord", "TaskRegister"]
