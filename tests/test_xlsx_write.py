"""The xlsx writer: answers land in their cells, review rows are listed, everything else survives."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lxml import etree
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from autofill.atomic import write_atomic
from autofill.errors import FidelityError, FormError
from autofill.forms.xlsx_verify import verify_output
from autofill.forms.xlsx_write import HIGHLIGHT_RGB, REVIEW_HEADER, write_answers
from autofill.models import Candidate, Citation, FormQuestion, Location, Outcome

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
X14_VALIDATION = "{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}dataValidation"
YES_NO = ("Yes", "No", "N/A")


# --- building forms and outcomes -------------------------------------------------------------------


@pytest.fixture
def form(tmp_path: Path) -> Path:
    """A questionnaire with the features a writer must keep: styles, widths, merges, validations,
    conditional formats, a comment, a hidden sheet, defined names, formulas and a protected sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Form"
    sheet.append(["ID", "Question", "Answer", "Comment", "Guidance"])
    for number in range(1, 6):
        row = number + 1
        sheet.append([f"Q{number}", f"Question number {number}?", None, None, f'=IF(C{row}="Yes","ok","check")'])
    sheet["C7"] = "=C2"  # an answer that copies another one: never overwritten
    sheet["A8"] = "Note: answer every question."
    sheet.merge_cells("A8:E8")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFDDEEFF")
    thin = Side(style="thin")
    for row in range(2, 8):
        sheet[f"C{row}"].border = Border(left=thin, right=thin, top=thin, bottom=thin)
        sheet[f"C{row}"].font = Font(color="FFAA0000", italic=True)
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 12
    sheet.freeze_panes = "A2"
    validation = DataValidation(type="list", formula1="=Lists!$A$1:$A$3", allow_blank=True)
    validation.add("C2:C6")
    sheet.add_data_validation(validation)
    red = PatternFill("solid", fgColor="FFFFC7CE")
    sheet.conditional_formatting.add("C2:C6", CellIsRule(operator="equal", formula=['"No"'], fill=red))
    sheet["B2"].comment = Comment("Ask the security team", "Reviewer")
    lists = book.create_sheet("Lists")
    for value in YES_NO:
        lists.append([value])
    lists.sheet_state = "hidden"
    book.defined_names["Answers"] = DefinedName("Answers", attr_text="Form!$C$2:$C$6")
    locked = book.create_sheet("Locked")
    locked.append(["ID", "Answer", "Notes"])
    locked.append(["L1", None, "fixed text"])
    locked["B2"].protection = Protection(locked=False)
    locked.protection.sheet = True
    path = tmp_path / "form.xlsx"
    book.save(path)
    return path


def question(row: int, **changes: Any) -> FormQuestion:
    fields: dict[str, Any] = {
        "location": Location(row=row, cell=f"C{row}", sheet="Form"),
        "text": f"Question number {row - 1}?",
        "qid": f"Q{row - 1}",
        "answer_cell": f"C{row}",
        "comment_cell": f"D{row}",
        "choices": YES_NO,
    }
    fields.update(changes)
    return FormQuestion(**fields)


def answered(q: FormQuestion, value: str, comment: str | None = None, **changes: Any) -> Outcome:
    return Outcome(question=q, status="answered", answer="Yes", value=value, comment=comment, confidence=95, **changes)


def review(q: FormQuestion, value: str = "Yes", **changes: Any) -> Outcome:
    candidates = (
        Candidate("enc-at-rest", "Yes", 72.0, "Is data encrypted at rest?"),
        Candidate("enc-legacy", "No", 61.4),
        Candidate("unrelated", "Yes", 0.0, "Is anything else so?"),  # shares nothing telling: not listed
    )
    fields: dict[str, Any] = {
        "answer": "Yes",
        "value": value,
        "confidence": 72.0,
        "candidates": candidates,
        "text": "Data is encrypted with AES-256.",
        "note": "two claims",
    }
    fields.update(changes)
    return Outcome(question=q, status="review", **fields)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(path: Path, **options: Any) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
        return openpyxl.load_workbook(path, **options)


def read_cells(path: Path, sheet: str, cells: list[str], **options: Any) -> list[Any]:
    """Cell values (fill colours for "fill:C3") through a read-only load, which is fast on big forms."""
    book = load(path, read_only=True, **options)
    try:
        ws = book[sheet]
        return [ws[c[5:]].fill.fgColor.rgb if c.startswith("fill:") else ws[c].value for c in cells]
    finally:
        book.close()


def snapshot(path: Path, skip: frozenset[tuple[str, str]] = frozenset()) -> dict[str, Any]:
    """Everything openpyxl sees in a workbook, except the cells in `skip` (sheet, cell)."""
    book = load(path)
    shot: dict[str, Any] = {"sheets": book.sheetnames, "names": sorted(book.defined_names)}
    for sheet in book.worksheets:
        cells = {
            cell.coordinate: (
                cell.value,
                cell.font.b,
                cell.font.i,
                cell.font.color.rgb if cell.font.color else None,
                cell.fill.fgColor.rgb,
                cell.border.left.style,
                cell.protection.locked,
            )
            for row in sheet.iter_rows()
            for cell in row
            if (sheet.title, cell.coordinate) not in skip
        }
        shot[sheet.title] = {
            "state": sheet.sheet_state,
            "cells": cells,
            "widths": {k: v.width for k, v in sheet.column_dimensions.items()},
            "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
            "validations": [(str(v.sqref), v.formula1) for v in sheet.data_validations.dataValidation],
            "conditional": sorted(str(r.sqref) for r in sheet.conditional_formatting),
            "comments": {c.coordinate: c.comment.text for row in sheet.iter_rows() for c in row if c.comment},
            "freeze": sheet.freeze_panes,
            "protected": sheet.protection.sheet,
        }
    return shot


def sheet_xml(path: Path, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(part)


def worksheet_part(path: Path, name: str) -> str:
    """The zip part of the worksheet called `name`."""
    with zipfile.ZipFile(path) as package:
        book = etree.fromstring(package.read("xl/workbook.xml"))
        rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    rel_id = next(s.get(f"{{{DOC_REL}}}id") for s in book.iter(f"{{{MAIN}}}sheet") if s.get("name") == name)
    target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


# --- writing answers ---------------------------------------------------------------------------------


def test_writes_answers_and_comments(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    before = digest(form)
    outcomes = [answered(question(2), "Yes", "Encrypted with AES-256."), answered(question(3), "no")]
    stats = write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    assert digest(form) == before
    sheet = load(dst)["Form"]
    assert (sheet["C2"].value, sheet["D2"].value, sheet["C3"].value) == ("Yes", "Encrypted with AES-256.", "No")
    assert stats.cells_written == 3 and stats.warnings == []
    assert b'<c r="C2" s="' in sheet_xml(dst) and b't="inlineStr"><is><t xml:space="preserve">Yes</t>' in sheet_xml(dst)


def test_everything_else_is_kept(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    outcomes = [answered(question(row), "Yes", "ok") for row in range(2, 7)]
    write_answers(form, dst, outcomes)
    written = frozenset(("Form", f"{col}{row}") for col in "CD" for row in range(2, 7))
    assert snapshot(dst, written) == snapshot(form, written)
    sheet = load(dst)["Form"]
    assert sheet["C2"].font.i and sheet["C2"].border.left.style == "thin"  # the answer keeps its cell's look
    assert sheet["E2"].value == '=IF(C2="Yes","ok","check")'


def test_untouched_parts_are_copied_byte_for_byte(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    write_answers(form, dst, [answered(question(2), "Yes")])
    with zipfile.ZipFile(form) as before, zipfile.ZipFile(dst) as after:
        assert after.testzip() is None
        assert [i.filename for i in after.infolist()] == [i.filename for i in before.infolist()]
        changed = {i.filename for i in before.infolist() if before.read(i.filename) != after.read(i.filename)}
        assert changed == {"xl/worksheets/sheet1.xml", "xl/workbook.xml"}  # the cells, and recalculation on open
        for info in before.infolist():
            if info.filename not in changed:
                twin = after.getinfo(info.filename)
                assert (twin.CRC, twin.compress_size, twin.date_time) == (info.CRC, info.compress_size, info.date_time)
    assert load(dst).calculation.fullCalcOnLoad


def test_untouched_rows_keep_their_bytes(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    write_answers(form, dst, [answered(question(3), "Yes")])
    rows = re.compile(rb"<row [^>]*>.*?</row>", re.DOTALL)
    old, new = rows.findall(sheet_xml(form)), rows.findall(sheet_xml(dst))
    assert len(old) == len(new) and [o == n for o, n in zip(old, new, strict=True)].count(False) == 1


def test_nothing_to_write_copies_the_file(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    outcomes = [Outcome(question=question(2), status="unanswered"), Outcome(question=question(3), status="kept")]
    write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    with zipfile.ZipFile(form) as before, zipfile.ZipFile(dst) as after:
        assert all(before.read(i) == after.read(i.filename) for i in before.infolist())
        assert len(after.infolist()) == len(before.infolist())


def test_formula_cells_are_never_overwritten(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    outcomes = [answered(question(7), "Yes", "copied"), answered(question(2, answer_cell="E2", choices=None), "x")]
    stats = write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    sheet = load(dst)["Form"]
    assert (sheet["C7"].value, sheet["E2"].value) == ("=C2", '=IF(C2="Yes","ok","check")')
    assert stats.warnings == [  # in sheet order
        "'Form' Q1: E2 holds a formula; left it as is",
        "'Form' Q6: C7 holds a formula; left it as is",
    ]
    assert sheet["D7"].value == "copied"  # the comment cell is free


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param(
            '=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")', id="="
        ),
        pytest.param("+41 44 000 00 00", "'+41 44 000 00 00", id="+"),
        pytest.param("-1", "'-1", id="-"),
        pytest.param("@SUM(A1:A9)", "'@SUM(A1:A9)", id="@"),
        pytest.param("\t=cmd|' /C calc'!A0", "'\t=cmd|' /C calc'!A0", id="tab"),
    ],
)
def test_formula_injection_is_neutralised(form: Path, tmp_path: Path, value: str, written: str) -> None:
    dst = tmp_path / "out.xlsx"
    outcomes = [answered(question(2, choices=None), value, value)]
    write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    sheet = load(dst)["Form"]
    assert sheet["C2"].value == written and sheet["D2"].value == written
    assert sheet["C2"].data_type == "s"


def test_illegal_characters_and_long_text(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    long = "word " * 10_000
    outcomes = [answered(question(2, choices=None), "bad\x00\x07 chars & <tags>\r\nnext", long)]
    write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    sheet = load(dst)["Form"]
    assert sheet["C2"].value == "bad chars & <tags>\r\nnext"
    assert len(sheet["D2"].value) == 32_767 and sheet["D2"].value.endswith("…")


def test_value_outside_choices_is_skipped(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    outcomes = [answered(question(2), "Maybe", "unsure")]
    stats = write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    assert stats.warnings == ["'Form' Q1: 'Maybe' is not one of the cell's choices (Yes, No, N/A); left it empty"]
    assert load(dst)["Form"]["C2"].value is None


def test_citations(form: Path, tmp_path: Path) -> None:
    cite = Citation("soc2", "SOC 2 Type II report", "https://trust.example.com/soc2", "2025-06-01", "AES-256")
    quoted = Citation("iso", "ISO 27001 certificate", "https://trust.example.com/iso", None, "scope")
    comment = "Encrypted at rest.\nSource: ISO 27001 certificate, https://trust.example.com/iso"
    outcomes = [answered(question(2), "Yes", comment, citations=(cite, quoted))]
    write_answers(form, tmp_path / "auto.xlsx", outcomes)
    write_answers(form, tmp_path / "none.xlsx", outcomes, citations="none")
    for name in ("auto.xlsx", "none.xlsx"):
        verify_output(form, tmp_path / name, outcomes)
    assert load(tmp_path / "auto.xlsx")["Form"]["D2"].value == (  # the already quoted one is not repeated
        comment + "\nSource: SOC 2 Type II report (https://trust.example.com/soc2, 2025-06-01)"
    )
    assert load(tmp_path / "none.xlsx")["Form"]["D2"].value == comment
    write_answers(form, tmp_path / "comments.xlsx", outcomes, citations="comments")  # the CLI's docx word
    assert load(tmp_path / "comments.xlsx")["Form"]["D2"].value == load(tmp_path / "auto.xlsx")["Form"]["D2"].value
    with pytest.raises(ValueError, match="citations must be"):
        write_answers(form, tmp_path / "x.xlsx", outcomes, citations="footnotes")


def test_cells_and_rows_are_created_in_order(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    outcomes = [
        answered(question(12, choices=None, comment_cell="G12"), "late", "g"),
        answered(question(10, choices=None, answer_cell="B10", comment_cell="AA10"), "middle", "far right"),
        answered(question(2, choices=None, comment_cell="J2"), "first", "beyond the last column"),
    ]
    write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    root = etree.fromstring(sheet_xml(dst))
    rows = [int(r.get("r")) for r in root.iter(f"{{{MAIN}}}row")]
    assert rows == sorted(rows) and {10, 12} <= set(rows)
    for row in root.iter(f"{{{MAIN}}}row"):
        columns = [openpyxl.utils.cell.column_index_from_string(re.sub(r"\d", "", c.get("r"))) for c in row]
        assert columns == sorted(columns)
    sheet = load(dst)["Form"]
    assert (sheet["C12"].value, sheet["G12"].value, sheet["B10"].value, sheet["AA10"].value, sheet["J2"].value) == (
        "late",
        "g",
        "middle",
        "far right",
        "beyond the last column",
    )
    assert root.find(f"{{{MAIN}}}dimension").get("ref") == "A1:AA12"


def test_merged_cells_are_written_only_at_their_top_left(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    outcomes = [answered(question(8, choices=None, answer_cell="B8", comment_cell=None), "inside a merge")]
    stats = write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    assert stats.warnings == ["'Form' Q7: B8 is inside merged cells A8:E8; left it as is"]


def test_mark_cells(form: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(form)
    book["Form"]["G3"] = "x"  # a stale mark in the "No" column
    book.save(form)
    dst = tmp_path / "out.xlsx"
    marks = (("Yes", "F3"), ("No", "G3"), ("Not Applicable", "H3"))
    outcomes = [answered(question(3, answer_cell=None, choices=None, mark_cells=marks), "yes", "see policy")]
    stats = write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    sheet = load(dst)["Form"]
    assert (sheet["F3"].value, sheet["G3"].value, sheet["H3"].value, sheet["D3"].value) == (
        "x",
        None,
        None,
        "see policy",
    )
    assert stats.cells_written == 2


def test_protected_sheet_writes_only_unlocked_cells(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    where = Location(row=2, cell="B2", sheet="Locked")
    q = FormQuestion(location=where, text="L1", qid="L1", answer_cell="B2", comment_cell="C2", choices=None)
    outcomes = [answered(q, "Yes", "overwrite attempt")]
    stats = write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    sheet = load(dst)["Locked"]
    assert (sheet["B2"].value, sheet["C2"].value, sheet.protection.sheet) == ("Yes", "fixed text", True)
    assert stats.warnings == [
        "'Locked' L1: C2 is locked on a protected sheet; left it as is (unprotect the sheet to let autofill write)"
    ]


def test_unknown_sheet_and_bad_reference_warn(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    outcomes = [
        answered(question(2, location=Location(row=2, cell="C2", sheet="Nope")), "Yes"),
        answered(question(3, answer_cell="C0", comment_cell=None), "Yes"),
    ]
    stats = write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    assert stats.warnings == [
        "'Nope' Q1: the workbook has no worksheet named 'Nope'; skipped",
        "'Form' Q2: 'C0' is not a cell reference; skipped",
    ]


def test_macros_and_unknown_parts_survive(form: Path, tmp_path: Path) -> None:
    macro = form.with_suffix(".xlsm")
    payload = bytes(range(256)) * 64
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(macro, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        out.writestr("xl/vbaProject.bin", payload)
        out.writestr("customXml/item1.xml", b"<?xml version='1.0'?><root>custom</root>")
    dst = tmp_path / "out.xlsm"
    outcomes = [answered(question(2), "Yes")]
    write_answers(macro, dst, outcomes)
    verify_output(macro, dst, outcomes)
    with zipfile.ZipFile(dst) as package:
        assert package.read("xl/vbaProject.bin") == payload
        assert package.read("customXml/item1.xml") == b"<?xml version='1.0'?><root>custom</root>"


# --- review rows -------------------------------------------------------------------------------------


def test_review_rows_are_highlighted_and_listed(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    outcomes = [review(question(2)), review(question(4), value="No", note=None), answered(question(3), "Yes")]
    stats = write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    book = load(dst)
    sheet = book["Form"]
    assert stats.rows_highlighted == 2 and stats.cells_written == 1
    for cell in ("C2", "C4"):
        assert sheet[cell].value is None  # nothing is written for review rows
        assert (sheet[cell].fill.fill_type, sheet[cell].fill.fgColor.rgb) == ("solid", HIGHLIGHT_RGB)
        assert sheet[cell].font.i and sheet[cell].border.left.style == "thin"  # its own look otherwise
    assert sheet["C3"].fill.fgColor.rgb != HIGHLIGHT_RGB  # same original format, not a review row
    assert book.sheetnames == ["Form", "Lists", "Locked", "Autofill review"]
    listed = book["Autofill review"]
    rows = [[cell.value for cell in row] for row in listed.iter_rows()]
    assert rows[0] == REVIEW_HEADER
    assert rows[1] == [
        "Form",
        "C2",
        "Q1",
        "Question number 1?",
        "Yes",
        72,
        "Data is encrypted with AES-256.",
        'enc-at-rest: Yes (72) to "Is data encrypted at rest?"\nenc-legacy: No (61)',  # (the phrasing answered)
        "two claims",
        None,
    ]
    assert rows[2][:5] == ["Form", "C4", "Q3", "Question number 3?", "No"] and len(rows) == 3
    assert all(cell.font.b for cell in listed[1]) and listed.freeze_panes == "A2"
    assert listed.column_dimensions["D"].width == 60
    (decision,) = listed.data_validations.dataValidation
    assert (decision.type, decision.formula1, str(decision.sqref)) == (
        "list",
        '"accept,candidate 2,candidate 3,reject"',
        "J2:J3",
    )
    assert not decision.showErrorMessage  # a typed answer is still allowed
    assert listed["B2"].hyperlink.location == "'Form'!C2"


def test_review_of_mark_cells_highlights_each_box(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    marks = (("Yes", "F3"), ("No", "G3"))
    outcomes = [review(question(3, answer_cell=None, mark_cells=marks))]
    write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    book = load(dst)
    assert {book["Form"][c].fill.fgColor.rgb for c in ("F3", "G3")} == {HIGHLIGHT_RGB}
    assert book["Autofill review"]["B2"].value == "F3, G3"


def test_review_sheet_name_is_unique(form: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(form)
    book.create_sheet("Autofill Review")
    book.save(form)
    dst = tmp_path / "out.xlsx"
    outcomes = [review(question(2))]
    write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    assert load(dst).sheetnames[-2:] == ["Autofill Review", "Autofill review (2)"]


def test_no_review_sheet_without_review_rows(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    write_answers(form, dst, [answered(question(2), "Yes")])
    assert "Autofill review" not in load(dst).sheetnames


def test_protected_workbook_structure_gets_no_review_sheet(form: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(form)
    book.security.lockStructure = True
    book.save(form)
    dst = tmp_path / "out.xlsx"
    outcomes = [review(question(2)), answered(question(3), "Yes")]
    stats = write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    assert load(dst).sheetnames == ["Form", "Lists", "Locked"]
    assert stats.warnings == [
        "the workbook structure is protected, so no 'Autofill review' sheet was added; "
        "the 1 rows to review are highlighted"
    ]
    assert load(dst)["Form"]["C2"].fill.fgColor.rgb == HIGHLIGHT_RGB


# --- safety of the output ----------------------------------------------------------------------------


def test_input_is_never_the_output(form: Path) -> None:
    with pytest.raises(FormError, match="form.xlsx: is the input form; choose a different output file"):
        write_answers(form, form, [answered(question(2), "Yes")])
    link = form.with_name("link.xlsx")
    link.hardlink_to(form)
    with pytest.raises(FormError, match="is the input form"):
        write_answers(form, link, [answered(question(2), "Yes")])


def test_hostile_input_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(FormError, match="is not a valid .xlsx file"):
        write_answers(path, tmp_path / "out.xlsx", [])
    assert not (tmp_path / "out.xlsx").exists()


def test_unwritable_output_is_a_form_error(form: Path, tmp_path: Path) -> None:
    with pytest.raises(FormError, match="out.xlsx: cannot be written .*; choose another output path"):
        write_answers(form, tmp_path / "missing" / "out.xlsx", [answered(question(2), "Yes")])


def test_existing_output_is_replaced_whole(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    dst.write_bytes(b"old output")
    write_answers(form, dst, [answered(question(2), "Yes")])
    assert load(dst)["Form"]["C2"].value == "Yes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["form.xlsx", "out.xlsx"]


def test_write_atomic_leaves_nothing_on_failure(tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    dst.write_bytes(b"previous")

    def fail(stream: Any) -> None:
        stream.write(b"partial")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomic(dst, fail)
    assert dst.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    write_atomic(tmp_path / "new.xlsx", lambda stream: stream.write(b"complete") and None)
    assert (tmp_path / "new.xlsx").read_bytes() == b"complete"


# --- verify_output catches losses ----------------------------------------------------------------------


def tamper(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as package:
        entries = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in entries:
            package.writestr(info.filename, change(data) if info.filename == part else data)


@pytest.mark.parametrize(
    ("part", "change", "message"),
    [
        pytest.param(
            "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(rb'<mergeCells count="1"><mergeCell ref="A8:E8"/></mergeCells>', b"", xml),
            "sheet 'Form' lost merged ranges (1 in the input, 0 now)",
            id="merge",
        ),
        pytest.param(
            "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(rb"<dataValidations.*?</dataValidations>", b"", xml, flags=re.DOTALL),
            "sheet 'Form' lost data validations (1 in the input, 0 now)",
            id="validation",
        ),
        pytest.param(
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b">Yes</t>", b">No</t>"),
            "sheet 'Form' C2 holds 'No' where autofill wrote 'Yes'",
            id="answer",
        ),
        pytest.param(
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b"<f>C2</f>", b""),
            "sheet 'Form' lost formula cells (6 in the input, 5 now)",
            id="formula",
        ),
        pytest.param(
            "xl/workbook.xml",
            lambda xml: re.sub(rb"<definedNames>.*?</definedNames>", b"", xml, flags=re.DOTALL),
            "lost defined names: Answers",
            id="name",
        ),
        pytest.param(
            "xl/workbook.xml",
            lambda xml: xml.replace(b' state="hidden"', b""),
            "lost sheet 'Lists'",
            id="hidden",
        ),
        pytest.param(
            "xl/theme/theme1.xml",
            lambda xml: xml + b" ",
            "changed part xl/theme/theme1.xml, which autofill never edits",
            id="part",
        ),
    ],
)
def test_verify_output_names_what_was_lost(
    form: Path, tmp_path: Path, part: str, change: Callable[[bytes], bytes], message: str
) -> None:
    dst = tmp_path / "out.xlsx"
    outcomes = [answered(question(2), "Yes")]
    write_answers(form, dst, outcomes)
    tamper(dst, part, change)
    with pytest.raises(FidelityError) as caught:
        verify_output(form, dst, outcomes)
    assert str(caught.value) == f"out.xlsx: {message}"


def test_verify_output_catches_injection(form: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.xlsx"
    outcomes = [answered(question(2, choices=None), "'=1+1")]
    write_answers(form, dst, outcomes)
    verify_output(form, dst, outcomes)
    tamper(dst, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b">'=1+1</t>", b">=1+1</t>"))
    with pytest.raises(FidelityError, match="C2 holds '=1\\+1' where autofill wrote"):
        verify_output(form, dst, outcomes)


# --- real questionnaires -----------------------------------------------------------------------------


def test_hecvat_keeps_its_x14_dropdowns(questionnaire: Callable[[str], Path], tmp_path: Path) -> None:
    src = questionnaire("hecvat-v4.1.4.xlsx")
    part = worksheet_part(src, "Organization")
    before = etree.fromstring(sheet_xml(src, part))
    lists = [v for v in before.iter(X14_VALIDATION) if "$J$3:$J$4" in etree.tostring(v).decode()]
    assert lists, "the Yes/No x14 list of Organization moved"
    target = next(ref for ref in re.findall(r"C\d+", etree.tostring(lists[0]).decode()))  # e.g. C22
    row = int(target[1:])
    where = Location(row=row, cell=target, sheet="Organization")
    outcomes = [
        answered(
            FormQuestion(location=where, text="q", answer_cell=target, comment_cell=f"D{row}", choices=("Yes", "No")),
            "Yes",
            "Yes, see our SOC 2.",
        ),
        answered(
            FormQuestion(location=Location(row=13, cell="C13", sheet="Organization"), text="name", answer_cell="C13"),
            "Acme",
        ),
        review(
            FormQuestion(
                location=Location(row=row + 1, cell=f"C{row + 1}", sheet="Organization"),
                text="q2",
                answer_cell=f"C{row + 1}",
            )
        ),
    ]
    dst = tmp_path / "hecvat.filled.xlsx"
    stats = write_answers(src, dst, outcomes)
    verify_output(src, dst, outcomes)
    after = etree.fromstring(sheet_xml(dst, part))
    assert sum(1 for _ in after.iter(X14_VALIDATION)) == sum(1 for _ in before.iter(X14_VALIDATION)) == 2
    assert stats.warnings == ["'Organization' row 13: C13 holds a formula; left it as is"]
    assert read_cells(dst, "Organization", [target, f"D{row}"], data_only=True) == ["Yes", "Yes, see our SOC 2."]
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst) as new:
        changed = {i.filename for i in old.infolist() if new.getinfo(i.filename).CRC != i.CRC}
    assert changed == {part, "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}


def test_caiq_v4_protected_sheet(questionnaire: Callable[[str], Path], tmp_path: Path) -> None:
    src = questionnaire("caiq-v4.0.2.xlsx")
    where = Location(row=3, cell="C3", sheet="CAIQv4.0.2")
    q = FormQuestion(
        location=where, text="q", qid="A&A-01.1", answer_cell="C3", comment_cell="E3", choices=("Yes", "No", "NA")
    )
    locked = FormQuestion(
        location=Location(row=4, cell="B4", sheet="CAIQv4.0.2"), text="q", qid="A&A-01.2", answer_cell="B4"
    )
    outcomes = [answered(q, "Yes", "Audited yearly."), answered(locked, "overwrite the question")]
    dst = tmp_path / "caiq.filled.xlsx"
    stats = write_answers(src, dst, outcomes)
    verify_output(src, dst, outcomes)
    assert read_cells(dst, "CAIQv4.0.2", ["C3", "E3"]) == ["Yes", "Audited yearly."]
    protection = re.compile(rb"<sheetProtection [^>]*>")
    part = worksheet_part(src, "CAIQv4.0.2")
    assert protection.findall(sheet_xml(dst, part)) == protection.findall(sheet_xml(src, part)) != []
    assert read_cells(dst, "CAIQv4.0.2", ["B4"]) != ["overwrite the question"]
    assert stats.warnings == [
        "'CAIQv4.0.2' A&A-01.2: B4 is locked on a protected sheet; "
        "left it as is (unprotect the sheet to let autofill write)"
    ]


def test_caiq_v3_checkbox_columns(questionnaire: Callable[[str], Path], tmp_path: Path) -> None:
    src = questionnaire("caiq-v3.0.1.xlsx")
    sheet_name = "CSA CAIQ v3.0.1"
    outcomes = []
    for row in (5, 6, 7):
        marks = (("Yes", f"F{row}"), ("No", f"G{row}"), ("Not Applicable", f"H{row}"))
        q = FormQuestion(
            location=Location(row=row, cell=f"F{row}", sheet=sheet_name),
            text="q",
            mark_cells=marks,
            comment_cell=f"I{row}",
        )
        outcomes.append(answered(q, ["Yes", "No", "Not Applicable"][row - 5], "note"))
    outcomes.append(
        review(
            FormQuestion(
                location=Location(row=8, cell="F8", sheet=sheet_name),
                text="q",
                mark_cells=(("Yes", "F8"), ("No", "G8")),
            )
        )
    )
    dst = tmp_path / "caiq3.filled.xlsx"
    write_answers(src, dst, outcomes)
    verify_output(src, dst, outcomes)  # also proves the 3,360 merged ranges survived
    # read-only, as a full openpyxl load spends 15 s on the 3,360 merges
    assert read_cells(dst, sheet_name, ["F5", "G6", "H7", "I5", "fill:F8"]) == ["x", "x", "x", "note", HIGHLIGHT_RGB]


def test_boxes_typed_in_the_answer_cell_are_ticked_in_place(tmp_path: Path) -> None:
    # round 107: "( ) Yes ( ) No" typed in an answer cell was read as the customer's answer and kept
    form, out = tmp_path / "typed.xlsx", tmp_path / "typed.filled.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Ref", "Question", "Response", "Comments"])
    sheet.append(["1", "Is data encrypted at rest using AES-256?", "( ) Yes ( ) No", None])
    sheet.append(["2", "Do you use customer API data to train your models by default?", "☐ Yes ☐ No ☐ N/A", None])
    sheet.append(["3", "Do you offer a Data Processing Agreement?", "[x] Yes [ ] No", None])  # the customer's own
    # round 108: with a drop-down list too, the boxes are a prompt; a tail after the last label is no label
    sheet.append(["4", "Do you offer a Data Processing Agreement?", "( ) Yes ( ) No", None])
    sheet.append(["5", "Is data encrypted at rest using AES-256?", "[ ] Yes [ ] No - attach evidence", None])
    # round 110: every box ticked is the customer's own (kept), a box with a non-breaking space is a box
    sheet.append(["6", "Is data encrypted at rest using AES-256?", "(X) Yes (X) No", None])
    sheet.append(["7", "Is data encrypted at rest using AES-256?", "[\u00a0] Yes [\u00a0] No", None])
    validation = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
    sheet.add_data_validation(validation)
    validation.add("C5")
    book.save(form)
    done = subprocess.run(
        [sys.executable, "-m", "autofill", "fill", str(form), "-o", str(out), "--product", "api"],
        capture_output=True,
        text=True,
        env={**os.environ, "AUTOFILL_LEDGER": "off", "AUTOFILL_MEANING": "0"},
    )
    assert done.returncode == 0, done.stderr
    filled = openpyxl.load_workbook(out).active
    assert [filled[f"C{row}"].value for row in (2, 3, 4, 5, 6, 7, 8)] == [
        "(X) Yes ( ) No",
        "☐ Yes ☒ No ☐ N/A",
        "[x] Yes [ ] No",
        "Yes",
        "[X] Yes [ ] No - attach evidence",
        "(X) Yes (X) No",
        "[X] Yes [\u00a0] No",
    ]
    assert "AES-256" in filled["D2"].value and filled["D4"].value is None
