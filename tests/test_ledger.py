"""The ledger: what was told to which customer, and which of it a knowledge change makes untrue.

Every test runs the real CLI; conftest gives each test a ledger of its own (AUTOFILL_LEDGER).
"""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml
from openpyxl.worksheet.datavalidation import DataValidation

from tests.kb_factory import BASE_CLAIMS, SOURCE_TEXT, make_kb

ROOT = Path(__file__).resolve().parent.parent
ENCRYPTED = "Is customer data encrypted at rest?"
SOC2 = "Have you completed a SOC 2 Type 2 audit?"


def run(*args: str | Path, stdin: str = "") -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "autofill", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        input=stdin,
    )
    return done.returncode, done.stdout + done.stderr


def make_form(path: Path, questions: list[str]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Security"
    ws.append(["ID", "Question", "Answer", "Comments"])
    for number, question in enumerate(questions, start=1):
        ws.append([f"Q{number}", question, None, None])
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    validation.add(f"C2:C{len(questions) + 1}")
    ws.add_data_validation(validation)
    wb.save(path)
    return path


def ledger_json(*args: str) -> list[dict[str, str]]:
    code, output = run("ledger", *args, "--json")
    assert code == 0, output
    rows: list[dict[str, str]] = json.loads(output)
    return rows


def test_a_changed_claim_names_exactly_the_customers_told_it(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb")
    acme = make_form(tmp_path / "acme.xlsx", [ENCRYPTED, SOC2])
    globex = make_form(tmp_path / "globex.xlsx", [SOC2])
    code, output = run("fill", acme, "--kb", kb, "--customer", "Acme")
    assert code == 0, output
    code, output = run("fill", globex, "--kb", kb, "--customer", "Globex")
    assert code == 0, output

    told = ledger_json()
    assert sorted((r["customer"], r["question"], r["answer"]) for r in told) == sorted(
        [("Acme", ENCRYPTED, "Yes"), ("Acme", SOC2, "Yes"), ("Globex", SOC2, "Yes")]
    )
    assert all(r["form"] in ("acme.xlsx", "globex.xlsx") and r["location"].startswith("Security!C") for r in told)
    assert [r["question"] for r in ledger_json("--customer", "globex")] == [SOC2]
    code, output = run("ledger", "changes", "--kb", kb)
    assert code == 0 and "No recorded answer's source has changed" in output, output

    # a newer page replaces the encryption claim: only Acme was told it
    page = {"id": "sec-2026", "title": "Security 2026", "url": "https://example.com/security-2026"}
    quote = "We encrypt all customer data at rest using AES-256 with customer-managed keys."
    page |= {"date": "2026-06-01", "order": 3, "text": f"Security page\n{quote}\n"}
    (kb / "sources" / "sec-2026.yaml").write_text(yaml.safe_dump(page, sort_keys=False), encoding="utf-8")
    claims = copy.deepcopy(BASE_CLAIMS)
    newer = copy.deepcopy(claims[0])
    newer["id"] = "enc-at-rest-2026"
    newer["answer_text"] = "We encrypt all customer data at rest using AES-256 and customer-managed keys."
    newer["citation"] = {"source": "sec-2026", "quote": quote}
    claims[0]["superseded_by"] = "enc-at-rest-2026"
    claims.append(newer)
    (kb / "claims" / "test.yaml").write_text(yaml.safe_dump({"claims": claims}, sort_keys=False), encoding="utf-8")
    code, output = run("ledger", "changes", "--kb", kb, "--json")
    assert code == 0, output
    changed = json.loads(output)
    assert [(c["customer"], c["form"], c["question"], c["answer"]) for c in changed] == [
        ("Acme", "acme.xlsx", ENCRYPTED, "Yes")
    ]
    assert changed[0]["why"] == "superseded by 'enc-at-rest-2026'" and "customer-managed keys" in changed[0]["now"]
    code, output = run("ledger", "changes", "--kb", kb)
    assert "1 answer(s) to 1 customer(s) to review: Acme" in output, output
    code, output = run("knowledge", "check", "--kb", kb)
    assert code == 0 and "1 recorded answer(s) told to customers no longer match" in output, output

    # an edited sentence counts as a change too
    claims[2]["answer_text"] = "Our API platform completed a SOC 2 Type 2 audit in 2026."
    (kb / "claims" / "test.yaml").write_text(yaml.safe_dump({"claims": claims}, sort_keys=False), encoding="utf-8")
    changed = json.loads(run("ledger", "changes", "--kb", kb, "--json")[1])
    assert sorted((c["customer"], c["why"]) for c in changed) == [
        ("Acme", "edited"),
        ("Acme", "superseded by 'enc-at-rest-2026'"),
        ("Globex", "edited"),
    ]


def test_a_ledger_turned_off_records_nothing_and_says_nothing_of_recording(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = make_kb(tmp_path / "kb")
    monkeypatch.setenv("AUTOFILL_LEDGER", "off")
    code, output = run("fill", make_form(tmp_path / "f.xlsx", [ENCRYPTED]), "--kb", kb)
    assert code == 0 and "Recorded in the ledger" not in output and not Path("off").exists(), output
    code, output = run("ledger")
    assert code == 0 and "AUTOFILL_LEDGER=off" in output, output


def test_listing_filters_and_formats(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb")
    code, output = run("fill", make_form(tmp_path / "f.xlsx", [ENCRYPTED]), "--kb", kb)
    assert code == 0 and "Recorded in the ledger for customer 'unknown'" in " ".join(output.split()), output
    assert [r["customer"] for r in ledger_json()] == ["unknown"]
    assert ledger_json("--since", "2999-01-01") == []
    code, output = run("ledger", "--since", "yesterday")
    assert code == 2 and "Error: --since 'yesterday' is not a date; write it as YYYY-MM-DD" in output, output
    code, output = run("ledger", "--csv")
    assert code == 0 and output.splitlines()[0].startswith("customer,form,written_at,location"), output
    code, output = run("ledger")
    assert code == 0 and "unknown  f.xlsx  Security!C2" in output and "-> Yes  [enc-at-rest]" in output, output


def test_forget_asks_then_deletes_one_customer(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb")
    for customer in ("Acme", "Globex"):
        form = make_form(tmp_path / f"{customer}.xlsx", [ENCRYPTED])
        assert run("fill", form, "--kb", kb, "--customer", customer)[0] == 0
    code, output = run("ledger", "forget", "--customer", "Acme", stdin="n\n")
    assert code == 2 and len(ledger_json()) == 2, output
    code, output = run("ledger", "forget", "--customer", "acme", stdin="y\n")
    assert code == 0 and "Forgot 1 form(s) of acme." in output, output
    assert [r["customer"] for r in ledger_json()] == ["Globex"]


def test_a_ledger_that_cannot_be_written_keeps_the_form_and_the_entry(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb")
    ledger = Path(os.environ["AUTOFILL_LEDGER"])
    ledger.mkdir(parents=True)  # a folder where the database should be: SQLite cannot open it
    out = tmp_path / "out.xlsx"
    code, output = run("fill", make_form(tmp_path / "f.xlsx", [ENCRYPTED]), "-o", out, "--kb", kb, "--customer", "Acme")
    assert code == 0 and "Traceback" not in output, output
    assert openpyxl.load_workbook(out)["Security"]["C2"].value == "Yes"
    assert "could not be written" in output and "recorded on the next run" in " ".join(output.split()), output
    assert len(list(ledger.with_name(ledger.name + ".pending").glob("*.json"))) == 1
    ledger.rmdir()  # fixed: the next run records the waiting entry and its own
    assert run("fill", make_form(tmp_path / "g.xlsx", [SOC2]), "--kb", kb, "--customer", "Globex")[0] == 0
    assert sorted(r["customer"] for r in ledger_json()) == ["Acme", "Globex"]
    assert not list(ledger.with_name(ledger.name + ".pending").glob("*.json"))


def test_the_same_filled_form_for_two_customers_waits_as_two_entries(tmp_path: Path) -> None:
    # round 26: waiting entries were named by the output's hash, and a standard form filled alike
    # for Acme and then Beta kept only Beta's
    kb = make_kb(tmp_path / "kb")
    ledger = Path(os.environ["AUTOFILL_LEDGER"])
    ledger.mkdir(parents=True)
    form = make_form(tmp_path / "f.xlsx", [ENCRYPTED])
    for customer in ("Acme", "Beta"):
        code, output = run("fill", form, "-o", tmp_path / f"{customer}.xlsx", "--kb", kb, "--customer", customer)
        assert code == 0, output
    ledger.rmdir()
    assert run("fill", form, "-o", tmp_path / "gamma.xlsx", "--kb", kb, "--customer", "Gamma")[0] == 0
    assert sorted(r["customer"] for r in ledger_json()) == ["Acme", "Beta", "Gamma"]


def test_a_file_name_that_is_not_utf8_is_recorded(tmp_path: Path) -> None:
    # round 26: a Latin-1 name ("caf\xe9.xlsx", from an old share) stopped the record with a traceback
    kb = make_kb(tmp_path / "kb")
    form = make_form(tmp_path / "f.xlsx", [ENCRYPTED])
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.xlsx"))
    form.rename(odd)
    code, output = run("fill", odd, "-o", tmp_path / "out.xlsx", "--kb", kb, "--customer", "Acme")
    assert code == 0 and "Traceback" not in output, output
    assert [r["customer"] for r in ledger_json()] == ["Acme"]


def test_review_answers_are_recorded_for_the_fills_customer(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb")
    question = "Is all customer data encrypted while it is stored at rest, and are keys rotated yearly?"
    form = make_form(tmp_path / "f.xlsx", [question])
    out = tmp_path / "f.filled.xlsx"
    assert run("fill", form, "-o", out, "--kb", kb, "--customer", "Acme")[0] == 0
    assert ledger_json() == []  # nothing was written: the row waits for review
    decisions = tmp_path / "d.csv"
    decisions.write_text("sheet,table,row,decision\nSecurity,,2,answer:Yes\n", encoding="utf-8")
    code, output = run("review", out, "--kb", kb, "--decisions", decisions, "--who", "dana")
    assert code == 0, output
    told = ledger_json()
    assert [(r["customer"], r["question"], r["answer"], r["source_kind"]) for r in told] == [
        ("Acme", question, "Yes", "manual")
    ]


def test_a_batch_records_each_published_form_once(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb", text=SOURCE_TEXT)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(3):
        make_form(inbox / f"form{number}.xlsx", [ENCRYPTED, SOC2])
    code, output = run("batch", inbox, "--kb", kb, "--settle", "0", "--customer", "Initech")
    assert code == 0, output
    told = ledger_json()
    assert len(told) == 6 and {r["customer"] for r in told} == {"Initech"}
    assert sorted({r["form"] for r in told}) == ["form0.xlsx", "form1.xlsx", "form2.xlsx"]
    # the database holds one form row per published file
    with sqlite3.connect(os.environ["AUTOFILL_LEDGER"]) as db:
        outputs = [row[0] for row in db.execute("SELECT output FROM forms")]
    assert len(outputs) == len(set(outputs)) == 3 and all(Path(o).parent == inbox / "filled" for o in outputs)


def test_a_sub_folder_of_the_inbox_names_the_customer(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb")
    inbox = tmp_path / "inbox"
    for folder in ("Acme", "Globex Corp"):
        (inbox / folder).mkdir(parents=True)
        make_form(inbox / folder / "security.xlsx", [ENCRYPTED])
    make_form(inbox / "loose.xlsx", [ENCRYPTED])
    code, output = run("batch", inbox, "--kb", kb, "--settle", "0")
    assert code == 0 and "3 form(s) filled" in output, output
    told = sorted((r["customer"], r["form"]) for r in ledger_json())
    assert told == [("Acme", "security.xlsx"), ("Globex Corp", "security.xlsx"), ("unknown", "loose.xlsx")]
    filled = sorted(p.name for p in (inbox / "filled").glob("*.filled.xlsx"))
    assert filled == ["loose.filled.xlsx", "security (2).filled.xlsx", "security.filled.xlsx"]
    assert not list((inbox / "Acme").iterdir()) and not list((inbox / "Globex Corp").iterdir())


def test_an_answer_from_the_library_is_recorded_and_a_newer_one_names_who_was_told(tmp_path: Path) -> None:
    import datetime as dt

    kb = tmp_path / "kb"
    assert run("knowledge", "init", kb, "--empty")[0] == 0
    question = "Do you offer single sign-on?"

    def completed(name: str, answer: str) -> Path:
        wb = openpyxl.Workbook()
        wb.active.title = "Security"
        wb.active.append(["ID", "Question", "Answer", "Comments"])
        wb.active.append(["SSO-1", question, answer, f"{answer}, per our 2026 review."])
        wb.save(tmp_path / name)
        return tmp_path / name

    recent = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    code, output = run("knowledge", "import", completed("first.xlsx", "Yes"), "--kb", kb, "--date", recent)
    assert code == 0, output
    assert run("fill", make_form(tmp_path / "acme.xlsx", [question]), "--kb", kb, "--customer", "Acme")[0] == 0
    (told,) = ledger_json()
    assert (told["customer"], told["answer"], told["source_kind"]) == ("Acme", "Yes", "library")
    assert told["source_id"].startswith("lib-") and told["fingerprint"]

    newer = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    code, output = run("knowledge", "import", completed("second.xlsx", "No"), "--kb", kb, "--date", newer)
    assert code == 0, output
    code, output = run("ledger", "changes", "--kb", kb, "--json")
    assert code == 0, output
    (change,) = json.loads(output)
    assert change["customer"] == "Acme" and change["why"].startswith("superseded by a newer answer")
    assert change["now"].startswith("No")


def test_a_damaged_ledger_is_one_line_and_never_stops_a_fill_or_a_check(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb")
    Path(os.environ["AUTOFILL_LEDGER"]).write_text("not a database", encoding="utf-8")
    code, output = run("ledger")
    assert code == 2 and "is not a ledger database" in output and "Traceback" not in output, output
    out = tmp_path / "out.xlsx"
    code, output = run("fill", make_form(tmp_path / "f.xlsx", [ENCRYPTED]), "-o", out, "--kb", kb)
    assert code == 0 and out.exists() and "Recorded in the ledger" not in output, output
    code, output = run("knowledge", "check", "--kb", kb)
    assert code == 0 and output.startswith("OK:") and "Warning:" in output, output
    code, output = run("ledger", "forget", "--customer", "Acme")  # no one to answer the question
    assert code == 2 and "Error: nothing deleted for 'Acme'" in output, output


def test_review_all_answers_the_rows_left_unflagged_and_keeps_the_answer(tmp_path: Path) -> None:
    # The fill leaves "Do you have a formal incident response plan?" blank and unflagged; with
    # --all a person answers it in review, the form gets it, and the next form is answered from it.
    kb = make_kb(tmp_path / "kb")
    plan = "Do you have a formal incident response plan?"
    form = make_form(tmp_path / "f.xlsx", [ENCRYPTED, plan])
    out = tmp_path / "f.filled.xlsx"
    assert run("fill", form, "-o", out, "--kb", kb, "--customer", "Acme")[0] == 0
    before = openpyxl.load_workbook(out)["Security"]
    assert before["C3"].value is None and before["C3"].fill.fgColor.rgb != "FFFFD8A8"
    decisions = tmp_path / "d.csv"
    decisions.write_text("sheet,table,row,decision\nSecurity,,3,answer:Yes\n", encoding="utf-8")
    code, output = run("review", out, "--kb", kb, "--decisions", decisions)
    assert code == 2 and "not waiting for review" in output, output  # without --all it is not offered
    code, output = run("review", out, "--kb", kb, "--decisions", decisions, "--all", "--who", "dana")
    assert code == 0, output
    after = openpyxl.load_workbook(out)["Security"]
    assert (after["C2"].value, after["C3"].value) == ("Yes", "Yes")
    assert after["C3"].fill.fgColor.rgb == before["C3"].fill.fgColor.rgb  # the customer's style untouched
    assert [(r["customer"], r["question"], r["source_kind"]) for r in ledger_json() if r["question"] == plan] == [
        ("Acme", plan, "manual")
    ]
    code, output = run("fill", make_form(tmp_path / "g.xlsx", [plan]), "-o", tmp_path / "g.out.xlsx", "--kb", kb)
    assert code == 0, output
    assert openpyxl.load_workbook(tmp_path / "g.out.xlsx")["Security"]["C2"].value == "Yes"


def test_review_all_lists_a_far_claim_but_never_offers_it(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb")
    laptops = "Do you encrypt laptops with full disk encryption?"  # near the at-rest claim's words only
    out = tmp_path / "f.filled.xlsx"
    assert run("fill", make_form(tmp_path / "f.xlsx", [laptops]), "-o", out, "--kb", kb)[0] == 0
    decisions = tmp_path / "accept.csv"
    decisions.write_text("sheet,table,row,decision\nSecurity,,2,accept\n", encoding="utf-8")
    code, output = run("review", out, "--kb", kb, "--decisions", decisions, "--all")
    assert code == 2 and "no suggestion to accept" in output, output
    decisions.write_text("sheet,table,row,decision\nSecurity,,2,candidate:1\n", encoding="utf-8")
    code, output = run("review", out, "--kb", kb, "--decisions", decisions, "--all")  # picked by number: written
    assert code == 0 and openpyxl.load_workbook(out)["Security"]["C2"].value == "Yes", output


def test_batch_takes_max_age_for_library_answers(tmp_path: Path) -> None:
    import datetime as dt

    kb = tmp_path / "kb"
    assert run("knowledge", "init", kb, "--empty")[0] == 0
    question = "Do you offer single sign-on?"
    wb = openpyxl.Workbook()
    wb.active.title = "Security"
    wb.active.append(["ID", "Question", "Answer", "Comments"])
    wb.active.append(["SSO-1", question, "Yes", "Through SAML."])
    wb.save(tmp_path / "done.xlsx")
    given = (dt.date.today() - dt.timedelta(days=40)).isoformat()
    assert run("knowledge", "import", tmp_path / "done.xlsx", "--kb", kb, "--date", given)[0] == 0
    for days, expected in (("30", None), ("365", "Yes")):  # 40 days old: stale for a 30-day limit
        inbox = tmp_path / f"inbox-{days}"
        inbox.mkdir()
        make_form(inbox / "form.xlsx", [question])
        code, output = run("batch", inbox, "--kb", kb, "--settle", "0", "--max-age", days)
        assert code == 0, output
        cell = openpyxl.load_workbook(inbox / "filled" / "form.filled.xlsx")["Security"]["C2"].value
        assert cell == expected, (days, cell)


def _record_after(args: tuple[str, int, object]) -> str | None:
    from autofill import ledger

    path, number, barrier = args
    entry = {
        "customer": "Acme",
        "name": f"form{number}.xlsx",
        "input_sha256": "in",
        "output": f"/filled/form{number}.xlsx",
        "output_sha256": f"out{number}",
        "written_at": "2026-12-06T00:00:00+00:00",
        "command": "test",
        "rows": [],
    }
    barrier.wait()  # type: ignore[attr-defined]  # all open the fresh ledger at the same moment
    return ledger.record_entry(entry, Path(path))


def test_workers_opening_a_fresh_ledger_at_once_all_record(tmp_path: Path) -> None:
    # SQLite does not wait for the lock that turns a new database to WAL: without a retry, one
    # of several watchers' workers starting together lost its entry to the pending folder.
    import multiprocessing

    context = multiprocessing.get_context("fork")
    workers = 8
    for attempt in range(10):
        path = tmp_path / f"ledger{attempt}.sqlite"
        with context.Manager() as manager, context.Pool(workers) as pool:
            barrier = manager.Barrier(workers)
            said = pool.map(_record_after, [(str(path), n, barrier) for n in range(workers)])
        assert said == [None] * workers, said
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT count(*) FROM forms").fetchone()[0] == workers
        assert not path.with_name(path.name + ".pending").exists()
