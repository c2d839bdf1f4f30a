from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from autofill.cli import app
from tests.kb_factory import make_kb

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    """Run the real CLI in a subprocess: exit code and combined output."""
    done = subprocess.run(
        [sys.executable, "-m", "autofill", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    return done.returncode, done.stdout + done.stderr


def test_entry_point_help() -> None:
    code, output = run("--help")
    assert code == 0, output
    assert "fill" in output and "knowledge" in output


def imported_by(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """The top-level packages a real CLI run imports (from -X importtime)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "autofill", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    return {name.split(".")[0] for name in lines} | set(lines)


def test_help_starts_without_heavy_imports() -> None:
    # --help must answer in a tenth of a second: no validation library, no Markdown parser, no form library
    imported = imported_by("--help")
    assert "typer" in imported  # the check sees imports at all
    heavy = {"pydantic", "rich.markdown", "numpy", "scipy", "openpyxl", "docx", "rapidfuzz", "yaml"}
    assert not heavy & imported
    # nor the console library, a fifth of --help's time: the consoles are made when first printed to
    assert "rich" not in imported


def test_small_fill_imports_no_validation_or_array_library(tmp_path: Path) -> None:
    # typer 0.29 checks every option through pydantic, and numpy + scipy take 0.25 s: a small form pays neither
    sample = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    # as a plain install runs it: without the optional model that orders suggestions by meaning
    imported = imported_by("fill", str(sample), "-o", str(tmp_path / "out.xlsx"), env={"AUTOFILL_MEANING": "0"})
    assert "rapidfuzz" in imported  # the check sees the fill's own imports
    assert not {"pydantic", "numpy", "scipy"} & imported


def test_knowledge_check_passes_on_shipped_base() -> None:
    result = runner.invoke(app, ["knowledge", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK:")


def test_knowledge_check_fails_precisely(tmp_path: Path) -> None:
    root = make_kb(tmp_path)
    path = root / "claims" / "test.yaml"
    data = yaml.safe_load(path.read_text())
    data["claims"][0]["citation"]["quote"] = "We encrypt nothing"
    path.write_text(yaml.safe_dump(data))
    code, output = run("knowledge", "check", "--kb", str(root))
    assert code == 4, output
    assert "Error: " in output and "claim 'enc-at-rest' citation.quote is not in source 'sec'" in output
    assert "Traceback" not in output


def test_knowledge_list_json_shape() -> None:
    result = runner.invoke(app, ["knowledge", "list", "--json"])
    assert result.exit_code == 0, result.output
    claims = json.loads(result.output)
    assert len(claims) >= 60
    first = claims[0]
    assert {"id", "answer_text", "products", "superseded_by", "questions", "citation"} <= set(first)
    assert {"q", "answer"} <= set(first["questions"][0])
    assert {"source", "title", "url", "date", "quote"} <= set(first["citation"])


def test_knowledge_show(tmp_path: Path) -> None:
    result = runner.invoke(app, ["knowledge", "show", "soc2-type2", "--kb", str(make_kb(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "Our API platform has completed a SOC 2 Type 2 audit." in result.output


def test_knowledge_show_unknown_id_is_one_line(tmp_path: Path) -> None:
    code, output = run("knowledge", "show", "nope", "--kb", str(make_kb(tmp_path)))
    assert code == 2
    assert output.strip() == "Error: no claim 'nope'; run 'autofill knowledge list' to see the ids"


def test_knowledge_ingest_adds_a_source(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb")
    page = tmp_path / "page.html"
    page.write_text("<html><body><nav>Menu</nav><p>We rotate encryption keys every year.</p></body></html>")
    code, output = run(
        "knowledge",
        "ingest",
        str(page),
        "--id",
        "keys-2026",
        "--title",
        "Keys",
        "--url",
        "https://x/keys",
        "--date",
        "2026-01-02",
        "--kb",
        str(root),
    )
    assert code == 0, output
    data = yaml.safe_load((root / "sources" / "keys-2026.yaml").read_text())
    assert data["text"] == "We rotate encryption keys every year.\n"
    assert data["order"] == 3  # after the newest existing source


def test_knowledge_init_copies_the_base(tmp_path: Path) -> None:
    target = tmp_path / "ours"
    result = runner.invoke(app, ["knowledge", "init", str(target)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["knowledge", "check", "--kb", str(target)]).exit_code == 0
    again = runner.invoke(app, ["knowledge", "init", str(target)])
    assert again.exit_code != 0


def test_unknown_product_is_one_line() -> None:
    code, output = run("knowledge", "list", "--product", "mainframe")
    assert code == 2
    assert output.startswith("Error: unknown product 'mainframe'")


COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands if c.callback)


@pytest.mark.parametrize("command", COMMANDS)
def test_commands_have_help_and_are_in_readme(command: str) -> None:
    readme = (ROOT / "README.md").read_text()
    assert re.search(rf"autofill {command}\b", readme), f"README does not mention 'autofill {command}'"
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    install = "python3 -m venv .venv && .venv/bin/pip install -q -U pip && .venv/bin/pip install -q -e . --group dev"
    assert f"{install} && .venv/bin/python -m pytest -q" in readme
    assert install in ci and ".venv/bin/python -m pytest -q" in ci


# --- fill from the command line --------------------------------------------------------------


def _bomb(path: Path) -> None:
    """A workbook whose sheet inflates to a million rows from a few hundred KB."""
    import zipfile

    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 1_000_001))
    sheet = f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.xlsx", b"PK\x03\x04 this is not really a zip", "is not a valid .xlsx file"),
        ("notes.xlsx", b"just some text\n", "is not a valid .xlsx file"),
        (
            "locked.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600,
            "is password-protected",
        ),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "legacy Excel 97-2003 file"),
        ("empty.xlsx", b"", "is not a valid .xlsx file"),
        ("form.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "legacy Word 97-2003 file"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    form = tmp_path / name
    form.write_bytes(content)
    code, output = run("fill", str(form))
    assert code == 2, output
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], output
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_zip_bomb_is_refused_quickly(tmp_path: Path) -> None:
    import time

    form = tmp_path / "bomb.xlsx"
    _bomb(form)
    started = time.perf_counter()
    code, output = run("fill", str(form))
    assert code == 2 and "Traceback" not in output, output
    assert time.perf_counter() - started < 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.xlsx"]


def test_workbook_without_questions_is_one_line(tmp_path: Path) -> None:
    import openpyxl

    form = tmp_path / "numbers.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Quarter", "Revenue"])
    wb.active.append(["Q1", 100])
    wb.save(form)
    code, output = run("fill", str(form))
    assert code == 2
    assert output.strip().startswith("Error: numbers.xlsx: no question rows found") and "\n" not in output.strip()


def test_fill_sample_prints_summary_and_writes_report(tmp_path: Path) -> None:
    sample = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    out, report = tmp_path / "sample.filled.xlsx", tmp_path / "sample.csv"
    code, output = run("fill", str(sample), "-o", str(out), "--report", str(report))
    assert code == 0, output
    assert "answered" in output and f"Wrote {out}" in output.replace("\n", "")
    # Rows for review are listed whole, location then suggestion, not folded into table cells.
    words = " ".join(output.split())
    assert (
        "Security Questionnaire!C29 Do you conduct annual third-party penetration testing? "
        "nothing suggested; candidate 1: Yes (testing-pentest-annual) 82.5 the answer is for API Platform; the form "
        "does not say which product (try --product)"
    ) in words
    assert "None (None)" not in words  # (a row listed with nothing suggested printed its empty suggestion)
    assert out.exists() and report.read_text(encoding="utf-8-sig").startswith("sheet,table,row,cell,id,question")


def test_strict_exits_3_when_rows_are_left(tmp_path: Path) -> None:
    sample = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    code, output = run("fill", str(sample), "-o", str(tmp_path / "o.xlsx"), "--strict")
    assert code == 3, output


def test_thresholds_must_be_ordered(tmp_path: Path) -> None:
    sample = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    code, output = run(
        "fill", str(sample), "-o", str(tmp_path / "o.xlsx"), "--auto-threshold", "50", "--review-threshold", "60"
    )
    assert code == 2 and "must not be above --auto-threshold" in output


def test_fill_word_sample(tmp_path: Path) -> None:
    import docx

    sample = ROOT / "templates" / "samples" / "sample-questionnaire.docx"
    out = tmp_path / "sample.filled.docx"
    code, output = run("fill", str(sample), "-o", str(out))
    assert code == 0, output
    table = docx.Document(str(out)).tables[0]
    row = next(r for r in table.rows if r.cells[1].text == "Is customer data encrypted at rest?")
    assert row.cells[2].text == "Yes"
    assert "Source: " in row.cells[3].text


def test_version() -> None:
    from autofill import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"autofill {__version__}"


def test_fill_for_one_product_answers_from_its_claims(tmp_path: Path) -> None:
    import openpyxl

    sample = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    answers = {}
    for product in ("api", "chatgpt-enterprise"):
        out = tmp_path / f"{product}.xlsx"
        code, output = run("fill", str(sample), "-o", str(out), "--product", product)
        assert code == 0, output
        sheet = openpyxl.load_workbook(out)["Security Questionnaire"]
        pentest = "Do you conduct annual third-party penetration testing?"
        row = next(r for r in sheet.iter_rows() if r[1].value == pentest)
        answers[product] = (row[2].value, row[3].value or "")
    assert answers["api"][0] == "Yes" and "annual third-party penetration testing" in answers["api"][1]
    assert answers["chatgpt-enterprise"] == (None, "")  # the API's pentest claim says nothing of Enterprise


# --- the customer's form and the CLI a person meets (issue 12) ------------------------------------


def _form(tmp_path: Path, rows: list[list[str | None]], header: list[str], name: str = "form.xlsx") -> Path:
    """A small questionnaire: `header`, then `rows`; returns its path."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Security"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _cells(path: Path, *refs: str) -> list[object]:
    import openpyxl

    sheet = openpyxl.load_workbook(path)["Security"]
    return [sheet[ref].value for ref in refs]


def test_customer_comment_is_kept_and_ours_follows(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb")
    form = _form(
        tmp_path,
        [
            ["Q1", "Is customer data encrypted at rest?", None, "Customer note: see our policy 4.2"],
            ["Q2", "Have you completed a SOC 2 Type 2 audit?", None, None],
        ],
        ["ID", "Question", "Answer", "Comments"],
    )
    out = tmp_path / "out.xlsx"
    code, output = run("fill", str(form), "-o", str(out), "--kb", str(kb))
    assert code == 0, output
    answer, kept, plain = _cells(out, "C2", "D2", "D3")
    assert answer == "Yes"
    assert str(kept).startswith("Customer note: see our policy 4.2\nWe encrypt all customer data at rest"), kept
    assert str(plain).startswith("Our API platform has completed a SOC 2 Type 2 audit."), plain


def test_csv_report_guards_every_column(tmp_path: Path) -> None:
    import csv

    kb = make_kb(tmp_path / "kb")
    form = _form(
        tmp_path, [["Q1", "Is customer data encrypted at rest?", None, None]], ["ID", "Question", "Answer", "Notes"]
    )
    import openpyxl

    book = openpyxl.load_workbook(form)
    book["Security"].title = "=HYPERLINK(1)"
    book.save(form)
    report = tmp_path / "report.csv"
    code, output = run("fill", str(form), "-o", str(tmp_path / "out.xlsx"), "--kb", str(kb), "--report", str(report))
    assert code == 0, output
    rows = list(csv.reader(report.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][0] == "'=HYPERLINK(1)"
    for row in rows[1:]:
        assert not any(cell.lstrip()[:1] in ("=", "+", "-", "@") for cell in row), row


def test_thresholds_are_checked_as_a_pair(tmp_path: Path) -> None:
    sample = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    out = tmp_path / "o.xlsx"
    code, output = run("fill", str(sample), "-o", str(out), "--auto-threshold", "45", "--review-threshold", "30")
    assert code == 0, output
    assert out.exists()
    code, output = run("fill", str(sample), "-o", str(out), "--auto-threshold", "45")
    assert code == 2 and "pass a lower --review-threshold too" in output, output


@pytest.mark.parametrize("where", ["missing/report.json", ".", "report.txt", "file.json/report.json"])
def test_unwritable_report_is_refused_before_filling(tmp_path: Path, where: str) -> None:
    sample = tmp_path / "sample.xlsx"
    sample.write_bytes((ROOT / "templates" / "samples" / "sample-questionnaire.xlsx").read_bytes())
    (tmp_path / "file.json").write_text("{}")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, output = run("fill", str(sample), "--report", str(tmp_path / where))
    assert code == 2, output
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --report "), output
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no filled form either


def test_ingest_without_kb_is_refused(tmp_path: Path) -> None:
    from autofill.knowledge import default_kb_dir

    page = tmp_path / "page.txt"
    page.write_text("We rotate encryption keys every year.\n")
    before = sorted(p.name for p in (default_kb_dir() / "sources").iterdir())
    args = ["knowledge", "ingest", str(page), "--id", "keys-2026", "--title", "Keys", "--url", "https://x/keys"]
    for extra in ([], ["--kb", str(default_kb_dir())]):
        code, output = run(*args, *extra)
        assert code == 2, output
        assert output.strip() == (
            "Error: knowledge ingest needs your own knowledge base: pass --kb FOLDER, or create one first with "
            "'autofill knowledge init ./our-knowledge'"
        )
    assert sorted(p.name for p in (default_kb_dir() / "sources").iterdir()) == before


def test_evaluate_ignores_the_users_learned_answers(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "forms"
    folder.mkdir()
    sample = folder / "sample.xlsx"
    sample.write_bytes((ROOT / "templates" / "samples" / "sample-questionnaire.xlsx").read_bytes())
    labels = tmp_path / "labels.yaml"
    labels.write_text(
        "- file: sample.xlsx\n  sheet: Security Questionnaire\n  questions:\n"
        "    - {row: 29, claim: testing-pentest-annual, answer: 'Yes'}\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "COLUMNS": "200"}

    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "autofill", *args], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env
        )
        return done.stdout + done.stderr

    evaluate = ("evaluate", "--labels", str(labels), "--questionnaires", str(folder))
    before = cli(*evaluate)
    assert "(0/1)" in before, before  # sent to review without learned answers
    learned = tmp_path / "data" / "autofill" / "knowledge" / "learned.yaml"
    learned.parent.mkdir(parents=True)
    learned.write_text(
        "answers:\n- question: Do you conduct annual third-party penetration testing?\n"
        "  claim: testing-pentest-annual\n  answer: 'Yes'\n  decision: accept\n"
    )
    filled = tmp_path / "filled.xlsx"
    assert "Wrote" in cli("fill", str(sample), "-o", str(filled))
    assert _pentest_answer(filled) == "Yes"  # the user's fills do use what was learned
    assert cli(*evaluate) == before


def _pentest_answer(path: Path) -> object:
    import openpyxl

    sheet = openpyxl.load_workbook(path)["Security Questionnaire"]
    return sheet["C29"].value


def test_packaging_declares_its_licence_and_imports() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=!~ \[]", d, maxsplit=1)[0]: d for d in project["dependencies"]}
    assert "rich" in names  # imported directly by cli.py and report.py
    # older ones turn usage errors into tracebacks with click 8.2+; 0.29 imports pydantic on every run
    assert names["typer"] == "typer>=0.18.0,<0.29"
    licence = (ROOT / "LICENSE").read_text()
    assert project["license"] == "MIT" and licence.startswith("MIT License") and "autofill authors" in licence


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_a_console_that_cannot_show_a_character_gets_a_question_mark(tmp_path: Path, encoding: str) -> None:
    import os

    env = {**os.environ, "PYTHONIOENCODING": encoding}

    def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "autofill", *args], capture_output=True, timeout=120, env=env)

    sample = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    done = cli("fill", str(sample), "-o", str(tmp_path / "out.xlsx"))  # the summary's tables and "…"
    text = (done.stdout + done.stderr).decode(encoding)
    assert done.returncode == 0 and "Traceback" not in text, text
    assert "Wrote " in text, text
    broken = tmp_path / "formulaire ✓ 東京.xlsx"
    broken.write_bytes(b"not a zip")
    done = cli("fill", str(broken))
    text = (done.stdout + done.stderr).decode(encoding)
    assert done.returncode == 2 and "Traceback" not in text, text
    assert text.strip().startswith("Error: formulaire ? ??.xlsx: is not a valid .xlsx file"), text


# --- part names resolved as Excel resolves them ------------------------------------------------------


def _form_with_sheet_part(tmp_path: Path, part: str, extra: dict[str, bytes] | None = None) -> Path:
    """A one-question workbook whose sheet is stored under `part` (its relationship still says sheet1.xml)."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["ID", "Question", "Answer", "Comments"])
    book.active.append(["Q1", "Do you use customer data to train your AI models?", None, None])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    form = tmp_path / "form.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(form, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            name = part if info.filename == "xl/worksheets/sheet1.xml" else info.filename
            out.writestr(name, source.read(info))
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    plain.unlink()
    return form


def test_sheet_part_named_in_another_case_is_read_and_written_as_one(tmp_path: Path) -> None:
    import zipfile

    form = _form_with_sheet_part(tmp_path, "xl/worksheets/Sheet1.xml")
    out = tmp_path / "out.xlsx"
    code, output = run("fill", str(form), "-o", str(out), "--kb", str(make_kb(tmp_path / "kb")), "--product", "api")
    assert code == 0, output
    with zipfile.ZipFile(out) as package:
        assert "xl/worksheets/sheet1.xml" not in package.namelist()
        sheet = package.read("xl/worksheets/Sheet1.xml").decode()
    row = re.search(r'<row r="2".*?</row>', sheet, re.DOTALL)
    assert row is not None and re.search(r'r="C2"[^>]*><is><t[^>]*>No</t>', row[0]), row


def test_two_sheet_parts_differing_in_case_are_refused(tmp_path: Path) -> None:
    decoy = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2">'
        b'<c r="B2" t="inlineStr"><is><t>Is customer data encrypted at rest?</t></is></c></row></sheetData></worksheet>'
    )
    form = _form_with_sheet_part(tmp_path, "xl/worksheets/sheet1.xml", {"xl/worksheets/Sheet1.xml": decoy})
    for command in ("fill", "review", "apply"):
        code, output = run(command, str(form), "--kb", str(make_kb(tmp_path / "kb")))
        assert code == 2, output
        assert output.strip() == (
            "Error: form.xlsx: holds one part as xl/worksheets/sheet1.xml and xl/worksheets/Sheet1.xml, names Office "
            "reads as the same part; refusing an ambiguous file (re-save it from the application that made it)"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["form.xlsx", "kb"]


def _hostile_copy(form: Path, part: str, data: bytes, dst: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(form) as source, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, data if info.filename == part else source.read(info))
    return dst


_XXE = b'<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


@pytest.mark.parametrize("command", ["fill", "review", "apply"])
@pytest.mark.parametrize(
    ("sample", "part", "prefix"),
    [
        pytest.param("sample-questionnaire.xlsx", "xl/worksheets/sheet1.xml", b"  \n", id="xlsx-whitespace"),
        pytest.param("sample-questionnaire.xlsx", "xl/styles.xml", b"\xef\xbb\xbf\n", id="xlsx-bom"),
        pytest.param("sample-questionnaire.docx", "word/document.xml", b"\n\n", id="docx-whitespace"),
    ],
)
def test_every_command_runs_the_preflight(tmp_path: Path, command: str, sample: str, part: str, prefix: str) -> None:
    import time
    import zipfile

    source = ROOT / "templates" / "samples" / sample
    with zipfile.ZipFile(source) as package:
        body = package.read(part).split(b"?>", 1)[-1].lstrip()
    form = _hostile_copy(source, part, prefix + _XXE + body, tmp_path / f"hostile{source.suffix}")
    before = form.read_bytes()
    if command == "apply" and form.suffix == ".docx":
        pytest.skip("apply reads workbooks only")
    started = time.perf_counter()
    code, output = run(command, str(form), "--kb", str(make_kb(tmp_path / "kb")))
    assert time.perf_counter() - started < 20
    assert code == 2, output
    assert output.strip() == (
        f"Error: {form.name}: contains XML entity declarations, which Office never writes "
        "(possible XML attack); refusing to open it"
    )
    assert form.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == sorted(["kb", form.name])


def test_a_sheet_without_comment_column_says_where_citations_went(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb")
    form = _form(tmp_path, [["Q1", "Is customer data encrypted at rest?", None]], ["ID", "Question", "Answer"])
    report = tmp_path / "report.json"
    code, output = run("fill", str(form), "-o", str(tmp_path / "out.xlsx"), "--kb", str(kb), "--report", str(report))
    assert code == 0, output
    note = (
        "sheet 'Security' has no comment column: 1 answer(s) were written without their citation (the report has "
        "them); to put citations in the form, fill again with --comment-col D (an empty column)"
    )
    assert note in " ".join(output.split())
    assert json.loads(report.read_text())["notes"] == [note]
    assert _cells(tmp_path / "out.xlsx", "C2", "D2") == ["Yes", None]
    code, output = run("fill", str(form), "-o", str(tmp_path / "cited.xlsx"), "--kb", str(kb), "--comment-col", "D")
    assert code == 0 and "no comment column" not in output, output
    answer, comment = _cells(tmp_path / "cited.xlsx", "C2", "D2")
    assert answer == "Yes" and "Source: Security" in str(comment), comment


def test_the_report_says_what_each_answer_cell_was_given(tmp_path: Path) -> None:
    # an open row's written value is the sentence, though its claim's answer is "Yes"
    kb = make_kb(tmp_path / "kb")
    rows = [
        ["Q1", "Is customer data encrypted at rest?", None, None],
        ["Q2", "Describe how customer data is encrypted at rest.", None, None],
        ["Q3", "Do you sell customer data to advertisers?", None, None],
    ]
    form = _form(tmp_path, rows, ["ID", "Question", "Answer", "Comments"])
    out, report, table = tmp_path / "out.xlsx", tmp_path / "report.json", tmp_path / "report.csv"
    code, output = run("fill", str(form), "-o", str(out), "--kb", str(kb), "--report", str(report))
    assert code == 0, output
    code, output = run("fill", str(form), "-o", str(out), "--kb", str(kb), "--report", str(table))
    assert code == 0, output
    cells = _cells(out, "C2", "C3", "C4")
    assert cells[:2] == ["Yes", "We encrypt all customer data at rest using AES-256."], cells
    said = json.loads(report.read_text())["questions"]
    assert [q["written"] for q in said] == cells[:2] + [None], said
    assert said[1]["answer"] == "Yes" and said[2]["status"] != "answered", said
    lines = table.read_text(encoding="utf-8").splitlines()
    assert [r["written"] for r in csv.DictReader(lines)] == [*cells[:2], ""]
    # a row left for review says what accepting it would write: the sentence for an open row, not the "Yes"
    rows = [["Q1", "Describe whether customer data is encrypted at rest.", None, None]]
    form = _form(tmp_path, rows, ["ID", "Question", "Answer", "Comments"], name="review.xlsx")
    code, output = run(
        "fill", str(form), "-o", str(out), "--kb", str(kb), "--report", str(report), "--auto-threshold", "99"
    )
    assert code == 0, output
    (row,) = json.loads(report.read_text())["questions"]
    assert row["status"] == "review" and row["answer"] == "Yes" and row["written"] is None, row
    assert row["suggested"] == "We encrypt all customer data at rest using AES-256.", row


def test_hecvat_comment_cells_get_the_short_citation(questionnaire: Callable[[str], Path], tmp_path: Path) -> None:
    import warnings

    import openpyxl

    form, out, report = questionnaire("hecvat-v4.1.4.xlsx"), tmp_path / "out.xlsx", tmp_path / "report.json"
    code, output = run("fill", str(form), "-o", str(out), "--report", str(report))
    assert code == 0, output
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl drops HECVAT's x14 extensions when reading, with a warning
        book = openpyxl.load_workbook(out)
    answered = [q for q in json.loads(report.read_text())["questions"] if q["status"] == "answered"]
    assert answered
    for question in answered:
        where, (citation,) = question["location"], question["citations"]
        row = book[where["sheet"]][where["row"]]
        (comment,) = [c.value for c in row if isinstance(c.value, str) and "Source: " in c.value]
        # rows of fixed height (about three lines): the sentence and its source; the quote stays in the report
        source = ", ".join(part for part in (citation["title"], citation["date"], citation["url"]) if part)
        assert comment == f"{question['text']}\nSource: {source}", comment
        assert citation["quote"] and f'"{citation["quote"]}"' not in comment


def test_piped_output_keeps_lines_whole_and_quotes_paths(tmp_path: Path) -> None:
    target = tmp_path / "our knowledge base, kept in a folder with a long name that passes eighty columns"
    code, output = run("knowledge", "init", str(target))
    assert code == 0, output
    quoted = "'" + str(target) + "'"
    assert (
        output
        == f"Created {target}. Use it with --kb {quoted}; check it with 'autofill knowledge check --kb {quoted}'.\n"
    )
    sample = ROOT / "templates" / "samples" / "sample-questionnaire.docx"
    code, output = run("fill", str(sample), "-o", str(tmp_path / "out.docx"))
    assert code == 0, output
    lines = output.splitlines()
    # whole questions, and Word locations as people say them
    assert " table 0, row 24  Do you encrypt data at rest and in transit, and rotate encryption keys yearly?" in lines
    assert "!T" not in output


@pytest.mark.parametrize(("columns", "cut"), [(140, False), (70, True)])
def test_the_review_list_uses_the_terminals_width(tmp_path: Path, columns: int, cut: bool) -> None:
    import os

    import pexpect

    question = (  # long, and every word one the knowledge base speaks of: a review row
        "Is all customer data stored at rest encrypted, and do you encrypt stored data using encryption at rest?"
    )
    form = _form(tmp_path, [["Q1", question, None, None]], ["ID", "Question", "Answer", "Notes"])
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm", "NO_COLOR": "1"}
    args = ["-m", "autofill", "fill", str(form), "--kb", str(make_kb(tmp_path / "kb")), "--auto-threshold", "100"]
    args += ["--review-threshold", "1"]
    child = pexpect.spawn(sys.executable, args, cwd=str(ROOT), env=env, encoding="utf-8", timeout=60)
    child.setwinsize(40, columns)
    child.expect(pexpect.EOF)
    shown = " ".join((child.before or "").split())
    assert ("Security!C2 " + question in shown) is not cut, shown
    assert ("Security!C2 " + question[:30] in shown) and ("…" in shown) is cut, shown


def test_comment_cells_taller_than_their_fixed_rows_are_named(tmp_path: Path) -> None:
    import openpyxl

    kb = make_kb(tmp_path / "kb")
    form = _form(
        tmp_path,
        [
            ["Q1", "Is customer data encrypted at rest?", None, None],
            ["Q2", "Have you completed a SOC 2 Type 2 audit?", None, None],
        ],
        ["ID", "Question", "Answer", "Comments"],
    )
    book = openpyxl.load_workbook(form)
    book["Security"].row_dimensions[2].height = 30  # two lines of 11-point text, fixed
    book["Security"].column_dimensions["D"].width = 40
    book.save(form)
    out = tmp_path / "out.xlsx"
    code, output = run("fill", str(form), "-o", str(out), "--kb", str(kb))
    assert code == 0, output
    assert (
        "sheet 'Security': 1 comment cell(s) hold more lines than their rows show (D2); the rows' fixed heights "
        "were kept: enlarge them to read the whole citation"
    ) in " ".join(output.split())
    sheet = openpyxl.load_workbook(out)["Security"]
    assert sheet.row_dimensions[2].height == 30 and sheet["D2"].value.startswith("We encrypt all customer data")


def test_word_comment_cell_keeps_the_customers_text(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    texts = [("Question", "Answer", "Comments"), ("Is customer data encrypted at rest?", "", "See our policy 4.2")]
    for row, values in zip(table.rows, texts, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    form, out = tmp_path / "form.docx", tmp_path / "out.docx"
    document.save(str(form))
    code, output = run("fill", str(form), "-o", str(out), "--kb", str(make_kb(tmp_path / "kb")))
    assert code == 0, output
    cells = docx.Document(str(out)).tables[0].rows[1].cells
    assert cells[1].text == "Yes"
    assert cells[2].text.startswith("See our policy 4.2"), cells[2].text
    assert "We encrypt all customer data at rest using AES-256." in cells[2].text


# --- YAML aliases in knowledge files -------------------------------------------------------------

# 460 bytes that stand for a billion values once every alias is written out
LAUGHS = "\n".join(["- &a0 [lol]"] + [f"- &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)])


@pytest.mark.parametrize("where", ["learned.yaml", "claims/test.yaml", "sources/sec.yaml"])
def test_yaml_alias_bombs_in_knowledge_files_are_refused_quickly(tmp_path: Path, where: str) -> None:
    import time

    root = make_kb(tmp_path / "kb")
    path = root / where
    key = "answers" if where == "learned.yaml" else "lol"
    path.write_text(("" if where == "learned.yaml" else path.read_text()) + f"{key}:\n{LAUGHS}\n")
    form = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    problem = (
        re.escape(f"{path}: is not valid YAML at line ")
        + r"\d+"
        + re.escape(": its aliases (*name) expand to more than 1,000,000 values; write the values out")
    )
    started = time.perf_counter()
    code, output = run("knowledge", "check", "--kb", str(root))
    assert code == 4 and re.search(problem, output) and "Traceback" not in output, output
    code, output = run("fill", str(form), "-o", str(tmp_path / "out.xlsx"), "--kb", str(root))
    assert code == 2 and re.match("Error: " + problem, output) and len(output.strip().splitlines()) == 1, output
    assert time.perf_counter() - started < 20
    assert not (tmp_path / "out.xlsx").exists()


def test_a_few_yaml_aliases_are_fine(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb")
    path = root / "claims" / "test.yaml"
    text = path.read_text().replace("- all\n", "- &everyone all\n", 1)
    path.write_text(text + "shared: &products [api]\nagain: *products\nwho: *everyone\n")
    code, output = run("knowledge", "check", "--kb", str(root))
    assert code == 0, output


# --- a small file must not take the machine ----------------------------------------------------

_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _swap_parts(source: Path, dst: Path, parts: dict[str, bytes]) -> Path:
    """Copy `source` with some parts replaced or added, stored uncompressed (so no ratio limit applies)."""
    import zipfile

    with zipfile.ZipFile(source) as package, zipfile.ZipFile(dst, "w") as out:
        for info in package.infolist():
            if info.filename not in parts:
                out.writestr(info.filename, package.read(info), zipfile.ZIP_DEFLATED)
        for name, data in parts.items():
            out.writestr(name, data, zipfile.ZIP_STORED)
    return dst


def _strings_workbook(tmp_path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["ID", "Question", "Answer"])
    book.active.append(["Q1", "Is customer data encrypted at rest?", None])
    path = tmp_path / "strings.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("part", "data", "limit"),
    [
        pytest.param(
            "xl/worksheets/sheet1.xml",
            b"<worksheet "
            + _MAIN
            + b"><sheetData>"
            + b"<row>"
            + b"<c/>" * 26
            + b"</row>" * 1
            + (b"<row>" + b"<c/>" * 26 + b"</row>") * 38_500
            + b"</sheetData></worksheet>",
            "more than 1,000,000 cells",
            id="empty-cells",
        ),
        pytest.param(
            "xl/worksheets/sheet1.xml",
            b"<worksheet " + _MAIN + b"><sheetData>" + b"<row/>" * 1_000_001 + b"</sheetData></worksheet>",
            "more than 1,000,000 rows",
            id="empty-rows",
        ),
        pytest.param(
            "xl/sharedStrings.xml",
            b"<sst " + _MAIN + b">" + b"<si><t>x</t></si>" * 1_000_001 + b"</sst>",
            "more than 1,000,000 cells",
            id="shared-strings",
        ),
        pytest.param(
            "customXml/item1.xml",
            b"<root>" + b"<a>x</a>" * (4 * 2**20 + 1) + b"</root>",
            "more than 32 MiB of XML in part customXml/item1.xml",
            id="xml-part",
        ),
    ],
)
def test_a_workbook_too_large_to_fill_is_one_line(tmp_path: Path, part: str, data: bytes, limit: str) -> None:
    import time
    import zipfile

    source = _strings_workbook(tmp_path)
    parts = {part: data}
    if part == "xl/sharedStrings.xml":  # openpyxl writes inline strings: point the workbook at the table
        with zipfile.ZipFile(source) as package:
            rels = package.read("xl/_rels/workbook.xml.rels")
        shared = f'<Relationship Id="rId99" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        parts["xl/_rels/workbook.xml.rels"] = rels.replace(b"</Relationships>", shared.encode() + b"</Relationships>")
    form = _swap_parts(source, tmp_path / "big.xlsx", parts)
    started = time.perf_counter()
    code, output = run("fill", str(form), "-o", str(tmp_path / "out.xlsx"))
    assert code == 2, output
    assert output.strip() == (
        f"Error: big.xlsx: is too large to fill: {limit}, far more than any questionnaire; "
        "split it, or delete what is not questions, then try again"
    )
    assert time.perf_counter() - started < 60
    assert not (tmp_path / "out.xlsx").exists()


def test_a_word_form_too_large_to_fill_is_one_line(tmp_path: Path) -> None:
    import zipfile

    source = ROOT / "templates" / "samples" / "sample-questionnaire.docx"
    with zipfile.ZipFile(source) as package:
        document = package.read("word/document.xml").replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 100_001, 1)
    form = _swap_parts(source, tmp_path / "big.docx", {"word/document.xml": document})
    for command in ("fill", "review"):
        code, output = run(command, str(form))
        assert code == 2, output
        assert output.strip() == (
            "Error: big.docx: is too large to fill: more than 100,000 paragraphs, far more than any questionnaire; "
            "split it, or delete what is not questions, then try again"
        )


def test_evaluate_prints_the_suggestion_figures(tmp_path: Path) -> None:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "list.csv").write_text(
        "Question ID,Question Text\n"
        "A1,Is data encrypted at rest?\n"
        "A2,Are information security principles designed into the product lifecycle?\n"
        "A3,Do you limit your solution's LLM privileges by default?\n"
        "A4,Do you have a formal incident response plan?\n",
        encoding="utf-8",
    )
    labels = tmp_path / "labels.yaml"
    labels.write_text(
        yaml.safe_dump(
            [
                {
                    "file": "list.csv",
                    "questions": [
                        {"id": "A1", "claim": "encryption-at-rest", "answer": "Yes"},
                        {"id": "A2", "claim": "testing-security-experts", "answer": "Yes"},
                        {"id": "A3", "claim": None},
                        {"id": "A4", "claim": None},
                    ],
                }
            ]
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["evaluate", "--labels", str(labels), "--questionnaires", str(folder)])
    words = " ".join(result.output.split())
    # A1 is written and first; A2 is suggested in the first three; neither uncovered row is flagged
    # (A4's nearest claim, the 24x7 incident team, does not speak of a plan).
    assert (
        "suggestions: right claim and answer first for 50.0% (1/2), in the first three for 100.0% (2/2); "
        "uncovered highlighted for review: 0.0% (0/2)"
    ) in words, result.output


def test_a_review_sheet_another_program_broke_is_one_line_and_a_control_character_note_is_no_damage(
    tmp_path: Path,
) -> None:
    # round 26: a workbook whose review sheet is not well-formed XML ended in a traceback; a note
    # typed with an escape or bell character must not make the written workbook unreadable
    import os
    import zipfile

    import openpyxl

    env = {**os.environ, "AUTOFILL_LEDGER": "off", "XDG_DATA_HOME": str(tmp_path / "xdg")}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "autofill", *args], capture_output=True, text=True, timeout=120, env=env
        )

    sample = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    filled = tmp_path / "filled.xlsx"
    assert cli("fill", str(sample), "-o", str(filled)).returncode == 0
    book = openpyxl.load_workbook(filled)
    sheet = book["Autofill review"]
    assert sheet.max_row >= 2, "the sample has rows for review"
    sheet["J2"] = "Yes - checked by the team"
    book.save(filled)
    with zipfile.ZipFile(filled) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    name = next(n for n, data in parts.items() if n.startswith("xl/worksheets/") and b"checked by the team" in data)
    typed = parts[name].replace(b"checked by the team", b"checked by the \x1b[31mteam\x07")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as package:
        for part, data in parts.items():
            package.writestr(part, typed if part == name else data)
    before = broken.read_bytes()
    done = cli("apply", str(broken))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "the file is damaged" in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert broken.read_bytes() == before


def test_an_error_message_holding_markup_is_shown_as_written() -> None:
    # round 26: "knowledge show '[/]x'" ended in a rich MarkupError traceback
    code, output = run("knowledge", "show", "[/]x")
    assert code == 2 and "no claim '[/]x'" in output and "Traceback" not in output, output


def test_an_output_folder_gets_the_usual_name(tmp_path: Path) -> None:
    # round 63: "fill -o ./" said "Error: : must have the same extension"
    sample = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    code, output = run("fill", str(sample), "-o", str(tmp_path))
    assert code == 0, output
    assert (tmp_path / "sample-questionnaire.filled.xlsx").is_file()
    code, output = run("finalize", str(tmp_path / "sample-questionnaire.filled.xlsx"), "-o", str(tmp_path))
    assert code == 0, output
    assert (tmp_path / "sample-questionnaire.final.xlsx").is_file()


def test_an_output_folder_not_made_yet_is_named() -> None:
    # round 67: "-o missing-folder/" said "must have the same extension"
    sample = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "autofill", "fill", str(sample), "-o", "no-such-folder/"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "AUTOFILL_LEDGER": "off"},
    )
    assert done.returncode == 2 and "create the folder first" in done.stderr, done.stderr
    assert not (ROOT / "no-such-folder").exists()
