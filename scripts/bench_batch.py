"""Throughput of `autofill batch`: generate small forms, fill them with --jobs 1 and --jobs 2, print forms/s.

Run: python scripts/bench_batch.py [--forms 100] [--questions 50] [--jobs 1 2] [--settle 0] [--repeat 1]

Each form mixes phrasings from the shipped knowledge base (rotated, so forms differ) with questions
it does not cover. Times are wall-clock for the whole command: start-up, knowledge base load,
worker start-up, settle wait and filling. The forms are generated once and copied in for each run;
with --repeat, the best of the runs is shown (the others measure whatever else the machine was doing).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
UNCOVERED = [
    "Describe your physical security controls for office {n}.",
    "Who is the named contact for vendor risk item {n}?",
    "List the subprocessors used for service line {n}.",
]


def questions() -> list[str]:
    """Phrasings from the shipped knowledge base: questions that can be answered."""
    sys.path.insert(0, str(ROOT))
    from autofill.knowledge import load_knowledge

    return [phrasing.q for claim in load_knowledge().claims if claim.current for phrasing in claim.questions]


def make_forms(folder: Path, count: int, per_form: int) -> None:
    known = questions()
    for number in range(count):
        wb = Workbook()
        ws = wb.active
        ws.append(["ID", "Question", "Answer", "Comments"])
        for row in range(per_form):
            if row % 5 == 4:  # one question in five is not in the knowledge base
                text = UNCOVERED[row % len(UNCOVERED)].format(n=row)
            else:
                text = known[(number * per_form + row) % len(known)]
            ws.append([f"Q-{row + 1}", text, "", ""])
        wb.save(folder / f"vendor-{number:03}.xlsx")


def run(forms: Path, jobs: int, settle: float) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        inbox = Path(tmp) / "inbox"
        shutil.copytree(forms, inbox)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "autofill", "batch", str(inbox), "--jobs", str(jobs), "--settle", str(settle)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        filled = len(list((inbox / "processed").iterdir()))
        expected = len(list(forms.iterdir()))
        if done.returncode != 0 or filled != expected:
            sys.exit(f"batch failed ({filled}/{expected} filled):\n{done.stdout}\n{done.stderr}")
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=100)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--settle", type=float, default=0.0, help="--settle for batch (0: measure filling only)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per --jobs value; the best is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-forms-") as tmp:
        forms = Path(tmp)
        make_forms(forms, args.forms, args.questions)
        print(f"{args.forms} forms x {args.questions} questions, settle {args.settle:g} s")
        for jobs in args.jobs:
            seconds = min(run(forms, jobs, args.settle) for _ in range(args.repeat))
            print(f"--jobs {jobs}: {seconds:6.1f} s total, {args.forms / seconds:5.1f} forms/s")


if __name__ == "__main__":
    main()
