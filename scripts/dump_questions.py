"""Print a labelled file's questions with their label keys and nearest claims, for labelling.

Run: .venv/bin/python scripts/dump_questions.py ../shared/questionnaires/caiq-v4.0.2.xlsx [--grep WORD]
Output stays on the terminal: never commit the licensed question texts.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from autofill.evaluate import read_any
from autofill.knowledge import load_knowledge
from autofill.matching import Matcher

parser = argparse.ArgumentParser()
parser.add_argument("file", type=Path)
parser.add_argument("--grep", help="only questions matching this regular expression")
parser.add_argument("--top", type=int, default=3)
args = parser.parse_args()

matcher = Matcher(load_knowledge())
for question in read_any(args.file):
    if args.grep and not re.search(args.grep, question.text, re.IGNORECASE):
        continue
    key = f"id={question.qid}" if question.qid else f"row={question.location.row}"
    print(f"[{question.location.sheet}] {key} :: {question.text}")
    for candidate in matcher.match(question.text).candidates[: args.top]:
        print(f"      {candidate.confidence:5.1f} {candidate.answer:3} {candidate.claim}  <- {candidate.phrasing}")
