"""Forms with an answer column for each product ("Question | API | ChatGPT Enterprise | Comments"):
one run answers every column as asked of its product, or --product's own column alone; the row's
one comment cell says each column's source once. Real forms, the real CLI, the cells read back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.kb_factory import make_kb

ROOT = Path(__file__).resolve().parents[1]

QUESTIONS = [
    "Do you offer zero data retention?",  # the API's alone
    "Is customer data used to train your models by default?",  # No for both
    "Can workspace admins view users' conversations?",  # ChatGPT Enterprise's alone
]


def _autofill(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "autofill", *args], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env
    )


def _fill(form: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return _autofill("fill", str(form), "-o", str(out), *extra, env=env)


def _workbook(path: Path, header: list[str], dropdowns: str | None = None) -> Path:
    """A sheet 'Questions' of QUESTIONS under `header`; `dropdowns`: cells given a Yes/No/N/A list."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Questions"
    ws.append(header)
    for number, question in enumerate(QUESTIONS, start=1):
        ws.append([number, question] + [None] * (len(header) - 2))
    if dropdowns:
        _dropdowns(ws, dropdowns)
    wb.save(path)
    return path


def _answers(path: Path, first_row: int = 2) -> list[tuple[object, ...]]:
    """The cells right of the question column, row by row from `first_row`, as written."""
    ws = openpyxl.load_workbook(path)["Questions"]
    return [row[2:] for row in ws.iter_rows(min_row=first_row, values_only=True)]


# QUESTIONS answered in the API and ChatGPT Enterprise columns: ZDR the API's, not training both's,
# the workspace admins' view Enterprise's
EACH_PRODUCT = [("Yes", None), ("No", "No"), (None, "Yes")]


def test_every_product_column_is_answered_for_its_own_product(tmp_path: Path) -> None:
    form = _workbook(tmp_path / "matrix.xlsx", ["#", "Question", "API", "ChatGPT Enterprise", "Comments"])
    done = _fill(form, tmp_path / "out.xlsx")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "a column for each product: C (API); D (ChatGPT Enterprise)" in " ".join(done.stdout.split())
    (zdr_api, zdr_ent, zdr_note), (train_api, train_ent, train_note), (admin_api, admin_ent, admin_note) = _answers(
        tmp_path / "out.xlsx"
    )
    assert (zdr_api, zdr_ent) == ("Yes", None)  # zero data retention is the API's
    assert (train_api, train_ent) == ("No", "No")
    assert (admin_api, admin_ent) == (None, "Yes")  # an Enterprise workspace's admins
    # the one comment cell: the same source said once, two sources each after its column's header
    assert isinstance(train_note, str) and train_note.count("Source:") == 1
    assert isinstance(zdr_note, str) and "zero data retention" in zdr_note and not zdr_note.startswith("API:")
    assert isinstance(admin_note, str) and "workspace admins" in admin_note


def test_two_columns_saying_different_things_share_the_comment_cell_each_under_its_header(tmp_path: Path) -> None:
    quote = "Enterprise-level authentication through SAML SSO (Enterprise and API)."
    claims = [
        {
            "id": f"sso-{product}",
            "products": [product],
            "answer_text": f"{name} supports SAML single sign-on.",
            "citation": {"source": "sec", "quote": quote},
            "questions": [
                {"q": q, "answer": "Yes"}
                for q in (
                    "Do you support SAML single sign-on?",
                    "Is SAML SSO supported?",
                    "Can users sign in through our identity provider with SAML?",
                    "Do you offer single sign-on?",
                    "Is enterprise-level authentication through SAML available?",
                )
            ],
        }
        for product, name in (("api", "The API Platform"), ("chatgpt-enterprise", "ChatGPT Enterprise"))
    ]
    kb = make_kb(tmp_path / "kb", claims)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Questions"
    ws.append(["#", "Question", "API", "ChatGPT Enterprise", "Comments"])
    ws.append([1, "Do you support SAML single sign-on?", None, None, "Customer note."])
    wb.save(form := tmp_path / "two.xlsx")
    done = _fill(form, tmp_path / "out.xlsx", "--kb", str(kb))
    assert done.returncode == 0, done.stdout + done.stderr
    row = next(openpyxl.load_workbook(tmp_path / "out.xlsx")["Questions"].iter_rows(min_row=2, values_only=True))
    assert row[2:4] == ("Yes", "Yes")
    lines = str(row[4]).splitlines()
    assert lines[0] == "Customer note."  # the customer's own words stay first
    assert "API: The API Platform supports SAML single sign-on." in lines
    assert "ChatGPT Enterprise: ChatGPT Enterprise supports SAML single sign-on." in lines


def test_product_option_fills_only_its_own_column_and_says_what_it_left(tmp_path: Path) -> None:
    form = _workbook(tmp_path / "matrix.xlsx", ["#", "Question", "API", "ChatGPT Enterprise", "Comments"])
    done = _fill(form, tmp_path / "out.xlsx", "--product", "chatgpt-enterprise")
    assert done.returncode == 0, done.stdout + done.stderr
    answers = _answers(tmp_path / "out.xlsx")
    assert [row[0] for row in answers] == [None, None, None]  # the API's column is another product's
    assert [row[1] for row in answers] == [None, "No", "Yes"]
    assert "left C (API)" in " ".join(done.stdout.split())


def test_a_product_no_column_is_for_fails_with_what_to_do_and_writes_nothing(tmp_path: Path) -> None:
    form = _workbook(tmp_path / "matrix.xlsx", ["#", "Question", "API", "ChatGPT Enterprise", "Comments"])
    done = _fill(form, tmp_path / "out.xlsx", "--product", "consumer")
    assert done.returncode != 0
    said = " ".join((done.stdout + done.stderr).split())
    assert "none for --product consumer" in said and "without --product" in said
    assert "Traceback" not in said and not (tmp_path / "out.xlsx").exists()


def test_a_response_column_naming_no_product_keeps_its_product_columns_out(tmp_path: Path) -> None:
    # "Response | API | Enterprise": the API and Enterprise columns may mean "applies to"; the one
    # answer column is the response, and the note says how to fill the others
    form = _workbook(tmp_path / "plain.xlsx", ["#", "Question", "Response", "API", "ChatGPT Enterprise"])
    done = _fill(form, tmp_path / "out.xlsx")
    assert done.returncode == 0, done.stdout + done.stderr
    answers = _answers(tmp_path / "out.xlsx")
    assert [row[1:3] for row in answers] == [(None, None)] * 3
    assert answers[1][0] == "No"
    said = " ".join(done.stdout.split())
    assert "name a product each (API, ChatGPT Enterprise) and take no answers" in said and "left as they are" in said


def test_a_word_table_with_a_column_for_each_product_is_answered_for_each(tmp_path: Path) -> None:
    document = docx.Document()
    rows = [["Question", "API", "ChatGPT Enterprise", "Comments"], *([q, "", "", ""] for q in QUESTIONS)]
    table = document.add_table(rows=len(rows), cols=4)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.save(str(form := tmp_path / "matrix.docx"))
    done = _fill(form, tmp_path / "out.docx")
    assert done.returncode == 0, done.stdout + done.stderr
    cells = [[cell.text for cell in row.cells] for row in docx.Document(str(tmp_path / "out.docx")).tables[0].rows]
    assert [row[1:3] for row in cells[1:]] == [["Yes", ""], ["No", "No"], ["", "Yes"]]
    assert cells[2][3].count("Source:") == 1  # one source for both columns, said once
    assert all(row[0] == q for row, q in zip(cells[1:], QUESTIONS, strict=True))  # questions untouched
    only = _fill(form, tmp_path / "api.docx", "--product", "api")
    assert only.returncode == 0, only.stdout + only.stderr
    cells = [[cell.text for cell in row.cells] for row in docx.Document(str(tmp_path / "api.docx")).tables[0].rows]
    assert [row[1:3] for row in cells[1:]] == [["Yes", ""], ["No", ""], ["", ""]]


@pytest.mark.parametrize("product", ["consumer"])
def test_a_word_matrix_without_the_products_column_fails_with_what_to_do(tmp_path: Path, product: str) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for c, value in enumerate(["Question", "API", "ChatGPT Enterprise"]):
        table.cell(0, c).text = value
    table.cell(1, 0).text = QUESTIONS[1]
    document.save(str(form := tmp_path / "matrix.docx"))
    done = _fill(form, tmp_path / "out.docx", "--product", product)
    assert done.returncode != 0
    assert f"none for --product {product}" in " ".join((done.stdout + done.stderr).split())
    assert not (tmp_path / "out.docx").exists()


def _dropdowns(ws: object, cells: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    ws.add_data_validation(validation)  # type: ignore[attr-defined]
    validation.add(cells)


def test_product_headers_merged_down_over_two_rows_are_a_column_each(tmp_path: Path) -> None:
    # round 88: the header cells merged over rows 3-4 were not read as product columns, and
    # --product chatgpt-enterprise wrote Enterprise's answers under "API Platform"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Questions"
    ws.append(["Vendor Security Questionnaire"])
    ws.append([])
    ws.append(["#", "Question", "API Platform", "Enterprise", "Comments"])
    ws.append([])
    for column in "ABCDE":
        ws.merge_cells(f"{column}3:{column}4")
    for number, question in enumerate(QUESTIONS, start=1):
        ws.append([number, question, None, None, None])
    _dropdowns(ws, "C5:D7")
    wb.save(form := tmp_path / "merged.xlsx")
    done = _fill(form, tmp_path / "ent.xlsx", "--product", "chatgpt-enterprise")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = list(openpyxl.load_workbook(tmp_path / "ent.xlsx")["Questions"].iter_rows(min_row=5, values_only=True))
    assert [row[2] for row in rows] == [None, None, None]  # nothing under "API Platform"
    assert [row[3] for row in rows] == [None, "No", "Yes"]
    done = _fill(form, tmp_path / "team.xlsx", "--product", "chatgpt-team")
    assert done.returncode != 0 and "none for --product chatgpt-team" in done.stdout + done.stderr
    done = _fill(form, tmp_path / "all.xlsx")
    assert [row[:2] for row in _answers(tmp_path / "all.xlsx", first_row=5)] == EACH_PRODUCT


def test_an_overall_response_beside_answering_product_columns_is_left_for_a_person(tmp_path: Path) -> None:
    # round 88: "API | ChatGPT Enterprise | Overall response" (lists in every column) filled only the
    # overall column, and with --product wrote one product's answers into it
    header = ["#", "Question", "API", "ChatGPT Enterprise", "Overall response"]
    form = _workbook(tmp_path / "overall.xlsx", header, dropdowns="C2:E4")
    done = _fill(form, tmp_path / "out.xlsx")
    assert done.returncode == 0, done.stdout + done.stderr
    answers = _answers(tmp_path / "out.xlsx")
    assert [row[:2] for row in answers] == EACH_PRODUCT
    assert [row[2] for row in answers] == [None, None, None]
    assert "left E (Overall response, for a person" in " ".join(done.stdout.split())
    done = _fill(form, tmp_path / "api.xlsx", "--product", "api")
    assert [row[2] for row in _answers(tmp_path / "api.xlsx")] == [None, None, None]


def test_a_single_answer_column_for_another_product_is_not_filled_for_this_one(tmp_path: Path) -> None:
    # round 88: a header merged down over two rows lost its product, and --product chatgpt-enterprise
    # wrote Enterprise's answers under "API Platform"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Questions"
    ws.append(["#", "Question", "API Platform", "Comments"])
    ws.append([])
    for column in "ABCD":
        ws.merge_cells(f"{column}1:{column}2")
    for number, question in enumerate(QUESTIONS, start=1):
        ws.append([number, question, None, None])
    _dropdowns(ws, "C3:C5")
    wb.save(form := tmp_path / "one.xlsx")
    done = _fill(form, tmp_path / "ent.xlsx", "--product", "chatgpt-enterprise")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = openpyxl.load_workbook(tmp_path / "ent.xlsx")["Questions"].iter_rows(min_row=3, values_only=True)
    # asked of the API: what only Enterprise's workspace admins can do is no answer under it (a claim
    # for both, "not trained on by default", is)
    assert [row[2] for row in rows] == [None, "No", None]
    done = _fill(form, tmp_path / "api.xlsx", "--product", "api")
    rows = openpyxl.load_workbook(tmp_path / "api.xlsx")["Questions"].iter_rows(min_row=3, values_only=True)
    assert [row[2] for row in rows][:2] == ["Yes", "No"]


def test_a_plan_under_its_old_and_new_name_is_its_column(tmp_path: Path) -> None:
    # round 88: "Team (Business)" was dropped, and --product chatgpt-team said no column was for it
    form = _workbook(tmp_path / "team.xlsx", ["#", "Question", "API", "Team (Business)", "Comments"])
    done = _fill(form, tmp_path / "out.xlsx", "--product", "chatgpt-team")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "filled the column for --product chatgpt-team: D (Team (Business))" in " ".join(done.stdout.split())
    assert _answers(tmp_path / "out.xlsx")[1][:2] == (None, "No")
    # the plan's new name fills its column under the old one, and the old the new (round 90)
    form = _workbook(tmp_path / "renamed.xlsx", ["#", "Question", "API", "ChatGPT Team (now Business)", "Comments"])
    done = _fill(form, tmp_path / "business.xlsx", "--product", "chatgpt-business")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _answers(tmp_path / "business.xlsx")[1][:2] == (None, "No")


# A row each product's column leaves for review ("the source says only that it 'may' be so")
REVIEWED = "Is business data run through automated content classifiers and safety tools?"


def _word_row(path: Path, question: str) -> Path:
    """A Word table "Question | API | ChatGPT Enterprise | Comments" of one row."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=4)
    for c, value in enumerate(["Question", "API", "ChatGPT Enterprise", "Comments"]):
        table.cell(0, c).text = value
    table.cell(1, 0).text = question
    document.save(str(path))
    return path


def test_each_product_cell_of_a_row_under_review_takes_its_own_decision(tmp_path: Path) -> None:
    # round 88: a row's two product cells shared one key: "accept" wrote one (Word), and the review
    # sheet's two decisions for the row were refused as one row decided twice (workbook)
    question = REVIEWED
    form = _word_row(tmp_path / "review.docx", question)
    out = tmp_path / "review.filled.docx"
    assert _fill(form, out).returncode == 0
    decisions = tmp_path / "one.csv"
    decisions.write_text("sheet,table,row,decision\n,0,1,accept\n", encoding="utf-8")
    done = _autofill("review", str(out), "--decisions", str(decisions))
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode != 0 and "add a product column naming one" in said and "api" in said, said
    decisions.write_text(
        "sheet,table,row,product,decision\n,0,1,api,accept\n,0,1,chatgpt-enterprise,accept\n", encoding="utf-8"
    )
    done = _autofill("review", str(out), "--decisions", str(decisions))
    assert done.returncode == 0, done.stdout + done.stderr
    cells = [cell.text for cell in docx.Document(str(out)).tables[0].rows[1].cells]
    assert cells[1:3] == ["Yes", "Yes"] and cells[0] == question
    assert cells[3].count("Source:") == 1  # the same source for both cells, said once


def _written(path: Path, sheet: str) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {cell.coordinate: cell.value for row in ws.iter_rows() for cell in row if cell.value is not None}


ADMINS = "Can workspace admins view conversations and chat history?"  # Enterprise's workspaces only


def test_a_sheet_or_a_row_named_by_a_plans_short_name_asks_of_that_plan(tmp_path: Path) -> None:
    # round 90: tabs "Team (Business)" / "Enterprise" and a Product column "Team" / "Enterprise" were
    # not read, and --product chatgpt-enterprise wrote the admins Yes for Team's rows
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title in ("Team (Business)", "Enterprise"):
        ws = wb.create_sheet(title)
        ws.append(["Question", "Response", "Comments"])
        ws.append([ADMINS, None, None])
    rows = wb.create_sheet("By product")
    rows.append(["Product", "Question", "Response", "Comments"])
    rows.append(["Team", ADMINS, None, None])
    rows.append(["Enterprise", ADMINS, None, None])
    wb.save(form := tmp_path / "short.xlsx")
    done = _fill(form, tmp_path / "out.xlsx", "--product", "chatgpt-enterprise")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "B2" not in _written(tmp_path / "out.xlsx", "Team (Business)")
    assert _written(tmp_path / "out.xlsx", "Enterprise")["B2"] == "Yes"
    by_product = _written(tmp_path / "out.xlsx", "By product")
    assert "C2" not in by_product and by_product["C3"] == "Yes"


def test_pairs_of_answer_and_notes_under_each_product_are_its_columns(tmp_path: Path) -> None:
    # round 90: "API Platform" merged over "Response | Comments" (and "Enterprise" over "Yes/No |
    # Explanation") was not read: the first Response took every --product's answers
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Pairs"
    ws.append(["Question", "API Platform", None, "Enterprise", None])
    ws.append([None, "Yes/No", "Explanation", "Yes/No", "Explanation"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:E1")
    ws.append([QUESTIONS[0], None, None, None, None])  # zero data retention: the API's
    ws.append([ADMINS, None, None, None, None])
    wb.save(form := tmp_path / "pairs.xlsx")
    done = _fill(form, tmp_path / "out.xlsx")
    assert done.returncode == 0, done.stdout + done.stderr
    written = _written(tmp_path / "out.xlsx", "Pairs")
    assert (written.get("B3"), written.get("D3"), written.get("B4"), written.get("D4")) == ("Yes", None, None, "Yes")
    assert "zero data retention" in str(written.get("C3")) and "admins" in str(written.get("E4")).lower()
    assert "E3" not in written and "C4" not in written  # each product's notes beside its own answers
    done = _fill(form, tmp_path / "ent.xlsx", "--product", "chatgpt-enterprise")
    written = _written(tmp_path / "ent.xlsx", "Pairs")
    assert "B3" not in written and "B4" not in written and written["D4"] == "Yes"


def test_a_block_beside_or_below_a_matrix_keeps_its_own_rows(tmp_path: Path) -> None:
    # round 90: a single-answer block beside a matrix lent it its questions, and a second matrix below
    # with its products in another order was read with the first one's columns
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blocks"
    ws.append(["Question", "API", "ChatGPT Enterprise", "Comments"])
    ws.append(["Is customer data encrypted at rest?", None, None, None])
    ws.append([])
    ws.append(["Question", "ChatGPT Enterprise", "API", "Comments"])
    ws.append([QUESTIONS[0], None, None, None])  # zero data retention: the API's, now in column C
    ws.append([ADMINS, None, None, None])
    for cells in ("B2:C2", "B5:C6"):
        _dropdowns(ws, cells)
    wb.save(form := tmp_path / "blocks.xlsx")
    done = _fill(form, tmp_path / "out.xlsx")
    assert done.returncode == 0, done.stdout + done.stderr
    written = _written(tmp_path / "out.xlsx", "Blocks")
    assert written["B2"] == "Yes" and written["C2"] == "Yes"
    # never the API's ZDR under "ChatGPT Enterprise" (B5), nor Enterprise's admins under "API" (C6)
    assert "B5" not in written and "C6" not in written
    assert "has its columns for other products" in " ".join(done.stdout.split())


def test_a_word_matrix_under_a_title_row_is_read_as_one(tmp_path: Path) -> None:
    # round 90: "Question | API Platform | ChatGPT Enterprise" under a title row spanning the table
    # took --product chatgpt-enterprise's answers in the API Platform column
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    title = table.cell(0, 0).merge(table.cell(0, 2))
    title.text = "Section A - Security"
    for c, value in enumerate(["Question", "API Platform", "ChatGPT Enterprise"]):
        table.cell(1, c).text = value
    table.cell(2, 0).text = QUESTIONS[0]
    table.cell(3, 0).text = ADMINS
    document.save(str(form := tmp_path / "title.docx"))
    done = _fill(form, tmp_path / "out.docx", "--product", "chatgpt-enterprise")
    assert done.returncode == 0, done.stdout + done.stderr
    cells = [[cell.text for cell in row.cells] for row in docx.Document(str(tmp_path / "out.docx")).tables[0].rows]
    assert cells[2][1] == "" and cells[3][1] == ""  # nothing in the API Platform column
    assert cells[3][2].startswith("Yes")


def test_a_rejection_in_one_products_cell_holds_for_that_product_only(tmp_path: Path) -> None:
    # round 90: rejecting a claim for one product's cell rejected it for the row's other cells too
    question = REVIEWED
    form = _word_row(tmp_path / "reject.docx", question)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "AUTOFILL_LEDGER": "off"}
    filled = tmp_path / "first.docx"
    assert _fill(form, filled, env=env).returncode == 0
    decisions = tmp_path / "reject.csv"
    decisions.write_text("sheet,table,row,product,decision\n,0,1,api,reject\n", encoding="utf-8")
    done = _autofill("review", str(filled), "--decisions", str(decisions), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    again = tmp_path / "again.json"
    done = _fill(form, tmp_path / "again.docx", "--report", str(again), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {row["location"].get("product"): row for row in json.loads(again.read_text(encoding="utf-8"))["questions"]}
    assert rows["chatgpt-enterprise"]["status"] == "review"  # still offered where no one rejected it
    assert rows["api"]["claim"] != rows["chatgpt-enterprise"]["claim"] or rows["api"]["status"] != "review"


def test_a_title_saying_to_answer_for_each_product_leaves_each_column_its_own(tmp_path: Path) -> None:
    # round 92: "... (answer for each product)" in the title read as "all products", and 45 of 51 rows
    # were left as "the claim does not apply to all products"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Questions"
    ws.append(["Northgate Insurance - AI supplier review (answer for each product)"])
    ws.append(["#", "Question", "API", "ChatGPT Enterprise", "Comments"])
    for number, question in enumerate(QUESTIONS, start=1):
        ws.append([number, question, None, None, None])
    wb.save(form := tmp_path / "titled.xlsx")
    done = _fill(form, tmp_path / "out.xlsx")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [row[:2] for row in _answers(tmp_path / "out.xlsx", first_row=3)] == EACH_PRODUCT


def test_a_checklists_check_column_heads_its_questions(tmp_path: Path) -> None:
    # round 93: "# | Check | API | ChatGPT Enterprise | Notes" was read without its header: half the
    # rows were skipped and --product chatgpt-enterprise wrote into the API column
    header = ["#", "Check", "API", "ChatGPT Enterprise", "Notes"]
    form = _workbook(tmp_path / "checks.xlsx", header, dropdowns="C2:D4")
    done = _fill(form, tmp_path / "ent.xlsx", "--product", "chatgpt-enterprise")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [row[:2] for row in _answers(tmp_path / "ent.xlsx")] == [(None, None), (None, "No"), (None, "Yes")]


def test_a_hidden_product_column_is_left_and_named(tmp_path: Path) -> None:
    # round 90: a hidden "ChatGPT Enterprise" column was filled, its answers sent to the customer unseen
    form = _workbook(
        tmp_path / "matrix.xlsx", ["#", "Question", "API", "ChatGPT Enterprise", "ChatGPT Team", "Comments"]
    )
    wb = openpyxl.load_workbook(form)
    wb["Questions"].column_dimensions["D"].hidden = True
    wb.save(form)
    done = _fill(form, tmp_path / "out.xlsx")
    assert done.returncode == 0, done.stdout + done.stderr
    said = " ".join(done.stdout.split())
    assert "left D (ChatGPT Enterprise, hidden: unhide it to have it filled)" in said
    written = _answers(tmp_path / "out.xlsx")
    assert [row[1] for row in written] == [None, None, None]  # the hidden column: nothing
    assert [row[0] for row in written] == ["Yes", "No", None]  # the API's still answered
    only = _fill(form, tmp_path / "ent.xlsx", "--product", "chatgpt-enterprise")
    assert only.returncode == 2 and "Traceback" not in only.stderr
    assert "column for --product chatgpt-enterprise, D (ChatGPT Enterprise), hidden: unhide it" in only.stderr
