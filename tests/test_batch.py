"""The batch folder, end to end: real forms, real `autofill batch` and `autofill watch` processes."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
import yaml

from autofill.batch import classify, environment_problem
from tests.kb_factory import make_kb

ROOT = Path(__file__).resolve().parent.parent
ENCRYPTED = "Is customer data encrypted at rest?"
QUESTIONS = [ENCRYPTED, "Do you use customer data to train your AI models?", "What is your favourite colour?"]
SETTLE = "0.3"
WATCH_SETTLE = "0.6"  # well above the pauses of the slow copy below, even on a busy machine
WAIT = 30.0  # upper bound for any single wait; normal runs need a few seconds


# --- helpers ---------------------------------------------------------------------------------


def make_form(path: Path, questions: list[str] = QUESTIONS, extra: int = 0) -> Path:
    """A small workbook `ID | Question | Answer | Comments`; `extra` adds filler questions."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Question", "Answer", "Comments"])
    rows = questions + [f"Describe control number {i} of your programme." for i in range(extra)]
    for number, question in enumerate(rows, start=1):
        ws.append([str(number), question, "", ""])
    wb.save(path)
    return path


def answers(path: Path) -> dict[str, str | None]:
    """Question text -> answer cell of a filled workbook's first sheet."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    return {row[1]: row[2] for row in ws.iter_rows(min_row=2, values_only=True) if row[1]}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autofill", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def wait_for(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _removed(folder: Path) -> bool:
    """Remove `folder` as far as it can be now; whether it is gone."""
    shutil.rmtree(folder, ignore_errors=True)
    return not folder.exists()


def names(folder: Path, pattern: str = "*") -> list[str]:
    return sorted(p.name for p in folder.glob(pattern))


def jobs(inbox: Path) -> list[str]:
    """Job folders in the work area (a lock file alone may stay for a minute after a kill)."""
    return sorted(p.name for p in (inbox / ".autofill-work" / "jobs").iterdir() if p.is_dir())


def assert_no_leftovers(inbox: Path) -> None:
    """No job, reservation, staging folder or temp file is left behind."""
    assert jobs(inbox) == [] and names(inbox / ".autofill-work" / "names") == []
    assert names(inbox / "filled" / ".autofill-work") == []
    assert not list(inbox.rglob("*.tmp"))


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return make_kb(tmp_path / "kb")


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def watchers(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start `autofill watch` processes; any still running are killed at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def _start(inbox: Path, kb: Path, *extra: str) -> subprocess.Popen[bytes]:
        log = open(tmp_path / f"watch-{len(started)}.log", "wb")  # a file, so a full pipe never blocks it
        args = ["watch", str(inbox), "--kb", str(kb), "--settle", WATCH_SETTLE, "--rescan", "1", *extra]
        process = subprocess.Popen([sys.executable, "-m", "autofill", *args], cwd=ROOT, stdout=log, stderr=log)
        log.close()
        started.append(process)
        return process

    yield _start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    for log in sorted(tmp_path.glob("watch-*.log")):  # shown only when the test fails
        print(f"--- {log.name}\n{log.read_text()}")


# --- which files are taken -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        pytest.param("vendor.xlsx", "form", id="xlsx"),
        pytest.param("Vendor.XLSM", "form", id="xlsm-upper"),
        pytest.param("vendor.docx", "form", id="docx"),
        pytest.param("~$vendor.xlsx", "scratch", id="office-lock"),
        pytest.param(".DS_Store", "scratch", id="dotfile"),
        pytest.param("Thumbs.db", "scratch", id="thumbs"),
        pytest.param("vendor.xlsx.part", "scratch", id="part"),
        pytest.param("vendor.xlsx.crdownload", "scratch", id="crdownload"),
        pytest.param("vendor.xlsx.download", "scratch", id="download"),
        pytest.param("vendor.tmp", "scratch", id="tmp"),
        pytest.param("vendor.xls", "refused", id="xls"),
        pytest.param("vendor.pdf", "refused", id="pdf"),
        pytest.param("vendor.csv", "refused", id="csv"),
        pytest.param("notes.txt", "other", id="other"),
    ],
)
def test_classify(name: str, kind: str) -> None:
    assert classify(name) == kind


# --- autofill batch --------------------------------------------------------------------------


def test_batch_fills_good_forms_and_explains_broken_ones(inbox: Path, kb: Path) -> None:
    make_form(inbox / "acme.xlsx")
    make_form(inbox / "globex.xlsx")
    (inbox / "text.xlsx").write_text("this is not a workbook")
    (inbox / "legacy.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    (inbox / "empty.xlsx").write_bytes(b"")
    for broken in ("text.xlsx", "empty.xlsx"):  # lying there for an hour: not a copy still arriving
        os.utime(inbox / broken, (time.time() - 3600, time.time() - 3600))
    scratch = ["~$acme.xlsx", ".DS_Store", "Thumbs.db", "big.xlsx.part", "notes.txt"]
    for name in scratch:
        (inbox / name).write_text("x")

    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE, "--jobs", "2")

    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Traceback" not in output
    assert "2 form(s) filled" in done.stdout and "3 failed" in done.stdout
    outbox = inbox / "filled"
    for stem in ("acme", "globex"):
        assert answers(outbox / f"{stem}.filled.xlsx")[ENCRYPTED] == "Yes"
        report = json.loads((outbox / f"{stem}.report.json").read_text())
        assert report["summary"] == {"questions": 3, "answered": 2, "review": 0, "unanswered": 1, "kept": 0}
        assert report["output"] == str(outbox / f"{stem}.filled.xlsx")
        summary = (outbox / f"{stem}.summary.txt").read_text()
        assert "answered        2" in summary and "What is your favourite colour?" in summary
    assert names(inbox / "processed") == ["acme.xlsx", "globex.xlsx"]
    assert names(inbox / "failed") == [
        "empty.error.txt", "empty.xlsx", "legacy.error.txt", "legacy.xls", "text.error.txt", "text.xlsx"
    ]  # fmt: skip
    errors = {p.stem: p.read_text() for p in (inbox / "failed").glob("*.error.txt")}
    assert "legacy.xls: is a legacy Excel 97-2003 file; open it in Excel and save it as .xlsx" in errors["legacy.error"]
    assert "text.xlsx: is not a valid .xlsx file" in errors["text.error"]
    assert "empty.xlsx: is empty (0 bytes)" in errors["empty.error"]
    assert all("Traceback" not in text for text in errors.values())
    assert sorted(scratch) == sorted(p.name for p in inbox.iterdir() if p.is_file())  # left alone
    log = (outbox / "autofill.log").read_text().splitlines()
    assert len(log) == 5
    assert any("acme.xlsx  answered 2, review 0, unanswered 1, kept 0  -> acme.filled.xlsx" in line for line in log)
    assert any("legacy.xls  FAILED: legacy.xls: is a legacy Excel" in line for line in log)
    assert_no_leftovers(inbox)


def test_batch_docx(inbox: Path, kb: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    rows = [["Question", "Answer", "Comments"], [ENCRYPTED, "", ""], ["What is your favourite colour?", "", ""]]
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.save(str(inbox / "word.docx"))

    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE)

    assert done.returncode == 0, done.stdout + done.stderr
    filled = docx.Document(str(inbox / "filled" / "word.filled.docx"))
    assert filled.tables[0].rows[1].cells[1].text == "Yes"
    assert names(inbox / "processed") == ["word.docx"]


def test_same_name_drops_are_both_kept(inbox: Path, kb: Path) -> None:
    make_form(inbox / "acme.xlsx")
    first = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE, "--strict")
    assert first.returncode == 3, first.stdout + first.stderr  # --strict: a question was left for a person
    make_form(inbox / "acme.xlsx", [ENCRYPTED, "Have you completed a SOC 2 Type 2 audit?"])
    second = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE, "--strict")
    assert second.returncode == 0, second.stdout + second.stderr  # every question answered
    (inbox / "acme.pdf").write_text("same name, refused")  # its error file must not take acme's name either

    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE, "--strict")

    assert done.returncode == 3, done.stdout + done.stderr  # --strict: a form failed
    outbox = inbox / "filled"
    assert "Have you completed a SOC 2 Type 2 audit?" not in answers(outbox / "acme.filled.xlsx")
    assert answers(outbox / "acme (2).filled.xlsx")["Have you completed a SOC 2 Type 2 audit?"] == "Yes"
    assert names(inbox / "processed") == ["acme (2).xlsx", "acme.xlsx"]
    assert names(inbox / "failed") == ["acme (3).error.txt", "acme (3).pdf"]
    assert "acme.xlsx (as acme (2))" in (outbox / "autofill.log").read_text()


def test_batch_adopts_a_dead_owners_job_but_not_a_live_ones(inbox: Path, kb: Path) -> None:
    make_form(inbox / "orphan.xlsx")
    make_form(inbox / "busy.xlsx")
    claim = (
        "import os, sys, time; from pathlib import Path; from autofill.batch import claim, prepare_layout; "
        "layout = prepare_layout(Path(sys.argv[1])); "
        "held = claim(layout, layout.inbox / sys.argv[2]); print('claimed', flush=True); "
        "time.sleep(float(sys.argv[3])); os._exit(0)"
    )
    # one owner dies right after claiming (no cleanup: os._exit), the other stays alive holding its lock
    subprocess.run([sys.executable, "-c", claim, str(inbox), "orphan.xlsx", "0"], cwd=ROOT, check=True, timeout=60)
    alive = subprocess.Popen(
        [sys.executable, "-c", claim, str(inbox), "busy.xlsx", "60"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert alive.stdout is not None and alive.stdout.readline() == "claimed\n"
        done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE)
        assert done.returncode == 0, done.stdout + done.stderr
        assert names(inbox / "processed") == ["orphan.xlsx"]
        (live,) = jobs(inbox)  # the live owner's job is untouched
        assert names(inbox / ".autofill-work" / "jobs" / live) == ["busy.xlsx"]
    finally:
        alive.kill()
        alive.communicate(timeout=10)

    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE)

    assert done.returncode == 0, done.stdout + done.stderr
    assert names(inbox / "processed") == ["busy.xlsx", "orphan.xlsx"]
    assert answers(inbox / "filled" / "busy.filled.xlsx")[ENCRYPTED] == "Yes"
    assert_no_leftovers(inbox)


def test_batch_refuses_the_inbox_as_outbox(inbox: Path, kb: Path) -> None:
    done = run("batch", str(inbox), "--out", str(inbox), "--kb", str(kb))

    assert done.returncode == 2
    assert "must not be the inbox" in done.stderr and "Traceback" not in done.stderr


# --- autofill watch --------------------------------------------------------------------------


def test_watch_survives_kill_9_and_fills_every_form_exactly_once(
    inbox: Path, kb: Path, tmp_path: Path, watchers: Callable[..., subprocess.Popen[bytes]]
) -> None:
    forms = [f"form{n:02}.xlsx" for n in range(20)]
    for name in forms:
        make_form(tmp_path / name, extra=400)
    processed = inbox / "processed"
    log = inbox / "filled" / "autofill.log"

    def lines() -> int:
        return len(log.read_text().splitlines()) if log.exists() else 0

    first = watchers(inbox, kb, "--jobs", "2")
    (inbox / "~$form00.xlsx").write_bytes(b"owner lock file")
    _write_slowly(tmp_path / forms[0], inbox / forms[0])  # a copy still in progress must not be taken
    for name in forms[1:]:
        os.replace(tmp_path / name, inbox / name)
    wait_for(lambda: lines() >= 1, "the first filled form")
    first.kill()  # SIGKILL, mid-batch
    first.wait(timeout=10)
    second = watchers(inbox, kb, "--jobs", "2")
    wait_for(lambda: lines() >= 4, "more forms after the restart")
    second.kill()
    second.wait(timeout=10)
    assert len(names(processed)) < len(forms), "the batch finished before the kill; make the forms bigger"
    third = watchers(inbox, kb, "--jobs", "2")
    wait_for(lambda: len(names(processed)) == len(forms), "every form")
    wait_for(lambda: jobs(inbox) == [], "the last job to be cleaned up")

    third.send_signal(signal.SIGTERM)
    assert third.wait(timeout=WAIT) == 0
    assert names(processed) == forms  # once each: a second fill would have made "form01 (2).xlsx"
    outbox = inbox / "filled"
    assert names(outbox, "*.filled.xlsx") == [name.replace(".xlsx", ".filled.xlsx") for name in forms]
    assert len(names(outbox, "*.report.json")) == len(names(outbox, "*.summary.txt")) == len(forms)
    for filled in outbox.glob("*.filled.xlsx"):
        assert answers(filled)[ENCRYPTED] == "Yes", filled.name
    assert names(inbox / "failed") == []
    assert (inbox / "~$form00.xlsx").read_bytes() == b"owner lock file"
    for name in forms:
        assert log.read_text().count(f"  {name}  ") <= 1
    assert_no_leftovers(inbox)
    # the ledger holds every published form once, with each of its written answers once (issue 13)
    with sqlite3.connect(os.environ["AUTOFILL_LEDGER"]) as db:
        recorded = db.execute("SELECT output, COUNT(*) FROM forms GROUP BY output").fetchall()
        rows = db.execute(
            "SELECT f.output, COUNT(*) FROM answers a JOIN forms f ON f.id = a.form_id GROUP BY f.output"
        ).fetchall()
    assert sorted(Path(o).name for o, _ in recorded) == names(outbox, "*.filled.xlsx")
    assert {count for _, count in recorded} == {1}
    for output, count in rows:
        report = json.loads(
            Path(output).with_name(Path(output).name.replace(".filled.xlsx", ".report.json")).read_text()
        )
        assert count == report["summary"]["answered"], output


def test_two_watchers_fill_each_form_once(
    inbox: Path, kb: Path, watchers: Callable[..., subprocess.Popen[bytes]]
) -> None:
    forms = [f"shared{n:02}.xlsx" for n in range(10)]
    for name in forms:
        make_form(inbox / name, extra=50)
    # both start on a full inbox, so they race for every file; one polls, as on a network drive
    one, two = watchers(inbox, kb, "--jobs", "2"), watchers(inbox, kb, "--jobs", "2", "--poll")

    wait_for(lambda: len(names(inbox / "processed")) == len(forms), "every form")
    wait_for(lambda: jobs(inbox) == [], "the last job to be cleaned up")

    for process in (one, two):
        process.send_signal(signal.SIGINT)
    assert one.wait(timeout=WAIT) == 0 and two.wait(timeout=WAIT) == 0
    assert names(inbox / "processed") == forms
    assert names(inbox / "filled", "*.filled.xlsx") == [n.replace(".xlsx", ".filled.xlsx") for n in forms]
    log = (inbox / "filled" / "autofill.log").read_text()
    assert len(log.splitlines()) == len(forms)
    assert all(log.count(f"  {name}  ") == 1 for name in forms)
    assert_no_leftovers(inbox)


def _write_slowly(source: Path, target: Path) -> None:
    """Copy in 6 chunks, pausing well under the settle time between them, like a slow network copy."""
    data = source.read_bytes()
    step = len(data) // 6 + 1
    with open(target, "wb") as stream:
        for start in range(0, len(data), step):
            stream.write(data[start : start + step])
            stream.flush()
            time.sleep(0.1)
        assert target.exists(), "taken while still being written"


def test_watch_uses_answers_learned_while_it_runs(
    inbox: Path, kb: Path, watchers: Callable[..., subprocess.Popen[bytes]]
) -> None:
    question = "Is the tenant's stored content protected by AES-256?"
    watchers(inbox, kb)
    make_form(inbox / "first.xlsx", [question])
    wait_for(lambda: (inbox / "filled" / "first.filled.xlsx").exists(), "the first form")
    assert answers(inbox / "filled" / "first.filled.xlsx")[question] in (None, "")
    # a reviewer accepts the match: the base's learned file changes under the running watcher
    entry = {"question": question, "claim": "enc-at-rest", "answer": "Yes", "decision": "accept", "who": "t"}
    (kb / "learned.yaml").write_text(yaml.safe_dump({"answers": [entry]}))
    make_form(inbox / "second.xlsx", [question])
    wait_for(lambda: (inbox / "filled" / "second.filled.xlsx").exists(), "the second form")
    assert answers(inbox / "filled" / "second.filled.xlsx")[question] == "Yes"


def test_a_form_over_the_time_limit_is_stopped_and_the_batch_goes_on(inbox: Path, kb: Path) -> None:
    # 30,000 filler rows take well over 3 s to fill on one worker (measured); the limit is 2 s, which a
    # small form meets even in a fresh worker that loads the embedding model for its suggestions
    make_form(inbox / "huge.xlsx", extra=30_000)
    make_form(inbox / "small.xlsx")

    started = time.monotonic()
    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE, "--jobs", "1", "--timeout", "2")

    output = done.stdout + done.stderr
    assert done.returncode == 0 and "Traceback" not in output, output
    assert "1 form(s) filled" in done.stdout and "1 failed" in done.stdout
    assert time.monotonic() - started < 60
    assert answers(inbox / "filled" / "small.filled.xlsx")[ENCRYPTED] == "Yes"
    assert names(inbox / "failed") == ["huge.error.txt", "huge.xlsx"]
    error = (inbox / "failed" / "huge.error.txt").read_text()
    assert "huge.xlsx: filling took longer than 2 s and was stopped; split the form, or raise --timeout" in error
    assert not (inbox / "filled" / "huge.filled.xlsx").exists()
    assert_no_leftovers(inbox)


# --- names the filesystem can barely hold ----------------------------------------------------


def test_names_at_the_filesystems_limit_are_filled_once_under_a_shortened_stem(inbox: Path, kb: Path) -> None:
    # 250 + ".xlsx" is the longest name a 255-byte filesystem holds; ".filled.xlsx" does not fit after it
    longest = "q" * 250 + ".xlsx"
    twin = "q" * 249 + "r.xlsx"  # the same first 200 bytes: the shortened stems must still differ
    accented = "é" * 122 + ".xlsx"  # 249 bytes in UTF-8, 127 characters: the cut counts bytes
    refused = "p" * 251 + ".pdf"
    for name in (longest, twin, accented, "plain.xlsx"):
        make_form(inbox / name)
    (inbox / refused).write_text("not a form")

    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE)

    output = done.stdout + done.stderr
    assert done.returncode == 0 and "Traceback" not in output, output
    assert "4 form(s) filled" in done.stdout and "1 failed" in done.stdout
    outbox = inbox / "filled"
    filled = names(outbox, "*.filled.xlsx")
    assert len(filled) == 4 and "plain.filled.xlsx" in filled
    for name in filled:
        assert len(name.encode()) <= 255 - 14, name  # room left for an atomic write's temp name
        assert answers(outbox / name)[ENCRYPTED] == "Yes"
    shortened = [n for n in filled if n.startswith("q")]
    assert len(set(shortened)) == 2 and all("~" in n for n in shortened)
    assert len(names(inbox / "processed")) == 4
    failed = names(inbox / "failed")
    assert len(failed) == 2 and all(n.startswith("p") and "~" in n for n in failed)
    assert any(n.endswith(".pdf") for n in failed) and any(n.endswith(".error.txt") for n in failed)
    log = (outbox / "autofill.log").read_text()
    assert len(log.splitlines()) == 5 and f"{longest} (as q" in log
    assert_no_leftovers(inbox)

    again = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE)  # nothing is taken twice

    assert again.returncode == 0 and "0 form(s) filled" in again.stdout, again.stdout + again.stderr
    assert len((outbox / "autofill.log").read_text().splitlines()) == 5


# --- links and names from whoever drops files -------------------------------------------------


def test_a_log_that_is_a_link_is_refused_and_never_written_through(
    inbox: Path, kb: Path, tmp_path: Path, watchers: Callable[..., subprocess.Popen[bytes]]
) -> None:
    target = tmp_path / "private.txt"
    target.write_text("keep me\n")
    (inbox / "filled").mkdir()
    (inbox / "filled" / "autofill.log").symlink_to(target)
    make_form(inbox / "acme.xlsx")

    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE)

    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "autofill.log is a symbolic link; autofill never writes through links" in done.stderr
    assert target.read_text() == "keep me\n"
    assert names(inbox, "*.xlsx") == ["acme.xlsx"]  # nothing was taken

    # planted while a watcher runs: the form is still filled, the link's target is not touched
    (inbox / "filled" / "autofill.log").unlink()
    watcher = watchers(inbox, kb)
    log = inbox / "filled" / "autofill.log"
    wait_for(lambda: log.exists() and "acme.xlsx" in log.read_text(), "the first form's log line")
    log.unlink()
    log.symlink_to(target)
    make_form(inbox / "globex.xlsx")
    wait_for(lambda: (inbox / "processed" / "globex.xlsx").exists(), "the second form")
    watcher.send_signal(signal.SIGTERM)
    assert watcher.wait(timeout=WAIT) == 0
    assert target.read_text() == "keep me\n"
    assert answers(inbox / "filled" / "globex.filled.xlsx")[ENCRYPTED] == "Yes"
    output = (tmp_path / "watch-0.log").read_text()
    assert "Not logged in autofill.log:" in output and "Traceback" not in output


def test_names_cannot_forge_log_lines_or_colour_the_terminal(inbox: Path, kb: Path) -> None:
    forged = "evil\n2026-01-01 00:00:00  other.xlsx  answered 9, review 0\x1b[31m [red]x\u202e.xlsx"
    make_form(inbox / forged)
    (inbox / "bad\r\x1b[2K.xlsx").write_text("not a workbook")
    os.utime(inbox / "bad\r\x1b[2K.xlsx", (time.time() - 3600, time.time() - 3600))

    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE)

    output = done.stdout + done.stderr
    assert done.returncode == 0 and "Traceback" not in output, output
    assert "\x1b" not in output and "\r" not in output and "\u202e" not in output
    log = (inbox / "filled" / "autofill.log").read_text()
    assert len(log.splitlines()) == 2
    assert "evil\\n2026-01-01 00:00:00  other.xlsx  answered 9, review 0\\x1b[31m [red]x\\u202e.xlsx" in log
    assert "bad\\r\\x1b[2K.xlsx (as bad__[2K)  FAILED: bad\\r\\x1b[2K.xlsx: is not a valid .xlsx file" in log
    assert "[red]x" in done.stdout  # printed as text, not taken as markup
    # output names carry no control characters either
    (filled,) = names(inbox / "filled", "*.filled.xlsx")
    assert filled.startswith("evil_2026") and filled.isprintable()
    assert all(name.isprintable() for name in names(inbox / "failed") + names(inbox / "processed"))
    error = next((inbox / "failed").glob("*.error.txt")).read_text()
    assert error.startswith("bad\\r\\x1b[2K.xlsx could not be filled.")


def test_links_in_the_inbox_are_failed_never_followed(inbox: Path, kb: Path, tmp_path: Path) -> None:
    private = make_form(tmp_path / "private.xlsx")
    before = private.read_bytes()
    (inbox / "linked.xlsx").symlink_to(private)
    (inbox / "dangling.docx").symlink_to(tmp_path / "gone.docx")
    make_form(inbox / "real.xlsx")

    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE)

    output = done.stdout + done.stderr
    assert done.returncode == 0 and "Traceback" not in output, output
    assert "1 form(s) filled" in done.stdout and "2 failed" in done.stdout
    assert names(inbox / "filled", "*.filled.*") == ["real.filled.xlsx"]
    assert private.read_bytes() == before
    failed = inbox / "failed"
    assert names(failed) == ["dangling.docx", "dangling.error.txt", "linked.error.txt", "linked.xlsx"]
    assert (failed / "linked.xlsx").is_symlink()  # the link itself moved, its target stayed
    error = (failed / "linked.error.txt").read_text()
    assert "linked.xlsx: is a link to a file elsewhere; autofill fills only files dropped into the folder" in error
    assert_no_leftovers(inbox)


# --- a full or read-only disk is a condition to wait out, not a broken form ------------------


@pytest.mark.parametrize(
    ("code", "environmental"),
    [
        pytest.param(errno.ENOSPC, True, id="disk-full"),
        pytest.param(errno.EROFS, True, id="read-only"),
        pytest.param(errno.EACCES, True, id="permission"),
        pytest.param(errno.ENOTDIR, True, id="folder-replaced-by-a-file"),
        pytest.param(errno.EINVAL, False, id="bad-argument"),
        pytest.param(errno.ENAMETOOLONG, False, id="name-too-long"),
    ],
)
def test_environment_problems_are_told_from_broken_forms(code: int, environmental: bool) -> None:
    # real OSError objects, as the system raises them; the tmpfs test below makes two of them happen
    assert environment_problem(OSError(code, os.strerror(code), "/some/file")) is environmental


def test_watch_keeps_a_form_in_the_inbox_while_the_output_folder_is_unusable(
    inbox: Path, kb: Path, tmp_path: Path, watchers: Callable[..., subprocess.Popen[bytes]]
) -> None:
    out = tmp_path / "out"
    watcher = watchers(inbox, kb, "--out", str(out))
    make_form(inbox / "acme.xlsx")
    wait_for(lambda: (out / "acme.filled.xlsx").exists(), "the first form")
    # the output folder's work area becomes a file: every write there fails (as root, unlike chmod)
    staging = out / ".autofill-work"
    # (the watcher may still be clearing its own staging entries: what it removed first is no error)
    wait_for(lambda: _removed(staging), "the work area gone")
    staging.write_text("in the way")
    make_form(inbox / "globex.xlsx")
    log = tmp_path / "watch-0.log"
    wait_for(lambda: "globex.xlsx: cannot write" in log.read_text(), "the problem to be reported")
    time.sleep(1.5)  # a rescan or two: it must be retried, not failed

    assert watcher.poll() is None, log.read_text()
    assert (inbox / "globex.xlsx").exists() and names(inbox / "failed") == []
    reported = [line for line in log.read_text().splitlines() if "globex.xlsx: cannot write" in line]
    assert "(Not a directory); it stays in the inbox and is tried again in 1 s." in reported[0]
    staging.unlink()
    staging.mkdir()
    wait_for(lambda: (inbox / "processed" / "globex.xlsx").exists(), "the form, once the folder is back")
    watcher.send_signal(signal.SIGTERM)
    assert watcher.wait(timeout=WAIT) == 0
    assert answers(out / "globex.filled.xlsx")[ENCRYPTED] == "Yes"
    assert names(inbox / "failed") == [] and "Traceback" not in log.read_text()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MiB tmpfs, for a disk that fills up or turns read-only; skipped where mounting is not allowed."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def test_batch_leaves_forms_in_the_inbox_when_the_disk_is_full_or_read_only(
    inbox: Path, kb: Path, small_disk: Path
) -> None:
    out = small_disk / "out"
    make_form(inbox / "acme.xlsx", extra=50)
    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE, "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as stream, contextlib.suppress(OSError):
        while True:
            stream.write(b"\0" * 4096)
    make_form(inbox / "full.xlsx", extra=50)

    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE, "--out", str(out))

    assert done.returncode == 2, done.stdout + done.stderr
    assert "full.xlsx: cannot write" in done.stderr
    assert "(No space left on device); it stays in the inbox and is tried at the next run." in done.stderr
    assert "Error: 1 form(s) could not be written (the disk or a folder failed, see above)" in done.stderr
    assert "Traceback" not in done.stderr and "please report" not in done.stdout + done.stderr
    assert (inbox / "full.xlsx").exists() and names(inbox / "failed") == []
    assert_no_leftovers(inbox)

    filler.unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE, "--out", str(out))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "(Read-only file system); it stays in the inbox" in done.stderr and "Traceback" not in done.stderr
    assert (inbox / "full.xlsx").exists() and names(inbox / "failed") == []

    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE, "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert answers(out / "full.filled.xlsx")[ENCRYPTED] == "Yes"
    assert names(inbox / "processed") == ["acme.xlsx", "full.xlsx"]
    assert_no_leftovers(inbox)


# --- a copy that pauses is still arriving ----------------------------------------------------


def test_batch_leaves_a_form_that_is_still_arriving_and_fails_one_that_stays_broken(
    inbox: Path, kb: Path, tmp_path: Path
) -> None:
    whole = make_form(tmp_path / "whole.xlsx", extra=200).read_bytes()
    (inbox / "copying.xlsx").write_bytes(whole[: len(whole) // 2])  # a copy that paused half way
    (inbox / "resumed.xlsx").write_bytes(whole[len(whole) // 2 :])  # only the tail: a resumed copy
    make_form(inbox / "acme.xlsx")

    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE)

    output = done.stdout + done.stderr
    assert done.returncode == 0 and "Traceback" not in output, output
    assert "1 form(s) filled" in done.stdout and "1 failed" in done.stdout and "1 still arriving" in done.stdout
    assert "Waiting for copying.xlsx: not a complete form yet (still being copied?)" in done.stderr
    assert (inbox / "copying.xlsx").read_bytes() == whole[: len(whole) // 2]
    assert names(inbox / "failed") == ["resumed.error.txt", "resumed.xlsx"]
    error = (inbox / "failed" / "resumed.error.txt").read_text()
    assert "resumed.xlsx: is not a valid .xlsx file (corrupt, truncated or another format)" in error
    assert "Traceback" not in error

    # unchanged for longer than --grace: nobody is copying it any more, so it is broken
    os.utime(inbox / "copying.xlsx", (time.time() - 3600, time.time() - 3600))
    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE)
    assert done.returncode == 0 and "1 failed" in done.stdout, done.stdout + done.stderr
    assert "copying.xlsx: is not a valid .xlsx file" in (inbox / "failed" / "copying.error.txt").read_text()
    assert_no_leftovers(inbox)


def test_watch_waits_for_a_copy_that_pauses_and_fails_it_only_after_the_grace_period(
    inbox: Path, kb: Path, tmp_path: Path, watchers: Callable[..., subprocess.Popen[bytes]]
) -> None:
    whole = make_form(tmp_path / "whole.xlsx", extra=200).read_bytes()
    watcher = watchers(inbox, kb, "--grace", "4")
    with open(inbox / "paused.xlsx", "wb") as copy:
        copy.write(whole[: len(whole) // 2])
        copy.flush()
        (inbox / "abandoned.xlsx").write_bytes(whole[: len(whole) // 3])
        time.sleep(2.5)  # four times --settle: the first half is "stable"
        assert (inbox / "paused.xlsx").exists() and names(inbox / "failed") == []
        copy.write(whole[len(whole) // 2 :])
    wait_for(lambda: (inbox / "processed" / "paused.xlsx").exists(), "the completed copy")
    wait_for(lambda: (inbox / "failed" / "abandoned.error.txt").exists(), "the abandoned copy, after --grace")

    watcher.send_signal(signal.SIGTERM)
    assert watcher.wait(timeout=WAIT) == 0
    assert answers(inbox / "filled" / "paused.filled.xlsx")[ENCRYPTED] == "Yes"
    assert names(inbox / "failed") == ["abandoned.error.txt", "abandoned.xlsx"]
    assert "abandoned.xlsx: is not a valid .xlsx file" in (inbox / "failed" / "abandoned.error.txt").read_text()


def test_a_drop_that_changes_while_it_is_filled_goes_back_to_the_inbox(
    inbox: Path, kb: Path, tmp_path: Path, watchers: Callable[..., subprocess.Popen[bytes]]
) -> None:
    make_form(tmp_path / "big.xlsx", extra=20_000)  # a few seconds of filling: time to touch it meanwhile
    watcher = watchers(inbox, kb, "--jobs", "1")
    os.replace(tmp_path / "big.xlsx", inbox / "big.xlsx")
    wait_for(lambda: not (inbox / "big.xlsx").exists(), "the form to be taken")
    (claimed,) = (inbox / ".autofill-work" / "jobs").glob("*/big.xlsx")
    later = claimed.stat().st_mtime_ns + 5_000_000_000
    os.utime(claimed, ns=(later, later))  # what a copier still writing into the taken file does

    log = tmp_path / "watch-0.log"
    wait_for(lambda: "big.xlsx: changed while it was being filled" in log.read_text(), "the change to be noticed")
    wait_for(lambda: (inbox / "processed" / "big.xlsx").exists(), "the form, filled again once settled")
    watcher.send_signal(signal.SIGTERM)
    assert watcher.wait(timeout=WAIT) == 0
    assert names(inbox / "filled", "*.filled.xlsx") == ["big.filled.xlsx"]  # filled once, no "big (2)"
    assert len((inbox / "filled" / "autofill.log").read_text().splitlines()) == 1
    assert names(inbox / "failed") == []


@pytest.mark.parametrize("folder", ["processed", "failed", "filled"])
def test_a_folder_of_the_inbox_that_is_a_link_is_refused(inbox: Path, kb: Path, tmp_path: Path, folder: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (inbox / folder).symlink_to(elsewhere)
    make_form(inbox / "acme.xlsx")

    done = run("batch", str(inbox), "--kb", str(kb), "--settle", SETTLE)

    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{folder} is a symbolic link; autofill never writes through links" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert list(elsewhere.iterdir()) == [] and (inbox / "acme.xlsx").exists()
