"""Excel workbooks: read from the sheet XML, written by patching only the filled cells, then verified."""

from autofill.forms.xlsx_read import read_questions
from autofill.forms.xlsx_verify import verify_output
from autofill.forms.xlsx_write import write_answers

__all__ = ["read_questions", "verify_output", "write_answers"]
