"""Order the suggestions a person sees, and keep from review those not worth their time.

The lexical matcher decides what is written; this module only orders the candidates of rows it
did not answer. Each candidate is ranked by a blend of its lexical confidence and how near in
meaning the claim's nearest phrasing is to the question (autofill.semantic), and the claims
nearest in meaning join the list even when they share no telling word with the question
("dedicated security staff" against the 24x7 incident-team claim). A review suggestion far in
meaning from the question, or leaving several of its telling words unspoken of, is left for a
person (unanswered, its candidates kept in the report) instead of highlighted for review.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

from autofill.matching import CANDIDATES, Matcher
from autofill.models import Candidate

# Share of the lexical confidence (0-1) in a suggestion's rank; the rest is nearness in meaning.
LEXICAL_SHARE = 0.2
# Claims nearest in meaning added to the lexical candidates.
NEAREST = 3
# A review suggestion stays for review when its nearness in meaning (cosine, 0-1), less
# UNSPOKEN_COST for each telling word of the question the claim does not speak of (at most
# three counted), reaches this; measured on eval/labels.yaml (README "Accuracy, measured").
REVIEW_NEARNESS = 0.48
UNSPOKEN_COST = 0.06


class Ranker:
    """Orders a matcher's candidates by meaning; the embeddings load on first use."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        claims = list(matcher.claims.values())
        self._ids = [c.id for c in claims if c.questions]
        self._row = {claim_id: number for number, claim_id in enumerate(self._ids)}
        self._phrasings = [p for c in claims for p in c.questions]
        # each claim's phrasings are consecutive rows: [start, end)
        self._ends = list(accumulate(len(c.questions) for c in claims if c.questions))
        self._starts = [0, *self._ends[:-1]]
        self._matrix: Any = None
        self._last: tuple[str, Any, Any] | None = None  # the question last compared, its rows and claims

    def _nearness(self, question: str) -> tuple[Any, Any]:
        """How near each phrasing, and each claim (its nearest phrasing), is to the question."""
        if self._last is not None and self._last[0] == question:
            return self._last[1], self._last[2]
        import numpy as np

        from autofill.semantic import embed, embed_all

        if self._matrix is None:
            self._matrix = embed_all(tuple(p.q for p in self._phrasings))
        rows = self._matrix @ embed([question])[0]
        claims = np.maximum.reduceat(rows, self._starts) if self._starts else rows[:0]
        self._last = (question, rows, claims)
        return rows, claims

    def nearness(self, question: str, claim_id: str) -> float:
        """How near in meaning the claim's nearest phrasing is to the question (cosine; 0 for no claim)."""
        row = self._row.get(claim_id)
        return 0.0 if row is None else float(self._nearness(question)[1][row])

    def order(self, question: str, candidates: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
        """The candidates and the claims nearest in meaning, best suggestion first."""
        rows, claims = self._nearness(question)
        pool = {c.claim: c for c in candidates}
        near = claims.tolist()
        for row in sorted(range(len(near)), key=lambda r: (-near[r], self._ids[r]))[:NEAREST]:
            claim_id = self._ids[row]
            if claim_id not in pool:  # no telling word shared: no confidence from words either
                start, end = self._starts[row], self._ends[row]
                phrasing = self._phrasings[start + int(rows[start:end].argmax())]
                pool[claim_id] = Candidate(claim_id, phrasing.answer, 0.0, phrasing.q)

        def rank(c: Candidate) -> tuple[float, str]:
            meaning = self.nearness(question, c.claim)
            return -(LEXICAL_SHARE * c.confidence / 100 + (1 - LEXICAL_SHARE) * meaning), c.claim

        return tuple(sorted(pool.values(), key=rank)[:CANDIDATES])

    def not_worth_review(self, question: str, claim_id: str) -> str | None:
        """Why a review suggestion is not worth a person's time; None when it is."""
        nearness = self.nearness(question, claim_id)
        unspoken = self.matcher.uncovered(question, claim_id)
        if nearness - UNSPOKEN_COST * min(len(unspoken), 3) >= REVIEW_NEARNESS:
            return None
        far = f"'{claim_id}' reads far from the question (nearness {nearness:.2f})"
        return f"{far} and leaves {', '.join(unspoken)} unsaid" if unspoken else far
