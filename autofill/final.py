"""The copy of a filled form that goes to the customer: the review sheet and review marks taken off.

A filled form is the team's working copy: rows left for a person are highlighted and, in a
workbook, listed with their suggestions, candidate claims and notes on an added "Autofill review"
sheet. None of that is for the customer. The final copy keeps every answer and every cell of the
customer's own as it is, and is verified before it is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autofill.errors import AutofillError, FormError
from autofill.fill import output_path
from autofill.forms import format_for
from autofill.review import (
    DECISION_HEADER,
    DONE,
    REJECTED,
    REVIEW_SHEET,
    SHEET_COLUMNS,
    filled_form,
    has_saved_session,
    session_path,
)
from autofill.safety import check_package


@dataclass(frozen=True)
class FinalResult:
    form: Path  # the filled form read
    output: Path
    sheets_removed: tuple[str, ...]
    rows_unmarked: int  # rows still flagged for review: now plain, and blank unless someone typed there
    rows_rejected: int = 0  # of those, rows whose suggestion a reviewer rejected (xlsx): decided, blank


def default_final(form: Path) -> Path:
    """NAME.final.EXT beside the filled NAME.filled.EXT (or NAME.EXT)."""
    stem = form.stem.removesuffix(".filled")
    return form.with_name(f"{stem}.final{form.suffix}")


def final_copy(filled: Path, out: Path | None = None) -> FinalResult:
    """Write the copy of `filled` (a filled form, or its fill report) that goes to the customer."""
    form = filled_form(filled)
    format_for(form)  # refuses what is no form
    out = output_path(out, default_final(form))
    if out.suffix.lower() != form.suffix.lower():
        raise FormError(out, f"must have the same extension as the filled form ({form.suffix})")
    if out.exists() and out.resolve() == form.resolve():
        raise FormError(out, "is the filled form itself; choose another output with -o")
    check_package(form, "docx" if form.suffix.lower() == ".docx" else "xlsx")  # hostile files end here
    if has_saved_session(form):
        # a terminal review's decisions, saved and not yet written (round 63: a Word form's were dropped)
        raise FormError(
            form,
            f"has review decisions saved in {session_path(form).name} and not written; run "
            f"'autofill review {form.name}' to write them (or delete that file to drop them), then finalize",
        )
    removed: tuple[str, ...] = ()
    rejected = 0
    if form.suffix.lower() == ".docx":
        rows = _docx(form, out)
    else:
        sheets, rejected = _review_sheets(form)
        removed, rows = _xlsx(form, out, sheets)
    return FinalResult(form, out, removed, rows, min(rejected, rows))


def _xlsx(form: Path, out: Path, reviews: list[str]) -> tuple[tuple[str, ...], int]:
    from autofill.forms import xlsx_final

    stats = xlsx_final.final_copy(form, out, reviews)
    try:
        xlsx_final.verify_final(form, out, stats)
    except AutofillError:
        out.unlink(missing_ok=True)  # a copy that failed its check must not be sent
        raise
    return stats.sheets_removed, stats.rows_cleared


def _review_sheets(form: Path) -> tuple[list[str], int]:
    """The review sheets autofill added (their header names the review columns), and how many of their
    rows a reviewer rejected. A decision typed in one and never applied would be missing from the
    customer's copy: refused."""
    import openpyxl

    found: list[str] = []
    rejected = 0
    book = openpyxl.load_workbook(form, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            if not sheet.title.startswith(REVIEW_SHEET):
                continue
            lines = sheet.iter_rows(values_only=True)
            header = [str(v or "").strip() for v in next(lines, ())]
            if not SHEET_COLUMNS <= set(header):
                continue
            found.append(sheet.title)
            at = header.index(DECISION_HEADER)
            decided = [
                (number, str(line[at] if len(line) > at and line[at] is not None else "").strip().lower())
                for number, line in enumerate(lines, start=2)
            ]
            typed = [number for number, said in decided if said and not said.startswith((DONE, REJECTED))]
            rejected += sum(1 for _, said in decided if said.startswith(REJECTED))
            if typed:
                rows = ", ".join(map(str, typed[:5])) + (" ..." if len(typed) > 5 else "")
                raise FormError(
                    form,
                    f"'{sheet.title}' has {len(typed)} decision(s) typed but not written (row {rows}); "
                    f"run 'autofill apply {form.name}' first, or clear them",
                )
    finally:
        book.close()
    return found, rejected


def _docx(form: Path, out: Path) -> int:
    from autofill.forms import docx_write

    marked = docx_write.final_copy(form, out)
    try:
        docx_write.verify_unmarked(form, out)
    except AutofillError:
        out.unlink(missing_ok=True)  # a copy that failed its check must not be sent
        raise
    return marked
