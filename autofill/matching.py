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
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from itertools import takewhile
from operator import itemgetter

from autofill.models import PLANS, PRODUCTS, Answer, Candidate, Claim, KnowledgeBase, Phrasing
from autofill.reading import (
    CHATGPT,
    ONE_PLAN,
    Party,
    Quantity,
    Reading,
    contrasts,
    filler_words,
    frequencies_of,
    frequency_tokens,
    implied_words,
    kind_of,
    product_spellings,
    products_covered,
    products_meant,
    products_named,
    quantities,
    read_question,
    wording_words,
)
from autofill.text import (
    CONTROL_WORDS,
    NEGATIONS,
    content_tokens,
    example_tokens,
    negated,
    negated_condition,
    normalize,
    question_key,
    question_negated,
    question_proper,
)

# A token naming a standard, a law, a version or a number: a claim that does not name it
# cannot answer a question that does.
_KEY_TOKEN = re.compile(
    r"^(?:soc\d|type\d|iso\d+(?:y\d{4})?|pcidss|hipaa|gdpr|ccpa|ferpa|fedramp|nist|cmmc|csastar|hitrust|cobit|"
    r"sox|glba|coppa|pipeda|lgpd|dora|nis2|tisax|irap|c5|ens|cjis|itar|fips|aes|rsa|sha\d*|"
    r"saml|oauth|oidc|scim|ldap|mfa|sso|zdr|baa|dpa|phi|immediately|indefinitely|businesshours|inuse|\d+(?:\.\d+)*)$"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)*")


def keys_of(text: str) -> frozenset[str]:
    """The numbers, standards and versions a text names, as tokens ("aes", "256", "iso27001y2022")."""
    return frozenset(t for t in content_tokens(question_proper(text)) if _KEY_TOKEN.match(t))


# British and American spellings: a word the claims do not use is tried in the other spelling.
_SPELLINGS = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"our$", "or"),  # behaviour, harbour
        (r"is(e|ed|es|ing|ation|ations|er|ers)$", r"iz\1"),  # minimise, customisation
        (r"ys(e|ed|es|ing)$", r"yz\1"),  # analyse
        (r"tre$", "ter"),  # centre
        (r"ence$", "ense"),  # licence, defence
        (r"mme$", "m"),  # programme
        (r"ogue$", "og"),  # catalogue
        (r"ll(ed|ing)$", r"l\1"),  # cancelled, modelling
    )
)
SHORTLIST = 16
# Phrasings tied at the shortlist's cut and left out: at most TIED_MOST are weighed again, and up
# to TIED_ADDED sharing more than any kept join the shortlist.
TIED_MOST = 64
TIED_ADDED = 8
# A word in more than this share of the claims (and more than three) is too common to shortlist by.
COMMON_SHARE = 0.15
# Below this a candidate is reported, never answered: its score leaves the fuzzy ratio out.
FUZZY_FLOOR = 40.0
CANDIDATES = 5
# When a claim's phrasings with opposite answers score within this margin of each other,
# the wording does not settle the answer: the confidence drops by twice the shortfall.
POLARITY_MARGIN = 12.0
# A pairing a reviewer rejected scores at most this: below the review band, so the same wrong
# candidate is not offered again (it stays listed among the candidates in the report).
REJECTED_CAP = 40.0
# A phrasing that reads otherwise than the question (another party's practice, the customer's own
# paper, another frequency) scores at most this: below the review band, it neither answers nor
# is offered. Another phrasing of the same claim that reads the same way still can.
MISMATCH_CAP = 40.0
# A claim whose shortlisted phrasings all ask about something else, one of them this near in words,
# has its other phrasings scored too (the shortlist keeps the few sharing the most telling words)
RESCORED_FROM, RESCORED_FLOOR = 75.0, 60.0
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
    "beta": 1.0,
    "generic": 0.4,  # the weight of a word no claim uses and that names no control
    "examples": 1.0,  # 1: words only in "(e.g. ...)" lists are optional; 0: they count like any other
}

_BUILT_WEIGHTS = dict(WEIGHTS)


@dataclass(frozen=True)
class _Entry:
    claim: Claim
    question: str
    answer: Answer
    norm: str
    tokens: frozenset[str]
    negated: bool
    weights: dict[str, float]  # idf of each token
    weight: float
    keys: frozenset[str]
    vocab: frozenset[str]  # the words of its claim
    sense: Reading  # what it asks beyond its words, as the matcher compares it (Matcher._sense)
    conditions: frozenset[str]  # the words of its "if ..." / "only if ..." clauses
    said: frozenset[str]  # its tokens but those of a closing "unless ..." (what it says is so)
    exception: str  # "unless": so but in a case; "only": not so but in a case; "" neither
    amounts: frozenset[Quantity]  # "more than two stages", "within 30 days"
    limit: bool  # speaks of the limits of a practice: "Is human review governed service by service?"
    until: frozenset[str]  # the telling words of its "until ..." clause: "until the customer deletes the files"


@dataclass(frozen=True)
class _Query:
    """A question's features, computed once and scored against many phrasings."""

    text: str
    tokens: frozenset[str]
    weights: dict[str, float]
    weight: float
    keys: frozenset[str]
    controls: frozenset[str]
    negated: bool
    excluded: frozenset[str] = frozenset()  # key terms a leading condition rules out


@dataclass(frozen=True)
class _Asked:
    """What a question asks beyond its words, read only once a phrasing scores above the
    mismatch cap (most rows of a form come near no claim, and reading is most of their cost)."""

    sense: Reading
    frequencies: frozenset[str]
    products: frozenset[str]
    said: frozenset[str]  # its tokens but those of a closing "unless ..." (what it says is so)
    conditions: frozenset[str]  # the words of its "if ..." / "when ..." clauses
    exception: str  # as _Entry.exception
    amounts: frozenset[Quantity]
    limit: bool  # as _Entry.limit
    until: frozenset[str]


@dataclass(frozen=True)
class MatchResult:
    """The claims nearest to one question, best first (one candidate per claim)."""

    candidates: tuple[Candidate, ...]
    learned: bool = False
    # Whether a phrasing came near enough (above MISMATCH_CAP) for the question's reading to be
    # compared with it: a far claim is no "nearest claim that asks otherwise".
    compared: bool = False

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def product_names(product: str | None) -> tuple[tuple[str, ...], ...]:
    """The token runs naming a product, longest first: ("chatgpt", "team"), ("chatgpt",); ("api",)."""
    if product is None or product not in PRODUCTS or product == "all":
        return ()
    name = tuple(t for t in content_tokens(PRODUCTS[product]) if t not in _NOT_A_NAME)
    return (name, *((name[:1],) if len(name) > 1 else ()))


def _without(tokens: tuple[str, ...], names: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """The tokens with every run naming the product taken out ("team" alone stays: a security team)."""
    kept: list[str] = []
    at = 0
    while at < len(tokens):
        run = next((n for n in names if tokens[at : at + len(n)] == n), None)
        if run is None:
            kept.append(tokens[at])
            at += 1
        else:
            at += len(run)
    return tuple(kept)


# Words of the products' display names that are wording, not names.
_NOT_A_NAME = frozenset({"platform", "consumer"})


class Matcher:
    """An index over the current claims of a knowledge base (optionally one product's)."""

    def __init__(self, kb: KnowledgeBase, product: str | None = None) -> None:
        self.kb = kb
        self.claims = {c.id: c for c in kb.current_claims(product)}
        self._product = product
        self._spellings: dict[str, str] = {}  # words the claims spell another way
        # A form filled for one product is about that product: its name in a phrasing ("Is
        # the API penetration tested annually?") is context the question leaves unsaid.
        self._implied = product_names(product)
        phrasings: list[tuple[Claim, Phrasing, tuple[str, ...]]] = []
        self._vocab: dict[str, frozenset[str]] = {}
        self._own: dict[str, frozenset[str]] = {}  # its sentence's and phrasings' words, not the quote's
        self._frequencies: dict[str, frozenset[str]] = {}  # how often each claim says things are done
        self._amounts: dict[str, frozenset[Quantity]] = {}  # the amounts each claim's sentence states
        # claims for every product whose sentence speaks of "ChatGPT" users or data, no plan named
        self._family_only: set[str] = set()
        # How telling a word is comes from every current claim, whatever the product: a
        # claim's score must not rise because --product left out the claims that share its words.
        df: dict[str, int] = defaultdict(int)
        every = kb.current_claims()
        # the numbers and standards each answer of a claim says: its sentence, and its phrasings
        # with that answer ("30 days" in a phrasing it answers No is no 30 days for Yes). Not its
        # quote: a source sentence says more than the claim ("at rest (AES-256) and in transit
        # (TLS 1.2+)" is the quote of the claim about transit, which is no AES-256 in transit).
        self._keys: dict[tuple[str, str], frozenset[str]] = {}
        for claim in every:
            said = self._tokens(claim.answer_text)
            vocab = set(said) | set(self._tokens(claim.citation.quote))
            frequencies = set(frequencies_of(claim.answer_text)) | frequencies_of(claim.citation.quote)
            sentence = {t for t in said if _KEY_TOKEN.match(t)}
            keys: dict[str, set[str]] = {}
            quoted = {t for t in vocab if _KEY_TOKEN.match(t)}
            for phrasing in claim.questions:
                tokens = self._tokens(phrasing.q)
                # a Yes phrasing says a number only where the claim's text does ("SAML 2.0" added
                # by whoever wrote the phrasing is not the source's; `knowledge check` names it)
                stated = (t for t in tokens if _KEY_TOKEN.match(t) and (phrasing.answer != "Yes" or t in quoted))
                keys.setdefault(phrasing.answer, set(sentence)).update(stated)
                vocab.update(tokens)
                frequencies |= frequencies_of(phrasing.q)
                if claim.id in self.claims:
                    phrasings.append((claim, phrasing, tokens))
            if claim.id in self.claims:
                self._keys.update(((claim.id, answer), frozenset(said)) for answer, said in keys.items())
            for token in vocab:
                df[token] += 1
            if claim.id in self.claims:
                self._vocab[claim.id] = frozenset(vocab)
                # ("their own conversations" is no owning: "Do admins own their end users' conversations?"
                # took the admins claim's Yes, round 100)
                self._own[claim.id] = frozenset(self._tokens(_not_owning(claim.answer_text))).union(
                    *(self._tokens(_not_owning(p.q)) for p in claim.questions)
                )
                self._frequencies[claim.id] = frozenset(frequencies)
                self._amounts[claim.id] = quantities(claim.answer_text)
                several = "all" in claim.products or (
                    "consumer" in claim.products and len(PLANS.intersection(claim.products)) > 1
                )
                if several and CHATGPT in products_named(claim.answer_text):  # "data from ChatGPT users"
                    self._family_only.add(claim.id)
        total = max(len(every), 1)
        self._idf = {token: math.log((total + 1) / (count + 0.5)) for token, count in df.items()}
        # A control word no claim uses is as telling as the rarest word (the base does not
        # speak of that control); any other unknown word is questionnaire wording.
        self._unknown_idf = math.log((total + 1) / 0.5)
        self._generic_idf = WEIGHTS["generic"]
        common = max(3.0, COMMON_SHARE * total)
        self._common_idf = math.log((total + 1) / (common + 0.5))
        self._entries = [self._entry(claim, phrasing, tokens) for claim, phrasing, tokens in phrasings]
        # the case each claim leaves out: the words of its phrasings' "unless ..." clauses
        self._exceptions: dict[str, frozenset[str]] = {}
        for claim in self.claims.values():
            clauses = [p.q[unless.end() :] for p in claim.questions if (unless := _UNLESS.search(p.q))]
            words = {t for c in clauses for t in self._tokens(re.split(r"[,?;:.]", c)[0]) if self._weighs(t)}
            if words:
                self._exceptions[claim.id] = frozenset(words)
        # who does what a claim says, where its phrasings that name someone agree ("Can customers
        # delete ...?", "Can training files be deleted ...?": the customer)
        named: dict[str, set[Party]] = defaultdict(set)
        for entry in self._entries:
            if entry.sense.actor is not None:
                named[entry.claim.id].add(entry.sense.actor)
        actor: dict[str, Party] = {c: next(iter(actors)) for c, actors in named.items() if len(actors) == 1}
        self._entries = [
            replace(e, sense=replace(e.sense, actor=actor[e.claim.id]))
            if e.sense.actor is None and e.claim.id in actor
            else e
            for e in self._entries
        ]
        self._index: dict[str, list[int]] = defaultdict(list)
        self._of_claim: dict[str, list[_Entry]] = defaultdict(list)
        self._runs: dict[str, tuple[tuple[str, ...], ...]] = {}  # per product: _name_runs
        for number, entry in enumerate(self._entries):
            self._of_claim[entry.claim.id].append(entry)
            for token in entry.tokens:
                self._index[token].append(number)
        # A question's words seen before: (idf, names a standard or number, names a control).
        self._features: dict[str, tuple[float, bool, bool]] = {}
        self._constants(WEIGHTS)
        self._learned = _learned_maps(kb, self.claims, product)
        self._cache: dict[tuple[str, str], tuple[tuple[Candidate, ...], bool]] = {}
        from rapidfuzz import fuzz

        self._ratio = fuzz.token_set_ratio

    @classmethod
    def of(cls, kb: KnowledgeBase, product: str | None = None) -> Matcher:
        """The matcher for a base from load_knowledge: from the disk cache when it has one."""
        from autofill import index_cache

        matcher = index_cache.prebuilt(kb, product) if WEIGHTS == _BUILT_WEIGHTS else None
        if matcher is None:
            matcher = cls(kb, product)
            if WEIGHTS == _BUILT_WEIGHTS:  # a tuning run's weights are never cached
                index_cache.save(kb, product, matcher)
        return matcher

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        del state["_ratio"]  # a function of the rapidfuzz extension, imported again on load
        state["_cache"], state["_features"], state["_spellings"] = {}, {}, {}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        from rapidfuzz import fuzz

        self.__dict__.update(state)
        self._ratio = fuzz.token_set_ratio

    def _constants(self, w: dict[str, float]) -> None:
        # The parts of the score blend that do not depend on the question, computed as _score did.
        self._strict, self._loose = w["strict"], 1 - w["strict"]
        self._beta2 = w["beta"] ** 2
        self._beta2_1 = 1 + self._beta2
        self._linear = 100 * (1 - w["fuzzy"])
        self._fuzzy_most = 100 * w["fuzzy"]
        self._missing_key, self._polarity = w["missing_key"], w["polarity"]
        self._extra_key, self._control = w["extra_key"], w["control"]

    def _entry(self, claim: Claim, phrasing: Phrasing, tokens: tuple[str, ...]) -> _Entry:
        weights = {t: self.idf(t) for t in tokens}
        reading = read_question(phrasing.q)
        return _Entry(
            claim=claim,
            question=phrasing.q,
            answer=phrasing.answer,
            norm=" ".join(tokens),
            tokens=frozenset(tokens),
            negated=negated(tokens),
            weights=weights,
            weight=sum(weights.values()) or 1.0,
            keys=frozenset(t for t in weights if _KEY_TOKEN.match(t)),
            vocab=self._vocab[claim.id],
            sense=self._sense(reading, tokens, possible=reading.possible and phrasing.answer == "Yes"),
            conditions=self._conditions(phrasing.q),
            said=self._said(phrasing.q, frozenset(tokens)),
            exception=_exception(phrasing.q),
            amounts=quantities(phrasing.q),
            limit=_of_a_limit(phrasing.q, frozenset(tokens)),
            until=self._until(phrasing.q),
        )

    def knows(self, word: str) -> bool:
        """Whether the claims use the word (as the matcher tokenises it)."""
        return any(t in self._idf for t in self._tokens(word))

    def idf(self, token: str) -> float:
        known = self._idf.get(token)
        if known is not None:
            return known
        return self._unknown_idf if token in CONTROL_WORDS else self._generic_idf

    def match(self, question: str, qid: str | None = None, said: str | None = None) -> MatchResult:
        """Score the question against every claim it shares meaning with. `said`: the row as the form
        says it, when `question` is it as asked in its place ("... for API?" in a column for the
        API): a reviewer's decisions are kept by the form's words."""
        said = said or question
        learned = self._learned_match(said, qid)
        if learned is not None:
            return learned
        if (question, said) not in self._cache:  # questionnaires repeat rows; scoring is pure
            self._cache[question, said] = self._rank(question, said)
        candidates, compared = self._cache[question, said]
        return MatchResult(candidates, compared=compared)

    def rejected_for(self, question: str, said: str | None = None) -> frozenset[str]:
        """The claims a reviewer rejected for the question (as asked, or as the form says it)."""
        by_question = self._learned.rejected
        if not by_question:
            return frozenset()
        return by_question.get(question_key(question), frozenset()) | by_question.get(
            question_key(said or question), frozenset()
        )

    def _rank(self, question: str, said: str) -> tuple[tuple[Candidate, ...], bool]:
        query = self._query(question)
        if not query.tokens:
            return (), False
        asked: _Asked | None = None
        rejected = self.rejected_for(question, said)
        claim_recall: dict[str, float] = {}
        best: dict[str, dict[Answer, tuple[float, str]]] = defaultdict(dict)
        entries = self._entries
        capped: set[str] = set()  # claims a near phrasing of which asks about something else
        # a row made only of questionnaire wording ("What is the solution and how is it implemented?", each of a
        # FedRAMP template's controls) names nothing a claim is about: none comes near it (the encryption claim's
        # "Have you implemented encryption ...?" was suggested for 57 controls)
        hollow = query.tokens <= _unknown_skip()
        shortlist = self._shortlist(query)
        for number, shared in shortlist:
            entry = entries[number]
            claim_id = entry.claim.id
            if claim_id not in claim_recall:
                vocab = entry.vocab
                claim_recall[claim_id] = sum([w for t, w in query.weights.items() if t in vocab]) / query.weight
            score = self._score(query, entry, shared, claim_recall[claim_id])
            if score > MISMATCH_CAP:  # below it, the cap would change nothing
                asked = asked or self._asked(question, query)
                if self._asks_otherwise(question, asked, entry):
                    if score >= RESCORED_FROM:
                        capped.add(claim_id)
                    score = MISMATCH_CAP  # the phrasing asks about something else
            if claim_id in rejected:
                score = min(score, REJECTED_CAP)  # a reviewer said no to this pairing
            if hollow:
                score = min(score, MISMATCH_CAP)
            answers = best[claim_id]
            if entry.answer not in answers or score > answers[entry.answer][0]:
                answers[entry.answer] = (score, entry.question)
        if hollow:
            capped.clear()  # (nor do the claim's other phrasings: the rescoring below must not lift it past the cap)
        scored = {id(entries[number]) for number, _ in shortlist} if capped else set()
        for claim_id in sorted(capped):
            # every phrasing shortlisted asks about something else ("Does OpenAI own the outputs it
            # generates for customers?" for "Will our organization own the outputs ...?", round 96): the
            # claim's other phrasings, which the shortlist left for sharing fewer telling words, are
            # scored too ("Does the customer own the outputs generated by the service?")
            answers = best[claim_id]
            if max(v[0] for v in answers.values()) > MISMATCH_CAP or asked is None:
                continue
            for entry in self._of_claim.get(claim_id, ()):
                if id(entry) in scored:
                    continue
                score = self._score(query, entry, self._shared(entry, query.tokens), claim_recall[claim_id])
                if score < RESCORED_FLOOR or self._asks_otherwise(question, asked, entry):
                    continue  # (found beyond the shortlist, a phrasing must come near on its own)
                if claim_id in rejected:
                    score = min(score, REJECTED_CAP)
                if entry.answer not in answers or score > answers[entry.answer][0]:
                    answers[entry.answer] = (score, entry.question)
        ranked: list[tuple[float, str, Answer, str]] = []
        for claim_id, answers in best.items():
            (score, phrasing), answer = max((v, a) for a, v in answers.items())
            if len(answers) > 1:  # the claim's own opposite phrasings may fit about as well
                runner_up = max(v[0] for a, v in answers.items() if a != answer)
                score -= 2 * max(0.0, POLARITY_MARGIN - (score - runner_up))
            ranked.append((-round(max(score, 0.0), 1), claim_id, answer, phrasing))
        ranked.sort(key=itemgetter(0, 1))
        found = tuple(
            Candidate(claim_id, answer, -minus, phrasing) for minus, claim_id, answer, phrasing in ranked[:CANDIDATES]
        )
        return found, asked is not None

    def _asks_otherwise(self, question: str, asked: _Asked, entry: _Entry) -> bool:
        """Whether a phrasing asks about something else than the question, whatever words they share."""
        return (
            self._reads_otherwise(asked.sense, entry.sense)
            or self._other_frequency(asked, entry.claim.id)
            or self._other_product(asked, entry.claim)
            # (what each says is so: "retained after 30 days unless required to be deleted" is no
            # "deleted after 30 days unless required to be retained", round 98)
            or _opposite(asked.said, entry.said)
            or self._within_exception(asked, entry)
            or _other_exception(asked.exception, entry.exception)
            or self._other_amount(asked, entry)
            or (entry.limit and entry.answer == "Yes" and not asked.limit)
            # "retained until OpenAI deletes the files" is not "until the customer deletes the files"
            # (the same kind of thing counts alike, and the data deleted may go unsaid: "until the customer deletes
            # the files" is "Are fine-tuning files kept until deleted by the customer?")
            or bool(
                asked.until
                and entry.until
                and {kind_of(t) for t in asked.until} - {kind_of(t) for t in entry.until} - {"data"}
            )
        )

    def _other_amount(self, asked: _Asked, entry: _Entry) -> bool:
        """Whether the question states an amount the phrasing (or, where it says none of that unit, its
        claim) states otherwise: "more than two stages" is not "two stages" nor "more than one stage"
        (round 98 wrote the two-stage claim's Yes to it)."""
        for amount in asked.amounts:
            unit = amount[2]
            known = [a for a in entry.amounts if a[2] == unit] or [
                a for a in self._amounts.get(entry.claim.id, ()) if a[2] == unit
            ]
            if known and amount not in known:
                return True
        return False

    def _reads_otherwise(self, asked: Reading, said: Reading) -> bool:
        """Whether a phrasing asks about something else than the question, whatever words they share."""
        return next(contrasts(asked, said, self._telling_only), None) is not None

    def _telling_only(self, token: str) -> bool:
        """Whether a word an "only" applies to weighs ("authorized" does not)."""
        return token not in _unspoken_skip() and self.idf(token) >= 1.0

    def _other_product(self, asked: _Asked, claim: Claim) -> bool:
        """Whether the question names products and the claim applies to none of them."""
        if claim.id in self._family_only and asked.products & PLANS:
            # "data from ChatGPT users" (the consumer app's, in the source) says nothing of the data of
            # "ChatGPT Enterprise users", which the question names itself
            return True
        if "api" in asked.said and "api" not in claim.products and "all" not in claim.products:
            # "API payment processing components", "an API security whitepaper": "API" as a word of
            # its own names no product for certain, but a claim that leaves the API out does not
            # speak of it (round 48 wrote ChatGPT's PCI DSS Yes for the first)
            return True
        named = products_meant(asked.products, self._product) - {"every"}
        return bool(named) and "all" not in claim.products and not named <= products_covered(claim.products, PLANS)

    def products_uncovered(self, question: str, claim: Claim) -> list[str]:
        """Products the question names (or "all products") that the claim does not apply to."""
        named = products_meant(read_question(question).products, self._product)
        if not named or "all" in claim.products:
            return []
        if "every" in named:
            return ["all products"]
        covered = products_covered(claim.products, PLANS)
        return [PRODUCTS.get(p, "ChatGPT") for p in sorted(named) if p not in covered]

    def _other_frequency(self, asked: _Asked, claim_id: str) -> bool:
        """Whether the claim speaks of another frequency than the question asks about."""
        said = self._frequencies.get(claim_id)
        # ("routinely", "periodically": any frequency the claim says is a routine)
        return bool(asked.frequencies and said and not asked.frequencies - {"routine"} <= said)

    def frequency_unsaid(self, question: str, claim_id: str) -> bool:
        """Whether the question asks how often and the claim does not say."""
        return bool(read_question(question).frequencies) and not self._frequencies.get(claim_id)

    def _query(self, question: str) -> _Query:
        ordered = self._tokens(question)
        tokens = frozenset(ordered)
        # How often is a qualifier, checked apart: "annually" must not pull the yearly claim.
        frequencies = frequency_tokens()
        named = example_tokens(question) if WEIGHTS["examples"] else frozenset()
        # Words only in bracketed examples weigh as plain wording, and a standard named only
        # there is not "missing" from a claim.
        weights: dict[str, float] = {}
        keys: list[str] = []
        controls: list[str] = []  # a control in an example still counts
        for token in dict.fromkeys(ordered):  # the question's order, not a set's: sums must not vary by run
            idf, key, control = self._features.get(token) or self._feature(token)
            if token in frequencies or token in named:
                weights[token] = self._generic_idf
            else:
                weights[token] = idf
                if key:
                    keys.append(token)
            if control:
                controls.append(token)
        return _Query(
            text=" ".join(ordered),
            tokens=tokens,
            weights=weights,
            weight=sum(weights.values()) or 1.0,
            keys=frozenset(keys),
            controls=frozenset(controls),
            negated=question_negated(question, ordered),
            excluded=frozenset(t for t in negated_condition(question) if _KEY_TOKEN.match(t)),
        )

    def _asked(self, question: str, query: _Query) -> _Asked:
        reading = read_question(question)
        sense = self._sense(reading, query.tokens, possible=reading.possible)
        said = self._said(question, query.tokens)
        return _Asked(
            sense,
            reading.frequencies,
            reading.products,
            said,
            self._conditions(question),
            _exception(question),
            quantities(question),
            _of_a_limit(question, said),
            self._until(question),
        )

    def _said(self, text: str, tokens: frozenset[str]) -> frozenset[str]:
        """The text's tokens but those of a closing exception: "removed within 30 days unless required
        to retain them" says removing; the retaining is the exception."""
        unless = _UNLESS.search(text)
        # (and "their own", "the vendor's own" own nothing: "reserved for the vendor's own use" is no owning)
        owning = " own " in text and _OWN_AS_THEIRS.search(text) is not None
        if unless is None and not owning:
            return tokens
        return frozenset(self._tokens(_not_owning(text[: unless.start()] if unless else text)))

    def _until(self, text: str) -> frozenset[str]:
        """The telling words of a text's "until ..." clause (round 100 wrote "retained until the customer
        deletes the files" Yes to "until OpenAI deletes the files" and "until the fine-tuned model is deleted")."""
        found = _UNTIL.search(text)
        return frozenset(self._tokens(found.group(1))) if found else frozenset()

    def _conditions(self, text: str) -> frozenset[str]:
        """The telling words of a text's conditions: "... if legally required to be retained?" ->
        legally, required, retain ("If yes, ..." and "if applicable" set none)."""
        found: set[str] = set()
        for clause in _IF_CLAUSE.finditer(text):
            found.update(t for t in self._tokens(clause.group(1)) if self._weighs(t))
        return frozenset(found)

    def _within_exception(self, asked: _Asked, entry: _Entry) -> bool:
        """Whether the question asks within the case a claim makes its exception ("Are API inputs
        deleted after 30 days if legally required to be retained?" against "... unless legally
        required to be retained?" Yes, round 46): the claim's answer is for the other case. A
        phrasing that states the same condition itself ("... only if the customer opts in?") answers."""
        shared = asked.conditions & self._exceptions.get(entry.claim.id, frozenset())
        return bool(shared) and not shared <= entry.conditions

    def _sense(self, reading: Reading, tokens: Iterable[str], *, possible: bool) -> Reading:
        """A reading as the matcher compares it: the kinds of thing its tokens name, the words of
        its "only" as tokens, and no frequencies (how often is compared claim by claim)."""
        only = tuple(dict.fromkeys(self._tokens(" ".join(reading.only)))) if reading.only else ()
        kinds = frozenset(map(kind_of, tokens))
        ours = frozenset(map(kind_of, self._tokens(" ".join(reading.ours)))) if reading.ours else frozenset()
        return replace(reading, possible=possible, only=only, kinds=kinds, ours=ours, frequencies=frozenset())

    def _feature(self, token: str) -> tuple[float, bool, bool]:
        feature = (self.idf(token), _KEY_TOKEN.match(token) is not None, token in CONTROL_WORDS)
        if len(self._features) < 100_000:  # a long-running watcher sees ever more words
            self._features[token] = feature
        return feature

    def uncovered(self, question: str, claim_id: str) -> list[str]:
        """The question's telling words that the claim does not speak of."""
        vocab = self._own.get(claim_id, frozenset())
        skip, examples = _unspoken_skip(), example_tokens(question)
        tokens = self._tokens(_not_owning(question))
        claim = self.claims.get(claim_id)
        if claim is not None:
            # a product the claim applies to, named by the row or added from the layout ("... for
            # ChatGPT Team?"), is no word its sentence must say: which products it covers is checked
            # on its own (a plan's name alone stays: "a security team")
            covered = products_covered(claim.products, PLANS)
            for key in read_question(question).products:
                if "all" in claim.products or key in covered:
                    tokens = _without(tokens, self._name_runs(key))
        return [
            t
            for t in dict.fromkeys(tokens)
            if t not in vocab and t not in skip and t not in examples and self._weighs(t)
        ]

    def _name_runs(self, key: str) -> tuple[tuple[str, ...], ...]:
        """The token runs of every way a form names the product, longest first ("team" alone is no name)."""
        found = self._runs.get(key)
        if found is None:
            runs = {tuple(self._tokens(spelling)) for spelling in product_spellings(key)} | set(product_names(key)[:1])
            found = tuple(sorted((r for r in runs if len(r) > 1 or (r and key == "api")), key=len, reverse=True))
            self._runs[key] = found
        return found

    def borrowed(self, question: str, claim_id: str, phrasing: str) -> list[str]:
        """Words of the purpose a question asks about ("for ...") that the answering phrasing leaves
        out and that the claim says only in phrasings about another party: "Can third-party
        contractors access Team conversations for engineering support?" takes "engineering
        support" from what employees may do. Asked only of a question about a third party."""
        purpose = _PURPOSE.search(question)
        if purpose is None or not _HANDLING.search(question):
            return []
        query = self._query(question)
        asked = self._asked(question, query).sense
        if asked.party != "third":  # (the vendor's own staff, named or not, read alike too seldom)
            return []
        entries = self._of_claim.get(claim_id, [])
        chosen = next((e for e in entries if e.question == phrasing), None)
        if chosen is None:
            return []
        # every word of the purpose counts, "support" too: it is what the other party may do it for
        purposes = dict.fromkeys(self._tokens(purpose.group(1) or purpose.group(2)))
        extra = [t for t in purposes if t not in chosen.tokens]
        if not extra:
            return []
        fitting: set[str] = set(chosen.tokens)
        other: set[str] = set()
        for entry in entries:
            (fitting if entry.sense.party == asked.party else other).update(entry.tokens)
        return [t for t in extra if t in other and t not in fitting]

    def _weighs(self, token: str) -> bool:
        """Whether a word tells what is asked: rare enough, or a number or a standard however rare
        ("..., and at most 90 days?")."""
        return self.idf(token) >= 1.0 or _KEY_TOKEN.match(token) is not None

    def narrowing(self, question: str, claim_id: str, phrasing: str, margin: float = 10.0) -> list[str]:
        """What the phrasing that answered says and the question leaves out: "Do you send customer
        data to service providers in cleartext?" No is no No to "Do you send customer data to
        service providers?", nor "Can other organizations use our files?" No to "Are our files
        used?". Nothing when another phrasing of the claim with the same answer fits the question
        about as well and leaves nothing out ("your AI models" against "your models" is wording);
        product names apart (they are noted on their own)."""
        chosen = next((e for e in self._of_claim.get(claim_id, ()) if e.question == phrasing), None)
        left = self._narrowing(question, phrasing)
        if chosen is None or not left:
            return left
        scored = {q: score for q, _, score in self.explain(question, claim_id)}
        near, asked = scored.get(phrasing, 0.0) - margin, frozenset(self._tokens(question))
        for entry in self._of_claim.get(claim_id, ()):
            if (
                entry.answer == chosen.answer
                and entry.negated == chosen.negated
                and scored.get(entry.question, 0.0) >= near
                and not _opposite(asked, entry.tokens)
                and not self._narrowing(question, entry.question)
            ):
                return []
        return left

    def _narrowing(self, question: str, phrasing: str) -> list[str]:
        """The phrasing's telling words the question leaves out. (A word the phrasing may use for
        one of the question's, "dataset" for "training file", counts too: a person looks.)"""
        asked, implied, examples = set(self._tokens(question)), implied_words(), example_tokens(phrasing)
        said = dict.fromkeys(self._tokens(phrasing))
        telling = set(self._telling(said))
        words = [
            t
            for t in said
            # a bound is questionnaire prose elsewhere, but a No said "beyond what is necessary" is no
            # No to "Does the vendor receive any rights ...?" (round 37)
            if (t in telling or t in BOUND_WORDS)
            and t not in asked
            and t not in examples
            and asked.isdisjoint(implied.get(t, ()))
        ]
        if read_question(phrasing).whose == "other" and read_question(question).whose != "other":
            words.append("others (not anyone)")
        return words

    def _telling(self, tokens: Iterable[str]) -> list[str]:
        """The tokens that say what is asked: not questionnaire prose, product names or negations."""
        skip, names = _unknown_skip(), _product_words()
        return [t for t in tokens if t not in skip and t not in names and t not in NEGATIONS and self._weighs(t)]

    def keys_unsaid(self, question: str, claim_ids: list[str], answer: str) -> list[str]:
        """The question's numbers and standards that none of the claims says where it gives this
        answer: "retained for 30 days after deletion" from a claim that says 30 days only in a
        phrasing it answers No."""
        said: set[str] = set()
        for claim_id in claim_ids:
            said |= self._keys.get((claim_id, answer), frozenset())
        examples = example_tokens(question)
        return [
            t
            for t in dict.fromkeys(self._tokens(question))
            if _KEY_TOKEN.match(t) and t not in said and t not in examples
        ]

    def unknown(self, question: str) -> list[str]:
        """The question's words that no claim of the knowledge base uses, questionnaire prose
        apart: "available in German?", "immutable", "exportable" name what the base cannot settle."""
        skip, asked = _unknown_skip(), example_tokens(question) | self._alternatives(question)
        return [
            t
            for t in dict.fromkeys(self._tokens(question))
            if len(t) > 2
            and not _NUMBER.fullmatch(t)  # "3DES", "2TDEA" are words; a number is checked as a key
            and t not in asked
            and not any(s in self._idf or s in skip for s in _stems(t))
        ]

    def _alternatives(self, question: str) -> frozenset[str]:
        """Words offered as another name of a known one: "Incident/Event", "policy or standard"."""
        found: set[str] = set()
        for pair in _ALTERNATIVE.finditer(question):
            first, second = content_tokens(pair.group(1)), content_tokens(pair.group(2))
            if first and second:
                if first[-1] in self._idf:
                    found.add(second[0])
                if second[0] in self._idf:
                    found.add(first[-1])
        return frozenset(found)

    def products_unsaid(self, question: str, phrasing: str, claim: Claim) -> list[str]:
        """Products a phrasing names that the question leaves unsaid (none in a form for one product,
        nor when the question names products of its own that the claim covers: "Is ChatGPT Team
        covered?" answered through "Is ChatGPT Edu covered?" is about Team)."""
        if self._implied or "all" in claim.products:
            return []
        named = products_meant(read_question(question).products, self._product) - {"every"}
        if named and named <= products_covered(claim.products, PLANS):
            return []
        asked, said = set(self._tokens(question)), f" {' '.join(self._tokens(phrasing))} "
        business = products_covered(claim.products, PLANS) - {"consumer"}
        found = []
        for key, title in PRODUCTS.items():
            if len(business) > 1 and key in business:
                # "Does the API Platform support data residency?" is one phrasing of a claim made for
                # the vendor's business products: naming one of them narrows nothing
                continue
            names = product_names(key)
            # "enterprise customers" says which product; "ChatGPT" alone does not.
            telling = set(names[0]) - {"chatgpt"} if names else set()
            if telling and f" {' '.join(names[0])} " in said and not asked & telling:
                found.append(title)
        return found

    def scope_unsaid(self, question: str, claim: Claim) -> list[str]:
        """In a form for no product in particular, the product a claim speaks for when it is one
        alone and neither its sentence nor the question names it, or when it is the consumer app:
        "Are there restrictions on our use of outputs?" answered from the API's terms reads as
        every product's."""
        business = [p for p in claim.products if p not in ("all", "consumer")]
        if self._implied or "all" in claim.products:
            return []
        if len(business) > 1:
            # a claim for several business products speaks for the vendor's business, but not a
            # feature that leaves out ChatGPT Team (Business), the plan whose pages name the fewest,
            # "SAML SSO (ChatGPT Enterprise and API)" is no Yes for a form that names no product,
            # unless the row names a product the claim covers
            # (a certificate is the organisation's: "Are you ISO 27001 certified?" is Yes, its
            # scope in the sentence written beside it; but "Is the service covered by ...?" asks
            # whether the customer's product is in its scope)
            held = set(business)
            organisation = claim.topic == "certification" and _OF_THE_SERVICE.search(question) is None
            # nor a ChatGPT feature the API has not ("build and share custom GPTs in the workspace",
            # round 46: a bank buying the API would read a Yes; rounds 39 and 46 keyed it blank),
            # unless the row asks of ChatGPT ("Is a ChatGPT security whitepaper available?")
            named = read_question(question).products
            chatgpt = "api" in held or CHATGPT in named
            if held & ONE_PLAN and chatgpt or organisation or named & held:
                return []
            return [PRODUCTS[p] for p in business if p in PRODUCTS]
        titles = [PRODUCTS[p] for p in claim.products if p in PRODUCTS]
        if not business:
            # the consumer app's practice is no answer for a business customer, unless the row asks of the consumer
            # app itself ("Are consumer ChatGPT conversations used to train your models?", round 119b)
            return [] if "consumer" in read_question(question).products else titles
        # ("via an API call" is an interface, not the API product: round 120b and 122a wrote the API's "delete your
        # fine-tuned models at any time via an API call" to a form naming no product)
        sentence = _AN_API_CALL.sub(" ", claim.answer_text)
        said = f" {' '.join(content_tokens(sentence))} {' '.join(self._tokens(question))} "
        for key in claim.products:
            names = product_names(key)
            if names and f" {' '.join(names[0])} " in said:
                return []
        return titles

    def _tokens(self, text: str) -> tuple[str, ...]:
        tokens = content_tokens(question_proper(text))  # "3.2 Do you ...": the row's number is no key
        known = self.__dict__.get("_idf")  # (none yet while the index is built from the claims)
        if known is not None and not all(t in known for t in tokens):
            tokens = tuple(t if t in known else self._spelled(t) for t in tokens)
        return _without(tokens, self._implied) if self._implied else tokens

    def _spelled(self, token: str) -> str:
        """A word the claims spell another way ("behaviour", "minimised", "licence", "programme"):
        the claims' spelling when they use it, else the word as it is."""
        found = self._spellings.get(token)
        if found is None:
            variants = (pattern.sub(repl, token) for pattern, repl in _SPELLINGS)
            found = next((v for v in variants if v != token and v in self._idf), token)
            if len(self._spellings) < 100_000:  # a long-running watcher sees ever more words
                self._spellings[token] = found
        return found

    def _shortlist(self, query: _Query) -> list[tuple[int, float]]:
        """The phrasings sharing the most telling words with the question, with that weight."""
        # Common words ("data", "customer") would pull in half the phrasings: shortlist
        # through the telling ones, then weigh every shared word of the few kept.
        common = self._common_idf
        rough = self._rough([(t, idf) for t, idf in query.weights.items() if idf >= common])
        if not rough:  # a question made only of common words still deserves candidates
            rough = self._rough(list(query.weights.items()))
        # A stable sort: ties keep the order the words were met in, the same in every run.
        ranked = sorted(rough.items(), key=itemgetter(1), reverse=True)
        entries, tokens = self._entries, query.tokens
        kept = [(n, self._shared(entries[n], tokens)) for n, _ in ranked[:SHORTLIST]]
        if len(ranked) > SHORTLIST and ranked[SHORTLIST][1] == ranked[SHORTLIST - 1][1]:
            # More phrasings tie at the cut than it keeps ("fine-tuning" the only telling word), and
            # the first met need not be the nearest: tied ones left out that share as much weight of
            # all words, common ones too, as the best kept join them.
            cut, most = ranked[SHORTLIST - 1][1], max(shared for _, shared in kept)
            overlap = max(len(entries[n].tokens & tokens) for n, _ in kept)  # a cheap first sieve
            tied = takewhile(lambda item: item[1] == cut, ranked[SHORTLIST : SHORTLIST + TIED_MOST])
            left = [n for n, _ in tied if len(entries[n].tokens & tokens) >= overlap]
            nearer = [(n, shared) for n in left if (shared := self._shared(entries[n], tokens)) >= most]
            # the most shared first, and of those the ones with the fewest words of their own
            nearer.sort(key=lambda item: (-item[1], entries[item[0]].weight))
            kept += nearer[:TIED_ADDED]
        return kept

    def _rough(self, weights: list[tuple[str, float]]) -> dict[int, float]:
        """The summed weight of the given words in each phrasing that has any of them."""
        index = self._index
        rough: dict[int, float] = {}
        for token, idf in weights:
            postings = index.get(token, ())
            if not rough:  # each phrasing is listed once per word
                rough = dict.fromkeys(postings, idf)
                continue
            for number in postings:
                rough[number] = rough.get(number, 0.0) + idf
        return rough

    @staticmethod
    def _shared(entry: _Entry, tokens: frozenset[str]) -> float:
        """The weight of the phrasing's words in `tokens`, summed in the phrasing's order."""
        shared = entry.tokens & tokens
        if len(shared) < 3:  # no rounding depends on the order of two terms
            return sum([entry.weights[t] for t in shared])
        return sum([w for t, w in entry.weights.items() if t in shared])

    def explain(self, question: str, claim_id: str) -> list[tuple[str, str, float]]:
        """Every phrasing of a claim with its score for the question (for tuning)."""
        query = self._query(question)
        vocab = self._vocab.get(claim_id, frozenset())
        recall = sum(w for t, w in query.weights.items() if t in vocab) / query.weight
        return [
            (
                e.question,
                e.answer,
                round(self._score(query, e, self._shared(e, query.tokens), recall), 1),
            )
            for e in self._of_claim.get(claim_id, ())
        ]

    def _score(self, query: _Query, entry: _Entry, shared: float, recall_claim: float) -> float:
        """0-100; `shared` is the idf weight of the words question and phrasing share."""
        vocab = entry.vocab
        # How much of the question the claim as a whole accounts for, and how much of this
        # phrasing the question repeats.
        recall = self._strict * shared / query.weight + self._loose * recall_claim
        precision = shared / entry.weight
        # F-measure: a claim narrower than the question (low precision: "PCI DSS for delegated
        # payments" against "Are you PCI DSS compliant?") cannot be carried by recall alone.
        beta2 = self._beta2
        f_measure = self._beta2_1 * precision * recall / (beta2 * precision + recall) if precision and recall else 0.0
        linear = self._linear * f_measure
        factor = (self._missing_key if query.keys and not query.keys <= vocab else 1.0) * (
            self._polarity if query.negated != entry.negated or entry.keys & query.excluded else 1.0
        )
        # A control the question names and the claim never mentions: another control is meant.
        minus = self._extra_key * (len(entry.keys - query.tokens) if entry.keys else 0) + self._control * (
            len(query.controls - vocab) if query.controls else 0
        )
        fuzzy_most = self._fuzzy_most
        if (linear + fuzzy_most) * factor - minus < FUZZY_FLOOR:
            return max(0.0, linear * factor - minus)  # far from any answer: spare the fuzzy ratio
        fuzzy = fuzzy_most * self._ratio(query.text, entry.norm) / 100
        return max(0.0, min(100.0, (linear + fuzzy) * factor - minus))

    def _learned_match(self, question: str, qid: str | None) -> MatchResult | None:
        learned = self._learned
        if not learned.by_text and not learned.by_qid:
            return None
        hit = learned.by_text.get(question_key(question))
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


# What something is done for: "access conversations for engineering support", "... for the purpose of"
_PURPOSE = re.compile(
    r"\bfor (?:the purposes? of |purposes? of |reasons? of )?(?!example\b|instance\b|all\b|any\b|each\b|every\b|more\b|"
    r"longer\b|up\b|at\b|how\b|what\b|which\b|whom?\b)([^?.;:()]{4,60})"
    # "... to provide support to customers", "in order to investigate abuse"
    r"|\b(?:in order to|so as to|to) ((?:provide|perform|offer|give|deliver|support|investigate|comply|meet|"
    r"troubleshoot|debug|fix|resolve|respond|monitor|detect|prevent|improve|develop|maintain|operate)\b[^?.;:()]{0,60})",
    re.IGNORECASE,
)

# Who may do what with the data, each party for its own purposes
_HANDLING = re.compile(
    r"\b(?:access(?:es|ed)?|reads?|views?|review(?:s|ed)?|sees?|use[sd]?|process(?:es|ed)?|handles?|handled)\b",
    re.IGNORECASE,
)


# A question about the product the customer uses, not the organisation: "Is the service covered by
# your ISO 27001 certificate?", "Is your solution in scope of the SOC 2 report?" (round 42)
_OF_THE_SERVICE = re.compile(
    r"\b(?:the|your|this|our) (?:cloud )?(?:services?|solutions?|products?|platforms?|applications?|offerings?|"
    r"apps?|tools?|software|systems? (?:in scope|covered))\b",
    re.IGNORECASE,
)

# Words that bound what a phrasing says ("rights beyond what is necessary", "broad license rights")
BOUND_WORDS = frozenset({"beyond", "necessary", "broad", "exceed", "excessive", "unrestricted", "unlimited"})
# Words by which a Yes is said of the limits of a practice, not of whether it is done: "Is human review
# of business data governed service by service?" Yes is no Yes to "Do humans review customer data?"
# (round 98 wrote it); "Is access limited to ...?" Yes none to "Is our data accessed?"
LIMIT_WORDS = frozenset(
    {"limit", "limited", "restrict", "restricted", "restriction", "governed", "defined", "described", "description",
     "circumstance", "condition", "bounded", "confined", "only", "solely", "exclusively"}
)  # fmt: skip

# ... or of whether the vendor says when it is done: "Does each service describe when its business data
# may be subject to human review?" (whose words but these are the question's)
_SAYS_WHEN = re.compile(
    r"\b(?:describes?|description of|explains?|specif(?:y|ies)|sets? out|defines?|documents?) "
    r"(?:when|how|the circumstances|the conditions|under what|in what cases)\b",
    re.IGNORECASE,
)


def _of_a_limit(text: str, tokens: frozenset[str]) -> bool:
    """Whether a text speaks of the limits of a practice (or when it is done), not only of whether it is."""
    return not tokens.isdisjoint(LIMIT_WORDS) or _SAYS_WHEN.search(text) is not None


# Words of a way a thing is done whose No says nothing of the thing itself: "... to service
# providers in cleartext?" No is no No to sending data to them; "... hidden from admins?" No is
# a Yes to admins seeing them (round 71 offered that No for "Can admins see the chats?")
# ("... automatically deleted after 30 days?" No is no No to removal once the customer deletes them,
# round 79)
MANNER_WORDS = frozenset(
    {"cleartext", "plaintext", "hidden", "unencrypted", "unprotected", "anonymously", "automatically", "automatic",
     "automated", "manually", "manual"}
)  # fmt: skip

# A closing exception: "..., unless legally required to retain them".
_UNLESS = re.compile(r"\b(?:unless|except (?:where|when|if|as))\b", re.IGNORECASE)
# "their own" as a possessive, not the verb "own"
_OWN_AS_THEIRS = re.compile(r"\b(its|their|our|your|his|her|my|[a-z]+'s) own\b", re.IGNORECASE)


def _not_owning(text: str) -> str:
    """The text with "their own" as "their": a possessive, no owning."""
    return _OWN_AS_THEIRS.sub(r"\1", text) if " own " in text else text


# What a thing lasts until: "until the customer deletes the files"
_UNTIL = re.compile(r"\b(?:until|till|up until)\b([^,?;:.]*)", re.IGNORECASE)
# A sole case: "kept beyond 30 days only if legally required"
_ONLY_IF = re.compile(
    r"\b(?:only|solely|just) (?:if|when|where|in (?:cases?|the event) (?:where|that)|under)\b|\bif and only if\b",
    re.IGNORECASE,
)


# A case a text speaks of: "... if the law requires it" ("if yes", "if applicable" are none)
_IN_CASE = re.compile(
    r"\b(?:if|in (?:the )?cases? (?:where|that)|in the event(?: that)?|provided(?: that)?)\b"
    r"(?!\s+(?:yes|so|not|no|any|applicable|available|possible|necessary|needed|relevant)\b)",
    re.IGNORECASE,
)


def _exception(text: str) -> str:
    """How a text makes its exception: "unless" (so, but in a case), "only" (not so, but in a case),
    "if" (so in a case): "kept beyond 30 days unless legally required to delete them" is neither
    "kept beyond 30 days only if legally required" nor "... if the law requires it" (round 98 wrote
    their Yes to it)."""
    if _UNLESS.search(text):
        return "unless"
    return "only" if _ONLY_IF.search(text) else "if" if _IN_CASE.search(text) else ""


def _other_exception(asked: str, said: str) -> bool:
    """Whether one of two texts says a thing is so unless a case and the other says it in that case."""
    return "unless" in (asked, said) and asked != said and bool(asked and said)


# A condition a question (or phrasing) sets: "if legally required ...", "when a legal hold applies",
# "If the organization opted out, ..." ("if yes", "if so", "if applicable" set none)
_IF_CLAUSE = re.compile(
    r"\b(?:(?:only |even )?(?:if|when|whenever|where|wherever)|in cases? where|once|in case|in the event(?: that)?|"
    r"provided(?: that)?|under|during|absent|notwithstanding|for (?:\w+ ){0,2}(?:that|who|which)|"
    # "Should retention be required by law, are ...?"
    r"should(?=[^?,]*,))\b"
    r"(?!\s+(?:yes|so|not|no|any|applicable|available|possible|necessary|needed|relevant)\b)([^,?;:.]*)",
    re.IGNORECASE,
)

# Verbs that say the opposite of one another: "Are deleted conversations retained after 30 days?"
# is not "Are deleted conversations removed within 30 days?"; "Do you require an explicit opt-out
# before training on API data?" is not "... an explicit opt-in ...?" (round 48 wrote its Yes)
_OPPOSITES = (
    ("retain", "delete"),
    ("delete", "retain"),
    ("optout", "optin"),
    ("optin", "optout"),
    # "Are conversations visible to admins?" is not settled by "... hidden from admins?" No (round 52
    # offered the No), nor the other way round
    ("visible", "hidden"),
    ("hidden", "visible"),
    # and seeing them: "Can admins see / view / read the chats?" (round 71)
    *((seeing, "hidden") for seeing in ("see", "view", "read", "look")),
    *(("hidden", seeing) for seeing in ("see", "view", "read", "look")),
    ("enabled", "disabled"),
    ("disabled", "enabled"),
)
# One of a pair where the other is not asked about too: "Are API inputs made more aligned through
# human feedback?" is not "... outputs ...?" (round 50); "inputs and outputs" is both
_ONE_OF = (
    ("input", "output"),
    ("output", "input"),
    # owning is no access, nor the other way round: "Do customers have exclusive ownership of fine-tuned
    # models?" took the Yes of "... exclusive access to models fine-tuned with its data?" (round 99)
    ("own", "access"),
    ("access", "own"),
    # nor is using ("reserved for the vendor's own use" took the ownership claim's Yes, round 101)
    ("own", "use"),
    ("use", "own"),
)


def _opposite(asked: frozenset[str], said: frozenset[str]) -> bool:
    """Whether the question says one of a pair of opposites that the phrasing leaves for the other."""
    return any(a in asked and a not in said and b in said for a, b in _OPPOSITES) or any(
        a in asked and b not in asked and a not in said and b in said for a, b in _ONE_OF
    )


def _narrower(asked: frozenset[str], said: frozenset[str]) -> bool:
    """Whether one of question and phrasing speaks of a narrower set of things than the other."""
    return bool(asked) != bool(said) or bool(asked and said and asked.isdisjoint(said))


_AN_API_CALL = re.compile(r"\b(?:via|through|using|with) an api(?: calls?| requests?)?\b|\ban api calls?\b", re.I)


@cache
def _unspoken_skip() -> frozenset[str]:
    """Words a claim need not speak of: questionnaire filler and how often (checked apart)."""
    return filler_words() | frequency_tokens()


@cache
def _product_words() -> frozenset[str]:
    """The words of the products' names ("chatgpt", "enterprise", "api")."""
    return frozenset(t for key in PRODUCTS for name in product_names(key) for t in name)


@cache
def _unknown_skip() -> frozenset[str]:
    return wording_words() | frequency_tokens()


# Two words given as alternatives of one another: "Incident/Event", "policies or standards".
_ALTERNATIVE = re.compile(r"([A-Za-z][\w-]*)\s*(?:/|\bor\b)\s*([A-Za-z][\w-]*)")
_SUFFIXES = ("ing", "ed", "able", "ible", "ly", "ion", "ions", "ment", "ness", "ity", "al", "er", "e")
_PREFIXES = ("cyber", "info", "re", "pre", "un", "non", "sub")


def _stems(token: str) -> list[str]:
    """The token and its likely stems ("conducting": conduct, "cybersecurity": security), for
    telling a word the knowledge base never uses from one it uses in another form."""
    stems = [token]
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            stems += [token[: -len(suffix)], token[: -len(suffix)] + "e"]
    stems += [token[len(p) :] for p in _PREFIXES if token.startswith(p) and len(token) - len(p) >= 4]
    return stems


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.token_sort_ratio(a, b))


@dataclass(frozen=True)
class _Learned:
    by_text: dict[str, tuple[str, Answer, str]]
    by_qid: dict[str, tuple[str, Answer, str]]
    rejected: dict[str, frozenset[str]]


def _learned_maps(kb: KnowledgeBase, claims: dict[str, Claim], product: str | None) -> _Learned:
    by_text: dict[str, tuple[str, Answer, str]] = {}
    by_qid: dict[str, tuple[str, Answer, str]] = {}
    rejected: dict[str, set[str]] = defaultdict(set)
    for item in kb.learned:  # later decisions override earlier ones
        if item.product is not None and item.product != product:
            continue  # decided in another product's column
        key = question_key(item.question)
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
