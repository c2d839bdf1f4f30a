"""Measure how much review learning carries over to the next version of a questionnaire.

A simulated reviewer decides every covered question of the earlier versions (HECVAT 3, CAIQ
v3) as labelled in eval/labels.yaml; the later versions (HECVAT 4, CAIQ v4) are then
evaluated with and without those learned answers. The learned file (it holds the licensed
question texts) lives in a temporary folder and is deleted afterwards.

Run: .venv/bin/python scripts/learning_transfer.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from autofill.evaluate import default_labels, default_questionnaires, load_labels, read_any

EARLIER = ("hecvat-full-v3.00-filled-opendsa.xlsx", "caiq-v3.0.1.xlsx")
LATER = ("hecvat-v4.1.4.xlsx", "caiq-v4.0.2.xlsx")


def learned_entries() -> list[dict[str, str]]:
    """An accepted decision for every covered, labelled question of the earlier versions."""
    labels = load_labels(default_labels())
    entries = []
    for name in EARLIER:
        by_id = {q.qid.upper(): q for q in read_any(default_questionnaires() / name) if q.qid}
        for label in labels:
            question = by_id.get((label.qid or "").upper()) if label.file == name and label.claims else None
            if question is not None and label.answer is not None:
                entries.append(
                    {"question": question.text, "qid": question.qid or "", "claim": label.claims[0]}
                    | {"answer": label.answer, "decision": "accept", "who": "simulated", "when": "2026-11-30"}
                )
    return entries


def evaluate(labels: Path, kb: Path) -> str:
    command = [sys.executable, "-m", "autofill", "evaluate", "--labels", str(labels), "--kb", str(kb)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    return next(line for line in done.stdout.splitlines() if line.startswith("covered questions"))


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="autofill-transfer-"))
    try:
        plain, taught = work / "plain", work / "taught"
        for kb in (plain, taught):  # copies of the shipped base, without the user's own learned answers
            command = [sys.executable, "-m", "autofill", "knowledge", "init", str(kb)]
            subprocess.run(command, check=True, capture_output=True)
        entries = learned_entries()
        (taught / "learned.yaml").write_text(yaml.safe_dump({"answers": entries}, sort_keys=False), encoding="utf-8")
        later = work / "later.yaml"
        blocks = yaml.safe_load(default_labels().read_text(encoding="utf-8"))
        later.write_text(yaml.safe_dump([b for b in blocks if b["file"] in LATER], sort_keys=False), encoding="utf-8")
        print(f"{len(entries)} covered questions decided on {', '.join(EARLIER)}")
        print(f"{', '.join(LATER)} without them: {evaluate(later, plain)}")
        print(f"{', '.join(LATER)} with them:    {evaluate(later, taught)}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
