"""Fill a form: read its questions, decide each one against the knowledge base, write, verify."""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from autofill.choices import grades, match_choice, meaning
from autofill.errors import AutofillError, FormError
from autofill.forms import format_for
from autofill.knowledge import quote_in_source
from autofill.library import (
    CUSTOMERS_NOTE,
    GIVEN_TO_ANOTHER,
    MAX_AGE_DAYS,
    UNKNOWN_NAME,
    Library,
    LibraryMatch,
    private_in,
)
from autofill.matching import BOUND_WORDS, MANNER_WORDS, MISMATCH_CAP, Matcher, MatchResult
from autofill.models import (
    PLANS,
    PRODUCTS,
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
from autofill.reading import (
    KIND_WANTS,
    RUNS_ON,
    STATE_NAMES,
    Reading,
    asks_for_departures,
    asks_for_name,
    cased,
    clauses,
    column_products,
    completed,
    customers_undertaking,
    defined_customer,
    differences,
    filler_words,
    follow_up,
    for_the_customer,
    in_section,
    kind_of,
    main_clause,
    one_group_of_two,
    one_state,
    other_product_in,
    our_side,
    place_products,
    products_covered,
    products_left_out,
    products_meant,
    products_named,
    question_kind,
    read_question,
    reader_voice,
    respondent_voice,
    scopes_unsaid,
    section_scope,
    speaks_in_person,
    unsaid_reason,
    vendor_voice,
    voice_certain,
)
from autofill.semantic import available as meaning_available
from autofill.text import PLACE_WORDS, content_tokens, excluded, negated, question_negated, question_proper

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
    customer: str | None = None  # who the form goes to, for the ledger
    form_customer: str | None = None  # the name the form defines for itself ("Northwind"), read where it is a party
    form_aliases: tuple[str, ...] = ()  # its own words for itself ("the Company"), read wherever they stand
    form_things: tuple[str, ...] = ()  # terms it defines as its own systems ("the Platform"): the customer's
    ledger: bool = True  # record the written answers in the ledger (the drop folder records at publishing)
    max_age_days: int = MAX_AGE_DAYS  # library answers older than this are offered for review, not written

    def with_thresholds(self, *, auto: float | None = None, review: float | None = None) -> FillOptions:
        """A copy with new thresholds, given together; the review threshold may not exceed the auto one."""
        new = replace(
            self,
            auto_threshold=self.auto_threshold if auto is None else auto,
            review_threshold=self.review_threshold if review is None else review,
        )
        if new.review_threshold > new.auto_threshold:
            kept = " (its current value; pass a lower --review-threshold too)" if review is None else ""
            raise AutofillError(
                f"--review-threshold ({new.review_threshold:g}){kept} must not be above --auto-threshold "
                f"({new.auto_threshold:g})"
            )
        return new


def default_output(form: Path) -> Path:
    """NAME.filled.EXT beside the input."""
    return form.with_name(f"{form.stem}.filled{form.suffix}")


def output_path(out: Path | None, default: Path) -> Path:
    """Where -o says to write: `default` when it says nothing, the default's name in a folder it
    names ("-o ./", round 63 read "Error: : ..."); a name with no extension that is no folder yet is
    refused (round 67 read "must have the same extension" for "-o filled/")."""
    out = out or default
    if out.is_dir():
        return out / default.name
    if not out.suffix:
        raise FormError(
            out, f"is no folder and has no extension: create the folder first, or name the output NAME{default.suffix}"
        )
    return out


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
    out = output_path(out, default_output(form))
    if out.suffix.lower() != form.suffix.lower():
        raise FormError(out, f"must have the same extension as the input ({form.suffix})")
    if out.exists() and out.resolve() == form.resolve():
        raise FormError(out, "is the input file; choose another output with -o (the input is never modified)")
    check_package(form, "docx" if form.suffix.lower() == ".docx" else "xlsx")
    read = module.read_questions(form, replace(options.read, product=options.product))
    # the name the form defines for the company that wrote it ('Northwind Retail Group ("Northwind")')
    # is read as "the customer" where it names a party and --customer names none
    told = replace(
        options, form_customer=read.customer, form_aliases=read.customer_aliases, form_things=read.customer_things
    )
    outcomes = decide_all(read.questions, kb, told, progress)
    # written beside the output and checked before it takes the output's name: a copy that fails its check
    # must not be sent on, and a file already there (a copy someone reviewed) must not be lost (round 110)
    if not out.parent.is_dir():
        raise FormError(out, "cannot be written (the folder does not exist); choose another output path")
    if not os.access(out.parent, os.W_OK):
        raise FormError(out, "cannot be written (the folder is not writable); choose another output path")
    checking = out.with_name(f".{out.name}.checking{out.suffix}")
    try:
        stats = module.write_answers(form, checking, outcomes, citations=options.citations)
        module.verify_output(form, checking, outcomes)
        os.replace(checking, out)
    finally:
        checking.unlink(missing_ok=True)
    notes = tuple(read.notes) + tuple(stats.warnings)
    if options.ledger:
        from autofill import ledger

        problem = ledger.record(
            customer=options.customer, form=form, output=out, rows=ledger.entries(outcomes, kb), command="fill"
        )
        notes += (problem,) if problem else ()
    return FillReport(form, out, tuple(outcomes), notes, time.perf_counter() - started)


def decide_all(
    questions: Sequence[FormQuestion], kb: KnowledgeBase, options: FillOptions, progress: Progress | None = None
) -> list[Outcome]:
    """Decide every question; `progress(done, total)` is called as it goes.

    Large forms are decided on every core: matching is pure, so forked workers inherit the
    index and return plain outcomes. A form with an answer column for each product has each
    column's rows decided as --product would decide them.
    """
    if all(q.product in (None, options.product) for q in questions):
        return _decide_all(questions, kb, options, progress)
    rows: dict[str | None, list[int]] = {}
    for at, question in enumerate(questions):
        rows.setdefault(question.product or options.product, []).append(at)
    decided: dict[int, Outcome] = {}
    for product, ats in rows.items():
        done = len(decided)
        told = (lambda n, _, done=done: progress(done + n, len(questions))) if progress is not None else None
        part = _decide_all([questions[at] for at in ats], kb, replace(options, product=product), told)
        decided.update(zip(ats, part, strict=True))
    return [decided[at] for at in range(len(questions))]


def _decide_all(
    questions: Sequence[FormQuestion], kb: KnowledgeBase, options: FillOptions, progress: Progress | None = None
) -> list[Outcome]:
    global _WORKER_DECIDER
    decider = _Decider(Matcher.of(kb, options.product), kb, options)
    workers = options.workers or min(os.cpu_count() or 1, MAX_WORKERS)
    # Suggestions are ordered by meaning: every question is embedded in one pass, before workers fork.
    if decider.ranker is not None:
        decider.ranker.prepare([q.text for q in questions if not q.existing or options.overwrite])
    if len(questions) < PARALLEL_MIN or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        outcomes: list[Outcome] = []
        for number, question in enumerate(questions, start=1):
            outcomes.append(decider.decide(question))
            if progress is not None and (number % 50 == 0 or number == len(questions)):
                progress(number, len(questions))
        return _halves_left(outcomes)
    chunks = [list(questions[at : at + CHUNK]) for at in range(0, len(questions), CHUNK)]
    _WORKER_DECIDER = decider
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_quiet_worker) as pool:
            decided: list[Outcome] = []
            for chunk, part in zip(chunks, pool.imap(_decide_chunk, chunks), strict=True):
                decided.extend(_unpack(question, packed) for question, packed in zip(chunk, part, strict=True))
                if progress is not None:
                    progress(len(decided), len(questions))
    finally:
        _WORKER_DECIDER = None
    return _halves_left(decided)


# A row that carries on the one above: "(Including backups and replicas.)", "- including on backup media"
# ("(SaaS only) Do you ...?" and "(a) Is ...?" are rows of their own)
_CONTINUED = re.compile(r"^\s*(?:\((?![a-z0-9]{1,3}\))(?:[a-z]|[^)]*\)\W*$)|[-\u2013\u2014]\s+[a-z])")


# A row left open by its last word
_LEFT_OPEN = re.compile(
    # (not "in", "on": "after the customer opts in", "logged on" end where they end)
    r"\b(?:and|or|but|if|the|a|an|of|to|for|with|by|from|that|which|your|our|its|their|is|are|be|"
    r"including|such as|e\.g\.?|i\.e\.?)\s*[,-]?$",
    re.IGNORECASE,
)


# A row that opens a question of its own
_OPENS = re.compile(
    r"(?:is|are|do|does|did|can|could|will|would|has|have|had|should|shall|may|must|was|were|how|what|which|when|"
    r"where|who|why|any|r u|u)\b",
    re.IGNORECASE,
)


def _halves_left(outcomes: list[Outcome]) -> list[Outcome]:
    """A question split over two rows ("Is customer data used to train your models" / "if the
    customer has opted in?") is neither of its halves: both are left for a person."""
    halves: set[int] = set()
    # a form whose rows mostly open in lower case ("do u train on our data", round 80) says nothing
    # by a row's small letter: there a row runs on only from a word that leaves it open
    opened: dict[tuple[str | None, int | None], list[bool]] = {}
    for outcome in outcomes:
        where = (outcome.question.location.sheet, outcome.question.location.table)
        opened.setdefault(where, []).append(question_proper(outcome.question.text).lstrip()[:1].islower())
    lower = {where: 2 * sum(small) > len(small) for where, small in opened.items()}
    for at in range(len(outcomes) - 1):
        first, second = outcomes[at].question, outcomes[at + 1].question
        here, there = first.location, second.location
        if (here.sheet, here.table, here.row + 1) != (there.sheet, there.table, there.row):
            continue
        head, tail = question_proper(first.text).rstrip(), question_proper(second.text).lstrip()
        unfinished = bool(head) and head[-1] not in "?.!:;)]\"'" and tail[:1].islower()
        if unfinished and lower[(here.sheet, here.table)]:
            # ... or it ends the question the row above began: "do you hold a soc 2 type 2 report" /
            # "covering chatgpt free and plus?" (round 83), a question mark on a row that asks nothing
            ends = tail.rstrip().endswith("?") and not _OPENS.match(tail)
            unfinished = bool(RUNS_ON.match(tail) or _LEFT_OPEN.search(head) or ends)
        if unfinished or _CONTINUED.match(second.text):
            halves |= {at, at + 1}
    for at in sorted(halves):
        outcome = outcomes[at]
        if outcome.status in ("answered", "review"):
            why = "the question runs on from one row into the next: neither row is the whole question"
            outcomes[at] = Outcome(
                outcome.question, "unanswered", confidence=outcome.confidence, candidates=outcome.candidates, note=why
            )
    return outcomes


def _suggestion_first(outcome: Outcome) -> Outcome:
    """A review row's candidates start with its suggestion: "candidate 1" and "accept" mean what the
    sheet shows as the suggested answer (round 25: a clause's Yes was suggested, while the whole
    question's list began with the same claim's No, which "accept" wrote)."""
    if outcome.status != "review" or not outcome.claim or outcome.answer is None:
        return outcome
    first = outcome.candidates[0] if outcome.candidates else None
    if first is not None and (first.claim, first.answer) == (outcome.claim, outcome.answer):
        return outcome
    same = [c for c in outcome.candidates if c.claim == outcome.claim]
    kind = same[0].kind if same else ("library" if outcome.provenance else "claim")
    phrasing = same[0].phrasing if same else ""
    suggested = Candidate(outcome.claim, outcome.answer, outcome.confidence, phrasing, kind)
    rest = tuple(c for c in outcome.candidates if c.claim != outcome.claim)
    return replace(outcome, candidates=(suggested, *rest))


def in_context(
    question: FormQuestion, customer: re.Pattern[str] | None = None, things: re.Pattern[str] | None = None
) -> FormQuestion:
    """The question as asked in its section (reading.in_section): "Do they encrypt ...?" under
    "Subprocessors" asks whether subprocessors do; and the customer as the form names itself ("Is
    Bank data encrypted?", "the University's data", `customer`: the --customer name) is the customer,
    and so are its systems as the form defines them (`things`: "the Platform" is "the customer's platform")."""
    text = _the_customer(in_section(completed(question.text, question.section), question.section), customer)
    if things is not None:
        text = things.sub(lambda m: f"the customer's {m.group(1).lower()}", text)
    if question.voice == "vendor":
        text = respondent_voice(text)  # a self-assessment's "Do we ...?" asks "Do you ...?", its "you" the customer
    text = _with_products(text, question)
    return question if text == question.text else replace(question, text=text)


def _with_products(text: str, question: FormQuestion) -> str:
    """A row that names no product asks about the one its answer column, section or sheet names:
    "Is SSO supported?" under "ChatGPT Edu" is "Is SSO supported for ChatGPT Edu?"."""
    said = products_named(text)
    column = column_products(question.scopes[0]) if question.scopes else frozenset()
    # the row's place: its nearest heading naming a product, else the lines above the header, else
    # the sheet; with a column for another product ("Vendor Response (ChatGPT Enterprise)" under
    # "Employee use of personal accounts (ChatGPT Free)"), asked of both
    places = (*reversed(question.context), *question.scopes[1:])
    # (a product a line leaves out is none it names: "Do not answer for consumer ChatGPT.", round 120a)
    place = next((named for p in places if p and (named := _place_products(p) - products_left_out(p))), frozenset())
    if column:
        # a column for one product under a title "(answer for each product)": the column's product
        # alone (round 92 left 45 of 51 rows as "not for all products")
        place -= {"every"}
    if said:
        # "... for API customers?" in a column headed "ChatGPT Team Response", "a ChatGPT whitepaper
        # for this service" on a sheet "API Platform" (round 38): asked of both
        layout = column or place
        return text if not layout or layout & said or "every" in said else _asked_of(text, layout)
    # a product the knowledge base does not cover ("Azure OpenAI Service", "Sora"), wherever the
    # layout names it: asked of it too, so that no claim about the vendor's products answers for it
    other = next((name for p in (*question.scopes[:1], *places) if p and (name := other_product_in(p))), None)
    if column | place:
        names = _names_of(column | place)
        return _named(text, f"{names} and {other}" if other else names)
    return _named(text, other) if other else text


# A line saying how to answer: "Answer Yes, No or N/A separately for each product offered."
_HOW_TO_ANSWER = re.compile(
    r"\W*(?:please\s+)?(?:answer|respond|reply|select|indicate|complete|fill|mark|tick|enter|state|provide)\b",
    re.IGNORECASE,
)


def _leaves_out(place: str, product: str) -> bool:
    """Whether a line leaves the product out of the rows, by its name or its family's ("not ChatGPT")."""
    return _in_family(product, products_left_out(place))


def _in_family(product: str, keys: Iterable[str]) -> bool:
    """Whether the product is one of `keys` or of a family among them ("chatgpt" holds "chatgpt-enterprise")."""
    return any(product == key or product.startswith(f"{key}-") for key in keys)


def _place_products(place: str) -> frozenset[str]:
    """The products a heading or line names; a line saying how to answer "for each product" asks
    no row about every product (round 82's multi-product form got nothing)."""
    named = place_products(place)
    return named - {"every"} if "every" in named and _HOW_TO_ANSWER.match(place) else named


def _asked_of(text: str, products: frozenset[str]) -> str:
    """The question asked of `products`, inside it so that it is no clause of its own: "Is SSO
    supported for ChatGPT Edu?"."""
    return _named(text, _names_of(products))


def _names_of(products: frozenset[str]) -> str:
    return " and ".join(_PRODUCT_NAMES.get(p) or PRODUCTS[p] for p in sorted(products))


def _named(text: str, names: str) -> str:
    body = text.rstrip()
    return f"{body[:-1].rstrip()} for {names}?" if body.endswith("?") else f"{body} for {names}"


# The names products_named reads back as the same products
_PRODUCT_NAMES = {"every": "all products", "chatgpt": "ChatGPT", "consumer": "ChatGPT Free"}


# The words after which a name is a party: "with Northwind", "notify Northwind" (one look-behind each)
_AFTER = "|".join(
    rf"(?<=\b{w} )"
    for word in ("with", "to", "for", "by", "from", "notify", "inform", "and", "does", "do", "can", "will", "may",
                 "must", "shall", "should", "would", "could", "is", "has", "until", "unless", "when", "if", "that",
                 # (the party a vendor serves: "support Northbridge in meeting its HIPAA obligations", round 113a)
                 "support", "supports", "help", "helps", "assist", "assists", "allow", "allows", "enable", "enables",
                 "let", "lets", "give", "gives", "provide", "provides")
    for w in (word, word.capitalize())
)  # fmt: skip


def customer_named(name: str, *, as_party: bool = False, aliases: Sequence[str] = ()) -> re.Pattern[str]:
    """The --customer name as a form writes it ("Acme", "the Acme"); `as_party`: only where it names
    a party (a name the form defines for itself: "Northwind's", "Northwind data", "with Northwind",
    not "Northwind InfoSec")."""
    # the name with or without the kind of company it ends with: "Cascade Health Network" is "Cascade Health"; as
    # a party, by its telling word too: "Halvorsen Pharma AG" is "Halvorsen", "City of Brookfield" "Brookfield"
    short = _COMPANY_KIND.sub("", name)
    names = [name, *([short] if short != name and len(short) >= 3 else [])]
    telling = next(
        (w for w in re.split(r"\s+(?:of|&|and)\s+|\s+", name) if w[:1].isupper() and w not in _NOT_TELLING), ""
    )
    if as_party and len(name.split()) > 1 and len(telling) >= 4 and telling not in names:
        names.append(telling)
    # a public body or a bank calls itself by its kind, wherever it stands: "the Credit Union's data", "the
    # University" (round 111b); "School District" is also "the District"; a government department or agency is
    # "the agency" ("All agency data", "The agency shall own all outputs", round 113b)
    kind = _SELF_KIND.search(name) or _PUBLIC_BODY.match(name)
    kinds = [kind.group(1), kind.group(1).split()[-1]] if kind else []
    kinds = [k for k in dict.fromkeys(kinds) if _SELF_KIND.fullmatch(k) or _PUBLIC_BODY.match(f"{k} of")]
    if kind and kind.group(1) in _AGENCIES:
        kinds.append("Agency")
    kinds += [a for a in aliases if a[:1].isupper() and len(a) >= 3]  # "'the Company' means ..." (round 117)
    cased = [f"[{k[0].upper()}{k[0].lower()}]{re.escape(k[1:])}" for k in dict.fromkeys(kinds)]  # "the agency"
    the_kind = "|".join(rf"[Tt]he {k}|{k}(?=\s+{_OWNED_WORDS})" for k in cased)
    itself = rf"|(?<!\w)(?:{the_kind})(?![\w-])" if the_kind else ""
    named = "(?:" + "|".join(map(re.escape, names)) + ")"
    if not as_party:
        return re.compile(rf"(?<!\w)(?:[Tt]he )?{named}(?!\w){itself}")
    return re.compile(
        rf"(?<!\w)(?:[Tt]he )?{named}(?=['’]s?\b|\s+{_PARTY_WORDS})|(?:{_AFTER})(?:[Tt]he )?{named}(?![\w'’]){itself}"
    )


# What a party's name stands before where it names the party: "Northwind data", "agency users"
_OWNED_WORDS = (
    r"(?:data|information|content|users?|employees|staff|IT|systems?|administrators?|admins?|workspaces?|"
    r"accounts?|inputs?|outputs?|prompts?)\b"
)
# (and a name as the subject of what it will do: "Nordvik will use the service", round 114b)
_PARTY_WORDS = rf"(?:{_OWNED_WORDS}|(?:will|shall|may|can|must|should|would|could|intends?|plans?|needs?|wants?)\b)"
# A public body named by its kind first: "Department of Digital Government Services" is "the Department"
_PUBLIC_BODY = re.compile(
    r"(City|County|State|Town|Village|Commonwealth|Province|Municipality|Borough|Department|Ministry|Office|Bureau|"
    r"Administration|Agency) (?:of|for)\b"
)
_AGENCIES = frozenset({"Department", "Ministry", "Office", "Bureau", "Administration", "Agency"})


_NOT_TELLING = frozenset(
    {"City", "County", "State", "Town", "Village", "Commonwealth", "Province", "Municipality", "Borough", "Port", "The",
     "First", "National", "United", "General", "Global", "American", "International", "New", "North", "South", "East",
     "West", "Central", "Royal", "Saint", "St.", "University", "College", "Bank", "Trust"}
)  # fmt: skip
_COMPANY_KIND = re.compile(
    r",?\s+(?:Inc\.?|Ltd\.?|Limited|LLC|LLP|Corp\.?|Corporation|Company|Co\.?|Group|Network|Holdings|plc|GmbH|AG|"
    r"AS|ASA|AB|A/S|ApS|Oy|Oyj|SpA|S\.p\.A\.|Srl|SARL|SAS|S\.A\.|SA|NV|BV|KK|Pty Ltd|Pte Ltd|"
    r"Systems?|Health System|N\.A\.)$"
)
# The kind a public body or a bank is, by which its own form names it ("the Credit Union", "the Hospital")
_SELF_KIND = re.compile(
    r"\b(Credit Union|Bank|University|College|Hospital|Health System|School District|District|City|County|Council|"
    # ("Cascade Valley Unified School District No. 412": a public body's number after its kind, round 113a)
    r"Authority|Agency|Institute|Foundation|Trust|Clinic|Museum|Library|School Board|Board|Commission)"
    r"(?:,? N\.A\.|\s+No\.?\s*\d+)?$"
)


def _the_customer(text: str, customer: re.Pattern[str] | None) -> str:
    if customer is not None:
        text = customer.sub("the customer", text)
    return defined_customer(text)


_KEPT_ANYWAY = "already answered in the form, and autofill has no answer to replace it: check it yourself"

# Forms of this many questions are decided in parallel, CHUNK questions per task.
PARALLEL_MIN = 500
CHUNK = 500
MAX_WORKERS = 4
_WORKER_DECIDER: _Decider | None = None


def _quiet_worker() -> None:
    """A worker leaves Ctrl-C to the parent (which stops and says so) and ends without a word when
    the parent is gone (round 26: 64 lines of worker tracebacks after one Ctrl-C)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)


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
    tuple[tuple[str, Answer, float, str, str], ...],
    str | None,
    tuple[tuple[str, str], ...],
    str | None,
]


def _pack(o: Outcome) -> _Packed:
    candidates = tuple((c.claim, c.answer, c.confidence, c.phrasing, c.kind) for c in o.candidates)
    return (
        *(o.status, o.answer, o.value, o.text, o.comment, o.confidence, o.claim, o.citations, candidates, o.note),
        *(o.side, o.provenance),
    )


def _unpack(question: FormQuestion, packed: _Packed) -> Outcome:
    status, answer, value, text, comment, confidence, claim, citations, candidates, note, side, provenance = packed
    found = tuple(Candidate(c[0], c[1], c[2], c[3], "library" if c[4] == "library" else "claim") for c in candidates)
    return Outcome(
        question, status, answer, value, text, comment, confidence, claim, citations, found, note, side, provenance
    )


def in_words(text: str, tokens: Sequence[str]) -> str:
    """Matcher tokens ("custdata", "atrest", "usa") as the text writes them ("customer data",
    "at rest", "US"), each once, in the text's order; a token the text has no words for as it is."""
    words = re.findall(r"[A-Za-z0-9][\w.+/'’-]*", text)
    wanted, shown = list(dict.fromkeys(tokens)), []
    for size in (1, 2, 3, 4):  # a token may be folded from a phrase ("our organization's data")
        for at in range(len(words) - size + 1):
            span = " ".join(words[at : at + size])
            said = content_tokens(span)
            hit = [t for t in wanted if t in said]
            if hit and len(said) <= len(hit) + 1:
                shown.append((at, span))
                wanted = [t for t in wanted if t not in hit]
    return ", ".join([span for _, span in sorted(shown)] + wanted)


def _not_near(question: str, best: Candidate, auto: float) -> str:
    """Why a row no guard stopped is still left to a person: how near the nearest phrasing is, and
    what each says that the other does not, in their own words."""
    asked, said = content_tokens(question), content_tokens(best.phrasing)
    extra = in_words(question, [t for t in asked if t not in said])
    missing = in_words(best.phrasing, [t for t in said if t not in asked])
    near = f"the nearest phrasing of '{best.claim}' ('{best.phrasing}') fits at {best.confidence:.0f}, below {auto:g}"
    parts = [near]
    if extra:
        parts.append(f"the question also says: {extra}")
    if missing:
        parts.append(f"the phrasing also says: {missing}")
    return "; ".join(parts)


class _Decider:
    def __init__(self, matcher: Matcher, kb: KnowledgeBase, options: FillOptions) -> None:
        self.matcher, self.kb, self.options = matcher, kb, options
        self._verified: dict[str, bool] = {}
        self._every_product: Matcher | None = None  # every product's claims, made when first needed
        self.library = Library(kb, max_age_days=options.max_age_days, product=options.product) if kb.library else None
        self.ranker = Ranker(matcher) if meaning_available() else None
        # the customer's name as its form writes it, unless the claims use its words ("Data", "Cloud"); the form's
        # own name counts beside --customer, which may be only the ledger's label for it (round 112a: "--customer
        # norrsken-2025" left every row naming "Norrsken" blank)
        named = []
        if options.customer and len(options.customer) >= 3 and not matcher.knows(options.customer):
            named.append(customer_named(options.customer))
        if options.form_customer and len(options.form_customer) >= 3 and options.form_customer != options.customer:
            # (a form's own name: only as a party; its own words for itself anywhere)
            named.append(customer_named(options.form_customer, as_party=True, aliases=options.form_aliases))
        self._customer = re.compile("|".join(n.pattern for n in named)) if len(named) > 1 else next(iter(named), None)
        # the customer's own systems as the form names them: '"the Platform" means our intranet' (round 120a)
        things = "|".join(re.escape(t) for t in options.form_things)
        self._things = re.compile(rf"\b[Tt]he ({things})\b") if things else None

    def decide(self, question: FormQuestion) -> Outcome:
        product = self.options.product
        places = (*question.context, *question.scopes[1:])
        if product and (excluded := next((p for p in places if _leaves_out(p, product)), None)):
            # "This questionnaire does not concern the OpenAI API." in a fill for the API (round 120a wrote its answers)
            why = (
                f"the form says its rows are not about {PRODUCTS.get(product, product)} ('{excluded[:80]}'): fill with "
            )
            return Outcome(question, "unanswered", note=why + "the --product they are about, or none")
        turned = next((place for place in question.context if _YES_MEANS_NOT.search(place)), None)
        if turned is not None:
            # "Which of the following are missing from your service? (Yes = missing)" over "Audit logs?"
            # (round 97 wrote the vendor's Yes: audit logs are provided): a Yes there says it is not
            why = f"asked under '{turned[:80]}', where Yes means it is not so: answered by a person"
            return Outcome(question, "unanswered", note=why)
        asked = in_context(question, self._customer, self._things)  # "Do they ...?" under "Subprocessors"
        outcome = self._in_both_voices(question.text, asked, self._decide_ranked(asked, question.text))
        if self.library is not None and outcome.status != "kept":
            # the team's answers are kept as their forms asked them: a self-assessment's in its own voice
            said = (
                in_context(replace(question, voice=None), self._customer, self._things)
                if question.voice == "vendor"
                else asked
            )
            found = self.library.match(said.text, question.qid, question.section)
            found = [m for m in found if _same_voice(said.text, question.voice, m.entry.question, m.entry.voice)]
            elsewhere = self._published_elsewhere(asked.text) if found and self.options.product else None
            outcome = _with_library(outcome, found, self.library, self.options, elsewhere)
        outcome = _suggestion_first(self._in_its_place(outcome, question))
        departs = asks_for_departures(question.scopes, question.choices) if outcome.answer is not None else None
        if departs is not None and outcome.status in ("answered", "review"):
            # "Exception (Yes/No)": the claim's Yes would say the requirement is not met (round 73);
            # neither written nor offered
            why = f"the answer column asks whether the requirement is departed from ('{departs[:80]}'): answer it"
            outcome = Outcome(
                outcome.question, "unanswered", confidence=outcome.confidence, candidates=outcome.candidates, note=why
            )
        if outcome.status == "unanswered" and question.existing:
            # --overwrite, and nothing to write: the form's own answer stays, and the report says so
            # (round 34: a form another vendor had filled read as 253 blank rows)
            outcome = replace(outcome, status="kept", note=_KEPT_ANYWAY + (f"; {outcome.note}" if outcome.note else ""))
        return outcome if asked is question else replace(outcome, question=question)

    def _published_elsewhere(self, text: str) -> str | None:
        """With --product, what the published claims say of the question when they say it only of
        other products: a library answer the team gave about one of those is no answer for this
        one (round 64 wrote an Enterprise admin's Yes from the library into a form for the API)."""
        best = self._all_products().match(text).best
        claim = self.kb.claim(best.claim) if best and best.confidence >= self.options.review_threshold else None
        if claim is None or "all" in claim.products:
            return None
        covered = products_covered(claim.products, PLANS)
        if self.options.product in covered:
            return None
        return ", ".join(sorted(PRODUCTS.get(p, p) for p in claim.products))

    def _in_both_voices(self, said: str, asked: FormQuestion, outcome: Outcome) -> Outcome:
        """A row in the first person that names no other party ("Do we determine how long data is
        retained?", "Is our API penetration tested?") is the customer's voice in a form the customer
        wrote and the vendor's in an attestation: its answer is written only when it is the same
        read both ways (round 51 wrote the customer's Yes for the vendor's "Do we own the output
        generated from our customers' prompts?")."""
        if outcome.status not in ("answered", "review", "unanswered") or asked.voice == "customer":
            return outcome  # (a form that says its "we" is the customer is read as it is)
        if asked.voice == "vendor":
            # a self-assessment's "our fine-tuned models", "our workspace admins" are the vendor's own,
            # of which no claim speaks (read as yours, they would be the customer's: round 52)
            if outcome.status != "answered" or not our_side(said):
                return outcome
            why = "the form's 'we' is you, and what it calls its own here only a customer has: read by a person"
            return replace(outcome, status="review", note=why + (f"; {outcome.note}" if outcome.note else ""), side=())
        # "Do we ...?" with no "you"; "We control how long your data is retained." (round 53)
        other = vendor_voice(asked.text) or reader_voice(asked.text)
        if other is None or read_question(asked.text).obliged:
            # "Does our company need a SOC 2 report to use the service?": what one party must do or
            # have, in either voice, is no practice a claim states (round 94 offered the SOC 2 Yes)
            return outcome
        again = self._decide_ranked(replace(asked, text=other), said)
        said_so = f"'we', 'our' and 'you' may be either party: read in your voice ('{other}') the answer is"
        if outcome.status != "answered":
            if again.status != "answered" or outcome.status == "review":
                return outcome
            # "Is our API penetration tested?" is the customer's API as the customer asks it, and
            # yours in an attestation: the respondent's reading is offered to a person
            note = f"{said_so} {again.answer}" + (f"; read in the customer's: {outcome.note}" if outcome.note else "")
            return replace(again, question=asked, status="review", note=note, side=())
        if again.status == "answered" and again.answer == outcome.answer:
            return outcome
        why = f"{said_so} " + (f"{again.answer}" if again.status == "answered" else "not settled")
        return replace(outcome, status="review", note=why + (f"; {outcome.note}" if outcome.note else ""), side=())

    def _in_its_place(self, outcome: Outcome, question: FormQuestion) -> Outcome:
        """An answer the row's place in the form unsettles goes to review: a follow-up ("If so,
        was the data encrypted?") asks within the row before it, and a section such as
        "Subprocessors", "Roadmap" or "Backups" narrows a row that does not say so itself. A
        library answer given under the same section stands. Every heading above the row counts, and
        so do its answer column's header and the sheet's title ("To be completed by Customer")."""
        if outcome.status not in ("answered", "review") or outcome.note == "manual":
            return outcome
        text, section = question.text, question.section
        why = "a follow-up of the row before it: it asks within that row's case" if follow_up(text) else None
        entry = self.library.entry(outcome.claim) if self.library is not None and outcome.claim else None
        same_place = entry is not None and bool(entry.section) and entry.section == section
        # a heading narrows as a section does; the sheet, its title lines and the answer column speak
        # for the whole form, where "Third Party Risk" names the vendor answering it
        places = (
            ()
            if same_place
            else (*((c, False) for c in reversed(question.context)), *((s, True) for s in question.scopes))
        )
        found = next((hit for place, whole in places if (hit := self._unsaid(text, place, whole))), None)
        if why is None and found is not None:
            why, scopes, named = found
            if self._another_partys(named, scopes, outcome):
                # the customer's part of the form is the customer's to answer: no vendor answer is
                # offered there either (round 47: accepting the suggestion would write the vendor's Yes);
                # nor under the vendor's providers or its people, for a claim about the vendor itself
                # (round 69: "Does it hold a SOC 2 Type 2 report?" under "Your cloud hosting provider")
                return Outcome(
                    outcome.question,
                    "unanswered",
                    confidence=outcome.confidence,
                    candidates=outcome.candidates,
                    note=why,
                )
        if why is None:
            return outcome
        note = why + (f"; {outcome.note}" if outcome.note else "")
        return replace(outcome, status="review", note=note, side=())

    def _another_partys(self, named: str, scopes: frozenset[str], outcome: Outcome) -> bool:
        """Whether the place (`named`, narrowing the row to `scopes`) makes the row another party's
        than the vendor's whose practice the answer speaks of: the customer's, a third party's, or
        the vendor's people's where the answer says nothing of its people ("Are they ISO 27001
        certified?" under "Contractors")."""
        if "the customer" in section_scope(named):
            return True
        if "third party" in scopes or "plans" in scopes:
            # (a roadmap asks what will be: the vendor's practice today is no answer to offer, round 72)
            return True
        # (a row listed with nothing suggested is read by its first candidate: round 118b's listing kept "Will they
        # sign a BAA with us?" under "Contractors who review our content" for review)
        first = outcome.candidates[0] if outcome.candidates and outcome.candidates[0].kind == "claim" else None
        claim_id = outcome.claim or (first.claim if first else None)
        if "the vendor's employees" not in scopes or not claim_id:
            return False
        claim = self.kb.claim(claim_id) if outcome.provenance is None else None
        said = f"{claim.answer_text} {claim.citation.quote}" if claim is not None else ""
        return "the vendor's employees" not in section_scope(said)

    def _unsaid(self, text: str, place: str, whole: bool) -> tuple[str, frozenset[str], str] | None:
        """reading.scopes_unsaid, with the customer as the form names itself ("City Responsibilities"
        is "Customer Responsibilities", round 44 wrote the vendor's Yes under it): why the place
        narrows the row, what it narrows it to, and the place as read; None when it does not."""
        named = _the_customer(cased(place), self._customer)
        scopes = scopes_unsaid(text, named, whole_form=whole)
        return (unsaid_reason(place, scopes), scopes, named) if scopes else None

    def _decide_ranked(self, question: FormQuestion, said: str) -> Outcome:
        """Decide by words; a row not answered gets its suggestions ordered by meaning too."""
        outcome = self._decide_from_claims(question, said)
        if self.ranker is None or outcome.status not in ("review", "unanswered") or not outcome.candidates:
            return outcome
        if self.matcher.match(question.text, question.qid, said).learned:
            return outcome  # a reviewer's decision is not second-guessed
        # below the review band the words did not settle a claim's answer: meaning suggests it
        keep = outcome.claim if outcome.status == "review" else None
        ordered = self.ranker.order(question.text, outcome.candidates, self.options.review_threshold, keep)
        if outcome.status == "review" and ordered[0].claim != outcome.claim:
            again = self._decide_from_claims(question, said, MatchResult(ordered))
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

    def _all_products(self) -> Matcher:
        """The matcher of every product's claims, made when first needed."""
        if self._every_product is None:
            self._every_product = Matcher.of(self.kb, None)
        return self._every_product

    def _other_products_only(self, question: str) -> str | None:
        """The products a row names when every one is another than the fill's --product ("the API" in a fill
        for ChatGPT Enterprise), by name; None when it names none, or the fill's own or its family."""
        product = self.options.product
        named = products_named(question) - {"every"}
        if not product or not named or _in_family(product, named):
            return None
        return " and ".join(PRODUCTS.get(p, "ChatGPT") for p in sorted(named))

    def _decide_from_claims(self, question: FormQuestion, said: str, ordered: MatchResult | None = None) -> Outcome:
        """The row's outcome from the claims; `said`: the row as its form says it, by which a reviewer's
        decisions on it are found, whatever it is asked as in its place ("... for ChatGPT Team?")."""
        if question.existing and not self.options.overwrite:
            return Outcome(question, "kept", note="already answered in the form (use --overwrite to replace)")
        if _wants_text_only(question):
            # "Website", "Country of Company Headquarters": no claim's Yes / No answers a label row.
            return Outcome(question, "unanswered", note=f"the row {KIND_WANTS['label']}; no claim answers it")
        if for_the_customer(question.text):
            return Outcome(question, "unanswered", note="the row's label gives it to the customer to answer")
        if customers_undertaking(question.text):
            why = "the row states what the customer will do or has done (its own part), not a question for the vendor"
            return Outcome(question, "unanswered", note=why)
        result = ordered or self.matcher.match(question.text, question.qid, said)
        best = result.best
        # Clauses are matched only when the whole question came near a claim.
        near = best is not None and best.confidence >= COMPOUND_FLOOR and not result.learned
        parts = clauses(question.text) if near else []
        part_bests = [(part, self.matcher.match(part).best) for part in parts] if len(parts) > 1 else []
        backed = [c for _, c in part_bests if c is not None and c.confidence >= self.options.auto_threshold]
        partly = False
        if backed and (best is None or best.confidence < self.options.review_threshold):
            # The whole reads poorly, but some parts are known: a person finishes the row.
            best, partly = max(backed, key=lambda c: c.confidence), True
        if best is None or best.confidence < self.options.review_threshold:
            note = "no claim in the knowledge base answers this" if best else "no claim shares its words"
            if best is not None and result.compared and (other := differences(question.text, best.phrasing)):
                note = f"the nearest claim '{best.claim}' asks otherwise: {other[0]}"
            if elsewhere := self._other_products_only(question.text):
                # (round 118a: an API row in a fill for ChatGPT Enterprise read "no claim answers this", though the
                # claims for the API do)
                note = (
                    f"{note}; the row asks about {elsewhere}, and this fill takes only the claims for "
                    f"{PRODUCTS.get(self.options.product or '', self.options.product)} (--product)"
                )
                # (advice only where another product's claim comes near: round 119b followed it to no answer)
                nearest = self._all_products().match(question.text).best
                if nearest is not None and nearest.confidence >= self.options.review_threshold:
                    note += f": a claim for {elsewhere} comes near; fill with its --product to see it"
            if refused := self.matcher.rejected_for(question.text, said):
                # (round 112b: a reviewer's rejection read as "no claim answers this")
                names = "', '".join(sorted(refused))
                note = f"a reviewer rejected '{names}' for this question; {note}"
            return Outcome(
                question,
                "unanswered",
                confidence=best.confidence if best else 0.0,
                candidates=result.candidates,
                note=note,
            )
        reading = read_question(question.text)
        phrasing_negated = negated(content_tokens(best.phrasing))
        if not result.learned and (
            question_negated(question.text) != phrasing_negated or excluded(question.text) != excluded(best.phrasing)
        ):
            # "Are you unable to sign a BAA?" against "Will you sign a BAA?": the phrasing's answer
            # would be the opposite, and a negation misread would flip it again. A person decides.
            return _left(
                question, best, result, f"the question is worded as the negation of the nearest claim '{best.claim}'"
            )
        claims = [self._claim(best.claim)]
        answer: Answer = best.answer
        notes: list[str] = []  # each one is a reason a person must look
        unsettled = False  # the answer holds for a part (a product, a limit) the row does not settle
        rival = _rival(result, self.options.review_threshold)
        if rival is not None and rival.claim != best.claim:
            notes.append(
                f"claims '{best.claim}' ({best.answer}) and '{rival.claim}' ({rival.answer}) both fit; "
                "the answer may depend on the product (try --product)"
            )
        # "encrypted at rest and in transit" (or that clause of a longer row) from the claim about
        # transit: the claim that answers the other half alike joins it (else a person finishes it)
        for text in [*parts, question.text] if len(parts) > 1 else [question.text]:
            if _half_the_states(text, claims) and (joining := self._other_half(text, claims, answer)) is not None:
                claims.append(joining)
        uncovered = []
        for part, part_best in part_bests:
            # the chosen claims speak to this part already, unless it is what a concession leads to
            # ("While you retain ownership of fine-tuned models, any organization can access them.":
            # its main clause must be answered on its own, round 54)
            # (and a part the chosen claims answer otherwise is answered otherwise: "..., and the customer
            # owns those models." is the claim's own No, round 100 wrote Yes for the whole)
            if (
                part_best is not None
                and part_best.answer != answer
                and part_best.confidence >= self.options.review_threshold
                and any(c.id == part_best.claim for c in claims)
            ):
                why = (
                    f"the claim '{best.claim}' answers '{part.strip(' ?.,;')}' {part_best.answer} and the rest {answer}"
                )
                return _left(question, best, result, why)
            if (
                part_best is not None
                and part_best.answer != answer
                and part_best.confidence >= self.options.auto_threshold
                and not result.learned
            ):
                # "Can we fine-tune models on our own data, and are fine-tuned models ever served to other
                # customers?": another claim answers one part Yes, the chosen one the rest No; one value for
                # the row would deny the first part (round 112a wrote "No")
                why = (
                    f"its parts are answered differently: '{part.strip(' ?.,;')}' {part_best.answer} by the claim "
                    f"'{part_best.claim}', the rest {answer} by '{best.claim}'"
                )
                return _left(question, best, result, why)
            if not self._unsettled(part, claims) and part != main_clause(question.text):
                continue
            if part_best is None or part_best.confidence < self.options.auto_threshold or part_best.answer != answer:
                uncovered.append(part.strip(" ?.,;"))
            elif all(c.id != part_best.claim for c in claims):
                claims.append(self._claim(part_best.claim))
        if not result.learned:
            # Every telling word of the question must be spoken of by a claim that answers it:
            # "... and support customer-managed keys (BYOK)" is not settled by the AES-256 claim.
            words = self._unsettled(question.text, claims)
            settled = any(not self._unsettled(part, claims) for part in parts if len(parts) > 1)
            # (of another topic only where the question joins things: "data residency for audit logs"
            # is one thing, of which the residency claim and the audit-log claim each say half, round 87)
            topic = None if _JOINS.search(question.text) else claims[0].topic
            helpers = self._covering(question.text, words, result, best, topic) if words and not settled else []
            if helpers:
                # "... in transit and at rest": two claims, each settling its half, with one answer.
                claims += [self._claim(c) for c in helpers if all(c != k.id for k in claims)]
                notes.append("answered by several claims together: " + ", ".join(f"'{c.id}'" for c in claims))
                words = []
            elif words and not settled:
                # No part of the question is what the claim speaks of: its answer, Yes or No,
                # would mislead ("trained to respond to unauthorized access" is not who may read
                # chats). Nothing is offered; the report keeps the candidates.
                return _left(
                    question,
                    best,
                    result,
                    f"the nearest claim '{best.claim}' does not speak of: {in_words(question.text, words)}",
                )
            borrowed = self.matcher.borrowed(question.text, best.claim, best.phrasing)
            if borrowed:
                return _left(
                    question,
                    best,
                    result,
                    f"the claim '{best.claim}' says {in_words(question.text, borrowed)} only of another party",
                )
            # (a word of a clause already named as not covered only sends that clause to review)
            named = set(content_tokens(" ".join(uncovered)))
            unknown = [w for w in self.matcher.unknown(question.text) if w not in named]
            if unknown:
                # "Is your DPA available in German?": a word no claim uses names what the base
                # cannot settle; the DPA claim's Yes would mislead. Nothing is offered.
                said = in_words(question.text, unknown)
                return _left(question, best, result, f"the knowledge base never speaks of: {said}")
            if words and not any(w in " ".join(uncovered).lower() for w in words):
                uncovered.append(", ".join(words))
            negative = (answer == "No") != phrasing_negated
            conditional = _CONDITIONAL.search(best.phrasing) and not _CONDITIONAL.search(question.text)
            if negative or conditional:
                # "Do you send customer data to service providers in cleartext?" No: a claim that
                # something is not done is said of what its phrasing names, and no wider; "Can
                # deleted conversations be retained beyond 30 days if the law requires it?" Yes
                # holds only under its condition.
                narrower = self.matcher.narrowing(question.text, best.claim, best.phrasing)
                if negative and BOUND_WORDS.intersection(narrower):
                    # "Does the vendor receive any rights in our inputs?" against "... rights beyond
                    # what is necessary?" No: the honest answer is a limited Yes; a No is not offered
                    return _left(
                        question,
                        best,
                        result,
                        f"the claim's {answer} is said only with a bound the question does not set "
                        f"({in_words(best.phrasing, narrower)}): the honest answer is a limited one",
                    )
                manner = MANNER_WORDS.intersection(narrower)
                if negative and manner:
                    return _left(
                        question,
                        best,
                        result,
                        f"the claim's {answer} is said only of a way the question does not ask about "
                        f"({in_words(best.phrasing, sorted(manner))}): it says nothing of the thing itself",
                    )
                ever = bool(_EVER.search(question.text) or _COULD.search(question.text) or reading.possible)
                any_of = None if ever else _ANY_OF.search(question.text)
                if negative and narrower and (ever or any_of):
                    # ("Could our prompts be used to improve your models?", "Is it possible ...?": whether it can
                    # happen at all, round 120a offered the fine-tuned models' No)
                    # "Is API data ever used for model training?" against "fine-tuned models are never
                    # used to train other models" (round 87 offered its No): whether it happens at all
                    # is asked, and a No said of less is no answer to it
                    asked = "it ever happens" if ever else f"there is {any_of.group(0) if any_of else 'any'} at all"
                    return _left(
                        question,
                        best,
                        result,
                        f"the question asks whether {asked}; the claim's {answer} is said only with: "
                        f"{in_words(best.phrasing, narrower)}",
                    )
                if narrower and _ABSOLUTE.search(question.text):
                    # "Can we use API outputs without any restriction at all?" against "... without
                    # restriction, subject to the Usage Policies" Yes (round 95 offered it): the
                    # question sets the condition aside the claim's answer holds under
                    return _left(
                        question,
                        best,
                        result,
                        f"the question asks whether it holds without any condition; the claim's {answer} holds "
                        f"only with: {in_words(best.phrasing, narrower)}",
                    )
                if narrower:
                    notes.append(f"the claim's {answer} is said only with: {in_words(best.phrasing, narrower)}")
            unbounded = None if negative else _unbounded(question.text, claims, best.phrasing)
            if unbounded and answer == "Yes":
                # "Can customers choose to store their data in any country?": the claim says residency is
                # offered, not in every country; its Yes, offered at 100, would be wrong accepted (round 98)
                return _left(
                    question, best, result, f"the question asks about '{unbounded}'; the claim does not say so"
                )
            if unbounded:
                notes.append(f"the question asks about '{unbounded}'; the claim does not say so")
            limits = (
                _limits(question.text, claims[0])
                or _beyond(question.text, claims)
                or (_ever_limited(question.text, reading.possible, claims[0]) if answer == "No" else None)
            )
            group = one_group_of_two(reading, f"{claims[0].answer_text} {claims[0].citation.quote}")
            if group:
                why = f"the question limits it to one group; the claim '{best.claim}' names {group}s too"
                return _left(question, best, result, why)
            beyond = self.matcher.products_uncovered(question.text, claims[0])
            if limits or beyond:
                # "for all endpoints" against "eligible endpoints", "all products" against three:
                # the honest answer is neither the claim's Yes nor a plain No.
                why = f"is limited ('{limits}')" if limits else f"does not apply to {', '.join(beyond)}"
                return _left(
                    question,
                    best,
                    result,
                    f"the question asks about more than the claim '{best.claim}' covers: it {why}",
                )
            if set(claims[0].products) <= {"consumer"} and "consumer" not in reading.products:
                # "Are conversations from business users among the sources used to train your models?":
                # the consumer app's Yes is no answer for a business customer, nor worth offering
                # (round 94 offered it at 78, and "Can users delete their memories ...?" at 97)
                why = f"the claim '{best.claim}' is the practice of ChatGPT for individuals, not asked of by the row"
                return _left(question, best, result, why)
            products = self.matcher.products_unsaid(
                question.text, best.phrasing, claims[0]
            ) or self.matcher.scope_unsaid(question.text, claims[0])
            # (and a claim joined for another part: "Can we fine-tune a model on our own data, and is that model
            # private to us?" took the API's fine-tuning sentence beside a claim for every product, round 121b)
            products = products or next(
                (found for claim in claims[1:] if (found := self.matcher.scope_unsaid(question.text, claim))), []
            )
            if products and (differs := self._differs_by_product(claims[0], answer, result, best.phrasing)):
                # "Can workspace admins view member conversations?": Team's No is Enterprise's Yes; in a
                # form for no product in particular, neither is offered (round 94 offered the No)
                theirs = ", ".join(PRODUCTS.get(p, p) for p in self._claim(differs.claim).products)
                why = (
                    f"the answer differs by product: {', '.join(products)} {answer} ('{best.claim}'), {theirs} "
                    f"{differs.answer} ('{differs.claim}'); fill with --product"
                )
                return _left(question, best, result, why)
            if products:
                notes.append(
                    f"the answer is for {', '.join(products)}; the form does not say which product (try --product)"
                )
                # which product the form is about is a part of the row no claim settles: the answer stays a
                # candidate to pick, not the suggestion "accept" writes (round 118b offered the API's annual
                # penetration test as "Compliant" to a form naming no product)
                unsettled = True
                # another product's claim saying otherwise, however far behind: the answer depends on it
                otherwise = next(
                    (
                        c
                        for c in result.candidates
                        if c.claim != best.claim
                        and c.answer != answer
                        and c.confidence >= self.options.review_threshold
                    ),
                    None,
                )
                if otherwise is not None and otherwise.claim != (rival.claim if rival else None):
                    notes.append(f"'{otherwise.claim}' answers {otherwise.answer} for its products")
            hedge = _hedged(question.text, reading, claims[0]) if answer == "Yes" else None
            if hedge:
                # "Will our data be run through classifiers?" against "We may run any business data
                # through ...": the source promises less than a plain Yes says. A person words it.
                notes.append(f"the source says only that it '{hedge}' be so")
            halves = _half_the_states(question.text, claims)
            if halves:
                # half of "at rest and in transit", with no claim for the other half (joined above)
                notes.append(halves)
            unsaid = self.matcher.keys_unsaid(question.text, [c.id for c in claims], answer)
            if unsaid and not uncovered:
                # "Is fine-tuning data retained for 30 days after deletion?": the claim says 30
                # days only where it answers otherwise. Nothing is offered.
                said, ids = in_words(question.text, unsaid), "', '".join(c.id for c in claims)
                who = f"the claims '{ids}' do" if len(claims) > 1 else f"the claim '{ids}' does"
                return _left(question, best, result, f"{who} not say {said} where it answers {answer}")
            if self.matcher.frequency_unsaid(question.text, best.claim):
                freq = ", ".join(sorted(reading.frequencies))
                if not uncovered and len(parts) <= 1:
                    # "Is the vendor's SOC 2 examination performed quarterly?": the claim's Yes would say
                    # quarterly, its No that there is none (round 66 offered the Yes). Nothing is offered.
                    return _left(question, best, result, f"the claim '{best.claim}' does not say how often ({freq})")
                notes.append(f"the claim does not say how often ({freq})")
        if uncovered:
            notes.append("not covered by the knowledge base: " + "; ".join(f"'{p}'" for p in uncovered))
        elif partly:
            # "Do you pen test the API? If so, quarterly?": the whole asks more than the part the
            # claim settles, whatever words the other part shares with it.
            notes.append(f"only part of the question is what the claim '{best.claim}' speaks of")
        text = " ".join(dict.fromkeys(c.answer_text for c in claims))
        value = answer_value(answer, text, question)
        short = False  # the claim's sentence leaves out what an open row asks for
        if reading.kind in ("open", "label") and asks_for_name(question.text) and not _names_asked(question.text, text):
            # "Which cloud provider hosts the API?": the claim says trusted cloud providers, naming none (and
            # "For which products ...?" is answered by a sentence naming them: "the OpenAI API, ChatGPT Enterprise")
            return _left(question, best, result, "the question asks for a name or a list, which no claim gives")
        listing = next(((p, w) for p in clauses(question.text)[1:] if (w := _part_unsaid(p, text))), None)
        if listing is not None:
            # "Do you support SAML SSO, and which identity providers are supported?" was written Yes, and "... option,
            # and for which endpoints?" the sentence naming none (round 119a); "..., and which ones?", "and with what
            # algorithm?", "State the protocol." (round 120a): the part asking for a name or a value stays open
            part, asked = listing
            why = f"the row also asks for {asked} ('{part}'), which the claim's sentence does not give"
            return _listed_only(question, best, result, [*notes, why])
        if value is None and reading.kind == "open":
            # "How long ...?", "Why not?" with only Yes / No to choose from: any choice would mislead.
            return _left(
                question,
                best,
                result,
                f"an open question; {_offered(question)} has no answer to it",
            )
        elif value is None:
            notes.append(f"{_offered(question)} has no choice for '{answer}'")
        elif reading.kind == "open" and answer == "No" and _WHAT_ASKED.match(question_proper(question.text)):
            # "What data does the vendor use to train its models?" took "OpenAI does not train its models on
            # your organization's data by default." (round 99): what is not so is no answer to what is
            notes.append(f"the claim '{best.claim}' says what is not so; the question asks what is")
        elif reading.kind == "open" and (wanted := _value_unsaid(question.text, text)) is not None:
            # "From what date has API data been excluded ...?" took "... does not train ... by default." (round 106)
            notes.append(f"the question asks for {wanted}; the claim's sentence states none")
            short = True
        elif reading.kind == "open" and (process := _process_unsaid(question.text, text)) is not None:
            # "Please describe your change management process" took "... industry best practices, including
            # change management." (round 105): a sentence that names the practice describes no process
            notes.append(f"the question asks you to describe a {process}; the claim names the practice, no {process}")
            short = True
        elif reading.kind == "open" and (included := _included_unsaid(question.text, text)) is not None:
            # "Describe your bug bounty programme, including the platform used to run it." took the bug bounty
            # sentence, which names no platform (round 112a)
            notes.append(f"the question asks to include {included}; the claim's sentence does not say it")
            short = True
        elif (limit := _met_with_a_limit(value, question, text)) is not None:
            # "The vendor must offer zero data retention." in Fully / Partially / Not Met: "for eligible
            # endpoints" makes the grade a person's call (round 99 wrote "Fully Met")
            notes.append(f"the claim holds with a limit ('{limit}'): '{value}' or a partial grade is a person's call")
            unsettled = True  # (round 118b: the note said so and "accept" still wrote the full grade)
        for claim in claims:
            if not self._quote_verified(claim):
                notes.append(f"claim '{claim.id}' quote is not in its source; fix the knowledge base")
        citations = tuple(c.citation for c in claims)
        sure = best.confidence >= self.options.auto_threshold and not notes
        if not sure and not notes:
            # no guard fired: the question is only not near enough to what the claim answers
            wider = _ALL.search(question.text)
            narrower = self.matcher.narrowing(question.text, best.claim, best.phrasing) if wider else []
            if wider and narrower and answer == "Yes":
                # "PCI DSS compliance for the entire service" against "For delegated payment processing,
                # ...?" Yes (round 76): the question asks of all, the phrasing of a part; a Yes is not offered
                return _left(
                    question,
                    best,
                    result,
                    f"the question asks of '{wider.group(0)}', the claim only of: {in_words(best.phrasing, narrower)}",
                )
            notes.append(_not_near(question.text, best, self.options.auto_threshold))
        if result.learned:
            notes.insert(0, "as a reviewer decided before")
        elif short:
            # the sentence leaves out what the row asks for: accepting it would send it as the whole answer (round
            # 114a: "... and available regions" offered the residency sentence); it stays a candidate
            return _listed_only(question, best, result, [*notes, "the sentence falls short of the row"])
        elif unsettled:
            return _listed_only(question, best, result, notes)
        elif answer == "Yes" and any(read_question(part).kind not in ("open", "label") for part in uncovered):
            # "Do you encrypt at rest with AES-256 and support BYOK?": a Yes needs every part, and one is what no
            # claim settles; the covered part's Yes stays a candidate, not the suggestion "accept" writes (round
            # 111a offered Yes to "Do you have any outstanding findings from your last SOC 2 examination?")
            why = f"the claim '{best.claim}' answers only the rest, and a Yes needs every part"
            return _listed_only(question, best, result, [*notes, why])
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

    def _differs_by_product(self, claim: Claim, answer: Answer, result: MatchResult, phrasing: str) -> Candidate | None:
        """A candidate of the claim's topic, for other products only, answering otherwise however far
        behind, and answering otherwise the claim's own phrasing too (a far candidate's answer may be
        its phrasing's polarity, not its claim's: Team's "Can OpenAI staff access Team conversations?"
        No agrees with Enterprise's "Is access restricted?" Yes, round 95): which answer holds depends
        on the product."""
        covered = products_covered(claim.products, PLANS)
        for other in result.candidates:
            if other.claim == claim.id or other.answer == answer:
                continue
            theirs = self._claim(other.claim)
            if theirs.topic != claim.topic or "all" in theirs.products:
                continue
            if not covered.isdisjoint(products_covered(theirs.products, PLANS)):
                continue
            # each claim asked the other's phrasing, with its plan's name left out as the row leaves it
            # (named, the other plan's claim is capped)
            if self._answers_otherwise(other.claim, phrasing, answer) or self._answers_otherwise(
                claim.id, other.phrasing, other.answer
            ):
                return other
        return None

    def _answers_otherwise(self, claim_id: str, phrasing: str, answer: Answer) -> bool:
        """Whether the claim, asked a phrasing of another's without its plan's name, answers otherwise."""
        plain = " ".join(_PLAN_NAMES.sub(" ", phrasing).split())
        again = next((c for c in self.matcher.match(plain).candidates if c.claim == claim_id), None)
        return again is not None and again.answer != answer and again.confidence > MISMATCH_CAP

    def _covering(
        self, question: str, words: list[str], result: MatchResult, best: Candidate, topic: str | None
    ) -> list[str]:
        """Other candidates with the same answer (and the topic, when one is given) that together
        speak of every word left."""
        left, used = set(words), []
        for other in result.candidates:
            if other.claim == best.claim or other.answer != best.answer:
                continue
            if topic is not None and self._claim(other.claim).topic != topic:
                continue
            if other.confidence < self.options.review_threshold:
                break
            spoken = left - set(self.matcher.uncovered(question, other.claim))
            if spoken:
                used.append(other.claim)
                left -= spoken
            if not left:
                return used
        return []

    def _unsettled(self, question: str, claims: list[Claim]) -> list[str]:
        """The question's telling words that none of the answering claims speaks of."""
        first = self.matcher.uncovered(question, claims[0].id)
        left = set(first)
        for claim in claims[1:]:
            left &= set(self.matcher.uncovered(question, claim.id))
        return [w for w in first if w in left]

    def _other_half(self, question: str, claims: list[Claim], answer: Answer) -> Claim | None:
        """The claim answering, as `answer`, the state of the data ("at rest") the question asks
        of and `claims` do not speak of; None when none does surely."""
        said = frozenset().union(*(read_question(q.q).states for c in claims for q in c.questions))
        for state in sorted(read_question(question).states - said):
            found = self.matcher.match(one_state(question, state)).best
            if found is None or found.answer != answer or found.confidence < self.options.auto_threshold:
                return None
            half = self._claim(found.claim)
            if _half_the_states(question, [*claims, half]) is None:
                return half
        return None

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


# A lead-in that turns its rows' Yes round: "(Yes = missing)", "Answer Yes for each item that is NOT
# provided", "Mark Yes for each of the following that your service does NOT support", "Which of the
# following are missing from your service?"
_YES_MEANS_NOT = re.compile(
    r"\byes\s*(?:=|means|if|for)\s*(?:each\s+|every\s+|any\s+)?[\w ,]{0,40}?\b(?:missing|not|absent|lacking|gaps?|"
    r"unsupported|unavailable)\b"
    r"|\b(?:mark|answer|tick|select|check|enter)\b[^.?:]{0,30}\byes\b[^.?]{0,60}\b(?:not|missing|lacking|absent|unsupported)\b"
    r"|\bwhich of the following (?:are|is) "
    r"(?:missing|absent|lacking|not (?:provided|supported|offered|in place|available))\b",
    re.IGNORECASE,
)


# A business plan's name in a phrasing: "ChatGPT Team workspace admins" are workspace admins
_PLAN_NAMES = re.compile(r"\b(?:ChatGPT\s+)?(?:Team|Enterprise|Business|Edu)(?![\w-])|\bChatGPT\b", re.IGNORECASE)


# Words that join two things a question asks of: each may be settled by a claim of its own
_JOINS = re.compile(r"\b(?:and|or|as well as|both|plus|nor)\b|[,&/;+]", re.IGNORECASE)


def _left(question: FormQuestion, best: Candidate, result: MatchResult, note: str) -> Outcome:
    """A row left for a person, unflagged: nothing written or offered, the candidates kept for the report."""
    return Outcome(question, "unanswered", confidence=best.confidence, candidates=result.candidates, note=note)


def _listed_only(question: FormQuestion, best: Candidate, result: MatchResult, notes: list[str]) -> Outcome:
    """For review with nothing suggested: its candidates are picks a person makes on purpose ("accept" is refused)."""
    note = "; ".join(notes) + ": nothing is suggested"
    return Outcome(question, "review", confidence=best.confidence, candidates=result.candidates, note=note)


def _rival(result: MatchResult, review_threshold: float) -> Candidate | None:
    """A close runner-up from another claim with a different answer, if any."""
    best = result.best
    for other in result.candidates[1:]:
        if other.confidence < max(review_threshold, (best.confidence if best else 0) - AMBIGUITY_MARGIN):
            break
        if best is not None and other.answer != best.answer:
            return other
    return None


def _offered(question: FormQuestion) -> str:
    """What the answer cell offers, for a note: "the form's list (Yes, No)", or a typed cell."""
    if question.choices == () and not question.mark_cells:
        return "the answer cell, which takes only a number, a date or a list autofill cannot read,"
    return f"the form's list ({', '.join(question.choices or ())})"


def answer_value(answer: Answer, text: str, question: FormQuestion) -> str | None:
    """What a claim writes into the answer cell; None when the cell cannot take it.

    "How long...?", "Describe...": the claim's sentence is the answer, never a bare Yes.
    """
    reading = read_question(question.text)
    if reading.kind == "open":
        return None if question.choices is not None or question.mark_cells else text
    if _wants_text_only(question):
        return None
    return form_value(answer, question)


# "all endpoints", "every customer": a claim that says "eligible", "by default" or "on request"
# does not settle a question about all of them.
_ALL = re.compile(
    r"\b(?:all|every|each|any and all|always|at will|anyone|anybody|entirely|wholly|exclusively|solely|purely|"
    # "PCI DSS compliance for the entire service" (round 76 offered the delegated-payments Yes)
    r"(?:the )?entire|the whole)\b"
    r"|\b100 ?%"
    r"|\bany (?:\w+ )?(?:employees?|staff|personnel|engineers?|contractors?|members?|users?)\b"
    # "Can API customers fine-tune any model?" against "certain models" (round 55)
    r"|\bany (?:of (?:the|your|our) )?(?:\w+ )?(?:models?|endpoints?|regions?|products?|plans?|features?|languages?)\b",
    re.IGNORECASE,
)
_LIMITED = re.compile(
    r"\b(?:eligible|qualifying|certain|some|select|selected|approved|limited|only|by default|upon request|"
    r"on request|subject to|where allowed|unless|except|may|might|up to)\b"
    # a claim that names several sources or kinds says no one of them is all there is: "data from
    # different places including public sources, licensed data ..." is no Yes to "Is all of it licensed?"
    r"|\b(?:different|several|various|multiple|many) (?:places|sources|kinds|types)\b|\bcombination of\b",
    re.IGNORECASE,
)
# "Are all endpoints eligible?", "Is every endpoint eligible": whether a limit exists is the question.
_ASKS_LIMIT = re.compile(
    r"\b(?:are|is|be)\s+(?:all|every|each)\b[^?;]{0,80}?\b(?:eligible|qualifying|limited|restricted|subject)\b",
    re.IGNORECASE,
)
# "all eligible endpoints": the question limits itself as the claim does. "Are all endpoints
# eligible?" does not: it asks whether the limit is none.
_SELF_LIMITED = re.compile(
    r"\b(?:all|every|each|any and all)\s+(?:of\s+)?(?:the\s+|your\s+|our\s+)?(?:[\w-]+\s+)?"
    r"(?:eligible|qualifying|certain|select|selected|approved|supported)\b",
    re.IGNORECASE,
)


# A question that sets every condition aside: "without any restriction at all", "regardless of ..."
_ABSOLUTE = re.compile(
    r"\b(?:at all|whatsoever|without any|with no (?:\w+ )?(?:restrictions?|limits?|limitations?|conditions?)|"
    r"unconditional(?:ly)?|regardless of|in all cases|under all circumstances|no matter)\b",
    re.IGNORECASE,
)
# "Is API data ever used for training?", "Is there any case in which ...?": whether it happens at all
# ("for any purpose" is no such word: "broad rights for any purpose?" No from "only the rights necessary")
# "any rights", "any license", "any access": whether there is any of it at all (a No said of ownership is no
# answer to "Does OpenAI acquire any rights to our inputs?", round 111b)
_ANY_OF = re.compile(
    r"\b(?:any|some)\s+(?:kind of |form of |type of )?(?:rights?|licen[cs]es?|interests?|access|claims?)\b", re.I
)
_EVER = re.compile(
    r"\b(?:ever|at any (?:time|point|stage)|in any (?:case|circumstances?|situation)|under any circumstances?|"
    r"(?:is|are) there (?:any )?(?:cases?|circumstances?|situations?|scenarios?|exceptions?))\b",
    re.IGNORECASE,
)


def _ever_limited(question: str, possible: bool, claim: Claim) -> str | None:
    """The words that make a claim's No hold only by default or but for an exception, when the question
    asks whether it ever happens or could: "not by default" is no No to "Can API data ever be used to
    train your models?" (round 87 offered it) nor to "Could our data be used to train ...?" (round 89
    wrote it). ("only", "certain" stay: "only to provide the service" is a No to "ever for ads?")"""
    if not (possible or _EVER.search(question) or _COULD.search(question)) or _SETS_ASIDE.search(question):
        return None  # ("... have been used for training without opting in?": the claim's own case)
    limited = _BUT_FOR.search(claim.answer_text) or _BUT_FOR.search(claim.citation.quote)
    return limited.group(0) if limited else None


# Whether it can be done at all: "Can data submitted through the API be used to train your models?", "Are you able
# to train ...?" (round 119b wrote the opt-in claim's No to both); not "Can customers delete ...?", what one may do
_COULD = re.compile(
    r"\b(?:can|could|may|might)\b(?:\s+[\w'-]+){0,8}?\s+be\s+[\w-]+(?:ed|en|wn)\b|\b(?:able|possible|capable)\b"
    # ... or what the vendor can do: "Can OpenAI train on our API inputs and outputs?" (round 121a wrote No)
    r"|\b(?:can|could|may|might)\s+(?:openai|the vendor|the supplier|the provider|the contractor|you)\b",
    re.IGNORECASE,
)
# A question that sets the claim's case aside itself: "without opting in", "by default", "absent consent"
_SETS_ASIDE = re.compile(
    r"\b(?:by default|unless|absent|without (?:\w+ )?(?:opt(?:ing|ed)?[- ]?in|consent|permission|approval)|"
    r"opt(?:s|ed|ing)?[- ]?(?:in|out))\b",
    re.IGNORECASE,
)
# What makes a No hold only by default, or but for a case: "not by default", "unless you opt in"
_BUT_FOR = re.compile(
    r"\b(?:by default|unless|except|opts? in|opted in|without (?:your |the customer's )?(?:permission|consent))\b",
    re.IGNORECASE,
)


def _limits(question: str, claim: Claim) -> str | None:
    """The word that limits a claim, when the question asks about all of something."""
    if not _ALL.search(question):
        return None
    limited = _LIMITED.search(claim.answer_text) or _LIMITED.search(claim.citation.quote)
    if not limited or _SELF_LIMITED.search(question):
        return None
    # "Is all data encrypted by default?" says the claim's own limit; "Are all endpoints eligible?" asks it
    said = re.search(rf"\b{re.escape(limited.group(0))}\b", question, re.IGNORECASE)
    return limited.group(0) if not said or _ASKS_LIMIT.search(question) else None


# "kept for longer than 30 days" against a claim of "up to 30 days": beyond what the claim bounds
_SPAN = r"\s+(\d+)\s*(hour|day|week|month|year)s?\b"  # "30 days": the number, then the unit
_UNITS = r"(hours?|hrs?|h|days?|d|weeks?|wks?|months?|mos?|years?|yrs?)"  # a time's unit as rows spell it
_BEYOND = re.compile(
    r"(?<!\bno )(?<!\bnot )(?:\b(?:longer than|more than|greater than|beyond|exceeding|in excess of|over)|>)"
    # a terse row's "> 30 days", "kept >30d?" (round 86 offered the "up to 30 days" Yes)
    rf"\s*(\d+)\s*{_UNITS}\b"
    # "at least 30 days", ">= 30", "30+ days", "30 days or longer" (round 89 offered "up to 30 days" for them)
    rf"|(?:\bat least|\ba minimum of|>=|≥)\s*(\d+)\s*{_UNITS}\b"
    rf"|\b(\d+)\s*\+\s*{_UNITS}\b"
    rf"|\b(\d+)\s*{_UNITS}(?:\s*\+|\s+or (?:longer|more)\b)",
    re.IGNORECASE,
)
_UNIT_WORD = {"h": "hour", "hr": "hour", "d": "day", "wk": "week", "mo": "month", "yr": "year"}
# "Does the vendor retain API inputs after 30 days?" (round 39 offered the "up to 30 days" Yes);
# "deleted after 30 days" is no time beyond
_KEPT_AFTER = re.compile(
    r"\b(?:retain|retains|retained|retaining|keep|keeps|kept|keeping|store|stores|stored|storing|"
    r"persist|persists|persisted|remain|remains|available)\b[^?.;,]{0,40}?\b(?:after|past)" + _SPAN,
    re.IGNORECASE,
)
_EXCEPTION_ASKED = re.compile(
    # ("absent a legal requirement", "barring legal holds": the question sets the exception aside, round 89)
    r"\b(?:where|when|if|as|unless|absent|barring|excluding|without|other than)\b[^?.;]{0,40}"
    r"\b(?:law|laws|legal|legally|regulations?|court|authorities)\b",
    re.IGNORECASE,
)
_BOUND = re.compile(r"\b(?:up to|within|at most|no longer than|no more than|maximum of|after)" + _SPAN)


def _beyond(question: str, claims: Sequence[Claim]) -> str | None:
    """A claim's bound ("up to 30 days") when the question asks about a time beyond it: the
    claim then says neither Yes nor a sure No (a legal hold may keep data longer)."""
    asked = _BEYOND.search(question) or _KEPT_AFTER.search(question)
    if asked is None or _EXCEPTION_ASKED.search(question):
        return None  # "kept beyond 30 days where the law requires it?": the claim's own exception
    for claim in claims:
        for text in (claim.answer_text, claim.citation.quote):
            bound = _BOUND.search(text.lower())
            unit = next(u for u in asked.groups()[1::2] if u) if asked.re is _BEYOND else asked.group(2)
            unit = unit.lower().removesuffix("s")
            if bound and bound.group(2) == _UNIT_WORD.get(unit, unit):
                return bound.group(0)
    return None


# A condition in a phrasing: its answer holds only when it is met.
_CONDITIONAL = re.compile(
    r"\b(?:if|whenever|unless|upon|provided that|only when|only if)\b|\bon request\b"
    r"|\bwith (?:explicit |prior )?(?:permission|consent|approval)\b|\b(?:legally|lawfully) required\b"
    r"|\brequired by (?:the )?(?:applicable )?law\b",
    re.IGNORECASE,
)
# "all user activity", "any region they choose", "every customer": a question about everything
_UNIVERSAL = re.compile(
    r"\b(?:choose|select|pick|in|for|to|from) any\b"
    r"|\bany (?:\w+ )?(?:regions?|country|countries|locations?|endpoints?|time)\b"
    r"|\b(?:all|every|each) (?:of )?(?:the |your |our |its |their )?(?P<what>[\w-]+(?: [\w-]+){0,2})",
    re.IGNORECASE,
)
# What "all" may quantify and still be read as the claim's own generic subject: "Your content is
# encrypted at rest" says it of all customer data; "supports audit logs" says nothing of all activity.
_GENERIC = frozenset({"traffic", "connection", "communication", "transmission", "backup", "storage", "system"})


def _unbounded(question: str, claims: Sequence[Claim], phrasing: str) -> str | None:
    """The question's "any" or "all ..." when none of the claims, nor the phrasing that answered,
    says it (unless "all" quantifies data, the claims' generic subject)."""
    asked = next((m for m in _UNIVERSAL.finditer(question) if not _generic(m)), None)
    if asked is None or _SELF_LIMITED.search(question):
        return None
    said = [phrasing, *(c.answer_text for c in claims), *(c.citation.quote for c in claims)]
    return None if any(_UNIVERSAL.search(text) for text in said) else asked.group(0)


def _generic(found: re.Match[str]) -> bool:
    """Whether an "all ..." quantifies data (the claims' generic subject) or a time ("every year")."""
    words = (found.group("what") or "").lower().split()
    if not words:
        return False
    return words[0] in _TIMES or any(kind_of(w) == "data" or kind_of(w) in _GENERIC for w in words)


_TIMES = frozenset({"year", "years", "quarter", "month", "week", "day", "hour", "time", "times", "twelve", "12", "six"})


# Words by which a source promises less than it might: "may retain", "up to 30 days".
_HEDGE = re.compile(r"\b(?:may|might|up to)\b", re.IGNORECASE)


def _hedged(question: str, reading: Reading, claim: Claim) -> str | None:
    """The hedge of a claim's quote ("may", "up to") that a question asking for a plain Yes lacks."""
    said = _HEDGE.search(claim.citation.quote)
    if said is None or reading.possible or _HEDGE.search(question):
        return None
    return said.group(0).lower()


def yes_no_refused(question: FormQuestion) -> str | None:
    """Why the row takes no Yes / No / N/A at all ("Website" asks for an address), or None."""
    if _wants_text_only(question):
        return f"the row {KIND_WANTS['label']}; type the text into the form itself"
    return None


def _wants_text_only(question: FormQuestion) -> bool:
    """A label row ("Website"), or a bare noun phrase whose cell offers no Yes / No."""
    kind = question_kind(question.text)
    if kind == "label":
        return True
    if kind != "phrase":
        return False
    offered = question.choices or tuple(c for c, _ in question.mark_cells)
    stated = read_question(question.text).statement
    return not offered or match_choice(offered, "Yes", graded=stated, stated=stated) is None


def form_value(answer: Answer, question: FormQuestion) -> str | None:
    """The answer in the form's own vocabulary, or None when the form allows no such value."""
    # "Pass", "Compliant", "Implemented" say a requirement is met: a Yes to a row that states
    # one. For a question, or for a No, what they would say depends on the question: review.
    stated = read_question(question.text).statement
    graded = answer == "Yes" and stated
    if answer == "No" and not stated and question.scopes and grades(question.scopes[0]):
        return None  # "Compliant (Y/N)": a question's No there says "not compliant" (round 83)
    if question.mark_cells:
        return match_choice([choice for choice, _ in question.mark_cells], answer, graded=graded, stated=stated)
    if question.choices is None:
        return answer
    return match_choice(question.choices, answer, graded=graded, stated=stated) if question.choices else None


def _met_with_a_limit(value: str, question: FormQuestion, claimed: str) -> str | None:
    """The limit in a claim's sentence ("eligible", "by default", "upon request") when its Yes is
    written as the full grade of a list that has a partial one ("Fully Met" beside "Partially Met")."""
    offered = question.choices or tuple(c for c, _ in question.mark_cells)
    partial = [c for c in offered if _PARTIAL.search(c)]
    if not partial or _PARTIAL.search(value) or meaning(value, graded=True, stated=True) != "Yes":
        return None
    found = _LIMITED.search(claimed)
    if found is None or _LIMITED.search(question.text):
        return None  # (a requirement that states a limit itself is met as it says: "for eligible endpoints")
    if _SEVERAL.fullmatch(found.group(0)) and not (_ALL.search(question.text) or _ONLY.search(question.text)):
        # "data from different places including public sources" limits "all of it", not "publicly available data",
        # one of the places it names (round 119a listed "trained on publicly available data?" as a person's call)
        return None
    return found.group(0)


_SEVERAL = re.compile(
    r"(?:different|several|various|multiple|many) (?:places|sources|kinds|types)|combination of", re.I
)
_ONLY = re.compile(r"(?:only|solely|exclusively)", re.IGNORECASE)


# An open question asking what or which things are so
_WHAT_ASKED = re.compile(
    r"\s*(?:what|which)\b(?! (?:is|are) (?:the )?(?:period|time|duration|length)\b)", re.IGNORECASE
)
# "Describe your change management process", "Explain the steps of ...", "Provide an overview of your ... program"
_DESCRIBE = re.compile(
    r"\b(?:describe|explain|outline|detail|summari[sz]e|walk (?:us )?through|tell us about|"
    r"provide (?:a |an )?(?:brief )?(?:description|overview|summary|explanation) of)\b[^?.;]*?"
    r"\b(process(?:es)?|procedures?|approach|methodolog(?:y|ies)|programs?|programmes?|plans?|frameworks?|steps|"
    r"lifecycle|life cycle|workflows?)\b",
    re.IGNORECASE,
)


# What an open row asks for that a sentence must state: a date, or a time or amount ("how long", "how often", "when")
_ASKS_DATE = re.compile(
    r"\b(?:what|which) (?:\w+ )?(?:date|day|year|month)\b|\bsince when\b|\b(?:as of|from) when\b",
    re.IGNORECASE,
)
_ASKS_AMOUNT = re.compile(
    r"\bhow (?:many|much|long|often|frequently|soon|quickly)\b|\bwithin how\b|^\s*(?:until )?when\b|"
    # "If yes, state the time within which deletion is completed." (round 115a offered "at any time via an API call")
    r"\b(?:state|specify|provide|indicate|give|list|enter)\s+the\s+(?:time|period|timeframe|time frame|duration|"
    r"frequency|number|interval|deadline)\b|"
    r"\bwhat (?:\w+ )?(?:percentage|percent|number|period|frequency|interval|timeframe|time frame|duration)\b",
    re.IGNORECASE,
)
# (a row asking where: "available regions", "which country", "list the locations")
_ASKS_PLACE = re.compile(
    # ("Where is data stored? (country / region)": round 121b offered the residency sentence, which names none)
    r"^\W*where (?:is|are|do|does|will|would|can|could)\b|"
    r"\b(?:regions|countries|jurisdictions|geographies|locations)\b|"
    r"\b(?:which|what|in which|from which)\s+(?:\w+\s+)?(?:region|country|jurisdiction|geography|location)\b",
    re.IGNORECASE,
)
_DATE_SAID = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b",
    re.IGNORECASE,
)
_AMOUNT_SAID = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|annual(?:ly)?|yearly|quarterly|"
    r"monthly|weekly|daily|hourly|continuous(?:ly)?|immediately|real[- ]time|24/7)\b",
    re.IGNORECASE,
)


_PRODUCTS_ASKED = re.compile(r"\b(?:products?|services?|platforms?|plans?|offerings?|editions?)\b", re.IGNORECASE)


def _names_asked(question: str, said: str) -> bool:
    """Whether a sentence names what a row asks to have named; only products are known as names: "For which
    products do you hold ISO/IEC 27001?" is answered by "... the OpenAI API, ChatGPT Enterprise, and ChatGPT Edu"."""
    return _PRODUCTS_ASKED.search(question) is not None and bool(products_named(said) - {"every"})


def _part_unsaid(part: str, said: str) -> str | None:
    """What a later part of a row asks, when the claim's sentence does not give it: names ("which identity
    providers are supported?", "and which ones?", "List them."), a date ("and when was it issued?"), a time ("how
    quickly does it respond?"), how often, how many, a place, a kind of value ("with what algorithm?", "State the
    protocol."), or anything else but a plain request for details ("If yes, please describe."). None when the
    sentence gives it, or the part asks nothing of its own (round 121a: each wrote or offered Yes)."""
    if read_question(part).kind != "open" and not _WHICH_ONES.search(part):
        return None
    if asks_for_name(part) or _WHICH_ONES.search(part):
        return None if _names_asked(part, said) else "a name or a list"
    if _PART_DATE.search(part):
        return None if _DATE_SAID.search(said) else "a date"
    if _PART_TIME.search(part):
        return None if _DURATION_SAID.search(said) else "a time"
    if _PART_OFTEN.search(part):
        return None if _FREQUENCY_SAID.search(said) else "how often"
    if _PART_COUNT.search(part):
        return None if re.search(r"\d", said) else "a number"
    if _ASKS_PLACE.search(part):
        return None if not PLACE_WORDS.isdisjoint(content_tokens(said)) else "places (regions, countries)"
    value = _VALUE_ASKED.search(part)
    if value is not None:
        kinds = [pattern for stem, pattern in _NAMED_BY.items() if stem in ("algor", "proto", "versi")]
        asked = (value.group(1) or value.group(2)).lower()
        named = _NAMED_BY.get(asked[:5])
        if (
            named is not None
            and named.search(said.lower())
            or named is None
            and any(k.search(said.lower()) for k in kinds)
        ):
            return None
        return f"{'an' if asked[0] in 'aeiou' else 'a'} {asked}"
    details = _DETAILS_ONLY.search(part)
    if details is not None:
        # "If yes, please describe." asks only the details; "please describe when it was issued", "... how keys are
        # rotated" ask something the sentence must say (round 122a: Yes written, and suggested)
        rest = part[details.end() :]
        if _PART_DATE.search(rest) or _PART_TIME.search(rest) or _PART_OFTEN.search(rest):
            return _part_unsaid(rest.strip(" ,.?"), said) if rest.strip(" ,.?") else None
        said_words = set(content_tokens(said))
        asked_words = [t for t in content_tokens(rest) if t not in filler_words()]
        return "more than the claim says" if any(t not in said_words for t in asked_words) else None
    if not _ASKS_OWN.match(part):
        return None  # ("build and share GPTs ..." is no part asking anything of its own)
    return "more than the claim says"


# a part that asks something of its own: a question word or a request ("how are keys rotated?", "Provide the
# certificate number.")
_ASKS_OWN = re.compile(
    r"^\W*(?:and\s+|if (?:yes|so)[,:]?\s*)?(?:what|which|how|when|where|who|whom|whose|why|provide|state|specify|"
    r"give|list|name|identify|indicate|describe|explain|attach|enter|supply)\b",
    re.IGNORECASE,
)


_PART_DATE = re.compile(r"^\W*(?:and\s+)?when\b|\b(?:what|which)\s+(?:\w+\s+){0,2}?(?:date|day|year|month)\b", re.I)
_PART_TIME = re.compile(
    r"\bhow (?:long|quickly|soon|fast)\b|\bresponse time\b|\btime ?frame\b|\bwithin how\b|\bturnaround\b", re.I
)
_PART_OFTEN = re.compile(r"\bhow (?:often|frequently)\b|\bfrequency\b|\bcadence\b", re.I)
_PART_COUNT = re.compile(r"\bhow (?:many|much)\b|\b(?:what|which) (?:\w+\s+)?(?:number|percentage|percent)\b", re.I)
_DURATION_SAID = re.compile(r"\b\d+\s*(?:minutes?|hours?|days?|weeks?|months?|years?)\b|\bwithin\b", re.I)
_FREQUENCY_SAID = re.compile(
    r"\b(?:annual(?:ly)?|yearly|quarterly|monthly|weekly|daily|hourly|continuous(?:ly)?|every|each year|once a)\b", re.I
)
# a later part that asks only for the details of what the row asks: "If yes, please describe.", "If so, how?",
# "Please explain.", "Provide details.", "Attach evidence."
_DETAILS_ONLY = re.compile(
    r"^\W*(?:(?:and\s+)?if (?:yes|so|applicable|not)[,:]?\s*)?(?:please\s+)?(?:describe|explain|elaborate|detail|"
    r"comment|attach|upload|provide (?:details|more information|a description|an explanation|evidence|supporting)|"
    r"give details|how\??\s*$|why\??\s*$)",
    re.I,
)


# "and which ones?", "List them.", "Name them.", "Please list."
_WHICH_ONES = re.compile(
    r"\b(?:which|what) ones\b|^\W*(?:please )?(?:list|name|identify) (?:them|these|those|all)\b", re.I
)
# a value of a kind a later part asks for: "with what algorithm?", "which versions are supported?", "State the
# protocol.", "what type of encryption is used?"
_VALUE_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:\w+\s+)?(type|kind|algorithm|cipher|version|protocol|standard|method|mechanism)s?\b"
    r"|\b(?:state|specify|name|indicate|identify|provide)\s+(?:the\s+|your\s+)?(?:\w+\s+)?"
    r"(type|kind|algorithm|cipher|version|protocol|standard|method|mechanism)s?\b",
    re.IGNORECASE,
)


def _value_unsaid(question: str, said: str) -> str | None:
    """What an open row asks for, a date or an amount, when the claim's sentence states none."""
    asked = question_proper(question)
    if _ASKS_DATE.search(asked) and not _DATE_SAID.search(said):
        return "a date"
    if _ASKS_AMOUNT.search(asked) and not _AMOUNT_SAID.search(said):
        return "a time, an amount or a frequency"
    if _ASKS_PLACE.search(asked) and PLACE_WORDS.isdisjoint(content_tokens(said)):
        # "Describe your data residency options and available regions." took "... data residency for ChatGPT
        # and the API." (round 111a): a sentence naming no place gives no regions
        return "places (regions, countries)"
    return None


def _process_unsaid(question: str, said: str) -> str | None:
    """The process (plan, steps, program) a row asks to have described, when the claim's sentence has none."""
    found = _DESCRIBE.search(question)
    if found is None:
        return None
    noun = found.group(1).lower()
    stem = noun.rstrip("s") if not noun.endswith("ss") else noun
    return None if re.search(rf"\b{re.escape(stem[:6])}", said, re.IGNORECASE) else noun


# What an open row asks its answer to include: "..., including the platform used to run it", "Include timelines."
_INCLUDING = re.compile(r"\b(?:including|include|includes|along with)\s+([^.?;:()]{3,120})", re.IGNORECASE)
_NOT_INCLUDED = frozenset(
    """the your any all a an of to for and or how it its used use using which that this those these with by in on
    at as be is are you we our them they their details detail information where applicable relevant such
    e g example examples etc if so what when who""".split()
)


# A word asked for (by its first five letters, as _included_unsaid compares them), said by naming one of its
# kind: "including the algorithm used" by "AES-256" (round 116b)
_NAMED_BY = {
    "algor": re.compile(r"\b(?:aes|rsa|sha|ecdsa|ecdh|3des|chacha|hmac)"),
    "proto": re.compile(r"\b(?:tls|ssl|https|saml|oauth|oidc|scim|sftp)"),
    "versi": re.compile(r"\d"),
}


def _included_unsaid(question: str, said: str) -> str | None:
    """What an open row asks its answer to include, when the claim's sentence says none of its words."""
    found = _INCLUDING.search(question)
    if found is None:
        return None
    words = [w for w in re.findall(r"[a-z0-9]+", found.group(1).lower()) if w not in _NOT_INCLUDED and len(w) > 2]
    low = said.lower()
    if not words or any(w[:5] in low or (w[:5] in _NAMED_BY and _NAMED_BY[w[:5]].search(low)) for w in words):
        return None
    return f"'{found.group(1).strip()}'"


_PARTIAL = re.compile(r"\bpartial(?:ly)?\b|\bpartly\b|\bin part\b|\bsome\b", re.IGNORECASE)


def comment_text(text: str, citations: Sequence[Citation]) -> str:
    lines = [text]
    for citation in citations:
        dated = f", {citation.date}" if citation.date else ""
        lines.append(f'Source: {citation.title}{dated}, {citation.url}: "{citation.quote}"')
    return "\n".join(lines)


# --- the answer library: its candidates beside the claims' ------------------------------------


def _same_voice(text: str, voice: str | None, answered: str, answered_in: str | None) -> bool:
    """Whether the team's answer to `answered` (asked in a form whose "we" was `answered_in`) may
    stand for the row `text`: the same words mean the same only in the same voice ("Do we control
    retention?" Yes, a customer's, is No in a self-assessment; a self-assessment's "Do you control
    retention?" Yes is no Yes to "Does the Supplier control retention?", round 56). Texts without
    "we" or "you" mean the same in any form; forms that both say whose "we" it is must say the
    same; where one said it and the other did not, neither may be a self-assessment and both texts
    must be in the customer's voice for certain; two forms that both left it unsaid read alike
    (the team answered that wording as it reads it)."""
    if not speaks_in_person(text) and not speaks_in_person(answered):
        return True
    if voice is not None and answered_in is not None:
        return voice == answered_in
    if voice is None and answered_in is None:
        return True
    return "vendor" not in (voice, answered_in) and voice_certain(text) and voice_certain(answered)


def _with_library(
    outcome: Outcome,
    matches: list[LibraryMatch],
    library: Library,
    options: FillOptions,
    elsewhere: str | None = None,
) -> Outcome:
    """Choose between the claims' outcome and the library's best entry for the same question.

    A library answer carries only its answer and explanation into the form; where it came from
    (file, person, date) goes to `provenance`, for the report. A library entry and a claim that
    disagree leave the choice to a person, with both shown.
    """
    usable = [m for m in matches if m.confidence >= options.review_threshold]
    if not usable:
        return outcome
    best = usable[0]
    if outcome.status == "answered" and best.confidence < options.auto_threshold:
        # a merely similar entry neither overrules a published claim nor adds to it; but the
        # team's own answer to a question worded like it saying otherwise leaves it to a person
        said = _as_answer(best.entry.answer)
        if best.differences or said is None or said == outcome.answer:
            return outcome
        note = f"the team answered a similar question ('{best.entry.question}') {said}"
        return replace(outcome, status="review", note=note + (f"; {outcome.note}" if outcome.note else ""))
    entry = best.entry
    question = outcome.question
    answer = _as_answer(entry.answer)
    candidates = tuple(
        Candidate(m.entry.id, known, m.confidence, m.entry.question, "library")
        for m in usable
        if (known := _as_answer(m.entry.answer)) is not None
    )
    asked = outcome.question.text
    private = private_in(library.kb, entry.answer, asked=asked, customer=options.customer) if answer is None else None
    if private is not None:
        # a free-text answer written for another customer is never offered to this one (the report
        # says one was held back, without repeating it)
        if outcome.status in ("answered", "review"):
            return outcome
        why = f"the internal answer library's answer to '{entry.question}' holds {private}: left for a person"
        return replace(outcome, note=why + (f"; {outcome.note}" if outcome.note else ""))
    if (best.differences or best.swapped) and outcome.status not in ("answered", "review"):
        # a look-alike that asks something else ("Are backups unencrypted?" against "encrypted", "a
        # private bug bounty" against "a public one"): its answer would mislead as a suggestion; the
        # report keeps it among the candidates
        why = f"the internal answer library's nearest question ('{entry.question}') asks otherwise: "
        return replace(
            outcome, candidates=outcome.candidates + candidates, note=why + (best.swapped or best.differences[0])
        )
    notes = [f"from the internal answer library ({best.reason})"]
    comment = entry.comment
    internal = private_in(library.kb, comment, asked=asked, customer=options.customer)
    if internal == CUSTOMERS_NOTE:
        return outcome  # the row the customer filled in itself, imported with the vendor's: no answer of ours
    if internal in GIVEN_TO_ANOTHER:
        # "Only for Contoso under custom agreement; say No to others" (round 96: accepting the offer
        # wrote Contoso's Yes for Fabrikam): the answer was another customer's, not the vendor's own
        why = f"the internal answer library's answer to '{entry.question}' was given with {internal}: not reused"
        return replace(outcome, note=why + (f"; {outcome.note}" if outcome.note else ""))
    held = None
    if internal == UNKNOWN_NAME:
        # a name the pages never use ("Splunk", or "Wayne"): the explanation stays with the team and
        # the answer goes as it would without it (round 95 sent 23 of 51 plain answers to review)
        held, comment = f"the library's explanation holds {internal}; it stays out of the form", None
    elif internal is not None:
        # written for the team or for another customer: it must not reach this one's form
        notes.append(f"the library's explanation holds {internal}; the answer goes without it")
        comment = None
    if best.differences:
        notes.append("the library's question differs: " + ", ".join(best.differences))
    spoken_of = products_named(" ".join(t for t in (entry.question, entry.answer, entry.comment) if t))
    named = products_meant(spoken_of, options.product) - {"every"}
    if options.product and named and options.product not in named:
        # "SCIM is supported for ChatGPT Enterprise" answers nothing of the API
        spoken = ", ".join(sorted(PRODUCTS.get(n, "ChatGPT") for n in named))
        notes.append(f"the library's answer speaks of {spoken}")
    if entry.product and options.product is None:
        # given for one product, as a claim for one product is: which one the form is about decides
        given = PRODUCTS.get(entry.product, entry.product)
        notes.append(f"the library's answer was given for {given}; the form does not say which product (try --product)")
    elif entry.product and options.product not in products_covered((entry.product,), PLANS):
        notes.append(f"the library's answer was given for {PRODUCTS.get(entry.product, entry.product)}")
    if elsewhere and not (options.product and options.product in named):
        notes.append(f"the published pages say this of {elsewhere} only; the library's answer may be for them")
    if best.stale:
        dated = library.entry_date(entry) or "an unknown date"
        notes.append(f"the library answer is from {dated}, older than {options.max_age_days} days")
    if answer is not None:
        value = form_value(answer, question)
        if read_question(question.text).wants_text and value is not None:
            value = None  # an open question or a label row wants text, not a bare Yes
    elif question.choices is not None or question.mark_cells:
        choices = question.choices or tuple(c for c, _ in question.mark_cells)
        value = match_choice(choices, entry.answer)
    else:
        value = entry.answer
    if value is None:
        notes.append("the form's cell cannot take the library's answer")
    claimed = outcome.status in ("answered", "review") and outcome.answer is not None
    if claimed and answer is not None and outcome.answer != answer:
        # the published, cited answer is the one offered; the team's other answer is listed beside it
        notes.append(f"the published claim '{outcome.claim}' says {outcome.answer}, the library says {answer}")
        return replace(
            outcome,
            status="review",
            note="; ".join([*notes, *([outcome.note] if outcome.note else [])]),
            candidates=outcome.candidates + candidates,
            provenance=library.provenance(entry),
        )
    elif claimed and outcome.status == "answered" and answer == outcome.answer:
        # the public citation answers; add the side columns
        return replace(outcome, side=side_columns(question, entry.side))
    sure = best.confidence >= options.auto_threshold and len(notes) == 1
    agreed = claimed and answer is not None and answer == outcome.answer
    notes += [held] if held and not agreed else []
    return Outcome(
        question,
        "answered" if sure else "review",
        answer=answer,
        value=value if value is not None else entry.answer,
        # where the published claim says the same, its cited sentence is what the customer reads (the
        # team's note beside a page's source would read as the page's: round 95)
        text=outcome.text if agreed else entry.answer if answer is None else comment,
        comment=outcome.comment if agreed else comment,
        confidence=best.confidence,
        claim=entry.id,
        # (a claim's source is cited only for the claim's own answer: never beside the team's text)
        citations=outcome.citations if claimed and answer == outcome.answer else (),
        candidates=candidates + outcome.candidates,
        note="; ".join(notes),
        side=side_columns(question, entry.side) if sure else (),
        provenance=library.provenance(entry),
    )


def _half_the_states(question: str, claims: list[Claim]) -> str | None:
    """Whether the question asks of data at rest and in transit and its claims speak of one."""
    asked = read_question(question).states
    if len(asked) < 2:
        return None
    said = frozenset().union(*(read_question(q.q).states for c in claims for q in c.questions))
    said |= frozenset().union(*(read_question(c.answer_text).states for c in claims))
    missing = asked - said
    if not said or not missing:
        return None
    both, one = (" and ".join(STATE_NAMES.get(k, k) for k in sorted(r)) for r in (asked, said))
    return f"the question asks of data {both}; the claims speak only of data {one}"


def _as_answer(text: str) -> Answer | None:
    return next((a for a in ("Yes", "No", "N/A") if a == text), None)


def side_columns(question: FormQuestion, side: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The entry's side columns (SSRM ownership, ...) as (cell, text), where the form has them."""
    values = dict(side)
    return tuple((cell, values[name]) for name, cell in question.side_cells if name in values)
