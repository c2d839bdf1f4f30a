from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation

from autofill.errors import AutofillError
from autofill.fill import FillOptions, customer_named, fill_form
from autofill.knowledge import load_knowledge
from autofill.models import FillReport, KnowledgeBase
from autofill.report import report_dict
from tests.kb_factory import make_kb

MakeXlsx = Callable[..., Path]


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return load_knowledge(make_kb(tmp_path / "kb"))


@pytest.fixture
def make_xlsx(tmp_path: Path) -> MakeXlsx:
    def _make(rows: list[list[object]], *, choices: str | None = "Yes,No,N/A", name: str = "form.xlsx") -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Security"
        ws.append(["Vendor questionnaire"])
        ws.append([])
        ws.append(["ID", "Question", "Answer", "Comments"])
        for row in rows:
            ws.append(row)
        if choices is not None:
            validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
            ws.add_data_validation(validation)
            validation.add(f"C4:C{3 + len(rows)}")
        path = tmp_path / name
        wb.save(path)
        return path

    return _make


def _fill(
    form: Path, kb: KnowledgeBase, **options: object
) -> tuple[FillReport, openpyxl.worksheet.worksheet.Worksheet]:
    report = fill_form(form, kb, options=FillOptions(**options))  # type: ignore[arg-type]
    assert report.output is not None
    return report, openpyxl.load_workbook(report.output)["Security"]


def test_answers_comments_and_citations_are_written(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx(
        [
            ["Q1", "Is customer data encrypted at rest?", None, None],
            ["Q2", "Do you use customer data to train your AI models?", None, None],
            ["Q3", "Is customer data excluded from model training?", None, None],
        ]
    )
    report, ws = _fill(form, kb)
    assert [ws[f"C{r}"].value for r in (4, 5, 6)] == ["Yes", "No", "Yes"]
    # the sentence and its source, short enough for a row of fixed height; the quote is in the report
    assert ws["D4"].value == (
        "We encrypt all customer data at rest using AES-256.\nSource: Security, 2025-01-01, https://example.com/security"
    )
    assert report.outcomes[0].citations[0].quote == "We encrypt all customer data at rest using AES-256"
    assert report.summary == {"questions": 3, "answered": 3, "review": 0, "unanswered": 0, "kept": 0}
    assert report.output == form.with_name("form.filled.xlsx")


def test_unrelated_and_near_miss_questions_are_left_blank(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx(
        [
            ["Q1", "Are visitors to the data center escorted at all times?", None, None],
            ["Q2", "Do you have a SOC 1 Type 2 report?", None, None],
            ["Q3", "Are encryption keys rotated annually?", None, None],
        ]
    )
    report, ws = _fill(form, kb)
    assert [ws[f"C{r}"].value for r in (4, 5, 6)] == [None, None, None]
    assert report.count("answered") == 0
    assert all(o.candidates or o.note for o in report.outcomes), "every row's outcome is explained"


def test_a_pronoun_subject_asks_about_its_section(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    rows: list[list[object]] = [
        [None, "Subprocessors", None, None],
        ["S-1", "Do they encrypt customer data at rest?", None, None],  # the subprocessors' practice
        ["S-2", "Do you encrypt customer data at rest?", None, None],  # "you" may be the subprocessor here
        [None, "Customer data", None, None],
        ["C-1", "Is it encrypted at rest?", None, None],
        ["C-2", "Is it possible to encrypt customer data at rest?", None, None],  # "it" is no subject here
    ]
    report, ws = _fill(make_xlsx(rows), kb)
    assert [ws[f"C{row}"].value for row in (5, 6, 8)] == [None, None, "Yes"]
    by_id = {o.question.qid: o for o in report.outcomes}
    assert by_id["S-1"].question.text == "Do they encrypt customer data at rest?"  # the report keeps the row's words
    assert "third party" in (by_id["S-1"].note or ""), by_id["S-1"].note


@pytest.mark.parametrize(
    "note",
    [
        # round 62: a note's instruction after its scope, and a note longer than a title
        "Note: the following rows apply to subprocessors; answer for them, not for your own organisation.",
        "Note: these rows concern your fourth parties; respond on their behalf, not for your own organisation "
        "or for any of its affiliates.",
    ],
)
def test_a_note_row_that_narrows_the_rows_below_sends_them_to_review(
    make_xlsx: MakeXlsx, kb: KnowledgeBase, note: str
) -> None:
    rows: list[list[object]] = [
        ["E-1", "Is customer data encrypted at rest?", None, None],
        [note, None, None, None],
        ["S-1", "Is customer data encrypted at rest?", None, None],
    ]
    report, ws = _fill(make_xlsx(rows), kb)
    assert [ws["C4"].value, ws["C6"].value] == ["Yes", None]
    assert "third party" in (report.outcomes[1].note or ""), report.outcomes[1].note


@pytest.mark.parametrize(
    "section",
    ["Backups", "Subprocessors", "Planned improvements (roadmap)", "Historical incidents (last 3 years)",
     "Customer responsibilities", "Laptops and mobile devices", "Your employees",
     # round 22: a third party by its role, not the word "subprocessor"
     "Hosting Provider (Microsoft Azure)", "Cloud Hosting Provider", "Supply Chain", "Affiliates",
     # round 27: a part the customer completes, and places the claims never speak of
     "Part B: to be completed by the purchaser", "Questions for the customer", "Buyer's controls",
     "Customer self-assessment", "On-premises deployment", "Development and test environments",
     "Support tickets", "Email", "Mobile app"],
)  # fmt: skip
def test_a_section_that_narrows_its_rows_sends_them_to_review(
    make_xlsx: MakeXlsx, kb: KnowledgeBase, section: str
) -> None:
    rows: list[list[object]] = [
        [None, "Encryption", None, None],  # a control family narrows nothing
        ["E-1", "Is customer data encrypted at rest?", None, None],
        [None, section, None, None],
        ["S-1", "Is customer data encrypted at rest?", None, None],
        ["S-2", "If so, was the data encrypted at rest?", None, None],  # a follow-up: within the row before
    ]
    report, ws = _fill(make_xlsx(rows), kb)
    assert [ws[f"C{row}"].value for row in (5, 7, 8)] == ["Yes", None, None]
    notes = {o.question.qid: o.note or "" for o in report.outcomes}
    assert f"asked under '{section}'" in notes["S-1"] and "follow-up" in notes["S-2"], notes


def test_a_column_saying_what_each_row_is_about_narrows_it(tmp_path: Path, kb: KnowledgeBase) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Security"
    ws.append(["ID", "Question", "Applies to", "Answer", "Comments"])
    ws.append(["A-1", "Is customer data encrypted at rest?", "Subprocessors", None, None])
    ws.append(["A-2", "Is customer data encrypted at rest?", "Service", None, None])
    wb.save(tmp_path / "scoped.xlsx")
    report = fill_form(tmp_path / "scoped.xlsx", kb, options=FillOptions())
    assert report.output is not None
    out = openpyxl.load_workbook(report.output)["Security"]
    assert (out["D2"].value, out["D3"].value) == (None, "Yes")


def test_the_customer_as_the_form_names_itself_is_the_customer(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    rows: list[list[object]] = [
        ["B-1", "Is Bank data encrypted at rest?", None, None],  # the form's defined term
        ["B-2", "Is Acme data encrypted at rest?", None, None],  # the name given with --customer
        ["B-3", "Are bank account numbers encrypted at rest?", None, None],  # a bank account is no party
    ]
    _, ws = _fill(make_xlsx(rows), kb, customer="Acme")
    assert [ws[f"C{row}"].value for row in (4, 5, 6)] == ["Yes", "Yes", None]
    # round 43: a city's procurement form names itself and the vendor so
    public = [["P-1", "Is City data encrypted at rest?", None, None],
              ["P-2", "Does the Contractor encrypt County data at rest?", None, None],
              ["P-3", "The Contractor shall encrypt all customer data at rest.", None, None]]  # fmt: skip
    _, city = _fill(make_xlsx(public, name="city.xlsx"), kb)
    assert [city[f"C{row}"].value for row in (4, 5, 6)] == ["Yes", "Yes", "Yes"]
    # round 44: and its own part of the form is the customer's, as "Customer Responsibilities" is
    duties = [
        ["Q-1", "Is customer data encrypted at rest?", None, None],
        [None, "City Responsibilities", None, None],
        ["D-1", "Is data encrypted at rest?", None, None],
        ["D-2", "Is data stored encrypted?", None, None],
    ]
    report, duty = _fill(make_xlsx(duties, name="duties.xlsx"), kb)
    assert [duty[f"C{row}"].value for row in (4, 6, 7)] == ["Yes", None, None]
    assert "asked under 'City Responsibilities', so about the customer" in (report.outcomes[-1].note or "")
    # round 94: with the customer's name in brackets in the title
    bracketed = [
        [None, "Customer (Initech) obligations", None, None],
        ["O-1", "Is customer data encrypted at rest?", None, None],
    ]
    assert _fill(make_xlsx(bracketed, name="bracketed.xlsx"), kb)[1]["C5"].value is None
    # a customer named with a word the claims use is not read into the questions
    worded = make_xlsx([["W-1", "Is Data at rest encrypted with AES-256?", None, None]], name="worded.xlsx")
    assert _fill(worded, kb, customer="Data")[1]["C4"].value == "Yes"


def test_answer_uses_the_forms_vocabulary(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx([["Q1", "Is customer data stored unencrypted?", None, None]], choices="YES,NO,NA")
    _, ws = _fill(form, kb)
    assert ws["C4"].value == "NO"


def test_a_list_without_the_answer_sends_the_row_to_review(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx([["Q1", "Is customer data encrypted at rest?", None, None]], choices="Full,Partial,Planned")
    report, ws = _fill(form, kb)
    assert ws["C4"].value is None
    assert report.outcomes[0].status == "review"
    assert "has no choice for 'Yes'" in (report.outcomes[0].note or "")


def test_compound_question_names_the_uncovered_part(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    question = "Is customer data encrypted at rest, and are encryption keys rotated every year?"
    report, ws = _fill(make_xlsx([["Q1", question, None, None]]), kb)
    outcome = report.outcomes[0]
    assert ws["C4"].value is None
    assert outcome.status == "review"
    assert "not covered by the knowledge base: 'are encryption keys rotated every year'" in (outcome.note or "")


def test_review_rows_are_highlighted_and_listed(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx([["Q1", "Is customer data encrypted at rest?", None, None]])
    report, _ = _fill(form, kb, auto_threshold=101.0)
    assert report.outcomes[0].status == "review"
    wb = openpyxl.load_workbook(report.output)  # type: ignore[arg-type]
    ws = wb["Security"]
    assert ws["C4"].value is None
    assert ws["C4"].fill.fgColor.rgb not in (None, "00000000")
    review = wb["Autofill review"]
    header = [c.value for c in review[1]]
    assert header[:5] == ["Sheet", "Cell", "ID", "Question", "Suggested answer"]
    assert [c.value for c in review[2]][:5] == ["Security", "C4", "Q1", "Is customer data encrypted at rest?", "Yes"]
    assert review.row_dimensions[2].height >= 30  # tall enough for the wrapped suggested text


def test_a_form_filled_before_is_read_without_its_review_sheet(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx([["Q1", "Is customer data encrypted at rest?", None, None]])
    first, _ = _fill(form, kb, auto_threshold=101.0)
    assert first.output is not None and "Autofill review" in openpyxl.load_workbook(first.output).sheetnames
    again = fill_form(first.output, kb, out=form.with_name("again.xlsx"), options=FillOptions(auto_threshold=101.0))
    assert [q.question.location.sheet for q in again.outcomes] == ["Security"]  # its own list is no questionnaire
    assert any("autofill's own review sheets" in note for note in again.notes)


def test_existing_answers_are_kept_unless_overwrite(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx([["Q1", "Is customer data encrypted at rest?", "No", "our own words"]])
    report, ws = _fill(form, kb)
    assert (ws["C4"].value, ws["D4"].value, report.outcomes[0].status) == ("No", "our own words", "kept")
    report, ws = _fill(form, kb, overwrite=True)
    assert ws["C4"].value == "Yes" and report.outcomes[0].status == "answered"


@pytest.mark.parametrize(
    "prompt",
    # round 60: "- choose -" and the choices left as a hint were kept as the vendor's answers
    ["Select...", "Please select", "[Enter answer]", "Click here to enter text.", "TBD", "- choose -", "Yes/No/N/A"],
)
def test_a_prompt_left_in_the_answer_cell_is_no_answer(make_xlsx: MakeXlsx, kb: KnowledgeBase, prompt: str) -> None:
    # forms ship their answer cells holding a prompt, often the list's first item
    form = make_xlsx(
        [
            ["Q1", "Is customer data encrypted at rest?", prompt, None],
            ["Q2", "Are visitors to the data center escorted at all times?", prompt, None],
            ["Q3", "Do you use customer data to train your AI models?", "Yes", None],
        ],
        choices=f"{prompt},Yes,No,N/A" if "," not in prompt else "Yes,No,N/A",
    )
    report, ws = _fill(form, kb)
    assert [o.status for o in report.outcomes] == ["answered", "unanswered", "kept"]
    assert [ws[f"C{r}"].value for r in (4, 5, 6)] == ["Yes", prompt, "Yes"]  # a real answer is still kept


@pytest.mark.parametrize("kind", ["whole", "date"])
def test_a_cell_that_takes_only_a_number_or_a_date_gets_no_yes(
    make_xlsx: MakeXlsx, kb: KnowledgeBase, kind: str
) -> None:
    form = make_xlsx([["Q1", "Is customer data encrypted at rest?", None, None]], choices=None)
    book = openpyxl.load_workbook(form)
    typed = DataValidation(type=kind, operator="between", formula1="0", formula2="5", showErrorMessage=True)
    book["Security"].add_data_validation(typed)
    typed.add("C4")
    book.save(form)
    report, ws = _fill(form, kb)
    (outcome,) = report.outcomes
    assert ws["C4"].value is None and outcome.status == "review"
    assert outcome.note is not None and "takes only a number, a date" in outcome.note


def _sheet_form(path: Path, title: str, answer_header: str, rows: list[list[object]], above: str | None = None) -> Path:
    """A sheet "ID | Question | <answer_header> | Comments" of `rows`, under a line `above` if given."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    if above is not None:
        ws.append([above])
    ws.append(["ID", "Question", answer_header, "Comments"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _last_row_filled(
    tmp_path: Path,
    kb: KnowledgeBase,
    sheet: str,
    header: str,
    section: str | None,
    question: str,
    product: str | None,
) -> tuple[FillReport, object]:
    """Fill a sheet of three other rows, an optional section row and `question` last: the report and
    the value written for `question`."""
    rows: list[list[object]] = [[f"X-{n}", "Is data encrypted in every region?"] for n in range(3)]
    rows += [[None, section]] if section else []
    rows += [["S-1", question]]
    form = _sheet_form(tmp_path / "form.xlsx", sheet, header, rows)
    report = fill_form(form, kb, options=FillOptions(product=product))
    assert report.output is not None
    return report, openpyxl.load_workbook(report.output)[sheet][f"C{len(rows) + 1}"].value


@pytest.mark.parametrize(
    ("title", "header", "written"),
    [
        ("Security", "Answer", "Yes"),
        ("Security", "Third-Party Response", "Yes"),  # the party answering the form: the vendor
        ("Security", "Vendor Response", "Yes"),
        ("To be completed by Customer", "Answer", None),  # round 27: the customer's part of the form
        ("Third Party Risk", "Answer", "Yes"),  # the vendor answering is the third party of a TPRM form
        ("Subprocessors", "Answer", None),
        ("Roadmap", "Implemented today? (Yes/No)", "Yes"),  # the column says when; the sheet does not
        ("Security", "Answer (on-premises deployment)", None),
        ("Security", "Response - Mobile app", None),
        ("Security", "Response (backups)", None),
        ("Security", "Affiliates' answer", None),
    ],
)
def test_the_answer_columns_header_and_the_sheets_title_narrow_the_rows(
    tmp_path: Path, kb: KnowledgeBase, title: str, header: str, written: str | None
) -> None:
    form = _sheet_form(tmp_path / "form.xlsx", title, header, [["A-1", "Is customer data encrypted at rest?"]])
    report = fill_form(form, kb, options=FillOptions())
    assert report.output is not None
    assert openpyxl.load_workbook(report.output)[title]["C2"].value == written
    if written is None:
        # the customer's part is left to the customer, with no vendor answer offered (round 47), and
        # so is another company's (rounds 69-70)
        status = "unanswered" if "Customer" in title or "Subprocessors" in title or "Affiliates" in header else "review"
        assert report.outcomes[0].status == status and "asked under" in (report.outcomes[0].note or "")


def test_a_line_above_the_header_saying_whom_the_sheet_asks_narrows_its_rows(tmp_path: Path, kb: KnowledgeBase) -> None:
    # round 27: "The questions below concern YOUR organisation (the customer)" above the header
    line = "The questions below concern YOUR organisation (the customer), not the vendor."
    form = _sheet_form(
        tmp_path / "titled.xlsx", "Assessment", "Answer", [["A-1", "Is customer data encrypted at rest?"]], line
    )
    report = fill_form(form, kb, options=FillOptions())
    assert report.output is not None
    assert openpyxl.load_workbook(report.output)["Assessment"]["C3"].value is None


@pytest.mark.parametrize(
    ("header", "written"), [("Compliance (Y/N)", "Y"), ("Answer (Yes / No)", "Yes"), ("Answer", "Yes")]
)
def test_a_header_that_names_the_answers_is_the_cells_list(
    tmp_path: Path, kb: KnowledgeBase, header: str, written: str
) -> None:
    # round 25: a free-text cell under "Compliance (Y/N)" got "Yes", an answer its header does not allow
    form = _sheet_form(tmp_path / "form.xlsx", "Security", header, [["A-1", "Is customer data encrypted at rest?"]])
    report = fill_form(form, kb, options=FillOptions())
    assert report.output is not None
    assert openpyxl.load_workbook(report.output)["Security"]["C2"].value == written


@pytest.mark.parametrize(
    ("header", "section", "product", "written"),
    [
        ("Response (API Platform)", None, None, "Yes"),
        ("Response (ChatGPT Enterprise)", None, None, None),  # the SOC 2 claim is the API's alone
        ("Answer", "ChatGPT Enterprise", None, None),
        ("Answer", "API Platform", None, "Yes"),
        ("Answer", "API Platform", "chatgpt-enterprise", None),  # the section names another product
        ("Answer", "ChatGPT Enterprise", "api", None),
        ("Response (ChatGPT Enterprise)", "API Platform", "api", None),  # the column is nearer the answer
    ],
)
def test_a_product_named_by_the_section_or_the_answer_column_is_the_one_asked_of(
    tmp_path: Path, kb: KnowledgeBase, header: str, section: str | None, product: str | None, written: str | None
) -> None:
    question = "Have you completed a SOC 2 Type 2 audit?"
    report, value = _last_row_filled(tmp_path, kb, "Security", header, section, question, product)
    assert value == written
    assert report.outcomes[-1].question.text == question  # as the form says it


def test_a_row_naming_another_product_than_its_answer_column_is_asked_of_both(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    # round 25: "... for the API?" in a column headed "ChatGPT Enterprise Response" took the API's claim
    rows: list[list[object]] = [["S-1", "Have you completed a SOC 2 Type 2 audit for the API Platform?"]]
    for header, written in (("ChatGPT Enterprise Response", None), ("API Platform Response", "Yes"), ("Answer", "Yes")):
        form = _sheet_form(tmp_path / "form.xlsx", "Security", header, rows)
        report = fill_form(form, kb, options=FillOptions())
        assert report.output is not None
        assert openpyxl.load_workbook(report.output)["Security"]["C2"].value == written, header


@pytest.mark.parametrize(
    ("sheet", "header", "product", "written"),
    [
        ("API Platform", "Answer", None, None),  # round 38: the sheet's product, another than the row's
        ("API Platform", "Answer", "chatgpt-enterprise", None),
        ("API Platform", "Response (API)", "chatgpt-team", None),
        ("Security", "Response (API)", None, None),  # "API" alone names the product in a column's header
        ("Security", "Answer - API", None, None),
        ("Security", "API - Vendor answer", None, None),  # round 39
        ("Security", "Edu response", "chatgpt-enterprise", None),
        ("Security", "Response (Team plan)", "chatgpt-enterprise", None),  # round 41
        ("Security", "Answer", None, "Yes"),
        ("Security", "Answer", "chatgpt-enterprise", "Yes"),
    ],
)
def test_a_row_naming_a_product_is_asked_of_the_one_its_sheet_or_column_names_too(
    tmp_path: Path, sheet: str, header: str, product: str | None, written: str | None
) -> None:
    # round 38: "Do you provide a ChatGPT security whitepaper for this service?" on a sheet "API
    # Platform" got the ChatGPT claim's Yes: a row naming a product ignored the sheet's
    rows: list[list[object]] = [["S-1", "Do you provide a ChatGPT security whitepaper for this service?"]]
    form = _sheet_form(tmp_path / "form.xlsx", sheet, header, rows)
    report = fill_form(form, load_knowledge(), options=FillOptions(product=product))
    assert report.output is not None
    assert openpyxl.load_workbook(report.output)[sheet]["C2"].value == written, report.outcomes[0].note


_OWNERSHIP = {
    "id": "ownership",
    "products": ["all"],
    "answer_text": "You own your inputs and outputs.",
    "citation": {"source": "sec", "quote": "You own your inputs and outputs"},
    "questions": [
        {"q": "Do customers own their inputs and outputs?", "answer": "Yes"},
        {"q": "Does the customer own the outputs generated by the service?", "answer": "Yes"},
        {"q": "Does the vendor claim ownership of customer prompts and outputs?", "answer": "No"},
        {"q": "Does the vendor own customer outputs?", "answer": "No"},
        {"q": "Is AI-generated output owned by the customer?", "answer": "Yes"},
    ],
}


@pytest.mark.parametrize(
    ("row", "allowed"),
    [
        ("Customer owns inputs and outputs", {"Yes", None}),  # round 37: answered No
        ("Customer retains ownership of outputs", {"Yes", None}),
        ("Client owns generated outputs", {"Yes", None}),
        ("Vendor claims ownership of prompts and outputs", {"No", None}),
        ("Vendor owns customer outputs", {"No", None}),
        ("Confirm that the customer owns its inputs and outputs.", {"Yes", None}),
    ],
)
def test_a_statement_led_by_a_party_is_about_that_party(tmp_path: Path, row: str, allowed: set[str | None]) -> None:
    text = "You own your inputs and outputs.\n"
    kb = load_knowledge(make_kb(tmp_path / "kb", [_OWNERSHIP], text=text))
    form = _sheet_form(tmp_path / "form.xlsx", "Security", "Yes/No", [["F-1", row]])
    report = fill_form(form, kb, options=FillOptions())
    assert report.output is not None
    written = openpyxl.load_workbook(report.output)["Security"]["C2"].value
    assert written in allowed, (row, written, report.outcomes[0].candidates[:1])
    if report.outcomes[0].status == "review":  # nor is the other answer offered
        assert report.outcomes[0].answer in allowed


@pytest.mark.parametrize(
    ("sheet", "header", "section", "product", "question", "written"),
    [
        # round 31: the column names one product, the section another: asked of both
        (
            "Security",
            "Vendor Response (API Platform)",
            "Administration",
            None,
            "Have you completed a SOC 2 Type 2 audit?",
            "Yes",
        ),
        (
            "Security",
            "Vendor Response (API Platform)",
            "Employee use of personal accounts (ChatGPT Free / Plus)",
            None,
            "Have you completed a SOC 2 Type 2 audit?",
            None,
        ),
        # a sheet about the consumer app is no Enterprise question, whatever --product says
        ("Security", "Answer", None, "chatgpt-enterprise", "Do you use customer data to train your AI models?", "No"),
        (
            "Personal ChatGPT accounts",
            "Answer",
            None,
            "chatgpt-enterprise",
            "Do you use customer data to train your AI models?",
            None,
        ),
        # an offering the knowledge base does not cover, named by the sheet or a section
        ("Security", "Answer", None, None, "Is customer data encrypted at rest?", "Yes"),
        ("Azure OpenAI Service", "Answer", None, None, "Is customer data encrypted at rest?", None),
        ("Security", "Answer", "Sora", None, "Is customer data encrypted at rest?", None),
        ("Operator", "Answer", None, None, "Is customer data encrypted at rest?", None),  # a name alone
    ],
)
def test_the_product_a_layout_names_is_asked_of_even_one_the_base_does_not_cover(
    tmp_path: Path,
    kb: KnowledgeBase,
    sheet: str,
    header: str,
    section: str | None,
    product: str | None,
    question: str,
    written: str | None,
) -> None:
    _, value = _last_row_filled(tmp_path, kb, sheet, header, section, question, product)
    assert value == written


def test_a_question_split_over_two_rows_is_left(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx(
        [
            ["Q1", "Is customer data used to train your models", None, None],
            ["Q2", "if the customer has opted in?", None, None],
            ["Q3", "Do you use customer data to train your AI models?", None, None],
            ["Q4", "Is customer data encrypted at rest", None, None],  # no question mark, no run-on
            ["Q5", "Is customer data excluded from model training?", None, None],
            ["Q6", "Do you encrypt stored data?", None, None],
            ["Q7", "(Including backups and replicas.)", None, None],  # round 27: it carries on the row above
            ["Q8", "Is data at rest encrypted with AES-256?", None, None],
            ["Q9", "- including on backup media", None, None],
            ["Q10", "(a) Is customer data encrypted at rest?", None, None],  # a numbered row of its own
            ["Q11", "(SaaS only) Is customer data encrypted at rest?", None, None],  # CAIQ v3: a qualifier
        ]
    )
    report, ws = _fill(form, kb)
    assert [ws[f"C{r}"].value for r in range(4, 14)] == [None, None, "No", "Yes", "Yes", None, None, None, None, "Yes"]
    assert "runs on" not in (report.outcomes[-1].note or ""), report.outcomes[-1].note
    assert "runs on" in (report.outcomes[0].note or ""), report.outcomes[0].note


def test_a_form_written_in_small_letters_runs_a_row_on_only_from_an_open_word(
    make_xlsx: MakeXlsx, kb: KnowledgeBase
) -> None:
    # round 80: an engineer's terse sheet, every row in lower case with no question mark; each row
    # read as running on from the one above, so nothing was answered
    form = make_xlsx(
        [
            ["1", "team soc2?", None, None],
            ["2", "do you use customer data to train your ai models", None, None],
            ["3", "is customer data encrypted at rest", None, None],
            ["4", "is customer data used to train your models", None, None],
            ["5", "if the customer has opted in?", None, None],  # a row that carries on the one above
            ["6", "is data at rest encrypted with aes-256", None, None],
            ["7", "is customer data encrypted at rest", None, None],
            ["8", "covering backups and replicas?", None, None],  # (round 83) it ends the question above
        ]
    )
    report, ws = _fill(form, kb)
    assert [ws[f"C{r}"].value for r in range(5, 12)] == ["No", "Yes", None, None, "Yes", None, None]
    assert "runs on" in (report.outcomes[3].note or ""), report.outcomes[3].note


def test_a_row_carrying_on_the_one_above_is_no_title(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    # round 81: an id-less "by the customer's own testers" under "6 | is penetration testing performed
    # annually" was read as a title, and the half above answered Yes; a lower-case "the following rows
    # concern ..." in a form with no titles was read as a question
    form = make_xlsx(
        [
            ["1", "do you use customer data to train your ai models", None, None],
            ["2", "is customer data encrypted at rest", None, None],
            [None, "by the customer's own tools", None, None],
            ["3", "is data at rest encrypted with aes-256", None, None],
            [None, "the following rows concern the customer's own environment", None, None],
            ["4", "is customer data encrypted at rest", None, None],
        ]
    )
    report, ws = _fill(form, kb)
    assert [ws[f"C{r}"].value for r in range(4, 10)] == ["No", None, None, "Yes", None, None], [
        (o.question.text, o.note) for o in report.outcomes
    ]


def test_a_line_saying_to_answer_for_each_product_asks_no_row_of_every_product(tmp_path: Path) -> None:
    # round 82: "Answer Yes, No or N/A separately for each product offered." above the header made
    # every row ask about all products, and nothing was answered
    line = "Answer Yes, No or N/A separately for each product offered."
    form = _sheet_form(
        tmp_path / "each.xlsx",
        "Security",
        "Answer",
        [["Q1", "Is customer data encrypted at rest using AES-256?"]],
        line,
    )
    # the shipped base, whose encryption claim is for the business products, not every product
    report = fill_form(form, load_knowledge(), options=FillOptions(product="api", ledger=False))
    assert report.output is not None
    out = openpyxl.load_workbook(report.output)["Security"]
    assert out["C3"].value == "Yes", [o.note for o in report.outcomes]


def test_the_name_a_form_defines_for_its_author_is_read_as_the_customer(tmp_path: Path, kb: KnowledgeBase) -> None:
    # round 80: 'Northwind Retail Group ("Northwind")' on the instructions sheet; every row naming
    # Northwind was left blank ("the knowledge base never speaks of: Northwind")
    wb = openpyxl.Workbook()
    intro = wb.active
    intro.title = "Instructions"
    intro.append(['Purpose: Northwind Retail Group ("Northwind") assesses every supplier of Northwind.'])
    intro.append(['Our hosting partner, Acme Hosting Ltd (the "Host"), is assessed separately.'])
    ws = wb.create_sheet("Security")
    ws.append(["ID", "Question", "Answer", "Comments"])
    ws.append(["Q1", "Do you use Northwind's data to train your AI models?", None, None])
    ws.append(["Q2", "Is Northwind data encrypted at rest?", None, None])
    ws.append(["Q3", "Is the Host's data encrypted at rest?", None, None])  # a role, not the author's name
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    ws.add_data_validation(validation)
    validation.add("C2:C4")
    wb.save(tmp_path / "named.xlsx")
    report, out = _fill(tmp_path / "named.xlsx", kb)
    assert [out[f"C{r}"].value for r in (2, 3, 4)] == ["No", "Yes", None], [o.note for o in report.outcomes]


def test_the_forms_own_name_is_a_party_as_the_object_of_what_the_vendor_does_for_it() -> None:
    # round 113a: "Does your offering support Northbridge in meeting its own HIPAA obligations?" was left blank
    named = customer_named("Northbridge Health Network", as_party=True)
    rows = (
        "Does your offering support Northbridge in meeting its HIPAA obligations?",
        "Will you help Northbridge meet its obligations?",
        "Do you allow Northbridge to export its data?",
    )
    for row in rows:
        assert "the customer" in named.sub("the customer", row), row
    assert (
        named.sub("the customer", "Northbridge InfoSec reviews every answer.")
        == "Northbridge InfoSec reviews every answer."
    )
    district = customer_named("Cascade Valley Unified School District No. 412", as_party=True)
    assert district.sub("the customer", "Can the District delete data?") == "Can the customer delete data?"
    # round 113b: a government department's form calls it "the agency" throughout; another agency is no customer
    department = customer_named("Department of Digital Government Services", as_party=True)
    for row, said in (
        ("All agency data at rest shall be encrypted.", "All the customer data at rest shall be encrypted."),
        ("The agency shall own all outputs.", "the customer shall own all outputs."),
        ("Agency administrators shall restrict features.", "the customer administrators shall restrict features."),
        ("State the authorizing agency.", "State the authorizing agency."),
        ("Is a federal agency involved?", "Is a federal agency involved?"),
        ("A federal agency will review it.", "A federal agency will review it."),
    ):
        assert department.sub("the customer", row) == said, row
    # round 114b: the name as the subject of what it will do
    nordvik = customer_named("Nordvik", as_party=True)
    assert nordvik.sub("the customer", "Nordvik will use the service.") == "the customer will use the service."
    assert nordvik.sub("the customer", "Nordvik InfoSec reviews it.") == "Nordvik InfoSec reviews it."


@pytest.mark.parametrize(
    ("title", "named", "called", "label"),
    [
        ("Cascade Health Network", True, "Cascade Health", None),
        # round 112a: --customer as the ledger's label for the form leaves the form's own name its customer
        ("Cascade Health Network", True, "Cascade Health", "cascade-2025-q3"),
        ("Cascade Health", True, "Cascade Health", None),
        ("Information Security Group", False, "Cascade Health", None),
        # round 111b: the name, then what the form is; a Nordic company's kind; a bank by its kind
        ("Cascade Health AS - AI Platform Supplier Assessment (2025)", True, "Cascade Health", None),
        ("Vendor Due Diligence \u2013 Cascade Valley Credit Union", True, "the Credit Union", None),
        ("Vendor Due Diligence \u2013 Cascade Valley Credit Union", True, "Cascade", None),
        ("Security Assessment - Data Protection", False, "the Credit Union", None),
        # round 113a: a school district's number after its kind; the row names it as the object of "support"
        ("Cascade Valley Unified School District No. 412", True, "the District", None),
        # round 117: the form's own word for itself, defined ("the Company" was read as the vendor)
        ("In this questionnaire 'the Company' means Cascade Health Network.", True, "the Company", None),
    ],
)
def test_an_organisations_name_alone_on_the_title_line_is_the_customer(
    tmp_path: Path, kb: KnowledgeBase, title: str, named: bool, called: str, label: str | None
) -> None:
    # round 106: "Cascade Health Network" over the form's title; every row naming "Cascade Health" was left
    # blank ("the knowledge base never speaks of: Cascade, Health")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Security"
    ws.append([title])
    ws.append(["Vendor Contract and Privacy Terms Questionnaire"])
    ws.append(["ID", "Question", "Answer", "Comments"])
    ws.append(["Q1", f"Do you use {called}'s data to train your AI models?", None, None])
    ws.append(["Q2", f"Is {called} data encrypted at rest?", None, None])
    ws.append(["Q3", "Is Cascade data encrypted at rest?", None, None])  # (round 107: by its telling word)
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    ws.add_data_validation(validation)
    validation.add("C4:C6")
    wb.save(tmp_path / "titled.xlsx")
    report, out = _fill(tmp_path / "titled.xlsx", kb, customer=label)
    expected = ["No", "Yes", "Yes"] if named else [None, None, None]
    assert [out["C4"].value, out["C5"].value, out["C6"].value] == expected, [o.note for o in report.outcomes]


@pytest.mark.parametrize(
    "intro",
    ['Supplier questionnaire. Our external auditor is Tailspin Audit ("Tailspin").',
     'This questionnaire is to be completed by the supplier, Tailspin AI ("Tailspin").',
     'Vendor: Tailspin AI ("Tailspin")', 'Tailspin Payroll ("Tailspin") processes our payroll data.',
     'Our payroll is processed by our subcontractor, Tailspin Ltd ("Tailspin").',
     # round 83: a firm issuing the form for its client
     'This questionnaire is issued by Tailspin Advisory ("Tailspin"), the risk consultant to Contoso Bank.',
     'Issued by Tailspin Advisory ("Tailspin") on behalf of its client.'],
)  # fmt: skip
def test_a_name_defined_for_another_company_is_not_the_customer(tmp_path: Path, kb: KnowledgeBase, intro: str) -> None:
    # round 81: any single defined name was read as the customer; "Does Tailspin own its inputs and
    # outputs?" was written Yes for an auditor, a payroll firm, the supplier itself
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Security"
    ws.append([intro])
    ws.append(["ID", "Question", "Answer", "Comments"])
    ws.append(["Q1", "Is Tailspin data encrypted at rest?", None, None])
    ws.append(["Q2", "Do you use Tailspin's data to train your AI models?", None, None])
    wb.save(tmp_path / "other.xlsx")
    report, out = _fill(tmp_path / "other.xlsx", kb)
    assert [out["C3"].value, out["C4"].value] == [None, None], [o.note for o in report.outcomes]


@pytest.mark.parametrize(
    ("header", "owner"),
    [("Responsible Party", "Agency"), ("Implemented By", "Agency"), ("Responsibility", "Agency"),
     ("Responsible Party (Agency / Contractor)", "Agency"), ("Responsible Party", "CSC"), ("Owner", "Tenant")],
)  # fmt: skip
def test_a_row_the_customer_is_responsible_for_is_left(
    tmp_path: Path, kb: KnowledgeBase, header: str, owner: str
) -> None:
    # round 82: "Responsible Party = Agency" on a requirement row; the vendor's Met was written (round
    # 83-84: "CSC", "Tenant", an "Owner" column, a header listing its choices)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Security"
    ws.append(["ID", "Requirement", header, "Answer", "Comments"])
    ws.append(["SC-28", "Customer data shall be encrypted at rest.", owner, None, None])
    ws.append(["SC-29", "Customer data shall be encrypted at rest.", "Contractor", None, None])
    wb.save(tmp_path / "owned.xlsx")
    report, out = _fill(tmp_path / "owned.xlsx", kb)
    assert out["D2"].value is None and out["D3"].value == "Yes", [o.note for o in report.outcomes]


@pytest.mark.parametrize(
    ("name", "instruction"),
    [("POA&M", None), ("Tracker", "Do not edit the Tracker sheet."), ("Risk Log", None), ("Prior Year", None),
     ("Tracker", 'The "Tracker" tab is read-only.'), ("Tracker", "Please complete the Security tab only."),
     ("Tracker", 'Leave the "Tracker" tab blank; it is completed by our risk team.')],
)  # fmt: skip
def test_a_sheet_of_the_customers_own_records_is_not_filled(
    tmp_path: Path, kb: KnowledgeBase, name: str, instruction: str | None
) -> None:
    # round 82: a plan of action's "Remediated? (Yes/No)" and "Vendor Response" were written into
    wb = openpyxl.Workbook()
    intro = wb.active
    intro.title = "Instructions"
    intro.append([instruction or "Answer every question on the Security sheet."])
    ws = wb.create_sheet("Security")
    ws.append(["ID", "Question", "Answer", "Comments"])
    ws.append(["Q1", "Is customer data encrypted at rest?", None, None])
    records = wb.create_sheet(name)
    records.append(["ID", "Question", "Vendor Response", "Notes"])
    records.append(["P-1", "Is customer data encrypted at rest?", None, None])
    wb.save(tmp_path / "records.xlsx")
    report, out = _fill(tmp_path / "records.xlsx", kb)
    assert out["C2"].value == "Yes"
    assert openpyxl.load_workbook(report.output)[name]["C2"].value is None
    assert any(name in note for note in report.notes), report.notes


@pytest.mark.parametrize("owner", ["Security team", "Privacy Office", "Vendor", "Shared"])
def test_a_row_owned_by_a_team_or_the_vendor_is_answered(tmp_path: Path, kb: KnowledgeBase, owner: str) -> None:
    # round 85: "Owner: Security team" read as a row about the vendor's employees, "Privacy Office" as
    # one about corporate IT: a row's owner says whose it is, nothing of its topic
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Security"
    ws.append(["ID", "Question", "Owner", "Answer", "Comments"])
    ws.append(["Q1", "Is customer data encrypted at rest?", owner, None, None])
    wb.save(tmp_path / "owned.xlsx")
    report, out = _fill(tmp_path / "owned.xlsx", kb)
    assert out["D2"].value == "Yes", [o.note for o in report.outcomes]


@pytest.mark.parametrize("name", ["Exceptions and Deviations", "Security Findings Questionnaire"])
def test_a_questionnaire_sheet_named_like_records_is_filled(tmp_path: Path, kb: KnowledgeBase, name: str) -> None:
    # round 85: the only sheet, named like the customer's records, was skipped and the run failed; its
    # "answer Yes or No and describe any exception" read as a column asking for exceptions
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = name
    ws.append(["For each control, answer Yes or No and describe any exception or deviation in Comments."])
    ws.append(["ID", "Question", "Answer", "Comments"])
    ws.append(["Q1", "Is customer data encrypted at rest?", None, None])
    wb.save(tmp_path / "records.xlsx")
    report = fill_form(tmp_path / "records.xlsx", kb, options=FillOptions())
    assert report.output is not None
    assert openpyxl.load_workbook(report.output)[name]["C3"].value == "Yes", [o.note for o in report.outcomes]


def test_a_product_column_says_which_product_each_row_asks_of(tmp_path: Path, kb: KnowledgeBase) -> None:
    # round 25: "Product | Question" with "ChatGPT Free" / "API" per row; the rows took any claim
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Security"
    ws.append(["ID", "Product", "Question", "Answer", "Comments"])
    ws.append(["P-1", "ChatGPT Enterprise", "Have you completed a SOC 2 Type 2 audit?", None, None])
    ws.append(["P-2", "API Platform", "Have you completed a SOC 2 Type 2 audit?", None, None])
    ws.append(["P-3", "All", "Is customer data encrypted at rest?", None, None])
    wb.save(tmp_path / "products.xlsx")
    report = fill_form(tmp_path / "products.xlsx", kb, options=FillOptions())
    assert report.output is not None
    out = openpyxl.load_workbook(report.output)["Security"]
    assert [out[f"D{row}"].value for row in (2, 3, 4)] == [None, "Yes", "Yes"]


def test_a_list_built_by_a_formula_gets_no_value_it_may_refuse(tmp_path: Path, kb: KnowledgeBase) -> None:
    # round 25: a Y / N list built with INDIRECT or OFFSET was read as no list, and got "Yes"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Security"
    ws.append(["ID", "Question", "Answer", "Comments"])
    ws.append(["Q1", "Is customer data encrypted at rest?", None, None])
    lists = wb.create_sheet("Lists")
    lists.append(["Y"])
    lists.append(["N"])
    validation = DataValidation(type="list", formula1='INDIRECT("Lists!$A$1:$A$2")', allow_blank=True)
    ws.add_data_validation(validation)
    validation.add("C2")
    wb.save(tmp_path / "dynamic.xlsx")
    report = fill_form(tmp_path / "dynamic.xlsx", kb, options=FillOptions())
    assert report.output is not None
    assert openpyxl.load_workbook(report.output)["Security"]["C2"].value is None
    assert any("could not read the answer list" in note for note in report.notes), report.notes


def test_product_filter(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx([["Q1", "Have you completed a SOC 2 Type 2 audit?", None, None]])
    _, ws = _fill(form, kb, product="api")
    assert ws["C4"].value == "Yes"
    _, ws = _fill(form, kb, product="consumer")
    assert ws["C4"].value is None


def test_input_is_never_modified_and_no_temp_files_remain(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx([["Q1", "Is customer data encrypted at rest?", None, None]])
    before = hashlib.sha256(form.read_bytes()).hexdigest()
    _fill(form, kb)
    assert hashlib.sha256(form.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in form.parent.iterdir() if p.is_file()) == ["form.filled.xlsx", "form.xlsx"]


def test_output_equal_to_input_is_refused(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx([["Q1", "Is customer data encrypted at rest?", None, None]])
    with pytest.raises(AutofillError, match="is the input file"):
        fill_form(form, kb, out=form)


def test_formula_like_question_text_never_becomes_a_formula(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx([["Q1", "Is customer data encrypted at rest?", None, None]], choices=None)
    wb = openpyxl.load_workbook(form)
    question = wb["Security"]["B4"]
    question.value, question.data_type = "=Is customer data encrypted at rest?", "s"  # text, not a formula
    wb.save(form)
    report, ws = _fill(form, kb)
    for row in ws.iter_rows(min_row=4):
        for cell in row[2:]:
            assert not str(cell.value or "").startswith(("=", "+", "-", "@"))
    assert report.outcomes[0].question.text.startswith("=")


def test_every_written_answer_traces_to_a_verbatim_quote(make_xlsx: MakeXlsx) -> None:
    kb = load_knowledge()
    form = make_xlsx(
        [
            ["Q1", "Is customer data encrypted at rest?", None, None],
            ["Q2", "Do you support SAML single sign-on (SSO)?", None, None],
            ["Q3", "Will you sign a Data Processing Addendum (DPA)?", None, None],
            ["Q4", "Is there a 24x7 security incident response capability?", None, None],
        ]
    )
    report = fill_form(form, kb)
    answered = [o for o in report.outcomes if o.status == "answered"]
    assert len(answered) >= 3
    for outcome in answered:
        claim = kb.claim(outcome.claim or "")
        assert claim is not None and claim.current
        for citation in outcome.citations:
            assert " ".join(citation.quote.split()) in " ".join(kb.sources[citation.source].text.split())


def test_report_json_shape(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    form = make_xlsx([["Q1", "Is customer data encrypted at rest?", None, None]])
    data = report_dict(fill_form(form, kb))
    assert set(data) >= {"input", "output", "summary", "questions"}
    question = data["questions"][0]
    assert question["location"] == {"sheet": "Security", "row": 4, "cell": "C4"}
    assert (question["id"], question["status"], question["answer"], question["claim"]) == (
        "Q1",
        "answered",
        "Yes",
        "enc-at-rest",
    )
    assert set(question["citations"][0]) == {"source", "title", "url", "date", "quote"}
    assert question["candidates"][0] == {"claim": "enc-at-rest", "answer": "Yes", "confidence": question["confidence"]}
    json.dumps(data)


def test_large_forms_are_decided_in_parallel_in_order(kb: KnowledgeBase) -> None:
    from autofill.fill import PARALLEL_MIN, decide_all
    from autofill.models import FormQuestion, Location

    texts = ["Is customer data encrypted at rest?", "Are visitors escorted?", "Is customer data stored unencrypted?"]
    questions = [
        FormQuestion(Location(row=n, cell=f"C{n}", sheet="S"), texts[n % 3], answer_cell=f"C{n}")
        for n in range(PARALLEL_MIN + 100)
    ]
    outcomes = decide_all(questions, kb, FillOptions())
    assert [o.question.location.row for o in outcomes] == list(range(PARALLEL_MIN + 100))
    expected = {0: "Yes", 1: None, 2: "No"}
    assert all(o.answer == expected[o.question.location.row % 3] for o in outcomes)


def test_open_question_gets_the_sentence_not_a_bare_yes(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    free = make_xlsx([["Q1", "Describe how customer data is encrypted at rest.", None, None]], choices=None)
    report, ws = _fill(free, kb, auto_threshold=50.0)
    assert ws["C4"].value == "We encrypt all customer data at rest using AES-256."
    listed = make_xlsx([["Q1", "Describe how customer data is encrypted at rest.", None, None]], name="l.xlsx")
    report, ws = _fill(listed, kb, auto_threshold=50.0)
    # with only Yes / No to choose from, nothing is written or offered: any choice would mislead
    assert ws["C4"].value is None and report.outcomes[0].status == "unanswered"
    assert "open question" in (report.outcomes[0].note or "")


def test_with_overwrite_a_row_nothing_replaces_is_kept_and_says_so(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    # round 34: a form another vendor had filled, refilled with --overwrite, read as 253 blank rows
    # while their answers stayed in the cells
    form = make_xlsx(
        [
            ["Q1", "Is customer data encrypted at rest?", "No", None],
            ["Q2", "Is the hosting self owned and managed?", "Self owned", None],
        ],
        choices=None,
    )
    report = fill_form(form, kb, options=FillOptions(overwrite=True))
    assert [o.status for o in report.outcomes] == ["answered", "kept"]
    assert "no answer to replace it" in (report.outcomes[1].note or "")
    assert report.output is not None
    ws = openpyxl.load_workbook(report.output).active
    assert (ws["C4"].value, ws["C5"].value) == ("Yes", "Self owned")


def test_a_lead_in_holds_for_the_items_that_complete_it(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    """Round 46: "Q23 | Do your fourth parties (subcontractors):" over "Q24 | (a) encrypt customer
    data at rest?" asks about the fourth parties, whatever the ids; a lead-in's time window, how
    often and the case it sets ("If the customer opts in ...:") hold for its rows too; the lead-in
    ends at the first row that is no item."""
    form = make_xlsx(
        [
            ["Q23", "Do your fourth parties (subcontractors):", None, None],
            ["Q24", "(a) encrypt customer data at rest?", None, None],
            ["Q25", "Is customer data encrypted at rest?", None, None],
            ["Q30", "At least quarterly, does the Supplier:", None, None],
            ["Q30a", "(a) encrypt customer data at rest?", None, None],
            ["Q40", "If the customer opts in to sharing data:", None, None],
            ["Q40.1", "Is customer data encrypted at rest?", None, None],
            [None, "At least quarterly, does the Supplier:", None, None],  # no id, after a numbered one
            ["Q41", "(a) encrypt customer data at rest?", None, None],
            ["Q50", "Does the Supplier:", None, None],
            ["Q51", "(a) encrypt customer data at rest?", None, None],
            ["Q60", "Does the Supplier do the following at least monthly?", None, None],
            ["Q61", "(a) Encrypt customer data at rest", None, None],
            # round 49: other item markers, and a lead-in within a lead-in
            ["Q70", "At least quarterly, does the Supplier:", None, None],
            ["Q71", "\u2022 encrypt customer data at rest?", None, None],
            ["Q80", "In relation to your subprocessors:", None, None],
            ["Q81", "(a) Do they:", None, None],
            ["Q82", "(i) encrypt customer data at rest?", None, None],
        ]
    )
    report, ws = _fill(form, kb)
    written = {ws[f"A{r}"].value: ws[f"C{r}"].value for r in range(4, 22)}
    assert [written[q] for q in ("Q24", "Q30a", "Q40.1", "Q41", "Q61", "Q71", "Q82")] == [None] * 7, written
    assert written["Q25"] == "Yes" and written["Q51"] == "Yes", written  # no scope: answered alone
    notes = {o.question.qid: o.note or "" for o in report.outcomes}
    assert "the case it sets" in notes["Q40.1"] and "how often" in notes["Q30a"], notes


def test_a_full_comment_cell_keeps_the_customers_text_whole(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    # round 63: ours appended to 32,700 characters of the customer's was cut, its source line lost
    full = "Customer context. " * 1816  # 32,688 characters
    form = make_xlsx([["Q1", "Is customer data encrypted at rest?", None, full]])
    report, ws = _fill(form, kb)
    assert ws["C4"].value == "Yes" and ws["D4"].value == full
    assert any("comment cell D4 is full" in note for note in report.notes), report.notes


def test_a_frequency_the_claim_does_not_say_gets_no_suggestion(make_xlsx: MakeXlsx, kb: KnowledgeBase) -> None:
    # round 66: "Is the vendor's SOC 2 examination performed quarterly?" was offered the SOC 2 claim's
    # Yes: accepted, it would say quarterly; its No, that there is none
    form = make_xlsx([["Q1", "Is customer data encrypted at rest quarterly?", None, None]])
    report, ws = _fill(form, kb)
    (outcome,) = report.outcomes
    assert ws["C4"].value is None and outcome.status == "unanswered"
    assert "does not say how often (quarterly)" in (outcome.note or ""), outcome.note


def test_a_letter_means_its_usual_word_only_among_the_usual_letters() -> None:
    from autofill.choices import match_choice

    assert match_choice(("Yes", "No", "NA"), "N/A") == "NA"  # CAIQ's list: "No" is a word, not a code
    assert match_choice(("Y", "N", "N/A"), "No") == "N"
    assert match_choice(("Y", "X", "N"), "No") is None  # X = No, N = not applicable (round 81)
    assert match_choice(("C", "PC", "NC", "N/A"), "Yes", graded=True) == "C"
