"""Review the rows a fill left for a person: find them, turn decisions into answers, write them, learn.

The filled form is the record of what is still open: in a workbook, the "Autofill review" sheet's
rows whose Decision does not start with "done"; in a Word form, the rows still highlighted.
Candidates are recomputed from the knowledge base, so a review needs no file besides the form.
Accepted and rejected matches go to the learned file; answers typed by hand are written (marked
as manual) and kept in the answer library as the reviewer's attestation (library/attested.yaml).
"""

from __future__ import annotations

import contextlib
import csv
import getpass
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from autofill.atomic import write_bytes_atomic
from autofill.choices import meaning
from autofill.errors import AutofillError, FidelityError, FormError
from autofill.fill import (
    REVIEW_THRESHOLD,
    FillOptions,
    answer_value,
    comment_text,
    decide_all,
    form_value,
    side_columns,
    yes_no_refused,
)
from autofill.forms import format_for
from autofill.knowledge import learned_file, load_knowledge, quote_in_source
from autofill.learned import append_learned, rejections
from autofill.library import UNKNOWN_NAME, Attestation, append_attested, attested_file, private_in, unknown_names
from autofill.matching import CANDIDATES, Matcher
from autofill.models import (
    ANSWERS,
    PRODUCTS,
    Answer,
    Candidate,
    Claim,
    FormQuestion,
    KnowledgeBase,
    LearnedAnswer,
    Location,
    Outcome,
    ReadOptions,
    WriteStats,
)
from autofill.reading import KIND_WANTS, place_products, products_named, read_question
from autofill.text import question_key

REVIEW_SHEET = "Autofill review"  # as the workbook writer names it
DECISION_HEADER = "Decision"
# The review sheet's header names these columns (among others): how a review sheet is known
SHEET_COLUMNS = frozenset({"Sheet", "Cell", "Question", "Candidates", DECISION_HEADER})
DONE = "done"  # a Decision cell starting with this was written into the form
REJECTED = "rejected"  # ...and one starting with this was rejected; the row still waits for a person
# Question ids of published standards (CAIQ "CEK-03.1", "A&A-04.1"; HECVAT "DATA-05"): the same id
# means the same question in every customer's copy. A form's own numbering ("1.2") does not.
STANDARD_ID = re.compile(r"[A-Z][A-Z&]{1,7}-\d{1,3}(?:\.\d{1,3})*")

Kind = Literal["claim", "manual", "reject"]
LOCK_WAIT = 300  # seconds a writer waits for another writing the same form (a big form takes a minute)

_CANDIDATE = re.compile(r"candidate\s*[:#]?\s*(\d+)", re.IGNORECASE)
_ANSWER = re.compile(
    r"(?:answer\s*[:=]?\s*)?(yes|no|n\s*/\s*a|na|not applicable)(?![a-z0-9/])[\s:;,.\-–—]*(.*)",
    re.IGNORECASE | re.DOTALL,
)
_FREE_TEXT = re.compile(r"text\s*:\s*(\S.*)", re.IGNORECASE | re.DOTALL)
_SHEET_CANDIDATE = re.compile(r"\s*([a-z0-9][a-z0-9-]*):\s*(Yes|No|N/A)\s*(?:\((\d+(?:\.\d+)?)\))?")


@dataclass(frozen=True)
class ReviewItem:
    """One row waiting for a person, with what the knowledge base offers for it."""

    key: str  # "sheet|table|row", as in the report's location
    question: FormQuestion
    suggestion: Candidate | None  # what "accept" takes
    candidates: tuple[Candidate, ...]  # what "candidate N" picks (1-based)
    note: str | None = None  # why the fill did not answer it
    before: str | None = None  # the neighbouring questions, for context
    after: str | None = None
    review_row: int | None = None  # its row in the workbook's review sheet
    typed: str | None = None  # the review sheet's Decision cell, as a colleague typed it
    rejected: tuple[str, ...] = ()  # claims a reviewer rejected for this question before
    unsuggested: str | None = None  # why nothing is suggested now, where the sheet showed a suggestion


@dataclass(frozen=True)
class ReviewForm:
    """A filled form and its rows waiting for review."""

    path: Path
    kb: KnowledgeBase
    items: tuple[ReviewItem, ...]
    review_sheet: str | None = None  # xlsx: the review sheet's name
    decision_cell: str = "J"  # xlsx: the Decision column's letter
    product: str | None = None
    stamp: tuple[int, int] | None = None  # the form's size and modification time when it was read
    every: bool = False  # also the blank rows the fill left unflagged (review --all)

    def item(self, key: str) -> ReviewItem | None:
        return next((item for item in self.items if item.key == key), None)


@dataclass(frozen=True)
class Decision:
    """What a reviewer decided for one row."""

    key: str
    kind: Kind
    label: str  # as said: "accept", "candidate 2", "claim x", "answer No", "reject"
    question: str  # the row's question text, so a decision never lands on a changed row
    claim: str | None = None  # the claim answering (claim) or rejected (reject)
    answer: Answer | None = None
    note: str | None = None  # manual answers: the reviewer's reason, written into the form
    who: str | None = None
    when: str | None = None
    text: str | None = None  # a free-text answer typed for an open question ("text: ...")


@dataclass(frozen=True)
class ApplyResult:
    """What applying decisions did."""

    path: Path
    written: tuple[Decision, ...]  # answers now in the form (from claims and by hand)
    rejected: tuple[Decision, ...]
    learned: int  # new entries in the learned file
    learned_file: Path | None
    pending: int  # rows still waiting for a person
    warnings: tuple[str, ...] = ()
    attested: int = 0  # new typed answers kept in the answer library (library/attested.yaml)


# --- finding the rows to review -------------------------------------------------------------------


def row_key(location: Location, product: str | None = None) -> str:
    """The row's identity: sheet, table and row as in the report (empty where not applicable), and
    the product of its answer column in a form with a column for each (round 88: a row's two
    product cells under review shared one key, so a decision could name only one)."""
    table = "" if location.table is None else str(location.table)
    return f"{location.sheet or ''}|{table}|{location.row}" + (f"|{product}" if product else "")


def filled_form(path: Path) -> Path:
    """The filled form `path` names: itself, or for a fill report (.json) the output it records."""
    if path.suffix.lower() != ".json":
        return path
    try:
        output = json.loads(path.read_text(encoding="utf-8")).get("output")
    except (OSError, ValueError, AttributeError):
        output = None
    if not isinstance(output, str):
        raise AutofillError(f"{path.name} is not a fill report (no 'output'); give the filled form instead")
    for candidate in (Path(output), path.parent / Path(output).name):
        if candidate.is_file():
            return candidate
    raise AutofillError(f"{path.name}: its filled form {output} is not there; give the filled form instead")


def load_review(path: Path, kb: KnowledgeBase, *, product: str | None = None, every: bool = False) -> ReviewForm:
    """The rows of the filled form at `path` (or named by a report) that still wait for a person.

    `every`: also the rows the fill left blank without flagging them, so a person can answer the
    rest of the form in the same place (and the answers typed become the answer library's).
    """
    form = filled_form(path)
    module = format_for(form)
    stamp = _stamp(form)  # taken first, so a change while reading shows as a change
    read = module.read_questions(form, ReadOptions())
    questions = [q for q in read.questions if not (q.location.sheet or "").startswith(REVIEW_SHEET)]
    if form.suffix.lower() == ".docx":
        from autofill.forms.docx_write import review_marked

        rows = [_Row(q) for q, marked in zip(questions, review_marked(form, questions), strict=True) if marked]
        sheet, column = None, "J"
    else:
        sheet, column, rows = _sheet_rows(form, questions)
    if every:
        listed = {row_key(row.question.location, row.question.product) for row in rows}
        rows += [_Row(q) for q in questions if not q.existing and row_key(q.location, q.product) not in listed]
    position = {id(q): i for i, q in enumerate(questions)}
    entries = {e.id for e in kb.library}
    # decided as the fill decided them: with the name the form gives its writer ("Brightmart users" is the customer's)
    told = FillOptions(
        product=product,
        overwrite=True,
        form_customer=read.customer,
        form_aliases=read.customer_aliases,
        form_things=read.customer_things,
    )
    outcomes = decide_all([row.question for row in rows], kb, told)
    plain = Matcher(replace(kb, learned=tuple(a for a in kb.learned if a.decision == "reject")), product)
    items = []
    for row, outcome in zip(rows, outcomes, strict=True):
        q = row.question
        at = position.get(id(q))
        # the sheet's list first, in its order, so "candidate N" means what the reviewer saw there
        # (a library entry it lists, "lib-...", keeps its place: numbering past it would pick another)
        unique: dict[str, Candidate] = {}
        for found in row.candidates:
            # every one the sheet lists keeps its number: one whose claim is unknown (an edited list) is refused
            # when chosen, never replaced by the next (round 110 wrote another claim through "candidate 1")
            unique.setdefault(found.claim, found)
        for found in (*outcome.candidates, *plain.match(q.text).candidates):
            if found.claim in unique or (kb.claim(found.claim) is None and found.claim not in entries):
                continue
            if unique and found.confidence < REVIEW_THRESHOLD:
                continue  # an alternative the words rate below the review band is no pick to offer (round 110)
            unique[found.claim] = found
        candidates = tuple(unique.values())[: max(CANDIDATES, len(row.candidates))]
        rejected = _rejected(kb, q.text, q.product)
        suggestion = None  # never a claim a reviewer rejected for this question (it stays listed, marked)
        first = row.candidates[0] if row.candidates else None
        shown = first if first is not None and (kb.claim(first.claim) is not None or first.claim in entries) else None
        if (outcome.status == "review" and not outcome.claim) or row.listed:
            # a row flagged with nothing to suggest (a part no claim covers, the product unsaid), as decided now or as
            # the review sheet showed it: its candidates are picks only (round 120b's "accept" wrote the SSO claim's
            # Yes the sheet did not suggest, and learned it)
            pass
        elif shown is not None:
            # what the review sheet showed is what "accept" writes, and nothing else: a claim rejected
            # since (in another copy) leaves no suggestion (round 90's "accept" wrote another claim's Yes)
            suggestion = shown if shown.claim not in rejected else None
        elif outcome.claim and outcome.answer and outcome.claim not in rejected:
            suggestion = Candidate(outcome.claim, outcome.answer, outcome.confidence)
        else:
            suggestion = next((c for c in candidates if c.claim not in rejected), None)
            if (
                row.number is None
                and suggestion is not None
                and (suggestion.confidence < REVIEW_THRESHOLD or outcome.status == "unanswered")
            ):
                # a row the fill left unflagged (review --all): a far claim is listed, not offered, and so is a
                # near one a check held back ("kept for more than 30 days?" took the 30-day Yes, round 110)
                suggestion = None
        items.append(
            ReviewItem(
                key=row_key(q.location, q.product),
                question=q,
                suggestion=suggestion,
                candidates=candidates,
                note=row.note or (outcome.note if outcome.status == "review" else None),
                before=questions[at - 1].text if at else None,
                after=questions[at + 1].text if at is not None and at + 1 < len(questions) else None,
                review_row=row.number,
                typed=row.typed,
                rejected=rejected,
                unsuggested=None if row.listed else _product_hint(outcome, shown, suggestion, product),
            )
        )
    return ReviewForm(form, kb, tuple(items), sheet, column, product, stamp, every)


def _product_hint(
    outcome: Outcome, shown: Candidate | None, suggestion: Candidate | None, product: str | None
) -> str | None:
    """Why a row the review sheet suggested an answer for has none now: the answer holds for some products only and
    the review names none (round 122b filled with --product api and reviewed without it: "no suggestion")."""
    if suggestion is not None or shown is None or product or "does not say which product" not in (outcome.note or ""):
        return None
    return "the answer depends on the product: review with the --product the form was filled with"


def _stamp(form: Path) -> tuple[int, int] | None:
    try:
        info = form.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


@dataclass(frozen=True)
class _Row:
    question: FormQuestion
    number: int | None = None
    typed: str | None = None
    candidates: tuple[Candidate, ...] = ()
    note: str | None = None
    listed: bool = False  # the review sheet showed no suggestion, only candidates


def _sheet_rows(form: Path, questions: Sequence[FormQuestion]) -> tuple[str | None, str, list[_Row]]:
    """The open rows of the workbook's review sheet, matched to the questions read from the form.

    No review sheet (the fill left no row for review) gives no rows.
    """
    import openpyxl
    from openpyxl.utils import get_column_letter

    by_cell = {(q.location.sheet, _cell_text(q)): q for q in questions}
    keys = [(q.location.sheet, question_key(q.text)) for q in questions]
    seen = Counter(keys)
    by_text = {key: q for key, q in zip(keys, questions, strict=True) if seen[key] == 1}
    book = openpyxl.load_workbook(form, read_only=True, data_only=True)
    try:
        # a form filled again holds the earlier fills' sheets too: the newest is added last
        for sheet in reversed(book.worksheets):
            if not sheet.title.startswith(REVIEW_SHEET):
                continue
            lines = sheet.iter_rows(values_only=True)
            header = [str(v or "").strip() for v in next(lines, ())]
            if not SHEET_COLUMNS <= set(header):
                if SHEET_COLUMNS & set(header):  # ours, with a column deleted or renamed (round 63)
                    missing = ", ".join(sorted(SHEET_COLUMNS - set(header)))
                    raise FormError(form, f"'{sheet.title}' has lost its column(s) {missing}; undo that edit")
                continue
            col = {name: header.index(name) for name in header if name}
            rows = []
            for number, line in enumerate(lines, start=2):
                values = [("" if v is None else str(v)).strip() for v in line] + [""] * len(header)
                typed = values[col[DECISION_HEADER]]
                if not values[col["Sheet"]] or typed.lower().startswith(DONE):
                    continue
                question = by_cell.get((values[col["Sheet"]], values[col["Cell"]]))
                asked = values[col["Question"]]
                if question is None or question_key(question.text) != question_key(asked):
                    # rows inserted or moved since the fill: the decision is the question's, wherever it is now
                    moved = by_text.get((values[col["Sheet"]], question_key(asked)))
                    if question is not None and moved is None:
                        raise FormError(
                            form,
                            f"'{sheet.title}' row {number}: {values[col['Cell']]} no longer holds '{asked[:60]}' "
                            "(rows were inserted or moved since the fill); fill the form again and review that copy",
                        )
                    question = moved
                if question is None:  # read differently this time (fill options): the sheet says enough
                    cell = values[col["Cell"]].split(",")[0].strip()
                    digits = re.sub(r"\D", "", cell)
                    location = Location(int(digits or 0), cell, values[col["Sheet"]])
                    qid = values[col["ID"]] if "ID" in col else ""
                    question = FormQuestion(location, values[col["Question"]], qid or None, answer_cell=cell)
                candidates = tuple(
                    Candidate(m[1], _answer(m[2]) or "Yes", float(m[3] or 0))
                    for m in map(_SHEET_CANDIDATE.match, values[col["Candidates"]].splitlines())
                    if m
                )
                note = values[col["Note"]] if "Note" in col else ""
                shown = [values[col[name]] for name in ("Suggested answer", "Suggested text") if name in col]
                listed = bool(shown) and not any(shown)
                rows.append(_Row(question, number, typed or None, candidates, note or None, listed))
            return sheet.title, get_column_letter(col[DECISION_HEADER] + 1), rows
    finally:
        book.close()
    return None, "J", []


def _cell_text(question: FormQuestion) -> str:
    # the review sheet's Cell column, as the workbook writer fills it
    marks = ", ".join(cell for _, cell in question.mark_cells)
    return question.answer_cell or marks or question.location.cell


def _rejected(kb: KnowledgeBase, question: str, product: str | None = None) -> tuple[str, ...]:
    return rejections(kb.learned, product).get(question_key(question), ())


# --- decisions ----------------------------------------------------------------------------------


def default_who() -> str:
    """The reviewer's login name, recorded with each decision."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return "unknown"


def now() -> str:
    """The current local time as an ISO timestamp with its offset."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def parse_decision(item: ReviewItem, said: str, *, who: str, when: str | None = None) -> Decision | None:
    """A decision from text: accept, reject, candidate N, or an answer (Yes/No/N/A) and an optional note.

    None for an empty text or a row already marked done or rejected. Raises AutofillError
    (the message says what is allowed) for anything else.
    """
    text = said.strip()
    low = " ".join(text.lower().split())
    if not low or low.startswith((DONE, REJECTED)):
        return None
    when = when or now()
    base = {"key": item.key, "question": item.question.text, "who": who, "when": when}
    if low in ("accept", "a"):
        if item.suggestion is None:
            why = f" ({item.unsuggested})" if item.unsuggested else ""
            raise AutofillError(f"there is no suggestion to accept{why}; pick a candidate or type an answer")
        return Decision(
            kind="claim", label="accept", claim=item.suggestion.claim, answer=item.suggestion.answer, **base
        )
    if low == "reject":
        if item.suggestion is None:
            # nothing was suggested (a part no claim covers): the row is dismissed, its candidates stay offerable
            # (round 112b: the error stopped the whole sheet's apply)
            return Decision(kind="reject", label="reject", claim=None, answer=None, **base)
        return Decision(
            kind="reject", label="reject", claim=item.suggestion.claim, answer=item.suggestion.answer, **base
        )
    if found := _CANDIDATE.fullmatch(low):
        number = int(found[1])
        if not 1 <= number <= len(item.candidates):
            raise AutofillError(f"there is no candidate {number}; this row has {len(item.candidates)}")
        chosen = item.candidates[number - 1]
        return Decision(kind="claim", label=f"candidate {number}", claim=chosen.claim, answer=chosen.answer, **base)
    if found := _ANSWER.fullmatch(text):
        answer = _answer(found[1])
        assert answer is not None  # the pattern only takes the three answers
        note = " ".join(found[2].split()) or None
        if note and _SECOND_ANSWER.search(note):
            # "Yes for API, No for Team" (round 94 wrote its Yes, the rest as a note the customer read)
            raise AutofillError(
                f"{text!r} gives two answers; type one (Yes, No or N/A, then a note), or answer each "
                "product in its own column or form (--product)"
            )
        return Decision(kind="manual", label=f"answer {answer}", answer=answer, note=note, **base)
    free = not (item.question.choices or item.question.mark_cells)
    if free and (found := _FREE_TEXT.fullmatch(text)):
        typed = " ".join(found[1].split())
        return Decision(kind="manual", label="text answer", answer=None, text=typed, **base)
    also = "; for a free-text cell, text: followed by the answer" if free else ""
    raise AutofillError(
        f"{text!r} is not a decision; use accept, reject, candidate N, or Yes, No or N/A followed by a note{also}"
    )


# A second answer in a decision's note: "..., No for Team", "(API); No (Team)", "but no for the API"
_SECOND_ANSWER = re.compile(
    r"(?:[;,/]|\b(?i:but)\b)\s*(?i:yes|no)\s*(?:\(|$|(?i:for|in|on)\b)|\b(?i:yes|no)\s+(?i:for|in|on)\s+(?:the\s+)?[A-Z]"
)


def choose_claim(
    item: ReviewItem, kb: KnowledgeBase, claim_id: str, *, who: str, answer: Answer | None = None
) -> Decision:
    """A decision for a claim the reviewer found themselves; its answer is the best-fitting phrasing's."""
    if kb.claim(claim_id) is None:
        raise AutofillError(f"no claim '{claim_id}'")
    if answer is None:
        scored = Matcher(kb).explain(item.question.text, claim_id)
        answer = _answer(max(scored, key=lambda s: s[2])[1]) if scored else None
    return Decision(
        key=item.key,
        kind="claim",
        label=f"claim {claim_id}",
        question=item.question.text,
        claim=claim_id,
        answer=answer or "Yes",
        who=who,
        when=now(),
    )


def search_claims(kb: KnowledgeBase, text: str, *, product: str | None = None, limit: int = 8) -> list[Claim]:
    """Current claims matching `text`: by meaning first, then by words in their id, answer or quote."""
    found = [c.claim for c in Matcher(kb, product).match(text).candidates if c.confidence > 0]
    words = text.lower().split()
    for claim in kb.current_claims(product):
        haystack = f"{claim.id} {claim.answer_text} {claim.citation.quote}".lower()
        if words and all(word in haystack for word in words):
            found.append(claim.id)
    claims = (kb.claim(claim_id) for claim_id in dict.fromkeys(found))
    return [claim for claim in claims if claim is not None][:limit]


def _answer(text: str) -> Answer | None:
    squashed = re.sub(r"[\s/.]", "", text.lower())
    if squashed in ("na", "notapplicable"):
        return "N/A"
    return next((a for a in ANSWERS if a.lower() == squashed), None)


# --- applying decisions -------------------------------------------------------------------------


def apply_decisions(review: ReviewForm, decisions: Sequence[Decision], *, learned_path: Path) -> ApplyResult:
    """Learn the accepted and rejected matches, then write the answers into the form (highlight off).

    Learning comes first: if writing fails, the decisions still stand and applying them again
    adds nothing twice. The form is rewritten through a temporary copy that is verified before
    it replaces the form. A decision that cannot be written (a superseded claim, an answer the
    form's list lacks) is left out with a warning, and its row keeps waiting.

    Writers of one form take turns (a lock file in the user's cache folder), and each reads the form again when
    another wrote it since it was read, so no one's decisions are lost.
    """
    from filelock import FileLock, Timeout

    seen: dict[str, Decision] = {}
    for decision in decisions:
        # (the sheet as the review row names it, in any case: "security!C8" is Security's, round 67)
        first = seen.setdefault("".join(decision.key.split()).lower(), decision)
        if first is not decision:
            # a review row copied and decided twice (round 63 wrote "No" beside the claim's Yes sentence)
            raise FormError(
                review.path,
                f"{_where(decision.key)} has two decisions ('{first.label}' and '{decision.label}'); "
                "keep one and apply again",
            )
    lock = FileLock(str(_lock_file(review.path)), timeout=LOCK_WAIT)
    try:
        with lock:
            if _stamp(review.path) != review.stamp:
                review = load_review(review.path, review.kb, product=review.product, every=review.every)
            return _apply_decisions(review, decisions, learned_path=learned_path)
    except Timeout:
        raise FormError(
            review.path, f"is being written by another autofill for over {LOCK_WAIT} s; try again when it has finished"
        ) from None


def _lock_file(form: Path) -> Path:
    """Where writers of `form` take turns: the user's cache folder, named by the form's full path (round 112b found
    hidden lock files left beside the customer's forms)."""
    import hashlib

    import platformdirs

    digest = hashlib.sha256(str(form.resolve()).encode()).hexdigest()[:24]
    folder = Path(platformdirs.user_cache_dir("autofill")) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{digest}.lock"


def _apply_decisions(review: ReviewForm, decisions: Sequence[Decision], *, learned_path: Path) -> ApplyResult:
    outcomes: list[Outcome] = []
    written: list[Decision] = []
    rejected: list[Decision] = []
    warnings: list[str] = []
    marks: dict[tuple[str, str], str] = {}
    for decision in decisions:
        item = review.item(decision.key)
        where = _where(decision.key)
        if item is None or item.question.text != decision.question:
            warnings.append(f"{where}: not waiting for review in {review.path.name} (decided already?); skipped")
            continue
        mark = None
        if decision.kind == "reject":
            rejected.append(decision)
            mark = f"{REJECTED}: {decision.claim or 'nothing was suggested'}"
        else:
            outcome = _outcome(review.kb, item.question, decision)
            if isinstance(outcome, str):
                warnings.append(f"{where}: {outcome}; the row still waits for review")
                continue
            outcomes.append(outcome)
            written.append(decision)
            mark = f"{DONE}: {decision.label}"
        if review.review_sheet and item.review_row:
            marks[(review.review_sheet, f"{review.decision_cell}{item.review_row}")] = mark
    library = {entry.id: entry for entry in review.kb.library}
    # a rejected library entry is learned like a rejected claim: not offered for this question again
    chosen = [d for d in (*written, *rejected) if d.kind != "manual" and (d.claim not in library or d.kind == "reject")]
    learned = [_learned(review.item(d.key), d, review.product) for d in chosen]
    count = append_learned(learned_path, [entry for entry in learned if entry is not None]) if learned else 0
    # typed answers, and library answers a reviewer confirmed for this wording, are attested
    typed = [
        _attested(
            review.item(d.key),
            d if d.claim not in library else replace(d, note=library[d.claim].comment),
            review.product,
        )
        for d in written
        if d.kind == "manual" or d.claim in library
    ]
    attested = 0
    if typed:  # answers typed by hand become the reviewer's attestation in the answer library
        attested = append_attested(attested_file(learned_path), [a for a in typed if a is not None])
    if outcomes or marks:
        warnings += _write(review, outcomes, marks)
    if outcomes:
        problem = _record(review.path, outcomes, review.kb)
        warnings += [problem] if problem else []
    pending = len(review.items) - len(written)
    return ApplyResult(
        review.path, tuple(written), tuple(rejected), count, learned_path, pending, tuple(warnings), attested
    )


def _record(form: Path, outcomes: list[Outcome], kb: KnowledgeBase) -> str | None:
    """Record the answers a review wrote, for the customer the fill recorded the form for."""
    from autofill import ledger

    rows = ledger.entries(outcomes, kb)
    return ledger.record(customer=ledger.customer_of(form), form=form, output=form, rows=rows, command="review")


def _typed_by(decision: Decision) -> str:
    """Where a typed answer came from, for the report and the ledger (never the customer's form)."""
    return f"manual answer by {decision.who or 'a reviewer'} on {(decision.when or now())[:10]}"


def accept_writes(kb: KnowledgeBase, item: ReviewItem) -> str | None:
    """What "accept" writes into the row's cell, for showing before it is pressed (a free-text row
    writes the claim's sentence, not the Yes its list shows: round 96); None when it writes nothing."""
    if item.suggestion is None:
        return None
    accept = Decision(
        key=item.key,
        kind="claim",
        label="accept",
        question=item.question.text,
        claim=item.suggestion.claim,
        answer=item.suggestion.answer,
    )
    outcome = _outcome(kb, item.question, accept)
    return outcome.value if isinstance(outcome, Outcome) else None


def _outcome(kb: KnowledgeBase, question: FormQuestion, decision: Decision) -> Outcome | str:
    """The answered outcome for a decision, or why it cannot be written."""
    typed = (decision.text or decision.note) if decision.kind == "manual" else None
    if typed and "?" in typed:
        # "No? check with Legal", "Yes (TBC?)": a question to the team is no answer to the customer
        return "the typed answer reads as a question ('?'); type the final answer, or leave the row"
    # (a name the published pages never use too: "checked with Dana Whitfield", round 96; a sentence's
    # first word is the reviewer's own capital, and the word is named, round 97)
    internal = private_in(kb, typed, asked=question.text, initial=False) if typed else None
    if typed and internal == UNKNOWN_NAME:
        names = ", ".join(f"'{n}'" for n in unknown_names(kb, typed, question.text, initial=False))
        return (
            f"the typed note names {names}, which the published pages never do and the customer would read; "
            "reword it or leave it out"
        )
    if internal is not None:
        # the customer reads the note: the reviewer's names, tickets and drafts stay with the team
        return f"the typed note holds {internal}, which the customer would read; reword it or leave it out"
    if decision.kind == "manual" and (decision.answer or meaning(decision.text or "")) in ("Yes", "No"):
        reading = read_question(question.text)
        if reading.wants_text:
            # "How long does the vendor retain API data?" answered "Yes" (round 63): a bare Yes / No
            # says nothing the row asks for
            return f"the row {KIND_WANTS[reading.kind]}; type the text it asks for (text: ...), or leave the row"
    if decision.kind == "manual" and decision.text:
        return Outcome(
            question, "answered", value=decision.text, text=decision.text, note="manual", provenance=_typed_by(decision)
        )
    assert decision.answer is not None
    refused = yes_no_refused(question)
    if refused:
        return refused
    claim = kb.claim(decision.claim or "")
    entry = next((e for e in kb.library if e.id == decision.claim), None) if claim is None else None
    if entry is not None and decision.kind == "claim":
        value = form_value(decision.answer, question)
        if value is None:
            allowed = ", ".join(question.choices or [c for c, _ in question.mark_cells])
            return f"the form's list ({allowed}) has no choice for '{decision.answer}'"
        note = f"reviewed by {decision.who}; from the internal answer library"
        # an explanation that names another company (or any the ledger knows) stays out of the form
        text = None if private_in(kb, entry.comment, asked=question.text) is not None else entry.comment
        outcome = Outcome(question, "answered", decision.answer, value, text, text, 100.0, entry.id, note=note)
        return replace(outcome, side=side_columns(question, entry.side))  # SSRM ownership travels with it
    if decision.kind == "manual" or claim is None:
        value = form_value(decision.answer, question)
    else:
        value = answer_value(decision.answer, claim.answer_text, question)
    if value is None:
        allowed = ", ".join(question.choices or [c for c, _ in question.mark_cells])
        if decision.answer in (question.choices or ()) or read_question(question.text).kind == "open":
            # "Which criteria does your SOC 2 cover?" in a Yes / No list: the list has Yes, the row asks for more
            # (round 112b's warning said the list had no Yes)
            return f"the row asks for a value the form's list ({allowed}) cannot hold; answer it in the form yourself"
        return f"the form's list ({allowed}) has no choice for '{decision.answer}'"
    if decision.kind == "manual":
        # the form gets the answer and the reviewer's own note; who typed it, and when, is internal
        return Outcome(
            question,
            "answered",
            answer=decision.answer,
            value=value,
            comment=decision.note,
            note="manual",
            provenance=_typed_by(decision),
        )
    if claim is None:
        return f"claim '{decision.claim}' is not in the knowledge base"
    if not claim.current:
        return f"claim '{claim.id}' is superseded by '{claim.superseded_by}'; choose again"
    if decision.answer not in {phrasing.answer for phrasing in claim.questions}:
        # every way a decision arrives (the review sheet's candidate list can be edited) ends here
        return f"claim '{claim.id}' never answers '{decision.answer}'; choose again"
    source = kb.sources.get(claim.citation.source)
    if source is None or not quote_in_source(claim.citation.quote, source):
        return f"claim '{claim.id}' quote is not in its source; fix the knowledge base"
    return Outcome(
        question,
        "answered",
        answer=decision.answer,
        value=value,
        text=claim.answer_text,
        comment=comment_text(claim.answer_text, (claim.citation,)),
        confidence=100.0,
        claim=claim.id,
        citations=(claim.citation,),
        note=f"reviewed by {decision.who}",
    )


def _attested(item: ReviewItem | None, decision: Decision, product: str | None = None) -> Attestation | None:
    answer = decision.answer or decision.text
    if item is None or answer is None:
        return None
    question = item.question
    qid = " ".join((question.qid or "").split()) or None
    text = " ".join(question.text.split())
    # (typed in a column for one product, it is that product's answer, whatever --product said: round 88;
    # and a note naming one product says so too: "Yes - for Enterprise only" was reused for the API, round 97)
    named = products_named(decision.note or "") | place_products(decision.note or "")
    said = next(iter(named)) if len(named) == 1 and named <= set(PRODUCTS) else None
    product = question.product or product or said
    return Attestation(text, answer, qid, decision.note, decision.who, decision.when, question.section, product)


def _learned(item: ReviewItem | None, decision: Decision, product: str | None = None) -> LearnedAnswer | None:
    if item is None or decision.claim is None:
        return None
    qid = (item.question.qid or "").strip().upper()
    # a match accepted while reviewing for one product (--product) is that product's: the same words in a
    # form for another may ask of what the claim does not say (round 110a: learned in every mode at 100);
    # a rejection holds everywhere, as a pairing a person said no to
    return LearnedAnswer(
        question=" ".join(item.question.text.split()),
        claim=decision.claim,
        answer=decision.answer,
        decision="reject" if decision.kind == "reject" else "accept",
        qid=qid if STANDARD_ID.fullmatch(qid) else None,
        who=decision.who,
        when=decision.when,
        product=item.question.product or (product if decision.kind != "reject" else None),
    )


def _write(review: ReviewForm, outcomes: Sequence[Outcome], marks: dict[tuple[str, str], str]) -> list[str]:
    """Rewrite the form with the outcomes and marks, verified through a temporary copy; return warnings."""
    form = review.path
    temp = form.with_name(f".{form.stem}.review-{os.getpid()}{form.suffix}")
    try:
        try:
            stats = _write_checked(form, temp, outcomes, marks)
        except FormError as error:
            # the check read the temporary copy: the user knows the form by its own name (round 63)
            raise type(error)(form, str(error).removeprefix(f"{temp.name}: ").replace(temp.name, form.name)) from None
        try:
            os.chmod(temp, form.stat().st_mode & 0o7777)
            os.replace(temp, form)
        except OSError as error:  # Windows refuses to replace a file another program holds open
            raise FormError(form, f"cannot be replaced ({error.strerror}); close it and try again") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return list(stats.warnings)


def _write_checked(
    form: Path, temp: Path, outcomes: Sequence[Outcome], marks: dict[tuple[str, str], str]
) -> WriteStats:
    """Write the outcomes into `temp`, a copy of `form`, and check it against the form."""
    if form.suffix.lower() == ".docx":
        from autofill.forms import docx_write

        stats = docx_write.write_decisions(form, temp, outcomes)
        docx_write.verify_output(form, temp, outcomes)
        marked = docx_write.review_marked(temp, [o.question for o in outcomes])
        still = [o.question for o, on in zip(outcomes, marked, strict=True) if on]
    else:
        from autofill.forms import xlsx_verify, xlsx_write

        stats = xlsx_write.write_decisions(form, temp, outcomes, marks)
        xlsx_verify.verify_output(form, temp, outcomes)
        still = _still_highlighted(temp, outcomes)
    if still:
        key = row_key(still[0].location, still[0].product)
        raise FidelityError(form, f"row {_where(key)} is still highlighted after writing")
    return stats


def _still_highlighted(path: Path, outcomes: Sequence[Outcome]) -> list[FormQuestion]:
    """Questions whose answer cells still carry the review fill, read back with openpyxl."""
    import openpyxl
    from openpyxl.utils.cell import coordinate_to_tuple

    from autofill.forms.xlsx_write import HIGHLIGHT_RGB

    wanted: dict[str, dict[int, list[tuple[int, FormQuestion]]]] = {}
    for outcome in outcomes:
        q = outcome.question
        for cell in [c for _, c in q.mark_cells] or [q.answer_cell or q.location.cell]:
            row, col = coordinate_to_tuple(cell)
            wanted.setdefault(q.location.sheet or "", {}).setdefault(row, []).append((col, q))
    still: dict[int, FormQuestion] = {}
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        for name, rows in wanted.items():
            if name not in book.sheetnames:
                continue
            # one pass over the rows: a read-only sheet re-reads its XML for every single-cell lookup
            lines = book[name].iter_rows(min_row=min(rows), max_row=max(rows))
            for number, line in enumerate(lines, start=min(rows)):
                for col, q in rows.get(number, ()):
                    fill = getattr(line[col - 1], "fill", None) if col <= len(line) else None
                    colour = getattr(getattr(fill, "fgColor", None), "rgb", None)  # a GradientFill has none
                    if str(colour).upper() == HIGHLIGHT_RGB:
                        still[id(q)] = q
    finally:
        book.close()
    return list(still.values())


def _where(key: str) -> str:
    sheet, table, row, *product = key.split("|")
    column = f" ({PRODUCTS.get(product[0], product[0])})" if product else ""
    if sheet:
        return f"sheet '{sheet}' row {row}{column}"
    return (f"table {table} row {row}" if table else f"paragraph {row}") + column


# --- entry points ---------------------------------------------------------------------------------


def apply_workbook(
    path: Path, *, kb_root: Path | None, product: str | None = None, who: str | None = None
) -> ApplyResult:
    """Apply the Decision column of a filled workbook's review sheet (typed in Excel by a colleague)."""
    review = load_review(path, load_knowledge(kb_root), product=product)
    if review.path.suffix.lower() == ".docx":
        raise FormError(review.path, "is a Word form; review it with 'autofill review' (apply reads a workbook)")
    if review.review_sheet is None:
        raise FormError(
            review.path,
            f"has no '{REVIEW_SHEET}' sheet: the fill left no row for review, or the sheet was renamed or deleted",
        )
    who = who or default_who()
    decisions, refused = [], []
    for item in review.items:
        if item.typed:
            try:
                decision = parse_decision(item, item.typed, who=who)
            except AutofillError as error:
                refused.append(f"row {item.review_row}: {error}")
                continue
            if decision is not None:
                decisions.append(decision)
    if refused:
        # all or nothing, and every row to fix named at once (round 96 fixed them one run at a time)
        what = f"decision(s) in '{REVIEW_SHEET}'"
        raise FormError(review.path, f"nothing written: {_to_fix(refused, what)}")
    return apply_decisions(review, decisions, learned_path=learned_file(kb_root))


def apply_csv(
    path: Path,
    decisions_csv: Path,
    *,
    kb_root: Path | None,
    product: str | None = None,
    who: str | None = None,
    every: bool = False,
) -> ApplyResult:
    """Apply decisions from a CSV (sheet, table, row, decision[, note]) to a filled form, without prompts."""
    review = load_review(path, load_knowledge(kb_root), product=product, every=every)
    decisions = read_decisions_csv(decisions_csv, review, who=who or default_who())
    return apply_decisions(review, decisions, learned_path=learned_file(kb_root))


def read_decisions_csv(path: Path, review: ReviewForm, *, who: str) -> list[Decision]:
    """Decisions from a CSV; columns sheet, table, row (as in the report's location) and decision,
    and product where a form has an answer column for each (as the report's location says)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise AutofillError(f"{path.name} cannot be read ({error}); save it as UTF-8 CSV") from None
    reader = csv.DictReader(text.splitlines())
    columns = {(name or "").strip().lower() for name in reader.fieldnames or ()}
    missing = [name for name in ("row", "decision") if name not in columns]
    if missing or not columns & {"sheet", "table"}:
        raise AutofillError(
            f"{path.name} needs the columns sheet, table, row and decision (one of sheet/table may be empty)"
        )
    decisions, refused, when = [], [], now()
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        if not any(row.values()):
            continue
        try:
            decision = _csv_decision(row, review, who=who, when=when)
        except AutofillError as error:
            refused.append(f"line {line}: {error}")
            continue
        if decision is not None:
            decisions.append(decision)
    if refused:
        # all or nothing, and every line to fix named at once, as `apply` names the review sheet's rows
        raise AutofillError(f"{path.name}: nothing written: {_to_fix(refused, 'line(s)')}")
    return decisions


def _csv_decision(row: dict[str, str], review: ReviewForm, *, who: str, when: str) -> Decision | None:
    """The decision one line of a decisions CSV makes; AutofillError says what is wrong with the line."""
    sheet = row.get("sheet") or None
    if sheet and sheet[:1] == "'" and sheet[1:2] in ("=", "+", "-", "@"):
        sheet = sheet[1:]  # the report's guard against formulas; Excel forbids a sheet name starting with '
    try:
        location = Location(int(row.get("row", "")), "", sheet, int(row["table"]) if row.get("table") else None)
    except ValueError:
        raise AutofillError("row and table must be numbers") from None
    product = row.get("product") or None
    item = review.item(row_key(location, product))
    said = row.get("decision", "")
    if not said:  # a short line: no decision column at all (round 67 read "unexpected KeyError")
        raise AutofillError("no decision; write accept, reject, candidate:N or answer:...")
    here = row_key(location)
    products = [i.question.product for i in review.items if i.question.product and row_key(i.question.location) == here]
    if item is None and products and product is None:
        # a form with an answer column for each product: which cell the decision is for
        raise AutofillError(
            f"{_where(row_key(location))} waits for review in a column for each of "
            f"{', '.join(products)}: add a product column naming one"
        )
    if item is None:
        # (round 108: a row the fill answered or left unflagged is decided with --all, which was not said)
        wider = "" if review.every else " (to decide a row the fill answered or left unflagged, add --all)"
        raise AutofillError(
            f"{_where(row_key(location, product))} is not waiting for review in "
            f"{review.path.name}{wider}; the rows that are: {_list_keys(review.items)}"
        )
    if said.lower().startswith("answer:") and row.get("note"):
        said = f"{said} {row['note']}"
    return parse_decision(item, said, who=who, when=when)


def _to_fix(refused: Sequence[str], what: str) -> str:
    """Every refused decision named at once: the first three, and how many more."""
    more = f" (and {len(refused) - 3} more)" if len(refused) > 3 else ""
    return f"{len(refused)} {what} to fix: {'; '.join(refused[:3])}{more}"


def _list_keys(items: Iterable[ReviewItem]) -> str:
    keys = [_where(item.key) for item in items]
    return ", ".join(keys[:10]) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "") if keys else "none"


# --- the session file: decisions saved as they are made ---------------------------------------------


def session_path(form: Path) -> Path:
    """Where a terminal review keeps its decisions until they are written: beside the form."""
    return form.with_name(f"{form.name}.review.json")


def has_saved_session(form: Path) -> bool:
    """Whether a terminal review of `form` saved decisions it has not written (a damaged file counts)."""
    path = session_path(form)
    if not path.exists():
        return False
    try:
        return bool(json.loads(path.read_text(encoding="utf-8")).get("decisions"))
    except (OSError, ValueError, AttributeError):
        return True


def load_session(review: ReviewForm) -> list[Decision]:
    """The saved decisions that still fit a waiting row, oldest first.

    The file is input like any other (it can be edited, or left from another knowledge base):
    each decision must have its fields' types, and a decision for a claim must name a current
    claim and one of that claim's own answers. Anything else is a one-line error naming the file.
    """
    path = session_path(review.path)
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data.get("decisions", [])
        if not isinstance(entries, list):
            raise TypeError("'decisions' is not a list")
        saved = [_saved_decision(review.kb, number, entry) for number, entry in enumerate(entries, start=1)]
    except (OSError, ValueError, TypeError, AttributeError) as error:
        raise AutofillError(f"{path.name} is damaged ({error}); delete it to start the review over") from None
    return [d for d in saved if (item := review.item(d.key)) is not None and item.question.text == d.question]


_TEXT_FIELDS = ("key", "label", "question")
_OPTIONAL_FIELDS = ("claim", "note", "who", "when", "text")


def _saved_decision(kb: KnowledgeBase, number: int, entry: Any) -> Decision:
    """One decision of a session file, checked; TypeError/ValueError say what is wrong with it."""
    where = f"decision {number}"
    if not isinstance(entry, dict):
        raise TypeError(f"{where} is not an object")
    unknown = sorted(set(entry) - {"kind", "answer", *_TEXT_FIELDS, *_OPTIONAL_FIELDS})
    if unknown:
        raise ValueError(f"{where} has unknown field {unknown[0]!r}")
    for name in _TEXT_FIELDS:
        if not isinstance(entry.get(name), str):
            raise TypeError(f"{where}: {name!r} must be text")
    for name in _OPTIONAL_FIELDS:
        if entry.get(name) is not None and not isinstance(entry[name], str):
            raise TypeError(f"{where}: {name!r} must be text or null")
    kind, answer, claim_id = entry.get("kind"), entry.get("answer"), entry.get("claim")
    if kind not in ("claim", "manual", "reject"):
        raise ValueError(f"{where}: 'kind' must be claim, manual or reject")
    typed = kind == "manual" and answer is None and bool((entry.get("text") or "").strip())
    if answer not in ANSWERS and not typed:
        raise ValueError(f"{where}: 'answer' must be one of {', '.join(ANSWERS)}")
    if kind == "manual":
        if claim_id is not None:
            raise ValueError(f"{where}: a manual answer names no claim")
    elif any(e.id == claim_id for e in kb.library):
        pass  # a library entry: its answer is the entry's own, checked when it is written
    else:
        claim = kb.claim(claim_id or "")
        if claim is None or not claim.current:
            raise ValueError(f"{where}: claim {claim_id!r} is not a current claim of the knowledge base")
        if answer not in {phrasing.answer for phrasing in claim.questions}:
            raise ValueError(f"{where}: claim {claim_id!r} never answers {answer!r}")
    return Decision(**entry)


def save_session(review: ReviewForm, decisions: Sequence[Decision]) -> None:
    """Save `decisions` atomically beside the form; with none left, remove the file."""
    path = session_path(review.path)
    if not decisions:
        path.unlink(missing_ok=True)
        return
    data: dict[str, Any] = {"form": review.path.name, "decisions": [asdict(d) for d in decisions]}
    write_bytes_atomic(path, json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
