"""The xlsx reader: header detection on small built workbooks, and every real questionnaire."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles import Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from autofill.errors import FormError
from autofill.forms import xlsx_package, xlsx_read
from autofill.forms.xlsx_read import load_profiles, profiles_dir, read_questions
from autofill.models import FormRead, ReadOptions

Rows = list[list[Any]]
Edit = Callable[[Worksheet], None]
MakeXlsx = Callable[..., Path]
HEADER = ["ID", "Question", "Answer", "Comments"]
NO_OPTIONS = ReadOptions()


# --- fixture helpers ---------------------------------------------------------------------


@pytest.fixture
def make_xlsx(tmp_path: Path) -> MakeXlsx:
    """Build a workbook from sheets of rows ({title: rows}), then apply `edit` to each sheet."""

    def _make(sheets: dict[str, Rows] | Rows, name: str = "form.xlsx", edit: Edit | None = None) -> Path:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in (sheets if isinstance(sheets, dict) else {"Questions": sheets}).items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
            if edit is not None:
                edit(sheet)
        path = tmp_path / name
        book.save(path)
        return path

    return _make


def dropdown(values: str, cells: str) -> Edit:
    """An edit adding a list validation, e.g. dropdown('"Yes,No,NA"', "C2:C9")."""

    def _edit(sheet: Worksheet) -> None:
        sheet.add_data_validation(DataValidation(type="list", formula1=values, sqref=cells))

    return _edit


def patch_sheet_xml(path: Path, change: Callable[[str], str], part: str = "xl/worksheets/sheet1.xml") -> None:
    """Rewrite one part of a saved workbook (for XML openpyxl cannot write, such as x14 validations)."""
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    parts[part] = change(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def by_qid(read: FormRead) -> dict[str | None, Any]:
    return {q.qid: q for q in read.questions}


# --- layouts -----------------------------------------------------------------------------


def test_plain_header_on_row_one(make_xlsx: MakeXlsx) -> None:
    rows = [HEADER, ["Q-1", "Is data encrypted at rest?", None, None], ["Q-2", "Do you run MFA?", None, None]]
    read = read_questions(make_xlsx(rows, edit=dropdown('"Yes,No,N/A"', "C2:C3")), NO_OPTIONS)
    assert read.kind == "xlsx" and read.profile is None
    first = read.questions[0]
    assert (first.qid, first.text, first.answer_cell, first.comment_cell) == (
        "Q-1",
        "Is data encrypted at rest?",
        "C2",
        "D2",
    )
    assert first.location.as_dict() == {"sheet": "Questions", "row": 2, "cell": "C2"}
    assert first.choices == ("Yes", "No", "N/A")
    assert first.existing is None and first.mark_cells == ()


@pytest.mark.parametrize("header", ["Supporting reference", "Policy / document reference", "Evidence ref", "Citation"])
def test_a_reference_column_for_the_rows_sources_takes_the_citations(make_xlsx: MakeXlsx, header: str) -> None:
    # rounds 112a and 114b: "Supporting reference" was read as a row-id column; citations went to the report only
    rows = [["Ref", "Question", "Vendor response", header], ["Q-1", "Is data encrypted at rest?", None, None]]
    (first,) = read_questions(make_xlsx(rows), NO_OPTIONS).questions
    assert (first.qid, first.answer_cell, first.comment_cell) == ("Q-1", "C2", "D2")


def test_header_below_titles_and_a_logo_banner(make_xlsx: MakeXlsx) -> None:
    rows: Rows = [
        ["Acme Corp vendor security questionnaire"],
        ["Please answer every question. Return by 1 March."],
        [],
        ["Vendor:", None, None],
        ["#", "Security requirement", "Vendor response", "Supporting evidence"],
        ["1", "Do you encrypt backups?", None, None],
        ["2", "Do you log admin access?", None, None],
    ]

    def merge_title(sheet: Worksheet) -> None:
        sheet.merge_cells("A1:D1")

    read = read_questions(make_xlsx(rows, edit=merge_title), NO_OPTIONS)
    assert [(q.qid, q.location.row, q.answer_cell, q.comment_cell) for q in read.questions] == [
        ("1", 6, "C6", "D6"),
        ("2", 7, "C7", "D7"),
    ]


def test_repeated_section_headers_give_context(make_xlsx: MakeXlsx) -> None:
    rows: Rows = [
        ["Vendor assessment", None, None, None],
        ["Company", "Question", "Answer", "Additional Information"],
        ["COMP-01", "Do you have a security team?", None, None],
        ["Documentation", None, "Answer", "Additional Information"],
        ["DOCU-01", "Do you have a BCP?", None, None],
        ["DOCU-02", "Do you have a DRP?", None, None],
        ["Copyright © 2025 Example Org"],
    ]
    read = read_questions(make_xlsx(rows), NO_OPTIONS)
    assert [(q.qid, q.context) for q in read.questions] == [
        ("COMP-01", ("Company",)),
        ("DOCU-01", ("Documentation",)),
        ("DOCU-02", ("Documentation",)),
    ]


def test_merged_banner_and_id_less_title_rows_are_sections(make_xlsx: MakeXlsx) -> None:
    rows: Rows = [
        HEADER,
        ["Section 1: Access control"],
        ["1.1", "Is MFA enforced for admins?", None, None],
        [None, "Encryption", None, None],
        ["2.1", "Is data encrypted in transit?", None, None],
    ]

    def merge_banner(sheet: Worksheet) -> None:
        sheet.merge_cells("A2:D2")

    read = read_questions(make_xlsx(rows, edit=merge_banner), NO_OPTIONS)
    assert [(q.qid, q.context) for q in read.questions] == [
        ("1.1", ("Section 1: Access control",)),
        ("2.1", ("Encryption",)),
    ]


@pytest.mark.parametrize("listed", [True, False])
def test_a_heading_in_the_question_column_of_a_form_without_ids_heads_the_rows_below(
    make_xlsx: MakeXlsx, listed: bool
) -> None:
    # round 36: "Subprocessors" typed (not merged) in the question column of a Question | Answer |
    # Notes form was read as a question of its own, and the rows under it as the vendor's
    rows: Rows = [
        ["Question", "Answer", "Notes"],
        ["Identity and access", None, None],
        ["Do you require MFA for employees?", None, None],
        ["Is SSO supported?", None, None],
        ["Subprocessors", None, None],
        ["Do you have a bug bounty program?", None, None],
        ["Do you sell customer data?", None, None],
        ["Section 5: Customer responsibilities", None, None],
        ["Do you encrypt backups?", None, None],
    ]
    cells = "B3:B4 B6:B7 B9" if listed else "B2:B9"  # a list on the question rows only, or on the whole column
    read = read_questions(make_xlsx(rows, edit=dropdown('"Yes,No"', cells)), NO_OPTIONS)
    found = [(q.text, q.context) for q in read.questions]
    assert ("Do you have a bug bounty program?", ("Subprocessors",)) in found
    assert ("Do you encrypt backups?", ("Section 5: Customer responsibilities",)) in found
    assert ("Do you require MFA for employees?", ("Identity and access",)) in found
    # the list says which rows are questions; without it a heading may be a row that wants a name too
    assert ("Subprocessors" in [text for text, _ in found]) is not listed


def test_a_label_row_is_no_heading_in_a_form_of_labels(make_xlsx: MakeXlsx) -> None:
    rows: Rows = [
        ["Question", "Answer", "Notes"],
        ["Company name", None, None],
        ["Website", None, None],
        ["Hosting provider", None, None],
        ["Encryption at rest (AES-256)", None, None],
        ["Do you have a bug bounty program?", None, None],
    ]
    read = read_questions(make_xlsx(rows, edit=dropdown('"Yes,No"', "B2:B6")), NO_OPTIONS)
    assert [q.context for q in read.questions] == [()] * 5


def test_a_title_after_a_profile_of_fields_and_a_list_of_items_still_heads_its_questions(
    make_xlsx: MakeXlsx,
) -> None:
    # round 39: a form that was mostly fields ("Company name", items under "Which certifications
    # do you hold?") lost every title below them, and the rows under "Subprocessors" took the
    # vendor's answers
    rows: Rows = [
        ["Question", "Response", "Comments"],
        ["Company name", None, None],
        ["Hosting provider", None, None],
        ["Encryption at rest (AES-256)", None, None],
        ["Which certifications do you hold?", None, None],
        ["ISO 27001", None, None],
        ["SOC 2 Type 2", None, None],
        ["PCI DSS", None, None],
        ["Do you have a bug bounty program?", None, None],
        ["Subprocessors", None, None],
        ["Do you encrypt data at rest?", None, None],
        ["Do you have a SOC 2 Type 2 report?", None, None],
    ]
    read = read_questions(make_xlsx(rows, edit=dropdown('"Yes,No"', "B2:B12")), NO_OPTIONS)
    assert len(read.questions) == 11  # every row read, the title too (it might want a name)
    context = {q.text: q.context for q in read.questions}
    assert context["Do you encrypt data at rest?"] == ("Subprocessors",)
    assert context["Do you have a bug bounty program?"] == ()  # "PCI DSS" is an item of the list
    assert context["ISO 27001"] == ()


def test_columns_headed_by_products_are_answers_for_each_and_a_matrix_says_how_to_fill_it(
    make_xlsx: MakeXlsx,
) -> None:
    # round 41: "Question | Enterprise" was skipped, "Question | API | Enterprise | Team" too with a
    # note saying only "no answer column", and "ChatGPT Team | ... | Vendor response - API" filled the
    # API's column without a word on the others
    rows = {
        "One": [["Question", "Enterprise"], ["Is SSO supported?", None]],
        "Matrix": [["ID", "Question", "API", "Enterprise", "Team"], ["M-1", "Is SSO supported?", None, None, None]],
        "Mixed": [["Question", "ChatGPT Team", "Vendor response - API"], ["Is SSO supported?", None, None]],
    }
    read = read_questions(make_xlsx(rows), NO_OPTIONS)
    cells = [(q.location.sheet, q.answer_cell, q.product) for q in read.questions]
    assert cells == [
        ("One", "B2", None),
        ("Matrix", "C2", "api"),
        ("Matrix", "D2", "chatgpt-enterprise"),
        ("Matrix", "E2", "chatgpt-team"),
        ("Mixed", "B2", "chatgpt-team"),
        ("Mixed", "C2", "api"),
    ]
    notes = "\n".join(read.notes)
    assert "sheet 'One': took column B as answers (its header names a product)" in notes
    assert "sheet 'Matrix': a column for each product: C (API); D (Enterprise); E (Team)" in notes
    # with --product, its own column alone
    only = read_questions(make_xlsx(rows, name="only.xlsx"), replace(NO_OPTIONS, product="api"))
    assert [(q.location.sheet, q.answer_cell) for q in only.questions] == [
        ("One", "B2"),
        ("Matrix", "C2"),
        ("Mixed", "C2"),
    ]
    assert "left D (Enterprise), E (Team)" in "\n".join(only.notes)


def test_a_header_with_a_product_word_that_is_no_product_column_is_left_alone(make_xlsx: MakeXlsx) -> None:
    # round 42: "Team responsible" and "API endpoint" were named as product columns, with a command
    # that would have written into them; "Evidence (Enterprise)" took the citations from "Comments"
    rows = {
        "S1": [
            ["#", "Question", "Team responsible", "Answer", "Comments"],
            ["S1.1", "Is SSO supported?", None, None, None],
        ],
        "S3": [["Question", "API endpoint", "Answer", "Notes"], ["Is SSO supported?", None, None, None]],
        "S5": [["Question", "Answer", "Evidence (Enterprise)", "Comments"], ["Is SSO supported?", None, None, None]],
    }
    read = read_questions(make_xlsx(rows), NO_OPTIONS)
    cells = {q.location.sheet: (q.answer_cell, q.comment_cell) for q in read.questions}
    assert cells == {"S1": ("D2", "E2"), "S3": ("C2", "D2"), "S5": ("B2", "D2")}
    assert not [n for n in read.notes if "ask of a product" in n]


def test_an_item_column_of_questions_beside_a_number_column_is_the_question_column(make_xlsx: MakeXlsx) -> None:
    # round 37: "# | Item | Yes/No/N/A | Notes" took "Item" for an id, and a row saying "controls"
    # further down for the header: 14 of 40 rows read, without the notes column
    rows: Rows = [["#", "Item", "Yes/No/N/A", "Notes"]]
    rows += [[f"F{n:02}", f"Customer can export its data in format {n}", None, None] for n in range(1, 31)]
    rows += [["F31", "Customer controls data retention", None, None], ["F32", "MFA for admins", None, None]]
    read = read_questions(make_xlsx(rows), NO_OPTIONS)
    assert len(read.questions) == 32
    assert (read.questions[0].answer_cell, read.questions[0].comment_cell) == ("C2", "D2")
    assert read.questions[0].qid == "F01"


def test_a_numbered_row_over_its_numbered_questions_is_a_section(make_xlsx: MakeXlsx) -> None:
    # round 25: "2 | Backups" over "2.1 | Is data encrypted at rest?" was read as a question, so the
    # rows under it were not about backups
    rows: Rows = [
        HEADER,
        ["1", "General security", None, None],
        ["1.1", "Is MFA enforced for admins?", None, None],
        ["2", "Backups", None, None],
        ["2.1", "Is data encrypted at rest?", None, None],
        ["3", "Describe your incident response process", None, None],  # no rows under it: a question
        ["4", "Is data encrypted in transit?", None, None],
    ]
    read = read_questions(make_xlsx(rows), NO_OPTIONS)
    assert [(q.qid, q.context) for q in read.questions] == [
        ("1.1", ("General security",)),
        ("2.1", ("Backups",)),
        ("3", ()),  # the numbering left section 2
        ("4", ()),
    ]


def test_a_second_block_with_its_own_header_is_read_by_its_own_columns(make_xlsx: MakeXlsx) -> None:
    # round 25: a second table below the first, "ID | Question | Guidance | Response | Comments",
    # was read with the first table's columns: the answer went into the customer's Guidance column
    rows: Rows = [
        ["Section 1"],
        ["ID", "Question", "Response", "Comments"],
        ["A1", "Is MFA enforced for admins?", None, None],
        [],
        ["Section 2"],
        ["ID", "Question", "Guidance", "Response", "Comments"],
        ["B1", "Is data encrypted in transit?", "Describe the TLS version", None, None],
    ]
    read = read_questions(make_xlsx(rows), NO_OPTIONS)
    assert [(q.qid, q.answer_cell, q.comment_cell) for q in read.questions] == [
        ("A1", "C3", "D3"),
        ("B1", "D7", "E7"),
    ]


def test_a_first_block_whose_header_says_less_than_the_seconds_is_read_too(make_xlsx: MakeXlsx) -> None:
    # round 104: the second block's header names more columns (an id, a domain, an explanation), so it
    # was taken as the sheet's header and the 18 rows of the first block were left without a word
    rows: Rows = [
        ["Section 1 - Data Protection"],
        ["#", "Control question", "Guidance for vendor", "Response", "Vendor comments"],
        ["1.1", "Is MFA enforced for admins?", "Cite the policy", None, None],
        ["1.2", "Is data encrypted at rest?", "Cite the policy", None, None],
        [],
        ["Section 2 - Compliance"],
        ["#", "Domain", "Question", "Evidence requested", "Owner", "Answer", "Explanation"],
        ["2.1", "Encryption", "Is data encrypted in transit?", "Attach a policy", "GRC", None, None],
    ]
    read = read_questions(make_xlsx(rows), NO_OPTIONS)
    assert [(q.qid, q.answer_cell, q.comment_cell) for q in read.questions] == [
        ("1.1", "D3", "E3"),
        ("1.2", "D4", "E4"),
        ("2.1", "F8", "G8"),
    ]


def test_a_column_asking_for_a_description_right_of_the_answers_takes_the_details(make_xlsx: MakeXlsx) -> None:
    # round 105: "Description of controls" right of "Yes / No" was no place for the details
    rows: Rows = [
        ["Ref", "Requirement / Question", "Yes / No", "Description of controls"],
        ["1", "Is MFA enforced for admins?", None, None],
    ]
    (question,) = read_questions(make_xlsx(rows), NO_OPTIONS).questions
    assert (question.answer_cell, question.comment_cell) == ("C2", "D2")


def test_a_comment_cell_merged_across_its_own_row_takes_the_comment(make_xlsx: MakeXlsx) -> None:
    rows: Rows = [
        [*HEADER, None],
        ["1.1", "Is MFA enforced for admins?", None, None, None],
        ["1.2", "Is data encrypted in transit?", None, None, None],
        ["1.3", "Is data encrypted at rest?", None, None, None],
    ]

    def merge_comments(sheet: Worksheet) -> None:
        sheet.merge_cells("D2:E2")
        sheet.merge_cells("D3:E3")
        sheet.merge_cells("C4:D4")  # a free-text answer over the comment column: nowhere for a comment

    read = read_questions(make_xlsx(rows, edit=merge_comments), NO_OPTIONS)
    assert [(q.answer_cell, q.comment_cell) for q in read.questions] == [("C2", "D2"), ("C3", "D3"), ("C4", None)]


@pytest.mark.parametrize("spelling", ["Yes,No,NA", "Yes,No,N/A", "Y,N"])
def test_list_choices_keep_the_form_spelling(make_xlsx: MakeXlsx, spelling: str) -> None:
    rows = [HEADER, ["Q-1", "Is data encrypted at rest?", None, None]]
    read = read_questions(make_xlsx(rows, edit=dropdown(f'"{spelling}"', "C2")), NO_OPTIONS)
    assert read.questions[0].choices == tuple(spelling.split(","))


def test_list_choices_from_a_hidden_sheet_range_and_a_defined_name(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Questions"
    for row in [HEADER, ["Q-1", "Hosting model?", None, None], ["Q-2", "Is data encrypted?", None, None]]:
        sheet.append(row)
    lists = book.create_sheet("Lists")
    lists.sheet_state = "hidden"
    for value in ["AWS", "Azure", "On premises", None, "Yes", "No"]:
        lists.append([value])
    book.defined_names["yesno"] = DefinedName("yesno", attr_text="Lists!$A$5:$A$6")
    sheet.add_data_validation(DataValidation(type="list", formula1="Lists!$A$1:$A$3", sqref="C2"))
    sheet.add_data_validation(DataValidation(type="list", formula1="yesno", sqref="C3"))
    path = tmp_path / "form.xlsx"
    book.save(path)
    read = read_questions(path, NO_OPTIONS)
    assert [q.choices for q in read.questions] == [("AWS", "Azure", "On premises"), ("Yes", "No")]
    assert "skipped hidden sheets: 'Lists'" in read.notes


@pytest.mark.parametrize("header", ["Exception / Gap identified? (Yes/No)", "Deviation (Y/N)", "Findings"])
def test_a_column_whose_yes_reports_a_shortfall_is_not_the_answer_column(make_xlsx: MakeXlsx, header: str) -> None:
    # round 25: "Exception / Gap identified? (Yes/No)" took the vendor's Yes, which reads as a gap
    rows = [["Record Yes where the vendor does NOT meet the control."], ["Ref", "Control", header, "Vendor Comments"]]
    rows += [["Q1", "Is customer data encrypted at rest?", None, None]]
    with pytest.raises(FormError, match="no answer column"):
        read_questions(make_xlsx(rows, edit=dropdown('"Yes,No"', "C3")), NO_OPTIONS)


def test_an_unreadable_list_takes_no_value_with_a_note(make_xlsx: MakeXlsx) -> None:
    # its items are unknown, so no value is known to be one of them (round 25: "Yes" in a Y / N list)
    rows = [HEADER, ["Q-1", "Is data encrypted?", None, None]]
    read = read_questions(make_xlsx(rows, edit=dropdown("INDIRECT($F$1)", "C2")), NO_OPTIONS)
    assert read.questions[0].choices == ()
    assert any("could not read the answer list 'INDIRECT($F$1)'" in note for note in read.notes)


def test_x14_dropdowns_openpyxl_drops_are_read(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx({"Questions": [HEADER, ["Q-1", "Do you scan for vulnerabilities?", None, None]], "Auto": []})
    with zipfile.ZipFile(path) as package:
        assert "xl/worksheets/sheet2.xml" in package.namelist()

    def fill_auto(xml: str) -> str:
        cells = "".join(
            f'<row r="{r}"><c r="J{r}" t="inlineStr"><is><t>{v}</t></is></c></row>'
            for r, v in ((3, "Yes"), (4, "No"), (5, "N/A"))
        )
        return re.sub(r"<sheetData\s*/>|<sheetData>.*</sheetData>", f"<sheetData>{cells}</sheetData>", xml)

    def add_x14(xml: str) -> str:
        ext = (
            '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
            'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
            '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
            '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Auto!$J$3:$J$5</xm:f>'
            "</x14:formula1><xm:sqref>C2</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
        )
        return xml.replace("</worksheet>", ext + "</worksheet>")

    patch_sheet_xml(path, fill_auto, "xl/worksheets/sheet2.xml")
    patch_sheet_xml(path, add_x14)
    read = read_questions(path, ReadOptions(sheet="Questions"))
    assert read.questions[0].choices == ("Yes", "No", "N/A")


def test_dropdown_column_without_header_words(make_xlsx: MakeXlsx) -> None:
    rows = [
        ["Do you encrypt customer data at rest?", None],
        ["Do you enforce MFA for all staff accounts?", None],
        ["Do you run annual penetration tests?", None],
    ]
    read = read_questions(make_xlsx(rows, edit=dropdown('"Yes,No"', "B1:B3")), NO_OPTIONS)
    assert [q.answer_cell for q in read.questions] == ["B1", "B2", "B3"]
    assert any("dropdown column B as answers" in note for note in read.notes)


def test_checkbox_columns_under_a_merged_answer_header(make_xlsx: MakeXlsx) -> None:
    rows: Rows = [
        ["Question ID", "Question", "Answers", None, None, "Notes"],
        [None, None, "Yes", "No", "Not Applicable", None],
        ["AB-01.1", "Is there a policy?", "x", None, None, "see policy"],
        ["AB- 01.2", "Is it reviewed yearly?", None, None, None, None],
    ]

    def merge_answers(sheet: Worksheet) -> None:
        sheet.merge_cells("C1:E1")

    read = read_questions(make_xlsx(rows, edit=merge_answers), NO_OPTIONS)
    first, second = read.questions
    assert first.mark_cells == (("Yes", "C3"), ("No", "D3"), ("N/A", "E3"))
    assert (first.answer_cell, first.choices, first.existing) == (None, ("Yes", "No", "N/A"), "Yes")
    assert (first.location.cell, first.comment_cell) == ("C3", "F3")
    assert (second.qid, second.existing) == ("AB- 01.2", None)


def test_checkbox_columns_named_in_the_header_row(make_xlsx: MakeXlsx) -> None:
    rows = [["Ref", "Control", "Yes", "No", "N/A", "Comments"], ["1", "Firewalls are reviewed", None, "X", None, None]]
    question = read_questions(make_xlsx(rows), NO_OPTIONS).questions[0]
    assert question.mark_cells == (("Yes", "C2"), ("No", "D2"), ("N/A", "E2"))
    assert question.existing == "No" and question.comment_cell == "F2"


def test_existing_answers_and_odd_cell_types(make_xlsx: MakeXlsx) -> None:
    rows: Rows = [
        HEADER,
        ["Q-1", "Is data encrypted at rest?", "Yes", "AES-256"],
        ["Q-2", "Date of last pen test?", datetime(2024, 5, 17), None],
        ["Q-3", "Number of security staff?", 12, None],
        ["Q-4", "Is logging enabled?", True, None],
        ["Q-5", "Broken reference?", "#REF!", None],
        ["Q-6", "Is MFA enforced?", "   ", None],
        [7, "  Is data\nbacked  up\n daily?  ", 0.5, None],
    ]
    read = read_questions(make_xlsx(rows), NO_OPTIONS)
    assert [(q.qid, q.existing) for q in read.questions] == [
        ("Q-1", "Yes"),
        ("Q-2", "2024-05-17"),
        ("Q-3", "12"),
        ("Q-4", "TRUE"),
        ("Q-5", None),
        ("Q-6", None),
        ("7", "0.5"),
    ]
    assert read.questions[-1].text == "Is data backed up daily?"


def test_formula_answer_cells_are_not_targets(make_xlsx: MakeXlsx) -> None:
    rows: Rows = [
        HEADER,
        ["GNRL-01", "Solution name", "='Start'!C2", None],
        ["DOCU-01", "Do you have a BCP?", None, "=B3"],
    ]
    read = read_questions(make_xlsx(rows), NO_OPTIONS)
    (only,) = read.questions
    assert (only.qid, only.answer_cell, only.comment_cell) == ("DOCU-01", "C3", None)
    assert any("skipped 1 questions whose answer cell is a formula (C2)" in note for note in read.notes)


def test_protected_sheet_reads_only_unlocked_answer_cells(make_xlsx: MakeXlsx) -> None:
    rows = [HEADER, ["Q-1", "Open question?", None, None], ["Q-2", "Locked question?", None, None]]

    def protect(sheet: Worksheet) -> None:
        sheet.protection.sheet = True
        sheet.protection.password = "secret"
        for ref in ("C2", "D2"):
            sheet[ref].protection = Protection(locked=False)

    read = read_questions(make_xlsx(rows, edit=protect), NO_OPTIONS)
    assert [(q.qid, q.answer_cell, q.comment_cell) for q in read.questions] == [("Q-1", "C2", "D2")]
    assert any("locked on this protected sheet (C3)" in note for note in read.notes)


def test_a_sheet_locked_throughout_says_so_rather_than_asking_for_columns(make_xlsx: MakeXlsx) -> None:
    rows = [HEADER, ["Q-1", "Is data encrypted?", None, None], ["Q-2", "Is MFA enforced?", None, None]]

    def protect(sheet: Worksheet) -> None:
        sheet.protection.sheet = True

    with pytest.raises(FormError, match=r"has no answer cell autofill may write: .*locked .*unprotect the sheet"):
        read_questions(make_xlsx(rows, edit=protect), NO_OPTIONS)


def test_an_instructions_sheet_naming_questions_is_skipped_without_a_hint_when_others_are_read(
    make_xlsx: MakeXlsx,
) -> None:
    sheets = {
        "Instructions": [
            ["How to complete this questionnaire"],
            ["1. Answer every question on the 'Security' sheet."],
            ["2. Do you have questions? Contact vendor-risk@acme.example."],
            ["Does your organization need an extension? Ask before the due date."],
        ],
        "Security": [HEADER, ["Q-1", "Is data encrypted at rest?", None, None]],
    }
    read = read_questions(make_xlsx(sheets), NO_OPTIONS)
    assert [q.qid for q in read.questions] == ["Q-1"]
    note = next(n for n in read.notes if n.startswith("sheet 'Instructions'"))
    assert note.endswith("; skipped") and "--answer-col" not in " ".join(read.notes), read.notes


@pytest.mark.parametrize(
    "reserved",
    [
        "Customer assessor notes",
        "Assessor comments",
        "Reviewer notes (Acme use only)",
        "Score",
        "Acme Comments (internal)",
        "Internal comments",
        "Risk team notes",
        "InfoSec review notes",
        "Procurement notes",
    ],
)
def test_a_column_the_customers_reviewers_fill_is_never_the_comment_column(make_xlsx: MakeXlsx, reserved: str) -> None:
    rows = [["ID", "Question", "Vendor response", reserved], ["Q-1", "Is data encrypted at rest?", None, None]]
    (question,) = read_questions(make_xlsx(rows), NO_OPTIONS).questions
    assert (question.answer_cell, question.comment_cell) == ("C2", None)
    rows = [["ID", "Question", "Response", reserved, "Vendor comments"], ["Q-1", "Is data encrypted at rest?"]]
    (question,) = read_questions(make_xlsx(rows), NO_OPTIONS).questions
    assert (question.answer_cell, question.comment_cell) == ("C2", "E2")


@pytest.mark.parametrize(
    "theirs",
    ["Expected Response", "Expected answer", "Required (Y/N)", "Customer answer", "Answer key", "Ideal answer",
     "Response 2023", "Previous response (2022)"],
)  # fmt: skip
def test_the_answers_the_customer_expects_or_gave_before_are_never_the_answer_column(
    make_xlsx: MakeXlsx, theirs: str
) -> None:
    # the column the vendor fills is the one that names the vendor, or this year's
    ours = "Response 2025" if "20" in theirs else "Vendor Response"
    rows = [["ID", "Question", theirs, ours, "Vendor Comments"], ["Q-1", "Is data encrypted at rest?"]]
    (question,) = read_questions(make_xlsx(rows), NO_OPTIONS).questions
    assert (question.answer_cell, question.comment_cell) == ("D2", "E2")


@pytest.mark.parametrize(
    ("subs", "hidden", "answer"),
    [
        # round 98: this year's answers went into last year's (hidden) column, the merge's first
        (("Response 2023", "Response 2025"), "", "D"),
        (("Response 2023", "Response 2025"), "C", "D"),
        (("2025", "2023"), "", "C"),
        (("FY2025", "FY2023"), "", "C"),
        (("Response 2025", "Response 2099"), "", "C"),  # a year to come is not this year's
        # round 99: last year's, the customer's, and a comments column are never the answer
        (("Previous", "Current"), "", "D"),
        (("Last year", "This year"), "", "D"),
        (("Customer", "Vendor"), "", "D"),
        (("Customer Response", "Vendor Response"), "", "D"),
        (("Answer", "Comments"), "", "C"),
        (("Current", "Previous"), "D", "C"),
    ],
)
def test_under_an_answer_header_merged_over_two_columns_the_vendors_current_one_is_the_answer(
    make_xlsx: MakeXlsx, subs: tuple[str, str], hidden: str, answer: str
) -> None:
    rows = [
        ["ID", "Question", "Vendor Response", None, "Vendor Notes"],
        [None, None, *subs, None],
        ["K1", "Is data encrypted at rest?", None, None, None],
    ]

    def edit(sheet: Worksheet) -> None:
        for span in ("A1:A2", "B1:B2", "C1:D1", "E1:E2"):
            sheet.merge_cells(span)
        if hidden:
            sheet.column_dimensions[hidden].hidden = True

    (question,) = read_questions(make_xlsx(rows, edit=edit), NO_OPTIONS).questions
    assert (question.answer_cell, question.comment_cell) == (f"{answer}3", "E3")


@pytest.mark.parametrize("subs", [("Response 2023", "Response 2025"), ("Current", "Previous")])
def test_when_the_customer_hid_the_column_the_answers_belong_in_nothing_is_written(
    make_xlsx: MakeXlsx, subs: tuple[str, str]
) -> None:
    # round 99: with this year's column hidden, the answers went into last year's beside it
    rows = [
        ["ID", "Question", "Vendor Response", None, "Vendor Notes"],
        [None, None, *subs, None],
        ["K1", "Is data encrypted at rest?", None, None, None],
    ]
    ours = "D" if subs[1].endswith("2025") else "C"

    def edit(sheet: Worksheet) -> None:
        for span in ("A1:A2", "B1:B2", "C1:D1", "E1:E2"):
            sheet.merge_cells(span)
        sheet.column_dimensions[ours].hidden = True
        sheet.add_data_validation(validation := DataValidation(type="list", formula1='"Yes,No"'))
        validation.add("C3:D3")

    with pytest.raises(FormError, match="the answer column under 'Vendor Response' is hidden"):
        read_questions(make_xlsx(rows, edit=edit), NO_OPTIONS)


def test_a_yes_no_column_or_a_question_header_takes_no_explanation(make_xlsx: MakeXlsx) -> None:
    rows = [["ID", "Question", "Response", "Evidence provided?", "Comments"], ["Q-1", "Is data encrypted at rest?"]]
    (question,) = read_questions(make_xlsx(rows), NO_OPTIONS).questions
    assert (question.answer_cell, question.comment_cell) == ("C2", "E2")
    rows = [["ID", "Question", "Response", "Evidence"], ["Q-1", "Is data encrypted at rest?"]]
    (question,) = read_questions(make_xlsx(rows, edit=dropdown('"Yes,No"', "D2:D9")), NO_OPTIONS).questions
    assert (question.answer_cell, question.comment_cell) == ("C2", None)  # a list there: not for sentences


def test_compliant_columns_are_ticked_not_typed_into(make_xlsx: MakeXlsx) -> None:
    rows = [["Ref", "Control", "Compliant", "Non-compliant", "N/A", "Comments"], ["1", "Data is encrypted at rest"]]
    question = read_questions(make_xlsx(rows), NO_OPTIONS).questions[0]
    assert question.answer_cell is None and question.comment_cell == "F2"
    assert question.mark_cells == (("Compliant", "C2"), ("Non-compliant", "D2"), ("N/A", "E2"))


def test_two_question_blocks_side_by_side_are_both_read(make_xlsx: MakeXlsx) -> None:
    rows = [
        ["ID", "Question", "Answer", None, "ID", "Question", "Answer", "Comments"],
        ["A-1", "Is data encrypted at rest?", None, None, "B-1", "Is MFA enforced for administrators?", None, None],
        ["A-2", "Do you log access?", None, None, "B-2", "Do you run penetration tests?", None, None],
    ]
    found = {(q.qid, q.answer_cell, q.comment_cell) for q in read_questions(make_xlsx(rows), NO_OPTIONS).questions}
    assert found == {("A-1", "C2", None), ("A-2", "C3", None), ("B-1", "G2", "H2"), ("B-2", "G3", "H3")}
    # a column of notes beside one block is no second block: its header names no question
    rows = [["ID", "Question", "Answer", None, "Notes"], ["A-1", "Is data encrypted at rest?", None, None, "x"]]
    assert len(read_questions(make_xlsx(rows, "one.xlsx"), NO_OPTIONS).questions) == 1


def test_a_row_that_shows_how_to_answer_is_no_question(make_xlsx: MakeXlsx) -> None:
    rows = [
        HEADER,
        ["", "Example: Is customer data encrypted at rest?", "Yes", "AES-256 (example)"],
        ["", "(Sample) Do you have a SOC 2 report?", "No", None],
        ["Q-1", "Is an example policy available?", None, None],
    ]
    assert [q.qid for q in read_questions(make_xlsx(rows), NO_OPTIONS).questions] == ["Q-1"]


def test_a_hidden_column_named_for_comments_is_written_with_a_note(make_xlsx: MakeXlsx) -> None:
    def hide_d(sheet: Worksheet) -> None:
        sheet.column_dimensions["D"].hidden = True

    form = make_xlsx([HEADER, ["Q-1", "Is data encrypted at rest?"]], edit=hide_d)
    read = read_questions(form, ReadOptions(comment_col="D"))
    assert read.questions[0].comment_cell == "D2"
    assert any("comment column D is hidden" in note for note in read.notes), read.notes


def test_hidden_sheets_rows_and_intro_sheets_are_skipped(make_xlsx: MakeXlsx) -> None:
    rows = [HEADER, ["Q-1", "Visible question?", None, None], ["Q-2", "Hidden row question?", None, None]]
    sheets = {"Introduction": [["Welcome"], ["Answer every tab."]], "Main": rows, "Old": rows}

    def hide(sheet: Worksheet) -> None:
        if sheet.title == "Old":
            sheet.sheet_state = "hidden"
        if sheet.title == "Main":
            sheet.row_dimensions[3].hidden = True

    read = read_questions(make_xlsx(sheets, edit=hide), NO_OPTIONS)
    assert [(q.location.sheet, q.qid) for q in read.questions] == [("Main", "Q-1")]
    assert "skipped hidden sheets: 'Old'" in read.notes
    assert any(note.startswith("sheet 'Introduction': no header row") for note in read.notes)
    assert "sheet 'Main': skipped 1 question rows that are hidden" in read.notes


def test_styled_empty_rows_do_not_count(make_xlsx: MakeXlsx) -> None:
    def style_empty_rows(sheet: Worksheet) -> None:
        for row in range(3, 401):
            for col in range(1, 27):
                sheet.cell(row, col).protection = Protection(locked=False)

    read = read_questions(make_xlsx([HEADER, ["Q-1", "Only question?", None, None]], edit=style_empty_rows), NO_OPTIONS)
    assert [q.qid for q in read.questions] == ["Q-1"]


def test_cells_without_references_follow_the_previous_cell(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx([HEADER, ["Q-1", "Is data encrypted?", "Yes", None]])
    # the reference is optional in the file format: such a cell sits one column after the last
    patch_sheet_xml(path, lambda xml: re.sub(r'(<c[^>]*?) r="[A-Z]+[0-9]+"', r"\1", xml))
    (question,) = read_questions(path, NO_OPTIONS).questions
    assert (question.qid, question.answer_cell, question.existing) == ("Q-1", "C2", "Yes")


def test_a_cell_or_row_written_twice_is_refused(make_xlsx: MakeXlsx) -> None:
    """Which of two texts at B2 Excel keeps when it repairs the file is not ours to guess: an answer
    written for the text we read could sit beside the other one (round 26, D22)."""
    rows = [HEADER, ["Q-1", "Is customer data encrypted at rest?", None, None], ["Q-2", "Do you run MFA?", None, None]]
    twice_cell = make_xlsx(rows, name="cell.xlsx")
    second = '<c r="B2" t="inlineStr"><is><t>Do you train models on customer data?</t></is></c>'
    patch_sheet_xml(twice_cell, lambda xml: re.sub(r'(<c r="B2"[^>]*>.*?</c>)', lambda m: m[1] + second, xml, count=1))
    with pytest.raises(
        FormError, match=r"cell.xlsx: sheet 'Questions' has cell B2 twice; open and re-save it in Excel"
    ):
        read_questions(twice_cell, NO_OPTIONS)
    twice_row = make_xlsx(rows, name="row.xlsx")
    patch_sheet_xml(twice_row, lambda xml: re.sub(r'(<row r="3".*?</row>)', r"\1\1", xml, count=1, flags=re.S))
    with pytest.raises(FormError, match=r"row.xlsx: sheet 'Questions' has row 3 twice"):
        read_questions(twice_row, NO_OPTIONS)
    assert [q.qid for q in read_questions(make_xlsx(rows, name="once.xlsx"), NO_OPTIONS).questions] == ["Q-1", "Q-2"]


def test_sheet_with_no_answer_column_says_which_and_why(make_xlsx: MakeXlsx) -> None:
    rows = [
        ["Question ID", "Domain", "Question Text", "Question Type"],
        ["A-1", "Audit", "Is there a policy?", "Yes,No"],
    ]
    path = make_xlsx({"Controls": rows})
    with pytest.raises(FormError) as error:
        read_questions(path, NO_OPTIONS)
    message = str(error.value)
    assert message.startswith("form.xlsx: no question rows found: no sheet has a header with a question column")
    assert "pass --sheet/--question-col/--answer-col" in message
    assert "sheet 'Controls': found a question column (C) but no answer column" in message
    read = read_questions(path, ReadOptions(answer_col="E"))
    question = read.questions[0]
    assert (question.qid, question.answer_cell, question.context) == ("A-1", "E2", ("Audit",))


def test_workbook_without_any_header_raises(make_xlsx: MakeXlsx) -> None:
    with pytest.raises(FormError, match="no question rows found"):
        read_questions(make_xlsx([["Just some notes"], ["and more notes"]]), NO_OPTIONS)


def test_overrides_beat_detection(make_xlsx: MakeXlsx) -> None:
    rows = [
        ["ID", "Question", "Answer", "Remarks", "Vendor reply"],
        ["Q-1", "Is data encrypted?", None, None, None],
    ]
    sheets = {"First": rows, "Second": rows}
    path = make_xlsx(sheets)
    question = read_questions(path, ReadOptions(sheet="Second", answer_col="e", comment_col="C")).questions[0]
    assert (question.location.sheet, question.answer_cell, question.comment_cell) == ("Second", "E2", "C2")
    question = read_questions(path, ReadOptions(sheet="First", question_col="A", answer_col="B")).questions[0]
    assert (question.text, question.answer_cell) == ("Q-1", "B2")


def test_overrides_read_a_sheet_without_header(make_xlsx: MakeXlsx) -> None:
    rows = [["Encrypt data?", None], ["Rotate keys?", "Yes"]]
    read = read_questions(make_xlsx(rows), ReadOptions(question_col="A", answer_col="B"))
    assert [(q.text, q.answer_cell, q.existing) for q in read.questions] == [
        ("Encrypt data?", "B1", None),
        ("Rotate keys?", "B2", "Yes"),
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (ReadOptions(sheet="Nope"), "has no sheet named 'Nope'; its sheets are 'Questions'; pass one to --sheet"),
        (ReadOptions(answer_col="C1"), "--answer-col 'C1' is not a column letter; pass a letter such as C"),
        (ReadOptions(question_col="C"), "the question and answer columns are the same"),
    ],
)
def test_bad_overrides_say_what_to_do(make_xlsx: MakeXlsx, options: ReadOptions, message: str) -> None:
    path = make_xlsx([HEADER, ["Q-1", "Is data encrypted?", None, None]])
    with pytest.raises(FormError, match=re.escape(message)):
        read_questions(path, options)


def test_not_a_workbook_is_a_form_error(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(FormError, match="form.xlsx: is not a valid .xlsx file"):
        read_questions(path, NO_OPTIONS)


def test_refuses_a_sheet_with_too_many_rows(make_xlsx: MakeXlsx, monkeypatch: pytest.MonkeyPatch) -> None:
    # building 200,001 real rows takes a minute; the limit is lowered instead
    monkeypatch.setattr(xlsx_package, "MAX_CONTENT_ROWS", 50)
    rows = [HEADER, *([f"Q-{n}", "Is data encrypted?", None, None] for n in range(60))]
    with pytest.raises(FormError, match="sheet 'Questions' has more than 50 rows of content; split it"):
        read_questions(make_xlsx(rows), NO_OPTIONS)


@pytest.mark.slow
def test_ten_thousand_questions_read_quickly(make_xlsx: MakeXlsx) -> None:
    text = "Does the vendor encrypt customer data at rest and in transit using current algorithms, " * 2
    rows = [HEADER, *([f"Q-{n:05d}", text[:150], None, None] for n in range(1, 10_001))]
    path = make_xlsx(rows, edit=dropdown('"Yes,No,N/A"', "C2:C10001"))
    # CPU time, so that other jobs sharing the machine do not fail the test, in a process of its own
    # as a user's run is: inside the long test session the same read measured 1.8 s where it takes
    # 1.1-1.2 s alone (the session's state, not the reader, is what grew)
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from autofill.forms.xlsx_read import read_questions\n"
        "from autofill.models import ReadOptions\n"
        "best = float('inf')\n"
        "for _ in range(2):\n"
        "    started = time.process_time()\n"
        "    read = read_questions(Path(sys.argv[1]), ReadOptions())\n"
        "    best = min(best, time.process_time() - started)\n"
        "print(len(read.questions), read.questions[-1].choices == ('Yes', 'No', 'N/A'), best)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    count, listed, seconds = done.stdout.split()
    assert (count, listed) == ("10000", "True")
    best = float(seconds)
    assert best < 1.5, f"read took {best:.2f}s"


# --- profiles ----------------------------------------------------------------------------


def test_profiles_load_from_the_repo() -> None:
    assert (profiles_dir() / "caiq-v4.yaml").is_file()
    names = {profile.name for profile in load_profiles()}
    assert {"caiq-v4", "caiq-v3", "hecvat-4", "hecvat-3", "ada-onboarding"} <= names


def test_a_malformed_profile_is_reported(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("name: bad\ncolumns: {question: B}\n")
    with pytest.raises(ValueError, match="layout profile bad.yaml is malformed"):
        load_profiles(tmp_path)


# --- real questionnaires (read from the shared folder, never copied) ---------------------


@pytest.mark.slow
def test_caiq_v4_0_2(questionnaire: Callable[[str], Path]) -> None:
    read = read_questions(questionnaire("caiq-v4.0.2.xlsx"), NO_OPTIONS)
    assert read.profile == "caiq-v4" and len(read.questions) == 261
    assert all(re.fullmatch(r"[A-Z&]{2,4}-\d{2}\.\d+", q.qid or "") for q in read.questions)
    assert {q.choices for q in read.questions} == {("Yes", "No", "NA")}
    assert {(q.answer_cell or "")[0] + (q.comment_cell or "")[0] for q in read.questions} == {"CE"}
    assert not any(q.existing for q in read.questions)
    assert not any("\n" in q.text or "  " in q.text for q in read.questions)
    first, last = read.questions[0], read.questions[-1]
    assert (first.qid, first.location.row, first.context) == ("A&A-01.1", 3, ("Audit & Assurance",))
    assert (last.qid, last.location.row) == ("UEM-14.1", 263)
    assert read.notes == ("skipped sheets outside the caiq-v4 layout: 'Introduction'",)


@pytest.mark.slow
def test_caiq_v4_0_3_filled(questionnaire: Callable[[str], Path]) -> None:
    read = read_questions(questionnaire("caiq-v4.0.3-filled-whitepact.xlsx"), NO_OPTIONS)
    assert len(read.questions) == 261
    assert Counter(q.existing for q in read.questions) == {"Yes": 107, "No": 122, "NA": 32}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "answered"), [("caiq-v3.0.1.xlsx", 0), ("caiq-v3.0.1-testfilled-metanorma.xlsx", 295)]
)
def test_caiq_v3_0_1(questionnaire: Callable[[str], Path], name: str, answered: int) -> None:
    read = read_questions(questionnaire(name), NO_OPTIONS)
    assert read.profile == "caiq-v3" and len(read.questions) == 295
    questions = by_qid(read)
    # SOURCES.md says the test fill skipped this malformed id; row 11 does hold an "x" in F
    odd = questions["AIS- 02.2"]
    assert (odd.location.row, odd.existing) == (11, "Yes" if answered else None)
    first = read.questions[0]
    assert (first.qid, first.answer_cell, first.comment_cell) == ("AIS-01.1", None, "I5")
    assert first.mark_cells == (("Yes", "F5"), ("No", "G5"), ("N/A", "H5"))
    assert {q.choices for q in read.questions} == {("Yes", "No", "N/A")}
    assert Counter(q.existing for q in read.questions if q.existing) == ({"Yes": answered} if answered else {})
    assert {q.location.sheet for q in read.questions} == {"CSA CAIQ v3.0.1"}


@pytest.mark.slow
def test_hecvat_4_1_4(questionnaire: Callable[[str], Path]) -> None:
    read = read_questions(questionnaire("hecvat-v4.1.4.xlsx"), NO_OPTIONS)
    assert read.profile == "hecvat-4"
    # 376 id rows on the 8 vendor tabs, less 45 whose answers are formulas copying START HERE
    assert len(read.questions) == 331 == len({q.qid for q in read.questions})
    skipped = sum(
        int(m[1]) for n in read.notes if (m := re.search(r"skipped (\d+) questions whose answer cell is a formula", n))
    )
    assert skipped == 45
    sheets = {q.location.sheet for q in read.questions}
    assert sheets == {
        "START HERE",
        "Organization",
        "Product",
        "Infrastructure",
        "IT Accessibility",
        "Case-Specific",
        "AI",
        "Privacy",
    }
    assert all(q.text and q.answer_cell == f"C{q.location.row}" for q in read.questions)
    choices = Counter(q.choices for q in read.questions)
    assert choices[("Yes", "No")] > 200 and choices[("Yes", "No", "N/A")] > 40 and choices[None] > 0
    hosting = next(q for q in read.questions if q.location.sheet == "Infrastructure" and q.location.row == 35)
    assert hosting.choices is not None and len(hosting.choices) == 7 and "AWS" in hosting.choices
    organization = [q.location.row for q in read.questions if q.location.sheet == "Organization"]
    assert not set(range(13, 21)) & set(organization)  # GNRL copies from START HERE
    assert all(q.context for q in read.questions)
    assert "skipped hidden sheets: 'Questions', 'Auto Responses', '(backend scoring)'" in read.notes


@pytest.mark.slow
def test_hecvat_3_full_filled(questionnaire: Callable[[str], Path]) -> None:
    read = read_questions(questionnaire("hecvat-full-v3.00-filled-opendsa.xlsx"), NO_OPTIONS)
    assert read.profile == "hecvat-3"
    # SOURCES.md counts 253 id rows with a four-letter prefix; IH-01..04 have two letters
    assert len(read.questions) == 257
    questions = by_qid(read)
    assert {"DATE-01", "GNRL-01", "IH-04", "PCID-12"} <= set(questions)
    assert questions["DATE-01"].existing == "2022-08-30"
    existing = Counter(q.existing for q in read.questions if q.existing in ("Yes", "No", "NA", "Tier I"))
    assert existing == {"Yes": 91, "No": 67, "NA": 2, "Tier I": 2}
    assert sum(1 for q in read.questions if q.existing) == 180
    choices = Counter(q.choices for q in read.questions)
    assert choices[("Yes", "No")] == 218
    assert choices[("Tier I", "Tier II", "Tier III", "Tier IV", "N/A")] == 4
    # free-text answers are merged over C:D, which leaves no comment cell
    merged = questions["COMP-01"]
    assert (merged.answer_cell, merged.comment_cell, merged.choices) == ("C34", None, None)
    assert questions["COMP-03"].comment_cell == "D36"
    assert questions["QUAL-01"].context == ("Qualifiers",)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "count", "with_id"),
    [
        ("ada-casa-al0-al1-onboarding-questionnaire.xlsx", 45, 45),
        ("ada-masa-ios-al0-al1-onboarding-questionnaire.xlsx", 43, 8),
        ("ada-cloud-gcp-onboarding-questionnaire.xlsx", 14, 14),
    ],
)
def test_ada_onboarding(questionnaire: Callable[[str], Path], name: str, count: int, with_id: int) -> None:
    read = read_questions(questionnaire(name), NO_OPTIONS)
    assert read.profile == "ada-onboarding" and len(read.questions) == count
    assert sum(1 for q in read.questions if q.qid) == with_id
    assert all(q.answer_cell == f"D{q.location.row}" and q.comment_cell is None for q in read.questions)
    assert sum(1 for q in read.questions if q.existing) == 1  # General Information row 7
    assert "Revision History" not in {q.location.sheet for q in read.questions}
    assert "Files" in {q.location.sheet for q in read.questions}


@pytest.mark.slow
def test_caiq_v4_1_derived_has_no_answer_column(questionnaire: Callable[[str], Path]) -> None:
    path = questionnaire("caiq-v4.1-derived-questions-283.xlsx")
    with pytest.raises(FormError, match=r"sheet 'Sheet1': found a question column \(C\) but no answer column"):
        read_questions(path, NO_OPTIONS)
    read = read_questions(path, ReadOptions(answer_col="E"))
    assert len(read.questions) == 283 and read.questions[0].qid == "A&A-01.1"


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "caiq-v4.0.2.xlsx",
        "caiq-v3.0.1.xlsx",
        "hecvat-v4.1.4.xlsx",
        "hecvat-full-v3.00-filled-opendsa.xlsx",
        "ada-casa-al0-al1-onboarding-questionnaire.xlsx",
    ],
)
def test_real_files_read_without_profiles_too(
    questionnaire: Callable[[str], Path], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # header detection alone must still find the question rows of the known families
    monkeypatch.setattr(xlsx_read, "load_profiles", lambda folder=None: ())
    read = read_questions(questionnaire(name), NO_OPTIONS)
    assert read.profile is None and len(read.questions) >= 40


def test_who_requested_a_row_is_no_question_column(make_xlsx: MakeXlsx) -> None:
    # round 32: "Requested by" (a name) was taken for the question column and every row left
    rows = [
        ["Ref", "Clarification question", "Vendor response", "Requested by"],
        ["C-1", "Is customer data encrypted at rest?", None, "J. Smith (Procurement)"],
    ]
    (question,) = read_questions(make_xlsx(rows), NO_OPTIONS).questions
    assert (question.text, question.answer_cell) == ("Is customer data encrypted at rest?", "C2")


def test_item_c_is_a_question_and_a_copyright_line_is_not(make_xlsx: MakeXlsx) -> None:
    """Round 49: "(c) Do you operate a bug bounty program?" vanished, read as a copyright footer."""
    path = make_xlsx(
        [
            ["ID", "Question", "Answer"],
            ["1", "(a) Do you encrypt data at rest?", None],
            ["2", "(b) Do you encrypt data in transit?", None],
            ["3", "(c) Do you operate a bug bounty program?", None],
            [None, "(c) 2024 Acme Corp. All rights reserved", None],
        ]
    )
    texts = [q.text for q in read_questions(path, ReadOptions()).questions]
    assert texts[-1] == "(c) Do you operate a bug bounty program?" and len(texts) == 3, texts


def test_a_definition_of_we_counts_wherever_the_sheet_says_it(make_xlsx: MakeXlsx) -> None:
    """Round 54: the definition stood in a note below the questions, or only in the printed page's
    footer; a sheet that says nothing, or only that it will use the answers, sets no voice."""
    rows = [["ID", "Question", "Answer"], ["1", "We encrypt customer data at rest.", None]]
    said = "'We' and 'our' refer to the Supplier completing this form."
    below = read_questions(make_xlsx([*rows, [], [said]], "below.xlsx"), NO_OPTIONS)
    assert [q.voice for q in below.questions] == ["vendor"]

    def footer(sheet: Worksheet) -> None:
        sheet.oddFooter.center.text = f"Confidential. {said}"

    printed = read_questions(make_xlsx(rows, "footer.xlsx", edit=footer), NO_OPTIONS)
    assert [q.voice for q in printed.questions] == ["vendor"]
    plain = read_questions(
        make_xlsx([*rows, [], ["We will use your answers to assess suppliers."]], "plain.xlsx"), NO_OPTIONS
    )
    assert [q.voice for q in plain.questions] == [None]


def test_a_requirement_row_saying_on_behalf_of_is_a_row_not_a_title(tmp_path: Path) -> None:
    # round 95: "The subcontractor shall limit system access to ... processes acting on behalf of
    # authorized users" read as a sentence titling the rows after it: dropped from the form unsaid,
    # and the rows below it read under it
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Req ID", "Requirement", "Compliance Status", "Comments"])
    rows = [
        "The subcontractor shall limit system access to authorized users, processes acting on behalf of "
        "authorized users, and devices.",
        "The subcontractor shall encrypt CUI at rest with AES-256.",
    ]
    for number, text in enumerate(rows, start=1):
        ws.append([f"R{number}", text, None, None])
    wb.save(tmp_path / "flowdown.xlsx")
    read = read_questions(tmp_path / "flowdown.xlsx", NO_OPTIONS)
    assert [q.text for q in read.questions] == rows
    assert all(not q.context for q in read.questions)


def test_a_line_under_a_title_goes_on_with_it(tmp_path: Path) -> None:
    # round 96: "4 | Please answer the next table on behalf of your hosting provider." then "If you use
    # more than one provider, answer for the primary one." took the provider's scope from the rows
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Question", "Response", "Comments"])
    ws.append(["3", "Encryption", None, None])
    ws.append(["3.1", "Is customer data encrypted at rest?", None, None])
    ws.append(["4", "Please answer the next table on behalf of your hosting provider.", None, None])
    ws.append([None, "If you use more than one provider, answer for the primary one.", None, None])
    ws.append(["4.1", "Is there a 24x7 security incident response capability?", None, None])
    wb.save(tmp_path / "titles.xlsx")
    read = read_questions(tmp_path / "titles.xlsx", NO_OPTIONS)
    asked = {q.qid: " ".join(q.context) for q in read.questions}
    assert "hosting provider" in asked["4.1"] and "primary one" in asked["4.1"], asked
    assert "hosting provider" not in asked["3.1"], asked
