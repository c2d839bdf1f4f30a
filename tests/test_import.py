"""`autofill knowledge import`: completed questionnaires become library entries, through the real CLI."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from openpyxl.worksheet.datavalidation import DataValidation
from typer.testing import CliRunner

from autofill.cli import app
from autofill.knowledge import load_knowledge
from tests.conftest import ROOT

runner = CliRunner()
MakeForm = Callable[..., Path]


def run(*args: str) -> tuple[int, str]:
    """The real CLI in a subprocess (user errors end in one line and exit 2 there)."""
    done = subprocess.run(
        [sys.executable, "-m", "autofill", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture
def make_form(tmp_path: Path) -> MakeForm:
    """A workbook with a header (ID, Question, Answer, Comments) and a Yes/No/N/A list on the answers."""

    def _make(rows: list[list[object]], name: str = "filled.xlsx", sheet: str = "Security") -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
        ws.append(["ID", "Question", "Answer", "Comments"])
        for row in rows:
            ws.append(row)
        validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
        ws.add_data_validation(validation)
        validation.add(f"C2:C{1 + len(rows)}")
        path = tmp_path / name
        wb.save(path)
        return path

    return _make


@pytest.fixture
def empty_kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    result = runner.invoke(app, ["knowledge", "init", str(root), "--empty"])
    assert result.exit_code == 0, result.output
    return root


ROWS: list[list[object]] = [
    ["SEC-01", "Do you encrypt customer data at rest?", "Yes", "AES-256 on every volume."],
    ["SEC-02", "Do you sell customer data to advertisers?", "No", None],
    ["SEC-03", "Do you operate a physical data center of your own?", "N/A", "Hosted on a public cloud."],
    ["SEC-04", "Describe your incident response process.", "We page the on-call team within 15 minutes.", None],
    ["SEC-05", "Do you run a bug bounty programme?", None, None],
]


def _library_files(root: Path) -> list[Path]:
    return sorted((root / "library").glob("*"))


def test_import_keeps_every_answered_row_and_says_what_it_skipped(make_form: MakeForm, empty_kb: Path) -> None:
    form = make_form(ROWS)
    result = runner.invoke(app, ["knowledge", "import", str(form), "--kb", str(empty_kb), "--date", "2026-11-02"])
    assert result.exit_code == 0, result.output
    assert "Date of the answers: 2026-11-02 (from --date)" in result.output
    assert "Security: kept 4, skipped 1 unanswered" in result.output
    kb = load_knowledge(empty_kb)
    by_qid = {e.qid: e for e in kb.library}
    assert sorted(by_qid) == ["SEC-01", "SEC-02", "SEC-03", "SEC-04"]
    assert (by_qid["SEC-01"].answer, by_qid["SEC-01"].comment) == ("Yes", "AES-256 on every volume.")
    assert by_qid["SEC-03"].answer == "N/A"
    assert by_qid["SEC-04"].answer == "We page the on-call team within 15 minutes."
    (source,) = kb.library_sources.values()
    assert (source.kind, source.visibility, source.date) == ("imported", "internal", "2026-11-02")
    assert source.sha256 == hashlib.sha256(form.read_bytes()).hexdigest()
    assert source.file == "filled.xlsx"
    check = runner.invoke(app, ["knowledge", "check", "--kb", str(empty_kb)])
    assert check.exit_code == 0, check.output
    assert "4 library entries" in check.output


def test_import_without_date_says_which_date_it_used(make_form: MakeForm, empty_kb: Path) -> None:
    result = runner.invoke(app, ["knowledge", "import", str(make_form(ROWS)), "--kb", str(empty_kb)])
    assert result.exit_code == 0, result.output
    assert "(from the file's last-modified date in its properties)" in result.output


def test_importing_the_same_form_twice_changes_nothing(make_form: MakeForm, empty_kb: Path) -> None:
    form = make_form(ROWS)
    assert runner.invoke(app, ["knowledge", "import", str(form), "--kb", str(empty_kb)]).exit_code == 0
    before = {p: p.read_bytes() for p in _library_files(empty_kb)}
    again = runner.invoke(app, ["knowledge", "import", str(form), "--kb", str(empty_kb)])
    assert again.exit_code == 0, again.output
    assert "was imported before" in again.output and "nothing changed" in again.output
    assert {p: p.read_bytes() for p in _library_files(empty_kb)} == before


def test_a_blank_form_is_refused(make_form: MakeForm, empty_kb: Path) -> None:
    form = make_form([["SEC-01", "Do you encrypt customer data at rest?", None, None]], name="blank.xlsx")
    code, output = run("knowledge", "import", str(form), "--kb", str(empty_kb))
    assert code == 2, output
    assert output.strip() == (
        "Error: blank.xlsx: no answered questions found; import a questionnaire that has answers in it"
    )
    assert _library_files(empty_kb) == []


def test_an_answer_that_would_run_as_a_formula_is_refused_and_nothing_is_written(
    make_form: MakeForm, empty_kb: Path
) -> None:
    rows = [*ROWS[:2], ["SEC-09", "How do you report incidents?", "@security-team on call", None]]
    form = make_form(rows)
    before = form.read_bytes()
    code, output = run("knowledge", "import", str(form), "--kb", str(empty_kb))
    assert code == 2, output
    assert output.startswith("Error: filled.xlsx: Security!C4: the answer starts with '@'")
    assert len(output.strip().splitlines()) == 1
    assert _library_files(empty_kb) == []
    assert form.read_bytes() == before


def test_a_hostile_file_gets_fills_one_line_error(tmp_path: Path, empty_kb: Path) -> None:
    renamed = tmp_path / "answers.xlsx"
    renamed.write_text("this is a text file, not a workbook")
    code, output = run("knowledge", "import", str(renamed), "--kb", str(empty_kb))
    assert code == 2, output
    assert output.startswith("Error: answers.xlsx:") and "Traceback" not in output
    legacy = tmp_path / "answers.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0")
    code, output = run("knowledge", "import", str(legacy), "--kb", str(empty_kb))
    assert code == 2 and "save it as .xlsx" in output
    assert _library_files(empty_kb) == []


def test_an_edited_entry_is_no_longer_verbatim_and_check_names_the_line(make_form: MakeForm, empty_kb: Path) -> None:
    assert runner.invoke(app, ["knowledge", "import", str(make_form(ROWS)), "--kb", str(empty_kb)]).exit_code == 0
    (path,) = (empty_kb / "library").glob("*.yaml")
    text = path.read_text()
    path.write_text(text.replace("AES-256 on every volume.", "AES-512 on every volume."))
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "qid: SEC-01" in t) - 2
    result = runner.invoke(app, ["knowledge", "check", "--kb", str(empty_kb)])
    assert result.exit_code == 4, result.output
    assert f"{path}: line {line}: comment is not verbatim in the imported row Security!C2" in result.output


def test_a_broken_library_file_is_one_error_naming_file_and_line(make_form: MakeForm, empty_kb: Path) -> None:
    assert runner.invoke(app, ["knowledge", "import", str(make_form(ROWS)), "--kb", str(empty_kb)]).exit_code == 0
    (path,) = (empty_kb / "library").glob("*.yaml")
    path.write_text(path.read_text() + "  - [unclosed\n")
    form = make_form(ROWS[:1], name="new.xlsx")
    code, output = run("fill", str(form), "--kb", str(empty_kb))
    assert code == 2, output
    assert output.startswith(f"Error: {path}: is not valid YAML at line ")
    assert len(output.strip().splitlines()) == 1


def test_a_word_table_imports(tmp_path: Path, empty_kb: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [
            ["Question", "Answer", "Comments"],
            ["Do you encrypt backups?", "Yes", "Nightly."],
            ["Do you use SSO?", "", ""],
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    path = tmp_path / "filled.docx"
    document.save(str(path))
    result = runner.invoke(app, ["knowledge", "import", str(path), "--kb", str(empty_kb), "--date", "2026-10-01"])
    assert result.exit_code == 0, result.output
    (entry,) = load_knowledge(empty_kb).library
    assert (entry.question, entry.answer, entry.comment) == ("Do you encrypt backups?", "Yes", "Nightly.")
    assert "kept 1, skipped 1 unanswered" in result.output


# --- the real filled questionnaires in ../shared --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sheet", "kept", "skipped"),
    [
        pytest.param("caiq-v4.0.3-filled-whitepact.xlsx", "CAIQv4.0.3", 261, "0 unanswered", id="caiq-v4"),
        pytest.param(
            "hecvat-full-v3.00-filled-opendsa.xlsx", "HECVAT - Full", 179, "77 unanswered, 1 dates", id="hecvat-3"
        ),
        pytest.param("caiq-v3.0.1-testfilled-metanorma.xlsx", "CSA CAIQ v3.0.1", 295, "0 unanswered", id="caiq-v3"),
    ],
)
def test_real_filled_questionnaires_import_cleanly(
    questionnaire: Callable[[str], Path], empty_kb: Path, name: str, sheet: str, kept: int, skipped: str
) -> None:
    form = questionnaire(name)
    before = form.read_bytes()
    result = runner.invoke(app, ["knowledge", "import", str(form), "--kb", str(empty_kb)])
    assert result.exit_code == 0, result.output
    assert f"{sheet}: kept {kept}, skipped {skipped}" in result.output
    assert form.read_bytes() == before
    check = runner.invoke(app, ["knowledge", "check", "--kb", str(empty_kb)])
    assert check.exit_code == 0, check.output
    kb = load_knowledge(empty_kb)
    assert len(kb.library) == kept
    if name.startswith("caiq-v4"):
        ownership = [dict(e.side).get("ssrm-ownership") for e in kb.library]
        assert all(ownership) and all(e.comment for e in kb.library)
    if name.startswith("caiq-v3"):  # answers ticked in Yes/No/N/A columns
        assert {e.answer for e in kb.library} == {"Yes"}
        assert {e.comment for e in kb.library} == {"test"}
    raw = yaml.safe_load(next((empty_kb / "library").glob("*.yaml")).read_text())
    assert raw["source"]["visibility"] == "internal"


def test_without_kb_the_library_goes_to_the_users_data_folder(
    make_form: MakeForm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = runner.invoke(app, ["knowledge", "import", str(make_form(ROWS)), "--date", "2026-11-02"])
    assert result.exit_code == 0, result.output
    (written,) = (tmp_path / "data" / "autofill" / "knowledge" / "library").glob("*.yaml")
    assert written.name.startswith("filled-2026-11-02")
    assert {e.qid for e in load_knowledge().library} == {"SEC-01", "SEC-02", "SEC-03", "SEC-04"}


def test_a_form_autofill_filled_gives_only_the_teams_own_answers(
    make_form: MakeForm, empty_kb: Path, tmp_path: Path
) -> None:
    # round 94: importing a form autofill had filled took the published claims' answers, with their
    # source lines, into the library as the team's own
    blank = make_form(
        [
            ["E-1", "Is customer data encrypted at rest?", None, None],
            ["E-2", "Do you carry cyber insurance?", None, None],
        ]
    )
    filled = tmp_path / "ours.filled.xlsx"
    code, output = run("fill", str(blank), "-o", str(filled))
    assert code == 0, output
    code, output = run("knowledge", "import", str(filled), "--kb", str(empty_kb), "--date", "2026-11-01")
    assert code == 2 and "written by autofill from the published pages" in " ".join(output.split()), output
    assert "Traceback" not in output and _library_files(empty_kb) == []
    book = openpyxl.load_workbook(filled)
    book["Security"]["C3"] = "Yes"  # the team answers the row autofill left
    book.save(filled)
    code, output = run("knowledge", "import", str(filled), "--kb", str(empty_kb), "--date", "2026-11-01")
    assert code == 0 and "1 answered by autofill from published pages" in " ".join(output.split()), output
    text = " ".join(path.read_text() for path in _library_files(empty_kb) if path.suffix == ".yaml")
    assert "cyber insurance" in text and "encrypted at rest" not in text


def test_a_question_or_two_answers_is_not_imported_as_an_answer(make_form: MakeForm, empty_kb: Path) -> None:
    # round 97: an imported "No?" was reused as a plain No, "Yes for API, No for Team" as a Yes
    rows: list[list[object]] = [
        ["S-1", "Do you support customer-configurable session timeouts?", "No?", None],
        ["S-2", "Do you support SCIM provisioning?", "Yes for API, No for Team", None],
        ["S-3", "Do you carry cyber insurance?", "Yes, no exceptions", None],
    ]
    code, output = run("knowledge", "import", str(make_form(rows)), "--kb", str(empty_kb), "--date", "2026-11-01")
    assert code == 0 and "2 not answers to reuse" in " ".join(output.split()), output
    text = " ".join(path.read_text() for path in _library_files(empty_kb) if path.suffix == ".yaml")
    assert "cyber insurance" in text and "session timeouts" not in text and "SCIM" not in text
