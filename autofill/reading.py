"""Read a question into what it asks, before any claim is scored against it.

A reading says what kind of answer the row wants (Yes / No, text, or a label such as "Website"
that asks for a name, a place or a description), whose practice it is about (the vendor, the
customer, or the vendor's own providers and subprocessors), whether it is about the customer's
own paper ("will you sign *our* DPA"), how often something is done, and its clauses. Matching
then lets a claim answer only when its phrasing reads the same way; word overlap ranks what is
left. The word lists are data, in vocabulary.yaml beside this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal, cast

from autofill.models import PRODUCTS
from autofill.text import LEADING_ID, normalize, question_proper, without_examples

Kind = Literal["closed", "open", "label", "phrase"]
Party = Literal["vendor", "customer", "third"]

KIND_WANTS = {
    "open": "asks for an explanation, not Yes / No",
    "label": "asks for a name, a place, a description or a list, not Yes / No",
}
STATUS_NAMES = {
    "optional": "whether it is optional",
    "planned": "whether it is planned",
    "past": "whether it was so in the past",
    "recovered": "whether it can be recovered or restored",
    "override": "whether it holds even against a condition",
    "handed": "whether it is given to the customer",
    "whole": "about the whole organisation",
    "theirs": "about the customer's own systems, sources or organisation",
    "required": "whether it is required",
    "until": "until when",
    "varies": "whether it varies with something",
    "some": "whether it is so of some",
    "dated": "whether it was so at a time it names",
    "about": "of what holds information about the thing, not the thing",
    "effect": "what one act brings about",
}
STATE_NAMES = {"rest": "at rest", "transit": "in transit"}
PARTY_NAMES = {
    "vendor": "the vendor",
    "customer": "the customer",
    "third": "a third party or subprocessor",
    "user": "the end user",
}


@dataclass(frozen=True)
class Reading:
    """What a question asks, read from its words alone."""

    kind: Kind  # closed: Yes / No; open: how / what / describe; label: "Website"; phrase: a bare noun phrase
    party: Party  # whose practice it asks about
    theirs: bool  # about the customer's own paper: "Will you sign our DPA?"
    frequencies: frozenset[str]  # how often: "annual", "quarterly", ...
    clauses: tuple[str, ...]  # the question split at "and <verb>", ";", ", and ..."
    statement: bool = False  # states a requirement ("The application shall ...") rather than asks
    products: frozenset[str] = frozenset()  # products it names (models.PRODUCTS keys; "every": all)
    within: Party | None = None  # whose organisation a "who within ..." is about
    possible: bool = False  # asks whether it may be so ("May data have been used ...?"), not whether it is
    excepting: bool = False  # names an exception: "... unless the organization opted out"
    exclusive: int = 0  # 2: says "only" / "solely"; 1: "limited to" / "restricted to"; 0: neither
    only: tuple[str, ...] = ()  # the words its "only" / "limited to" applies to: ("authorized", "employees")
    actor: Party | None = None  # who does it, as written: "Can customers delete ...?" customer; passive: None
    role: str | None = None  # the actor's role where it says one: "admin" (workspace admins), "user" (end users)
    whose: str | None = None  # "own" ("their own conversations") or "other" ("other users' conversations")
    # whose "own" it is, where the words say: "our own model" the customer's (a question's and a phrasing's "our"),
    # "its own models" / "your own models" the vendor's; None for "their own" or no "own"
    own_of: Party | None = None
    thing: str | None = None  # what a passive question is about: "Is a fine-tuned model retained ...?" model
    # what it asks of the practice beyond whether it is so (vocabulary.yaml status): "optional",
    # "planned", "past", "recovered", "override" ("even if ..."), "handed" ("... to customers")
    status: frozenset[str] = frozenset()
    only_party: Party | None = None  # the party its "only" names: "can only OpenAI access ...?" vendor
    vendor_people: bool = False  # names the vendor's people: "which vendor employees can access ...?"
    customer_people: bool = False  # names the customer's: "which of its employees", "within your organization"
    states: frozenset[str] = frozenset()  # where the data is: "rest", "transit"
    narrowed: frozenset[str] = frozenset()  # what narrows its thing: "deleted" ("deleted conversations")
    kinds: frozenset[str] = frozenset()  # the kinds of thing its words name (kind_of)
    ours: frozenset[str] = frozenset()  # what "our" makes the customer's: "our benchmarks" benchmark
    # whose data it speaks of: "customer" ("our data", "customer API data"), "other" ("training data",
    # "licensed third-party data", "public data"), None when it names neither
    data_of: str | None = None
    # asks what the customer must do or have: "Must our organization enable SAML SSO?", "Does our
    # company need a SOC 2 report to use the service?" (round 94 offered the SSO and SOC 2 Yes)
    obliged: bool = False
    # whose use, or whose permission, it speaks of: "for OpenAI's use alone", "the customer's explicit
    # permission" (round 100 wrote "Custom models are yours alone to use" Yes to "... OpenAI's alone to use?")
    for_party: Party | Literal["user"] | None = None  # whose use or permission: the end user's too

    @property
    def wants_text(self) -> bool:
        """True when no Yes / No may answer the row, whatever its cell offers."""
        return self.kind in ("open", "label")


@cache
def _vocabulary() -> dict[str, Any]:
    import yaml

    path = Path(__file__).with_name("vocabulary.yaml")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader where libyaml is there
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    return data


@cache
def _phrases(name: str) -> frozenset[tuple[str, ...]]:
    """A vocabulary list as word tuples ("third party" -> ("third", "party"))."""
    return frozenset(tuple(_words(entry)) for entry in _vocabulary()[name])


@cache
def _mapping(name: str) -> dict[tuple[str, ...], str]:
    """A keyed vocabulary section as spelling -> key ("third party" -> "third", "yearly" -> "annual")."""
    return {tuple(_words(e)): key for key, entries in _vocabulary()[name].items() for e in entries}


@cache
def _spellings(name: str) -> frozenset[tuple[str, ...]]:
    """The spellings of a keyed vocabulary section."""
    return frozenset(_mapping(name))


@cache
def frequency_tokens() -> frozenset[str]:
    """The matcher's tokens of one-word frequencies ("annually" -> "annual"): they say how
    often, which is checked apart, so they must not pull a claim."""
    from autofill.text import content_tokens

    spellings = _spellings("frequencies")
    return frozenset(t for spelling in spellings if len(spelling) == 1 for t in content_tokens(spelling[0]))


_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
# Row numbers and ids before the question: "1.2", "A.3)", "Q12:", "DSP-01.1".
# A leading condition: "When a user deletes a conversation, is it removed ...?"
# Or any short lead-in before the question proper: "As between the parties, does ...?"
_CONDITION = re.compile(
    r"^\s*(?:(?:when|if|for|where|unless|in case|in the event(?: that)?|once|after|before|upon|in addition)\b"
    r"[^,?]{0,160}|[^,?]{0,60}(?=,\s*(?:do|does|did|is|are|was|were|has|have|can|could|will|would|should|shall|may|"
    r"must)\b)),\s*",
    re.IGNORECASE,
)
# How far into the subject a party noun may sit, and the words that end a subject.
_NOUN_PHRASE = 4
_PREPOSITIONS = frozenset(
    {"to", "by", "of", "with", "for", "in", "on", "at", "from", "within", "into", "under", "that"}
)
# Words that stand between a party and what it has: "customer personal data", "customer account data"
_MODIFIERS = frozenset(
    {"personal", "account", "business", "sensitive", "confidential", "proprietary", "usage", "training",
     "uploaded", "submitted", "stored", "production", "payment", "health", "chat", "conversation"}
)  # fmt: skip
_DETERMINERS = frozenset({"the", "a", "an", "any", "all", "each", "every", "this", "these", "those", "its", "their"})


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _starts(words: list[str], at: int, phrases: frozenset[tuple[str, ...]]) -> int:
    """The length of the longest phrase starting at `at`, 0 when none does."""
    if at >= len(words):
        return 0
    for phrase in _by_first(phrases).get(words[at], ()):  # longest first
        if tuple(words[at : at + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _spans(words: list[str], phrases: frozenset[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Where phrases occur in `words`: (start, length), the longest at each start."""
    index = _by_first(phrases)
    found = []
    for at, word in enumerate(words):
        for phrase in index.get(word, ()):
            if len(phrase) == 1 or tuple(words[at : at + len(phrase)]) == phrase:
                found.append((at, len(phrase)))
                break
    return found


@cache
def _by_first(phrases: frozenset[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """The phrases by their first word, longest first: one dictionary look-up a word."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=lambda p: (-len(p), p)):
        index.setdefault(phrase[0], []).append(phrase)
    return index


@lru_cache(maxsize=65536)
def question_kind(text: str) -> Kind:
    """read_question(text).kind, read alone: whether a row wants Yes / No is asked of every row,
    the rest of its reading only of rows that come near a claim."""
    core = _CONDITION.sub("", question_proper(text), count=1)
    return _kind(core, _words(core))


@lru_cache(maxsize=65536)
def read_question(text: str) -> Reading:
    """The reading of one question row."""
    core = _CONDITION.sub("", question_proper(text), count=1)
    words = _words(core)
    whole = _words(without_examples(text))  # "(e.g., monthly, quarterly)" is no frequency asked
    kind = _kind(core, words)
    asked = "?" in core or any(_starts(words, 0, _phrases(n)) for n in ("auxiliaries", "closed_openings"))
    party, actor, role = _party(words)
    scoped = _scoped_party(text, core) if party == "vendor" and actor != "customer" else None
    # a plural's possessive as a singular's: "subprocessors' reports" is "subprocessors's reports"
    possessed = _words(_PLURAL_OF.sub("'s", core)) if _PLURAL_OF.search(core) else words
    if scoped == "third" or (party == "vendor" and actor != "customer" and _third_partys(possessed)):
        # "In respect of your subprocessors: is customer data encrypted at rest?" (round 47); "Are
        # changes to the cloud provider's infrastructure subject to ...?" (round 61)
        party = "third"
    elif scoped == "customer" and _THEY.match(core):
        party = actor = "customer"  # "Regarding the Customer's auditors, do they validate ...?" (round 49)
    elif party == "vendor" and actor is None and _customers_own(possessed):
        # "Do outside auditors check your customers' security controls?": the customers' own
        # practice, which the vendor's audit is not (round 77); "your customers' data" stays the vendor's
        party = "customer"
    joined, present = " ".join(whole), frozenset(whole)
    exclusive = 2 if not _EXCLUSIVE.isdisjoint(present) else 1 if _LIMITED_TO.search(joined) else 0
    return Reading(
        kind=kind,
        statement=kind in ("closed", "phrase") and not asked,
        party=party,
        theirs=_theirs(whole) or ("'" in text or "’" in text or " of " in text) and _named_paper(text),
        products=_products_of(whole),
        within=_within(words, party),
        frequencies=_frequencies_of(whole),
        clauses=tuple(clauses(text)),
        possible=bool(words) and words[0] in _POSSIBLE_OPENINGS or not _POSSIBLY.isdisjoint(words),
        excepting=not _EXCEPTING.isdisjoint(present) or _EXCEPTING_PHRASE.search(joined) is not None,
        exclusive=exclusive,
        only=(only := _only_scope(whole) if exclusive else ()),
        only_party=_first_party(list(only)),
        actor=actor,
        role=role,
        whose="other" if _OTHERS.search(joined) else "own" if _THEIR_OWN.search(joined) else None,
        own_of="customer" if _OUR_OWN.search(joined) else "vendor" if _ITS_OWN.search(joined) else None,
        thing=_thing(words),
        status=_status(whole, joined),
        states=_states(whole),
        narrowed=_narrowed(whole),
        vendor_people=_VENDOR_PEOPLE.search(joined) is not None,
        customer_people=_CUSTOMER_PEOPLE.search(joined) is not None,
        kinds=frozenset(map(kind_of, whole)),
        ours=_ours(whole),
        data_of="customer" if _CUSTOMERS_DATA.search(joined) else "other" if _OTHER_DATA.search(joined) else None,
        obliged="customer" in (party, actor) and _obliged(words) or _CUSTOMERS_DUTY.search(joined) is not None,
        for_party=_for_party(joined),
    )


_SIDES = {
    **dict.fromkeys(("openai", "openai's", "vendor", "vendor's", "supplier", "supplier's", "provider",
                     "provider's", "you", "your", "yours"), "vendor"),
    **dict.fromkeys(("customer", "customer's", "customers", "customers'", "client", "client's", "us", "our",
                     "ours", "organization's", "organisation's"), "customer"),
}  # fmt: skip
_SIDE = r"(?:the |that |each |a )?(?P<p>" + "|".join(re.escape(w) for w in _SIDES) + r")"
# whose, in the possessive: "OpenAI's", "our", "yours" ("you use" is no use of the vendor's)
_OWNER = (
    r"(?:the |that |each |a )?(?P<p>"
    + "|".join(re.escape(w) for w in _SIDES if w.endswith(("'s", "'", "our", "ours", "your", "yours")))
    + r")"
)
# a party named as a noun before what it gives: "customer permission", "end-user consent", "user's approval"
_WHO = r"(?P<p>(?:end[- ])?users?(?:'s|s')?|customers?(?:'s|s')?|clients?(?:'s|s')?|openai(?:'s)?)\b"
_FOR_PARTY = tuple(
    re.compile(pattern)
    for pattern in (
        # "for OpenAI's use alone", "for our use", "for the customer's exclusive use", "ours alone"
        rf"\b{_OWNER} (?:own )?(?:(?:exclusive|sole) )?(?:use(?! cases?\b)|alone|benefit)\b",
        # "for the exclusive use of OpenAI", "dedicated to the customer"
        rf"\b(?:(?:exclusive|sole) use of|dedicated to) {_SIDE}\b",
        # "with OpenAI's explicit permission", "the consent of the customer"
        rf"\b{_OWNER} (?:explicit |express |prior |written )*(?:permission|consent|approval|authori[sz]ation)\b",
        rf"\b(?:permission|consent|approval|authori[sz]ation) (?:of|from) {_SIDE}\b",
        # "explicit customer permission", "the end user's consent", "consent of the user" (round 100b wrote
        # the customer's permission's Yes to "Is explicit end user permission required ...?")
        rf"\b(?:explicit |express |prior |written )*{_WHO} (?:explicit |express |prior |written )*"
        # ("user authorization", "user permissions" are access control, not consent)
        r"(?:permission|consent|approval)\b",
        rf"\b(?:permission|consent|approval) (?:of|from) (?:the |each |an? )?{_WHO}",
    )
)


def _for_party(joined: str) -> Party | Literal["user"] | None:
    """Whose use or permission a text speaks of, when it says: "for OpenAI's use alone" vendor."""
    found = next((m for pattern in _FOR_PARTY if (m := pattern.search(joined))), None)
    if found is not None:
        return cast(Party, _SIDES.get(found["p"])) or ("user" if "user" in found["p"] else "customer")
    # "the customer's custom models for its exclusive use": "its" is the possessor named before it
    its = _ITS_USE.search(joined)
    named = next((w for w in joined[: its.start()].split() if w in _SIDES and w.endswith("'s")), None) if its else None
    return cast(Party, _SIDES[named]) if named else None


_ITS_USE = re.compile(r"\b(?:its|their) (?:own )?(?:(?:exclusive|sole) )?(?:use|benefit)\b")


# What a subject is bound to: "Must we ...", "Do our users need to ...", "Is the customer required to ..."
_BINDING = re.compile(
    r"^(?:must|shall)\b|^\w+ (?:\w+ ){0,4}?(?:need|needs|have to|has to|(?:required|obliged|obligated|expected) to|"
    r"responsible for)\b"
)


# "Is it our responsibility to encrypt ...?", "Is encryption the customer's duty?" (round 95)
_CUSTOMERS_DUTY = re.compile(
    r"\b(?:our|customer's|customers'|client's|clients') (?:own )?(?:responsibility|duty|obligation|job)\b"
)


def _obliged(words: list[str]) -> bool:
    """Whether a question asks what its subject must do or have, not what is so."""
    return _BINDING.match(" ".join(words[:8])) is not None


# A lead that says whom the question is about: "In respect of your subprocessors, ...", "For your
# subcontractors: ...", "Regarding fourth parties, ..."
_SCOPING = re.compile(
    r"^\W*(?:[\w.()-]{1,8}\s+)?(?:in respect of|with respect to|in relation to|with regard to|regarding|concerning|"
    r"as regards|as for|as to|for|in the case of|about)\b(.*)$",
    re.IGNORECASE | re.DOTALL,
)


def _scoped_party(text: str, core: str) -> Party | None:
    """The party other than the vendor that the words before the question proper name ("In
    respect of your subprocessors:", "Regarding the Customer's auditors,"), or None."""
    at = text.rfind(core.strip()[:40]) if core.strip() else -1
    found = _SCOPING.match(text[:at]) if at > 0 else None
    if found is None and _SCOPING.match(core):
        # a lead too long to be taken off as a label: "With respect to the vendor's cloud provider: ..."
        found = next((m for end in _LEAD_END.finditer(core) if (m := _SCOPING.match(core[: end.start()]))), None)
    if found is None:
        return None
    words = _words(found.group(1))
    named = [hit[0] for n in range(len(words)) if (hit := _party_at(words, n)) is not None]
    return "third" if "third" in named else "customer" if "customer" in named else None


def _third_partys(words: list[str]) -> bool:
    """Whether the question speaks of a thing another company has: "the IaaS provider's
    infrastructure", "your subprocessors' SOC 2 reports", "the systems of your hosting provider"
    ("a list of your subprocessors" is the vendor's own)."""
    for at in range(len(words)):
        found = _party_at(words, at)
        if found is None or found[0] != "third":
            continue
        end = found[1]
        if end < len(words) and words[end - 1].endswith("'s"):
            return True
        if _had_of(words, at):
            return True
    return False


def _had_of(words: list[str], at: int) -> bool:
    """Whether the party named at `at` owns a thing named before it: "the systems of your hosting
    provider", "the security controls of your customers"."""
    owner = at - 1 if at and words[at - 1] in ("your", "the", "its", "their", "a", "an") else at
    return owner >= 2 and words[owner - 1] == "of" and words[owner - 2] in _THINGS_HAD


def _customers_own(words: list[str]) -> bool:
    """Whether the question speaks of the customers' own controls, systems, staff or policies
    ("your customers' security controls", "the security controls of your customers"), not of their
    data, which the vendor holds."""
    for at in range(len(words)):
        found = _party_at(words, at)
        if found is None or found[0] != "customer" or (at and words[at - 1] == "our"):
            continue  # ("our customers'" turns on whose voice the form speaks in: left to that reading)
        if _had_of(words, at):
            return True
        if not words[found[1] - 1].endswith("'s"):
            continue
        following = words[found[1] : found[1] + 3]
        held = range(found[1], min(found[1] + 3, len(words)))
        if any(word in _THINGS_HAD for word in following) and not any(
            _starts(words, n, _phrases("possessed")) for n in held
        ):
            return True
    return False


# A plural's possessive, "subprocessors' reports", written as a singular's for _third_partys
_PLURAL_OF = re.compile(r"(?<=s)['’](?![a-z])", re.IGNORECASE)

# What a company has, of which "the X of <another company>" speaks
_THINGS_HAD = frozenset(
    {"infrastructure", "systems", "system", "datacenters", "datacentres", "centers", "centres", "facilities",
     "facility", "networks", "network", "environments", "environment", "servers", "controls", "reports",
     "report", "certifications", "certification", "certificates", "practices", "premises", "platforms",
     "platform", "employees", "staff", "personnel", "policies", "programs", "programmes", "processes"}
)  # fmt: skip


_LEAD_END = re.compile(r"[:,]\s")

# A question whose subject is a pronoun: "do they validate ...?", "are they ...?"
_THEY = re.compile(r"^\W*(?:do|does|did|are|is|were|was|have|has|can|will|would)\s+(?:they|it)\b", re.IGNORECASE)


def one_state(text: str, state: str) -> str:
    """The question asked of one state only: "Is data encrypted at rest and in transit?" with
    "rest" is "is data encrypted at rest" (its other states' words and their "and" left out)."""
    words = _words(text)
    keys = _mapping("states")
    drop: set[int] = set()
    for at, n in _spans(words, _spellings("states")):
        if keys[tuple(words[at : at + n])] not in (state, "tls"):
            drop.update(range(at, at + n))
            for near in (at - 1, at + n):  # the "and" / "or" that joined it
                if 0 <= near < len(words) and words[near] in ("and", "or", "both"):
                    drop.add(near)
    return " ".join(w for i, w in enumerate(words) if i not in drop)


def _states(words: list[str]) -> frozenset[str]:
    named = _keys_at(words, "states")
    return frozenset(named - {"tls"} or ({"transit"} if named else set()))


def _status(words: list[str], joined: str) -> frozenset[str]:
    """What the text asks of a practice beyond whether it is so (`joined`: its words, spaced)."""
    # "retained for no longer than 30 days" is a bound, not the past's "no longer"
    found = _keys_at(_without_bounds(words), "status")
    # "Did you use to ...?", "Did OpenAI use to ...?": was so once, not whether it is
    if "use" in words and any(w == "use" and words[at + 1 : at + 2] == ["to"] and "did" in words[max(0, at - 4) : at]
           for at, w in enumerate(words)):  # fmt: skip
        found.add("past")
    if _HANDED.search(joined):
        found.add("handed")
    if _WHOLE.search(joined):
        found.add("whole")
    if _THEIR_SYSTEMS.search(joined):
        found.add("theirs")
    if _REQUIRED.search(_WHO_NEED.sub(" ", joined)) and not _BY_LAW.search(joined):
        found.add("required")
    if _DATED.search(joined):
        found.add("dated")
    if _ABOUT_IT.search(joined):
        found.add("about")
    if _EFFECT.match(joined) or _CASCADE.search(joined):
        found.add("effect")
    return frozenset(found)


# What holds information about a thing, not the thing: "Do classification results contain metadata
# about our business data?" is not "... contain our business data?" (round 100 wrote the second's No)
_ABOUT_IT = re.compile(
    r"\bmetadata (?:about|on|of|describing)\b"
    r"|\b(?:contains?|includes?|holds?|stores?|keeps?|retains?) (?:any )?(?:information|details|statistics|data) "
    r"(?:about|on|regarding|concerning|describing)\b"
)
# An act that brings about another: "Does deleting a training file also delete the models fine-tuned
# from it?" (round 100 wrote the Yes of "Can we delete training files and fine-tuned models?")
# One removal set off by another: "Fine-tuned models are deleted when the training file is deleted" (round 101)
_CASCADE = re.compile(
    r"\b(delet|remov|revok|disabl|terminat|purg|eras|destroy)\w*\b[^?.]*\b(?:when|once|whenever|as soon as|after|if)\b"
    r"[^?.]*\b(?:is|are|gets?|has been|have been|was|were) \1\w*"
)
# (a gerund with its object: "training files" is a noun, "deleting a training file" an act)
_EFFECT = re.compile(
    r"(?:(?:does|do|will|would|can|could|did) |(?:^|.*\bthat )(?=[a-z-]+ing ))(?:the |a |an |our |your )?[a-z-]+ing "
    r"(?:a|an|the|our|your|its|their|this|that|these|those|any|all|it|them|out|in|off|up|down|away|back)\b"
)


# A time a question names by its year: "Pre-2023:", "before 2023", "prior to March 1, 2023", "in 2019",
# "since 2020" (round 99 wrote today's practice to "Pre-2023: Is API data excluded from training by
# default?", when it was used unless the organization opted out)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATED = re.compile(
    r"\b(?:pre|post|before|after|prior to|until|till|through|in|during|as of|from|since|by|circa)"
    rf"[\s-](?:(?:{_MONTH})(?: \d{{1,2}})?,? )?(?:19|20)\d\d\b"
)


def _without_bounds(words: list[str]) -> list[str]:
    """The words without each "no longer than"."""
    if "longer" not in words:
        return words
    kept: list[str] = []
    for word in words:
        kept.append(word)
        if kept[-3:] == ["no", "longer", "than"]:
            del kept[-3:]
    return kept


# The vendor's own people: "Does the customer decide which vendor employees can access its data?"
# is not "You decide who has access within your organization".
_PEOPLE = r"(?:own )?(?:employees?|staff|personnel|engineers|workforce|contractors|users|members)\b"
_VENDOR_PEOPLE = re.compile(
    rf"\b(?:vendor|openai|provider|supplier|your)(?:'s)? {_PEOPLE}"
    # "OpenAI administrators", "OpenAI workspace admins": the vendor's, not the customer's workspace
    # admins (round 100 offered the retention and visibility claims' Yes)
    r"|\b(?:vendor|openai|provider|supplier)(?:'s)? (?:[a-z-]+ )?(?:admins?|administrators?)\b"
)
_CUSTOMER_PEOPLE = re.compile(
    rf"\b(?:its|their|our|the customer's|customer's|customers'|client's|clients'|the client's) {_PEOPLE}"
    r"|\bwithin (?:its|their|our|the customer's|your) organi[sz]ation"
)


# "Does ChatGPT Enterprise require SAML SSO?": whether it is mandatory, which a claim that it is
# offered does not say ("unless legally required" is a condition, not a requirement asked about)
_REQUIRED = re.compile(r"\b(?:require|requires|required|requiring|mandatory|mandated|compulsory|obligatory)\b")
_WHO_NEED = re.compile(r"\b(?:who|that|which) (?:do not |don't |does not |doesn't )?requires?\b")  # "who need it"
_BY_LAW = re.compile(r"\b(?:legally|lawfully) required\b|\brequired by (?:the )?(?:applicable )?law\b|\blaw requires\b")


# "red teaming of your customers' applications", "our AI systems": what the customer builds and
# runs, where the vendor's practice is about its own models and services ("customer data" is
# the vendor's to protect, and stays out)
_SYSTEMS = (
    # "our production infrastructure", "our internal cloud systems" (round 50): one or two words before
    # what runs on the customer's side (not "a customer's fine-tuned model", which the vendor hosts)
    r"(?:(?!data\b|content\b|information\b)[a-z-]+ (?:[a-z-]+ )?(?=(?:infrastructure|networks?|environments?|"
    r"servers?|systems?|workloads?|codebases?)\b))?"
    r"(?:ai |ml |own )?(?:applications?|apps?|systems?|models?|platforms?|use cases?|environments?|infrastructure|"
    r"networks?|code|codebases?|products?|deployments?|software|workloads?|solutions?)"
)
_THEIR_SYSTEMS = re.compile(
    rf"\b(?:customers?|customer's|customers'|clients?|client's|clients'|tenants?|tenant's|tenants'|our)\s+{_SYSTEMS}\b"
    # "Is our API penetration tested?", "models deployed to our API" (round 51): the customer's own API,
    # not the data it sends through the vendor's ("our API data", "our API keys")
    r"|\b(?:customer's|customers'|client's|clients'|tenant's|tenants'|our)\s+apis?\b(?!'s|\s+(?:data|inputs?|outputs?|"
    r"keys?|usage|requests?|calls?|traffic|logs?|content|files?|prompts?|accounts?|organi[sz]ations?|projects?|"
    r"platform|customers?|users?|tokens?|credits?|spend|limits?|access|integrations?))"
    # "data licensed from us", "our third-party data providers", "aligned using our human feedback"
    # (round 51): the customer as the source of what the vendor's practice draws from elsewhere
    r"|\b(?:licensed|purchased|bought|acquired|obtained|sourced)\s+from\s+(?:us|our|the customer)\b"
    r"|\b(?:customer's|customers'|client's|clients'|our)\s+(?:own\s+)?(?:third[- ]party\s+|external\s+)?(?:data\s+)?"
    r"(?:providers|suppliers|licensors|partners|vendors|data providers?|data suppliers?|human feedback|feedback)\b"
    # "Is our organization ISO 27001 certified?": the customer as an organisation is what is asked about
    # (what it does is asked of it as a party: "Will our company own the output ...?", round 95)
    r"|^(?:is|are|has|have|was|were)\s+(?:the\s+)?(?:customer's|client's|our)\s+"
    r"(?:organi[sz]ation|company|firm|institution)\b(?!['’]s|\s+(?:data|inputs?|outputs?|content|information|"
    r"users?|accounts?|workspaces?|admins?|administrators?|employees?|staff|personnel|records|files|prompts?)\b)"
)


# "Is the entire organisation ISO 27001 certified?", "Is OpenAI as a whole ...?": the whole
# company, where a certificate or an audit covers the services it names
_WHOLE = re.compile(
    r"\b(?:entire|whole)\s+(?:\S+\s+){0,2}?(?:organi[sz]ations?|company|companies|business|firm|group|estate)\b"
    r"|\bas a whole\b|\bwhole of\b|\bin (?:its|their) entirety\b|\b(?:company|organi[sz]ation|business)-wide\b"
    r"|\ball of (?:openai|the company|your company|your organi[sz]ation|the organi[sz]ation|your business)\b"
)


# "Do you provide your SOC 2 report to customers?", "Is the ISO certificate available on request?":
# whether a document is given to the customer, which a claim that the audit happened does not say
_DOCUMENT = r"(?:reports?|certificates?|attestations?|results|evidence|cop(?:y|ies)|summary|summaries|letters?)"
_GIVING = r"(?:provide|provides|share|shares|send|sends|give|gives|furnish|supply|disclose|deliver|obtain|request)"
_GIVEN = r"(?:available|shared|provided|sent|given|obtainable|on request|upon request)"
_HANDED = re.compile(rf"\b{_GIVING}\b(?:\s+\S+){{0,6}}?\s+{_DOCUMENT}\b|\b{_DOCUMENT}\b(?:\s+\S+){{0,3}}?\s+{_GIVEN}\b")


# After a narrowing word, what shows it is a verb ("conversations deleted after 30 days"), not
# set before a noun ("deleted conversations")
_NOT_A_NOUN = frozenset({"and", "or", "by", "after", "within", "before", "from", "in", "on", "at", "for", "to",
                         "when", "if", "upon", "until", "automatically", "permanently", "immediately"})  # fmt: skip


def _narrowed(words: list[str]) -> frozenset[str]:
    """The narrowing words ("deleted", "unsaved") set before a noun: "Are deleted conversations
    removed ...?" speaks of deleted ones; "Are conversations deleted ...?" of all of them."""
    narrowing = _phrases("narrowing")
    found = set()
    for at, word in enumerate(words):
        if (word,) in narrowing and at + 1 < len(words):
            following = words[at + 1]
            if following in ("or", "and") and at + 2 < len(words) and (words[at + 2],) in narrowing:
                found.add(word)  # "deleted or unsaved conversations"
            elif following not in _NOT_A_NOUN and following not in _BE and not following.endswith("ly"):
                found.add(word)
    return frozenset(found)


# "May / Might / Could data have been used ...?", "Is it possibly ...": a Yes says it may be so,
# which is no Yes to "Was data used ...?".
_POSSIBLE_OPENINGS = frozenset({"may", "might", "could"})
_POSSIBLY = frozenset({"possibly", "potentially", "conceivably", "possible"})
# "Was data used unless the organization opted out?": a Yes with an exception is no Yes without it.
_EXCEPTING = frozenset({"unless", "except", "excepting"})
# "only if / only when the customer opts in" is a condition, like "unless"
_EXCEPTING_PHRASE = re.compile(r"\bopt(?:ed|s|ing)?[- ]out\b|\bonly (?:if|when|where|after|upon|with)\b")
# "can only end users view them" (Yes) is no Yes to "can admins view them"
_EXCLUSIVE = frozenset({"only", "solely", "exclusively"})
# "view other users' conversations" is not "view their own conversations"
# ("each other" and "one another" are the same parties, not others)
_OTHERS = re.compile(r"\b(?<!each )(?<!one )(?:other|others|other's|others'|another|another's)\b")
_THEIR_OWN = re.compile(r"\b(?:their|its|our|your|his|her|my) own\b")  # "own" the verb is no "their own"
_OUR_OWN = re.compile(r"\b(?:our|my) own\b")
_ITS_OWN = re.compile(r"\b(?:its|your) own\b")
_LIMITED_TO = re.compile(r"\b(?:limited|restricted|confined)\s+to\b")


# Where the words an "only" applies to end: a verb of the question, a preposition, a clause break.
_SCOPE_ENDS = frozenset(
    {"have", "has", "can", "may", "will", "is", "are", "be", "access", "view", "see", "read", "use", "for", "to",
     "in", "on", "at", "when", "if", "with", "who", "that", "which", "where", "and/or", "under", "by", "from"}
)  # fmt: skip


def _only_scope(words: list[str]) -> tuple[str, ...]:
    """The words an "only" / "solely" / "limited to" applies to: those after it up to a verb or
    preposition ("only authorized employees and contractors have ..."), or, for a trailing
    "only" ("specialized contractors only"), the few before it."""
    for at, word in enumerate(words):
        after = at + 1
        if word in ("limited", "restricted", "confined") and words[at + 1 : at + 2] == ["to"]:
            after = at + 2
        elif word not in _EXCLUSIVE:
            continue
        if words[after : after + 1] in (["to"], ["for"]):  # "used solely to fine-tune ...", "only for ..."
            after += 1
        scope: list[str] = []
        for following in words[after : after + 8]:
            if following in _SCOPE_ENDS and scope:
                break
            scope.append(following)
        if scope and scope[0] not in _SCOPE_ENDS:
            return tuple(scope)
        return tuple(w for w in words[max(0, at - 3) : at] if w not in _SCOPE_ENDS)  # "... contractors only"
    return ()


_BE = frozenset({"is", "are", "was", "were"})
# The kinds of thing a passive question may be about, as one: "data", "content", "files" and
# "conversations" are all the customer's data; a model, a log, a backup or a key is another thing.
_DATA_KINDS = frozenset(
    {"data", "content", "contents", "information", "info", "input", "inputs", "output", "outputs", "prompt",
     "prompts", "conversation", "conversations", "chat", "chats", "file", "files", "dataset", "datasets",
     "document", "documents", "record", "records", "message", "messages", "history", "upload", "uploads"}
)  # fmt: skip


_IRREGULAR = frozenset({"kept", "held", "run", "made", "done", "shown", "seen", "taken", "sold", "built", "sent"})


_ADVERBS = frozenset({"still", "also", "always", "never", "ever", "not", "even", "then", "now", "all", "both", "each"})


def _thing(words: list[str]) -> str | None:
    """The head of a passive question's subject, as a kind: "Is a fine-tuned model retained until
    ...?" model; "Are API inputs and outputs stored ...?" data. None when the question is not
    "is/are <thing> <past participle> ..."."""
    if not words or words[0] not in _BE:
        return None
    for at in range(2, min(len(words), 7)):
        word = words[at]
        if word in _PREPOSITIONS or word in _BE:
            return None
        participle = (word.endswith("ed") and "-" not in word) or word in _IRREGULAR
        if participle and words[at - 1] not in _DETERMINERS:  # "a fine-tuned model": an adjective
            # the head before an adverb: "Are inputs and outputs still stored ...?" data, not "still" (round 104)
            before = at - 1
            while before > 1 and (words[before] in _ADVERBS or len(words[before]) > 4 and words[before].endswith("ly")):
                before -= 1
            head = words[before].removesuffix("'s")
            if head in ("and", "or") or _party_at([head], 0) is not None:
                return None  # "Are you certified ...?": a party, not a thing
            return kind_of(head)
    return None


# "our" as the customer says it: what follows is the customer's own. Its own data and what it does
# with the service (inputs, users, usage, fine-tuned models, "on our behalf") the claims speak of as
# the customer's; anything else ("our benchmarks", "our SOC 2 report", "our security team", "our
# customers", "our trusted cloud providers") is not what a claim says of the vendor's (rounds 50-52)
_OURS_END = frozenset(
    {"and", "or", "to", "for", "in", "on", "at", "of", "with", "by", "from", "into", "via", "under", "against",
     "is", "are", "be", "been", "being", "was", "were", "do", "does", "did", "can", "could", "will", "would",
     "should", "shall", "may", "might", "must", "has", "have", "had", "that", "which", "who", "whom", "whose",
     "when", "where", "if", "as", "than", "their", "its", "your", "our", "the", "a", "an", "us", "we", "you",
     "not", "only", "also", "ever", "always", "before", "after", "within", "between", "about", "using", "used"}
)  # fmt: skip
_OURS_CUSTOMERS = frozenset(
    {"data", "content", "contents", "information", "info", "input", "inputs", "output", "outputs", "prompt",
     "prompts", "conversation", "conversations", "chat", "chats", "message", "messages", "file", "files",
     "upload", "uploads", "workspace", "workspaces", "account", "accounts", "user", "users", "admin", "admins",
     "administrator", "administrators", "employee", "employees", "staff", "personnel", "people", "member",
     "members", "organization", "organisation", "organizations", "organisations", "business", "company", "use",
     "usage", "behalf", "request", "requests", "consent", "instruction", "instructions", "choice", "option",
     "discretion", "side", "tenant", "idp", "identity", "log", "logs", "record", "records", "history",
     "compliance", "obligation", "obligations", "requirement", "requirements", "responsibilities", "needs",
     "permission", "approval", "authorization", "authorisation"}
)  # fmt: skip
# What only a customer has of the service: the vendor's "our fine-tuned models" or "our workspace
# admins" in a self-assessment is nothing a claim speaks of
_OWN_USE = frozenset(
    {"data", "prompt", "prompts", "input", "inputs", "output", "outputs", "content", "file", "files",
     "conversation", "conversations", "fine-tuned", "fine-tuning", "workspace", "workspaces", "admin", "admins",
     "administrator", "administrators", "user", "users", "account", "accounts", "tenant"}
)  # fmt: skip
# Words that make a whole phrase the customer's data wherever they stand: "our own prompt-completion
# pairs", "our API data", "our fine-tuned models"
_OURS_DATA = frozenset(
    {"data", "prompt", "prompts", "input", "inputs", "output", "outputs", "content", "file", "files",
     "conversation", "conversations", "fine-tuned", "fine-tuning", "api", "apis", "own"}
)  # fmt: skip


# Whose data: the customer's ("our data", "customer API data", "the customer's prompts") or data from
# elsewhere ("their training data", "licensed third-party data", "publicly available data"): "Do your
# models learn patterns from our data?" is not "... from their training data?" (round 50)
_DATA_WORD = r"(?:data|datasets?|content|inputs?|prompts?|conversations?|files?|information)\b"
_CUSTOMERS_DATA = re.compile(
    rf"\b(?:our|customers?|customer's|customers'|clients?|client's|clients'|business)\s+(?:[\w-]+\s+)?{_DATA_WORD}"
)
_OTHER_DATA = re.compile(  # (a fine-tuning "training file" is the customer's)
    r"\b(?:training\s+(?:data|datasets?)|(?:public|publicly available|licensed|third-party|third party|synthetic)\s+"
    r"(?:[\w-]+\s+)?(?:data|datasets?|content|information))\b"
    # the vendor's own data: "Is OpenAI's data used to train your models?" (round 81 wrote the No of
    # customer data)
    r"|\b(?:openai|the vendor|vendor|the supplier|supplier|the provider|provider)['’]s (?:own )?(?:data|datasets?)\b"
    r"|\byour own (?:data|datasets?)\b"
)
# "our" as the customer says it, and the customer named as the owner ("the customer's SOC 2 report",
# "customer-specific benchmarks", round 50)
_OWNERS = frozenset(
    {"our", "customer's", "customers'", "client's", "clients'", "customer-specific", "customer-defined",
     "customer-provided", "customer-supplied", "customer-owned", "client-specific", "client-provided"}
)  # fmt: skip


def _our_phrases(words: list[str]) -> Iterator[tuple[list[str], bool, bool]]:
    """Each phrase "our" makes the customer's (up to three words; through "our organisation's" to
    what follows it), and whether it is the customer's side of the service: its data and its use of
    it ("our workspace administrators"; "our information security policy" is no information of its);
    and whether it is what only a customer has of the service ("our fine-tuned models", "our
    workspace"; not "our employees" nor "our customers' data")."""
    for at, word in enumerate(words):
        if word not in _OWNERS:
            continue
        phrase: list[str] = []
        for following in words[at + 1 : at + 6]:
            if following in _OURS_END or len(phrase) == 3:
                break
            if following.endswith(("'s", "'")):  # "our organisation's ISMS", "our customers' data"
                phrase = []
                continue
            phrase.append(following)
        if phrase and phrase[0] in _OUR_BODIES and not _starts(phrase, 1, _phrases("possessed")):
            continue  # "Will our company own the output ...?": the customer itself, as "we" is (round 95)
        parts = {part for word in phrase for part in word.split("-")} | set(phrase)
        side = not (_OURS_DATA.isdisjoint(parts) and _OURS_CUSTOMERS.isdisjoint(parts - {"information", "info"}))
        if phrase:
            # (the vendor's "our customers' data" is theirs, and so is anything "the customer's")
            own = word == "our" and not words[at + 1].endswith(("'s", "'")) and not parts.isdisjoint(_OWN_USE)
            yield phrase, side, own


def _ours(words: list[str]) -> frozenset[str]:
    """The kinds of thing the text's "our" makes the customer's beyond its side of the service: "our
    benchmarks" benchmark, "our trusted cloud service providers" trusted, cloud, service."""
    return frozenset(kind_of(word) for phrase, side, _ in _our_phrases(words) if not side for word in phrase)


def our_side(text: str) -> bool:
    """Whether the text's "our" names the customer's side of the service ("our fine-tuned models",
    "our data"): the vendor saying so of itself in a self-assessment speaks of nothing a claim says."""
    return any(own for _, _, own in _our_phrases(_words(text)))


def kind_of(word: str) -> str:
    """A noun as the kind of thing it names: "files", "inputs", "content" data; "models" model."""
    if word in _DATA_KINDS or word.endswith("data"):  # "custdata", "personaldata": the matcher's folds
        return "data"
    return word.removesuffix("s") if len(word) > 3 else word


def _offered(party: Party, words: list[str], after: int) -> Party:
    """What a customer "can" do is what the vendor offers: "Can customers choose the region?"
    asks what "Do you let customers choose the region?" asks. Not so for owning, reading or
    training ("Can customers access their data?" is not "Can you access it?"). `after`: where
    the subject's words end, so its verb follows."""
    if party != "customer" or not words:
        return party
    verbs = words[after : after + 3]
    if verbs[:2] == ["be", "able"]:
        verbs = verbs[3:] + words[after + 3 : after + 4]
    can = words[0] in ("can", "could", "may") or words[after : after + 3] == ["be", "able", "to"]
    if can and not any((w,) in _phrases("party_verbs") for w in verbs[:1]):
        return "vendor"
    return party


@cache
def wording_words() -> frozenset[str]:
    """Questionnaire prose ("documented", "procedure", "status") that no claim need use."""
    from autofill.text import content_tokens

    return frozenset(t for word in _vocabulary()["wording"] for t in content_tokens(word)) | filler_words()


@cache
def implied_words() -> dict[str, frozenset[str]]:
    """Per matcher token, the tokens that imply it ("model": "train", "ai", ...)."""
    from autofill.text import content_tokens

    implied: dict[str, set[str]] = {}
    for word, by in _vocabulary()["implied"].items():
        for token in content_tokens(word):
            implied.setdefault(token, set()).update(t for w in by for t in content_tokens(w))
    return {token: frozenset(by) for token, by in implied.items()}


@cache
def filler_words() -> frozenset[str]:
    """Questionnaire wording that names no control or object ("way", "ability", "support")."""
    from autofill.text import content_tokens

    return frozenset(t for word in _vocabulary()["filler"] for t in content_tokens(word))


# The last word of a terse row that asks for a value
_ATTRIBUTES = frozenset(
    {"type", "types", "version", "versions", "cadence", "frequency", "period", "periods", "duration", "length",
     "region", "regions", "location", "locations", "country", "countries", "name", "names", "contact", "contacts",
     "date", "dates", "provider", "providers", "algorithm", "algorithms", "cipher", "ciphers", "method", "methods",
     "format", "formats", "size", "timeline", "timeframe", "owner", "owners", "address", "url", "website", "email"}
)  # fmt: skip


_WH = frozenset({"how", "what", "which", "whom", "whose", "when", "where", "who"})
_WH_AFTER = frozenset(
    {"within", "for", "in", "at", "under", "to", "by", "from", "with", "on", "of", "after", "until", "through", "via",
     "into", "against", "over", "during", "since", "up"}
)  # fmt: skip


_HOW_MUCH = frozenset({"many", "much", "long", "often", "soon", "quickly", "frequently"})


def _asked_inside(words: list[str]) -> bool:
    """Whether a preposition and "how many / how long / which" inside the row ask for a value."""
    for at in range(1, len(words) - 2):
        if words[at] in _WH_AFTER and (
            words[at + 1] == "which" or words[at + 1] == "how" and words[at + 2] in _HOW_MUCH
        ):
            return True
    return False


def _kind(core: str, words: list[str]) -> Kind:
    if not words:
        return "phrase"
    auxiliaries = _phrases("auxiliaries")
    # "Deleted Enterprise conversations are purged within how many days?", "Is data stored in which region?":
    # a preposition and a question word inside the row ask for a value, whatever opens it (round 112b offered
    # "Yes", which accepting wrote)
    closed: Kind = "open" if _asked_inside(words) else "closed"
    if _starts(words, 0, _phrases("closed_openings")):
        return closed
    if _starts(words, 0, auxiliaries):
        return closed
    if _starts(words, 0, _phrases("open_openings")):
        return "open"
    if len(words) > 2 and words[0] in _WH_AFTER and words[1] in _WH:
        # "Within how many days ...?", "For how long ...?", "In which regions ...?", "To whom ...?": a
        # preposition before the question word asks no Yes / No (round 105 wrote "Yes" to the first)
        return "open"
    asks = "?" in core
    verb = bool(_spans(words, auxiliaries))
    relative = None if asks else next((at for at, word in enumerate(words) if word in _RELATIVE), None)
    head = words[:relative] if relative is not None else []
    if (
        relative is not None
        and 0 < relative <= 6
        and not _spans(head, auxiliaries)
        and head[0] not in ("we", "you", "i")
        and _DECLARING.isdisjoint(head)
        and _STATEMENT_VERBS.isdisjoint(head)
    ):
        # "Regions where data residency is available for ChatGPT Enterprise", "Team that is paged in
        # case of an incident": a thing and what is said of it, a field to fill in (round 77 wrote Yes)
        return "label"
    if asks and _ASKED_LAST.search(core):
        # "Data kept how long?", "Prompts stored for how long?", "Hosted where?": a terse row asking
        # its question last (round 91 offered a Yes, which accepting would have written bare)
        return "open"
    if asks and not verb and len(words) <= 6 and words[-1] in _ATTRIBUTES:
        # "SOC2 type?", "TLS version?", "pen test cadence?": a terse row asking for the value of a
        # thing, not whether it is so (round 80 offered Yes, which accepting would have written)
        return "label"
    if asks or verb:
        return closed  # a statement to agree with, or a question in a less common order
    # "The vendor encrypts all customer data at rest.": a party, then its verb: a statement to attest
    # ("the provider" is a party as a whole, "the vendor" after its article)
    subject = (_party_at(words, 0) or _party_at(words, 1 if words[0] == "the" else 0)) if len(words) >= 4 else None
    if subject is not None and subject[1] < len(words):
        if _third_person(words[subject[1]]) or _stated_by(words) is not None:
            return "closed"
    # "The service supports enterprise SAML single sign-on.": the vendor's service and its verb (round 60 read
    # a university's statements as fields to fill in)
    if len(words) >= 4 and words[0] in ("the", "your") and words[1] in _SERVICE and _third_person(words[2]):
        return "closed"
    # "A security on-call function provides 24x7x365 incident coverage.": a thing, then a verb of
    # the practices a statement attests (round 75 read a bank's control statements as fields); not
    # "Name of the provider that hosts your data", whose verb belongs to a relative clause
    if len(words) >= 5 and any(
        words[at] in _STATEMENT_VERBS and words[at - 1] not in ("that", "which", "who", "whom", "whose")
        for at in range(2, len(words))
    ):
        return "closed"
    # "We encrypt customer data at rest.", "You encrypt ...": a person and its verb, a statement to attest (round
    # 51 read a supplier's self-assessment as fields to fill in)
    if words[0] in ("we", "you") and len(words) >= 3:
        return "closed"
    # "Implement access control ...", "Securely clear client storage ...": a requirement to meet.
    lead = words[1:2] if words[0].endswith("ly") else words[:1]
    if lead and ((lead[0],) in _phrases("clause_verbs") or (lead[0],) in _phrases("imperatives")):
        return "phrase"
    # A bare noun phrase ("Cloud Hosting Provider", "Penetration Test Frequency") names a field
    # to fill in: a name, a number, a list, a description.
    return "label"


# A question word that ends a row, what it asks of coming first: "... kept how long?", "... hosted where?"
_ASKED_LAST = re.compile(
    r"\b(?:how (?:long|often|many|much|frequently|soon|quickly)|where|when|which ones?|what|who|whom)\s*\?\s*$",
    re.IGNORECASE,
)


def _party(words: list[str]) -> tuple[Party, Party | None, str | None]:
    """The party whose practice the question asks about (the vendor unless another is named), who
    does it as written (None when the question does not say), and that one's role if named."""
    auxiliaries = _phrases("auxiliaries")
    # A statement whose subject is a party: "Customer owns inputs and outputs", "Workspace admins can
    # view conversations" read as the question they attest ("Does the customer own ...?"; round 37
    # answered the first No from "Does the vendor claim ownership ...?")
    if words and not _starts(words, 0, auxiliaries):
        if (said := _stated_by(words)) is not None:
            return _party(said)
        first = _subject(words, 0)
        if first is not None and first[0] == "third":
            # "Companies that provide infrastructure to OpenAI are evaluated by an independent
            # auditor.": a statement of another company's practice (round 77 attested the vendor's)
            return "third", "third", None
    start = next((at + n for at in range(min(len(words), 4)) if (n := _starts(words, at, auxiliaries))), None)
    if start is not None:
        subject = _subject(words, start)
        if subject is not None:
            party, after = subject
            actor = _allowed(party, words, after)
            if party in ("vendor", "third") and actor != "customer" and _done_by_customer(words):
                # "Are your controls validated by our auditors?", "Is the third-party penetration test
                # performed by the customer?" (round 49)
                return party, "customer", None
            return _offered(party, words, after), actor, _role(words[start:after]) if actor == party else None
    # "Is there a way / Is it possible for OpenAI to delete ...?": the one "for ... to" names acts
    for at, word in enumerate(words[:8]):
        if word == "for":
            found = _subject(words, at + 1)
            if found is not None and words[found[1] : found[1] + 1] == ["to"]:
                return found[0], found[0], _role(words[at + 1 : found[1]])
    # A passive question names its actor after "by": "Is output owned by the customer?" (but
    # "hosted by a cloud provider" is still the vendor's practice: only whose verbs count)
    for at, word in enumerate(words):
        if word == "by" and at and words[at - 1] not in _SOURCED:
            agent = _subject(words, at + 1)
            if agent is not None:
                return agent[0], agent[0], _role(words[at + 1 : agent[1]])
    if _done_by_customer(words):
        return "vendor", "customer", None  # "Is the API penetration tested by customers?"
    return "vendor", None, None  # "Describe how you vet subprocessors": the vendor's practice


def _done_by_customer(words: list[str]) -> bool:
    """Whether the vendor's practice is done by the customer or its people, as a passive says it:
    "penetration tested by customers", "validated by our auditors", "tested by us". The vendor's own
    testers and auditors ("tested by a third party") leave it the vendor's (round 48 wrote the
    annual third-party pentest's Yes for "Is the API penetration tested by customers?")."""
    for at, word in enumerate(words[:-1]):
        if word != "by" or not at:
            continue
        done = at - 1
        while done > 0 and (words[done].endswith("ly") or words[done] in ("yearly", "monthly", "weekly", "daily")):
            done -= 1  # "penetration tested annually by the customer" (round 68 wrote the annual pentest's Yes)
        if not (words[done] in _SOURCED or words[done].endswith("ed")):
            continue
        if words[at + 1] in ("us", "our"):
            return True
        agent = _subject(words, at + 1)
        if agent is not None and agent[0] == "customer":
            return True
        # "by a team of the customer's security experts" (round 49): the customer's people, a possessive
        window = range(at + 1, min(at + 7, len(words)))
        if any(
            words[n].endswith(("'s", "s'")) and (hit := _party_at(words, n)) is not None and hit[0] == "customer"
            for n in window
        ):
            return True
    return False


_IMPERATIVE = ("imperatives", "clause_verbs")


def _stated_by(words: list[str]) -> list[str] | None:
    """A statement led by a party and its verb, as the question it attests: "customer owns outputs"
    -> "does customer owns outputs", "admins can view ..." -> "can admins view ..."; else None."""
    if opening := _starts(words, 0, _phrases("closed_openings")):
        # "Indicate whether the customer controls ...", "Confirm that subprocessors ..."
        rest = words[opening + (words[opening : opening + 1] == ["that"]) :]
        return _stated_by(rest) if rest and not _starts(rest, 0, _phrases("auxiliaries")) else None
    if _starts(words, 0, _phrases("open_openings")) or any((words[0],) in _phrases(n) for n in _IMPERATIVE):
        return None  # "Describe the controls customers have ...": the party is no subject
    subject = _subject(words, 0)
    if subject is None or subject[1] >= len(words):
        return None
    after = subject[1]
    verb = words[after]
    if (verb,) in _phrases("auxiliaries"):
        return [verb, *words[:after], *words[after + 1 :]]
    if _third_person(verb) and verb.isalpha():
        return ["does", *words]
    if (
        (words[0] in ("you", "we") or words[after - 1] in _PLURAL_SUBJECTS)
        and verb.isalpha()
        and verb not in _NOT_VERBS
    ):
        return ["do", *words]  # "You control how long data is retained.", "Customers own ..." (round 52)
    return None


def for_the_customer(text: str) -> bool:
    """Whether a row's own label gives it to the customer: "Customer to complete: Is your organization
    subject to HIPAA?", "For customer use only: ..." (round 100 offered the vendor's HIPAA Yes)."""
    if _CUSTOMER_ATTESTS.match(text) or _CSC_MARK.match(text):
        return True  # "Customer confirms that it owns its inputs and outputs.": the customer's own word
    label, colon, _ = text.partition(":")
    if not colon or len(label) > 60:
        return False
    return _CUSTOMER_LABEL.match(label) is not None or _NOT_THE_RESPONDENT.search(label) is not None


_CSC_MARK = re.compile(r"\W*\((?:csc|customer|client)\)\s", re.IGNORECASE)
_CUSTOMER_ATTESTS = re.compile(
    r"\W*(?:the\s+)?(?:customer|client|buyer|purchaser|licensee|institution)\s+(?:hereby\s+)?"
    r"(?:confirms?|certifies|attests?|acknowledges?|represents?|warrants?|affirms?|declares?)\b",
    re.IGNORECASE,
)


_CUSTOMER_LABEL = re.compile(
    # a label that is only the customer's name for itself: "CSC:", "Customer:", "(CSC)" (CAIQ's cloud service
    # customer; round 102 wrote the vendor's Yes into "CSC: Does the CSC decide which of its users ...?")
    r"\W*\(?(?:csc|cloud service customer|customer|client|tenant|buyer|purchaser|licensee)\)?\s*$|"
    r"\W*(?:(?:to be )?(?:answered|completed|filled(?: in| out)?|responded to) by (?:the )?)"
    r"(?:customer|client|purchaser|buyer|licensee|requester|tenant|subscriber|csc)\s*$|"
    r"\W*(?:for (?:the )?)?(?:customer|client|purchaser|buyer|licensee|requester|tenant|subscriber)(?:'s)?\s+"
    r"(?:to (?:complete|answer|respond|fill(?: in)?)|use(?: only)?|only|"
    r"response|answer|section|completes?)\s*$",
    re.IGNORECASE,
)


def customers_undertaking(text: str) -> bool:
    """Whether a row states what the customer will do, must do or has done, its own part, not a question
    for the vendor: "The Bank's workspace administrators will control who can view conversations.",
    "Customer is responsible for configuring SSO." (round 86 wrote the admins claim's Yes); what the
    customer can do or does ("Workspace admins can view conversations", "Customer owns outputs")
    is attested as before."""
    words = _words(text)
    if not words or "?" in text or _starts(words, 0, _phrases("auxiliaries")):
        return False
    subject = _subject(words, 0)
    if subject is None or subject[0] != "customer" or subject[1] >= len(words):
        return False
    return _UNDERTAKES.match(" ".join(words[subject[1] :])) is not None


# What a subject undertakes: "will control", "shall ensure", "is responsible for", "agrees to" (not what
# is done to it, allowed it or kept for it: "will be notified within 72 hours", "must be able to export",
# "shall have the ability to log out", "shall retain ownership of its inputs" are the vendor's undertakings)
_UNDERTAKES = re.compile(
    # (after the customer's people: "Bank IT will enable SSO", "the customer's security team must review")
    r"(?:(?:it|security|compliance|legal|procurement|hr)\s+)?(?:(?:team|teams|department|staff|personnel|users?|"
    r"employees|administrators?|admins?)\s+)?"
    r"(?:(?:will|shall|must|should)(?! be (?:able|allowed|permitted|entitled|\w+(?:ed|en|wn|ld|nt))\b"
    r"| have (?:the |an? )?(?:ability|option|right|capability|choice|means|possibility|access)\b"
    r"| (?:retain|own|keep|hold|receive|get|obtain|have)\b)|"
    r"agrees? to|undertakes? to|commits? to|"
    r"(?:is|are) (?:responsible|accountable) for|(?:is|are) (?:required|expected|obliged|obligated) to|"
    r"(?:has|have|needs?) to|"
    # what it has done: "The customer has configured SAML SSO for all users." (round 89 offered the SSO Yes)
    r"(?:has|have) (?:already )?(?!been\b)\w+ed)\b"
)


# A party in the plural before its verb: "Customers own their inputs", "Admins control retention"
_PLURAL_SUBJECTS = frozenset({"customers", "clients", "users", "admins", "administrators", "subprocessors"})
_NOT_VERBS = frozenset(
    {"data", "information", "content", "responsibilities", "list", "names", "details", "access", "and", "or"}
)


_SERVICE = frozenset({"service", "solution", "platform", "product", "system", "application", "app", "offering",
                      "tool", "software"})  # fmt: skip


_RELATIVE = frozenset({"that", "which", "where", "who", "whom", "whose", "when"})
# Verbs that say what follows "that" is stated: "The vendor confirms that ...", "We attest that ..."
_DECLARING = frozenset(
    {"confirms", "confirm", "states", "state", "attests", "attest", "certifies", "certify", "ensures", "ensure",
     "agrees", "agree", "acknowledges", "acknowledge", "represents", "represent", "warrants", "warrant", "affirms",
     "affirm", "verifies", "verify", "declares", "declare", "indicate", "indicates", "specify", "describe"}
)  # fmt: skip

# Verbs of a practice, as a statement says them of its subject
# (never a word that is a noun as often: "tests", "logs", "reviews", "limits", "uses", "stores", "holds")
_STATEMENT_VERBS = frozenset(
    {"provides", "maintains", "performs", "ensures", "encrypts", "retains", "requires", "undergoes",
     "offers", "monitors", "restricts", "protects", "enforces", "conducts", "employs", "implements",
     "operates", "deletes", "notifies", "prevents", "prohibits", "covers", "supports", "complies", "meets",
     "follows", "follow", "applies", "includes", "include"}
)  # fmt: skip


def _third_person(word: str) -> bool:
    """A verb after its subject, as a statement says it: "encrypts", "owns" (not "access", "status")."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


_ADMINS = frozenset({"admin", "admins", "administrator", "administrators", "owner", "owners"})
_USERS = frozenset({"user", "users", "user's", "users'", "member", "members"})


def _role(subject: list[str]) -> str | None:
    """ "admin" for workspace admins or owners, "user" for end users or members; else None."""
    if not _ADMINS.isdisjoint(subject):
        return "admin"
    return "user" if not _USERS.isdisjoint(subject) else None


# "hosted / provided by a cloud provider", "audited / tested by a third party": how the vendor
# sources or proves its service, still the vendor's practice; any other passive agent ("encrypted /
# used / owned by X") is whose it is
_SOURCED = frozenset(
    {"hosted", "provided", "operated", "supplied", "powered", "run", "built", "delivered", "backed", "served",
     "offered", "developed", "maintained", "owned-and-operated", "audited", "assessed", "evaluated", "tested",
     "certified", "validated", "verified", "examined", "attested", "inspected", "reviewed", "penetration-tested"}
)  # fmt: skip
_ALLOWING = frozenset({"allow", "let", "enable", "permit", "allows", "lets", "enables", "permits"})
# "Do you offer / support / provide fine-tuning?": the vendor offers it; who does it is not said
_OFFERING = frozenset(
    {"offer", "offers", "support", "supports", "provide", "provides", "make", "makes", "include", "includes"}
)


# What the vendor offers, named after it: "OpenAI business products", "the vendor's platform"
_OFFERED_BY = frozenset(
    {"business", "product", "products", "platform", "platforms", "service", "services", "solution", "solutions",
     "offering", "offerings", "application", "applications", "app", "apps", "tool", "tools", "system", "systems",
     "api", "chatgpt", "enterprise", "software", "model", "models"}
)  # fmt: skip


def _allowed(party: Party, words: list[str], after: int) -> Party | None:
    """Who acts when the subject lets another: "Do you allow customers to delete ...?" customer;
    None when it offers a thing ("Do you offer fine-tuning?")."""
    while party == "vendor" and after + 1 < len(words) and words[after] in _OFFERED_BY:
        after += 1  # "OpenAI business products support ...": the vendor's offering, then its verb
    verb = words[after] if after < len(words) else ""
    if party == "vendor" and verb in _OFFERING:
        return None
    if party == "vendor" and verb in _ALLOWING:
        found = next(
            (p for look in range(after + 1, min(after + 4, len(words))) if (p := _party_at(words, look))), None
        )
        if found is not None:
            return found[0]
        # "The Contractor shall permit the State to red team ...": whoever a form lets act is the one
        # acting, and no name the vendor goes by is the customer's (round 101 wrote OpenAI's own red teaming)
        allowed = words[after + 1 : after + 6]
        if "to" in allowed[1:-1] and allowed[allowed.index("to") + 1] != "be":  # ("data to be exported": a thing)
            if not set(allowed[: allowed.index("to")]) & _VENDOR_NAMES:
                return "customer"
    return party


_VENDOR_NAMES = frozenset(
    {"you", "yourself", "it", "itself", "openai", "vendor", "supplier", "provider", "contractor", "offeror",
     "respondent", "bidder", "us", "we"}
)  # fmt: skip


# People who act for whoever owns them ("our auditors", "our security team")
# "our organization", "our company": the customer itself in a form the customer wrote ("Must our
# organization enable SAML SSO?" read as the vendor's practice offered the SSO Yes, round 94)
_OUR_BODIES = frozenset({"organization", "organisation", "company", "firm", "institution", "business", "agency"})
_ACTING_PEOPLE = frozenset(
    {"auditor", "auditors", "assessor", "assessors", "team", "teams", "staff", "employee", "employees",
     "personnel", "tester", "testers", "engineer", "engineers", "analyst", "analysts", "reviewer", "reviewers",
     "consultant", "consultants", "expert", "experts", "people"}
)  # fmt: skip
_ACTING_FOR_US = _ACTING_PEOPLE | _OUR_BODIES  # after "our": who acts for the customer, or the customer


def _subject(words: list[str], at: int) -> tuple[Party, int] | None:
    """The party acting at `at` (after the opening verb or "by") and where its words end; None
    for a thing ("data")."""
    while at < len(words) and words[at] in _DETERMINERS:
        at += 1
    if at >= len(words):
        return None
    owner: Party | None = None
    if words[at] in ("your", "our"):
        owner = "vendor" if words[at] == "your" else "customer"
        at += 1
    if owner is None and (named := _product_at(words, at)):
        # "Does ChatGPT Enterprise let the customer control ...?": the vendor's product acts as the vendor
        return "vendor", at + named
    if words[at] in _SOME_COMPANIES and at + 2 < len(words):
        # "Do the companies that resell your services provide ...?": other companies than the vendor
        # (round 61); those that buy from it are its customers ("Do companies that use your service
        # own their outputs?", "companies using the API": round 62 read them as the vendor)
        relative = words[at + 1] in ("that", "which", "who")
        doing = words[at + 2] if relative else words[at + 1]
        if doing in (_BUYING if relative else _BUYING_NOW):
            return "customer", at + 1
        if relative or doing.endswith("ing"):
            return "third", at + 1  # "companies that host your service", "companies hosting it"
    found, verb = None, at
    for look in range(at, min(at + _NOUN_PHRASE, len(words))):  # "API customers", "cloud hosting provider"
        if words[look] in _PREPOSITIONS or words[look] in _OFFERING or words[look] in _ALLOWING:
            verb = look if words[look] not in _PREPOSITIONS else at
            break  # "the organization support client compliance": the verb ends the subject
        if (found := _party_at(words, look)) is not None:
            break
        if words[look] in _ADMINS and (owner == "customer" or (owner is None and _products_of(words[at:look]))):
            # "our administrators", "ChatGPT Team admins": the admins of the customer's workspace
            # (round 38); "your admins" stay the vendor's
            found = ("customer", look + 1)
            break
    if found is None and owner == "customer":
        # "our auditors", "our security team": the customer's people act for it (round 48 wrote the
        # vendor's SOC 2 Yes for "Have our auditors performed a SOC 2 audit of your controls?")
        people = next((look for look in range(at, min(at + 3, len(words))) if words[look] in _ACTING_FOR_US), None)
        # ("our company data", "our team's files": a thing the customer has, not who acts)
        if people is not None and not _starts(words, people + 1, _phrases("possessed")):
            return "customer", people + 1
    if found is None:
        # "your systems": the vendor's; "your platform allows customers to ...": its verb follows
        return ("vendor", verb) if owner == "vendor" else None
    party, after = found
    if (
        party == "customer"
        and words[after - 1].endswith(("'s", "s'"))
        and after < len(words)
        and words[after] in _OUR_BODIES
        and not _starts(words, after + 1, _phrases("possessed"))
    ):
        return "customer", after + 1  # "the customer's organization" is the customer (round 95)
    if words[after - 1].endswith(("'s", "s'")):
        # "the customer's workspace admins", "a subprocessor's employees": that party's people, who act
        # (round 38 read the first as the vendor and offered a claim's No about admins)
        theirs = _party_at(words, after) or (
            _party_at(words, after + 1) if words[after : after + 1] in (["workspace"], ["end"], ["tenant"]) else None
        )
        if (
            theirs is None
            and party == "customer"
            and after < len(words)
            and words[after] in _ADMINS
            and words[after + 1 : after + 2] not in (["console"], ["panel"], ["portal"], ["dashboard"], ["settings"])
        ):
            return "customer", after + 1  # "the client's admins" act for the client (round 62)
        hired = next((n for n in range(after, min(after + 4, len(words))) if words[n] in _HIRED), None)
        if theirs is None and hired is not None and party == "vendor":
            # "the vendor's penetration testing firm": a company working for the vendor, not the vendor
            # (round 61 offered the vendor's 24/7 on-call Yes); the customer's auditors act for it
            return "third", hired + 1
        if theirs is not None:
            after = theirs[1]  # the possessor's people: "the customer's employees" are the customer's
            if theirs[0] == "third" or (
                party == "vendor" and theirs[0] == "vendor" and words[after - 1] not in _OWN_PEOPLE
            ):
                # but another organisation it deals with is a third party: "the Supplier's cloud hosting
                # provider", "the vendor's service provider" (round 59 wrote the vendor's change
                # management Yes for the first)
                party = "third"
    if owner == "vendor" and party == "customer" and _BUYERS.isdisjoint(words[at:after]):
        party = "vendor"  # "your users", "your admins": the vendor's own people ("your customers" are not)
    elif owner == "vendor" and party == "vendor" and words[after - 1].removesuffix("'s") in _COMPANIES:
        party = "third"  # "your supplier", "your infrastructure vendor": a company the vendor buys from (round 61)
    # "customer data", "customer fine-tuning data", "customer's files": a thing the party has
    possessed = after < len(words) and (
        any(_starts(words, at, _phrases("possessed")) for at in _modified(words, after))
        or words[after - 1].endswith(("'s", "s'"))
    )
    if possessed:
        if party == "customer" and (staff := _party_at(words, after)) is not None and staff[0] == "customer":
            return "customer", staff[1]  # "customer workspace admins", "CSC workspace admins" (round 61)
        # "customer data" is a thing the vendor handles (unless "by" names another actor);
        # "subprocessor systems" are another party's.
        return ("third", after) if party == "third" else None
    return party, after


def _product_at(words: list[str], at: int) -> int:
    """The length of the product name starting at `at` followed by a verb of letting ("ChatGPT
    Enterprise lets ..."), else 0."""
    for phrase in _by_first(_spellings("products")).get(words[at], ()):
        end = at + len(phrase)
        if tuple(words[at:end]) == phrase and end < len(words) and words[end] in _ALLOWING:
            return len(phrase)
    return 0


# Companies named by what they do: "the companies that host your service"
_SOME_COMPANIES = frozenset({"companies", "company", "organizations", "organisations", "organization", "organisation",
                             "firms", "firm", "entities", "entity", "businesses", "parties"})  # fmt: skip
_BUYING = frozenset({"use", "uses", "buy", "buys", "license", "licenses", "licence", "licences", "subscribe",
                     "subscribes", "purchase", "purchases", "access", "deploy", "deploys", "procure",
                     "procures"})  # fmt: skip

_BUYING_NOW = frozenset({"using", "buying", "licensing", "licencing", "subscribing", "purchasing", "accessing",
                         "deploying", "procuring"})  # fmt: skip

# Companies the vendor hires: "the vendor's audit firm", "its auditors"
_HIRED = frozenset({"firm", "firms", "auditor", "auditors", "assessor", "assessors", "consultant", "consultants",
                    "consultancy", "agency", "agencies", "reseller", "resellers"})  # fmt: skip

# A company: "your supplier" is not the Supplier answering the form but one it buys from
_COMPANIES = frozenset({"vendor", "supplier", "provider", "contractor", "csp", "offeror", "bidder"})

# The vendor's own people, who act as the vendor: "the vendor's employees", "the supplier's staff"
_OWN_PEOPLE = frozenset({"employees", "staff", "personnel", "workforce", "team"})

# Who buys from the vendor: "your customers" are the customers, where "your users" are the vendor's
_BUYERS = frozenset(
    {"customer", "customers", "customer's", "customers'", "client", "clients", "client's", "clients'", "tenant",
     "tenants", "subscriber", "subscribers", "licensee", "licensees", "institution", "institutions"}
)  # fmt: skip


def _first_party(words: list[str]) -> Party | None:
    for at in range(len(words)):
        if words[at] in ("your", "our") and at + 1 < len(words) and words[at + 1] in _ORGANISATION:
            return "vendor" if words[at] == "your" else "customer"  # "only your organization"
        found = _party_at(words, at)
        if found is not None:
            return found[0]
    return None


def _modified(words: list[str], at: int) -> range:
    """Where the head noun after `at` may stand: `at`, or the word after it when `at` holds a
    modifier rather than a verb ("customer fine-tuning data", not "admins view conversations")."""
    first = words[at] if at < len(words) else ""
    return range(at, at + 2 if "-" in first or first in _MODIFIERS else at + 1)


def _party_at(words: list[str], at: int) -> tuple[Party, int] | None:
    """The party a phrase at `at` names ("customer's" too), and where the phrase ends."""
    if at >= len(words) or words[at].removesuffix("'s").removesuffix("'") not in _by_first(_spellings("parties")):
        return None  # most words begin no party's name: no slice to build (a fifth of a row's reading)
    bare = [w.removesuffix("'s").removesuffix("'") for w in words[at : at + 4]]
    length = _starts(bare, 0, _spellings("parties"))
    return (cast(Party, _mapping("parties")[tuple(bare[:length])]), at + length) if length else None


_AMONG = frozenset({"within", "inside", "among", "across"})
_ORGANISATION = frozenset({"organization", "organisation", "company", "institution", "team", "workspace", "tenant"})


def _within(words: list[str], subject: Party) -> Party | None:
    """Whose organisation "who within ..." speaks of: "who within OpenAI has access" is not
    "who within our organization has access"."""
    for at, word in enumerate(words[:-1]):
        if word not in _AMONG:
            continue
        look = at + 1
        owner: Party | None = None
        if words[look] in ("its", "their", "his", "her"):
            owner, look = subject, look + 1
        elif words[look] in ("our", "your"):
            owner, look = ("customer" if words[look] == "our" else "vendor"), look + 1
        elif words[look] == "the":
            look += 1
        if look < len(words) and words[look] in _ORGANISATION and owner is not None:
            return owner
        found = _party_at(words, look) if look < len(words) and words[look] not in ("us", "we", "i") else None
        if found is not None and found[0] != "third":
            return found[0]
    return None


# A paper a named party owns: "Will you sign 3M's DPA?", "مصرف's data processing agreement", "the DPA of the
# Bank" (round 110 wrote the vendor's DPA Yes where the customer's name was not in Latin letters)
_AGREEMENT = (
    r"(?:data process(?:ing|or) (?:agreement|addendum)|data protection agreement|business associate agreement|"
    r"master services agreement|non-disclosure agreement|service level agreement|agreements?|addend(?:um|a)|"
    r"contracts?|terms|dpa|baa|msa|nda|sla|templates?|paper)"
)
_NAMED_PAPER = re.compile(
    rf"(?:^|\s)(?!(?:your|you|the|a|an|our|its|their|his|her)\s)(\S+?)['’]s\s+(?:own\s+|standard\s+|"
    rf"(?:[\w-]+\s+){{0,2}}?)?{_AGREEMENT}\b"
    rf"|\b{_AGREEMENT}\s+(?:of|from|issued by|drafted by)\s+(?:the\s+)?(\S+)",
    re.IGNORECASE,
)
_VENDOR_OWNERS = frozenset(
    {"openai", "vendor", "supplier", "provider", "contractor", "processor", "respondent", "bidder", "company",
     "you", "your", "yours", "us", "it", "this", "that", "each", "any", "either"}
)  # fmt: skip


def _named_paper(text: str) -> bool:
    """Whether a text speaks of an agreement a named party other than the vendor owns."""
    for found in _NAMED_PAPER.finditer(text):
        owner = (found.group(1) or found.group(2) or "").strip(".,;:()").lower()
        if owner and owner not in _VENDOR_OWNERS and not owner.startswith("openai"):
            return True
    return False


def _theirs(words: list[str]) -> bool:
    possessives, papers = _phrases("customer_possessives"), _phrases("papers")
    named = _spans(words, papers)
    if not named:
        return False
    starts = {at for at, _ in named}
    for at, n in _spans(words, possessives):
        if starts & {at + n, at + n + 1, at + n + 2}:
            return True
    # "the DPA we provide", "the agreement attached to this RFP", "negotiated on customer paper"
    return bool(_spans(words, _phrases("paper_markers")))


# What an open row asks for when it wants a name or a list: who, which firm / provider / region,
# "Name your ...", "List the ...". A claim's sentence states a practice ("penetration tested by
# an independent third party", "runs on trusted cloud providers"); it names no firm, provider or
# region, and written as the answer it would pass for one.
_ENTITY = (
    r"(?:firm|company|companies|provider|auditor|assessor|vendor|part(?:y|ies)|organi[sz]ation|region|"
    r"countr(?:y|ies)|location|jurisdiction|identity providers?|idps?|platform|subprocessor|sub-processor|"
    r"partner|individual|people|person|team|entit(?:y|ies)|data ?cent(?:er|re)|cloud|hosting|"
    r"certifications|standards|frameworks|laws|regulations|products|services|tools|endpoints?)"
)
_NAME_ASKED = re.compile(
    # ("On which cloud providers ...?", "By whom ...?", "With which subprocessors ...?": round 106)
    rf"^(?:(?:on|in|by|with|to|from|at|through|via|for|under) )?"
    rf"(?:who(?:m|se)?\b|which (?:[\w-]+ ){{0,3}}?{_ENTITY}s?\b|what (?:[\w-]+ )?{_ENTITY}s?\b"
    rf"|what (?:is|are) the names?\b"
    rf"|(?:please )?(?:name|list|identify|indicate|specify|state) (?:(?:of|the|your|all|each|any|its) )*"
    rf"(?:[\w-]+ ){{0,3}}?{_ENTITY}s?\b"
    # ("Indicate the region(s) ...", "Provide the list of endpoints eligible for ...": round 116b)
    rf"|(?:please )?(?:provide|give|supply) (?:us )?(?:a |the )?(?:full |complete )?list\b"
    rf"|(?:the )?names? of\b)",
    re.IGNORECASE,
)


def asks_for_name(text: str) -> bool:
    """Whether a row asks for a name or a list of them ("Which cloud provider hosts ...?", "Who
    performs ...?", "Name your SOC 2 auditor", "List your subprocessors")."""
    return _NAME_ASKED.match(question_proper(text).strip()) is not None


@lru_cache(maxsize=65536)  # a form's headings and columns are asked of again for every row
def products_named(text: str) -> frozenset[str]:
    """The products a text names (models.PRODUCTS keys; "every": all of them)."""
    return _products_of(_words(text))


# In an answer column's header a plan's short name alone names it: "Response (API)", "API - Vendor
# answer", "Edu response", "Enterprise answer" (round 39), "Business" (round 41)
_SHORT_NAMES = {"api": "api", "edu": "chatgpt-edu", "enterprise": "chatgpt-enterprise", "team": "chatgpt-team"}
_SHORT_NAME = re.compile(r"(?<![\w-])(" + "|".join(_SHORT_NAMES) + r")(?![\w-])", re.IGNORECASE)
_BUSINESS_COLUMN = re.compile(
    r"\s*(?:vendor\s+)?(?:response|answer)?\s*[-(:]?\s*business\s*\)?(?:\s+(?:response|answer))?\s*", re.IGNORECASE
)


@lru_cache(maxsize=4096)
def column_products(header: str) -> frozenset[str]:
    """The products an answer column's header names, short names included ("Team response", not
    "Team responsible", "Enterprise risk rating" or "API endpoint": beside a short name, only words
    of answering may stand)."""
    named = products_named(header)
    if named or len(header) > 60:
        return named
    if _BUSINESS_COLUMN.fullmatch(header):
        return frozenset({"chatgpt-business"})
    short = _SHORT_NAME.findall(header)
    rest = {w.strip("():,/-") for w in _SHORT_NAME.sub(" ", header.lower()).split()} - _ANSWERING - {""}
    rest = {w for w in rest if not _CHOICE_LIST.fullmatch(w)}  # "Enterprise Yes/No": a product's answers
    # "Team (Business)", "Team / Business": the plan under its old name and its new (round 88 dropped it)
    renamed = frozenset({"chatgpt-business"}) if "business" in rest else frozenset()
    rest -= {"business"}
    return frozenset(_SHORT_NAMES[m.lower()] for m in short) | renamed if short and not rest else frozenset()


_CHOICE_LIST = re.compile(r"(?:yes|no|n/?a|y|n)(?:/(?:yes|no|n/?a|y|n))+")


def short_names(text: str) -> frozenset[str]:
    """The products a text names by a plan's short name ("API", "Enterprise"), whatever stands beside it."""
    return frozenset(_SHORT_NAMES[m.lower()] for m in _SHORT_NAME.findall(text))


def product_header(text: str) -> frozenset[str]:
    """The products a table header's cell names as a column of its own (column_products of a short
    header: "API", "Enterprise response"; a longer cell is a title or a note)."""
    return column_products(text) if len(text) <= 40 else frozenset()


@lru_cache(maxsize=4096)  # a form's headings and lines are asked of again for every row
def products_left_out(text: str) -> frozenset[str]:
    """The products a line leaves out of the rows: "Do not answer for consumer ChatGPT.", "This questionnaire does
    not concern the OpenAI API.", "Exclude ChatGPT Team from your answers." (round 120a read each as naming the
    product the rows are about)."""
    if _LEFT_OUT.search(text) is None:
        return frozenset()
    left: set[str] = set()
    # clause by clause ("Consumer ChatGPT is out of scope; this part concerns ChatGPT Enterprise.", round 121a), the
    # products named after the word that leaves them out ("concerns the API, not ChatGPT": ChatGPT), else the ones
    # before it ("Questions about ChatGPT Team are answered in a separate form.")
    for clause in re.split(r"[;.]\s+|[;.]$", text):
        found = _LEFT_OUT.search(clause)
        if found is not None:
            after = place_products(clause[found.start() :]) - {"every"}
            left |= after or place_products(clause[: found.start()]) - {"every"}
    return frozenset(left)


def defines_terms(text: str) -> bool:
    """Whether a line defines terms ('"the Solution" means OpenAI's ChatGPT Enterprise.'): what it names is what the
    terms mean, not what the rows after it are about (round 121a made a whole Word form ChatGPT Enterprise's)."""
    return _MEANS_ANY.search(text) is not None


_LEFT_OUT = re.compile(
    r"\b(?:not|never|exclud\w*|except|other than|separate|separately|out of scope|outside (?:the )?scope)\b", re.I
)


def place_products(text: str) -> frozenset[str]:
    """The products a heading, sheet name, row's product cell or line above the header names: by
    their names, or by a short name alone ("Enterprise", "Team (Business)", "Product: API"; round 90
    wrote Enterprise's answers on a sheet named "Team (Business)")."""
    named = products_named(text)
    if named or len(text) > 60:
        return named
    return column_products(_PLACE_LABEL.sub("", text))


# What a line naming the product a part of the form is about opens with: "Product: Team", "Service - API"
_PLACE_LABEL = re.compile(
    r"^\s*(?:products?|services?|plans?|offerings?|applies to|scope|in scope|platform)\s*[:\-\u2013]\s*", re.IGNORECASE
)


def answers_for(products: frozenset[str], product: str | None) -> bool:
    """Whether a column headed by `products` (product_header) holds the answers for --product `product`:
    its own, every product's, or ChatGPT's for a ChatGPT plan (each one, without --product)."""
    if product is None or product in products or "every" in products:
        return True
    if product in ONE_PLAN and products & ONE_PLAN:
        return True  # "ChatGPT Team (now Business)" for --product chatgpt-business (round 90)
    return "chatgpt" in products and product.startswith("chatgpt-")


ONE_PLAN = frozenset({"chatgpt-team", "chatgpt-business"})  # one plan, renamed


def column_product(products: frozenset[str]) -> str | None:
    """The --product a column headed by `products` (product_header) is answered for: its one product
    ("ChatGPT" alone, every product or several: None, each named in its rows' questions instead)."""
    return next(iter(products)) if len(products) == 1 and next(iter(products)) in PRODUCTS else None


def mentions_product(text: str) -> bool:
    """Whether a header names a product at all, by its name or a plan's short name ("Evidence (Enterprise)")."""
    return bool(products_named(text) or _SHORT_NAME.search(text) or _BUSINESS_COLUMN.fullmatch(text))


# The words an answer column's header may say beside a product: "API - Vendor answer", "Edu (universities)"
_ANSWERING = frozenset(
    {"response", "responses", "answer", "answers", "vendor", "vendor's", "for", "the", "of", "customers", "users",
     "plan", "tier", "only", "(universities)", "universities", "reply", "supplier", "provider", "-", "/", "&"}
)  # fmt: skip


def product_spellings(key: str) -> tuple[str, ...]:
    """How forms name a product (vocabulary.yaml products): "chatgpt free", "personal accounts", ..."""
    return tuple(_vocabulary()["products"].get(key, ()))


@lru_cache(maxsize=4096)
def other_product_in(text: str) -> str | None:
    """A product the knowledge base speaks for none of, as the text writes it ("Azure OpenAI Service")."""
    found = _other_products().search(text)
    alone = re.sub(r"^[^:]{1,20}:\s*", "", text.strip())  # "Operator", "Scope: Operator"
    if found is None and alone.lower() in _vocabulary()["other_products_alone"]:
        return alone
    return found.group(0) if found else None


@cache
def _other_products() -> re.Pattern[str]:
    names = sorted(_vocabulary()["other_products"], key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in names) + r")(?![\w-])", re.I
    )


# "ChatGPT" with no plan named: products_meant reads it.
CHATGPT = "chatgpt"


def products_meant(named: frozenset[str], product: str | None) -> frozenset[str]:
    """The products a question names, as a form for `product` means them: "ChatGPT" alone is the
    ChatGPT plan the form is filled for, and under no such plan every ChatGPT plan at once (which
    only a claim for all of them settles; "Is ChatGPT penetration tested?" is no API question)."""
    if CHATGPT not in named or product is None or product in ("api", "all"):
        return named
    return (named - {CHATGPT}) | {product}


def products_covered(products: tuple[str, ...], plans: frozenset[str]) -> frozenset[str]:
    """A claim's products, and "ChatGPT" itself when they hold every ChatGPT plan (`plans`)."""
    return frozenset(products) | ({CHATGPT} if plans <= set(products) else frozenset())


# "every OpenAI product", "each of the vendor's services", "all customer-facing offerings": every
# product, in the shapes beyond the word list (round 79: "every OpenAI product" took the API's Yes
# in a form for the API); not "all service providers", "each service account"
_EVERY_PRODUCT = re.compile(
    r"\b(?:all|every|each)\s+(?:of\s+)?(?:(?:your|the|our|its|their|openai|openai's|the vendor's|vendor's)\s+)?"
    r"(?:[a-z0-9-]+\s+)?(?:products?|services?|offerings?|product lines?|platforms?)\b"
    r"(?!\s+(?:providers?|accounts?|levels?|desks?|teams?|owners?|agreements?|tickets?|requests?|credits?|"
    r"catalogs?|catalogues?|managers?))"
)


def _products_of(words: list[str]) -> frozenset[str]:
    # "consumer ChatGPT", "free ChatGPT": one product, whose name holds the family's
    found: set[str] = set()
    keys, end = _mapping("products"), 0
    for at, length in _spans(words, _spellings("products")):
        if at >= end:
            found.add(keys[tuple(words[at : at + length])])
            end = at + length
    if "every" not in found and not _ALL_OF.isdisjoint(words) and _EVERY_PRODUCT.search(" ".join(words)):
        found.add("every")
    return frozenset(found)


_ALL_OF = frozenset({"all", "every", "each"})


def _frequencies_of(words: list[str]) -> frozenset[str]:
    found = _keys_at(words, "frequencies")
    if "semiannual" in found:
        found.discard("annual")
    if "daily" in found and _ALL_YEAR.search(" ".join(words)):
        found.discard("daily")  # "every day of the year", "around the clock": always, not once a day
    return frozenset(found)


_ALL_YEAR = re.compile(r"\bevery day of the year\b|\bevery day,? around the clock\b|\baround the clock,? every day\b")


def _keys_at(words: list[str], name: str) -> set[str]:
    """The keys of a keyed vocabulary section whose spellings occur in `words`."""
    keys = _mapping(name)
    return {keys[tuple(words[at : at + n])] for at, n in _spans(words, _spellings(name))}


def frequencies_of(text: str) -> frozenset[str]:
    """How often the text says something is done."""
    return _frequencies_of(_words(text))


# A new clause: "...; do you also ...", "..., and rotate keys", "... and support BYOK".
_CONCEDING = re.compile(
    r"^\s*(?:while|whilst|although|though|even though)\s+([^,;?]{8,}),\s*([^;?]{8,}\S)\s*$"
    # and the other way round: "Customers retain ownership of fine-tuned models, while OpenAI has exclusive
    # access to them." (round 100 wrote True from the claim that says it with the parties swapped)
    r"|^\s*([^,;?]{8,}),\s*(?:while|whilst|whereas|although|though|even though)\s+([^;?]{8,}\S)\s*$",
    re.IGNORECASE,
)
_BREAK = re.compile(r"\s*(?:;|\?\s+(?=\S)|,\s*(?:and|as well as|also)\s+)\s*", re.IGNORECASE)
_AND = re.compile(r"\s+(?:and|as well as|and also)\s+(?=([A-Za-z]+))", re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """The clauses of a compound question ("...at rest using AES-256 and support BYOK?")."""
    verbs = _phrases("clause_verbs")
    parts: list[str] = []
    conceded = _CONCEDING.match(text)  # "While we retain ownership of X, any organization can ...": both are said
    for piece in [g for g in conceded.groups() if g] if conceded else _pieces(text, verbs):
        begin = 0
        for match in _AND.finditer(piece):
            word = match.group(1).lower()
            stem = word[:-2] if word.endswith("es") else word[:-1] if word.endswith("s") else word
            if (word,) in verbs or (stem,) in verbs:
                parts.append(piece[begin : match.start()])
                begin = match.end()
        parts.append(piece[begin:])
    return [p for p in parts if p and len(p.split()) >= 2]


def _pieces(text: str, verbs: frozenset[tuple[str, ...]]) -> list[str]:
    """The text cut at ";", a question mark inside it and ", and ...", except the ", and" that ends a
    list ("managers, systems administrators, and users of organizational systems are made aware":
    round 91 answered "Ensure that managers, systems administrators" alone from the audit logs)."""
    pieces, begin = [], 0
    for cut in _BREAK.finditer(text):
        before, after = text[begin : cut.start()], text[cut.end() :].split(maxsplit=1)
        listed = "," in before and cut.group(0).strip().startswith(",")
        acting = bool(after) and (
            (after[0].lower(),) in verbs
            or (after[0].lower(),) in _phrases("auxiliaries")
            or after[0].lower() in _PRONOUNS
        )
        if listed and not acting:
            continue  # the list's last item: the clause goes on
        pieces.append(before)
        begin = cut.end()
    pieces.append(text[begin:])
    return pieces


_PRONOUNS = frozenset({"i", "we", "you", "they", "it", "he", "she"})


def main_clause(text: str) -> str | None:
    """What a concession leads to ("While we retain ownership of X, any organization can access
    it." -> "any organization can access it."), which the row asserts; None for a row without one."""
    conceded = _CONCEDING.match(text)
    if conceded is None:
        return None
    return conceded.group(2) if conceded.group(1) else conceded.group(3)  # (the clause before "..., while")


# A question whose subject is a pronoun: what it asks about is its section's title ("Backups":
# "Is it encrypted?"); "is it possible / required / the case" has no such subject.
_PRONOUN_SUBJECT = re.compile(
    r"^((?:do|does|did|are|is|was|were|have|has|can|could|will|would|should|must)\s+)"
    r"(they|these|those|it(?!\s+(?:possible|required|necessary|mandatory|true|the|a|an|allowed|permitted|"
    r"feasible|ever|also|still|your|you|likely|expected|acceptable|ok|okay)\b))\b",
    re.IGNORECASE,
)
# Rows that say little without the rows around them: a follow-up ("If yes, ..."), a bare request
# ("Please describe."), or a short question about "it", "them", "the policy".
_FOLLOWS = re.compile(r"^\W*if (?:yes|so|not|no|applicable|appropriate)\b", re.IGNORECASE)
_BARE_REQUEST = re.compile(
    r"^\W*(?:please )?(?:describe|explain|list|specify|elaborate|provide details)\b"
    r"(?: (?:it|them|this|these|those|here|below|how|why|which))?\W*$",
    re.IGNORECASE,
)
_LEANING = re.compile(
    # "their own" / "its own" speak of the row's own subject ("customers ... their own tests")
    r"\b(?:they|them|(?:their|its)(?! own\b)|it|these|those|this|such|the (?:policy|plan|process|programme|"
    r"program|procedure|tool|system|solution|report|document|control|service|product|review|test|assessment|"
    r"list))\b",
    re.IGNORECASE,
)


# The marker an item of a list opens with: "(a)", "(iv)", "b) ", "A. ", "2) ", a bullet or a dash
# (round 49); ITEM also takes a row going on in lower case, _MARKED does not
_MARKER = r"\(?(?:[a-z]|[ivx]{1,4})\)|[a-z][.)]\s|[\u2022\u00b7\u25aa*\-\u2013]\s|\(?\d{1,2}[.)]\s|\(?[A-Z][.)]\s"


def completed(text: str, section: str | None) -> str:
    """An item as its lead-in asks it: "(a) encrypt Bank data at rest?" under "Do your fourth parties
    (subcontractors):" is "Do your fourth parties (subcontractors) encrypt Bank data at rest?"; a
    row that is a question of its own, or under no lead-in, is as written."""
    if not section or _LEAD_IN_END.search(section) is None:
        return text
    item = _ITEM_MARK.sub("", text, count=1).lstrip()
    if not item[:1].islower() or not lead_in(section) or _FOLLOWING.search(section):
        return text  # ("... do the following monthly?" is read as the items' section, not joined)
    return f"{section.rstrip().rstrip(':?').rstrip()} {item}"


# An item's own marker and the space after it: "(a) ", "b) ", "\u2022 "
_ITEM_MARK = re.compile(rf"^\s*(?:{_MARKER})\s*")


def in_section(text: str, section: str | None) -> str:
    """A question as asked in its section: a pronoun subject ("Do they encrypt ...?") reads as the
    section's title ("Do subprocessors encrypt ...?"); without a section, or with a subject of its
    own, it is as written."""
    proper = question_proper(text)
    found = _PRONOUN_SUBJECT.match(proper)
    section = question_proper(section or "")
    if found is None or not section or "?" in section or len(section.split()) > 6:
        return text
    return found.group(1) + section.lower() + proper[found.end() :]


@lru_cache(maxsize=4096)
def section_scope(section: str | None, *, whole_form: bool = False) -> frozenset[str]:
    """What a section title narrows its rows to (vocabulary.yaml section_scopes): "the third
    party", "plans", "backups", ...; nothing for a control family ("Encryption"). The title of
    the whole form ("Third-Party Risk Questionnaire", "Vendor Risk Assessment") names the vendor
    answering it as the third party, so it narrows nothing to a third party. A bracketed aside
    narrows what the title without it narrows too: "Customer (Initech) obligations" (round 94
    answered its rows as the vendor's)."""
    if not section:
        return frozenset()
    if ", " in section and _COVERS.search(section):
        # a sentence listing what the questions cover names topics, not whose the rows are (round 120a: "The
        # questions on this sheet cover hosting, subprocessors and encryption." made a sheet a third party's)
        section = " ".join(s for s in _SENTENCE_END.split(section.strip()) if not lists_topics(s))
        if not section:
            return frozenset()
    found = _section_scope(section, whole_form)
    bare = _BRACKETED.sub(" ", section) if "(" in section else section
    return found | _section_scope(bare, whole_form) if bare != section and bare.strip() else found


_BRACKETED = re.compile(r"\s*\([^()]{1,60}\)")


def _section_scope(section: str, whole_form: bool) -> frozenset[str]:
    # a line above the questions (or a note among them) may say how to send the form back, which
    # narrows no row: "Confidential - prepared by the Office of General Counsel. Please answer every
    # question ..." (round 58 sent a law firm's every answer to review as "about corporate IT")
    section = " ".join(s for s in _SENTENCE_END.split(section) if not _PROCEDURE.match(s))
    if _ABOUT_A_SHEET.search(section):
        kept, dropped = [], False
        for sentence in _SENTENCE_END.split(section):
            # (with what the line says of that sheet after it: "...; it is completed by our risk team.")
            dropped = bool(_ABOUT_A_SHEET.search(sentence)) or dropped and _IT.match(sentence) is not None
            kept += [] if dropped else [sentence]
        section = " ".join(kept)
    # "Third-party risk management program", "Third-party audits": the vendor's own program of
    # checking others, or its checks by others, not a part about third parties (round 45); a
    # department ("the Office of the CISO") or a way to send the form ("by email to ...") is no part
    section = _NOT_A_PART.sub(" ", _CHECKED_BY.sub(" ", section))
    owner = _OWNER_COLUMN.match(section)
    if owner is not None:
        # a row's owner says whose the row is, nothing of its topic: "Owner: Security team" is no row
        # about the vendor's employees, "Owner: Privacy Office" none about corporate IT (round 85)
        value = owner.group(1).strip()
        return frozenset(
            {"the customer"} if _names_customer(value) else {"third party"} if _a_third(_words(value)) else ()
        )
    words = _words(section)
    found = set(_keys_at(words, "section_scopes"))
    # the shapes beyond the word lists (round 74): "your IaaS/PaaS provider", "on behalf of your
    # primary data centre operator", "each critical supplier", "Outsourced development partner";
    # "To be completed by the requesting department", "Internal use: procurement team"
    if _ANOTHER_COMPANY.search(_YOU_AS_PROVIDER.sub(" ", section)):
        found.add("third party")
    if _NOT_THE_RESPONDENT.search(section) and not _THE_RESPONDENT.search(section) or _CUSTOMERS_PART.search(section):
        found.add("the customer")
    elif (held := _HELD_BY.match(section)) and _names_customer(held.group(1)):
        found.add("the customer")  # a row's "Responsible Party: Agency", "Implemented By: Customer" (round 82)
    if _MATRIX.search(section):
        found.discard("the customer")  # "Customer Responsibility Matrix": whose each row is, row by row
    titled = whole_form or not _FORM_TITLE.isdisjoint(words)
    joined = " ".join(words)
    named = not _NAMED_THIRD.isdisjoint(words) or "fourth party" in joined or "fourth parties" in joined
    if "third party" in found and titled and not named:
        found.discard("third party")  # ("Subprocessor Due Diligence" is about subprocessors still)
    items = [i for i in _TOPICS.split(section) if i.strip()]
    if not whole_form and _LEAD_IN_END.search(section):
        # a lead-in's case and how often hold for the rows that complete it
        if _CASE.match(question_proper(section)):
            found.add("the case it sets")
        if _frequencies_of(words):
            found.add("how often it says")
    if "third party" in found and len(items) >= 3 and all(len(i.split()) <= 4 for i in items):
        # "Data location, security and subprocessors": third parties are one topic of several (a
        # heading's list of short topics, not a note's sentence: "... apply to subprocessors; answer
        # for them, not for your own organisation." is about them alone, round 62)
        third = [i for i in items if "third party" in _keys_at(_words(i), "section_scopes") or _a_third(_words(i))]
        if 2 * len(third) < len(items):
            found.discard("third party")
    return frozenset(found)


def _names_customer(value: str) -> bool:
    """Whether a column's value for a row is the customer: "Agency", "Customer", "CSC", "Tenant"."""
    return _CUSTOMER_PARTY.fullmatch(value) is not None or value.lower() in _CUSTOMER_SIDE


def _a_third(words: list[str]) -> bool:
    found = _party_at(words, 0) if words else None
    return found is not None and found[0] == "third"


# A company the vendor deals with, named by what it does for the vendor
_COMPANY = (
    r"(?:providers?|suppliers?|partners?|operators?|vendors?|subcontractors?|sub-?processors?|hosts?|outsourcers?)"
)
_ANOTHER_COMPANY = re.compile(
    rf"\b(?:your|its|their|the (?:vendor|supplier|provider|respondent)'s)\s+(?:[\w/&.-]+\s+){{0,3}}{_COMPANY}\b"
    rf"|\b(?:critical|key|outsourced|external|material|strategic|upstream|downstream)\s+(?:[\w/&.-]+\s+){{0,2}}{_COMPANY}\b"
    rf"|\bon behalf of (?:each |every |any |the |your )?(?:[\w/&.-]+\s+){{0,3}}{_COMPANY}\b",
    re.IGNORECASE,
)
# The vendor named as the form's service provider: "Your service provider information" (round 77
# read it as another company's part)
_YOU_AS_PROVIDER = re.compile(
    r"\byour (?:cloud )?service provider(?:'s)?\s+(?:information|details|profile|responses?|answers?)\b", re.I
)
# ... and as the one completing a part: "Internal use: vendor's own controls", "completed by the vendor"
_THE_RESPONDENT = re.compile(
    r"\b(?:vendor|supplier|respondent|bidder|offeror|service provider)(?:'s)?\b|\b(?:by )?you\b|\byour own\b", re.I
)
# The customer's own side, named by what it has or runs (round 79): "Customer's own environment",
# "the client's systems", "Controls operated by the customer" ("Customer environment" alone may be
# the vendor's hosting of it, "customer data" the vendor's to keep: neither is the customer's part)
_CUSTOMER = r"(?:customer|client|purchaser|buyer|licensee)"
_CUSTOMERS_PART = re.compile(
    rf"\b{_CUSTOMER}(?:'s|s'|’s)\s+(?:own\s+[\w-]+|(?:[\w-]+\s+)?(?:environments?|systems?|infrastructure|networks?|"
    rf"premises|estate|endpoints?|devices?|side))\b"
    rf"|\b(?:operated|managed|owned|maintained|run|implemented|performed)\s+by\s+(?:the\s+|each\s+|your\s+)?{_CUSTOMER}s?\b"
    # "Our environment (the customer)" (round 79's siblings; "Our controls" alone may be the vendor's,
    # in a self-assessment, round 85)
    rf"|\((?:the )?{_CUSTOMER}\)"
    # a name's own environment: "the Trust's own IT environment, not the supplier's" (round 84)
    r"|\b(?!(?:vendor|supplier|provider|contractor|respondent|bidder|your|our|its|their|openai)\b)"
    r"[a-z][\w&-]*['’]s own "
    r"(?:it |ict |technology )?(?:environment|systems|infrastructure|network|controls)\b",
    re.IGNORECASE,
)
# A row's owner named as CAIQ and cloud forms name the customer: "CSC", "Tenant" (round 83)
_CUSTOMER_SIDE = frozenset({"csc", "tenant", "consumer", "subscriber", "licensee"})
# A document that assigns each row to a party: "Customer Responsibility and Control Implementation Matrix"
_MATRIX = re.compile(r"\bresponsibilit(?:y|ies)\b[\w ,&/-]{0,50}\bmatri(?:x|ces)\b|\bCRM\b|\bRACI\b", re.I)
# A row's owner column and its value: "Owner: Security team", "Responsible Party: Agency"
_OWNER_COLUMN = re.compile(
    r"^\s*(?:control\s+)?(?:owner\w*|responsib\w*|accountab\w*|(?:implemented|performed|operated)\s+by)[^:]{0,60}:"
    r"\s*(?:the\s+)?(.+?)\s*$",
    re.IGNORECASE,
)
# A column's value for the row: "Responsible Party: Agency", "Implemented By: the customer"
_HELD_BY = re.compile(r"^[^:]{1,80}:\s*(?:the\s+)?([a-z]+)\s*$", re.IGNORECASE)
# A part of the form someone other than the respondent completes, or keeps for internal use
_NOT_THE_RESPONDENT = re.compile(
    r"\b(?:to be |for )?(?:completed|completion|filled(?: in| out)?) by "
    r"(?!(?:the |a |an |each )?(?:vendor|supplier|provider|respondent|bidder|contractor|offeror|proposer|you|your|"
    r"service provider)\b)(?:the |a |an |each )?\w+"
    r"|\b(?:for )?internal use\b(?! only\b)|\binternal use only\s*[:\-–]|\binternal use\s*:"
    # "For Wingtip's use only", "For the Council's use only", "For office use only", "Assessor section"
    # (round 84 ticked a box in the customer's own approval table)
    r"|\bfor (?:the )?(?!internal\b)[\w&-]+(?:['’]s)? use only\b"
    r"|\b(?:assessor|reviewer|evaluator|auditor)(?:['’]s)? (?:section|use|only|checklist|notes|area)\b"
    # the customer's own records of the assessment: "Action plan", "Corrective action plan", "POA&M"
    r"|^\s*(?:corrective |remedial |remediation )?action plans?\s*$|\bplan of action\b|\bpoa\s?&\s?m\b",
    re.IGNORECASE,
)


# The items of a heading that lists topics: "Data location, security and subprocessors"
_TOPICS = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)


# Third parties a form's title names other than the vendor answering it
_NAMED_THIRD = frozenset(
    {"subprocessor", "subprocessors", "sub-processor", "sub-processors", "fourth-party", "fourth-parties",
     "subcontractor", "subcontractors", "sub-contractors", "affiliate", "affiliates", "hosting", "colocation"}
)  # fmt: skip

# Words of a whole form's title, not of a section within it.
_FORM_TITLE = frozenset(
    {"questionnaire", "questionnaires", "assessment", "assessments", "survey", "diligence", "checklist",
     "rfp", "rfi", "onboarding", "profile", "evaluation", "form"}
)  # fmt: skip


# A lead-in: a row ending in ":" that the rows below it complete ("Do your fourth parties:" over
# "(a) encrypt Bank data at rest?"); what it sets holds for each of them
_LEAD_IN_END = re.compile(r":\s*$|\bthe following\b[^?:]*\?\s*$", re.IGNORECASE)  # "... do the following monthly?"


_FOLLOWING = re.compile(r"\bthe following\b", re.IGNORECASE)


def opens_items(text: str) -> bool:
    """Whether a row ends as a lead-in does: in ":" or "... the following ...?", or breaks off
    after an opening ("Does your hosting provider" over "1) hold ISO/IEC 27001 ...?", round 49)."""
    if _LEAD_IN_END.search(text) is not None:
        return True
    # without a colon, only a short question opening: "Does your hosting provider" (not "The
    # customer's outputs may be used by OpenAI without restriction")
    if not text.rstrip()[-1:].isalnum():
        return False  # (read first: most rows end in "?" or ".", and every row is asked)
    words = _words(question_proper(text))
    return bool(words) and len(words) <= 8 and bool(_starts(words, 0, _phrases("auxiliaries")))


def leads_items(text: str, following: str) -> bool:
    """Whether a row is a lead-in the row below completes as an item: after ":" or "... the
    following ...?" any item, after an opening that breaks off only a marked one ("Does your
    hosting provider" / "1) hold ...?"; "Is data used to train your models" / "if the customer has
    opted in?" is one question over two rows)."""
    if not following or not opens_items(text):
        return False
    if _LEAD_IN_END.search(text) is not None:
        return is_item(following)
    # a marked item going on in lower case: "1) hold ISO/IEC 27001 certification?"
    return any(
        (m := _MARKED.match(t)) and t[m.end() :].lstrip()[:1].islower()
        for t in (following, LEADING_ID.sub("", following, count=1))
    )


_MARKED = re.compile(rf"^\s*(?:{_MARKER})")


def is_item(text: str) -> bool:
    """Whether a row is an item of a list ("(a) ...", "2) ...", "\u2022 ...", lower case), its id
    inside its text or not ("Q24 (a) encrypt Bank data at rest?")."""
    return ITEM.match(text) is not None or ITEM.match(LEADING_ID.sub("", text, count=1)) is not None


# The case a lead-in sets: "If the Bank opts in to sharing data:", "Following termination of the
# contract:" (round 46 answered the rows below as if it were not there)
_CASE = re.compile(
    r"^\s*(?:[\w.()-]{1,8}\s+)?(?:if|when|whenever|where|unless|in the event|in case|provided|once|upon|"
    r"following|after|on)\b(?!\s+(?:applicable|available|relevant|possible|appropriate|request)\b)",
    re.IGNORECASE,
)
# An item of a lead-in's list: "(a) encrypt ...", "b) hold ...", "ii. ...", or a row that goes on in
# lower case ("encrypt Bank data at rest?")
ITEM = re.compile(rf"^\s*(?:{_MARKER}|[a-z])")


def lead_in(text: str) -> bool:
    """Whether a row ending in ":" opens the rows below it as a question or a case: "Do your fourth
    parties (subcontractors):", "Within the last 12 months, has the Supplier:", "If the Bank opts in
    ...:" (not a label such as "Primary contact:")."""
    if _LEAD_IN_END.search(text) is None or len(text) > 200:
        return False
    proper = question_proper(text.rstrip().rstrip(":?"))
    words = _words(proper)
    opens = any(_starts(words, at, _phrases("auxiliaries")) for at in range(min(len(words), 8)))
    return opens or _CASE.match(proper) is not None


def numbered_under(parent: str, child: str) -> bool:
    """Whether an id numbers itself under another ("2" over "2.1", "A" over "A.1", "F3" over
    "F3-1"; a letter over its numbers, "R" over "R1", round 72)."""
    lettered = parent.isalpha() and len(parent) <= 3 and child[len(parent) :].isdigit()
    under = child.startswith((f"{parent}.", f"{parent}-")) and len(child) > len(parent) + 1
    return under or (lettered and child.startswith(parent))


def titles_rows(text: str) -> bool:
    """Whether a numbered row's text may title the rows numbered under it ("2 | Backups" over "2.1
    | ..."): short, or a label that asks nothing ("F3 | Your cloud hosting provider (answer for that
    provider)"), up to 200 characters."""
    return not text.rstrip().endswith("?") and (len(text) <= 60 or len(text) <= 200 and question_kind(text) == "label")


# How a customer's form names the customer, as a defined term: "the Bank", "Bank data", "the
# University's". Capitalised only ("a bank account" is no party); never "the Company", "the
# Supplier": forms name the vendor so too.
_DEFINED_CUSTOMER = re.compile(
    r"\b(?:[Tt]he )?(?:Bank|University|Hospital|Institution|Client|Purchaser|Buyer|Licensee|College|School|"
    # a public buyer: "City data", "the County's users" (round 43)
    r"Agency|Council|Customer|City|County|Municipality|Firm|Ministry)"
    r"(?='s\b| data\b| information\b| users?\b| employees\b| systems?\b|\b)"
)


def defined_customer(text: str) -> str:
    """The text with the customer as the form defines it named "the customer": "the Bank's
    assessor" is "the customer's assessor", "Bank data" "customer data"."""
    if not _DEFINED_CUSTOMER.search(text):
        return text
    return _DEFINED_CUSTOMER.sub(
        lambda m: "the customer" if m.group(0)[:1] in "Tt" and " " in m.group(0) else "customer", text
    )


def cased(place: str) -> str:
    """A heading typed in capitals as the form would write it otherwise: "BANK ONLY" is "Bank Only",
    whose "Bank" names the customer as "Bank use only" does (round 72)."""
    return place.title() if place.isupper() else place


_ELSEWHERE = frozenset({"third party", "the customer", "plans"})


def _elsewhere(text: str) -> bool:
    """Whether a title's text names another company's part, the customer's or plans, as the form
    writes it ("BANK ONLY", "the Bank's assessor")."""
    return bool(section_scope(defined_customer(cased(text))) & _ELSEWHERE)


def names_another_part(text: str) -> bool:
    """Whether a short label on a row of its own names a part of the form that is not the vendor's
    practice today: another company's ("Sub-processors"), the customer's ("Bank use only"), plans
    ("Roadmap"); a title, whatever its id says (round 72: "R | Roadmap" over "S121.1 ...")."""
    # (a label only: "Select your hosting option." is a row to answer, HECVAT's)
    if len(text) > 80 or text.rstrip().endswith(("?", ".")) or question_kind(text) != "label":
        return False
    return _elsewhere(text)


# An answer column that asks whether the vendor departs from the row's requirement: "Exception
# (Yes/No)", "Exception? (Y/N)", "Response (Yes = exception taken, No = fully compliant)", or a line
# above it saying "enter Yes if you take exception to (do not meet) the requirement" (round 73:
# Yes was written for requirements met). Its Yes is the row's No.
_DEPARTS = re.compile(r"\b(?:exceptions?|deviat\w*|non-?complian\w*|non-?conform\w*|waivers?|gaps?)\b", re.I)
_YES_DEPARTS = re.compile(
    # ("answer Yes or No and describe any exception in Comments" asks for both, round 85)
    r"\b(?:yes|y)\b(?!\s*(?:or|/|,)\s*(?:no|n)\b)[^.;]{0,80}?"
    r"\b(?:exceptions?|deviat\w*|do(?:es)? not (?:meet|comply)|not (?:compliant|met)|"
    r"non-?complian\w*|non-?conform\w*|cannot (?:meet|comply)|can ?not (?:meet|comply)|unable to (?:meet|comply))\b"
    # "Please state whether you take exception to each requirement below." (round 74)
    r"|\bwhether you (?:take|have) (?:an? )?exceptions?\b|\bexceptions? taken\b|\bindicate (?:any )?exceptions?\b",
    re.I,
)


def asks_for_departures(scopes: tuple[str, ...], choices: tuple[str, ...] | None) -> str | None:
    """The header or line saying the answer column asks for exceptions to the row's requirement,
    else None; not when "Exception" is one of its choices ("Comply / Exception")."""
    if choices and any(_DEPARTS.search(c) for c in choices):
        return None
    header = scopes[0] if scopes else ""
    # the column's own name ("Exception (Yes/No)", "Deviation?"), not a remark beside it ("Vendor
    # response (exceptions noted in comments)", round 74)
    name = header.split("(")[0]
    if header and len(header) <= 80 and (_DEPARTS.search(name) or _YES_DEPARTS.search(header)):
        return header
    return next((line for line in scopes[1:] if _YES_DEPARTS.search(line)), None)


def says_how_to_answer(line: str) -> bool:
    """Whether a line above a table says what its answers mean or may be: exceptions, a list."""
    return _YES_DEPARTS.search(line) is not None or declared_choices((line,)) is not None


# A line naming the answers a form accepts: "Permitted responses: Compliant, Partially compliant,
# Non-compliant, N/A (no other values)", "Answer each item below with one of: In place / Not in
# place / Planned." (round 73 wrote Yes where neither list has it)
_DECLARES = re.compile(
    r"\b(?:permitted|allowed|accepted|valid|possible)\s+(?:responses?|answers?|values?)\b\s*(?:are|is)?\s*:?"
    r"|\b(?:responses?|answers?|values?)\s+(?:allowed|permitted|accepted)\s*:"
    r"|\b(?:with|select|choose|using|enter)\s+one\s+of\s*(?:the following)?\s*:?"
    r"|\b(?:responses?|answers?)\s+(?:options|choices|values)\s*[:\-–]"
    # "Select one:", "Use only:", "Choose from:", "Answer using:", "Rating scale:", "Use the following
    # ratings:", "Rate each requirement:", "Score each item as", "state Implemented, ...", "Answer
    # with Met or Not met." (round 74)
    r"|\b(?:select(?: one)?|use only|choose(?: from)?|answer using|rating scale|use the following \w+|"
    r"rate each \w+|score each \w+ as|answer with|respond with|for each \w+, (?:state|enter|select))\s*:?",
    re.I,
)
# Words that are answers in a form's list: a declared list must hold two (so that "Select the
# region: US, EU or Japan" is no list of answers)
_ANSWER_WORDS = re.compile(
    r"^(?:yes|no|y|n|n/?a|not applicable|true|false|agree|disagree|(?:fully |partially |not )?"
    r"(?:met|compliant|implemented|satisfied|in place|supported|adequate)|non-?compliant|inadequate|conforms?|"
    r"does not conform|partially conforms?|pass|fail|planned|none)$",
    re.I,
)


def declared_choices(lines: Iterable[str]) -> tuple[str, ...] | None:
    """The answers a line says the form accepts ("one of: In place / Not in place / Planned"), or None."""
    for line in lines:
        found = _DECLARES.search(line)
        if found is None:
            continue
        rest = re.split(r"[.(\[;]|\s-\s", re.sub(r"\bN/A\b", "N\x00A", line[found.end() :], flags=re.I), maxsplit=1)[0]
        parts = re.split(r"\s*(?:/|,|\bor\b)\s*", rest.strip(" :-–"))
        items = [i.strip(" '\"").replace("\x00", "/") for i in parts if i.strip(" '\"")]
        if (
            2 <= len(items) <= 8
            and all(len(i) <= 25 and len(i.split()) <= 4 for i in items)
            and sum(bool(_ANSWER_WORDS.match(i)) for i in items) >= 2
        ):
            return tuple(items)
    return None


# A sentence about the rows after it: "The following questions concern your cloud hosting provider.",
# "This section is completed by the Bank's assessor.", "The items below describe controls you plan to add."
_ABOUT_ROWS = re.compile(
    r"\b(?:this (?:section|part|table|schedule)|the following|below|these (?:questions|items|rows|controls)|"
    r"each (?:of the )?(?:following|rows?|questions?)|use only|do not complete|leave (?:this section )?blank|"
    r"not to be completed|(?:the |this )?next (?:table|section|questions?)|this table|the table below|on behalf of|"
    r"(?:to be |for )?(?:completed|completion|filled(?: in| out)?) by|"
    # "Please answer for your subprocessors.", "Answer these questions for your hosting provider" (round 119b)
    r"answer(?:ed)?\s+(?:(?:these|the following|this section|them|all|each)\s+(?:questions?\s+|rows?\s+)?)?for)\b",
    re.IGNORECASE,
)


# A requirement row: "The subcontractor shall limit ...", "Supplier must encrypt ..." (not what a part
# of the form is for: "This section must be completed by the customer")
_REQUIREMENT = re.compile(
    r"^\W*(?:the\s+)?(?!this\b|these\b|following\b)[\w'-]+(?:\s+[\w'-]+){0,3}?\s+(?:shall|must|will|should)\s+(?!not\b)"
    r"(?!(?:be\s+)?(?:completed|complete|answered|answer|filled|fill|used|left)\b)",
    re.IGNORECASE,
)
_OTHER_PART = re.compile(
    r"\b(?:sections?|parts?|schedules?|annex(?:es)?|appendix|appendices|tabs?|sheets?)\s+[A-Z0-9][\w.]*", re.I
)


def titles_by_saying(text: str) -> bool:
    """Whether a sentence on a row of its own says whose the rows after it are (another company's,
    the customer's, plans): it titles them, though it is no label."""
    if len(text) > 300 or text.rstrip().endswith("?") or _ABOUT_ROWS.search(text) is None:
        return False
    if _REQUIREMENT.match(text):
        # "The subcontractor shall limit system access to ... processes acting on behalf of authorized
        # users" is a row to answer, not a title (round 95 dropped it from a flow-down form unsaid)
        return False
    if _OTHER_PART.search(text) and not re.search(r"\bthis (?:section|part|table)\b", text, re.I):
        # "Questions in Section 7 concern the offeror's cloud hosting providers. Section 8 is
        # completed by the Agency.": a note about other parts of the form, not a title of the next
        return False
    # whose they are may be said in any sentence ("The following questions are about another company. That company
    # is your cloud hosting provider.", round 119b), but not in one listing what the questions cover ("Questions
    # cover the kinds of data you process, the third parties involved, and ...": topics, round 118b)
    return any(_elsewhere(sentence) for sentence in _SENTENCE_END.split(text.strip()) if not lists_topics(sentence))


def lists_topics(sentence: str) -> bool:
    """Whether a sentence lists what the questions cover, three topics or more ("Questions cover the kinds of data
    you process, the third parties involved, and where data is located."): a party among them is a topic, not
    whose the rows are ("The following questions address your subprocessors' security practices." is, round 120a)."""
    return _COVERS.search(sentence) is not None and _LIST.search(sentence) is not None


_LIST = re.compile(r",[^,.;]+(?:,|\band\b|\bor\b)")
_SENTENCE_END = re.compile(r"(?<=[.;!])\s+(?=[A-Z(\"'])")
_COVERS = re.compile(
    r"\b(?:questions?|sections?|questionnaire|topics?|it|they|these)(?:\s+[\w-]+){0,4}?\s+(?:cover|covers|covering|"
    r"span|spans|address|"
    r"addresses|include|includes)\b",
    re.IGNORECASE,
)


def scope_unsaid(question: str, section: str | None, *, whole_form: bool = False) -> str | None:
    """Why a row's section narrows it beyond what its words say, or None: "Is data encrypted at
    rest?" under "Backups" asks about backups, which the row itself never names."""
    scopes = scopes_unsaid(question, section, whole_form=whole_form)
    return unsaid_reason(section or "", scopes) if scopes else None


def unsaid_reason(section: str, scopes: frozenset[str]) -> str:
    return f"asked under '{section}', so about {', '.join(sorted(scopes))}, which the row itself does not name"


def scopes_unsaid(question: str, section: str | None, *, whole_form: bool = False) -> frozenset[str]:
    """What a row's section narrows it to beyond what its words say (section_scopes keys)."""
    narrowed = section_scope(section, whole_form=whole_form)
    if whole_form:  # a sheet "Roadmap" may ask what is "Implemented today?": its column says when
        narrowed -= {"plans", "the past"}
    if not narrowed:  # most sections name a control family: the row's own words are not read
        return frozenset()
    # "tested by an independent third party" names who checks the practice, not whose it is
    own = _CHECKED_BY.sub(" ", question)
    scopes = set(narrowed - section_scope(own))
    if not scopes:
        return frozenset()
    reading = read_question(own)  # the row may say it in its own words: "Does the customer ..."
    said = {"the customer": "customer", "third party": "third"}
    scopes = {s for s in scopes if s not in said or said[s] not in (reading.party, reading.actor, reading.within)}
    if {reading.party, reading.actor} & {"customer", "third"}:
        # "Does the customer decide who has access?" under "Personnel and customer access" (round 38):
        # a row naming another party than the vendor is not about the vendor's employees
        scopes.discard("the vendor's employees")
    scopes -= {"plans"} if "planned" in reading.status else set()
    scopes -= {"the past"} if "past" in reading.status else set()
    return frozenset(scopes)


# How a form is sent back, with what attached, and who wrote it: no scope of its rows
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_PROCEDURE = re.compile(
    r"\W*(?:notes?\s*:\s*)?(?:please\s+)?(?:return|send|submit|attach|cite|upload|save|print|contact)\b",
    re.IGNORECASE,
)
# A line about another sheet of the workbook: 'Leave the "Scoring" tab blank; it is completed by our risk
# team.' narrows no row of this one (round 83 left a whole questionnaire blank)
_ABOUT_A_SHEET = re.compile(
    r"\b(?:tabs?|sheets?|worksheets?)\b[^.;]{0,60}\b(?:blank|read-?only|records|must not|do not|completed by|"
    r"for reference|untouched|maintained by)\b"
    r"|\b(?:leave|complete|do not (?:edit|complete|change))\b[^.;]{0,40}\b(?:tabs?|sheets?|worksheets?)\b",
    re.IGNORECASE,
)
_IT = re.compile(r"\s*(?:it|this|that|which|they|these)\b", re.IGNORECASE)
_NOT_A_PART = re.compile(
    # a department that writes or reviews the form: "(Legal / Privacy Office review)" (round 106 sent a hospital's
    # every answer to review as "about corporate IT")
    r"\b(?:privacy|legal|security|compliance|procurement|contracts?|program|programme|project|risk|records|"
    r"counsel'?s?|cio|ciso|cto|dpo|data protection|audit|finance|purchasing|grants?|research|sponsored programs|"
    r"technology transfer|general counsel|president'?s?|provost'?s?)\s+offices?\b|"
    r"\boffices? of\b|\b(?:by|via|through) e-?mail\b|\be-?mail(?:ed)?(?: \w+){0,3} to\b|\S+@\S+|"
    # who wrote or owns the form, to the end of its sentence: "Prepared by the Office of the CIO, IT
    # Security Office." (round 60 sent a university's every answer to review as "about corporate IT")
    r"\b(?:prepared|issued|authored|compiled|published) by\b[^.;!?]*|"
    # who will use what the form is about: "AI product matrix (clinical staff use)", "for staff use only"
    # (round 98 left 60 rows of a hospital's matrix as about the vendor's employees)
    r"\b(?:(?:for|by)\s+)?(?:[a-z-]+\s+){0,2}(?:staff|employees?|personnel|workforce|users?|clinicians?|"
    r"students?|faculty)\s+use(?:\s+only)?\b",
    re.IGNORECASE,
)

_CHECKED_BY = re.compile(
    r"\bby (?:an? |the )?(?:(?:independent|external|qualified|accredited|certified|reputable)[ ,]+)*"
    r"(?:third[- ]part(?:y|ies)|auditors?|assessors?|firms?|testers?)\b|"
    # "third-party penetration tests", "a third-party risk management program": the kind of check or
    # program, not whose practice it is
    r"\bthird[- ]party (?:penetration|pen|security|risk|vendor|audits?|assessments?|attestations?|"
    r"certifications?|reviews?|testing|tests?|due diligence)\b",
    re.IGNORECASE,
)


_ASIDE = re.compile(r"\s*\([^()]*\)\s*")
_QUESTION_MARKS = ("?", "\u061f", "\uff1f")  # and the Arabic and full-width ones
# A row's own number: "3.", "B)", "A2.", "1.b", "3.2"
_ROW_NUMBER = re.compile(r"^\s*([A-Za-z]{0,3}\d[\w.()-]*|[A-Z])[.):]?\s+")
# The number a title carries: "3.", "B.", "IV)", never an item's "A2." or "1.b"
_TITLE_NUMBER = re.compile(r"(?:\d{1,2}|[A-Z]|[IVX]{1,4})[.):]?")


# A row that carries on the one above by its first word: "if the customer has opted in?", "by the
# customer's own testers", "and in transit"
RUNS_ON = re.compile(
    r"(?:and|or|but|if|unless|when|whenever|where|which|that|who|whose|including|excluding|except|with|without|"
    r"for|to|in|of|by|as|such|than|because|provided|within|after|before|during|so|via|using|then|beyond|"
    r"over|under|on|at|from|through|across|between|per|only|while|whilst|once|whether|upon|into|against|"
    r"regardless)\b"
)


def carries_on(text: str) -> bool:
    """Whether a row opens in lower case with a word that joins it to the row above: half a question
    split over two rows, never a title (round 81 read "by the customer's own testers" as the title of
    the rows below it, and answered the half above)."""
    return RUNS_ON.match(text.lstrip()) is not None


def reads_as_heading(text: str, following: str | None, above: Sequence[str] = ()) -> bool:
    """Whether a short row without a question mark reads as the title of the questions below it
    ("Subprocessors", "3. Data Security", "Section 5: Customer responsibilities") rather than as a
    question of its own ("A2. Product name", "Primary contact:", "If so, list them") or an item of
    a list ("PCI DSS" under "Which of these do you hold?"). `following`: the next row's text;
    `above`: the rows above it up to the header, nearest first. The reader decides whether its
    layout agrees."""
    text = text.strip()
    if (
        len(text) > 80
        or carries_on(text)
        # a sentence ("Enable MFA for all users.") is a row of its own, never a title (round 45)
        or text.endswith((*_QUESTION_MARKS, ":", "."))
        or not following
        or not _asks(following)
    ):
        return False
    run = next((n for n, t in enumerate(above) if not _titled_or_item(t)), len(above))
    if run and run < len(above) and _LIST_ASKED.search(above[run]):
        return False  # the last of a list of items under "Which of the following ... ?"
    number = _ROW_NUMBER.match(text)
    if number is not None:
        if not _TITLE_NUMBER.fullmatch(number.group(1)):
            return False
        below = _ROW_NUMBER.match(following)
        if below is not None and not below.group(1).startswith(number.group(1).rstrip(".):")):
            return False  # "3. Backups" over "4. Do you ...?": rows numbered alike are siblings
    rest = text[number.end() :] if number else text
    return not follow_up(rest) and question_kind(_ASIDE.sub(" ", rest)) in ("label", "phrase")


# A row asking for some of the items listed below it
_LIST_ASKED = re.compile(
    r"\b(?:which|following|select|check|tick|mark|all that apply|list)\b.*[?:]\s*$", re.IGNORECASE | re.DOTALL
)


def leads_questions(below: Sequence[str]) -> bool:
    """Whether the next rows below a title are questions, at least two of them: a title's own
    block even in a form that is mostly fields ("Subprocessors" after a company profile)."""
    return len(below) >= 2 and all(_asks(t) for t in below[:2])


def mostly_questions(texts: Sequence[str]) -> bool:
    """Whether at least 60% of a form's rows, titles over questions apart, end with a question mark:
    a form of questions, where a short row with a question below it is a title, not a field."""
    kept = [t for n, t in enumerate(texts) if not (n + 1 < len(texts) and _titled_or_item(t) and _asks(texts[n + 1]))]
    return bool(kept) and sum(1 for t in kept if t.rstrip().endswith(_QUESTION_MARKS)) >= 0.6 * len(kept)


def _asks(text: str) -> bool:
    """Whether a row is a question (closed or open), not a field's label or a requirement phrase."""
    return question_kind(text) in ("closed", "open")


def _titled_or_item(text: str) -> bool:
    text = text.strip()
    return len(text) <= 80 and not text.endswith(_QUESTION_MARKS) and question_kind(text) in ("label", "phrase")


# The first person ("US", the country, is no "us"), and what it reads as in the respondent's voice
_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|us|[Oo]urs?|[Oo]urselves)\b")
_WE_THE_CUSTOMER = re.compile(
    r"\b(?:we|us)\b,?\s*[(,]?\s*(?:the\s+)?(?:customer|client|buyer|purchaser|licensee|subscriber)s?\b", re.IGNORECASE
)
_SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves", "openai"})


# A form's definition of its first person: "'We', 'our' and 'us' refer to the supplier", "the
# Supplier ("we", "us")", "'We' means the Bank". The pronouns quoted ("where we refer to the
# supplier's report" defines nothing), each party word as the form's parties are named
_Q = "[\"'‘’“”]"
_WE_WORDS = r"(?:we|us|our|ours)"
_YOU_WORDS = r"(?:you|your|yours)"


def _definitions(words: str) -> re.Pattern[str]:
    """A definition of the pronouns `words`: "'We', 'our' and 'us' refer to the supplier", "References
    to 'us' are to the Service Provider", "the Supplier (hereinafter 'we')", "OpenAI, L.L.C. ('OpenAI',
    'we', 'us' or 'our')"; its party is what it names them as (with the aliases beside them)."""
    quoted = rf"{_Q}{words}{_Q}"
    listed = rf"{quoted}(?:\s*(?:,|and|or|/)\s*{quoted})*"
    return re.compile(
        rf"{listed},?\s+(?:refers?|means?|denotes?|(?:is|are) used|(?:is|are)\s+(?=to\b))\s+"
        r"(?:(?:to|for)\s+)?(?:refer\s+to\s+)?(?:be\s+)?(?P<party>[^;.:\"'‘’“”]{1,60})"
        rf"|references?\s+to\s+{listed}\s+(?:are|is)\s+(?:to\s+)?(?P<referred>[^;.:\"'‘’“”]{{1,60}})"
        rf"|(?P<named>[\w.&,-]+(?:\s+[\w.&,-]+){{0,3}})\s*\(\s*(?:hereinafter\s+|also\s+)?"
        rf"(?:(?:referred\s+to|called)\s+as\s+)?(?P<aliases>(?:(?:the\s+)?{_Q}[^\"'‘’“”]{{1,30}}{_Q}\s*(?:,|or|and)\s*)*){quoted}",
        re.IGNORECASE,
    )


_DEFINES_WE = _definitions(_WE_WORDS)
_DEFINES_YOU = _definitions(_YOU_WORDS)
_OTHERWISE = re.compile(r"\b(?:unless|except|otherwise)\b", re.IGNORECASE)
_VENDOR_PARTY = re.compile(
    r"\b(?:supplier|vendor|provider|service provider|respondent|bidder|contractor|offeror|proposer|seller|processor|"
    r"company completing|organi[sz]ation completing|openai)s?\b",
    re.IGNORECASE,
)
_CUSTOMER_PARTY = re.compile(
    r"\b(?:customer|client|bank|university|buyer|purchaser|institution|college|hospital|agency|council|city|county|"
    r"school|controller|licensee|subscriber|trust)s?\b",
    re.IGNORECASE,
)


_QUOTED_PERSON = re.compile(rf"{_Q}(?:{_WE_WORDS}|{_YOU_WORDS}){_Q}", re.IGNORECASE)


def defines_pronouns(text: str) -> bool:
    """Whether a text may define its pronouns (a quoted "we" or "you"): the cheap test before
    declared_voices, asked of every cell of a sheet."""
    return _QUOTED_PERSON.search(text) is not None


def declared_voices(text: str) -> frozenset[str]:
    """Whom a form's own definitions make its "we": "vendor" for "'We', 'our' and 'us' refer to the
    supplier" (or "'You' means the Customer"), "customer" for "the Bank ('we')" (or "'you' means the
    supplier"), "named" for a name alone ("'We' refers to Harbourline", which says nothing of which
    party it is) or a definition parts may overrule."""
    found: set[str] = set()
    for pattern, ours in ((_DEFINES_WE, True), (_DEFINES_YOU, False)):
        for definition in pattern.finditer(text):
            party = " ".join(g for g in definition.group("party", "referred", "named", "aliases") if g)
            if _OTHERWISE.search(text):
                found.add("named")  # "... refer to the Trust unless a part says otherwise"
            elif _VENDOR_PARTY.search(party):
                found.add("vendor" if ours else "customer")
            elif _CUSTOMER_PARTY.search(party):
                found.add("customer" if ours else "vendor")
            else:
                found.add("named")
    return frozenset(found)


# A name the form defines for a company: 'Northwind Retail Group ("Northwind")', "Contoso Ltd (the 'Bank')"
_DEFINED_NAME = re.compile(
    r"\b((?:[A-Z][\w&.'-]*\s+){0,5}[A-Z][\w&.'-]*)(?:,?\s+(?i:plc|ltd|inc|llc|llp|lp|gmbh|ag|sa|bv|nv|co)\.?)?"
    r"\s*\(\s*(?:the\s+)?[\"“'‘](?:the\s+)?"
    r"([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2})[\"”'’]\s*[),]"
)
# Short names that are no company's own: roles, pronouns, documents
_NO_NAME = re.compile(
    r"^(?:we|us|our|you|your|company|organi[sz]ation|agreement|contract|services?|data|questionnaire|policy|"
    r"policies|program(?:me)?|platform|solution|system|product|group|party|parties|affiliates?|personnel|staff|"
    r"users?|schedule|annex|appendix|form|template|assessment|framework|standard|act|regulation)$",
    re.IGNORECASE,
)


_AUTHORED_BY = re.compile(
    r"\b(?:issued|prepared|sent|distributed|administered|owned|conducted|published|required|commissioned)\s+by\s*$",
    re.IGNORECASE,
)
_AUTHOR_DOES = re.compile(
    r"\s*(?:assesses|assess|requires|require|uses|use|evaluates|evaluate|reviews|review|expects|expect|asks|ask|"
    r"conducts|issues|has issued|is assessing|is evaluating|is requesting|requests)\b"
    # the form's own title: 'Northwind Retail Group plc ("Northwind") - Supplier Security Questionnaire'
    r"|\s*[-–—:|]\s*[^.]{0,60}?\b(?:questionnaire|assessment|review|survey|due diligence|checklist|requirements)\b",
    re.IGNORECASE,
)
_ROLES = (
    r"(?:auditors?|audit|payroll|sub-?contractors?|contractors?|suppliers?|vendors?|providers?|sub-?processors?|"
    r"processors?|partners?|hosts?|hosting|resellers?|consultants?|outsourcers?|insurers?|brokers?|agents?|"
    r"respondents?|bidders?|advisory|advisors?|advisers?|consultants?|consulting|assessors?|firm)"
)
_OTHER_ROLE = re.compile(rf"\b{_ROLES}\b", re.IGNORECASE)
_ROLE_AFTER = re.compile(rf"\s*,\s*(?:(?:the|a|an|our|its|their)\s+)?(?:[\w-]+\s+){{0,4}}{_ROLES}\b", re.IGNORECASE)
_ROLE_BEFORE = re.compile(
    rf"\b{_ROLES}\s*(?:(?:is|was|are|will be|:|,|-|–)\s*)?(?:(?:the|our|an?|its)\s+)?$", re.IGNORECASE
)


# A title line that is only an organisation's name: "Cascade Health Network", "Northbridge Savings Bank"
_ORGANISATION_NAME = re.compile(
    # "Cascade Health Network", "Marlow & Finch LLP", "Halvorsen Pharma"; "City of Brookfield", "State of Ohio"
    r"(?:[A-Z][\w.'’-]*\s+(?:(?:&|and|of)\s+)?){1,4}(?:Inc\.?|Ltd\.?|LLC|LLP|Corp\.?|Corporation|Company|Group|"
    r"Network|Holdings|plc|GmbH|AG|SA|NV|BV|Bank|University|College|Hospital|Health|Healthcare|Clinic|Systems?|"
    r"Authority|Council|District|Agency|Trust|Foundation|Institute|Insurance|Partners|Credit Union|Schools|County|"
    r"Board|Commission|"
    r"City|Pharma|Pharmaceuticals|Labs|Laboratories|Department|Ministry|Police Department|Limited|"
    # (a Nordic, German, French or Asian company: "Halvorsen Logistics AS", round 111b)
    r"AS|ASA|AB|A/S|ApS|Oy|Oyj|SpA|S\.p\.A\.|Srl|SARL|SAS|KK|Pty Ltd|Pte Ltd)(?:,? N\.A\.|\s+No\.?\s*\d+)?"
    r"|(?:City|County|State|Town|Village|Commonwealth|Province|Municipality|Borough|Port) of(?: [A-Z][\w.'’-]*){1,3}"
    # "Department of Digital Government Services", "Office for Civil Rights" (round 113b)
    r"|(?:Department|Ministry|Office|Bureau|Administration|Agency) (?:of|for)(?: (?:[A-Z][\w.'’-]*|and|&|of|the)){1,5}"
)
_NOT_AN_ORGANISATION = re.compile(
    r"\b(?:questionnaire|assessment|security|privacy|review|survey|checklist|terms|requirements?|vendors?|"
    r"suppliers?|information|section|part|appendix|annex|schedule|form|template)\b",
    re.IGNORECASE,
)


_TITLE_DASH = re.compile(r"\s+[-\u2013\u2014|]\s+|:\s+")


def title_name(text: str) -> str | None:
    """The organisation a form's title line names, when the line is that name alone ("Cascade Health
    Network" over "Vendor Contract ... Questionnaire"): the customer that wrote the form (round 106 left
    every row naming "Cascade Health" blank: "the knowledge base never speaks of: Cascade, Health")."""
    line = " ".join(text.split())
    # "Halvorsen Logistics AS - AI Platform Supplier Assessment (2025)": the name, then what the form is
    # (round 111b); either side of the dash
    sides = _TITLE_DASH.split(line, maxsplit=1)
    for part in (line, *sides) if len(sides) > 1 else (line,):
        if (
            _ORGANISATION_NAME.fullmatch(part)
            and not _NOT_AN_ORGANISATION.search(part)
            and not _VENDOR_PARTY.search(part)
        ):
            return part
    return None


def defined_names(text: str) -> frozenset[str]:
    """The short names a form's text defines for companies other than the vendor ('Northwind Retail
    Group ("Northwind")'): the customer that wrote the form, as a rule (round 80 left every row that
    named it blank: "the knowledge base never speaks of: Northwind")."""
    if "(" not in text and not may_define(text):
        return frozenset()
    found = set()
    for definition in _DEFINED_NAME.finditer(text):
        long, short = definition.group(1), definition.group(2)
        if _NO_NAME.match(short) or _VENDOR_PARTY.search(f"{long} {short}"):
            continue
        # the form's author, by what the sentence says it does ("issued by Northwind Retail Group
        # ('Northwind')", "... ('Northwind') assesses every supplier"), and no other company's role in
        # it: 'Our external auditor is Tailspin Audit ("Tailspin")', "the supplier, Contoso AI
        # ("Contoso")", "Vendor: Fabrikam AI" (round 81 read each as the customer)
        start = max(text.rfind(". ", 0, definition.start()), text.rfind("\n", 0, definition.start())) + 1
        before, after = text[start : definition.start(1)], text[definition.end() :]
        if _OTHER_ROLE.search(long) or _ROLE_BEFORE.search(before) or _ROLE_AFTER.match(after):
            continue  # the company named by its role: "our external auditor is ...", "the supplier, ..."
        # (or the name heads the form: 'Nordvik Kalusto Oyj ("Nordvik") – AI Tool Questions', round 114b)
        heads = not before.strip() and _TITLE_DASH.match(after) is not None and len(after.split()) > 2
        if not (_AUTHORED_BY.search(before) or _AUTHOR_DOES.match(after) or heads):
            continue
        if re.search(r"\bon behalf of\b", after.split(". ")[0], re.I):
            continue  # a firm issuing the form for its client ('Crowe Advisory ("Crowe") on behalf of ...')
        # a short form of the name itself ("Northwind", "NRG"), not a role ('Acme Hosting Ltd (the "Host")')
        words = long.split()
        if short.split()[0] in words or short == "".join(w[0] for w in words if w[0].isupper()):
            found.add(short)
    found.update(long for long, _ in _meanings(text))
    return frozenset(found)


def defined_aliases(text: str, customer: str) -> frozenset[str]:
    """The short names a form says mean `customer`: "'the Company' means Harbourline Mutual Insurance" makes "the
    Company" the customer in that form (round 117 read it as the vendor: a No was written to "Does the Company
    retain ownership of its inputs ...?")."""
    return frozenset(short for long, short in _meanings(text) if long == customer)


def _meanings(text: str) -> Iterator[tuple[str, str]]:
    """(organisation, short name) of each "'Short' means Organisation" in the text."""
    if not may_define(text):
        return
    for meaning in _MEANS.finditer(text):
        # "'The Credit Union' means Kestrel Valley Credit Union.", '"the Board" means Fabrikam County School Board'
        # (rounds 111b, 116a): the organisation a form's own short name stands for; a role ("Auditor",
        # "Provider") or the vendor is no customer; a generic word ("the Company") is, where the form says so
        short, long = meaning.group(1), _TRAILING_JOIN.sub("", meaning.group(2).strip().rstrip(".,;"))
        if _NO_NAME.match(short) and short.lower() not in _GENERIC_SELF:
            continue
        if _OTHER_ROLE.search(short) or _VENDOR_PARTY.search(f"{long} {short}"):
            continue
        if title_name(long) == long:
            yield long, short


_TRAILING_JOIN = re.compile(r"(?:\s+(?:and|of|&))+$")
_GENERIC_SELF = frozenset({"company", "organization", "organisation", "customer", "client", "group"})


_MEANS = re.compile(
    r"[\"“'‘](?:[Tt]he\s+)?([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2})[\"”'’]\s+(?:means|shall mean|refers to)\s+"
    r"(?:the\s+)?((?:[A-Z][\w&.,'’-]*\s*(?:(?:of|and|&)\s+)?){1,7})"
)


def may_define(text: str) -> bool:
    """Whether a text may define a term ("... means ...", "... refers to ..."): most cells do not, and skip the rest."""
    return " mean" in text or " refers to " in text


def defined_customer_things(text: str, customer: str | None = None) -> frozenset[str]:
    """The terms a form defines as the customer's own systems: '"the Platform" means the Customer's internal
    intranet portal', '"the System" means the Bank's core banking system', '"the Platform" means our internal HR
    portal'. A row asking "Is the Platform covered by your SOC 2 report?" asks of the customer's (round 120a wrote
    the vendor's Yes to it in every mode)."""
    if not may_define(text):
        return frozenset()
    found = set()
    for m in _MEANS_ANY.finditer(text):
        meaning = m.group(2)
        named = customer is not None and re.match(rf"(?:the\s+)?{re.escape(customer)}['’]s\b", meaning, re.I)
        if named or _CUSTOMERS_OWN.match(meaning):
            found.add(m.group(1))
    return frozenset(found)


_MEANS_ANY = re.compile(
    r"[\"“'‘](?:[Tt]he\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})[\"”'’]\s+(?:means|shall mean|refers to)\s+"
    r"([^.;]{1,100})"
)
# a meaning that is the customer's own: "the Customer's ...", "our internal ...", "its own ...", "the Bank's ..."
_CUSTOMERS_OWN = re.compile(
    r"(?:the\s+)?(?:(?:customer|client|bank|university|college|school|firm|company|buyer|purchaser|organi[sz]ation|"
    r"institution|trust|council|agency|district|hospital|insurer)['’]s\b|our\b|its own\b)",
    re.IGNORECASE,
)


def defined_products(text: str) -> dict[str, str]:
    """The terms a form's text defines as products, each with its definition: '"the Service" means ChatGPT
    Enterprise' ({"Service": ...}). A row saying "the Service" asks of that product (round 119b: asked of none, a
    fill for the API wrote the API's answers to a form about ChatGPT Enterprise)."""
    if not may_define(text):
        return {}
    return {m.group(1): text for m in _MEANS.finditer(text) if products_named(m.group(2)) - {"every"}}


def one_voice(voices: Iterable[str]) -> str | None:
    """The form's voice when its definitions name one party, else None: a form in two parts, each
    its own voice, is read row by row, and so is one that only names itself ("'We' refers to
    Harbourline"); a name beside a definition ("The Company ('we') controls ...") changes nothing."""
    said = set(voices) - {"named"}
    return said.pop() if len(said) == 1 else None


def declared_voice(text: str) -> str | None:
    """one_voice of one text's definitions."""
    return one_voice(declared_voices(text))


def respondent_voice(text: str) -> str:
    """A self-assessment's row as the vendor would be asked it: its "we" is you and its "you" the
    customers ("We retain your files until you delete them." -> "You retain the customer's files
    until customers delete them."; "your DPA" is the customer's paper, round 57)."""

    def turned(found: re.Match[str]) -> str:
        word = found.group(0)
        said = _TURNED[word.lower()]
        return said[0].upper() + said[1:] if word[0].isupper() else said

    return _PERSONS.sub(turned, text)


_TURNED = {
    "we": "you", "us": "you", "our": "your", "ours": "yours", "ourselves": "yourselves",
    "you": "customers", "your": "the customer's", "yours": "the customer's", "yourself": "customers",
    "yourselves": "customers",
}  # fmt: skip
_PERSONS = re.compile(r"\b(?:[Ww]e|us|[Oo]urs?|[Oo]urselves|[Yy]ou|[Yy]ours?|[Yy]ourself|[Yy]ourselves)\b")


# What only a customer has, said to "you" ("your data", "your fine-tuned models", "the inputs you
# provide"), and a row whose subject is "we": its "you" may be the customer reading a self-assessment
_YOURS = re.compile(
    r"\byour\s+(?:own\s+)?(?:(?!training\b)[\w-]+\s+)?(?:data|content|inputs?|outputs?|prompts?|files?|conversations?|"
    r"chats?|fine-tuned\s+models?|fine-tuning\s+(?:files?|data|jobs?)|workspaces?|accounts?)\b"
    # (not "your data processing addendum", "your content classifiers": the vendor's things)
    r"(?!\s+(?:processing|protection|classifiers?|cent(?:er|re)s?|residency|retention|polic(?:y|ies)|agreements?|"
    r"addend(?:um|a)|governance|controls?|security|handling|practices|classification|loss|subjects?|management))"
    r"|\b(?:data|content|inputs?|prompts?|files?)\s+(?:that\s+)?you\s+(?:provide|submit|upload|enter)\b",
    re.IGNORECASE,
)
_WE_FIRST = re.compile(
    r"\W*(?:(?:do|does|did|can|could|will|would|shall|should|may|might|must|are|is|was|were|have|has|had)\s+)?"
    r"we\b",
    re.IGNORECASE,
)
_YOU = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)


def reader_voice(text: str) -> str | None:
    """The row in the vendor's voice (respondent_voice) when its "you" may be the customer reading a
    self-assessment: it gives "you" what only a customer has ("We control how long your data is
    retained.", "You own the models fine-tuned with your data."), or its subject is "we" and it
    speaks to "you" as well ("Do we notify you ...?"). None otherwise ("Do you use our data to train
    your models?" is the customer's voice for certain)."""
    if _YOU.search(text) is None:
        return None  # (both tests need a "you": most rows have none)
    core = question_proper(text)
    if _YOURS.search(core) or (_WE_FIRST.match(core) and _YOU.search(core)):
        return respondent_voice(text)
    return None


def speaks_in_person(text: str) -> bool:
    """Whether the row says "we", "us", "our", "you" or "your" (whose they are depends on the form)."""
    return _FIRST_PERSON.search(text) is not None or _YOU.search(text) is not None


def voice_certain(text: str) -> bool:
    """Whether a row is in the customer's voice for certain, read alone: no person at all, or a
    "you" that is the vendor ("Do you use our data ...?")."""
    return not speaks_in_person(text) or (vendor_voice(text) is None and reader_voice(text) is None)


def vendor_voice(text: str) -> str | None:
    """The row as the respondent would say it ("Do we determine ...?" -> "Do you determine ...?"),
    when its first person may be either party: it speaks to no "you" and names not the vendor (a
    row that does, "Do you use our data?", is in the customer's voice for certain). None otherwise."""
    if _FIRST_PERSON.search(text) is None or not _SECOND_PERSON.isdisjoint(normalize(text).split()):
        return None
    if _WE_THE_CUSTOMER.search(text):
        return None  # "Do we, the customer, retain ownership ...?" says whose voice it is
    return respondent_voice(text)  # (it has no "you" to turn: only its first person changes)


def follow_up(text: str) -> bool:
    """Whether a row asks within the case of the row before it: "If so, ...", "If yes, ..."."""
    return _FOLLOWS.match(question_proper(text)) is not None


def leans_on_context(text: str) -> bool:
    """Whether a row means little without its section or the row before it: "If yes, please
    describe.", "Is the policy reviewed annually?", "Are they encrypted?"."""
    proper = question_proper(text)
    if _FOLLOWS.match(proper) or _BARE_REQUEST.match(proper):
        return True
    return len(proper.split()) <= 10 and _LEANING.search(proper) is not None


def differences(a: str, b: str) -> list[str]:
    """Why two questions do not ask the same thing (empty when their readings agree); `a` is the
    question asked, `b` the one it is compared with (a claim's phrasing, a library entry)."""
    return list(contrasts(read_question(a), read_question(b)))


# A vendor's own people and those it hires in, as kind_of names them
_EMPLOYED = frozenset({"employee", "staff", "personnel", "workforce"})
_CONTRACTED = frozenset({"contractor", "subcontractor"})


def one_group_of_two(asked: Reading, said: str) -> str | None:
    """The other group a claim's limit (`said`: its sentence and quote) names where the question
    limits to one: "Is access to stored API data limited to OpenAI employees?" against "limited to
    (1) authorized employees ... and (2) specialized third-party contractors" (round 95 offered the
    Yes); None when it names no other."""
    if not asked.exclusive:
        return None
    limited = {kind_of(word) for word in asked.only}
    named = {kind_of(word) for word in _words(said)}
    # ("personnel", "workforce" may be either: "restricted to personnel who require it", round 96)
    for one, other in ((_EMPLOYED - {"personnel", "workforce"}, _CONTRACTED), (_CONTRACTED, _EMPLOYED)):
        if limited & one and not limited & other and named & other:
            return sorted(named & other)[0]
    return None


def contrasts(asked: Reading, said: Reading, telling: Callable[[str], bool] | None = None) -> Iterator[str]:
    """Why `said` (a claim's phrasing, a library entry) does not settle what `asked` asks, whatever
    words they share: one reason at a time, so a caller that needs only whether stops at the first.
    The one list of these rules: the matcher caps a phrasing on them, and review notes, the
    answer library and the suggestions' order say them. `telling`: whether a word weighs (the
    matcher's idf), to compare the words an "only" applies to."""
    first, second = asked, said
    if first.party != second.party:
        yield f"the question is about {PARTY_NAMES[first.party]}, the claim about {PARTY_NAMES[second.party]}"
    # "which vendor employees can access ..." is not "who has access within your organization"
    if (
        first.vendor_people
        and (second.customer_people or second.role == "admin" or bool(second.kinds & {"admin", "administrator"}))
        and not (first.customer_people or second.vendor_people)
    ):
        yield "the question names the vendor's people, the claim people within the customer"
    if first.within is not None and first.within != (second.within or second.party):
        within, other = PARTY_NAMES[first.within], PARTY_NAMES[second.within or second.party]
        yield f"the question is about people within {within}, the claim within {other}"
    if first.theirs != second.theirs:
        whose = ("question", "claim") if first.theirs else ("claim", "question")
        yield f"the {whose[0]} is about the customer's own paper, the {whose[1]} about the vendor's"
    # "other users' conversations" is neither "their own" nor said of anyone's, and "their own
    # conversations" does not settle "the whole workspace's"
    # (and "used to train our own fine-tuned model" is not "can other organizations use our file", round 119b)
    if first.whose != second.whose and (
        second.whose == "own" or first.whose == "other" or second.whose == "other" and first.whose == "own"
    ):
        owner = {"other": "others'", "own": "their own", None: "anyone's"}
        yield f"the question is about {owner[first.whose]}, the claim about {owner[second.whose]}"
    # "used to train our own fine-tuned model" is not "used to train its own models" (OpenAI's, round 119b wrote No)
    if first.own_of and second.own_of and first.own_of != second.own_of:
        yield f"the question is about {PARTY_NAMES[first.own_of]}'s own, the claim about {PARTY_NAMES[second.own_of]}'s"
    elif first.own_of == "customer" and (
        second.whose == "other" or not second.kinds.isdisjoint({"third", "thirdparty"})
    ):
        # ("... for third parties", "... for other customers": another's, whatever the claim answers of it)
        yield "the question is about the customer's own, the claim about others'"
    # "Can OpenAI delete our files?" is not "Can customers delete their files?"
    if first.actor == "vendor" and second.actor == "customer":
        yield "the question asks what the vendor does, the claim what the customer does"
    # "Do you allow customers to red team your models?" is not "Do you red team your models?"
    if first.actor == "customer" and second.actor != "customer" and second.party in ("vendor", "third"):
        yield "the question asks what the customer does, the claim what the vendor does"
    # "Can end users view ...?" is not "Can workspace admins view ...?"
    if first.role and second.role and first.role != second.role:
        yield f"the question is about {first.role}s, the claim about {second.role}s"
    # "Are your AI models evaluated against our benchmarks?" is not "... against industry benchmarks?"
    # (said of the vendor's or not said at all: "evaluated against our benchmarks" is not settled by
    # "Do you regularly evaluate your AI models?" either)
    owned = first.ours - second.ours
    if owned:
        yield f"the question is about the customer's own {', '.join(sorted(owned))}; the claim is not"
    if first.data_of == "customer" and second.data_of == "other":
        yield "the question is about the customer's data, the claim about data from elsewhere"
    if first.data_of == "other" and second.data_of == "customer":
        yield "the question is about data from elsewhere, the claim about the customer's data"
    # "Are your staff who access our data bound by confidentiality?" is not "Are contractors with
    # access bound by confidentiality?" (round 51): each names one of the vendor's groups, another
    staff = [bool(r.kinds & _EMPLOYED) and r.kinds.isdisjoint(_CONTRACTED) for r in (first, second)]
    hired = [bool(r.kinds & _CONTRACTED) and r.kinds.isdisjoint(_EMPLOYED) for r in (first, second)]
    if (staff[0] and hired[1]) or (hired[0] and staff[1]):
        groups = ("employees", "contractors") if staff[0] else ("contractors", "employees")
        yield f"the question is about {groups[0]}, the claim about {groups[1]}"
    # "can only end users view ...": its Yes is no Yes for admins, its No no No without "only";
    # "only employees and contractors" settles neither "contractors only" nor "solely employees"
    if second.exclusive != first.exclusive:
        whose = ("claim", "question") if second.exclusive > first.exclusive else ("question", "claim")
        yield f"the {whose[0]} says 'only'; the {whose[1]} does not"
    # "for OpenAI's use alone" is not "for the customer's use alone"
    if first.for_party and not second.for_party and not second.exclusive:
        # "reserved for the vendor's own use" is not settled by "Does OpenAI retain ownership ...?" (round 101)
        yield f"the question is about {PARTY_NAMES[first.for_party]}'s use or permission; the claim does not say whose"
    if first.for_party and second.for_party and first.for_party != second.for_party:
        yield (
            f"the question is about {PARTY_NAMES[first.for_party]}'s use or permission, the claim about "
            f"{PARTY_NAMES[second.for_party]}'s"
        )
    # "Can only OpenAI access ...?" is not "Can only your organization access ...?"
    if first.only_party and second.only_party and first.only_party != second.only_party:
        only, other = PARTY_NAMES[first.only_party], PARTY_NAMES[second.only_party]
        yield f"the question says only {only}, the claim only {other}"
    if first.obliged != second.obliged:
        whose = ("question", "claim") if first.obliged else ("claim", "question")
        yield f"the {whose[0]} asks what the customer must do or have; the {whose[1]} does not"
    if second.excepting and not first.excepting:
        yield "the claim names an exception the question does not"
    if second.possible and not first.possible:
        yield "the claim says only that it may be so; the question asks whether it is"
    # "Is encryption at rest optional / planned?", "Did you use to ...?", "... even if the law
    # requires retention?", "Do you provide your SOC 2 report?": not whether it is so
    if first.status != second.status:
        what = ", ".join(STATUS_NAMES[k] for k in sorted(first.status ^ second.status))
        whose = ("question", "claim") if first.status - second.status else ("claim", "question")
        yield f"the {whose[0]} asks {what}; the {whose[1]} does not"
    # "Is data at rest encrypted with TLS 1.2?" is not settled by a phrasing about transit (one
    # about both, or a question about both, is left to the words)
    if first.states and second.states and first.states.isdisjoint(second.states):
        state, other = (" and ".join(STATE_NAMES[k] for k in sorted(r.states)) for r in (first, second))
        yield f"the question is about data {state}, the claim about data {other}"
    # "deleted conversations" are not all conversations, nor the other way round
    if bool(first.narrowed) != bool(second.narrowed) or first.narrowed.isdisjoint(second.narrowed) and first.narrowed:
        spoken = [", ".join(sorted(r.narrowed)) + " ones" if r.narrowed else "all of them" for r in (first, second)]
        yield f"the question speaks of {spoken[0]}, the claim of {spoken[1]}"
    # (a routine is any frequency: "periodically" is not "annually" only where no frequency is said)
    asked_often, said_often = first.frequencies - {"routine"}, second.frequencies - {"routine"}
    if asked_often and said_often and asked_often != said_often:
        often, other = ", ".join(sorted(asked_often)), ", ".join(sorted(said_often))
        yield f"the question asks {often}, the claim says {other}"
    # "Is a fine-tuned model retained ...?" (or are backups, logs) is not "Is fine-tuning data
    # retained ...?", nor the other way round
    if _other_thing(first, second):
        yield f"the question's subject ({first.thing}) is not the claim's ({second.thing or 'data'})"
    if telling is not None and second.exclusive and any(map(telling, set(first.only) ^ set(second.only))):
        named = " ".join(first.only) or "nothing"
        yield f"the claim's 'only' is said of {' '.join(second.only)}, the question's of {named}"


def _other_thing(asked: Reading, said: Reading) -> bool:
    """Whether a passive question is about the customer's data and the phrasing about another
    thing (a model, backups, logs), or the other way round; things of other kinds ("your ISMS",
    "your organization") are left to the words."""
    if asked.thing is None:
        return False
    if said.thing is not None:
        return (asked.thing == "data") != (said.thing == "data")
    return asked.thing != "data" and "data" in said.kinds and asked.thing not in said.kinds


# --- amounts: "more than two stages", "within 24 hours", "30 days or more" -------------------------

Quantity = tuple[str, float, str]  # how it compares (=, >, >=, <, <=), the number, its unit

_NUMBER_WORDS = {
    "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100,
}  # fmt: skip
# Units an amount counts: time, steps, places, copies, people and sizes (a standard's number, "ISO
# 27001 certificate", "SOC 2 report", "Type 2", counts nothing)
_UNITS = frozenset(
    {"second", "minute", "hour", "day", "week", "month", "year", "quarter", "stage", "step", "phase", "pass",
     "round", "attempt", "factor", "copy", "replica", "region", "zone", "site", "location", "datacenter",
     "layer", "bit", "byte", "character", "percent", "%", "person", "reviewer", "approver", "approval",
     "employee", "user", "seat", "key", "backup", "snapshot", "version"}
)  # fmt: skip
_UNIT_SPELLINGS = {"people": "person", "copies": "copy", "percent": "%"}
_BEFORE = (
    (">", r"more than|over|greater than|longer than|beyond|after|exceeding|in excess of|upwards of|past"),
    (">=", r"at least|no less than|no fewer than|not less than|(?:a )?minimum of|no sooner than"),
    ("<=", r"within|up to|no more than|not more than|at most|no longer than|(?:a )?maximum of|not exceeding"),
    ("<", r"less than|fewer than|under|shorter than|below|before"),
)
_AFTER = (
    (">=", r"or more|or longer|or greater|or above|and above|and up|\+"),
    ("<=", r"or less|or fewer|or shorter|or under|and below"),
)
_NUMBER = r"\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS)
_AMOUNT = re.compile(
    r"(?:\b(?P<before>" + "|".join(f"(?:{p})" for _, p in _BEFORE) + r")\s+)?"
    r"(?<![\w.:/-])(?P<number>" + _NUMBER + r")(?![\w.:/])"
    r"(?:\s*(?P<mid>" + "|".join(f"(?:{p})" for _, p in _AFTER) + r"))?"
    r"(?:(?:\s*-\s*|\s+)(?:(?:business|calendar|working|consecutive|full|separate|independent|distinct)\s+)?"
    r"(?P<unit>[a-z]+)\b|\s?(?P<percent>%))"
    r"(?:\s+(?P<after>" + "|".join(f"(?:{p})" for _, p in _AFTER) + r")\b)?"
)


def quantities(text: str) -> frozenset[Quantity]:
    """The amounts a text states, each with how it compares: "more than two stages" -> (">", 2,
    "stage"), "30 days or more" -> (">=", 30, "day"), "a single-stage process" -> ("=", 1, "stage")."""
    found: set[Quantity] = set()
    lowered = text.lower().replace("per cent", "percent")
    for match in _AMOUNT.finditer(lowered):
        unit = "%" if match["percent"] else _UNIT_SPELLINGS.get(match["unit"]) or match["unit"]
        if unit not in _UNITS and not (unit.endswith("s") and (unit := unit[:-1]) in _UNITS):
            continue
        said = match["number"]
        number = float(_NUMBER_WORDS[said]) if said in _NUMBER_WORDS else float(said)
        compares = "="
        if match["before"]:
            compares = next(c for c, p in _BEFORE if re.fullmatch(p, match["before"]))
        elif match["mid"] or match["after"]:
            tail = match["mid"] or match["after"]
            compares = next(c for c, p in _AFTER if re.fullmatch(p, tail))
        found.add((compares, number, unit))
    return frozenset(found)
