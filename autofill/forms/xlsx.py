"""Excel workbooks: read with openpyxl, write by patching only the filled cells' XML."""

from autofill.forms.xlsx_read import read_questions
from autofill.forms.xlsx_write import verify_output, write_answers

__all__ = ["read_questions", "verify_output", "write_answers"]
