"""Word (.docx) forms: read questions, write answers, verify the output (see `forms/__init__.py`)."""

from __future__ import annotations

from autofill.forms.docx_read import read_questions
from autofill.forms.docx_write import verify_output, write_answers

__all__ = ["read_questions", "verify_output", "write_answers"]
