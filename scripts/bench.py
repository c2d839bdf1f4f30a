"""Benchmark `autofill fill` on generated forms against the library's own load+save.

Run: .venv/bin/python scripts/bench.py [--sizes 300,1000,10000] [--docx-sizes 300,2000] [--repeat 5]

Each form is timed INTERLEAVED with its baseline (fill, load+save, fill, load+save, ...), so
both see the same load on a shared machine and their ratio means something; each figure is the
median of the runs. CPU time is user+system of the whole process and the workers it forked
(from wait4); wall time is what a user waits for; peak memory is the largest max RSS of any run.
Forms: ID | Question (~150 chars) | Answer with a Yes/No/N/A dropdown | Comments; the Word form
is the same as a four-column table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SUBJECTS = [
    "customer data at rest",
    "data in transit over public networks",
    "customer inputs and outputs",
    "API request logs",
    "model training data",
    "administrator accounts",
    "backup media",
    "encryption keys",
    "production databases",
    "endpoint devices",
    "third-party subprocessors",
    "audit logs",
    "source code repositories",
    "the incident response plan",
    "penetration test results",
]
VERBS = [
    "Do you encrypt",
    "Is there a documented policy covering",
    "Do you retain",
    "Do you monitor",
    "Do you restrict access to",
    "Are independent audits performed on",
    "Do you delete",
    "Do you back up",
    "Is multi-factor authentication required for",
    "Do you use",
]
TAILS = [
    "and is this reviewed at least annually by management with evidence retained for audit purposes?",
    "in accordance with industry standards such as ISO 27001, SOC 2 or NIST SP 800-53 controls?",
    "for all production environments, including those operated by cloud service providers on your behalf?",
    "with results reported to customers on request under a non-disclosure agreement?",
]


QUALIFIERS = [
    "in the EU region",
    "for the mobile app",
    "at the disaster recovery site",
    "for contractors",
    "during onboarding",
    "for privileged users",
    "in the staging environment",
    "for payment data",
    "for health records",
    "for student records",
    "for the analytics pipeline",
    "for support tickets",
    "in shared file storage",
    "for the data warehouse",
    "for the public website",
    "for internal tools",
    "for the CI/CD pipeline",
    "in log archives",
    "for machine learning features",
    "for customer exports",
]


def question(rng: random.Random, number: int) -> str:
    """A unique question of ~150 characters, like a real questionnaire row."""
    combos = len(VERBS) * len(SUBJECTS) * len(TAILS) * len(QUALIFIERS)
    n = (number * 7919) % combos  # a different combination for every row up to `combos`
    verb, n = VERBS[n % len(VERBS)], n // len(VERBS)
    subject, n = SUBJECTS[n % len(SUBJECTS)], n // len(SUBJECTS)
    qualifier, n = QUALIFIERS[n % len(QUALIFIERS)], n // len(QUALIFIERS)
    tail = TAILS[n % len(TAILS)]
    return f"{verb} {subject} {qualifier} {tail}"


def make_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    rng = random.Random(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "Questionnaire"
    ws.append(["ID", "Question", "Answer", "Comments"])
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    ws.add_data_validation(validation)
    for number in range(1, rows + 1):
        ws.append([f"Q-{number:05d}", question(rng, number), None, None])
    validation.add(f"C2:C{rows + 1}")
    wb.save(path)


def make_docx(path: Path, rows: int) -> None:
    from docx import Document

    rng = random.Random(rows)
    document = Document()
    document.add_heading("Vendor security questionnaire", 1)
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ("ID", "Question", "Answer", "Comments"), strict=True):
        cell.text = text
    for number in range(1, rows + 1):
        cells = table.add_row().cells
        cells[0].text = f"Q-{number:05d}"
        cells[1].text = question(rng, number)
    document.save(str(path))


# As a user runs it: with compiled bytecode cached (a warm-up round writes it), whatever the shell says.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user+system seconds, the process and its reaped children
    peak: float  # max RSS, MiB


def timed(command: list[str]) -> Run:
    """One process: its wall time, CPU time and peak memory (from wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_ENV)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode() if process.stderr else ''}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


@dataclass(frozen=True)
class Figure:
    wall: float  # median seconds
    cpu: float  # median seconds
    peak: float  # largest MiB


def interleaved(commands: list[list[str]], repeat: int) -> list[Figure]:
    """Run the commands in turn, `repeat` rounds after a warm-up one; each one's medians and largest peak."""
    for command in commands:
        timed(command)  # bytecode and the knowledge-base cache written, files in the page cache
    runs: list[list[Run]] = [[] for _ in commands]
    for _ in range(repeat):
        for command, done in zip(commands, runs, strict=True):
            done.append(timed(command))
    return [
        Figure(
            statistics.median(r.wall for r in done),
            statistics.median(r.cpu for r in done),
            max(r.peak for r in done),
        )
        for done in runs
    ]


OPENPYXL_ROUND_TRIP = "import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1]); wb.save(sys.argv[2])"
DOCX_ROUND_TRIP = "import docx,sys; d=docx.Document(sys.argv[1]); d.save(sys.argv[2])"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000,10000")
    parser.add_argument("--docx-sizes", default="300,2000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    autofill = [sys.executable, "-m", "autofill"]
    print(
        "| form | baseline: wall / CPU / peak | `autofill fill`: wall / CPU / peak | ratio wall | ratio CPU |\n"
        "|---|---:|---:|---:|---:|",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # a ledger of the bench's own, and a plain install's behaviour (no optional meaning model)
        _ENV["AUTOFILL_LEDGER"] = str(work / "ledger.sqlite")
        _ENV.setdefault("AUTOFILL_MEANING", "0")
        python, help_ = interleaved([[sys.executable, "-c", "pass"], [*autofill, "--help"]], max(args.repeat, 9))
        print(
            f"| `autofill --help` | python -c pass {python.wall:.3f} s / {python.cpu:.3f} s | "
            f"{help_.wall:.3f} s / {help_.cpu:.3f} s / {help_.peak:.0f} MiB | | |",
            flush=True,
        )
        for kind, sizes, make, round_trip in (
            ("xlsx", args.sizes, make_xlsx, OPENPYXL_ROUND_TRIP),
            ("docx", args.docx_sizes, make_docx, DOCX_ROUND_TRIP),
        ):
            for size in (int(s) for s in sizes.split(",") if s):
                form = work / f"form-{size}.{kind}"
                make(form, size)
                fill, base = interleaved(
                    [
                        [*autofill, "fill", str(form), "-o", str(work / f"out.{kind}")],
                        [sys.executable, "-c", round_trip, str(form), str(work / f"rt.{kind}")],
                    ],
                    args.repeat,
                )
                library = "openpyxl" if kind == "xlsx" else "python-docx"
                print(
                    f"| {kind}, {size:,} questions | {library} {base.wall:.2f} s / {base.cpu:.2f} s / "
                    f"{base.peak:.0f} MiB | {fill.wall:.2f} s / {fill.cpu:.2f} s / {fill.peak:.0f} MiB | "
                    f"{fill.wall / base.wall:.2f}x | {fill.cpu / base.cpu:.2f}x |",
                    flush=True,
                )
        # what the ledger and the optional meaning model add to a 1,000-question fill, each timed
        # interleaved with the same fill without it
        form = work / "form-1000.xlsx"
        if not form.exists():
            make_xlsx(form, 1000)
        fill = [*autofill, "fill", str(form), "-o", str(work / "out.xlsx")]
        ledger = f"AUTOFILL_LEDGER={work / 'ledger.sqlite'}"
        for what, off, on in (
            ("recording in the ledger", "AUTOFILL_LEDGER=off", ledger),
            ("meaning model", "AUTOFILL_MEANING=0", "AUTOFILL_MEANING=1"),
        ):
            plain, extra = ["env", off], ["env", on]
            without, with_ = interleaved([[*plain, *fill], [*extra, *fill]], args.repeat)
            print(
                f"| xlsx, 1,000 questions: {what} | without {without.wall:.2f} s / {without.cpu:.2f} s | "
                f"with {with_.wall:.2f} s / {with_.cpu:.2f} s / {with_.peak:.0f} MiB | "
                f"{with_.wall / without.wall:.2f}x | {with_.cpu / without.cpu:.2f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
