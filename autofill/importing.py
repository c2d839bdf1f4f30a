"""Import a questionnaire the team already completed into the answer library.

The form is read by the same readers (and layout profiles) as `fill`, so every family fill
reads can be imported: each answered row becomes an entry with its question, id, answer
(Yes / No / N/A, or text), comment and side columns (CAIQ v4 SSRM). Nothing is written until
every row has been read and checked; then the rows' text and the entries are written atomically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from autofill.atomic import write_bytes_atomic
from autofill.choices import meaning
from autofill.errors import AutofillError, FormError
from autofill.forms import format_for
from autofill.library import LIBRARY_DIR, entry_id, extract_text
from autofill.models import PRODUCTS, FormQuestion, ReadOptions
from autofill.reading import column_products, products_named, short_names

# A short answer giving both Yes and No: "Yes for API, No for Team", "Yes/No", "No (API) / Yes (Team)"
_BOTH = re.compile(
    r"^\W*(?:yes|no)\b[^.]*?(?:[,;/(]|\b(?:but|and|or)\b)\s*(?:yes|no)\b"
    r"(?!\s+(?:pii|data|personal|customer|exceptions?|one|more|longer|issues?|known|other)\b)",
    re.IGNORECASE,
)
# The source line autofill writes under a published claim's answer: "Source: Title, 2024-10-31, https://..."
_CITED = re.compile(r"^Source: [^\n]+, https?://\S+", re.MULTILINE)
_DATE_ANSWER = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T][\d:]+)?$")
_FORMULA_START = ("=", "+", "-", "@")


@dataclass
class SheetCount:
    kept: int = 0
    unanswered: int = 0
    dates: int = 0
    published: int = 0  # rows autofill answered from a published page: its claims answer them already
    unsure: int = 0  # answers that are no answer: "No?", "Yes for API, No for Team"


@dataclass(frozen=True)
class ImportResult:
    """What an import did: where it wrote, which date it used and why, and counts per sheet."""

    source_id: str
    path: Path | None  # the library file written; None when nothing changed
    date: str
    date_from: str  # "--date", "the file's modified date", "today"
    entries: int
    sheets: dict[str, SheetCount] = field(default_factory=dict)
    unchanged: bool = False
    # entries by the product they were given for ("" for none named): --product, else the layout's
    products: dict[str, int] = field(default_factory=dict)


def import_questionnaire(
    form: Path, kb_root: Path, *, date: str | None = None, title: str | None = None, product: str | None = None
) -> ImportResult:
    """Read every answered row of `form` into `kb_root/library/<id>.yaml` (and its rows' text)."""
    from autofill.safety import check_package

    module = format_for(form)
    kind = "docx" if form.suffix.lower() == ".docx" else "xlsx"
    check_package(form, kind)
    if date is not None and _parse_date(date) is None:
        raise AutofillError(f"--date {date!r} is not a date; write YYYY-MM-DD")
    data = form.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    read = module.read_questions(form, ReadOptions())
    cells = _cell_texts(form, read.questions) if kind == "xlsx" else _docx_cell_texts(form, read.questions)
    used_date, date_from = _date_of(form, date)
    source_id = _slug(form.stem) + "-" + used_date
    folder = kb_root / LIBRARY_DIR
    target = folder / f"{source_id}.yaml"
    previous = _previous_sha(folder, sha)
    if previous is not None:
        return ImportResult(previous.stem, None, used_date, date_from, 0, unchanged=True)
    if target.exists():
        source_id += "-" + sha[:8]  # another file of that name and date
        target = folder / f"{source_id}.yaml"
    counts: dict[str, SheetCount] = {}
    by_product: dict[str, int] = {}
    titled = products_named(" ".join(t for t in (title, re.sub(r"[-_.]+", " ", form.stem)) if t))
    entries: list[dict[str, object]] = []
    rows: list[tuple[str, Sequence[tuple[str, str]]]] = []
    for question in read.questions:
        sheet = question.location.sheet or (f"table {question.location.table}" if question.location.table else "")
        count = counts.setdefault(sheet or form.name, SheetCount())
        raw = (question.existing or "").strip()
        if not raw:
            count.unanswered += 1
            continue
        if _DATE_ANSWER.match(raw):
            count.dates += 1  # when that form was completed: not an answer to reuse
            continue
        if raw.rstrip().endswith("?") or _BOTH.match(raw):
            # "No?", "Yes for API, No for Team" (round 97 reused the first as a plain No, and wrote the
            # second as Yes): a question or two answers is no answer to reuse
            count.unsure += 1
            continue
        known = meaning(raw)
        answer = known if known is not None and len(raw) <= 16 else raw
        where = f"{sheet}!{question.location.cell}" if sheet else question.location.cell
        if answer.startswith(_FORMULA_START):
            raise FormError(
                form,
                f"{where}: the answer starts with '{answer[0]}', which a spreadsheet would run as a formula; "
                "fix that cell and import again (nothing was imported)",
            )
        part = question.location.sheet or ""
        comment = cells.get((part, question.comment_cell or ""))
        if _CITED.search(f"{raw}\n{comment or ''}"):
            # a form autofill filled (round 94 imported one): the row's answer is a published claim's,
            # with its source line; as "the team's answer" it would shadow the claim in later forms
            count.published += 1
            continue
        side = {name: text for name, cell in question.side_cells if (text := cells.get((part, cell)))}
        for name, text in [("comment", comment or ""), *side.items()]:
            if text.startswith(_FORMULA_START):
                raise FormError(
                    form,
                    f"{where}: the {name} starts with '{text[0]}', which a spreadsheet would run as a formula; "
                    "fix that cell and import again (nothing was imported)",
                )
        entry: dict[str, object] = {"id": entry_id(source_id, question.text, len(entries) + 1), "where": where}
        if question.qid:
            entry["qid"] = question.qid
        entry["question"] = question.text
        section = question.section
        if section:  # "Are they encrypted?" means what its section says
            entry["section"] = section
        if question.voice:  # "Do we control retention?" in a self-assessment is the vendor asking
            entry["voice"] = question.voice
        # the answers were given for one product: no answer for another (round 64); a form that
        # says which in its answer column, headings, sheet or name says it without --product
        given = product or layout_product(question, titled)
        if given:
            entry["product"] = given
        by_product[given or ""] = by_product.get(given or "", 0) + 1
        entry["answer"] = answer
        if comment:
            entry["comment"] = comment
        if side:
            entry["side"] = side
        entries.append(entry)
        fields = [("question", question.text), ("answer", raw), *([("comment", comment)] if comment else [])]
        rows.append((where, [*fields, *side.items()]))
        count.kept += 1
    if not entries and any(count.published for count in counts.values()):
        raise FormError(
            form,
            "every answer in it was written by autofill from the published pages (its source lines say so), "
            "which answer those questions already; import the copy your team completed",
        )
    if not entries:
        raise FormError(form, "no answered questions found; import a questionnaire that has answers in it")
    header = {
        "id": source_id,
        "title": title or form.stem,
        "date": used_date,
        "kind": "imported",
        "visibility": "internal",
        "file": form.name,
        "sha256": sha,
    }
    text = _COMMENT.format(name=form.name) + yaml.safe_dump(
        {"source": header, "entries": entries}, sort_keys=False, allow_unicode=True, width=100
    )
    folder.mkdir(parents=True, exist_ok=True)
    # the rows' text first: a library file is only read when its text is beside it
    write_bytes_atomic(target.with_suffix(".txt"), extract_text(rows).encode("utf-8"))
    write_bytes_atomic(target, text.encode("utf-8"))
    return ImportResult(source_id, target, used_date, date_from, len(entries), counts, products=by_product)


def layout_product(question: FormQuestion, titled: frozenset[str] = frozenset()) -> str | None:
    """The one product a row's answers were given for as the form's layout says it: its answer
    column ("Response (ChatGPT Enterprise)"), its headings or sheet, else `titled` (the form's name
    or --title); None when they name none, several, or "ChatGPT" without a plan."""
    header = question.scopes[0] if question.scopes else ""
    # "Response (API and ChatGPT Enterprise)": answers for both, though "API" alone names no product
    column = column_products(header)
    column |= short_names(header) if column else frozenset()
    places = (*reversed(question.context), *question.scopes[1:])
    place = next((named for p in places if p and (named := products_named(p))), frozenset())
    named = column | place or titled
    only = next(iter(named)) if len(named) == 1 else None
    return only if only in PRODUCTS and only != "all" else None


_COMMENT = """\
# Imported by 'autofill knowledge import' from {name}: the answers it gave, reused by 'autofill fill'.
# Internal: a customer's form gets an answer and its comment, never this file's name or title.
# Every entry is verbatim from the imported rows in the .txt file beside this one
# ('autofill knowledge check' verifies it). Delete an entry to stop it being used.
"""


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _date_of(form: Path, given: str | None) -> tuple[str, str]:
    if given is not None:
        return given, "--date"
    modified = _modified(form)
    if modified is not None:
        return modified, "the file's last-modified date in its properties"
    return dt.date.today().isoformat(), "today (the file records no modified date)"


def _modified(form: Path) -> str | None:
    """The core properties' modified date (docProps/core.xml), when the file records one."""
    try:
        with zipfile.ZipFile(form) as package:
            xml = package.read("docProps/core.xml").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    found = re.search(r"<dcterms:modified[^>]*>(\d{4}-\d{2}-\d{2})", xml)
    return found.group(1) if found and _parse_date(found.group(1)) else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "questionnaire"


def _previous_sha(folder: Path, sha: str) -> Path | None:
    """The library file already imported from the very same file, if any."""
    for path in sorted(folder.glob("*.yaml")):
        try:
            head = path.read_text(encoding="utf-8")[:4000]
        except OSError:
            continue
        if f"sha256: {sha}" in head:
            return path
    return None


def _cell_texts(form: Path, questions: Sequence[FormQuestion]) -> dict[tuple[str, str], str]:
    """The text of every question's comment and side cells, by (sheet, cell)."""
    from autofill.forms.xlsx_package import Book
    from autofill.forms.xlsx_refs import column_number

    wanted: dict[str, set[str]] = {}
    for question in questions:
        cells = [question.comment_cell or "", *(cell for _, cell in question.side_cells)]
        wanted.setdefault(question.location.sheet or "", set()).update(c for c in cells if c)
    found: dict[tuple[str, str], str] = {}
    with zipfile.ZipFile(form) as package:
        book = Book(form, package)
        for name, refs in wanted.items():
            sheet = book.sheet(name)
            if sheet is None:
                continue
            for ref in sorted(refs):
                match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
                if match is None:
                    continue
                text = sheet.text(int(match[2]), column_number(match[1]))
                if text and text.strip():
                    found[(name, ref)] = text.strip()
    return found


def _docx_cell_texts(form: Path, questions: Sequence[FormQuestion]) -> dict[tuple[str, str], str]:
    """The text of every question's comment cell in a Word form, by ("", reference)."""
    from autofill.forms.docx_write import Locator
    from autofill.forms.docx_xml import clean, open_document, paragraph_text

    locator = Locator(open_document(form))
    found: dict[tuple[str, str], str] = {}
    for question in questions:
        target = locator.find(question.comment_cell, box=False) if question.comment_cell else None
        if target is not None:
            text = clean("\n".join(map(paragraph_text, target.paragraphs))).strip()
            if text:
                found[("", question.comment_cell or "")] = text
    return found
