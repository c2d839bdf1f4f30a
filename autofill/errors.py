"""User-facing errors: each message says what went wrong and what to do."""

from __future__ import annotations

from pathlib import Path


class AutofillError(Exception):
    """Something the user can fix; the message says how."""


class KnowledgeBaseError(AutofillError):
    def __init__(self, path: Path | str, claim_id: str | None, problem: str) -> None:
        where = f"{path}: claim '{claim_id}'" if claim_id else f"{path}:"
        super().__init__(f"{where} {problem}")


class FormError(AutofillError):
    """The form cannot be read or written; the message names the file and the fix."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{Path(path).name}: {problem}")


class FidelityError(FormError):
    """The written output lost something the input had."""
