"""Fill time with a 2,000-entry answer library against the same base without one (README "Speed").

Run: .venv/bin/python scripts/library_speed.py [--entries 2000] [--rows 300] [--repeat 5]

Both bases are copies of the shipped one; the second also holds a library imported (through
the CLI) from a generated questionnaire of `--entries` answered questions. Two forms are filled:
one whose `--rows` questions are none in the library (the cost of looking), one with half of
them in it (reworded only in case; those are answered, so that fill also writes more). Each
number is the fastest wall (and CPU) time of a whole `autofill fill` process over `--repeat`
runs, after a warm-up run that builds the disk cache, as a user's second fill would find it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
SUBJECTS = """customer data at rest|backups of production databases|administrator accounts|API request logs|
encryption keys|source code repositories|endpoint devices|audit logs|third-party subprocessors|
the incident response plan|penetration test results|employee laptops|network firewalls|
model training data|support tickets|payment card data|mobile applications|cloud storage buckets""".split("|")
VERBS = """Do you encrypt|Do you monitor|Do you review access to|Do you back up|Do you log changes to|
Do you restrict access to|Do you test|Do you document|Do you classify|Do you retain|Do you scan|
Do you audit""".split("|")
TAILS = """at least annually|on a quarterly basis|with automated tooling|under a documented policy|
before each release|using role-based access control|with multi-factor authentication|
in every region|within 24 hours|by an independent assessor""".split("|")


def questions(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < count:
        words = (rng.choice(VERBS).strip(), rng.choice(SUBJECTS).strip(), rng.choice(TAILS).strip())
        seen[f"{words[0]} {words[1]} {words[2]} (control {rng.randint(1, 999)})?"] = None
    return list(seen)


def workbook(path: Path, rows: list[tuple[str, str | None]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Security"
    sheet.append(["ID", "Question", "Answer", "Comments"])
    for number, (question, answer) in enumerate(rows, start=1):
        sheet.append([f"Q-{number}", question, answer, "Our policy covers it." if answer else None])
    book.save(path)


def cli(*args: str | Path) -> tuple[float, float]:
    """Run autofill: (wall seconds, CPU seconds of the process; the latter barely moves with machine load)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "autofill", *map(str, args)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"autofill {' '.join(map(str, args))} failed:\n{done.stdout}{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return time.perf_counter() - started, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")
        library = questions(options.entries, seed=1)
        filled = work / "filled.xlsx"
        workbook(filled, [(q, "Yes" if n % 3 else "No") for n, q in enumerate(library)])
        novel = questions(options.rows, seed=2)
        forms = {
            "none of its questions in the library": [(q, None) for q in novel],
            "half of them in the library (reworded)": [
                *((q.replace("Do you", "Do You"), None) for q in library[: options.rows // 2]),
                *((q, None) for q in novel[: options.rows - options.rows // 2]),
            ],
        }
        plain, with_library = work / "plain", work / "library"
        cli("knowledge", "init", plain)
        cli("knowledge", "init", with_library)
        date = (dt.date.today() - dt.timedelta(days=10)).isoformat()
        cli("knowledge", "import", filled, "--kb", with_library, "--date", date)
        bases = {"without a library": plain, f"with {options.entries} entries": with_library}
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for name, rows in forms.items():
            form = work / "form.xlsx"
            workbook(form, rows)
            for kb in bases.values():
                cli("fill", form, "--kb", kb, "-o", work / "out.xlsx")  # warm-up: builds the disk cache
            for _ in range(options.repeat):  # interleaved, so machine load falls on both alike
                for label, kb in bases.items():
                    times.setdefault((name, label), []).append(cli("fill", form, "--kb", kb, "-o", work / "out.xlsx"))
    print(f"{options.rows}-question forms, fastest of {options.repeat} runs (wall time; CPU time):")
    for name in forms:
        print(f"  {name}:")
        base = [min(t[i] for t in times[(name, "without a library")]) for i in (0, 1)]
        for label in bases:
            wall, cpu = (min(t[i] for t in times[(name, label)]) for i in (0, 1))
            print(
                f"    {label}: {wall:.2f} s ({100 * (wall / base[0] - 1):+.0f} %); "
                f"CPU {cpu:.2f} s ({100 * (cpu / base[1] - 1):+.0f} %)"
            )


if __name__ == "__main__":
    main()
