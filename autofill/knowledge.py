"""Load and validate a knowledge base: cleaned sources, cited claims and learned answers."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from autofill.errors import KnowledgeBaseError
from autofill.models import (
    ANSWERS,
    PRODUCTS,
    Answer,
    Citation,
    Claim,
    KnowledgeBase,
    LearnedAnswer,
    Phrasing,
    Source,
)
from autofill.text import normalize, question_key

MIN_PHRASINGS = 5
LEARNED_FILE = "learned.yaml"
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def default_kb_dir() -> Path:
    """The shipped knowledge base: inside the installed package, else the repository's."""
    packaged = Path(__file__).resolve().parent / "_knowledge"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "knowledge"


def load_knowledge(root: Path | None = None) -> KnowledgeBase:
    """Load the base at `root` (default: the shipped one); raise on its first problem."""
    from autofill import index_cache

    root = root or default_kb_dir()
    cached = index_cache.load(root, base_files(root))
    if cached is not None:
        return cached
    kb, problems = _load(root)
    if problems:
        more = f" (and {len(problems) - 1} more problems; run 'autofill knowledge check')" if len(problems) > 1 else ""
        raise KnowledgeBaseError(problems[0][0], problems[0][1], problems[0][2] + more)
    index_cache.remember(kb)
    return kb


def load_own_knowledge(root: Path | None = None) -> KnowledgeBase:
    """The base from its own files only (claims, sources, its own learned.yaml), not the user data folder's.

    For measuring: what a reviewer taught this machine must not change `autofill evaluate`'s figures.
    """
    root = root or default_kb_dir()
    kb, problems = _load(root, learned_files=(root / LEARNED_FILE,))
    if problems:
        more = f" (and {len(problems) - 1} more problems; run 'autofill knowledge check')" if len(problems) > 1 else ""
        raise KnowledgeBaseError(problems[0][0], problems[0][1], problems[0][2] + more)
    return kb


def check_knowledge(root: Path | None = None) -> tuple[KnowledgeBase, list[str]]:
    """Validate the base and return it with every problem found, one line each."""
    kb, problems = _load(root or default_kb_dir(), stale=True)
    return kb, [str(KnowledgeBaseError(path, claim_id, problem)) for path, claim_id, problem in problems]


def init_knowledge(target: Path, *, empty: bool = False) -> None:
    """Copy the shipped base into `target` (which must not exist yet); `empty`: no claims, a library only."""
    import shutil

    if target.exists() and any(target.iterdir()):
        raise KnowledgeBaseError(target, None, "already exists and is not empty; choose a new folder")
    if empty:
        from autofill.library import LIBRARY_DIR

        for folder in ("claims", "sources", LIBRARY_DIR):
            (target / folder).mkdir(parents=True, exist_ok=True)
        return
    shutil.copytree(default_kb_dir(), target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(LEARNED_FILE))


def learned_file(root: Path | None = None) -> Path:
    """Where reviewers' decisions are recorded: in the base, or for the shipped one in the user's data folder."""
    if root is None or root.resolve() == default_kb_dir().resolve():
        import platformdirs

        # the shipped base is installed read-only and replaced on upgrade
        return Path(platformdirs.user_data_dir("autofill")) / "knowledge" / LEARNED_FILE
    return root / LEARNED_FILE


def base_files(root: Path) -> list[Path]:
    """Every file a base is read from: claims, sources, library, then its learned files (which may not exist yet)."""
    from autofill.library import library_files, library_folders

    claims_and_sources = sorted([*root.glob("claims/*.yaml"), *root.glob("sources/*.yaml")])
    library = library_files(library_folders(root, learned_file(root)))
    return [*claims_and_sources, *library, *_learned_files(root)]


def _learned_files(root: Path) -> tuple[Path, ...]:
    return tuple(dict.fromkeys((root / LEARNED_FILE, learned_file(root))))  # the base's own, then the user's


def knowledge_stamp(root: Path | None = None) -> tuple[tuple[str, int, int], ...]:
    """What changes when the base does (file names, sizes, modification times): cheap to poll."""
    stamp = []
    for path in base_files(root or default_kb_dir()):
        try:
            info = path.stat()
        except OSError:
            continue  # no learned file yet
        stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def quote_in_source(quote: str, source: Source) -> bool:
    """True when `quote` occurs in the source text; only whitespace may differ."""
    return _squash(quote) in _squash(source.text)


# --- loading -----------------------------------------------------------------------------

_Problem = tuple[Path, str | None, str]


def _load(
    root: Path, *, stale: bool = False, learned_files: tuple[Path, ...] | None = None
) -> tuple[KnowledgeBase, list[_Problem]]:
    problems: list[_Problem] = []
    if not (root / "claims").is_dir() or not (root / "sources").is_dir():
        where = root / "claims"
        problems.append((where, None, "not found: a knowledge base needs claims/ and sources/ folders"))
        return KnowledgeBase(root, {}, ()), problems
    sources = dict(_load_sources(root / "sources", problems))
    claims = list(_load_claims(root / "claims", sources, problems))
    from autofill.library import LIBRARY_DIR, library_folders, load_library

    library_sources, library = load_library(library_folders(root, learned_file(root)), problems, _read_yaml)
    if not claims and not problems and not (root / LIBRARY_DIR).is_dir():
        problems.append((root / "claims", None, "holds no claims; add claims/<topic>.yaml files"))
    _check_claims(claims, sources, problems)
    if stale:  # `knowledge check` only: the matcher never takes such a number as said (matching.Matcher)
        _check_phrasing_keys([c for c in claims if c.current], problems)
    by_id = {c.id: c for c in claims}
    learned: list[LearnedAnswer] = []
    for path in _learned_files(root) if learned_files is None else learned_files:
        if path.exists():
            learned += _load_learned(path, by_id, problems, stale=stale, library={e.id for e in library})
    kb = KnowledgeBase(root, sources, tuple(claims), tuple(learned), tuple(library), library_sources)
    return kb, problems


def _read_yaml(path: Path, problems: list[_Problem]) -> Any:
    import yaml

    from autofill.yamlfile import load_yaml

    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        problems.append((path, None, f"cannot be read ({error}); check the file"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problems.append((path, None, f"is not valid YAML{line}: {getattr(error, 'problem', error)}"))
    return None


def _load_sources(folder: Path, problems: list[_Problem]) -> Iterator[tuple[str, Source]]:
    for path in sorted(folder.glob("*.yaml")):
        data = _read_yaml(path, problems)
        if not isinstance(data, dict):
            if data is not None:
                problems.append((path, None, "must be a mapping with id, title, url, date and text"))
            continue
        missing = [key for key in ("id", "title", "url", "text") if not isinstance(data.get(key), str)]
        if missing:
            problems.append((path, None, f"source is missing {', '.join(missing)}"))
            continue
        date = data.get("date")
        yield (
            data["id"],
            Source(
                id=data["id"],
                title=data["title"],
                url=data["url"],
                date=None if date is None else str(date),
                text=data["text"],
                path=path,
                order=int(data.get("order") or 0),
            ),
        )


def _load_claims(folder: Path, sources: dict[str, Source], problems: list[_Problem]) -> Iterator[Claim]:
    for path in sorted(folder.glob("*.yaml")):
        data = _read_yaml(path, problems)
        if data is None:
            continue
        entries = data.get("claims") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            problems.append((path, None, "must have a top-level 'claims:' list"))
            continue
        for index, entry in enumerate(entries):
            claim = _parse_claim(path, index, entry, sources, problems)
            if claim is not None:
                yield claim


def _parse_claim(
    path: Path, index: int, entry: Any, sources: dict[str, Source], problems: list[_Problem]
) -> Claim | None:
    if not isinstance(entry, dict):
        problems.append((path, f"#{index + 1}", "must be a mapping"))
        return None
    claim_id = entry.get("id")
    if not isinstance(claim_id, str) or not _ID.fullmatch(claim_id):
        problems.append((path, f"#{index + 1}", "needs an 'id:' of lower-case letters, digits and hyphens"))
        return None

    def bad(problem: str) -> None:
        problems.append((path, claim_id, problem))

    answer_text = entry.get("answer_text")
    if not isinstance(answer_text, str) or not answer_text.strip():
        bad("has no answer_text; add the sentence to write into forms")
        answer_text = ""
    products = entry.get("products")
    if not isinstance(products, list) or not products or not all(isinstance(p, str) for p in products):
        bad(f"products must be a list of: {', '.join(PRODUCTS)}")
        products = []
    unknown = [p for p in products if p not in PRODUCTS]
    if unknown:
        bad(f"products has unknown {', '.join(map(repr, unknown))}; use one of: {', '.join(PRODUCTS)}")
    citation = _parse_citation(entry.get("citation"), sources, bad)
    questions = _parse_questions(entry.get("questions"), bad)
    superseded_by = entry.get("superseded_by")
    if superseded_by is not None and not isinstance(superseded_by, str):
        bad("superseded_by must be a claim id or null")
        superseded_by = None
    topic = entry.get("topic")
    if citation is None:
        return None
    return Claim(
        id=claim_id,
        answer_text=" ".join(answer_text.split()),
        products=tuple(products),
        citation=citation,
        questions=tuple(questions),
        superseded_by=superseded_by,
        topic=topic if isinstance(topic, str) else None,
        path=path,
    )


def _parse_citation(raw: Any, sources: dict[str, Source], bad: Any) -> Citation | None:
    if not isinstance(raw, dict):
        bad("has no citation; add 'citation:' with 'source:' and 'quote:'")
        return None
    source_id, quote = raw.get("source"), raw.get("quote")
    if not isinstance(source_id, str) or source_id not in sources:
        bad(f"citation.source {source_id!r} is not a source in sources/; use one of: {', '.join(sorted(sources))}")
        return None
    if not isinstance(quote, str) or not quote.strip():
        bad("citation.quote is empty; copy the passage from the source text")
        return None
    source = sources[source_id]
    if not quote_in_source(quote, source):
        bad(f"citation.quote is not in source '{source_id}'; copy it exactly from the source text: {quote!r}")
    return Citation(source_id, source.title, source.url, source.date, " ".join(quote.split()))


def _parse_questions(raw: Any, bad: Any) -> list[Phrasing]:
    if not isinstance(raw, list):
        bad("has no questions; add at least five 'q:'/'answer:' phrasings")
        return []
    phrasings: list[Phrasing] = []
    for number, item in enumerate(raw, start=1):
        question = item.get("q") if isinstance(item, dict) else None
        answer = parse_answer(item.get("answer")) if isinstance(item, dict) else None
        if not isinstance(question, str) or not question.strip():
            bad(f"questions[{number}] has no 'q:' text")
        elif answer is None:
            bad(f'questions[{number}] answer must be "Yes", "No" or "N/A"')
        else:
            phrasings.append(Phrasing(" ".join(question.split()), answer))
    if len(raw) < MIN_PHRASINGS:
        bad(f"has {len(raw)} question phrasings; write at least {MIN_PHRASINGS}")
    return phrasings


def parse_answer(raw: Any) -> Answer | None:
    """Yes, No or N/A from a YAML value (unquoted Yes/No arrive as booleans), else None."""
    if raw is True:
        return "Yes"
    if raw is False:
        return "No"
    if isinstance(raw, str):
        for answer in ANSWERS:
            if raw.strip().lower() == answer.lower() or (answer == "N/A" and raw.strip().upper() == "NA"):
                return answer
    return None


def _check_claims(claims: list[Claim], sources: dict[str, Source], problems: list[_Problem]) -> None:
    by_id: dict[str, Claim] = {}
    for claim in claims:
        if claim.id in by_id:
            other = by_id[claim.id].path
            problems.append((claim.path or Path("?"), claim.id, f"id is used twice (also in {other}); rename one"))
        by_id.setdefault(claim.id, claim)
    for claim in claims:
        if claim.superseded_by is None:
            continue
        successor = by_id.get(claim.superseded_by)
        where = claim.path or Path("?")
        if successor is None:
            problems.append((where, claim.id, f"superseded_by '{claim.superseded_by}' is not a claim id"))
        elif not successor.current:
            problems.append(
                (where, claim.id, f"superseded_by '{successor.id}' is itself superseded; point at the newest")
            )
        elif sources[successor.citation.source].order <= sources[claim.citation.source].order:
            problems.append(
                (where, claim.id, f"superseded_by '{successor.id}' cites a source that is not newer than this claim's")
            )
    _check_phrasing_conflicts([c for c in claims if c.current], problems)


def _check_phrasing_keys(claims: list[Claim], problems: list[_Problem]) -> None:
    """A phrasing answered Yes states what the claim says: a number, standard or version that
    neither its answer text nor its quote names ("SAML 2.0", "the 2022 revision") would let the
    claim answer Yes to it. (A No phrasing may name another number: "kept for 90 days?" No.)"""
    from autofill.matching import keys_of

    for claim in claims:
        said = keys_of(claim.answer_text) | keys_of(claim.citation.quote)
        for phrasing in claim.questions:
            extra = sorted(keys_of(phrasing.q) - said) if phrasing.answer == "Yes" else []
            if extra:
                problems.append(
                    (
                        claim.path or Path("?"),
                        claim.id,
                        f"phrasing {phrasing.q!r} answers Yes with {', '.join(extra)}, which neither the "
                        "claim's answer_text nor its quote says; reword it or add what the source says",
                    )
                )


def _check_phrasing_conflicts(claims: list[Claim], problems: list[_Problem]) -> None:
    seen: dict[str, list[tuple[Claim, Answer]]] = {}
    for claim in claims:
        for phrasing in claim.questions:
            seen.setdefault(normalize(phrasing.q), []).append((claim, phrasing.answer))
    for key, uses in seen.items():
        for i, (first, first_answer) in enumerate(uses):
            for second, second_answer in uses[i + 1 :]:
                if first_answer != second_answer and _products_overlap(first, second):
                    problems.append(
                        (
                            second.path or Path("?"),
                            second.id,
                            f"phrasing {key!r} answers {second_answer} here but {first_answer} in claim "
                            f"'{first.id}'; reword one or scope them to different products",
                        )
                    )


def _products_overlap(a: Claim, b: Claim) -> bool:
    return "all" in a.products or "all" in b.products or bool(set(a.products) & set(b.products))


def _load_learned(
    path: Path, claims: dict[str, Claim], problems: list[_Problem], *, stale: bool, library: Collection[str] = ()
) -> Iterator[LearnedAnswer]:
    """The reviewers' decisions; a rejection may name an answer library entry (`library`: their ids) too."""
    data = _read_yaml(path, problems)
    entries = data.get("answers", ()) if isinstance(data, dict) else None
    entries = [] if entries is None else entries  # "answers:" with every entry deleted
    if data is not None and not isinstance(entries, list):
        problems.append((path, None, "must have a top-level 'answers:' list"))
        return
    accepted: dict[tuple[str, str], tuple[int, str | None]] = {}  # (question, product) -> the entry that answered it
    for number, entry in enumerate(entries or [], start=1):
        if not isinstance(entry, dict):
            problems.append((path, f"answers[{number}]", "must be a mapping"))
            continue
        decision = entry.get("decision")
        question, claim_id = entry.get("question"), entry.get("claim")
        answer = parse_answer(entry.get("answer")) if entry.get("answer") is not None else None
        if decision not in ("accept", "reject") or not isinstance(question, str) or not isinstance(claim_id, str):
            problems.append((path, f"answers[{number}]", "needs question, claim and decision (accept or reject)"))
            continue
        if decision == "accept" and answer is None:
            problems.append((path, f"answers[{number}]", "an accepted answer needs answer: Yes, No or N/A"))
            continue
        claim = claims.get(claim_id)
        if claim is None and not (decision == "reject" and claim_id in library):
            problems.append((path, f"answers[{number}]", f"names unknown claim '{claim_id}'"))
            continue
        if stale and decision == "accept" and claim is not None and not claim.current:
            # matching already ignores it; only `knowledge check` asks a person to look again
            problems.append(
                (
                    path,
                    f"answers[{number}]",
                    f"answers with claim '{claim_id}', which is superseded by '{claim.superseded_by}', so it is no "
                    f"longer used; review the question again ({question!r}) or delete this entry",
                )
            )
        if stale and decision == "accept":
            # two reviews of one question that disagree: fills use the later one, silently (session 20)
            said = (question_key(question), str(entry.get("product") or ""))
            earlier = accepted.get(said)
            if earlier is not None and earlier[1] != answer:
                problems.append(
                    (
                        path,
                        f"answers[{number}]",
                        f"answers {question!r} {answer}, but answers[{earlier[0]}] answered it {earlier[1]}; fills "
                        "use the later one: delete the entry that is wrong",
                    )
                )
            accepted[said] = (number, answer)
        qid = entry.get("qid")
        yield LearnedAnswer(
            question=" ".join(question.split()),
            claim=claim_id,
            answer=answer,
            decision=decision,
            qid=str(qid) if qid is not None else None,
            who=str(entry["who"]) if entry.get("who") is not None else None,
            when=str(entry["when"]) if entry.get("when") is not None else None,
            product=str(entry["product"]) if entry.get("product") is not None else None,
        )


def _squash(text: str) -> str:
    return " ".join(text.split())
