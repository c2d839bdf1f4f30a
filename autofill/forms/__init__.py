"""Form formats: each module reads questions and writes outcomes; the registry picks by suffix.

Contract for a format module `m`:
    m.read_questions(path: Path, options: ReadOptions) -> FormRead
        Find every question with its answer/comment targets. Raise FormError (one line,
        says what to do) when the file cannot be read or holds no recognisable question.
    m.write_answers(src: Path, dst: Path, outcomes: Sequence[Outcome]) -> WriteStats
        Write "answered" outcomes into their cells, highlight "review" rows and list them
        (xlsx: an added "Autofill review" sheet), leave everything else as it was, and
        write `dst` atomically. `src` is never modified.
    m.verify_output(src: Path, dst: Path, outcomes: Sequence[Outcome]) -> None
        Re-open `dst` and prove fidelity; raise FidelityError on any loss.
Modules are imported lazily so `autofill --help` stays fast.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from autofill.errors import FormError

FORMATS = {".xlsx": "autofill.forms.xlsx", ".xlsm": "autofill.forms.xlsx", ".docx": "autofill.forms.docx"}
REFUSED = {
    ".xls": "is a legacy Excel 97-2003 file; open it in Excel and save it as .xlsx, then try again",
    ".doc": "is a legacy Word 97-2003 file; open it in Word and save it as .docx, then try again",
    ".csv": "is a CSV file; open it in Excel and save it as .xlsx (with an answer column), then try again",
    ".pdf": "is a PDF; ask the customer for the Excel or Word version of the form",
}


def format_for(path: Path) -> ModuleType:
    """The format module for `path`, chosen by suffix."""
    suffix = path.suffix.lower()
    if suffix in REFUSED:
        raise FormError(path, REFUSED[suffix])
    if suffix not in FORMATS:
        raise FormError(path, "is not a form autofill can fill; give it an .xlsx or .docx file")
    return importlib.import_module(FORMATS[suffix])
