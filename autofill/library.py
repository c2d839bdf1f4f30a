"""The answer library: questions answered before (imported questionnaires, reviewers' attestations).

Stored as reviewable YAML in the knowledge base's `library/` folder, one file per source:
a `source:` header (title, date, kind, visibility, original file and its sha256) and
`entries:` (question, qid, answer, comment, side columns). An imported file's rows, as read,
are kept beside it in `library/<id>.txt`; every entry must be verbatim in it, as a claim's quote
must be in its source. Matching a form's question to an entry is deliberately narrow: the same
question (same id and near-identical wording, or near-identical wording) answers; similar
wording is a suggestion for review; wording that differs in meaning never answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from itertools import chain
from pathlib import Path
from typing import Any

from autofill.choices import meaning
from autofill.learned import rejections
from autofill.models import PLANS, PRODUCTS, KnowledgeBase, LibraryEntry, LibrarySource
from autofill.reading import (
    follow_up,
    in_section,
    leans_on_context,
    products_covered,
    read_question,
    wording_words,
)
from autofill.text import NEGATIONS, STOPWORDS, question_key, question_proper

LIBRARY_DIR = "library"
ATTESTED = "attested"  # the source id (and file name) of answers typed by reviewers
MAX_AGE_DAYS = 365
# Confidence of each way an entry can fit a question; the first two are written, the rest reviewed.
SAME_QUESTION = 98.0
SAME_ID_NEAR = 95.0
NEAR_IDENTICAL = 90.0
SIMILAR_CAP = 75.0
DIFFERS_CAP = 55.0  # shown to a person (in the review band) but never written
STALE_CAP = 75.0
REJECTED_CAP = 40.0  # an entry a reviewer rejected for the question: below the review band, never offered
# Wording scores (rapidfuzz ratio on question keys): near-identical, with the same id, similar.
NEAR_RATIO = 95.0
NEAR_RATIO_SAME_ID = 90.0
SIMILAR_RATIO = 75.0
MAX_MATCHES = 3

_Problem = tuple[Path, str | None, str]


# --- reading the library -------------------------------------------------------------------


def library_folders(root: Path, learned: Path) -> list[Path]:
    """The base's library folder, then the one beside its learned file (the shipped base's is the user's)."""
    return list(dict.fromkeys((root / LIBRARY_DIR, learned.parent / LIBRARY_DIR)))


def library_files(folders: Sequence[Path]) -> list[Path]:
    """The library's files (entries and the imported rows' text), for the cache key and the watcher."""
    return [path for folder in folders for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.txt")])]


def load_library(
    folders: Sequence[Path], problems: list[_Problem], read_yaml: Any
) -> tuple[dict[str, LibrarySource], list[LibraryEntry]]:
    """Every library source and entry in `folders`; problems name the file and line."""
    sources: dict[str, LibrarySource] = {}
    entries: list[LibraryEntry] = []
    for path in [p for folder in folders for p in sorted(folder.glob("*.yaml"))]:
        data = read_yaml(path, problems)
        if data is None:
            continue
        source = _parse_source(path, data, problems)
        if source is None:
            continue
        if source.id in sources:
            problems.append((path, None, f"source id '{source.id}' is used twice (also {sources[source.id].path})"))
            continue
        entries.extend(_parse_entries(path, source, data.get("entries"), problems))
        sources[source.id] = replace(source, extract="")  # checked now; no fill needs it again
    return sources, entries


def _entry_lines(path: Path) -> Iterator[int]:
    """Line numbers of the entries ('- ' items under 'entries:') in a library file."""
    inside = False
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("entries:"):
            inside = True
        elif inside and line.startswith("- "):
            yield line_number
        elif inside and line and not line.startswith((" ", "-", "#")):
            inside = False


def _parse_source(path: Path, data: Any, problems: list[_Problem]) -> LibrarySource | None:
    header = data.get("source") if isinstance(data, dict) else None
    if not isinstance(header, dict):
        problems.append((path, None, "must start with a 'source:' mapping (id, title, date, kind) and 'entries:'"))
        return None
    missing = [key for key in ("id", "title", "kind") if not isinstance(header.get(key), str)]
    if missing:
        problems.append((path, None, f"source is missing {', '.join(missing)}"))
        return None
    kind = header["kind"]
    if kind not in ("imported", "attestation"):
        problems.append((path, None, f"source kind must be 'imported' or 'attestation', not {kind!r}"))
        return None
    visibility = header.get("visibility", "internal")
    if visibility not in ("internal", "public"):
        problems.append((path, None, f"source visibility must be 'internal' or 'public', not {visibility!r}"))
        return None
    date = header.get("date")
    if date is not None and _date(str(date)) is None:
        problems.append((path, None, f"source date {date!r} is not a date; write YYYY-MM-DD"))
        return None
    extract_file = path.with_suffix(".txt")
    extract = ""
    if kind == "imported":
        if not extract_file.exists():
            problems.append((path, None, f"has no {extract_file.name} beside it (the imported rows); import it again"))
        else:
            extract = extract_file.read_text(encoding="utf-8")
    return LibrarySource(
        id=header["id"],
        title=header["title"],
        date=None if date is None else str(date),
        kind=kind,
        visibility=visibility,
        file=str(header["file"]) if header.get("file") else None,
        sha256=str(header["sha256"]) if header.get("sha256") else None,
        path=path,
        extract=extract,
    )


def _parse_entries(path: Path, source: LibrarySource, raw: Any, problems: list[_Problem]) -> Iterator[LibraryEntry]:
    if raw is None:
        return
    if not isinstance(raw, list):
        problems.append((path, None, "'entries:' must be a list"))
        return
    lines = list(_entry_lines(path))
    blocks = _blocks(source.extract) if source.kind == "imported" else {}
    for number, item in enumerate(raw, start=1):
        line = lines[number - 1] if number <= len(lines) else 0
        where = f"line {line}" if line else f"entries[{number}]"

        def bad(problem: str, where: str = where) -> None:
            problems.append((path, None, f"{where}: {problem}"))

        if not isinstance(item, dict):
            bad("an entry must be a mapping with question and answer")
            continue
        question, answer = item.get("question"), _answer(item.get("answer"))
        if not isinstance(question, str) or not question.strip() or answer is None:
            bad("an entry needs 'question:' and 'answer:' (Yes, No, N/A or text)")
            continue
        if answer[:1] in ("=", "+", "-", "@"):
            bad(f"answer {answer[:20]!r} starts with '{answer[0]}', which a spreadsheet would run as a formula")
            continue
        side = item.get("side") or {}
        if not isinstance(side, dict):
            bad("'side:' must map a column name to its text")
            continue
        date = item.get("date")
        if date is not None and _date(str(date)) is None:
            bad(f"date {date!r} is not a date; write YYYY-MM-DD")
            continue
        if item.get("product") is not None and item.get("product") not in PRODUCTS:
            bad(f"product {item.get('product')!r} is not one of: {', '.join(PRODUCTS)}")
            continue
        entry = LibraryEntry(
            id=str(item.get("id") or entry_id(source.id, question, number)),
            source=source.id,
            question=question,
            answer=answer,
            qid=str(item["qid"]) if item.get("qid") is not None else None,
            comment=str(item["comment"]) if item.get("comment") else None,
            side=tuple((str(k), str(v)) for k, v in side.items() if v is not None and str(v).strip()),
            where=str(item["where"]) if item.get("where") else None,
            date=None if date is None else str(date),
            who=str(item["who"]) if item.get("who") else None,
            section=str(item["section"]) if item.get("section") else None,
            voice=str(item["voice"]) if item.get("voice") in ("vendor", "customer") else None,
            product=str(item["product"]) if item.get("product") not in (None, "all") else None,  # (checked above)
            line=line,
            key=question_key(question),
        )
        if source.kind == "imported":
            problem = _not_verbatim(entry, blocks)
            if problem:
                bad(problem)
        yield entry


def _answer(raw: Any) -> str | None:
    """Yes, No or N/A when the value means one (unquoted YAML Yes/No arrive as booleans), else the text."""
    if raw is True:
        return "Yes"
    if raw is False:
        return "No"
    if isinstance(raw, (int, float)):
        return str(raw)
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    return meaning(text) if meaning(text) and len(text) <= 16 else text


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def entry_id(source_id: str, question: str, number: int) -> str:
    """An opaque id: it may appear in a customer's form, so it names neither file nor customer."""
    digest = hashlib.sha256(f"{source_id}\n{number}\n{question}".encode()).hexdigest()
    return f"lib-{digest[:10]}"


# --- the imported rows' text (verbatim check) ------------------------------------------------

_BLOCK = re.compile(r"^== (.*)$", re.MULTILINE)


def extract_text(rows: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> str:
    """The imported rows as read: one block per row ('== where', then '-- field' and its text)."""
    parts = []
    for where, fields in rows:
        lines = [f"== {where}"]
        for name, text in fields:
            lines += [f"-- {name}", text]
        parts.append("\n".join(lines))
    return "\n".join(parts) + "\n"


def _blocks(extract: str) -> dict[str, str]:
    found = list(_BLOCK.finditer(extract))
    return {
        m.group(1).strip(): extract[m.end() : found[i + 1].start() if i + 1 < len(found) else len(extract)]
        for i, m in enumerate(found)
    }


def _not_verbatim(entry: LibraryEntry, blocks: dict[str, str]) -> str | None:
    block = blocks.get(entry.where or "")
    if block is None:
        return f"row {entry.where!r} is not in the imported rows' text; import the file again"
    squashed = _squash(block)
    texts = [("question", entry.question), *(("comment", c) for c in [entry.comment] if c), *entry.side]
    if meaning(entry.answer) is None:
        texts.append(("answer", entry.answer))
    for name, text in texts:
        if _squash(text) not in squashed:
            return f"{name} is not verbatim in the imported row {entry.where}; copy it exactly: {text[:60]!r}"
    if meaning(entry.answer) is not None:
        answers = block.split("-- answer\n", 1)[-1].splitlines()[:1]
        if not answers or meaning(answers[0]) != entry.answer:
            return f"answer {entry.answer!r} is not the answer in the imported row {entry.where}"
    return None


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- matching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryMatch:
    """A library entry that may answer a question, with how sure and why."""

    entry: LibraryEntry
    confidence: float
    reason: str
    differences: tuple[str, ...] = ()
    stale: bool = False
    # a telling word in the place of another, or a name the entry never says: its answer is
    # offered only beside the claims' own (see _substituted)
    swapped: str | None = None


class Library:
    """The current library entries of a base, indexed for matching (the newest answer to a question wins;
    with `product`, an answer given for it or for every product wins over one given for another)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        today: dt.date | None = None,
        max_age_days: int = MAX_AGE_DAYS,
        product: str | None = None,
    ) -> None:
        from rapidfuzz import fuzz, process

        self.kb = kb
        self.sources = kb.library_sources
        self._today = today or dt.date.today()
        self._max_age = max_age_days
        self._ratio = fuzz.ratio
        self._extract = partial(process.extract, scorer=fuzz.ratio, limit=None)
        newest: dict[str, LibraryEntry] = {}
        self._conflicts: set[str] = set()  # answered differently by sources of the same date
        for entry in kb.library:
            # "Are they encrypted?" answered under "Backups" is "Are backups encrypted?"
            asked = in_section(entry.question, entry.section)
            key = entry.key if asked == entry.question and entry.key else question_key(asked)
            old = newest.setdefault(key, entry)
            if old is entry:
                continue
            fits, old_fits = _fits(entry, product), _fits(old, product)
            if fits != old_fits:
                # an answer typed for Enterprise does not replace the one given for every product (round 112b
                # lost a reviewer's general answer to a later Enterprise-only one), nor the other way round
                if fits:
                    newest[key] = entry
                continue
            date, old_date = self.entry_date(entry), self.entry_date(old)
            if date == old_date and _answer_key(entry.answer) != _answer_key(old.answer):
                self._conflicts.add(key)
            if date >= old_date:
                newest[key] = entry  # the older answer to the same question is superseded
        self.entries = newest
        self._by_id: dict[str, LibraryEntry] | None = None
        self._by_qid: dict[str, list[str]] = {}
        self._by_token: dict[str, list[str]] = {}
        for key, entry in newest.items():
            if entry.qid:
                self._by_qid.setdefault(_qid(entry.qid), []).append(key)
            for token in set(key.split()):
                self._by_token.setdefault(token, []).append(key)
        # a word in over a twentieth of the entries does not shortlist ("you", "data", "policy")
        self._common = max(20, len(newest) // 20)
        # entries a reviewer rejected for a question, by its key (a later acceptance lifts it)
        self._rejected = rejections(kb.learned)

    def entry(self, entry_id: str) -> LibraryEntry | None:
        """A current entry by its id."""
        if self._by_id is None:
            self._by_id = {entry.id: entry for entry in self.entries.values()}
        return self._by_id.get(entry_id)

    def entry_date(self, entry: LibraryEntry) -> str:
        source = self.sources.get(entry.source)
        return entry.date or (source.date if source else None) or ""

    def is_stale(self, entry: LibraryEntry) -> bool:
        day = _date(self.entry_date(entry))
        return day is None or (self._today - day).days > self._max_age

    def match(self, question: str, qid: str | None = None, section: str | None = None) -> list[LibraryMatch]:
        """Entries that may answer the question, best first; empty when none comes near. A row
        that means little without its section (reading.leans_on_context) is answered only by an
        entry asked under the same section, and a follow-up ("If yes, please describe.") by none."""
        if not self.entries:
            return []
        key = question_key(question)
        found: dict[str, LibraryMatch] = {}
        same_id = set(self._by_qid.get(_qid(qid), ())) if qid else set()
        shortlist = self._shortlist(key) - same_id
        scored = [(self._ratio(key, other), other) for other in same_id]
        scored += [(ratio, other) for other, ratio, _ in self._extract(key, shortlist, score_cutoff=SIMILAR_RATIO)]
        # only the closest few can be chosen or shown; reading meaning is the costly part
        for ratio, other in sorted(scored, reverse=True)[:MAX_MATCHES]:
            entry = self.entries[other]
            same_words = _content(key) == _content(other)
            if other == key:
                confidence, reason = SAME_QUESTION, "the same question"
            elif other in same_id and ratio >= NEAR_RATIO_SAME_ID and same_words:
                confidence, reason = SAME_ID_NEAR, "the same question id, the same words"
            elif ratio >= NEAR_RATIO and same_words:
                confidence, reason = NEAR_IDENTICAL, "near-identical wording"
            elif ratio >= SIMILAR_RATIO or (other in same_id and _one_word_apart(key, other)):
                # One word changed is another question ("OIDC" for "SAML", "logs" for "backups",
                # "RPO" for "RTO"), whatever its id: a person sees which word and decides.
                confidence = min(SIMILAR_CAP, ratio * 0.8)
                reason = ("the same question id, " if other in same_id else "") + _reworded(key, other)
            else:
                continue
            differences = tuple(_meaning_differs(question, entry.question)) if other != key else ()
            swapped = _substituted(question, key, other) if other != key and not same_words else None
            if same_words and other != key and _directions(question) != _directions(entry.question):
                # the same words but for one that says which way: "provided by employees" / "to employees"
                differences += ("a word of direction differs (by, to, from, ...)",)
            elsewhere = _elsewhere(question, section, entry)
            if elsewhere:
                differences = (elsewhere, *differences)
            if differences:
                confidence, reason = min(DIFFERS_CAP, ratio * 0.6), "a look-alike that asks something else"
            if other in self._conflicts:
                confidence, reason = (
                    min(confidence, SIMILAR_CAP),
                    reason + ", but answered differently on the same date",
                )
            stale = self.is_stale(entry)
            if stale:
                confidence = min(confidence, STALE_CAP)
            if entry.id in self._rejected.get(key, ()):
                confidence, reason = min(confidence, REJECTED_CAP), "rejected for this question by a reviewer"
            found[other] = LibraryMatch(entry, round(confidence, 1), reason, differences, stale, swapped)
        ranked = sorted(found.values(), key=lambda m: (-m.confidence, m.entry.id))
        return [self._superseded(m, ranked) for m in ranked]

    def _superseded(self, match: LibraryMatch, ranked: list[LibraryMatch]) -> LibraryMatch:
        """A match another entry answers differently, more recently and in words that read alike
        ("Do you have ...?" No in October against "Do you operate ...?" Yes in March): for review."""
        date = self.entry_date(match.entry)
        newer = next(
            (
                m
                for m in ranked
                if m is not match
                and not m.differences
                and _answer_key(m.entry.answer) != _answer_key(match.entry.answer)
                and self.entry_date(m.entry) > date
            ),
            None,
        )
        if newer is None:
            return match
        said = f"a newer answer ({self.entry_date(newer.entry)}) to a similar question says {newer.entry.answer}"
        return replace(match, confidence=min(match.confidence, SIMILAR_CAP), reason=f"{match.reason}, but {said}")

    def _shortlist(self, key: str) -> set[str]:
        # the same question and the ones worded like it: a newer answer to a near wording counts
        postings = [found for t in set(key.split()) if len(found := self._by_token.get(t, ())) <= self._common]
        counts = Counter(chain.from_iterable(postings))
        need = max(1, -(-len(postings) * 3 // 5))  # three in five of its telling words, rounded up
        return {other for other, count in counts.items() if count >= need} | ({key} if key in self.entries else set())

    def provenance(self, entry: LibraryEntry) -> str:
        """Where an entry came from, for the team's report (never for the customer's form)."""
        source = self.sources.get(entry.source)
        parts = [f"library source '{entry.source}'"]
        if source is not None:
            parts.append(source.title)
            if source.file:
                parts.append(source.file + (f" {entry.where}" if entry.where else ""))
        if entry.who:
            parts.append(f"answered by {entry.who}")
        parts.append(f"dated {self.entry_date(entry) or 'unknown'}")
        return ", ".join(parts)


# A company's name as written: capitalised words before a legal form ("Globex Corp", "Initech
# GmbH", "Umbrella Holdings Ltd.").
_COMPANY = re.compile(
    r"\b(?:[A-Z][\w&'.-]*\s+){1,4}(?:Inc|Corp|Corporation|LLC|L\.L\.C|Ltd|Limited|GmbH|AG|SA|S\.A|SAS|plc|PLC|Co|"
    r"Company|Group|Holdings|LLP|BV|B\.V|NV|N\.V|Pty|KK|Oy|AB|AS|SpA|S\.p\.A)\b\.?"
)


def companies_named(text: str, *, known: Sequence[str] = (), own: str = "") -> list[str]:
    """The companies an entry's explanation names that are not the vendor's own: a name with a
    legal form ("Globex Corp") the vendor's published sources (`own`) never mention, or a customer
    the ledger knows (`known`). An explanation written for one customer may name it; another
    customer must never read it."""
    # (the vendor's own entities, "OpenAI Ireland Limited", open with the name its pages use most)
    vendor = _vendor_name(own)
    found = [
        name
        for m in _COMPANY.finditer(text)
        if (name := m.group(0).strip()) not in own and not (vendor and name.split()[0] == vendor)
    ]
    found += [name for name in known if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)]
    return list(dict.fromkeys(found))


@lru_cache(maxsize=4)
def _vendor_name(own: str) -> str | None:
    """The vendor's name as its published pages write it: the word they capitalise most (at least
    twenty times) and never write in small letters, not an acronym ("OpenAI"; "ChatGPT" is a product)."""
    if not own:
        return None
    lower = set(re.findall(r"\b[a-z][a-z]+\b", own))
    counts = Counter(re.findall(r"\b[A-Z][a-z]*[A-Z]?[a-z]*[A-Z]*\b", own))
    named = [
        (n, word)
        for word, n in counts.items()
        if n >= 20 and word.lower() not in lower and not word.isupper() and word.lower() not in _PRODUCT_WORDS
    ]
    return max(named)[1] if named else None


def internal_in(kb: KnowledgeBase, text: str | None, customer: str | None = None) -> str | None:
    """What in an entry's explanation is for the team only, or None: a company other than the
    vendor and `customer` (written for one customer, it must never reach another's form), an
    email address, an internal link, a ticket number, a price, a person named as the source, or
    a confidentiality marking. Said without repeating it."""
    if not text:
        return None
    own, customers = _own_names(kb)
    customers = [*customers, *_imported_names(kb, own)]
    known = [name for name in customers if not customer or name.lower() != customer.lower()]
    # a customer the ledger knows as "Globex Corp" is named by "Globex" too
    known += [first for name in known if len(first := name.split()[0]) >= 4 and first[:1].isupper()]
    named = companies_named(text, known=known, own=own)
    if any(not customer or name.lower() not in customer.lower() for name in named):
        return "another company"
    # a customer written small after what was told or sent to it: "same as we told initech", "sent to
    # umbrella corp" (round 97)
    published = _published_words(kb)
    if any(word not in _NOT_A_NAME and word not in published for word in _TOLD_SMALL.findall(text)):
        return "another customer"
    # "autofill suggested training-api-opt-in-only": where an answer came from is the team's (round 96)
    if _LIBRARY_ID.search(text) or any(kb.claim(word) is not None for word in _ID_LIKE.findall(text)):
        return "autofill's own reference"
    for what, pattern in _INTERNAL:
        if what != "another customer":
            if pattern.search(text):
                return what
        # ("OpenAI's DPA form", "the same as OpenAI": the vendor's own name is no other customer)
        elif any(not _the_vendors(match.group(0), own) for match in pattern.finditer(text)):
            return what
    return None


def private_in(
    kb: KnowledgeBase, text: str | None, *, asked: str = "", customer: str | None = None, initial: bool = True
) -> str | None:
    """internal_in, and for a library entry's text on its way into another customer's form, a name
    the vendor's published pages never use ("shared with Wayne under NDA", "Dana from Contoso
    procurement", round 94): a person or a company the team wrote for one customer. `asked`: the
    row, whose own names ("Is Globex data encrypted?") are the customer's."""
    internal = internal_in(kb, text, customer)
    if internal is not None or not text or not _published_words(kb):  # (no pages to tell a name by)
        return internal
    if asked and read_question(asked).kind == "label":
        return None  # "Headquarters address", "Legal entity name": the answer is a name itself
    return UNKNOWN_NAME if unknown_names(kb, text, asked, initial=initial) else None


UNKNOWN_NAME = "a name the published pages never use"
# What an explanation may hold that makes its answer another customer's, not the vendor's own
GIVEN_TO_ANOTHER = frozenset({"another agreement's terms", "another customer"})


# Capitalised words that name no one
_COMMON_CAPITALS = frozenset(
    """january february march april may june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday i yes no
    head chief director manager officer vice president department board committee council lead""".split()
)


def unknown_names(kb: KnowledgeBase, text: str, asked: str = "", *, initial: bool = True) -> list[str]:
    """Names that neither the vendor's published pages nor the row use, in any case: capitalised
    words ("shared with Wayne", "Hooli's CISO was satisfied"; a sentence's first word too, so an
    ordinary word the pages never use costs an explanation, never an answer) and the words of a
    file's name ("soc2-report-for-initech.pdf"). A run of capitalised
    words opening with one the pages use is a title ("Head of Compliance", "the Privacy Office"),
    unless it ends as a company's name does ("Global Health")."""
    published = _published_words(kb)
    row = {w.lower() for w in re.findall(r"[A-Za-z][\w&-]*", asked)}

    def unknown(word: str) -> bool:
        low = word.lower()
        return (
            low not in _COMMON_CAPITALS
            and low not in row
            and not all(
                {part, part + "s", part.removesuffix("s"), part.removesuffix("ed")} & published
                for part in re.split(r"[-&]", low)
                if part
            )
        )

    found = [
        part
        for name in _FILE_NAME.findall(text)
        for part in re.split(r"[-_.\s]+", name)
        if len(part) >= 4 and part.isalpha() and unknown(part)
    ]
    for sentence in re.split(r"(?<=[.!?;:])\s+|\n+|\s+[-\u2013\u2014]\s+", _FILE_NAME.sub(" ", text)):
        words = re.findall(r"[A-Za-z][\w&'\u2019-]*", sentence)
        # runs of capitalised words, each word with whether it may be a name (a sentence's first word
        # too: "Initech received the summary", round 95; a word the pages use is no name wherever it is)
        runs: list[list[tuple[str, bool]]] = []
        last = -2
        for at, word in enumerate(words):
            bare = re.sub(r"['\u2019]s?$", "", word)
            if bare[:1].isupper():
                may = bool(at) or initial or bare != word  # (`initial`: a sentence's first word may be one too)
                if last == at - 1 and runs:
                    runs[-1].append((bare, may))
                else:
                    runs.append([(bare, may)])
                last = at
            elif word.lower() in ("of", "for", "and") and last == at - 1 and runs:
                runs[-1].append((word, False))  # "Head of Compliance": one title
                last = at
        for run in runs:
            capitals = [bare for bare, _ in run if bare[:1].isupper() and not bare.isupper()]
            names = [bare for bare, may in run if may and bare in capitals and unknown(bare)]
            # a run opening with a word the pages use is a title ("Security Steering Committee"), unless
            # it ends as a company's name does; one opening with a name is its department ("Contoso Security")
            titled = bool(capitals) and not unknown(capitals[0])
            if names and (not titled or run[-1][0].lower() in _COMPANY_ENDINGS):
                found += names
    return list(dict.fromkeys(found))


_TOLD_SMALL = re.compile(
    r"\b(?i:told|sent to|gave|given to|promised|as agreed with|agreed with|"
    r"same as(?: for| the| we told| what we told)?)\s+(?:the\s+)?([a-z][a-z&-]{2,})\b"
)
_NOT_A_NAME = frozenset(
    """customers customer clients client them us everyone others all auditors regulators our your their previous
    last above before usual standard other each every any this that it him her you we me legal security sales""".split()
)
# A document's file name: "globex_nda_signed.pdf", "soc2-report-for-initech.pdf"
_FILE_NAME = re.compile(r"\b[\w.-]+\.(?:pdf|docx?|xlsx?|pptx?|csv|zip|txt|msg|eml)\b", re.IGNORECASE)
# Last words of a company's name that the published pages may use as words
_COMPANY_ENDINGS = frozenset(
    """enterprises industries bank banks systems labs laboratories technologies partners capital health healthcare
    solutions group holdings ventures consulting motors airlines insurance pharma pharmaceuticals foods energy media
    networks software dynamics financial services university hospital clinic""".split()
)


_PUBLISHED: dict[int, tuple[KnowledgeBase, frozenset[str]]] = {}


def _published_words(kb: KnowledgeBase) -> frozenset[str]:
    """Every word of the vendor's published sources and of its claims (their sentences and the
    questions they answer: the words questionnaires use), lower-cased, read once per base."""
    kept = _PUBLISHED.get(id(kb))
    if kept is None or kept[0] is not kb:
        published = _own_names(kb)[0]  # (with no page to tell a name by, no word is known: see private_in)
        claims = " ".join(f"{c.answer_text} {' '.join(q.q for q in c.questions)}" for c in kb.claims)
        own = f"{published} {claims}".lower() if published else ""
        kept = (kb, frozenset(re.findall(r"[a-z0-9]+", own)))
        _PUBLISHED.clear()
        _PUBLISHED[id(kb)] = kept
    return kept[1]


_LIBRARY_ID = re.compile(r"\blib-[0-9a-f]{6,}\b")
_ID_LIKE = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b")


def _the_vendors(said: str, own: str) -> bool:
    """Whether the capitalised names in `said` are all words of the vendor's own published text."""
    names = [w for w in re.findall(r"\b[A-Z][\w&-]+", said) if w.lower() not in ("same", "sales", "we")]
    return bool(names) and all(re.search(rf"\b{re.escape(n)}\b", own) for n in names)


_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)"
CUSTOMERS_NOTE = "the customer's own note"
_INTERNAL = (
    ("an email address", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    (
        "an internal link",
        re.compile(
            r"\b[\w.-]*(?:intranet|wiki|confluence|jira|sharepoint|atlassian)[\w.-]*\.[a-z]{2,}|"
            r"\b[\w-]+(?:\.[\w-]+)*\.(?:local|corp|internal|lan|intra)\b",
            re.I,
        ),
    ),  # fmt: skip
    (
        "a ticket number",
        # "SEC-1423", "ticket PRIV-77"; not AES-256, a CCM control "GRC-04" or "PYSEC-2026-597"
        re.compile(
            r"\b(?i:ticket|jira|incident|case|issue|request|change)\s*#?\s*[A-Z][A-Z0-9]{1,9}-\d+\b|"
            r"\b(?!(?:AES|SHA|ISO|IEC|SOC|TLS|SSL|RSA|NIST|SP|PCI|FIPS|CVE|CWE|RFC|HMAC|DES|MD|GCM|EN|BS|CIS|"
            r"ECDSA|ECDHE|DH|P|X|GHSA|PYSEC|OSV|RUSTSEC)-)[A-Z][A-Z0-9]{1,9}-\d{3,6}\b(?!-\d)|"
            # a team's own tracker: "SECOPS-77" (five capitals or more, so no CCM control "GRC-04")
            r"\b(?!(?:ECDSA|ECDHE|GHSA|PYSEC|RUSTSEC)-)[A-Z]{5,10}-\d{2,6}\b(?!-\d)|"
            # round 96: "see Jira SEC 4411", "per legal review #4471"
            r"\b(?!(?:AES|SHA|ISO|IEC|SOC|TLS|SSL|RSA|NIST|SP|PCI|FIPS|CVE|CWE|RFC|HMAC|DES|MD|GCM|EN|BS|CIS|FERPA|"
            r"HIPAA|GDPR|SOX|CCPA|COPPA|GLBA|PII|PHI|CUI|ITAR|EAR|FY|Q|HTTP|HTTPS|IPV|UTC|GMT|USD|EUR|GBP)\b)"
            r"[A-Z]{2,10} \d{3,6}\b|(?<![\w&])#\d{3,}\b"
        ),
    ),  # fmt: skip
    (
        "another agreement's terms",
        re.compile(
            r"\btheir (?:MSA|contract|addendum|SOW|order form|agreement)\b|\bnegotiated\b|"
            # round 96: "Only for Contoso under custom agreement; say No to others", "NOT standard"
            r"\b(?i:custom (?:agreement|terms|deal|contract|arrangement)|non-?standard|not standard|"
            r"say (?:no|yes) to (?:others|everyone else))\b|\b(?i:only for) [A-Z][\w&-]+|"
            # round 97: "built as a one-off for this customer", "under their bespoke agreement; not generally
            # available", "Special arrangement for this customer only", "Answer specific to this deal - do
            # not reuse", "Exception approved for Globex only", "not our standard offering"
            r"\b(?i:one-off|bespoke|not generally available|special arrangement|(?:for )?this (?:customer|client|"
            r"account|deal)(?: only)?|specific to (?:this|that|the) (?:deal|customer|client|account)|do not reuse|"
            r"not our standard|exception (?:approved|granted|made) for|(?:customer|client)-specific)\b"
        ),
    ),
    (
        "a price",
        re.compile(
            r"[$€£]\s?\d|\b\d[\d,.]*\s?[kKmMbB]?\s?(?:USD|EUR|GBP|CHF|JPY|AUD|CAD|dollars|euros|pounds)\b|"
            r"\b(?:USD|EUR|GBP|CHF|JPY|AUD|CAD)\s?\d|~\s?\d[\d,.]*\s?[kKmM]\b|"
            r"\b(?i:pricing|discount|uplift|deal size|priced at|list price|off list|for this account)\b|"
            r"\b(?:ARR|MRR)\b|\b\d+ ?% off\b"
        ),
    ),
    (
        "a person named as the source",
        re.compile(
            r"\b(?:[Pp]er|[Aa]sk|[Cc]ontact|cc|[Hh]andled by|[Aa]pproved by|[Cc]onfirmed by|[Oo]wned by|"
            r"[Ss]igned by|[Aa]ccording to)\s+(?:[A-Z][a-z]+|[A-Z]\.)\s?[A-Z][a-z]+|"
            # "Per Legal", "per Finance", "approved by Head of Security M. Chen", "Owner: jdoe", "@jdoe"
            r"\b[Pp]er (?:[A-Z][a-z]+|[A-Z]{2,})\b|"
            # "approved by Sam", "checked by legal"; not "approved by our CISO", "by management" (round 67)
            r"\b(?i:approved|signed off|confirmed|reviewed|checked|ok'?d|okayed) by (?:(?!(?i:our|the|an?|its|their|"
            r"management|senior|executive|system|data|security|external|independent|internal|annual|qualified)\b)"
            r"[A-Z][a-z]+\b|(?i:legal|counsel|sales|finance|procurement|me|us)\b)|"
            r"\b(?i:owner|assignee|reviewer|approver|contact|poc)\s*:|(?<![\w.])@[a-z][\w.-]{1,30}\b"
        ),
    ),  # fmt: skip
    (
        "a person's initials or login",
        # round 97: "MW confirmed 3/4.", "J.D. signed off on ...", "Confirmed by RK.", "Signed off by T.N.",
        # "Reviewed (AB) 3/4."
        re.compile(
            r"\b(?!(?:IT|HR|QA|PM|VP|UK|US|EU)\b)[A-Z]{2,3}\s+(?i:confirmed|approved|checked|verified|signed off|"
            r"ok'?d|okayed|reviewed|agreed)\b|\b(?:[A-Z]\.){2,3}\s*(?i:confirmed|approved|checked|verified|signed off|"
            r"reviewed|agreed)\b|\b(?i:confirmed|approved|checked|verified|reviewed|signed off|ok'?d) by\s+"
            r"(?:(?!(?:IT|HR|QA|EU|US|UK)\b)[A-Z]{2,3}|(?:[A-Z]\.){1,3}[A-Z]?)(?=[\s.,;)]|$)|"
            r"\b(?i:reviewed|approved|checked|confirmed|signed off)\s*\([A-Z]{2,3}\)"
        ),
    ),  # fmt: skip
    (
        "an internal reference",
        # "openai/infra-security#412", "acct_8FJ2k3Lq9", "cus_9f8e7d6c5b", "10.12.4.7", "2001:db8::1",
        # "PO 4500012345" (round 97)
        re.compile(
            r"\b[\w.-]+/[\w.-]+#\d+\b|\b[a-z]{2,6}_(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{6,}\b|"
            r"\b(?:10|127|192\.168|172\.(?:1[6-9]|2\d|3[01]))(?:\.\d{1,3}){2,3}\b|"
            r"\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?\b|\bPO\s*#?\s*\d{4,}\b"
        ),
    ),  # fmt: skip
    (
        "a team channel",
        re.compile(r"\b(?i:slack|teams channel|ms teams|mattermost)\b|(?<![\w&])#[a-z][\w-]{2,}"),
    ),
    (
        "a draft's wording",
        re.compile(
            r"\b(?i:draft|pending (?:sign-?off|approval|review|legal)|tbc|tbd|to be (?:confirmed|decided)|"
            r"not yet (?:approved|confirmed)|check with)\b"
        ),
    ),
    (
        "a lawyer's advice",
        re.compile(
            r"\b(?:[Ll]egal|[Cc]ounsel|[Ll]awyers?|[Aa]ttorneys?)\s+(?:says|said|advised?|advises|wants|asked|"
            r"recommends?|approved|confirmed|reviewed|to (?:confirm|review|decide))\b|"
            r"\b(?i:per counsel|outside counsel|general counsel|legal (?:hold|advice))\b"
        ),
    ),  # fmt: skip
    (
        "the team's own view of the answer",
        # "Honestly, two highs are still open", "Not really enforced yet, but we say Yes", "don't offer that"
        re.compile(
            r"\b(?:honestly|we say|not really|still open|fix pending|if (?:asked|questioned)|not (?:yet )?public|"
            r"(?:not yet|un)announced|(?:don'?t|do not) (?:share|offer|mention|tell|promise|commit)|deal desk|"
            r"concession|copied from|vacant|round(?:ed)? (?:up|down))\b|"
            r"^\s*\(?internal\s*(?:note\b|only\b|[:)\-\u2013])",
            re.I,
        ),
    ),  # fmt: skip
    (
        "another customer",
        # "Same answer we gave Globex", "Adventure Works asked for this too", "the Initech RFP response"
        re.compile(
            r"\b(?:we )?gave [A-Z][\w&-]+|\b[A-Z][\w&-]+(?: [A-Z][\w&-]+)? asked (?:for|us)\b|"
            # round 96: "Adventure Works got the same answer", "from the Contoso Bank questionnaire"
            r"\b[A-Z][\w&-]+(?: [A-Z][\w&-]+)? (?:got|received|had|has) the same\b|"
            r"\b(?:from|for|in) the [A-Z][\w&-]+(?: [A-Z][\w&-]+)? "
            r"(?:RFP|RFI|RFQ|questionnaire|response|deal|contract|renewal|review)\b|"
            r"\b[Qq]uoted [A-Z][\w&-]+|\b[A-Z][\w&-]+'s (?:contract|MSA|DPA|deal|terms|order form)\b|"
            # "Sales promised this to Globex", "same as what we told Initech", "same as Acme" (round 67)
            r"\b(?i:promised|told|sold|offered|gave)(?: \w+){0,2} (?:to )?[A-Z][\w&-]+|"
            r"\b(?i:same as)(?: what we told)? [A-Z][\w&-]+"
        ),
    ),  # fmt: skip
    (
        CUSTOMERS_NOTE,
        # a cell the customer had filled in ("Customer note: not applicable to cloud vendors"), imported
        # with the vendor's answers (round 64 wrote it into another customer's form)
        re.compile(
            r"^\W*(?:customer|client|buyer|purchaser|requester|requestor)(?:'s)?\s+(?:note|comment|remark|response|answer)s?\b"
            r"|\b(?:note|comment|remark)s?\s+(?:from|by)\s+(?:the\s+)?(?:customer|client|buyer|purchaser)\b"
            # round 67: "Comment from Acme:", "Note from requester:", "[Acme InfoSec] ...", "Reviewer note (Acme):",
            # "cust. comment:", "CLIENT: ...", "We (the customer) require", "Our requirement:", "Answer required by"
            r"|^\W*(?:comment|note|remark|feedback)s?\s+from\b|\b(?:note|comment)s?\s+from\s+(?:the\s+)?requester\b"
            r"|^\s*\[[^\]]{2,40}\]|\breviewer'?s? (?:note|comment)|\bcust\.? (?:note|comment)"
            r"|^\W*(?:client|customer)\s*:|\((?:the )?(?:customer|client)\)|\bour requirements?\b"
            r"|\brequested by (?:the )?(?:customer|client|requester)"
            r"|\bfrom the (?:customer|client)'?s?\b|\banswer required by\b|\bplease (?:upload|attach|provide|send)\b"
            r"|\b(?:high|low|medium) priority item\b|\bwe expect\b|\bquestion added by\b"
            # the buyer speaking of its vendors: "per our vendor standard VS-12", "for tier-1 vendors"
            r"|\bour (?:vendor|supplier|tprm|third[- ]party) (?:standard|policy|program|programme|requirements?)\b"
            r"|\b(?:for|of) (?:all |tier[- ]?\d )?(?:vendors|suppliers)\b",
            re.IGNORECASE,
        ),
    ),  # fmt: skip
    (
        "a note to the team",
        # round 63 sent "Bob says fine", "Note to self: consumer-only claim, check before sending",
        # "TODO confirm with legal" and "(int.) we are not sure this is still true" to customers
        re.compile(
            # round 94: "Wait - check" typed after a No
            r"^\W*(?i:wait)\b|(?:^|[-\u2013\u2014:]\s*)(?i:check)\W*$|"
            r"\b(?i:note to self|notes? for (?:the team|us|later)|todo|to-?do:|fixme|not sure|unsure|i think|"
            r"we think|i believe|we believe|probably|maybe|double[- ]check|sanity[- ]check|"
            r"check (?:before|again|first|this|that)|verify (?:before|again|first|this|that)|confirm (?:before|with)|"
            r"before sending|still true|fyi|nb|pls|plz|placeholder|guess|guessing|unverified|not verified|"
            # ("a sign-off process" is the vendor's practice; "need sign-off from legal" a draft's)
            r"awaiting|waiting (?:on|for)|(?:need|needs|needed|pending|get|getting) (?:\w+ )?sign-?off|"
            r"hasn'?t (?:been )?signed|not (?:yet )?signed off|don'?t send|do not send|"
            r"not (?:100 ?%|fully|entirely) sure|as discussed|standup|stand-up|fix (?:the )?wording|t0d0|xxx|"
            r"ask (?:legal|counsel|sales|security|compliance|the team)|internal audit|(?:he|she|they)'?s fine)\b|"
            r"\bw/\s|"
            # "Bob OK'd", "Priya confirmed.", "Jenny from compliance will confirm", "(Bob checked)", "from Tom"
            r"\b[A-Z][a-z]+ (?:OK'?d|ok'?d|okayed|approved|confirmed|checked|verified|will (?:confirm|check|verify))\b|"
            r"\b[A-Z][a-z]+ from (?i:legal|compliance|security|sales|finance|procurement|it|the \w+ team)\b|"
            r"\b(?i:confirmation|approval|sign-?off|ok|okay|go-ahead|input|reply) from [A-Z][a-z]+\b|"
            r"\((?i:int)\.?\)|^\s*(?i:int)\.?\s*:|"
            r"\b[A-Z][a-z]+ (?:says|said|thinks|reckons|agrees|agreed|okayed|ok'?d|signed off)\b"
        ),
    ),  # fmt: skip
    (
        "a person named as the one who knows",
        # "Priya owns this", "tracked by Sarah Chen", "Confirmed with Tom", "ask Priya", "Jane Doe is covering"
        re.compile(
            r"\b(?i:tracked|covered) by\s+[A-Z][a-z]+|"
            r"\b(?i:confirmed with|ask|ping|call)\s+[A-Z][a-z]+\b|"  # ("check with" is a draft's wording)
            # round 96: "checked with Dana Whitfield in Legal", "approved by dwhitfield" (a login)
            r"\b(?i:checked|verified|discussed|agreed|cleared) with\s+[A-Z][a-z]+\b|"
            r"\b(?i:approved|signed off|confirmed|reviewed|checked|ok'?d|okayed) by [a-z]+\d*[._]?[a-z]*\d*\b"
            r"(?<!\bmanagement)(?<!\blegal)(?<!\bcounsel)(?<!\bsales)(?<!\bfinance)(?<!\bprocurement)(?<!\bauditors)"
            r"(?<!\bour)(?<!\bthe)(?<!\ban)(?<!\ba)(?<!\bits)(?<!\btheir)(?<!\bsecurity)(?<!\bexternal)"
            r"(?<!\bindependent)(?<!\binternal)(?<!\bme)(?<!\bus)(?<!\bcompliance)(?<!\bleadership)|"
            r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:owns|is covering|is handling|will confirm|knows|is on it)\b|"
            r"\b(?i:call me)\b"
        ),
    ),  # fmt: skip
    (
        "an internal system",
        # IP addresses and ranges, account ids, request numbers, shared drives, short links, document links
        re.compile(
            # (an address or a range; not a list of control numbers such as "6.4.5.2" or "6.04.01")
            rf"\b(?:{_OCTET}\.){{3}}{_OCTET}/\d{{1,2}}\b|\b(?=[\d.]{{12,15}}\b)(?:{_OCTET}\.){{3}}{_OCTET}\b|"
            r"\b\d{4}-\d{4}-\d{4}\b|\b\d{12}\b|"
            r"\b(?:RITM|INC|CHG|REQ|TASK|PRB)\d{5,}\b|\b(?i:case|ticket|incident|request) #?\d{3,}\b|"
            r"\b[A-Z]:\\|\\\\\w|\b(?i:shared drive|network drive)\b|(?<![\w/.])go/[\w-]+|"
            r"\b(?:docs|drive|sheets)\.google\.com\b|\bnotion\.so\b|\bdropbox\.com\b|\bbox\.com/s/|"
            r"\+\d[\d\s().-]{7,}\d"
        ),
    ),  # fmt: skip
    (
        "a confidentiality marking",
        re.compile(
            r"\b(?:confidential|internal(?: use)? only|do not (?:share|disclose|forward)|"
            r"not for (?:external|customer)|legally privileged|attorney-client)\b",
            re.I,
        ),
    ),  # fmt: skip
)


_OWN: dict[int, tuple[KnowledgeBase, str, list[str]]] = {}


# Words of an imported questionnaire's title or file name that name no customer.
_TITLE_WORDS = frozenset(
    """questionnaire questionnaires assessment assessments vendor vendors security review reviews
    completed complete answers answered filled final draft copy version export template templates
    lite core full form forms survey due diligence tprm risk third party response responses supplier
    suppliers rfp rfi rfq sig caiq hecvat vsaq soc privacy information infosec cyber data protection
    annual update updated xlsx docx the and for of our from ddq vra tpsa submission submitted signed received
    returned sent customer customers client clients results """.split()
)


def _imported_names(kb: KnowledgeBase, own: str) -> list[str]:
    """The names an imported questionnaire's title or file gives its customer ("Fabrikam security
    review 2025"): words the vendor's published text never uses, nor questionnaires' own words."""
    kept = _IMPORTED.get(id(kb))
    if kept is not None and kept[0] is kb:
        return kept[1]
    names: list[str] = []
    published = own.lower()
    for source in kb.library_sources.values():
        if source.kind != "imported":
            continue
        # a name as the title writes it, capitalised (a file name's "enterprise" is no one's); a file
        # named all in small letters ("contoso-ddq-2026.xlsx", round 94) names its customer so too
        said = [source.title] + ([re.sub(r"[-_.]+", " ", Path(source.file).stem)] if source.file else [])
        words = [w for text in said for w in re.findall(r"[A-Z][A-Za-z&'-]{3,}|\b[a-z][a-z&']{3,}", text)]
        # the answering company writes its own name all through its answers ("WhitePact encrypts ...",
        # in 33 of a filled CAIQ's 263 rows); another customer's comes up in a few
        said_by = [f"{e.answer} {e.comment or ''}".lower() for e in kb.library if e.source == source.id]
        for word in words:
            low = word.lower()
            if (
                low not in _TITLE_WORDS
                and low not in _PRODUCT_WORDS
                and not re.search(rf"\b{re.escape(low)}\b", published)
                and not _answering_company(low, said_by)
            ):
                names.append(word if word[:1].isupper() else word.capitalize())
    _IMPORTED.clear()
    _IMPORTED[id(kb)] = (kb, list(dict.fromkeys(names)))
    return _IMPORTED[id(kb)][1]


_IMPORTED: dict[int, tuple[KnowledgeBase, list[str]]] = {}


def _answering_company(name: str, said_by: Sequence[str]) -> bool:
    """Whether a name of an imported file is the company that answered it: named in its own answers
    again and again (at least five of them, and one in twenty)."""
    named = sum(1 for text in said_by if name in text)
    return named >= 5 and named * 20 >= len(said_by)


# The words of the vendor's product names: "ChatGPT Enterprise answers" names no customer.
_PRODUCT_WORDS = frozenset(word.lower() for title in PRODUCTS.values() for word in re.findall(r"[A-Za-z]+", title))


def _own_names(kb: KnowledgeBase) -> tuple[str, list[str]]:
    """The vendor's published text and the ledger's customers, read once per base."""
    kept = _OWN.get(id(kb))
    if kept is None or kept[0] is not kb:
        from autofill import ledger

        kept = (kb, "\n".join(source.text for source in kb.sources.values()), ledger.customers())
        _OWN.clear()
        _OWN[id(kb)] = kept
    return kept[1], kept[2]


def _elsewhere(question: str, section: str | None, entry: LibraryEntry) -> str | None:
    """Why a row that leans on its context is not the entry's question, if it is not."""
    if not leans_on_context(question) and not leans_on_context(entry.question):
        return None
    if follow_up(question):
        return "a follow-up of another row: it asks what the row before it asks"
    if entry.section and section and question_key(entry.section) == question_key(section):
        return None
    if not section and not entry.section:
        return "it leans on the rows around it, and neither it nor the answered question has a section to compare"
    return f"asked under '{section or 'no section'}', the answered question under '{entry.section or 'no section'}'"


def _qid(qid: str | None) -> str:
    return re.sub(r"\s+", "", qid or "").upper()


def _one_word_apart(a: str, b: str) -> bool:
    """At most one meaningful word added, dropped or changed either way."""
    left, right = _content(a), _content(b)
    return len(left - right) <= 1 and len(right - left) <= 1


def _reworded(key: str, other: str) -> str:
    """How the question's meaningful words differ from an entry's, for the reviewer: "similar
    wording; it says 'oidc' where the answered question said 'saml'"."""
    asked, said = _content(key), _content(other)
    added, dropped = " ".join(sorted(asked - said)), " ".join(sorted(said - asked))
    if added and dropped:
        return f"similar wording; it says '{added}' where the answered question said '{dropped}'"
    if added:
        return f"similar wording; it adds '{added}'"
    return f"similar wording; it leaves out '{dropped}'" if dropped else "similar wording"


def _substituted(question: str, key: str, other: str) -> str | None:
    """A telling word put in the place of another ("a private, invite-only bug bounty" for "a public
    one", "Processing Integrity" for "Privacy"), or a name the entry never says ("in Australia"):
    another question, whose answer a reviewer would take for this one's (round 94 was offered such
    Yes and No answers at 60-70). Words of a questionnaire's wording ("perform", "offer") do not count."""
    wording = wording_words()
    asked, said = _content(key), _content(other)
    added, dropped = sorted(asked - said - wording), sorted(said - asked - wording)
    if added and dropped:
        return f"it says '{' '.join(added)}' where the answered question said '{' '.join(dropped)}'"
    names = [w for w in re.findall(r"(?<=\w )[A-Z][a-z]+", question_proper(question)) if w.lower() in added]
    return f"it names {', '.join(names)}, which the answered question does not" if names else None


def _content(key: str) -> frozenset[str]:
    """The meaningful words of a question key: wordings with the same ones differ only in form
    ("all", "each", "only" and the like count: "MDM on all laptops?" is not "MDM on laptops?")."""
    return frozenset(word for word in key.split() if word not in STOPWORDS or word in _COUNTED)


_COUNTED = NEGATIONS | frozenset({"all", "every", "each", "any", "some", "only", "none", "no", "both", "either"})


# --- meaning: a conservative stand-in for reading.differences (issue 10) ----------------------

_NEGATIONS = frozenset("not no never none without cannot nor neither unable prohibit prohibited".split())
_FREQUENCY = {
    "hourly": "hourly", "daily": "daily", "day": "daily", "weekly": "weekly", "week": "weekly",
    "monthly": "monthly", "month": "monthly", "quarterly": "quarterly", "quarter": "quarterly",
    "annually": "yearly", "annual": "yearly", "yearly": "yearly", "year": "yearly", "biannual": "half-yearly",
    "semiannual": "half-yearly", "biannually": "half-yearly", "continuous": "continuous",
    "continuously": "continuous", "realtime": "continuous", "periodically": "periodic", "periodic": "periodic",
    "regularly": "periodic", "regular": "periodic", "once": "once", "twice": "twice",
}  # fmt: skip
_PARTIES = {
    "vendor": "you/vendor", "you": "you/vendor", "your": "you/vendor", "supplier": "you/vendor",
    "subprocessor": "third party", "processor": "third party", "party": "third party",
    "provider": "third party", "subcontractor": "third party", "contractor": "third party",
    "outsourced": "third party", "supplier's": "third party", "fourth": "third party",
    "customer": "customer", "we": "customer", "our": "customer", "us": "customer",
    "institution": "customer", "client": "customer", "university": "customer", "tenant": "customer",
}  # fmt: skip
_PARTY_PLURALS = frozenset(word + "s" for word in _PARTIES)
_STANDARD_PATTERN = (
    r"\b(?:iso\s?/?\s?(?:iec\s?)?\d{4,5}|soc\s?[123i]+|type\s?(?:[12]|ii?)|nist(?:\s?(?:sp\s?)?[\d-]+)?|pci(?:[\s-]?dss)?|"
    r"hipaa|gdpr|ccpa|ferpa|fedramp|cmmc|sox|hitrust|csa\s?star|fips\s?[\d-]+|wcag|vpat|tls\s?v?[\d.]*|"
    r"ssl|cis|owasp|coppa|glba|sig|caiq|hecvat)\b"
)


@lru_cache(maxsize=1)
def _standards_pattern() -> re.Pattern[str]:
    return re.compile(_STANDARD_PATTERN, re.IGNORECASE)  # compiled on first use: fill's start-up stays quick


_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")


def _meaning_differs(a: str, b: str) -> list[str]:
    """Reasons two questions do not ask the same thing; empty when none is seen.

    The question reading's differences (whose practice, the customer's paper, frequency, whose
    organisation) and, stricter still, any difference in negation words, numbers, standards,
    frequency words or the parties named at all: a past answer is reused only for the same question.
    """
    from autofill.reading import differences

    first, second = _reading(a), _reading(b)
    own = [reason for reason, x, y in zip(_REASONS, first, second, strict=True) if x != y]
    return own + [reason for reason in differences(a, b) if reason not in own]


_REASONS = (
    "tense or mood differs",
    "negation differs",
    "numbers differ",
    "standard or version differs",
    "frequency differs",
    "whose practice differs (vendor, third party or customer)",
)


@lru_cache(maxsize=16384)
def _reading(text: str) -> tuple[object, ...]:
    """What _meaning_differs compares, per question: negation, numbers, standards, frequency, parties."""
    words = _words(text)
    opening = re.match(r"\W*(\w+)", question_proper(text).lower())
    return (
        _MOOD.get(opening.group(1) if opening else "", "present"),
        (frozenset(words & _NEGATIONS), _negated_verb(text), "not" in question_key(text).split()),
        frozenset(_NUMBER.findall(_standards_pattern().sub(" ", text))),
        frozenset(_standards(text)),
        frozenset(_FREQUENCY[w] for w in words & _FREQUENCY.keys()),
        frozenset(_parties(text, words)),
    )


def _directions(text: str) -> frozenset[str]:
    return frozenset(_words(text) & _DIRECTIONS)


# Words that say which way a thing goes or who acts: "training provided by employees" is not
# "provided to employees", "data sent from the EU" not "to the EU" (round 28).
_DIRECTIONS = frozenset(
    {"by", "to", "from", "for", "with", "without", "into", "onto", "within", "outside", "inside", "before",
     "after", "over", "under", "against", "via", "through", "between", "toward", "towards", "except"}
)  # fmt: skip


# The opening auxiliary's tense or mood: "Did you have ...?" asks of the past, "Would you ...?",
# "Could you ...?" of a willingness or a possibility, not whether it is so.
_MOOD = {
    "did": "past", "was": "past", "were": "past", "had": "past",
    "will": "future", "shall": "future",
    "would": "would", "could": "could", "should": "should", "might": "may", "may": "may", "must": "must",
}  # fmt: skip


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", text.lower().replace("-", "").replace("\u2019", "'")))


def _negated_verb(text: str) -> bool:
    return bool(re.search(r"n't\b|n\u2019t\b", text.lower()))


def _standards(text: str) -> set[str]:
    return {re.sub(r"[\s/-]", "", m.group(0).lower()) for m in _standards_pattern().finditer(text)}


def _parties(text: str, words: set[str]) -> set[str]:
    lowered = text.lower().replace("-", " ")
    found = {_PARTIES[w] for w in words & _PARTIES.keys() if w != "party"}
    found |= {_PARTIES[w[:-1]] for w in words & _PARTY_PLURALS}
    if re.search(r"\bthird\s+part(?:y|ies)\b", lowered):
        found.add("third party")
    return found


# --- checks: conflicts and stale entries ---------------------------------------------------------


def _fits(entry: LibraryEntry, product: str | None) -> bool:
    """Whether an entry answers for `product` (None: a form about no one product): it was given for it, or for all."""
    return entry.product is None or product is not None and product in products_covered((entry.product,), PLANS)


def current_entries(kb: KnowledgeBase) -> dict[tuple[str | None, str], LibraryEntry]:
    """Each entry fill uses now, by the product it was given for and its question key: the newest answer
    to a question for that product (or for every product)."""
    found: dict[tuple[str | None, str], LibraryEntry] = {}
    for product in dict.fromkeys([None, *(e.product for e in kb.library if e.product)]):
        for entry in Library(kb, product=product).entries.values():
            if entry.product == product:
                found[(product, entry.key or entry.question)] = entry
    return found


def library_conflicts(kb: KnowledgeBase) -> list[str]:
    """The same question answered differently by entries of the same date, one line each."""
    library = Library(kb)
    seen: dict[tuple[str, str], LibraryEntry] = {}
    found = []
    for entry in kb.library:
        key = (question_key(entry.question), library.entry_date(entry))
        other = seen.setdefault(key, entry)
        if other is not entry and _answer_key(other.answer) != _answer_key(entry.answer):
            found.append(
                f"{_where(entry)}: answers {entry.answer[:40]!r} but {_where(other)} answers "
                f"{other.answer[:40]!r} on the same date ({key[1] or 'undated'}) for {entry.question[:80]!r}; "
                "delete the wrong one"
            )
    return found


def stale_entries(kb: KnowledgeBase, *, max_age_days: int = MAX_AGE_DAYS) -> list[str]:
    """Current entries older than `max_age_days` (offered for review, not written), one line each."""
    library = Library(kb, max_age_days=max_age_days)
    return [
        f"{_where(entry)}: from {library.entry_date(entry) or 'an unknown date'}, older than {max_age_days} days: "
        f"{entry.question[:80]!r}"
        for entry in library.entries.values()
        if library.is_stale(entry)
    ]


def _answer_key(answer: str) -> str:
    return " ".join(answer.lower().split())


def _where(entry: LibraryEntry) -> str:
    return f"{LIBRARY_DIR}/{entry.source}.yaml" + (f" line {entry.line}" if entry.line else "")


# --- attestations: answers typed by reviewers ----------------------------------------------------

_ATTESTED_HEADER = """\
# Answers typed by hand in 'autofill review' and 'autofill apply': the reviewer's attestation,
# with who and when. Reused by 'autofill fill' for the same question; internal (a customer's form
# gets the answer and its note, never the reviewer's name). Edit or delete entries freely.
"""


@dataclass(frozen=True)
class Attestation:
    """One answer a reviewer typed: the question, the answer and why, by whom and when."""

    question: str
    answer: str
    qid: str | None = None
    comment: str | None = None
    who: str | None = None
    when: str | None = None
    section: str | None = None  # the section it was asked under
    product: str | None = None  # the product the review was for (--product), if any


def attested_file(learned: Path) -> Path:
    """Where typed answers are kept: the library folder beside the learned file."""
    return learned.parent / LIBRARY_DIR / f"{ATTESTED}.yaml"


def append_attested(path: Path, attestations: Sequence[Attestation]) -> int:
    """Add reviewers' typed answers to the attestation source at `path`; return how many were new."""
    import yaml
    from filelock import FileLock

    from autofill.atomic import write_bytes_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path.with_name(f".{path.name}.lock")), timeout=30):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
        entries = list(data.get("entries") or []) if isinstance(data, dict) else []
        seen = {(question_key(str(e.get("question"))), str(e.get("answer")), e.get("comment")) for e in entries}
        added = 0
        for item in attestations:
            identity = (question_key(item.question), item.answer, item.comment)
            if identity in seen:
                continue
            seen.add(identity)
            raw: dict[str, Any] = {"id": entry_id(ATTESTED, item.question, len(entries) + 1)}
            if item.qid:
                raw["qid"] = item.qid
            raw |= {"question": item.question, "answer": item.answer}
            if item.section:
                raw["section"] = item.section
            if item.product:
                raw["product"] = item.product
            if item.comment:
                raw["comment"] = item.comment
            raw |= {"who": item.who, "date": (item.when or dt.date.today().isoformat())[:10]}
            entries.append(raw)
            added += 1
        if added:
            source = {"id": ATTESTED, "title": "Answers typed in review", "kind": "attestation"}
            body = {"source": source | {"visibility": "internal"}, "entries": entries}
            text = _ATTESTED_HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)
            write_bytes_atomic(path, text.encode("utf-8"))
    return added
