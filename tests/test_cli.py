from __future__ import annotations

import json
import re
import subprocess
import sys
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
        "Yes (testing-pentest-annual) 82.4 the answer is for API Platform; the form does not say which product "
        "(try --product)"
    ) in words
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
    # A1 is written and first; A2 is suggested in the first three; of the uncovered, only A4 is flagged.
    assert (
        "suggestions: right claim and answer first for 50.0% (1/2), in the first three for 100.0% (2/2); "
        "uncovered highlighted for review: 50.0% (1/2)"
    ) in words, result.output
