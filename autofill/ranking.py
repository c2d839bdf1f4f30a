"""Order the suggestions a person sees, and keep from review those not worth their time.

The lexical matcher decides what is written; this module only orders the candidates of rows it
did not answer. Each candidate is ranked by a blend of its lexical confidence and how near in
meaning the claim's nearest phrasing is to the question (autofill.semantic), less a cost for
each telling word of the question the claim does not speak of, and the claims nearest in
meaning join the list even when they share no telling word with the question ("dedicated
security staff" against the 24x7 incident-team claim). A review suggestion far in meaning from
the question, or leaving several of its telling words unspoken of, is left for a person
(unanswered, its candidates kept in the report) instead of highlighted for review: the same
measure of a suggestion's worth orders the list and decides what is flagged. Where the words
did not settle a claim's answer, the answer of its phrasing nearest in meaning is suggested,
unless that phrasing reads otherwise than the question.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate
from typing import Any

from autofill.matching import CANDIDATES, Matcher
from autofill.models import Candidate
from autofill.reading import differences
from autofill.text import content_tokens, without_examples

# Share of the lexical confidence (0-1) in a suggestion's rank; the rest is nearness in meaning.
LEXICAL_SHARE = 0.2
# Claims nearest in meaning added to the lexical candidates.
NEAREST = 3
# Questions embedded and compared at once: a (BATCH x phrasings) float32 matrix at a time.
BATCH = 512
# A suggestion's worth is its nearness in meaning (cosine, 0-1) less UNSPOKEN_COST for each
# telling word of the question the claim does not speak of (at most UNSPOKEN_MOST counted); a
# review suggestion stays for review when its worth reaches REVIEW_NEARNESS. Measured on
# eval/labels.yaml and on the knowledge base's own phrasings (README "Accuracy, measured").
REVIEW_NEARNESS = 0.50
UNSPOKEN_COST = 0.06
UNSPOKEN_MOST = 3


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
        self._starts = [0, *self._ends[:-1]] if self._ends else []  # a base of no claims (a library alone)
        self._matrix: Any = None
        # per question compared: each claim's nearness, the number of each claim's nearest
        # phrasing, and the claims nearest in meaning (rows, best first)
        self._known: dict[str, tuple[Any, Any, tuple[int, ...]]] = {}

    def prepare(self, questions: Sequence[str] = ()) -> None:
        """Load the model, embed the phrasings, and compare `questions` in one vectorised pass."""
        import numpy as np

        from autofill.semantic import embed, embed_all

        if self._matrix is None:
            self._matrix = embed_all(tuple(p.q for p in self._phrasings))
        texts = [q for q in dict.fromkeys(questions) if q not in self._known]
        for at in range(0, len(texts), BATCH):
            part = texts[at : at + BATCH]
            rows = embed(part) @ self._matrix.T  # (questions, phrasings)
            if self._starts:
                claims = np.maximum.reduceat(rows, self._starts, axis=1)
                # each claim's nearest phrasing: the first of its rows that reaches the claim's nearness
                sizes = np.diff([*self._starts, len(self._phrasings)])
                numbers = np.where(rows == np.repeat(claims, sizes, axis=1), np.arange(rows.shape[1]), rows.shape[1])
                phrasing = np.minimum.reduceat(numbers, self._starts, axis=1)
            else:
                claims = phrasing = rows[:, :0]
            # the stable sort breaks ties by the knowledge base's order, the same in every run
            nearest = np.argsort(-claims, axis=1, kind="stable")[:, :NEAREST].tolist()
            for number, text in enumerate(part):
                self._known[text] = (claims[number], phrasing[number], tuple(nearest[number]))

    def _compared(self, question: str) -> tuple[Any, Any, tuple[int, ...]]:
        if question not in self._known:
            self.prepare([question])
        return self._known[question]

    def nearness(self, question: str, claim_id: str) -> float:
        """How near in meaning the claim's nearest phrasing is to the question (cosine; 0 for no claim)."""
        row = self._row.get(claim_id)
        return 0.0 if row is None else float(self._compared(question)[0][row])

    def order(
        self, question: str, candidates: tuple[Candidate, ...], settled: float = 0.0, keep: str | None = None
    ) -> tuple[Candidate, ...]:
        """The candidates and the claims nearest in meaning, best suggestion first.

        A candidate whose words reach `settled` keeps the answer of the phrasing its words
        matched. Below that the words did not settle which of the claim's phrasings the question
        asks, and the answer of the one nearest in meaning is suggested ("Do you use a cloud
        data center?" is nearer "Is the service hosted in a cloud environment?", Yes, than
        "... only in on-premises data centers?", No, which two shared words chose). `keep` names
        a claim whose answer stays as it is (the one a review row offers).
        """
        claims, phrasing, nearest = self._compared(question)
        pool = {c.claim: c for c in candidates}
        for claim_id, c in list(pool.items()):
            row = self._row.get(claim_id)
            if row is None or c.confidence >= settled or claim_id == keep or c.kind != "claim":
                continue
            near = self._phrasings[int(phrasing[row])]
            alike = self._reads_alike(question, claim_id, near.q)
            if near.answer != c.answer and alike:
                pool[claim_id] = Candidate(claim_id, near.answer, 0.0, near.q)  # words chose the other answer
            elif not c.confidence and not alike:
                del pool[claim_id]  # neither words nor meaning tell which of its answers the question takes
        for row in nearest:
            claim_id = self._ids[row]
            if claim_id not in pool:  # no telling word shared: no confidence from words either
                near = self._phrasings[int(phrasing[row])]
                # a number the question asks about that the phrasing does not say ("within 48 hours"
                # against "30 days"): its answer is to another question
                if _numbered(without_examples(question)) <= _numbered(near.q):
                    pool[claim_id] = Candidate(claim_id, near.answer, 0.0, near.q)

        def rank(c: Candidate) -> tuple[float, str]:
            row = self._row.get(c.claim)
            meaning = 0.0 if row is None else float(claims[row])
            # a claim that leaves the question's telling words unsaid answers less of it, however
            # near its topic ("cloud infrastructure ... best practices" is not the pentest it asks)
            unsaid = UNSPOKEN_COST * min(len(self.matcher.uncovered(question, c.claim)), UNSPOKEN_MOST)
            return -(LEXICAL_SHARE * c.confidence / 100 + (1 - LEXICAL_SHARE) * (meaning - unsaid)), c.claim

        return tuple(sorted(pool.values(), key=rank)[:CANDIDATES])

    def _reads_alike(self, question: str, claim_id: str, phrasing: str) -> bool:
        """Whether nothing the words guard against sets the phrasing apart from the question: another
        party, the customer's own paper, another frequency, a product the claim does not apply
        to, or another number, version or standard ("within 24 hours" against "30 days")."""
        if differences(question, phrasing) or self.matcher.products_uncovered(question, self.matcher.claims[claim_id]):
            return False
        return _numbered(question) == _numbered(phrasing)

    def not_worth_review(self, question: str, claim_id: str) -> str | None:
        """Why a review suggestion is not worth a person's time; None when it is."""
        nearness = self.nearness(question, claim_id)
        unspoken = self.matcher.uncovered(question, claim_id)
        if nearness - UNSPOKEN_COST * min(len(unspoken), UNSPOKEN_MOST) >= REVIEW_NEARNESS:
            return None
        far = f"'{claim_id}' reads far from the question (nearness {nearness:.2f})"
        return f"{far} and leaves {', '.join(unspoken)} unsaid" if unspoken else far


@lru_cache(maxsize=4096)
def _numbered(text: str) -> frozenset[str]:
    """The words of a text that carry a digit: numbers, versions, standards (soc2, iso27001, 24)."""
    return frozenset(t for t in content_tokens(text) if any(ch.isdigit() for ch in t))
