"""Fill a form: read its questions, decide each one against the knowledge base, write, verify."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from autofill.choices import match_choice
from autofill.errors import AutofillError, FormError
from autofill.forms import format_for
from autofill.knowledge import quote_in_source
from autofill.matching import Matcher, MatchResult
from autofill.models import (
    Answer,
    Candidate,
    Citation,
    Claim,
    FillReport,
    FormQuestion,
    KnowledgeBase,
    Outcome,
    ReadOptions,
    Status,
)
from autofill.ranking import Ranker
from autofill.reading import KIND_WANTS, Reading, read_question

# Tuned on the labelled real questions (`autofill evaluate`); see README "Accuracy".
AUTO_THRESHOLD = 80.0
REVIEW_THRESHOLD = 50.0
# A compound question scoring below this as a whole is not split into clauses.
COMPOUND_FLOOR = 25.0
# Two claims this close that disagree leave the choice to a person.
AMBIGUITY_MARGIN = 6.0

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FillOptions:
    product: str | None = None
    overwrite: bool = False
    read: ReadOptions = field(default_factory=ReadOptions)
    citations: str = "auto"
    auto_threshold: float = AUTO_THRESHOLD
    review_threshold: float = REVIEW_THRESHOLD
    workers: int | None = None  # processes for large forms; None: one per core (at most MAX_WORKERS)

    def with_thresholds(self, *, auto: float | None = None, review: float | None = None) -> FillOptions:
        """A copy with new thresholds; the review threshold may not exceed the auto one."""
        new = replace(
            self,
            auto_threshold=self.auto_threshold if auto is None else auto,
            review_threshold=self.review_threshold if review is None else review,
        )
        if new.review_threshold > new.auto_threshold:
            raise AutofillError(
                f"--review-threshold ({new.review_threshold:g}) must not be above --auto-threshold "
                f"({new.auto_threshold:g})"
            )
        return new


def default_output(form: Path) -> Path:
    """NAME.filled.EXT beside the input."""
    return form.with_name(f"{form.stem}.filled{form.suffix}")


def fill_form(
    form: Path,
    kb: KnowledgeBase,
    *,
    out: Path | None = None,
    options: FillOptions | None = None,
    progress: Progress | None = None,
) -> FillReport:
    """Fill `form` into `out` (default NAME.filled.EXT); the input is never modified."""
    from autofill.safety import check_package

    started = time.perf_counter()
    options = options or FillOptions()
    module = format_for(form)
    out = out or default_output(form)
    if out.suffix.lower() != form.suffix.lower():
        raise FormError(out, f"must have the same extension as the input ({form.suffix})")
    if out.exists() and out.resolve() == form.resolve():
        raise FormError(out, "is the input file; choose another output with -o (the input is never modified)")
    check_package(form, "docx" if form.suffix.lower() == ".docx" else "xlsx")
    read = module.read_questions(form, options.read)
    outcomes = decide_all(read.questions, kb, options, progress)
    stats = module.write_answers(form, out, outcomes, citations=options.citations)
    try:
        module.verify_output(form, out, outcomes)
    except AutofillError:
        out.unlink(missing_ok=True)  # an output that lost something must not be sent on
        raise
    notes = tuple(read.notes) + tuple(stats.warnings)
    return FillReport(form, out, tuple(outcomes), notes, time.perf_counter() - started)


def decide_all(
    questions: Sequence[FormQuestion], kb: KnowledgeBase, options: FillOptions, progress: Progress | None = None
) -> list[Outcome]:
    """Decide every question; `progress(done, total)` is called as it goes.

    Large forms are decided on every core: matching is pure, so forked workers inherit the
    index and return plain outcomes.
    """
    global _WORKER_DECIDER
    decider = _Decider(Matcher.of(kb, options.product), kb, options)
    workers = options.workers or min(os.cpu_count() or 1, MAX_WORKERS)
    # Suggestions are ordered by meaning: every question is embedded in one pass, before workers fork.
    decider.ranker.prepare([q.text for q in questions if not q.existing or options.overwrite])
    if len(questions) < PARALLEL_MIN or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        outcomes: list[Outcome] = []
        for number, question in enumerate(questions, start=1):
            outcomes.append(decider.decide(question))
            if progress is not None and (number % 50 == 0 or number == len(questions)):
                progress(number, len(questions))
        return outcomes
    chunks = [list(questions[at : at + CHUNK]) for at in range(0, len(questions), CHUNK)]
    _WORKER_DECIDER = decider
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            decided: list[Outcome] = []
            for chunk, part in zip(chunks, pool.imap(_decide_chunk, chunks), strict=True):
                decided.extend(_unpack(question, packed) for question, packed in zip(chunk, part, strict=True))
                if progress is not None:
                    progress(len(decided), len(questions))
    finally:
        _WORKER_DECIDER = None
    return decided


# Forms of this many questions are decided in parallel, CHUNK questions per task.
PARALLEL_MIN = 500
CHUNK = 500
MAX_WORKERS = 4
_WORKER_DECIDER: _Decider | None = None


def _decide_chunk(questions: list[FormQuestion]) -> list[_Packed]:
    assert _WORKER_DECIDER is not None  # set by decide_all before the pool forks
    return [_pack(_WORKER_DECIDER.decide(q)) for q in questions]


# An outcome as a worker sends it back: without the question, which the parent has, and with
# candidates as plain tuples; a quarter of the bytes, and a third of the parent's time to load.
_Packed = tuple[
    Status,
    Answer | None,
    str | None,
    str | None,
    str | None,
    float,
    str | None,
    tuple[Citation, ...],
    tuple[tuple[str, Answer, float, str], ...],
    str | None,
]


def _pack(o: Outcome) -> _Packed:
    candidates = tuple((c.claim, c.answer, c.confidence, c.phrasing) for c in o.candidates)
    return (o.status, o.answer, o.value, o.text, o.comment, o.confidence, o.claim, o.citations, candidates, o.note)


def _unpack(question: FormQuestion, packed: _Packed) -> Outcome:
    status, answer, value, text, comment, confidence, claim, citations, candidates, note = packed
    found = tuple(Candidate(*c) for c in candidates)
    return Outcome(question, status, answer, value, text, comment, confidence, claim, citations, found, note)


class _Decider:
    def __init__(self, matcher: Matcher, kb: KnowledgeBase, options: FillOptions) -> None:
        self.matcher, self.kb, self.options = matcher, kb, options
        self._verified: dict[str, bool] = {}
        self.ranker = Ranker(matcher)

    def decide(self, question: FormQuestion) -> Outcome:
        """Decide by words; a row not answered gets its suggestions ordered by meaning too."""
        outcome = self._decide(question)
        if outcome.status not in ("review", "unanswered") or not outcome.candidates:
            return outcome
        if self.matcher.match(question.text, question.qid).learned:
            return outcome  # a reviewer's decision is not second-guessed
        ordered = self.ranker.order(question.text, outcome.candidates)
        if outcome.status == "review" and ordered[0].claim != outcome.claim:
            again = self._decide(question, MatchResult(ordered))
            if again.status != "answered":  # meaning orders suggestions; it never writes an answer
                outcome = again
        why = self.ranker.not_worth_review(question.text, outcome.claim) if outcome.claim else None
        if outcome.status == "review" and why:
            outcome = Outcome(
                question,
                "unanswered",
                confidence=outcome.confidence,
                note=f"left for a person, not flagged: {why}" + (f"; {outcome.note}" if outcome.note else ""),
            )
        return replace(outcome, candidates=ordered)

    def _decide(self, question: FormQuestion, ordered: MatchResult | None = None) -> Outcome:
        if question.existing and not self.options.overwrite:
            return Outcome(question, "kept", note="already answered in the form (use --overwrite to replace)")
        reading = read_question(question.text)
        if _wants_text_only(reading, question):
            # "Website", "Country of Company Headquarters": no claim's Yes / No answers a label row.
            return Outcome(question, "unanswered", note=f"the row {KIND_WANTS['label']}; no claim answers it")
        result = ordered or self.matcher.match(question.text, question.qid)
        best = result.best
        # Clauses are matched only when the whole question came near a claim.
        near = best is not None and best.confidence >= COMPOUND_FLOOR and not result.learned
        parts = list(reading.clauses) if near else []
        part_bests = [(part, self.matcher.match(part).best) for part in parts] if len(parts) > 1 else []
        backed = [c for _, c in part_bests if c is not None and c.confidence >= self.options.auto_threshold]
        if backed and (best is None or best.confidence < self.options.review_threshold):
            # The whole reads poorly, but some parts are known: a person finishes the row.
            best = max(backed, key=lambda c: c.confidence)
        if best is None or best.confidence < self.options.review_threshold:
            return Outcome(
                question,
                "unanswered",
                confidence=best.confidence if best else 0.0,
                candidates=result.candidates,
                note="no claim in the knowledge base answers this" if best else "no claim shares its words",
            )
        claims = [self._claim(best.claim)]
        answer: Answer = best.answer
        notes: list[str] = []  # each one is a reason a person must look
        rival = _rival(result, self.options.review_threshold)
        if rival is not None and rival.claim != best.claim:
            notes.append(
                f"claims '{best.claim}' ({best.answer}) and '{rival.claim}' ({rival.answer}) both fit; "
                "the answer may depend on the product (try --product)"
            )
        uncovered = []
        for part, part_best in part_bests:
            if not self.matcher.uncovered(part, best.claim):
                continue  # the chosen claim speaks to this part already
            if part_best is None or part_best.confidence < self.options.auto_threshold or part_best.answer != answer:
                uncovered.append(part.strip(" ?.,;"))
            elif all(c.id != part_best.claim for c in claims):
                claims.append(self._claim(part_best.claim))
        if not result.learned:
            # Every telling word of the question must be spoken of by a claim that answers it:
            # "... and support customer-managed keys (BYOK)" is not settled by the AES-256 claim.
            words = self._unsettled(question.text, claims)
            if words and not any(w in " ".join(uncovered).lower() for w in words):
                uncovered.append(", ".join(words))
            products = self.matcher.products_unsaid(question.text, best.phrasing)
            if products:
                notes.append(
                    f"the answer is for {', '.join(products)}; the form does not say which product (try --product)"
                )
            if self.matcher.frequency_unsaid(question.text, best.claim):
                freq = ", ".join(sorted(reading.frequencies))
                notes.append(f"the claim does not say how often ({freq})")
        if uncovered:
            notes.append("not covered by the knowledge base: " + "; ".join(f"'{p}'" for p in uncovered))
        text = " ".join(dict.fromkeys(c.answer_text for c in claims))
        value = answer_value(answer, text, question)
        if value is None and reading.kind == "open":
            notes.append("an open question cannot be answered from a Yes/No list")
        elif value is None:
            notes.append(f"the form's list ({', '.join(question.choices or ())}) has no choice for '{answer}'")
        for claim in claims:
            if not self._quote_verified(claim):
                notes.append(f"claim '{claim.id}' quote is not in its source; fix the knowledge base")
        citations = tuple(c.citation for c in claims)
        sure = best.confidence >= self.options.auto_threshold and not notes
        if result.learned:
            notes.insert(0, "as a reviewer decided before")
        return Outcome(
            question,
            "answered" if sure else "review",
            answer=answer,
            value=value or answer,
            text=text,
            comment=comment_text(text, citations),
            confidence=best.confidence,
            claim=best.claim,
            citations=citations,
            candidates=result.candidates,
            note="; ".join(notes) or None,
        )

    def _unsettled(self, question: str, claims: list[Claim]) -> list[str]:
        """The question's telling words that none of the answering claims speaks of."""
        left = None
        for claim in claims:
            words = set(self.matcher.uncovered(question, claim.id))
            left = words if left is None else left & words
        return [w for w in self.matcher.uncovered(question, claims[0].id) if left and w in left]

    def _claim(self, claim_id: str) -> Claim:
        claim = self.kb.claim(claim_id)
        assert claim is not None, claim_id  # candidates come from this knowledge base
        return claim

    def _quote_verified(self, claim: Claim) -> bool:
        # Checked again here, at the point of writing: no answer without its verbatim source.
        if claim.id not in self._verified:
            source = self.kb.sources.get(claim.citation.source)
            self._verified[claim.id] = source is not None and quote_in_source(claim.citation.quote, source)
        return self._verified[claim.id]


def _rival(result: MatchResult, review_threshold: float) -> Candidate | None:
    """A close runner-up from another claim with a different answer, if any."""
    best = result.best
    for other in result.candidates[1:]:
        if other.confidence < max(review_threshold, (best.confidence if best else 0) - AMBIGUITY_MARGIN):
            break
        if best is not None and other.answer != best.answer:
            return other
    return None


def answer_value(answer: Answer, text: str, question: FormQuestion) -> str | None:
    """What a claim writes into the answer cell; None when the cell cannot take it.

    "How long...?", "Describe...": the claim's sentence is the answer, never a bare Yes.
    """
    reading = read_question(question.text)
    if reading.kind == "open":
        return None if question.choices or question.mark_cells else text
    if _wants_text_only(reading, question):
        return None
    return form_value(answer, question)


def _wants_text_only(reading: Reading, question: FormQuestion) -> bool:
    """A label row ("Website"), or a bare noun phrase whose cell offers no Yes / No."""
    if reading.kind == "label":
        return True
    if reading.kind != "phrase":
        return False
    offered = question.choices or tuple(c for c, _ in question.mark_cells)
    return not offered or match_choice(offered, "Yes") is None


def form_value(answer: Answer, question: FormQuestion) -> str | None:
    """The answer in the form's own vocabulary, or None when the form allows no such value."""
    if question.mark_cells:
        return match_choice([choice for choice, _ in question.mark_cells], answer)
    if not question.choices:
        return answer
    return match_choice(question.choices, answer)


def comment_text(text: str, citations: Sequence[Citation]) -> str:
    lines = [text]
    for citation in citations:
        dated = f", {citation.date}" if citation.date else ""
        lines.append(f'Source: {citation.title}{dated}, {citation.url}: "{citation.quote}"')
    return "\n".join(lines)
