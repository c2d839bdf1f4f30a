"""Match a question to the knowledge base's claim phrasings, with a confidence from 0 to 100.

The score blends fuzzy similarity (rapidfuzz) with how much of the question's meaning the
claim accounts for, weighted by how rare each word is among the claims, so generic words
("do you", "data", "customer") cannot carry a match. Guards then lower the score where a
wrong answer would follow: a standard or number the claim does not speak of (SOC 1 against
a SOC 2 claim), opposite polarity ("excluded from training" against "used for training"),
and words of the question that the claim says nothing about.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from autofill.models import Answer, Candidate, Claim, KnowledgeBase
from autofill.text import CONTROL_WORDS, content_tokens, negated, normalize, question_negated

# A token naming a standard, a law, a version or a number: a claim that does not name it
# cannot answer a question that does.
_KEY_TOKEN = re.compile(
    r"^(?:soc\d|type\d|iso\d+|pcidss|hipaa|gdpr|ccpa|ferpa|fedramp|nist|cmmc|csastar|hitrust|cobit|"
    r"sox|glba|coppa|pipeda|lgpd|dora|nis2|tisax|irap|c5|ens|cjis|itar|fips|aes|rsa|sha\d*|"
    r"saml|oauth|oidc|scim|ldap|mfa|sso|zdr|baa|dpa|phi|\d+(?:\.\d+)*)$"
)
SHORTLIST = 40
CANDIDATES = 5
# When a claim's phrasings with opposite answers score within this margin of each other,
# the wording does not settle the answer: the confidence drops by twice the shortfall.
POLARITY_MARGIN = 12.0
# Score blend and penalties, tuned on the labelled questions (scripts/tune.py).
WEIGHTS: dict[str, float] = {
    "fuzzy": 0.1,
    "recall": 0.6,
    "precision": 0.3,
    "missing_key": 0.4,
    "extra_key": 6.0,
    "polarity": 0.6,
    "control": 10.0,
    "strict": 0.3,
}


@dataclass(frozen=True)
class _Entry:
    claim: Claim
    question: str
    answer: Answer
    norm: str
    tokens: frozenset[str]
    negated: bool


@dataclass(frozen=True)
class MatchResult:
    """The claims nearest to one question, best first (one candidate per claim)."""

    candidates: tuple[Candidate, ...]
    learned: bool = False

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


class Matcher:
    """An index over the current claims of a knowledge base (optionally one product's)."""

    def __init__(self, kb: KnowledgeBase, product: str | None = None) -> None:
        self.kb = kb
        self.claims = {c.id: c for c in kb.current_claims(product)}
        self._entries: list[_Entry] = []
        self._vocab: dict[str, frozenset[str]] = {}
        for claim in self.claims.values():
            vocab = set(content_tokens(claim.answer_text)) | set(content_tokens(claim.citation.quote))
            for phrasing in claim.questions:
                tokens = content_tokens(phrasing.q)
                vocab.update(tokens)
                self._entries.append(
                    _Entry(claim, phrasing.q, phrasing.answer, " ".join(tokens), frozenset(tokens), negated(tokens))
                )
            self._vocab[claim.id] = frozenset(vocab)
        df: dict[str, int] = defaultdict(int)
        for words in self._vocab.values():
            for token in words:
                df[token] += 1
        total = max(len(self._vocab), 1)
        self._idf = {token: math.log((total + 1) / (count + 0.5)) for token, count in df.items()}
        # A control word no claim uses is as telling as the rarest word (the base does not
        # speak of that control); any other unknown word is questionnaire wording.
        self._unknown_idf = math.log((total + 1) / 0.5)
        self._generic_idf = 0.4
        self._index: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(self._entries):
            for token in entry.tokens:
                self._index[token].append(number)
        self._learned = _learned_maps(kb, self.claims)

    def idf(self, token: str) -> float:
        known = self._idf.get(token)
        if known is not None:
            return known
        return self._unknown_idf if token in CONTROL_WORDS else self._generic_idf

    def match(self, question: str, qid: str | None = None) -> MatchResult:
        """Score the question against every claim it shares meaning with."""
        learned = self._learned_match(question, qid)
        if learned is not None:
            return learned
        tokens = content_tokens(question)
        if not tokens:
            return MatchResult(())
        rejected = self._learned.rejected.get(normalize(question), frozenset())
        polarity = question_negated(question)
        best: dict[tuple[str, Answer], tuple[float, str]] = {}
        for number in self._shortlist(tokens):
            entry = self._entries[number]
            score = self._score(tokens, entry, polarity)
            if entry.claim.id in rejected:
                score = min(score, 50.0)  # a reviewer said no to this pairing
            key = (entry.claim.id, entry.answer)
            if key not in best or score > best[key][0]:
                best[key] = (score, entry.question)
        per_claim: dict[str, Candidate] = {}
        for (claim_id, answer), (score, phrasing) in best.items():
            opposite = max((s for (c, a), (s, _) in best.items() if c == claim_id and a != answer), default=None)
            if opposite is not None:
                score -= 2 * max(0.0, POLARITY_MARGIN - abs(score - opposite))
            current = per_claim.get(claim_id)
            if current is None or score > current.confidence:
                per_claim[claim_id] = Candidate(claim_id, answer, round(max(score, 0.0), 1), phrasing)
        ranked = sorted(per_claim.values(), key=lambda c: (-c.confidence, c.claim))
        return MatchResult(tuple(ranked[:CANDIDATES]))

    def uncovered(self, question: str, claim_id: str) -> list[str]:
        """The question's telling words that the claim does not speak of."""
        vocab = self._vocab.get(claim_id, frozenset())
        return [t for t in dict.fromkeys(content_tokens(question)) if t not in vocab and self.idf(t) >= 1.0]

    def _shortlist(self, tokens: tuple[str, ...]) -> list[int]:
        weights: dict[int, float] = defaultdict(float)
        for token in set(tokens):
            idf = self.idf(token)
            for number in self._index.get(token, ()):
                weights[number] += idf
        return sorted(weights, key=lambda n: -weights[n])[:SHORTLIST]

    def explain(self, question: str, claim_id: str) -> list[tuple[str, str, float]]:
        """Every phrasing of a claim with its score for the question (for tuning)."""
        tokens = content_tokens(question)
        polarity = question_negated(question)
        return [
            (e.question, e.answer, round(self._score(tokens, e, polarity), 1))
            for e in self._entries
            if e.claim.id == claim_id
        ]

    def _score(self, tokens: tuple[str, ...], entry: _Entry, polarity: bool) -> float:
        from rapidfuzz import fuzz

        w = WEIGHTS
        question = frozenset(tokens)
        vocab = self._vocab[entry.claim.id]
        q_weight = sum(self.idf(t) for t in question) or 1.0
        e_weight = sum(self.idf(t) for t in entry.tokens) or 1.0
        # How much of the question the claim as a whole accounts for, and how much of this
        # phrasing the question repeats.
        recall_claim = sum(self.idf(t) for t in question if t in vocab) / q_weight
        recall_phrasing = sum(self.idf(t) for t in question if t in entry.tokens) / q_weight
        recall = w["strict"] * recall_phrasing + (1 - w["strict"]) * recall_claim
        precision = sum(self.idf(t) for t in entry.tokens if t in question) / e_weight
        fuzzy = fuzz.token_set_ratio(" ".join(tokens), entry.norm) / 100
        score = 100 * (w["fuzzy"] * fuzzy + w["recall"] * recall + w["precision"] * precision)

        if any(_KEY_TOKEN.match(t) and t not in vocab for t in question):
            score *= w["missing_key"]
        score -= w["extra_key"] * sum(1 for t in entry.tokens if _KEY_TOKEN.match(t) and t not in question)
        if polarity != entry.negated:
            score *= w["polarity"]
        # A control the question names and the claim never mentions: another control is meant.
        score -= w["control"] * sum(1 for t in question if t not in vocab and t in CONTROL_WORDS)
        return max(0.0, min(100.0, score))

    def _learned_match(self, question: str, qid: str | None) -> MatchResult | None:
        learned = self._learned
        hit = learned.by_text.get(normalize(question))
        if hit is None and qid:
            by_id = learned.by_qid.get(qid.strip().upper())
            # An id match still needs the wording to agree: a changed question goes to review.
            if by_id is not None:
                claim_id, answer, text = by_id
                similar = _similarity(normalize(question), normalize(text))
                confidence = 100.0 if similar >= 90 else min(similar, 79.0)
                return MatchResult((Candidate(claim_id, answer, confidence, text),), learned=True)
        if hit is None:
            return None
        claim_id, answer, text = hit
        return MatchResult((Candidate(claim_id, answer, 100.0, text),), learned=True)


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.token_sort_ratio(a, b))


@dataclass(frozen=True)
class _Learned:
    by_text: dict[str, tuple[str, Answer, str]]
    by_qid: dict[str, tuple[str, Answer, str]]
    rejected: dict[str, frozenset[str]]


def _learned_maps(kb: KnowledgeBase, claims: dict[str, Claim]) -> _Learned:
    by_text: dict[str, tuple[str, Answer, str]] = {}
    by_qid: dict[str, tuple[str, Answer, str]] = {}
    rejected: dict[str, set[str]] = defaultdict(set)
    for item in kb.learned:  # later decisions override earlier ones
        key = normalize(item.question)
        if item.decision == "reject":
            rejected[key].add(item.claim)
            continue
        if item.claim not in claims or item.answer is None:
            continue  # superseded, or not for this product
        by_text[key] = (item.claim, item.answer, item.question)
        if item.qid:
            by_qid[item.qid.strip().upper()] = (item.claim, item.answer, item.question)
        rejected[key].discard(item.claim)
    return _Learned(by_text, by_qid, {k: frozenset(v) for k, v in rejected.items()})
