"""The answer library in `autofill fill`: questions asked before are answered, look-alikes never."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml
from openpyxl.worksheet.datavalidation import DataValidation
from typer.testing import CliRunner

from autofill.cli import app
from autofill.knowledge import load_knowledge
from autofill.library import _meaning_differs, internal_in
from autofill.models import PRODUCTS
from tests.kb_factory import make_kb

runner = CliRunner()
MakeForm = Callable[..., Path]


def days_ago(days: int) -> str:
    """The date `days` before today, as the library's age checks will see it (a run may cross midnight)."""
    return (dt.date.today() - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def make_form(tmp_path: Path) -> MakeForm:
    """A workbook with a header (ID, Question, Answer, Comments); `choices` puts a list on the answers."""

    def _make(rows: list[list[object]], name: str, choices: str | None = "Yes,No,N/A") -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Security"
        ws.append(["ID", "Question", "Answer", "Comments"])
        for row in rows:
            ws.append(row)
        if choices:
            validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
            ws.add_data_validation(validation)
            validation.add(f"C2:C{1 + len(rows)}")
        path = tmp_path / name
        wb.save(path)
        return path

    return _make


@pytest.fixture
def library_kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    result = runner.invoke(app, ["knowledge", "init", str(root), "--empty"])
    assert result.exit_code == 0, result.output
    return root


def import_form(form: Path, kb: Path, date: str, *extra: str) -> None:
    result = runner.invoke(app, ["knowledge", "import", str(form), "--kb", str(kb), "--date", date, *extra])
    assert result.exit_code == 0, result.output


def fill(form: Path, kb: Path, *extra: str) -> tuple[dict[str, dict[str, object]], dict[int, tuple[object, object]]]:
    """Fill through the CLI; the report by question and (answer, comment) by row."""
    out, report = form.with_name(form.stem + ".out.xlsx"), form.with_name(form.stem + ".json")
    result = runner.invoke(app, ["fill", str(form), "--kb", str(kb), "-o", str(out), "--report", str(report), *extra])
    assert result.exit_code == 0, result.output
    questions = {q["question"]: q for q in json.loads(report.read_text())["questions"]}
    ws = openpyxl.load_workbook(out)["Security"]
    cells = {row: (ws.cell(row, 3).value, ws.cell(row, 4).value) for row in range(2, ws.max_row + 1)}
    return questions, cells


IMPORTED: list[list[object]] = [
    ["SEC-01", "Do you encrypt customer data at rest?", "Yes", "AES-256 on every volume."],
    ["SEC-02", "Do you perform penetration testing annually?", "Yes", "By an outside firm."],
    ["SEC-03", "Do you require multi-factor authentication for administrator accounts?", "Yes", None],
    ["SEC-04", "Are your employees required to complete security awareness training?", "Yes", None],
    ["SEC-05", "Do you retain customer data after contract termination?", "No", "Deleted within 30 days."],
    ["SEC-06", "Is your service certified to ISO 27001?", "Yes", None],
    ["SEC-07", "Do you review user access rights quarterly?", "Yes", None],
    ["SEC-08", "Describe your incident response process.", "We page the on-call team within 15 minutes.", None],
]

# The same questions in another customer's words: only case, punctuation, articles and plurals differ.
REWORDED = {
    "Do you encrypt the customer data at rest ?": "Yes",
    "ARE YOUR EMPLOYEES REQUIRED TO COMPLETE SECURITY AWARENESS TRAININGS?": "Yes",
    "Do you retain the customer's data after contract termination?": "No",
}
# Look-alikes: each asks something else than an imported question.
LOOK_ALIKES = [
    "Do you not encrypt customer data at rest?",  # negation
    "Do your subprocessors encrypt customer data at rest?",  # another party
    "Do third parties encrypt customer data at rest?",  # another party
    "Do we encrypt customer data at rest?",  # the customer's practice
    "Do you perform penetration testing quarterly?",  # another frequency
    "Do you perform penetration testing monthly?",  # another frequency
    "Is your service certified to ISO 27017?",  # another standard
    "Is your service certified to ISO 27001:2022?",  # another version
    "Do you review user access rights annually?",  # another frequency
    "Do you require multi-factor authentication for all accounts?",  # another scope
    "Do you encrypt customer data at rest with customer-managed keys?",  # a narrower technical detail
    "Do you retain customer data for 90 days after contract termination?",  # a number
    "Do your subprocessors retain customer data after contract termination?",  # another party
    "Are your contractors required to complete security awareness training?",  # another party
    # round 28: one word of direction changed, the rest the same
    "Are your employees required to complete security awareness training by contractors?",
    "Do you retain customer data before contract termination?",
]


def test_reworded_questions_are_answered_and_look_alikes_never(make_form: MakeForm, library_kb: Path) -> None:
    import_form(make_form(IMPORTED, "last-year.xlsx"), library_kb, days_ago(30))
    rows = [[f"N-{n}", q, None, None] for n, q in enumerate([*REWORDED, *LOOK_ALIKES], start=1)]
    questions, cells = fill(make_form(rows, "new.xlsx"), library_kb)
    for number, (question, answer) in enumerate(REWORDED.items(), start=2):
        assert questions[question]["status"] == "answered", questions[question]
        assert cells[number][0] == answer
    answered = [q for q in LOOK_ALIKES if questions[q]["status"] == "answered"]
    assert answered == []
    for number in range(2 + len(REWORDED), 2 + len(REWORDED) + len(LOOK_ALIKES)):
        assert cells[number] == (None, None)


@pytest.mark.parametrize(
    "question",
    ["Are penetration tests conducted by an independent third party?",  # who tests, not whose tests
     "Are third-party penetration tests performed at least annually?",  # the kind of test
     "Is there a documented third-party risk management program?"],  # the kind of program
)  # fmt: skip
def test_a_past_answer_is_not_reused_on_a_sheet_about_subprocessors(
    tmp_path: Path, library_kb: Path, question: str
) -> None:
    # round 28: the vendor's own answer took the same words on a sheet about subprocessors, as if
    # "third party" in the row had said which party it asks about
    past = _sheet_form(tmp_path / "past.xlsx", "Security", [["PT-1", question, "Yes", None]])
    import_form(past, library_kb, days_ago(5))
    for title, written in (("Subprocessor Due Diligence", None), ("Fourth Parties", None), ("Security", "Yes")):
        form = _sheet_form(tmp_path / f"{title}.xlsx", title, [["SP-1", question, None, None]])
        out, report = form.with_name("out.xlsx"), form.with_name("out.json")
        result = runner.invoke(
            app, ["fill", str(form), "--kb", str(library_kb), "-o", str(out), "--report", str(report)]
        )
        assert result.exit_code == 0, result.output
        assert openpyxl.load_workbook(out)[title]["C2"].value == written, title


def _sheet_form(path: Path, title: str, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["ID", "Question", "Answer", "Comments"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


# The same row id as an imported question with one meaningful word changed: another question.
SAME_ID_ONE_WORD = [
    ["SEC-01", "Do you encrypt customer backups at rest?"],  # another object
    ["SEC-01", "Do you not encrypt customer data at rest?"],  # negation
    ["SEC-02", "Do you perform vulnerability testing annually?"],  # another test
    ["SEC-03", "Do you require multi-factor authentication for contractor accounts?"],  # another scope
    ["SEC-04", "Are your employees required to design security awareness training?"],  # another verb
    ["SEC-05", "Do you retain customer data after contract renewal?"],  # another event
    ["SEC-07", "Do you review user access rights quarterly?"],  # the same: written
]


def test_the_same_row_id_with_one_word_changed_is_never_written(make_form: MakeForm, library_kb: Path) -> None:
    # forms reuse ids such as SEC-01 across customers: the id says where a row sits, not what it asks
    import_form(make_form(IMPORTED, "last-year.xlsx"), library_kb, days_ago(30))
    rows = [[qid, question, None, None] for qid, question in SAME_ID_ONE_WORD]
    questions, cells = fill(make_form(rows, "new.xlsx"), library_kb)
    *changed, (_, same) = SAME_ID_ONE_WORD
    for number, (_, question) in enumerate(changed, start=2):
        assert cells[number] == (None, None), question
        assert questions[question]["status"] in ("review", "unanswered"), question
    assert questions[same]["status"] == "answered" and cells[2 + len(changed)] == ("Yes", None)
    note = questions["Do you perform vulnerability testing annually?"]["note"]
    assert "it says 'test vulnerability' where the answered question said 'pentest'" in note, note
    unencrypted = "Are customer backups unencrypted?"  # "un-" negates, as "not" does
    assert _meaning_differs(unencrypted, "Are customer backups encrypted?") == ["negation differs"]


def test_a_row_that_leans_on_its_section_is_answered_only_under_the_same_section(
    make_form: MakeForm, library_kb: Path
) -> None:
    done = [[None, "Backups", None, None], ["B-1", "Are they encrypted?", "Yes", None],
            ["B-2", "Is the policy reviewed annually?", "Yes", None], ["B-3", "Are backups tested?", "Yes", None],
            [None, "Outsourcing", None, None], ["O-1", "If yes, please describe.", "Two contractors.", None],
            ["O-2", "Do you outsource development?", "Yes", None]]  # fmt: skip
    import_form(make_form(done, "done.xlsx", choices=None), library_kb, days_ago(5))
    rows = [[None, "Backups", None, None], ["X-1", "Are they encrypted?", None, None],
            ["X-2", "Are backups tested?", None, None],
            [None, "Mobile phones", None, None], ["X-3", "Are they encrypted?", None, None],
            ["X-4", "Is the policy reviewed annually?", None, None],
            [None, "Artificial intelligence", None, None], ["X-5", "Do you use AI?", None, None],
            ["X-6", "If yes, please describe.", None, None]]  # fmt: skip
    questions, cells = fill(make_form(rows, "new.xlsx", choices=None), library_kb)
    assert cells[3] == ("Yes", None)  # the same row under the same section
    assert [cells[n][0] for n in (6, 7, 10)] == [None, None, None]  # phones, another policy, another follow-up
    assert "asked under 'Mobile phones'" in questions["Is the policy reviewed annually?"]["note"]


def test_their_own_refers_within_the_row_and_leans_on_nothing(make_form: MakeForm, library_kb: Path) -> None:
    # round 36: "Do you allow customers to perform their own penetration tests?", typed by a reviewer,
    # was left blank on the same row in a new form: "their" read as leaning on the rows around it
    done = [["P-1", "Do you allow customers to perform their own penetration tests?", "Yes", None],
            ["P-2", "Are they encrypted?", "Yes", None]]  # fmt: skip
    import_form(make_form(done, "done.xlsx", choices=None), library_kb, days_ago(5))
    rows = [["X-1", "Do you allow customers to perform their own penetration tests?", None, None],
            ["X-2", "Are they encrypted?", None, None]]  # fmt: skip
    questions, cells = fill(make_form(rows, "new.xlsx", choices=None), library_kb)
    assert cells[2] == ("Yes", None)
    assert cells[3][0] is None  # "they" still leans on the row before, which neither form says
    note = questions["Are they encrypted?"]["note"]
    assert "neither it nor the answered question has a section" in note and "'no section'" not in note


def test_a_newer_answer_to_a_similar_question_sends_an_older_exact_one_to_review(
    make_form: MakeForm, library_kb: Path
) -> None:
    import_form(make_form([["M-1", "Do you operate a public bug bounty program?", "Yes", None]], "march.xlsx"),
                library_kb, days_ago(200))  # fmt: skip
    import_form(make_form([["7.4", "Do you have a public bug bounty program?", "No", None]], "october.xlsx"),
                library_kb, days_ago(20))  # fmt: skip
    rows = [["N-1", "Do you operate a public bug bounty program?", None, None],
            ["N-2", "Did you have a public bug bounty program?", None, None],  # another tense
            ["N-3", "Do you have a public bug bounty program for all products?", None, None]]  # fmt: skip
    questions, cells = fill(make_form(rows, "new.xlsx"), library_kb)
    assert cells[2] == (None, None) and "a newer answer" in questions[rows[0][1]]["note"]
    assert cells[3] == (None, None) and cells[4] == (None, None)


def test_the_form_gets_answer_and_explanation_only_the_report_keeps_provenance(
    make_form: MakeForm, library_kb: Path
) -> None:
    import_form(make_form(IMPORTED, "acme-corp-caiq.xlsx"), library_kb, days_ago(30))
    rows = [["N-1", "Do you encrypt customer data at rest?", None, None]]
    rows.append(["N-2", "Do you encrypt customer data at rest and in backups?", None, None])  # for review
    form = make_form(rows, "new.xlsx")
    questions, cells = fill(form, library_kb)
    assert cells[2] == ("Yes", "AES-256 on every volume.")
    assert questions["Do you encrypt customer data at rest?"]["note"].startswith("from the internal answer library")
    out = openpyxl.load_workbook(form.with_name("new.out.xlsx"))
    texts = [str(c.value) for ws in out.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Autofill review" in out.sheetnames
    assert not [t for t in texts if "acme" in t.lower() or "last-year" in t]
    provenance = questions["Do you encrypt customer data at rest?"]["provenance"]
    assert "acme-corp-caiq.xlsx Security!C2" in provenance


def test_the_newest_answer_to_a_question_wins(make_form: MakeForm, library_kb: Path) -> None:
    old = [["SEC-01", "Do you offer single sign-on?", "No", "Planned."]]
    new = [["SEC-01", "Do you offer single sign-on?", "Yes", "SAML 2.0."]]
    import_form(make_form(new, "new-answers.xlsx"), library_kb, days_ago(20))
    import_form(make_form(old, "old-answers.xlsx"), library_kb, days_ago(200))
    _, cells = fill(make_form([["X", "Do you offer single sign-on?", None, None]], "form.xlsx"), library_kb)
    assert cells[2] == ("Yes", "SAML 2.0.")


def test_an_answer_older_than_max_age_goes_to_review(make_form: MakeForm, library_kb: Path) -> None:
    import_form(make_form(IMPORTED[:1], "old.xlsx"), library_kb, days_ago(100))
    form = make_form([["X", "Do you encrypt customer data at rest?", None, None]], "form.xlsx")
    questions, cells = fill(form, library_kb, "--max-age", "90")
    outcome = questions["Do you encrypt customer data at rest?"]
    assert outcome["status"] == "review" and cells[2] == (None, None)
    assert f"the library answer is from {days_ago(100)}, older than 90 days" in outcome["note"]
    _, cells = fill(form, library_kb)  # the default maximum age is a year
    assert cells[2][0] == "Yes"


def test_a_library_entry_and_a_claim_that_disagree_go_to_review(make_form: MakeForm, tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "both")  # its claim says customer data is encrypted at rest
    import_form(make_form([["S", "Is customer data encrypted at rest?", "No", None]], "f.xlsx"), kb, days_ago(5))
    questions, cells = fill(make_form([["X", "Is customer data encrypted at rest?", None, None]], "g.xlsx"), kb)
    outcome = questions["Is customer data encrypted at rest?"]
    assert outcome["status"] == "review" and cells[2] == (None, None)
    assert "the published claim 'enc-at-rest' says Yes, the library says No" in outcome["note"]
    assert {c["claim"] for c in outcome["candidates"]} >= {"enc-at-rest"}


def test_free_text_answers_go_only_into_free_text_cells(make_form: MakeForm, library_kb: Path) -> None:
    import_form(make_form(IMPORTED, "f.xlsx"), library_kb, days_ago(5))
    row = [["X", "Describe your incident response process.", None, None]]
    questions, cells = fill(make_form(row, "listed.xlsx"), library_kb)
    assert questions["Describe your incident response process."]["status"] == "review"
    assert cells[2] == (None, None)
    _, cells = fill(make_form(row, "open.xlsx", choices=None), library_kb)
    assert cells[2][0] == "We page the on-call team within 15 minutes."


def test_check_lists_conflicts_and_stale_entries_and_list_shows_the_library(
    make_form: MakeForm, library_kb: Path
) -> None:
    date = days_ago(400)
    import_form(make_form([["A", "Do you offer single sign-on?", "Yes", None]], "a.xlsx"), library_kb, date)
    import_form(make_form([["B", "Do you offer single sign-on?", "No", None]], "b.xlsx"), library_kb, date)
    result = runner.invoke(app, ["knowledge", "check", "--kb", str(library_kb)])
    assert result.exit_code == 4, result.output
    assert "conflict: library/b-" in result.output and "on the same date" in result.output
    assert "Stale: library/" in result.output and f"from {date}, older than 365 days" in result.output
    listed = runner.invoke(app, ["knowledge", "list", "--library", "--json", "--kb", str(library_kb)])
    assert listed.exit_code == 0, listed.output
    entries = json.loads(listed.output)
    assert sorted(e["answer"] for e in entries) == ["No", "Yes"]
    assert all(e["stale"] for e in entries)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("Do you encrypt data?", "Don't you encrypt data?", id="negation"),
        pytest.param("Do you encrypt data?", "Do your subprocessors encrypt data?", id="party"),
        pytest.param("Is data backed up daily?", "Is data backed up weekly?", id="frequency"),
        pytest.param("Are you SOC 2 audited?", "Are you SOC 1 audited?", id="standard"),
        pytest.param("Do you support TLS 1.2?", "Do you support TLS 1.3?", id="version"),
    ],
)
def test_meaning_differs_names_a_reason(a: str, b: str) -> None:
    assert _meaning_differs(a, b)
    assert _meaning_differs(a, a) == []


# --- the real questionnaires in ../shared ---------------------------------------------------------


def test_a_filled_caiq_v4_answers_the_next_versions_blank_form(
    questionnaire: Callable[[str], Path], library_kb: Path, tmp_path: Path
) -> None:
    filled, blank = questionnaire("caiq-v4.0.3-filled-whitepact.xlsx"), questionnaire("caiq-v4.0.2.xlsx")
    import_form(filled, library_kb, days_ago(10))
    out, report = tmp_path / "caiq.filled.xlsx", tmp_path / "caiq.json"
    result = runner.invoke(app, ["fill", str(blank), "--kb", str(library_kb), "-o", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    outcomes = {q["id"]: q for q in json.loads(report.read_text())["questions"]}
    # v4.0.2 dropped "use compromised keys" from CEK-19.1 (v4.0.3 restored it): another question, so a person looks
    review = {qid for qid, q in outcomes.items() if q["status"] != "answered"}
    assert review == {"CEK-19.1"} and outcomes["CEK-19.1"]["status"] == "review"
    assert outcomes["CEK-19.1"]["answer"] == "N/A"  # the filled file's answer, as the suggestion
    given = openpyxl.load_workbook(filled)["CAIQv4.0.3"]
    want = {row[0]: row[2:5] for row in given.iter_rows(min_row=3, max_row=263, values_only=True)}
    got = openpyxl.load_workbook(out)["CAIQv4.0.2"]
    rows = list(got.iter_rows(min_row=3, max_row=263, values_only=True))
    assert len(rows) == 261
    for row in rows:
        if row[0] in review:
            assert row[2:5] == (None, None, None)
            continue
        answer, ownership, description = want[row[0]]
        assert row[2:5] == (answer, ownership, description.strip()), row[0]


def test_an_answer_typed_in_review_is_kept_and_answers_the_same_question_next_time(
    make_form: MakeForm, tmp_path: Path
) -> None:
    kb = make_kb(tmp_path / "kb")
    question = "Is encryption used?"  # the base's claims come near (review), never answer
    first = make_form([["AUD-01", question, None, None]], "first.xlsx")
    out = first.with_name("first.filled.xlsx")
    args = ["--auto-threshold", "100", "--review-threshold", "20"]
    result = runner.invoke(app, ["fill", str(first), "--kb", str(kb), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    sheet = book["Autofill review"]
    sheet.cell(2, [c.value for c in sheet[1]].index("Decision") + 1).value = "Yes - nightly, with AES-256"
    book.save(out)
    before = dt.date.today().isoformat()
    result = runner.invoke(app, ["apply", str(out), "--kb", str(kb), "--who", "dana"])
    assert result.exit_code == 0, result.output

    (entry,) = [e for e in load_knowledge(kb).library if e.question == question]
    assert (entry.answer, entry.comment, entry.who, entry.qid) == ("Yes", "nightly, with AES-256", "dana", "AUD-01")
    assert entry.date in (before, dt.date.today().isoformat())  # the day it was typed (a run may cross midnight)
    assert load_knowledge(kb).library_sources[entry.source].kind == "attestation"

    questions, cells = fill(make_form([["X-9", question, None, None]], "second.xlsx"), kb)
    assert questions[question]["status"] == "answered"
    # the published claim agrees: its cited sentence is written (the reviewer's note above a page's source
    # line would read as the page's words, round 95); never the reviewer's name
    assert cells[2][0] == "Yes" and str(cells[2][1]).startswith("We encrypt all customer data at rest")
    assert "Source:" in str(cells[2][1]) and "nightly" not in str(cells[2][1]) and "dana" not in str(cells[2][1])
    assert "answered by dana" in questions[question]["provenance"]


def test_accepting_a_library_suggestion_in_review_answers_that_wording_next_time(
    make_form: MakeForm, library_kb: Path, tmp_path: Path
) -> None:
    import_form(make_form(IMPORTED, "f.xlsx"), library_kb, days_ago(5))
    question = "Do you encrypt customer data while at rest in every region?"  # similar: for review
    form = make_form([["X", question, None, None]], "form.xlsx")
    questions, cells = fill(form, library_kb)
    assert questions[question]["status"] == "review" and cells[2] == (None, None)
    assert questions[question]["note"].startswith("from the internal answer library (similar wording; it adds 'every")
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("sheet,table,row,decision\nSecurity,,2,accept\n")
    out = form.with_name("form.out.xlsx")
    result = runner.invoke(app, ["review", str(out), "--kb", str(library_kb), "--decisions", str(decisions)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out)["Security"]["C2"].value == "Yes"
    assert not (library_kb / "learned.yaml").exists()  # a library entry is no claim to learn
    _, cells = fill(make_form([["Y", question, None, None]], "next.xlsx"), library_kb)
    assert cells[2] == ("Yes", "AES-256 on every volume.")


def test_a_library_suggestion_rejected_in_review_is_not_offered_for_that_question_again(
    make_form: MakeForm, library_kb: Path, tmp_path: Path
) -> None:
    import_form(make_form(IMPORTED, "f.xlsx"), library_kb, days_ago(5))
    question = "Do you encrypt customer data while at rest in every region?"
    form = make_form([["X", question, None, None]], "form.xlsx")
    questions, _ = fill(form, library_kb)
    assert questions[question]["status"] == "review"
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("sheet,table,row,decision\nSecurity,,2,reject\n")
    out = form.with_name("form.out.xlsx")
    result = runner.invoke(app, ["review", str(out), "--kb", str(library_kb), "--decisions", str(decisions)])
    assert result.exit_code == 0, result.output
    assert "reject" in (library_kb / "learned.yaml").read_text()
    assert runner.invoke(app, ["knowledge", "check", "--kb", str(library_kb)]).exit_code == 0
    questions, cells = fill(make_form([["Y", question, None, None]], "next.xlsx"), library_kb)
    assert questions[question]["status"] == "unanswered" and cells[2] == (None, None), questions[question]
    # another question is still offered the entry
    other = "Do you encrypt customer data while at rest in each region?"
    assert fill(make_form([["Z", other, None, None]], "other.xlsx"), library_kb)[0][other]["status"] == "review"


def test_an_explanation_naming_another_company_never_reaches_a_form(make_form: MakeForm, library_kb: Path) -> None:
    question = "Do you have a dedicated security team?"
    told = [["CMP-06", question, "Yes", "Confirmed to Globex Corp in their 2025 review."]]
    import_form(make_form(told, "globex.xlsx"), library_kb, days_ago(5))
    questions, cells = fill(make_form([["CMP-06", question, None, None]], "initech.xlsx"), library_kb)
    assert questions[question]["status"] == "review" and cells[2] == (None, None)
    assert "holds another company" in questions[question]["note"]
    out = openpyxl.load_workbook(library_kb.parent / "initech.out.xlsx")
    text = " ".join(str(c.value) for ws in out.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "Globex" not in text, text  # neither in the customer's sheet nor the review sheet
    plain = [["CMP-07", "Do you have a CISO?", "Yes", "Reports to the CEO."]]  # no company: written as before
    import_form(make_form(plain, "plain.xlsx"), library_kb, days_ago(5))
    _, cells = fill(make_form([["CMP-07", "Do you have a CISO?", None, None]], "next.xlsx"), library_kb)
    assert cells[2] == ("Yes", "Reports to the CEO.")


@pytest.mark.parametrize(
    "comment",
    ["Ask security@northwind.example for the report.", "Tracked in ticket SEC-1423.", "Per Bob Martinez (IT lead).",
     "See intranet.northwind.local/vrm.", "Costs $18,000 a year.", "CONFIDENTIAL: audit planned.",
     "Internal only - do not share with customers.", "Northbridge negotiated 48h in their MSA addendum.",
     "Approved by J. Alvarez.",
     # round 22: what a team's own notes look like
     "Per Legal, 72h is our standard.", "Owner: jdoe", "Discussed in Slack #sec-leadership.",
     "Draft answer, pending sign-off.", "See SECOPS-77.", "Pricing impact ~45k.",
     "Approved by Head of Security M. Chen.",
     # round 28: legal advice, candour, other customers without a legal form, people, internal systems
     "Per counsel, US-only processing (Legal to confirm EU case).", "Legal advised not to commit to a number.",
     "Not really enforced yet, but we say Yes.", "Honestly, two highs from last year are still open.",
     "Roadmap item for 2027, not public yet.", "Same answer we gave Globex last year.",
     "Adventure Works asked for this too.", "We quoted Tailspin 1.2M EUR for a dedicated instance.",
     "Budget approved: USD 120,000 for FY26.", "Priya owns this.", "Confirmed with Tom (engineering manager).",
     "Round up (ask Priya).", "Call me if questioned: +44 20 7946 0958", "Prod VPCs 10.12.0.0/16 are isolated.",
     "See go/facilities-cctv.", "Cloud account 4471-2290-1183.", "ServiceNow RITM0048812.",
     "Minutes on shared drive S:\\Security\\Board.", "Internal: the 2023 bug exposed some chat titles.",
     # round 67: notes to the team, and the customer's own words, in other shapes
     "Bob OK'd this.", "Waiting on confirmation from Tom.", "Not 100% sure this holds for the API.",
     "Placeholder, fix wording.", "Sales promised this to Globex.", "priced at 30% off list for this account",
     # round 94: typed after an answer in review
     "Wait - check",
     # round 96: notes a reviewer typed, and one that makes the answer another customer's
     "Checked with Dana Whitfield in Legal.", "Adventure Works got the same answer.", "See Jira SEC 4411.",
     "Approved by dwhitfield.", "Per legal review #4471.", "Autofill suggested lib-3f2a91c0.",
     "Taken from the Contoso Bank questionnaire.", "Only for Contoso under custom agreement; say No to others.",
     # round 97: initials, repository issues, account ids, private addresses, small-letter customers, a
     # purchase order, and answers made for one customer
     "MW confirmed 3/4.", "J.D. signed off on the rollout.", "See openai/infra-security#412.",
     "Tested against account acct_8FJ2k3Lq9.", "Verified from bastion 10.12.4.7.", "Same as we told initech.",
     "PO 4500012345 covers it.", "Built as a one-off for this customer.", "Exception approved for Globex only."],
)  # fmt: skip
def test_an_explanation_for_the_team_only_never_reaches_a_form(
    make_form: MakeForm, library_kb: Path, comment: str
) -> None:
    question = "Do you carry cyber insurance?"
    import_form(make_form([["INS-1", question, "Yes", comment]], "past.xlsx"), library_kb, days_ago(5))
    questions, cells = fill(make_form([["INS-1", question, None, None]], "new.xlsx"), library_kb)
    # (an answer given as another customer's, "Only for Contoso ...", is not even offered)
    assert questions[question]["status"] in ("review", "unanswered") and cells[2] == (None, None)
    out = openpyxl.load_workbook(library_kb.parent / "new.out.xlsx")
    text = " ".join(str(c.value) for ws in out.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert comment not in text and comment.split()[-1] not in text, text  # nor on the review sheet


@pytest.mark.parametrize(
    "comment",
    ["We conduct internal audits annually.", "Our Legal team reviews all subprocessor contracts.",
     "Our uptime target is 99.9% per the SLA.", "Customers may request our SOC 2 report under NDA.",
     "Incident response is handled by our 24x7 security team.", "Approximately 3,000 employees.",
     # round 67: approvals by a role, not a person, are customer-facing
     "Reviewed and approved by our CISO every year.", "The policy is approved by management.",
     "Confirmed by our annual external audit.", "We assess the security of our vendors annually."],
)  # fmt: skip
def test_an_explanation_for_customers_is_written_with_its_answer(
    make_form: MakeForm, library_kb: Path, comment: str
) -> None:
    question = "Do you carry cyber insurance?"
    import_form(make_form([["INS-1", question, "Yes", comment]], "past.xlsx"), library_kb, days_ago(5))
    _, cells = fill(make_form([["INS-1", question, None, None]], "new.xlsx"), library_kb)
    assert cells[2] == ("Yes", comment)


def test_a_customer_named_in_an_imported_questionnaires_title_is_another_company(
    make_form: MakeForm, library_kb: Path
) -> None:
    # "Fabrikam" has no legal form and the ledger does not know it; the title it was imported under does
    question = "Do you notify customers of breaches?"
    form = make_form([["IR-1", question, "Yes", "Within 48h, as agreed with Fabrikam."]], "f.xlsx")
    result = runner.invoke(
        app,
        [
            "knowledge",
            "import",
            str(form),
            "--kb",
            str(library_kb),
            "--date",
            days_ago(5),
            "--title",
            "Fabrikam TPRM 2025",
        ],
    )
    assert result.exit_code == 0, result.output
    questions, cells = fill(make_form([["IR-1", question, None, None]], "next.xlsx"), library_kb)
    assert cells[2] == (None, None) and "another company" in questions[question]["note"], questions[question]
    # a title's product or questionnaire words name nobody
    plain = make_form([["IR-2", "Do you have a CISO?", "Yes", "The CISO reports to the CEO."]], "g.xlsx")
    result = runner.invoke(
        app,
        [
            "knowledge",
            "import",
            str(plain),
            "--kb",
            str(library_kb),
            "--date",
            days_ago(5),
            "--title",
            "ChatGPT Enterprise Security Questionnaire",
        ],
    )
    assert result.exit_code == 0, result.output
    # (the title says which product the answers were given for: a form for it gets them)
    _, cells = fill(
        make_form([["IR-2", "Do you have a CISO?", None, None]], "h.xlsx"),
        library_kb,
        "--product",
        "chatgpt-enterprise",
    )
    assert cells[2] == ("Yes", "The CISO reports to the CEO.")


def test_an_answer_about_another_product_is_not_written_for_this_one(make_form: MakeForm, library_kb: Path) -> None:
    question = "Do you support SCIM provisioning?"
    done = [["4.2", question, "Yes", "SCIM 2.0 is supported for ChatGPT Enterprise."]]
    import_form(make_form(done, "enterprise.xlsx"), library_kb, days_ago(5))
    form = make_form([["4.2", question, None, None]], "api.xlsx")
    questions, cells = fill(form, library_kb, "--product", "api")
    assert cells[2] == (None, None) and "speaks of ChatGPT Enterprise" in questions[question]["note"]
    _, cells = fill(form, library_kb, "--product", "chatgpt-enterprise")
    assert cells[2] == ("Yes", "SCIM 2.0 is supported for ChatGPT Enterprise.")


def test_answers_imported_for_one_product_answer_only_that_product(make_form: MakeForm, library_kb: Path) -> None:
    # round 64: the team's answer for the consumer app ("Yes, unless the user opts out") was written
    # into forms for the API and ChatGPT Enterprise; nothing in the entry said which product it was for
    question = "Do you use conversation data to train your models unless the user opts out?"
    done = make_form([["K-1", question, "Yes", "Users can turn off training in Data Controls."]], "consumer.xlsx")
    result = runner.invoke(
        app, ["knowledge", "import", str(done), "--kb", str(library_kb), "--date", days_ago(5), "--product", "consumer"]
    )
    assert result.exit_code == 0, result.output
    form = make_form([["K-1", question, None, None]], "new.xlsx")
    for product in ("api", "chatgpt-enterprise"):
        questions, cells = fill(form, library_kb, "--product", product)
        assert cells[2] == (None, None), product
        assert "the library's answer was given for ChatGPT (consumer)" in questions[question]["note"], product
    questions, cells = fill(form, library_kb)
    assert cells[2] == (None, None) and "try --product" in questions[question]["note"]
    _, cells = fill(form, library_kb, "--product", "consumer")
    assert cells[2] == ("Yes", "Users can turn off training in Data Controls.")


def test_an_answer_given_for_one_product_leaves_the_answer_for_every_product_current(
    make_form: MakeForm, library_kb: Path
) -> None:
    # round 112b: an answer typed for ChatGPT Enterprise superseded the older one given for every product,
    # whose condition was then lost in forms about no one product
    question = "Do you offer single sign-on for every workspace?"
    every = [["SSO-1", question, "Yes", "Through SAML 2.0."]]
    import_form(make_form(every, "every.xlsx"), library_kb, days_ago(200))
    one = make_form([["SSO-1", question, "No", "Planned for next year."]], "enterprise.xlsx")
    import_form(one, library_kb, days_ago(5), "--product", "chatgpt-enterprise")
    form = make_form([["SSO-1", question, None, None]], "form.xlsx")
    _, cells = fill(form, library_kb)
    assert cells[2] == ("Yes", "Through SAML 2.0."), cells
    _, cells = fill(form, library_kb, "--product", "api")
    assert cells[2] == ("Yes", "Through SAML 2.0."), cells
    _, cells = fill(form, library_kb, "--product", "chatgpt-enterprise")
    assert cells[2] == ("No", "Planned for next year."), cells
    listed = runner.invoke(app, ["knowledge", "list", "--library", "--json", "--kb", str(library_kb)])
    assert listed.exit_code == 0, listed.output
    assert all(item["current"] for item in json.loads(listed.output)), listed.output


def test_a_library_answer_the_pages_give_only_for_another_product_goes_to_review(
    make_form: MakeForm, tmp_path: Path
) -> None:
    # round 64: the team's "Yes" to admins viewing conversations (ChatGPT Enterprise's, as the pages
    # say) was written into a form for the API, whose claims leave that question out
    kb = tmp_path / "own"
    assert runner.invoke(app, ["knowledge", "init", str(kb)]).exit_code == 0  # the shipped claims
    question = "Can administrators view all users' conversations?"
    done = [["AC-4", question, "Yes", "Workspace admins can view conversations and chat history."]]
    import_form(make_form(done, "past.xlsx"), kb, days_ago(5))
    questions, cells = fill(make_form([["AC-4", question, None, None]], "new.xlsx"), kb, "--product", "api")
    assert cells[2] == (None, None)
    # (ChatGPT Enterprise's claim, or ChatGPT Team's "only end users can view": either is no API answer)
    assert re.search(r"the published pages say this of ChatGPT (Enterprise|Team) only", questions[question]["note"])


@pytest.mark.parametrize(
    "note",
    # round 64, then round 67's other shapes of the customer's own words
    ["Customer note: not applicable to cloud vendors", "Comment from Acme: a must-have for us.",
     "[Acme InfoSec] Please attach the review log.", "Per our vendor standard VS-12, this is required.",
     "Note from requester: logs must be kept for 1 year per our policy."],
)  # fmt: skip
def test_a_row_the_customer_had_filled_in_is_no_answer_of_ours(
    make_form: MakeForm, library_kb: Path, note: str
) -> None:
    # round 64: "N/A" with "Customer note: not applicable to cloud vendors", imported with the
    # vendor's answers, was written into another customer's form
    question = "Do you host customer data in your own data centers?"
    done = [["DC-1", question, "N/A", note]]
    import_form(make_form(done, "past.xlsx"), library_kb, days_ago(5))
    questions, cells = fill(make_form([["DC-1", question, None, None]], "new.xlsx"), library_kb)
    assert cells[2] == (None, None)
    assert all(c["claim"] is None or not str(c["claim"]).startswith("lib-") for c in questions[question]["candidates"])


def test_a_merely_similar_entry_does_not_overrule_a_published_claim(make_form: MakeForm, tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "both")  # its claim answers "Is customer data encrypted at rest?" Yes, cited
    similar = [["S", "Is customer data encrypted at rest on servers?", "Yes", None],
               ["T", "Do you use customer data for model training purposes?", "Yes", None]]  # fmt: skip
    import_form(make_form(similar, "f.xlsx"), kb, days_ago(5))
    rows = [["X", "Is customer data encrypted at rest?", None, None],
            ["Y", "Do you use customer data to train your AI models?", None, None]]  # fmt: skip
    questions, cells = fill(make_form(rows, "g.xlsx"), kb)
    outcome = questions["Is customer data encrypted at rest?"]
    assert (outcome["status"], outcome["claim"], cells[2][0]) == ("answered", "enc-at-rest", "Yes")
    assert "provenance" not in outcome
    # the team's own answer to a question worded like it says otherwise: a person decides
    training = questions["Do you use customer data to train your AI models?"]
    assert training["status"] == "review" and cells[3] == (None, None)
    assert "the team answered a similar question" in training["note"], training["note"]


def test_a_library_answer_that_contradicts_a_published_claim_is_not_the_suggestion(
    make_form: MakeForm, tmp_path: Path
) -> None:
    # round 22: "accept" took the team's old No over the cited Yes, and learned it for every customer
    kb = make_kb(tmp_path / "both")
    past = [["X", "Is customer data encrypted at rest?", "No", "Not for the legacy tier."]]
    import_form(make_form(past, "past.xlsx"), kb, days_ago(5))
    questions, cells = fill(make_form([["X", "Is customer data encrypted at rest?", None, None]], "g.xlsx"), kb)
    outcome = questions["Is customer data encrypted at rest?"]
    assert (outcome["status"], outcome["answer"], outcome["claim"]) == ("review", "Yes", "enc-at-rest")
    assert "the library says No" in outcome["note"] and cells[2] == (None, None)
    assert [c["claim"] for c in outcome["candidates"]][-1].startswith("lib-")  # listed, last


def test_a_free_text_answer_typed_for_an_open_question_is_kept_and_reused(make_form: MakeForm, tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb")
    question = "Describe your encryption."  # an open question in a free-text cell
    form = make_form([["K-1", question, None, None]], "first.xlsx", choices=None)
    out = form.with_name("first.out.xlsx")
    args = ["--auto-threshold", "100", "--review-threshold", "20", "-o", str(out)]
    assert runner.invoke(app, ["fill", str(form), "--kb", str(kb), *args]).exit_code == 0
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("sheet,table,row,decision\nSecurity,,2,text: AES-256 with keys in a cloud KMS.\n")
    result = runner.invoke(app, ["review", str(out), "--kb", str(kb), "--decisions", str(decisions), "--who", "lee"])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out)["Security"]["C2"].value == "AES-256 with keys in a cloud KMS."
    (entry,) = [e for e in load_knowledge(kb).library if e.question == question]
    assert (entry.answer, entry.who) == ("AES-256 with keys in a cloud KMS.", "lee")
    _, cells = fill(make_form([["K-2", question, None, None]], "second.xlsx", choices=None), kb)
    assert cells[2][0] == "AES-256 with keys in a cloud KMS."


def test_a_question_answered_differently_on_the_same_date_goes_to_review(make_form: MakeForm, library_kb: Path) -> None:
    date = days_ago(10)
    import_form(make_form([["A", "Do you offer single sign-on?", "Yes", None]], "a.xlsx"), library_kb, date)
    import_form(make_form([["B", "Do you offer single sign-on?", "No", None]], "b.xlsx"), library_kb, date)
    questions, cells = fill(make_form([["X", "Do you offer single sign-on?", None, None]], "form.xlsx"), library_kb)
    outcome = questions["Do you offer single sign-on?"]
    assert outcome["status"] == "review" and cells[2] == (None, None)
    assert "answered differently on the same date" in outcome["note"]


def test_large_forms_decided_in_parallel_keep_the_library_provenance_and_side_columns(
    make_form: MakeForm, library_kb: Path
) -> None:
    from autofill.fill import PARALLEL_MIN, FillOptions, decide_all
    from autofill.models import FormQuestion, Location

    import_form(make_form(IMPORTED, "f.xlsx"), library_kb, days_ago(5))
    kb = load_knowledge(library_kb)
    texts = [str(row[1]) for row in IMPORTED]
    questions = [
        FormQuestion(
            Location(row=n, cell=f"C{n}", sheet="S"),
            texts[n % len(texts)],
            answer_cell=f"C{n}",
            side_cells=(("ssrm-ownership", f"D{n}"),),
        )
        for n in range(PARALLEL_MIN + 100)
    ]
    parallel = decide_all(questions, kb, FillOptions(workers=2))
    serial = decide_all(questions, kb, FillOptions(workers=1))
    assert parallel == serial
    assert all(o.provenance and "f.xlsx" in o.provenance for o in parallel if o.status == "answered")
    assert sum(o.status == "answered" for o in parallel) >= PARALLEL_MIN


def test_accepting_a_library_suggestion_in_review_writes_its_ssrm_columns_too(
    questionnaire: Callable[[str], Path], library_kb: Path, tmp_path: Path
) -> None:
    filled, blank = questionnaire("caiq-v4.0.3-filled-whitepact.xlsx"), questionnaire("caiq-v4.0.2.xlsx")
    import_form(filled, library_kb, days_ago(10))
    out = tmp_path / "caiq.filled.xlsx"
    result = runner.invoke(app, ["fill", str(blank), "--kb", str(library_kb), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = {row[0].value: row[0].row for row in openpyxl.load_workbook(out)["CAIQv4.0.2"].iter_rows(min_row=3)}
    row = rows["CEK-19.1"]  # reworded in v4.0.2: a suggestion for review, nothing written
    given = openpyxl.load_workbook(filled)["CAIQv4.0.3"]
    (want,) = [r[2:5] for r in given.iter_rows(min_row=3, values_only=True) if r[0] == "CEK-19.1"]
    assert want[1]  # the filled form says who owns the control
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(f"sheet,table,row,decision\nCAIQv4.0.2,,{row},accept\n")
    result = runner.invoke(app, ["review", str(out), "--kb", str(library_kb), "--decisions", str(decisions)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["CAIQv4.0.2"]
    assert (sheet.cell(row, 3).value, sheet.cell(row, 4).value) == (want[0], want[1])


def _declared(path: Path, intro: str, rows: list[list[object]]) -> Path:
    """A form with a line saying whom its "we" means above the header (ID, Question, Answer, Comments)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Security"
    ws.append([intro])
    ws.append(["ID", "Question", "Answer", "Comments"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


SUPPLIER = "'We', 'our' and 'us' refer to the Supplier; 'you' means the customer reading this assessment."
BANK = "In this questionnaire 'we', 'us' and 'our' refer to the Bank; 'you' means the supplier."


def test_the_teams_answer_is_reused_only_in_the_voice_it_was_given_in(library_kb: Path, tmp_path: Path) -> None:
    """Round 56: a self-assessment's "Do you control retention?" Yes (its "you" the customer) was
    written for a customer's "Does the Supplier control retention?", and a bank's "Do we control
    retention?" Yes for a self-assessment's same words. Each is reused in its own voice only."""
    own = "Do we control how long our data is retained?"
    theirs = "Do you control how long your data is retained?"
    import_form(_declared(tmp_path / "bank-done.xlsx", BANK, [["B1", own, "Yes", None]]), library_kb, days_ago(5))
    import_form(
        _declared(tmp_path / "self-done.xlsx", SUPPLIER, [["S1", theirs, "Yes", None]]), library_kb, days_ago(5)
    )
    bank = _declared(tmp_path / "bank-new.xlsx", BANK, [["B1", own, None, None]])
    self_assessment = _declared(
        tmp_path / "self-new.xlsx", SUPPLIER, [["S1", own, None, None], ["S2", theirs, None, None]]
    )
    third = tmp_path / "third.xlsx"
    _declared(
        third,
        "Please answer every question.",
        [["T1", "Does the Supplier control how long customer data is retained?", None, None]],
    )
    questions, cells = fill(bank, library_kb)
    assert cells[3][0] == "Yes" and str(questions[own]["claim"]).startswith("lib-")  # the same voice: reused
    questions, cells = fill(self_assessment, library_kb)
    assert cells[3][0] is None, questions[own]  # the bank's "we" was the bank
    assert cells[4][0] == "Yes" and str(questions[theirs]["claim"]).startswith("lib-")
    questions, cells = fill(third, library_kb)
    assert cells[3][0] is None, cells  # the self-assessment's "you" was the customer


def _form_with_header(path: Path, answer_header: str, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Security"
    ws.append(["ID", "Question", answer_header, "Comments"])
    for row in rows:
        ws.append(row)
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    ws.add_data_validation(validation)
    validation.add(f"C2:C{1 + len(rows)}")
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("name", "header", "product"),
    [("past.xlsx", "Response (ChatGPT Enterprise)", "chatgpt-enterprise"),
     ("past.xlsx", "API - Vendor answer", "api"),
     ("acme-chatgpt-edu-2025.xlsx", "Answer", "chatgpt-edu"),
     ("past.xlsx", "Answer", None),
     ("past.xlsx", "Response (API and ChatGPT Enterprise)", None),
     ("chatgpt-questionnaire.xlsx", "Answer", None)],
)  # fmt: skip
def test_import_keeps_the_product_the_forms_layout_names(
    tmp_path: Path, library_kb: Path, name: str, header: str, product: str | None
) -> None:
    # round 64's follow-up: answers given for one product, imported without --product, answered for
    # every product; a form that says which in its answer column or its name says it for the team
    question = "Do you use conversation data to train your models unless the user opts out?"
    done = _form_with_header(tmp_path / name, header, [["K-1", question, "Yes", "Users can turn it off."]])
    result = runner.invoke(app, ["knowledge", "import", str(done), "--kb", str(library_kb), "--date", days_ago(5)])
    assert result.exit_code == 0, result.output
    (entry,) = yaml.safe_load(next((library_kb / "library").glob("*.yaml")).read_text())["entries"]
    assert entry.get("product") == product
    if product is None:
        assert "name no product: they answer for every product" in " ".join(result.output.split())
        return
    assert f"1 given for {PRODUCTS[product]}, as the form names it" in " ".join(result.output.split())
    form = make_form_plain(tmp_path / "new.xlsx", question)
    other = "chatgpt-enterprise" if product == "api" else "api"
    questions, cells = fill(form, library_kb, "--product", other)
    assert cells[2] == (None, None)
    assert f"the library's answer was given for {PRODUCTS[product]}" in questions[question]["note"]
    _, cells = fill(form, library_kb, "--product", product)
    assert cells[2] == ("Yes", "Users can turn it off.")


def make_form_plain(path: Path, question: str) -> Path:
    return _form_with_header(path, "Answer", [["K-1", question, None, None]])


def test_names_written_for_one_customer_never_reach_another_customers_form(make_form: MakeForm, tmp_path: Path) -> None:
    # round 94: a questionnaire imported from "contoso-ddq-2026.xlsx" carried "Per our call with Dana
    # from Contoso procurement", "shared with Wayne under NDA" and a free-text answer naming Contoso's
    # apps into the next customer's form (and "Hooli's auditors" from a file named for Hooli)
    kb = tmp_path / "ours"
    assert runner.invoke(app, ["knowledge", "init", str(kb)]).exit_code == 0  # the published pages too
    pen_test, training = (
        "Do you run annual third-party penetration tests on the API?",
        "Is customer API data excluded from model training by default?",
    )
    told = [
        ["P2", pen_test, "Yes", "Summary letter shared with Wayne under NDA."],
        ["P5", "Describe the data flow for API requests", "Requests from Contoso's apps travel over TLS 1.2+.", None],
        ["P6", training, "Yes", "Per our call with Dana from Contoso procurement."],
        ["P7", "Do you carry cyber insurance?", "Yes", "Hooli's auditors reviewed this in 2026."],
        ["P8", "Do you have a dedicated security team?", "Yes", "Our security team reports to the CISO."],
        # round 95: a name opening a sentence, as a possessive or not, or in a file's name
        ["P9", "Do you have a business continuity plan?", "Yes", "Jordan's team owns the plan."],
        ["P10", "Do you review firewall rules?", "Yes", "Initech received the summary in March."],
        ["P11", "Do you scan for vulnerabilities?", "Yes", "See globex_scan_summary.pdf in the deal folder."],
        # and a tool's or a title's name costs the explanation only: the answer is written
        ["P12", "Do you centralize security logs?", "Yes", "Logs are centralized in Splunk."],
        ["P13", "Do you have a compliance function?", "Yes", "Owned by the Head of Compliance."],
    ]
    import_form(make_form(told, "contoso-ddq-2026.xlsx"), kb, days_ago(5))
    import_form(make_form(told[3:4], "hooli-api-security-review-2026.xlsx"), kb, days_ago(5))
    asked = [[row[0], row[1], None, None] for row in told]
    questions, cells = fill(make_form(asked, "initech.xlsx", choices=None), kb, "--product", "api")
    out = openpyxl.load_workbook(tmp_path / "initech.out.xlsx")
    text = " ".join(str(c.value) for ws in out.worksheets for row in ws.iter_rows() for c in row if c.value)
    for name in ("Wayne", "Contoso", "Dana", "Hooli", "Jordan", "Initech", "globex"):
        assert name not in text, (name, text)
    # the team's own text is never cited as a published page's
    assert cells[3] == (None, None), cells[3]
    # an explanation naming no one still goes with its answer
    assert cells[6] == ("Yes", "Our security team reports to the CISO."), questions[told[4][1]]
    assert cells[10] == ("Yes", None), questions[told[8][1]]  # Splunk: the explanation only stays out
    assert cells[11] == ("Yes", "Owned by the Head of Compliance."), questions[told[9][1]]


def test_the_teams_free_text_is_never_cited_as_a_published_page(make_form: MakeForm, tmp_path: Path) -> None:
    # round 94: a library answer written into a free-text cell took the source line of the claim that
    # came near the row, though the page never says the team's sentence
    kb = tmp_path / "ours"
    assert runner.invoke(app, ["knowledge", "init", str(kb)]).exit_code == 0
    question = "Describe your incident response coverage"
    said = "Our security team is on call around the clock and pages responders within minutes."
    import_form(make_form([["H6", question, said, None]], "past.xlsx"), kb, days_ago(5))
    questions, cells = fill(make_form([["H6", question, None, None]], "next.xlsx", choices=None), kb)
    assert cells[2] == (said, None), cells[2]
    assert questions[question]["citations"] == [], questions[question]


def test_a_telling_word_put_in_anothers_place_is_not_offered(make_form: MakeForm, library_kb: Path) -> None:
    # round 94: "a private, invite-only bug bounty" was offered the team's Yes for "a public one", "in
    # Australia" the Yes for "data residency options", "Processing Integrity" the Yes for "Privacy"
    told = [
        ["B-1", "Do you operate a public bug bounty program?", "Yes", None],
        ["R-1", "Do you offer data residency options?", "Yes", None],
        ["S-1", "Does your SOC 2 report include the Privacy criterion?", "Yes", None],
    ]
    import_form(make_form(told, "past.xlsx"), library_kb, days_ago(5))
    asked = [
        ["B-1", "Do you operate a private, invite-only bug bounty program?", None, None],
        ["R-1", "Do you offer data residency in Australia?", None, None],
        ["S-1", "Does your SOC 2 report include the Processing Integrity criterion?", None, None],
        ["B-2", "Do you operate a public bug-bounty programme?", None, None],  # the same question, respelt
    ]
    questions, cells = fill(make_form(asked, "next.xlsx"), library_kb)
    for row, (_, question, _, _) in enumerate(asked[:3], start=2):
        assert questions[question]["status"] == "unanswered" and cells[row] == (None, None), questions[question]
        assert "asks otherwise" in questions[question]["note"], questions[question]["note"]
    respelt = questions[asked[3][1]]
    assert respelt["status"] in ("answered", "review") and respelt["answer"] == "Yes", respelt


def test_the_vendors_own_entity_is_no_other_company() -> None:
    # round 94: a reviewer's typed answer "OpenAI Ireland Limited" was refused as another company
    kb = load_knowledge()
    for own in ("OpenAI Ireland Limited", "OpenAI OpCo, LLC processes the data."):
        assert internal_in(kb, own) is None, own
    assert internal_in(kb, "Confirmed to Globex Corp in their 2025 review.") == "another company"
    # a claim's id is where an answer came from, the team's to know (round 96)
    assert internal_in(kb, "autofill suggested training-api-opt-in-only") == "autofill's own reference"
    assert internal_in(kb, "Encrypted end-to-end with state-of-the-art ciphers.") is None
