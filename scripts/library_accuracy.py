"""How well the answer library reuses a team's completed questionnaires (README "Accuracy").

Run: .venv/bin/python scripts/library_accuracy.py [--shared ../shared]

(a) same family: import the filled CAIQ v4.0.3, fill the blank CAIQ v4.0.2; every question the
    filled file answered should be answered with that answer, SSRM ownership and description beside it.
(b) next version: import the filled HECVAT 3.00, fill the blank HECVAT 4.1.4; compare with the
    labels in eval/library-hecvat.yaml (which v3 question asks the same thing as each v4 one, or none).
Both run the real CLI into a temporary knowledge base, with the answers dated 30 days ago (the
filled files themselves are older than the one-year maximum age, which would send all to review).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import yaml

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str | Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "autofill", *map(str, args)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode:
        raise SystemExit(f"autofill {' '.join(map(str, args))} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def fill_from(filled: Path, blank: Path, work: Path) -> tuple[Path, list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Import `filled` into a new library and fill `blank`: (output, report questions, entries by id)."""
    kb = work / "kb"
    cli("knowledge", "init", kb, "--empty")
    date = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    cli("knowledge", "import", filled, "--kb", kb, "--date", date)
    out, report = work / f"out{blank.suffix}", work / "report.json"
    cli("fill", blank, "--kb", kb, "-o", out, "--report", report)
    entries = json.loads(cli("knowledge", "list", "--library", "--json", "--kb", kb))
    return out, json.loads(report.read_text())["questions"], {e["id"]: e for e in entries}


def same_family(shared: Path) -> None:
    filled, blank = shared / "caiq-v4.0.3-filled-whitepact.xlsx", shared / "caiq-v4.0.2.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        out, questions, _ = fill_from(filled, blank, Path(tmp))
        given = openpyxl.load_workbook(filled)["CAIQv4.0.3"]
        want = {r[0]: r[2:5] for r in given.iter_rows(min_row=3, max_row=263, values_only=True) if r[2]}
        got = {r[0]: r[2:5] for r in openpyxl.load_workbook(out)["CAIQv4.0.2"].iter_rows(min_row=3, values_only=True)}
    status = {q["id"]: q["status"] for q in questions}
    same = sum(1 for qid, w in want.items() if got.get(qid, (None,))[0] == w[0])
    differ = sum(1 for qid, w in want.items() if got.get(qid, (None,))[0] not in (None, w[0]))
    owner = sum(1 for qid, w in want.items() if got.get(qid, (None, None))[1] == w[1] and w[1])
    described = sum(1 for qid, w in want.items() if w[2] and (got.get(qid) or (0, 0, ""))[2] == str(w[2]).strip())
    review = [qid for qid in want if status.get(qid) == "review"]
    print(f"(a) CAIQ v4.0.3 filled -> v4.0.2 blank: {len(want)} answered in the filled file")
    print(f"    answered with that answer: {same} ({100 * same / len(want):.1f} %), with another answer: {differ}")
    print(f"    review: {len(review)} {review}; SSRM ownership filled: {owner}; description filled: {described}")


def next_version(shared: Path) -> None:
    labels = yaml.safe_load((ROOT / "eval" / "library-hecvat.yaml").read_text())
    filled, blank = shared / labels["v3"], shared / labels["v4"]
    with tempfile.TemporaryDirectory() as tmp:
        _, questions, entries = fill_from(filled, blank, Path(tmp))
    by_id: dict[str, dict[str, Any]] = {}
    for q in questions:
        by_id.setdefault(q["id"], q)  # GNRL and REQU repeat on several tabs: the first one counts
    in_library = {e["qid"]: e for e in entries.values()}
    counts: Counter[str] = Counter()
    wrong, missed = [], []
    for v4, v3 in labels["same"].items():
        q = by_id.get(v4)
        if q is None:
            counts["not read (formula answer cell)"] += 1
            continue
        entry = entries.get(q["claim"] or "")
        if v3 == "none" or v3 not in in_library:
            kind = "no equivalent" if v3 == "none" else "equivalent unanswered in v3"
            if q["status"] == "answered":
                counts[f"{kind}: answered (wrong)"] += 1
                wrong.append((v4, entry and entry["qid"]))
            else:
                counts[f"{kind}: not answered ({q['status']})"] += 1
            continue
        right = entry is not None and entry["qid"] == v3
        if q["status"] == "answered":
            counts["equivalent: answered correctly" if right else "equivalent: answered wrongly"] += 1
            if not right:
                wrong.append((v4, entry and entry["qid"]))
        elif q["status"] == "review" and right:
            counts["equivalent: review with the right suggestion"] += 1
        else:
            counts["equivalent: missed"] += 1
            missed.append(v4)
    print(f"(b) HECVAT 3.00 filled -> HECVAT 4.1.4 blank: {len(labels['same'])} labelled questions")
    for key, value in sorted(counts.items()):
        print(f"    {key}: {value}")
    print(f"    wrong: {len(wrong)} {wrong}")
    print(f"    missed: {missed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    shared = parser.parse_args().shared / "questionnaires"
    same_family(shared)
    next_version(shared)


if __name__ == "__main__":
    main()
