"""Grid-search the matcher's weights on the labelled questions (eval/labels.yaml).

For each setting it finds the lowest auto threshold at which no wrong answer would be written
and counts the covered questions answered correctly there. Run after changing matching.py or
the knowledge base: .venv/bin/python scripts/tune.py [--grid]
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from autofill import matching
from autofill.evaluate import default_questionnaires, load_labels, read_any
from autofill.knowledge import load_knowledge
from autofill.matching import Matcher

ROOT = Path(__file__).resolve().parent.parent


def load_cases() -> list[tuple[str, str | None, tuple[str, ...], str | None]]:
    """(question text, qid, acceptable claims, answer) for every labelled question found."""
    cases = []
    by_file: dict[str, list] = {}
    for label in load_labels(ROOT / "eval" / "labels.yaml"):
        by_file.setdefault(label.file, []).append(label)
    for name, labels in by_file.items():
        questions = list(read_any(default_questionnaires() / name))
        for label in labels:
            for q in questions:
                same = q.qid and label.qid and q.qid.upper() == label.qid.upper()
                if (same and label.sheet in (None, q.location.sheet)) or (
                    not label.qid and q.location.row == label.row
                ):
                    cases.append((q.text, q.qid, label.claims, label.answer))
                    break
    return cases


# The auto threshold must clear the best-scoring wrong answer by this much.
MARGIN = 1.5


def score(cases, kb) -> tuple[int, float, int]:
    """(covered answered correctly at the safe threshold, that threshold, covered total)."""
    matcher = Matcher(kb)
    results = []
    for text, qid, claims, answer in cases:
        best = matcher.match(text, qid).best
        correct = best is not None and best.claim in claims and best.answer == answer
        results.append((best.confidence if best else 0.0, correct, bool(claims)))
    wrong_scores = [s for s, ok, _ in results if not ok]
    threshold = max(wrong_scores, default=0.0) + MARGIN
    answered = sum(1 for s, ok, covered in results if ok and covered and s >= threshold)
    return answered, threshold, sum(1 for *_, c in results if c)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    kb = load_knowledge()
    cases = load_cases()
    print(f"{len(cases)} labelled questions")
    base = dict(matching.WEIGHTS)
    print("current", base, score(cases, kb))
    if not args.grid:
        return
    grid = {
        "generic": [0.15, 0.4, 0.8],
        "beta": [0.7, 1.0, 1.5],
        "fuzzy": [0.1, 0.25],
        "control": [10.0, 20.0],
        "strict": [0.0, 0.3],
    }
    best = None
    for values in itertools.product(*grid.values()):
        matching.WEIGHTS.update(base)
        matching.WEIGHTS.update(dict(zip(grid, values, strict=True)))
        result = score(cases, kb)
        if best is None or result[0] > best[0][0]:
            best = (result, dict(matching.WEIGHTS))
            print(result, best[1], flush=True)
    print("best", best)


if __name__ == "__main__":
    main()
