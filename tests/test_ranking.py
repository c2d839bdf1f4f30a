"""Suggestions worth a person's time: ordered by meaning, noise left unflagged, nothing new written.

Real forms built in tmp_path, the shipped knowledge base and the real CLI; the embedding model
is the one shipped inside its wheel.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
from typer.testing import CliRunner

from autofill.cli import app
from autofill.fill import FillOptions, _Decider
from autofill.forms import format_for
from autofill.knowledge import load_knowledge
from autofill.matching import Matcher
from autofill.models import ReadOptions

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _fill(tmp_path: Path, questions: list[str]) -> tuple[dict[str, dict[str, Any]], Path]:
    """Fill a Yes/No workbook of `questions` with the shipped base: each question's report row, and the output."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Security"
    ws.append(["ID", "Question", "Answer", "Comments"])
    for number, question in enumerate(questions, start=1):
        ws.append([f"Q{number}", question, None, None])
    form, out, report = tmp_path / "form.xlsx", tmp_path / "form.filled.xlsx", tmp_path / "report.json"
    wb.save(form)
    result = runner.invoke(app, ["fill", str(form), "-o", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    rows = json.loads(report.read_text(encoding="utf-8"))["questions"]
    return {row["question"]: row for row in rows}, out


def _answer_cells(out: Path) -> list[object]:
    return [row[2].value for row in openpyxl.load_workbook(out).active.iter_rows(min_row=2)]


def test_claims_near_in_meaning_join_the_first_three_suggestions(tmp_path: Path) -> None:
    # No telling word shared with the security-experts claim (HECVAT PPPR-04's labelled answer):
    # by words alone it was not among the suggestions at all.
    question = "Are information security principles designed into the product lifecycle?"
    rows, out = _fill(tmp_path, [question])
    row = rows[question]
    first_three = [(c["claim"], c["answer"]) for c in row["candidates"][:3]]
    assert ("testing-security-experts", "Yes") in first_three, row
    assert row["status"] != "answered" and _answer_cells(out) == [None]


def test_suggestions_far_in_meaning_are_left_for_a_person_not_flagged(tmp_path: Path) -> None:
    # Issue 10: a "No" from "we don't train on your data by default", and one from a claim about
    # who may read conversations, were offered for review.
    far = [
        "Do you limit your solution's LLM privileges by default?",
        "Are datacenter personnel trained to respond to unauthorized access?",
    ]
    # half of it is what a claim says: worth a look, with the half nobody covers named
    near = "Do you encrypt data at rest and in transit, and rotate encryption keys yearly?"
    rows, out = _fill(tmp_path, [*far, near])
    for question in far:
        row = rows[question]
        assert row["status"] == "unanswered", row
        # left by the words the claim does not speak of, by its distance in meaning, or because no
        # phrasing that reads as the question does (another thing: personnel, not conversations)
        reasons = ("does not speak of", "left for a person, not flagged", "no claim in the knowledge base answers")
        assert any(reason in row["note"] for reason in reasons), row
        assert row["candidates"], row
    assert rows[near]["status"] == "review", rows[near]
    assert "not covered by the knowledge base: 'rotate encryption keys yearly'" in rows[near]["note"]
    assert _answer_cells(out) == [None, None, None]


def test_meaning_never_changes_a_written_answer(tmp_path: Path) -> None:
    sample = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"
    questions = format_for(sample).read_questions(sample, ReadOptions()).questions
    kb = load_knowledge()
    decider = _Decider(Matcher(kb), kb, FillOptions(overwrite=True))
    ordered = [decider.decide(q) for q in questions]
    by_words = [decider._decide_from_claims(q, q.text) for q in questions]
    answered = [(o.question.text, o.claim, o.answer, o.value) for o in ordered if o.status == "answered"]
    assert answered == [(o.question.text, o.claim, o.answer, o.value) for o in by_words if o.status == "answered"]
    assert len(answered) >= 5
    # and rows not answered do get their suggestions reordered somewhere in the sample
    assert any(a.candidates != b.candidates for a, b in zip(ordered, by_words, strict=True))


def test_help_does_not_load_the_embedding_model() -> None:
    code = "import sys, autofill.cli, autofill.fill; print(sorted({'wordllama', 'numpy'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_claim_that_leaves_the_question_unsaid_is_not_suggested_first(tmp_path: Path) -> None:
    # Near in meaning to how models are trained, it speaks of neither certifications nor audits:
    # the first suggestion must be a claim that speaks of more of what is asked.
    question = "Do you publish which certifications and attestations you hold?"
    rows, out = _fill(tmp_path, [question])
    candidates = rows[question]["candidates"]
    matcher = Matcher(load_knowledge())
    unsaid = [len(matcher.uncovered(question, c["claim"])) for c in candidates]
    assert candidates[0]["claim"] != "training-two-stage-process", candidates
    assert unsaid[0] == min(unsaid), list(zip([c["claim"] for c in candidates], unsaid, strict=True))
    assert _answer_cells(out) == [None]


def _suggested(row: dict[str, Any], claim: str) -> str | None:
    return next((c["answer"] for c in row["candidates"] if c["claim"] == claim), None)


def test_an_answer_the_words_did_not_settle_comes_from_the_phrasing_nearest_in_meaning(tmp_path: Path) -> None:
    # Two shared words chose the claims' Yes phrasings, below the review band; the questions ask
    # the opposite, as the claims' "No" phrasings do ("... sent unencrypted?").
    opposite = {
        "Is transmitted data sent in clear text?": "encryption-in-transit",
        "Is customer content saved to disk in unencrypted form?": "encryption-at-rest",
    }
    rows, out = _fill(tmp_path, list(opposite))
    for question, claim in opposite.items():
        row = rows[question]
        assert _suggested(row, claim) == "No", row["candidates"]
        assert row["status"] != "answered", row
    assert _answer_cells(out) == [None, None]


def test_meaning_does_not_turn_an_answer_the_words_guarded(tmp_path: Path) -> None:
    # Another number, frequency or party than the claim's: the nearest phrasing's "Yes" (erased,
    # tested, reported) would be wrong, so the words' choice stands.
    guarded = {
        "Are deleted ChatGPT Team chats erased within 48 hours?": "deletion-team-conversations-30-days",
        "Is the API penetration tested every month?": "testing-pentest-annual",
        "Does your datacenter provider have a SOC 2 Type 2 report?": "cert-soc2-type2",
    }
    rows, out = _fill(tmp_path, list(guarded))
    for question, claim in guarded.items():
        row = rows[question]
        # offered to a person only from review; a row left unanswered offers nothing
        assert row["status"] in ("review", "unanswered"), row
        if row["status"] == "review":
            assert _suggested(row, claim) in (None, "No"), row["candidates"]
    assert _answer_cells(out) == [None, None, None]


def test_the_claim_a_review_row_offers_keeps_its_answer_among_the_suggestions() -> None:
    # A compound question can be offered for review from a clause's claim whose whole-question
    # words are weak: the answer offered and the one listed for that claim must agree.
    from autofill.ranking import Ranker

    question = "Is transmitted data sent in clear text?"
    matcher = Matcher(load_knowledge())
    candidates = matcher.match(question).candidates
    words = next(c.answer for c in candidates if c.claim == "encryption-in-transit")
    ranker = Ranker(matcher)
    listed = {c.claim: c.answer for c in ranker.order(question, candidates, 50.0)}
    kept = {c.claim: c.answer for c in ranker.order(question, candidates, 50.0, keep="encryption-in-transit")}
    assert (words, listed["encryption-in-transit"], kept["encryption-in-transit"]) == ("Yes", "No", "Yes")
