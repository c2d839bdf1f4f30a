"""`autofill finalize`: the copy that goes to the customer has no review sheet and no review mark,
and every cell of the customer's own looks as it did in the form received."""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pexpect
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName

from tests import test_review
from tests.test_review import (
    HIGHLIGHT,
    ROWS,
    answer,
    fill,
    fill_for_review,
    review_rows,
    run,
    run_process,
    spawn,
    word_form,
    write_csv,
)

BAND = "FFDDEBF7"
kb, make_form = test_review.kb, test_review.make_form  # the review tests' fixtures


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _banded(make_form: Callable[..., Path]) -> Path:
    """The test form with the customer's own colour on two answer cells."""
    form = make_form(ROWS)
    book = openpyxl.load_workbook(form)
    for row in (2, 4):
        book["Security"].cell(row, 3).fill = PatternFill("solid", fgColor=BAND)
    book.save(form)
    return form


def test_final_copy_drops_the_review_sheet_and_gives_every_cell_its_own_look(
    make_form: Callable[..., Path], kb: Path, tmp_path: Path
) -> None:
    form = _banded(make_form)
    filled = fill_for_review(form, kb)
    decisions = write_csv(tmp_path / "d.csv", [{"sheet": "Security", "row": "3", "decision": "answer:No"}])
    assert run("review", filled, "--kb", kb, "--decisions", decisions, "--who", "bot")[0] == 0
    before = _digest(filled)
    code, output = run_process("finalize", filled)
    assert code == 0, output
    final = filled.with_name("form.final.xlsx")
    assert "removed the sheet 'Autofill review'" in output and "4 row(s) were still flagged" in output
    assert _digest(filled) == before  # the working copy is never changed
    book = openpyxl.load_workbook(final)
    assert book.sheetnames == ["Security"]
    sheet, received = book["Security"], openpyxl.load_workbook(form)["Security"]
    assert sheet.cell(3, 3).value == "No"  # the reviewed answer stays
    for row in range(1, len(ROWS) + 2):
        for col in range(1, 5):
            mine, theirs = sheet.cell(row, col), received.cell(row, col)
            assert (mine.fill.fill_type, mine.fill.fgColor.rgb) == (theirs.fill.fill_type, theirs.fill.fgColor.rgb)
            if (row, col) != (3, 3):
                assert mine.value == theirs.value, (row, col)
    assert sheet.data_validations.dataValidation[0].formula1 == '"Yes,No,N/A"'
    with zipfile.ZipFile(final) as package:
        text = b"".join(package.read(name) for name in package.namelist())
    assert b"Autofill review" not in text and b"Candidates" not in text and HIGHLIGHT.encode() in text  # unused format


def _shared_strings(path: Path) -> None:
    """Rewrite the workbook's text cells as Excel saves them: through one shared-strings table."""
    inline = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?) t="inlineStr"([^>]*)><is><t(?: [^>]*)?>([^<]*)</t></is></c>')
    table: dict[str, int] = {}

    def shared(m: re.Match[str]) -> str:
        index = table.setdefault(m[4], len(table))
        return f'<c r="{m[1]}"{m[2]} t="s"{m[3]}><v>{index}</v></c>'

    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = inline.sub(shared, parts[name].decode()).encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in table)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{main}" count="{len(table)}">{items}</sst>'.encode()
    rel = (
        '<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    )
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", rel + "</Relationships>").encode()
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    types = parts["[Content_Types].xml"].decode()
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/>'
    parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def test_a_workbook_saved_in_excel_after_the_fill_keeps_no_trace_of_the_review(
    make_form: Callable[..., Path], kb: Path, tmp_path: Path
) -> None:
    filled = fill_for_review(make_form(ROWS), kb)
    notes = [str(r["Candidates"]) for r in review_rows(filled)]
    # as a colleague's Excel leaves it: shared strings, the review sheet active, a filter and a
    # print area of its own, and a name of the customer's sheet after it in the list
    book = openpyxl.load_workbook(filled)
    review = book["Autofill review"]
    review.auto_filter.ref = "A1:J6"
    review.print_area = "A1:J6"
    book.create_sheet("Customer notes")
    book["Customer notes"]["A1"] = "kept"
    book.move_sheet("Customer notes", offset=-2)
    book["Customer notes"].defined_names["Kept"] = DefinedName("Kept", attr_text="'Customer notes'!$A$1")
    book.active = book.sheetnames.index("Autofill review")
    resaved = tmp_path / "resaved.xlsx"
    book.save(resaved)
    _shared_strings(resaved)
    with zipfile.ZipFile(resaved) as package:
        assert notes[0].splitlines()[0].encode() in package.read("xl/sharedStrings.xml")
    final = tmp_path / "to-send.xlsx"
    code, output = run("finalize", resaved, "-o", final)
    assert code == 0, output
    sent = openpyxl.load_workbook(final)
    assert sent.sheetnames == ["Customer notes", "Security"]
    assert sent["Customer notes"]["A1"].value == "kept" and "Kept" in sent["Customer notes"].defined_names
    assert sent.active.title in sent.sheetnames
    with zipfile.ZipFile(final) as package:
        text = b"".join(package.read(name) for name in package.namelist())
    assert all(note.splitlines()[0].encode() not in text for note in notes if note)
    assert b"Autofill review" not in text


def test_a_word_form_goes_out_without_its_review_shading(kb: Path, tmp_path: Path) -> None:
    form = word_form(tmp_path)
    report = tmp_path / "report.json"
    filled = fill(form, kb, "--auto-threshold", "100", "--review-threshold", "20", "--report", str(report))
    assert any('w:fill="FFD8A8"' in row.cells[1]._tc.xml for row in docx.Document(str(filled)).tables[0].rows)
    code, output = run("finalize", report)  # the report names the filled form
    assert code == 0, output
    rows = docx.Document(str(tmp_path / "form.final.docx")).tables[0].rows
    assert not any("FFD8A8" in row.cells[1]._tc.xml for row in rows)
    assert [[c.text for c in row.cells] for row in rows] == [
        [c.text for c in row.cells] for row in docx.Document(str(filled)).tables[0].rows
    ]


def test_a_word_question_in_paragraphs_counts_once_as_still_flagged(kb: Path, tmp_path: Path) -> None:
    # round 82: a question paragraph and its tick-box line below were two marks, and finalize said
    # "9 row(s) were still flagged" for 7 rows
    document = docx.Document()
    for question in (f"1.1 {ROWS[2][1]}", f"1.2 {ROWS[4][1]}"):
        document.add_paragraph(question)
        document.add_paragraph("☐ Yes      ☐ No      ☐ N/A")
        document.add_paragraph("Comments: ")
    form = tmp_path / "form.docx"
    document.save(str(form))
    filled = fill(form, kb, "--auto-threshold", "100", "--review-threshold", "20")
    assert sum('w:fill="FFD8A8"' in p._p.xml for p in docx.Document(str(filled)).paragraphs) >= 3
    code, output = run("finalize", filled)
    assert code == 0 and "2 row(s) were still flagged" in output, output


def test_finalize_says_when_it_had_nothing_to_take_off(make_form: Callable[..., Path], kb: Path) -> None:
    # round 97: the blank form given by mistake came back "Wrote form.final.xlsx" and nothing more
    blank = make_form(ROWS)
    code, output = run("finalize", blank)
    assert code == 0 and "an unchanged copy" in output and "no review sheet or review marks" in output, output
    filled = fill_for_review(make_form(ROWS), kb)
    code, output = run("finalize", filled)
    assert code == 0 and "removed the sheet 'Autofill review'" in output and "unchanged" not in output, output


def test_finalize_tells_rejected_rows_from_rows_never_reviewed(make_form: Callable[..., Path], kb: Path) -> None:
    # round 108: rows whose suggestion a reviewer rejected were counted as "still flagged ... review them first"
    filled = fill_for_review(make_form(ROWS), kb)
    book = openpyxl.load_workbook(filled)
    book["Autofill review"]["J2"] = "reject"
    book.save(filled)
    assert run("apply", filled, "--kb", kb)[0] == 0
    code, output = run("finalize", filled)
    flagged = len(review_rows(filled)) - 1
    assert code == 0 and "1 row(s) whose suggestion was rejected go out blank" in output, output
    assert f"{flagged} row(s) were still flagged for review" in output, output


def test_finalize_refuses_what_it_cannot_make_a_copy_of(
    make_form: Callable[..., Path], kb: Path, tmp_path: Path
) -> None:
    filled = fill_for_review(make_form(ROWS), kb)
    code, output = run_process("finalize", filled, "-o", filled)
    assert code == 2 and "is the filled form itself" in output and "Traceback" not in output
    code, output = run_process("finalize", filled, "-o", tmp_path / "copy.docx")
    assert code == 2 and "same extension" in output
    book = openpyxl.load_workbook(filled)  # a colleague typed a decision in Excel and nobody applied it
    book["Autofill review"]["J3"] = "No - not offered"
    book.save(filled)
    code, output = run_process("finalize", filled)
    assert code == 2 and "1 decision(s) typed but not written (row 3)" in output and "autofill apply" in output
    assert not filled.with_name("form.final.xlsx").exists()
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    code, output = run_process("finalize", junk)
    assert code == 2 and len(output.strip().splitlines()) == 1 and not (tmp_path / "junk.final.xlsx").exists()


def test_finalize_refuses_a_form_whose_terminal_review_is_saved_but_not_written(kb: Path, tmp_path: Path) -> None:
    # round 63: a Word form's decisions, saved by a review that quit before writing, were dropped
    filled = fill(word_form(tmp_path), kb, "--auto-threshold", "100", "--review-threshold", "20")
    child = spawn("review", filled, "--kb", kb, "--who", "tester")
    answer(child, "a")
    child.expect_exact("accept (saved)")
    answer(child, "q")
    child.expect(pexpect.EOF)
    code, output = run_process("finalize", filled)
    assert code == 2 and "saved in form.filled.docx.review.json and not written" in output, output
    assert not (tmp_path / "form.final.docx").exists()
