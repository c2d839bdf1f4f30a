"""Measure answers against labelled real questions: correct, wrong, sent to review, missed.

Labels (eval/labels.yaml) name a file in the questionnaires folder and, per question, its
sheet and id (or row), the claim that answers it (or null: not covered) and the answer. They
never copy the licensed question texts.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autofill.errors import AutofillError
from autofill.fill import FillOptions, decide_all
from autofill.knowledge import parse_answer
from autofill.models import FormQuestion, KnowledgeBase, Location, Outcome, ReadOptions


@dataclass(frozen=True)
class Label:
    file: str
    sheet: str | None
    qid: str | None
    row: int | None
    claims: tuple[str, ...]  # empty: not covered by the knowledge base
    answer: str | None


@dataclass
class Tally:
    correct: int = 0  # covered, and the right answer was written
    wrong_covered: int = 0  # covered, but another answer or claim was written
    wrong_uncovered: int = 0  # not covered, yet an answer was written
    review: int = 0  # covered, sent to review
    missed: int = 0  # covered, left unanswered
    left: int = 0  # not covered, and nothing was written
    unfound: int = 0  # the label names a question the reader did not find
    first: int = 0  # covered, and the right claim and answer is the first suggestion
    top3: int = 0  # covered, and the right claim and answer is among the first three suggestions
    uncovered_review: int = 0  # not covered, yet highlighted for review (a row a person must dismiss)
    wrong_rows: list[str] = field(default_factory=list)

    @property
    def wrong(self) -> int:
        return self.wrong_covered + self.wrong_uncovered

    @property
    def covered(self) -> int:
        return self.correct + self.wrong_covered + self.review + self.missed

    @property
    def uncovered(self) -> int:
        return self.left + self.wrong_uncovered

    def add(self, other: Tally) -> None:
        for name in (
            "correct",
            "wrong_covered",
            "wrong_uncovered",
            "review",
            "missed",
            "left",
            "unfound",
            "first",
            "top3",
            "uncovered_review",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.wrong_rows.extend(other.wrong_rows)


def load_labels(path: Path) -> list[Label]:
    """Read the labels file; each entry names its file and questions."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise AutofillError(f"{path}: cannot read the labels ({error}); check the file") from None
    labels: list[Label] = []
    for block in data or []:
        for item in block.get("questions", []):
            claim = item.get("claim")
            claims = tuple(claim) if isinstance(claim, list) else (() if claim is None else (claim,))
            labels.append(
                Label(
                    file=block["file"],
                    sheet=item.get("sheet", block.get("sheet")),
                    qid=str(item["id"]) if item.get("id") is not None else None,
                    row=item.get("row"),
                    claims=claims,
                    answer=parse_answer(item.get("answer")),
                )
            )
    return labels


def evaluate(labels: list[Label], folder: Path, kb: KnowledgeBase, options: FillOptions) -> dict[str, Tally]:
    """Decide every labelled file's questions and tally them against the labels, per file."""
    results: dict[str, Tally] = {}
    by_file: dict[str, list[Label]] = {}
    for label in labels:
        by_file.setdefault(label.file, []).append(label)
    for name, file_labels in by_file.items():
        path = folder / name
        if not path.exists():
            raise AutofillError(f"{path} not found; pass --questionnaires DIR (the folder of labelled files)")
        questions = list(read_any(path))
        outcomes = decide_all(questions, kb, options)
        results[name] = _tally(file_labels, outcomes)
    return results


def _tally(labels: list[Label], outcomes: list[Outcome]) -> Tally:
    tally = Tally()
    index: dict[tuple[str | None, str], Outcome] = {}
    for outcome in outcomes:
        q = outcome.question
        if q.qid:
            index.setdefault((q.location.sheet, q.qid.upper()), outcome)
            index.setdefault((None, q.qid.upper()), outcome)
        index.setdefault((q.location.sheet, f"row:{q.location.row}"), outcome)
    for label in labels:
        key = label.qid.upper() if label.qid else f"row:{label.row}"
        found = index.get((label.sheet, key)) or index.get((None, key))
        where = f"{label.file} {label.sheet or ''} {label.qid or label.row}".replace("  ", " ")
        if found is None:
            tally.unfound += 1
            continue
        outcome = found
        written = outcome.status == "answered"
        if label.claims:
            place = _place(label, outcome)
            tally.first += place == 0
            tally.top3 += place < 3
        elif outcome.status == "review":
            tally.uncovered_review += 1
        if not label.claims:
            if written:
                tally.wrong_uncovered += 1
                tally.wrong_rows.append(f"{where}: not covered, but wrote {outcome.answer} from '{outcome.claim}'")
            else:
                tally.left += 1
        elif written and outcome.answer == label.answer and outcome.claim in label.claims:
            tally.correct += 1
        elif written:
            tally.wrong_covered += 1
            tally.wrong_rows.append(
                f"{where}: expected {label.answer} from {'/'.join(label.claims)}, "
                f"wrote {outcome.answer} from '{outcome.claim}'"
            )
        elif outcome.status == "review":
            tally.review += 1
        else:
            tally.missed += 1
    return tally


def _place(label: Label, outcome: Outcome) -> int:
    """Where the right claim and answer stands among the row's suggestions (0: first); large when absent."""
    for place, candidate in enumerate(outcome.candidates):
        if candidate.claim in label.claims and candidate.answer == label.answer:
            return place
    return len(outcome.candidates) + 1


# --- reading any labelled file ---------------------------------------------------------------


def read_any(path: Path) -> Iterator[FormQuestion]:
    """Questions of a form, or of a question list (.csv, VSAQ .json) that has no answer cells."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _read_csv(path)
    elif suffix == ".json":
        yield from _read_vsaq(path)
    else:
        from autofill.forms import format_for

        yield from format_for(path).read_questions(path, ReadOptions()).questions


def _read_csv(path: Path) -> Iterator[FormQuestion]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            text = (row.get("Question Text") or row.get("Question") or "").strip()
            if text:
                qid = (row.get("Question ID") or row.get("ID") or "").strip() or None
                yield FormQuestion(Location(row=number, cell=f"row {number}"), text, qid=qid)


def _read_vsaq(path: Path) -> Iterator[FormQuestion]:
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"^\s*//.*$", "", raw, flags=re.MULTILINE)  # VSAQ files open with // comments
    raw = re.sub(r'"\s*\+\s*\n\s*"', "", raw)  # and join long strings with JavaScript "+"
    data = json.loads(raw)
    number = 0
    for item in _walk(data.get("questionnaire", [])):
        if item.get("type") in ("radiogroup", "checkgroup", "line", "box") and item.get("text"):
            number += 1
            text = re.sub(r"<[^>]+>", " ", item["text"])
            yield FormQuestion(
                Location(row=number, cell=str(item.get("id"))), " ".join(text.split()), qid=item.get("id")
            )


def _walk(items: list[Any]) -> Iterator[dict[str, Any]]:
    for item in items:
        if isinstance(item, dict):
            yield item
            yield from _walk(item.get("items", []))


def default_labels() -> Path:
    return Path(__file__).resolve().parent.parent / "eval" / "labels.yaml"


def default_questionnaires() -> Path:
    import os

    shared = os.environ.get("AUTOFILL_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parent.parent.parent / "shared"
    return base / "questionnaires"


# The bar: nothing wrong written, most covered questions answered, uncovered ones left alone.
MIN_COVERED_ANSWERED = 0.85
MIN_UNCOVERED_LEFT = 0.95


def passes(total: Tally) -> bool:
    answered = total.correct / total.covered if total.covered else 1.0
    left = total.left / total.uncovered if total.uncovered else 1.0
    return total.wrong == 0 and answered >= MIN_COVERED_ANSWERED and left >= MIN_UNCOVERED_LEFT
