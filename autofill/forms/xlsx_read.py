"""Read questions from .xlsx/.xlsm forms: find each sheet's header, columns and answer cells.

The workbook comes from `xlsx_package` (its XML read directly, several times faster than
openpyxl's full load, and seeing the x14 dropdowns openpyxl drops). Known questionnaire
families are read through the layout profiles in `templates/profiles`; any other workbook goes
through header detection, with the user's column overrides on top.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

import autofill
from autofill.choices import (
    BRACKETED,
    CHOICE_WORDS,
    COMPLIANCE_CODES,
    GRADED_HEADER,
    answer_named,
    choice_list,
    flags_the_row,
    label,
    lists_answers,
    typed_boxes,
)
from autofill.errors import FormError
from autofill.forms.placeholders import (
    DESCRIBES,
    SCOPE_HEADER,
    VENDOR_SIDE,
    is_placeholder_text,
    reserved_header,
)
from autofill.forms.terms import with_defined_products
from autofill.forms.xlsx_package import (
    HEADER_SCAN_ROWS,
    MAX_COL,
    Book,
    Sheet,
    collapse,
    parse_span,
)
from autofill.forms.xlsx_refs import column_letters, column_number
from autofill.forms.xlsx_write import REVIEW_SHEET
from autofill.models import FormQuestion, FormRead, Location, ReadOptions
from autofill.reading import (
    answers_for,
    carries_on,
    column_product,
    column_products,
    declared_choices,
    declared_voices,
    defined_aliases,
    defined_customer_things,
    defined_names,
    defined_products,
    defines_pronouns,
    is_item,
    leads_items,
    leads_questions,
    may_define,
    mentions_product,
    mostly_questions,
    names_another_part,
    numbered_under,
    one_voice,
    product_header,
    reads_as_heading,
    section_scope,
    title_name,
    titles_by_saying,
    titles_rows,
)
from autofill.safety import check_package

# --- public ------------------------------------------------------------------------------


def read_questions(path: Path, options: ReadOptions) -> FormRead:
    """Find every question row in the workbook with its answer, comment and choices."""
    load_profiles()  # outside the try: a broken shipped profile is a bug, not a bad form
    # every command that opens a workbook (fill, review, apply, evaluate) reads it through here
    check_package(path, "xlsx")
    try:
        with zipfile.ZipFile(path) as package:
            book = Book(path, package)
            return _read_book(book, options)
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise FormError(path, f"is not a readable .xlsx file ({error}); re-save it from Excel and try again") from None
    except etree.XMLSyntaxError as error:
        raise FormError(path, f"has damaged XML ({error}); re-save it from Excel and try again") from None


def profiles_dir() -> Path:
    """The layout-profile folder: `_templates` inside an installed wheel, else the repo's `templates`."""
    package = Path(autofill.__file__).resolve().parent
    packaged = package / "_templates" / "profiles"
    return packaged if packaged.is_dir() else package.parent / "templates" / "profiles"


@dataclass(frozen=True)
class Profile:
    """The layout of a known questionnaire family, loaded from one YAML file.

    YAML keys: `name`, `about`; `match.sheets` (regexes: the workbook has a sheet matching
    each) and `match.cells` (cell -> regex searched in its text, on every sheet read);
    `sheets`/`skip` (regexes on sheet names, default all visible sheets); `columns` (letters
    for question, answer, comment, id, section) or `marks` (letter -> choice) for tick boxes;
    `header_row` (data starts below it); `id_pattern` (rows whose id does not match are not
    questions); `section_header` (answer-cell text of a repeated section header row).
    """

    name: str
    about: str
    needs_sheets: tuple[re.Pattern[str], ...]  # the workbook has a sheet matching each
    sheets: re.Pattern[str]  # sheets to read...
    skip: re.Pattern[str] | None  # ...except these
    cells: tuple[tuple[str, re.Pattern[str]], ...]  # a read sheet's cell texts must match
    columns: Mapping[str, int]  # role -> column number: id, question, answer, comment, section
    marks: tuple[tuple[str, int], ...] = ()  # choice -> column, when answers are ticked
    header_row: int = 0  # data starts below it; 0 = from the top
    id_pattern: re.Pattern[str] | None = None  # rows without a matching id are not questions
    section_header: re.Pattern[str] | None = None  # answer-cell text of a section's header row
    side: tuple[tuple[str, int], ...] = ()  # name -> column of side columns that travel with an answer


@cache
def load_profiles(folder: Path | None = None) -> tuple[Profile, ...]:
    """All profiles in `folder` (default `profiles_dir()`), in file-name order."""
    folder = folder or profiles_dir()
    return tuple(_profile(file) for file in sorted(folder.glob("*.yaml")))


# --- layout: profiles, detection, overrides ----------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where a sheet keeps its questions: column numbers by role and how to spot header rows."""

    question: int
    answer: int | None  # None when answers are ticked in `marks`
    comment: int | None = None
    id: int | None = None
    section: int | None = None
    marks: tuple[tuple[str, int], ...] = ()
    header_row: int = 0
    header_texts: frozenset[str] = frozenset()  # normalised header texts, to spot repeated headers
    id_pattern: re.Pattern[str] | None = None
    section_header: re.Pattern[str] | None = None
    guesses: tuple[str, ...] = ()
    side: tuple[tuple[str, int], ...] = ()
    beside: tuple[_Layout, ...] = ()  # other question blocks on the same rows, read the same way
    scope: tuple[str, int] | None = None  # a column saying what each row is about: (its header, column)
    more_scopes: tuple[tuple[str, int], ...] = ()  # others ("Party" beside "Product", round 97)
    product: str | None = None  # the product the answer column is for, in a sheet with a column for each
    ends_at_header: bool = False  # (another product's column than the first: a new header below ends it)


@dataclass(frozen=True)
class _Miss:
    """Why a sheet has no usable layout, with what detection did find."""

    reason: str
    question: int | None = None
    header_row: int = 0
    layout: _Layout | None = None
    final: bool = False  # the header was found and says where answers go, but not where they can: no guessing


_ID_EXACT = {"id", "#", "no", "no.", "nr", "ref", "ref.", "reference", "number", "item", "s/n", "sl no", "q#", "qid"}
_ID_END = re.compile(r"(?:^|[\s_.-])(?:id|#|no\.?|nr\.?|number|ref\.?|reference)$")
# "Supporting reference", "Policy / document reference", "Evidence ref": where the row's sources go, no row id
# (rounds 112a and 114b: the citations went to the report only)
_CITING = re.compile(r"\b(?:supporting|policy|document|documents|evidence|source|sources|citation)\b")
_ANSWER = ("answer", "response", "respond", "reply", "yes/no", "yes / no", "y/n", "yes or no", "compliant")
_COMMENT = (
    "comment", "note", "remark", "additional", "evidence", "explanation", "explain", "justification",
    "detail", "implementation description", "supporting", "clarification", "elaborat", "rationale",
    "policy / document reference", "document reference", "policy reference", "evidence ref", "citation",
)  # fmt: skip
_SECTION = ("domain", "section", "category", "family", "topic", "area")
_QUESTION = {
    "question": 3, "requirement": 2, "requriement": 2, "criteria": 2, "criterion": 2, "query": 2,
    "statement": 2, "request": 2, "control": 1, "description": 1, "specification": 1, "item": 1,
    "check": 1,  # a checklist's "# | Check | API | Enterprise" (round 93 read it without its header)
}  # fmt: skip
# each as itself: "Requested by", "Requestor" say who asked, not what (round 32 took it for the questions)
_QUESTION_WORDS = tuple((re.compile(rf"{w}(?!ed|ing|er|or)"), rank) for w, rank in _QUESTION.items())
_CHOICE_LABELS = {"yes": "Yes", "y": "Yes", "no": "No", "n": "No", "n/a": "N/A", "na": "N/A"}
_CHOICE_LABELS |= {"not applicable": "N/A", "partial": "Partial", "partially": "Partial"}
# graded labels: ticked as they are written (whether a No is "Non-compliant" is decided by the fill)
_CHOICE_LABELS |= {"compliant": "Compliant", "non-compliant": "Non-compliant", "non compliant": "Non-compliant"}
_CHOICE_LABELS |= {"partially compliant": "Partially compliant", "not compliant": "Not compliant"}
_FOOTER = re.compile(
    # "(c) 2024 Acme" is a copyright line; "(c) Do you operate ...?" is item (c) (round 49 lost it)
    r"^(?:©|\(c\)\s+(?:\d{4}|[A-Z][\w&.,-]*(?:\s+[A-Z][\w&.,-]*)*\s*(?:\d{4})?\s*$)|copyright\s*(?:©|\(c\)|\d{4})|"
    r"all rights reserved|"
    r"end of (?:the )?(?:standard|questionnaire|document|form|survey|section|table|sheet|introduction)\b)",
    re.IGNORECASE,
)


# A row that shows how to answer: "Example: ...", "Sample question: ...", "E.g. ..."
_EXAMPLE = re.compile(
    r"^\s*(?:(?:example|sample)(?: (?:question|row|answer|response))?\s*[:\-–]|\((?:example|sample)\)|e\.g\.)", re.I
)


_YES_NO = re.compile(
    r"(?:vendor |supplier )?y(?:es)?\s*(?:/|-|or|\\)\s*n(?:o)?(?:\s*/\s*n/?a)?(?: (?:answer|response))?"
)


def _norm(text: str) -> str:
    return collapse(text).lower().strip(" :*")


# A column whose Yes reports a shortfall: the vendor's Yes to "Do you encrypt ...?" would read as a gap
_INVERTED = re.compile(
    r"\b(?:exceptions?|gaps?|deviations?|findings?|non-?compliance|non-?conformit(?:y|ies)|issues?)\b"
)


def _role(text: str) -> tuple[str, int] | None:
    """What a header cell names: ("question", rank), ("answer", 0), ...; None for anything else."""
    t = _norm(text)
    if not t or len(t) > 80:
        return None
    if _YES_NO.fullmatch(t):
        return "answer", 0  # "Yes / No", "Yes or No": its "No" is no row number ("Question No")
    if t in _ID_EXACT or (_ID_END.search(t) and len(t) <= 24 and not _CITING.search(t)):
        return "id", 0
    if set(re.findall(r"[a-z]+", t)) & {"type", "format", "guidance", "instruction", "instructions"}:
        return None
    if reserved_header(t):
        return None  # "Customer assessor notes", "Reviewer comments (Acme use only)": never ours to write
    if t.endswith("?"):
        return None  # "Evidence provided?": a question of its own, not where comments go
    if _INVERTED.search(t):
        return None  # "Exception / Gap identified? (Yes/No)": a Yes there says the control is NOT met
    if flags_the_row(t):
        return None  # "Applicable to you? (Y/N)", "Evidence provided? (Y/N)": a question of its own (round 81)
    if any(w in t for w in _ANSWER) or lists_answers(t) or GRADED_HEADER.fullmatch(t):
        return "answer", 0
    if re.search(r"\bquestions?$", t):
        return "question", 3  # "Clarification question": what the header ends with is what it holds
    if any(w in t for w in _COMMENT):
        return "comment", 0
    if SCOPE_HEADER.search(t):
        return "scope", 0
    if any(w in t for w in _SECTION):
        return "section", 0
    rank = max((r for word, r in _QUESTION_WORDS if word.search(t)), default=0)
    return ("question", rank) if rank else None


def _choice_label(text: str | None) -> str | None:
    return _CHOICE_LABELS.get(_norm(text)) if text else None


def _detect(sheet: Sheet) -> _Layout | _Miss:
    """Find the header row and its columns by header words, merged groups and dropdowns."""
    rows = [r for r in sheet.rows if r not in sheet.hidden_rows][:HEADER_SCAN_ROWS]
    best: tuple[float, int, _Layout] | None = None
    partial: _Miss | None = None
    headers: list[tuple[int, _Layout]] = []
    for row in rows:
        found = _header_at(sheet, row)
        if isinstance(found, _Miss) and found.final and best is None:
            return found  # (round 99 wrote this year's answers into last year's column beside the hidden one)
        if isinstance(found, _Miss):
            partial = partial or (found if found.question else None)
            continue
        score = _score(found)
        if best is None or score > best[0]:
            best = (score, row, found)
        headers.append((row, found))
    if best is not None:
        # a block above with its own header, its columns placed otherwise ("Section 1: # | Control question |
        # Response" over "Section 2: # | Domain | Question | Answer"): read from the first, which hands over to
        # the second where its header comes (round 104 read only the second: 18 rows left without a word)
        earlier = next(
            (
                found
                for row, found in headers
                if row < best[1] and not found.guesses and _new_header(sheet, best[1], found) is not None
            ),
            None,
        )
        if earlier is not None:
            best = (best[0], earlier.header_row, earlier)
        layout = replace(best[2], beside=_beside(sheet, best[1], best[2]))
        # a header that repeats per section (HECVAT) may be weaker on its first showing
        first = next((r for r in rows if r < best[1] and _is_header(sheet.cells[r], layout)), None)
        return replace(layout, header_row=first) if first else layout
    by_dropdown = _detect_by_dropdown(sheet)
    if by_dropdown is not None:
        return by_dropdown
    if partial is not None:
        return partial
    return _Miss(f"no header row with a question column and an answer column in its first {HEADER_SCAN_ROWS} rows")


def _beside(sheet: Sheet, row: int, layout: _Layout) -> tuple[_Layout, ...]:
    """Question blocks on the same header row left and right of the one found ("Question | Answer"
    twice across the sheet): each named by its own header words, never guessed."""
    used = [c for c in (layout.id, layout.section, layout.question, layout.answer, layout.comment) if c]
    used += [c for _, c in layout.marks]
    blocks = []
    for within in (range(1, min(used)), range(max(used) + 1, max(sheet.cells[row], default=0) + 1)):
        found = _header_at(sheet, row, within) if len(within) >= 2 else None
        if isinstance(found, _Layout) and not found.guesses and found.answer is not None:
            blocks.append(replace(found, beside=_beside(sheet, row, found) if within.start > 1 else ()))
    return tuple(blocks)


def _score(layout: _Layout) -> float:
    """Question and answer columns count 4; an id and a comment column 1 each; a section column 0.5."""
    return 4 + (layout.comment is not None) + (layout.id is not None) + 0.5 * (layout.section is not None)


def _header_at(sheet: Sheet, row: int, within: range | None = None) -> _Layout | _Miss:
    """The layout a row would give as the header: its columns by role, checkbox groups, dropdowns
    (`within`: only these columns, for a second block of questions beside the first)."""
    roles: dict[str, list[tuple[int, int]]] = {}
    for col, text in sheet.cells[row].items():
        if within is not None and col not in within:
            continue
        role = None if sheet.col_hidden(col) and not _spans_shown(sheet, row, col) else _role(text)
        if role:
            roles.setdefault(role[0], []).append((col, role[1]))
    marks = _marks(sheet, row, roles, within)
    answers = [c for c, _ in roles.get("answer", []) if not any(c == m for _, m in marks)]
    questions = roles.get("question", [])
    guesses: list[str] = []
    question = None
    if questions:
        top = max(rank for _, rank in questions)
        tied = [c for c, rank in questions if rank == top]
        question = max(tied, key=lambda c: _text_weight(sheet, row, c))
    first_answer = min([c for _, c in marks] or answers or [0])
    if question is None and (answers or marks):
        # "# | Item | Yes/No/N/A": a header that may name a row's number ("Item", "Reference") over
        # the questions' own text names the question column (round 37 took the first row saying
        # "controls" for the header and read 14 of 40 rows)
        prose = [c for c, _ in roles.get("id", []) if _holds_prose(sheet, row, c)]
        roles["id"] = [(c, rank) for c, rank in roles.get("id", []) if c not in prose]
        taken = {c for key in ("id", "comment", "section") for c, _ in roles.get(key, [])}
        before = range(1 if within is None else within.start, first_answer)
        question = _longest_text_col(sheet, row, [c for c in before if c not in taken])
        if question is None:
            return _Miss("no question column")
        guesses.append(f"no question header, so took column {column_letters(question)} (it holds the longest texts)")
    if question is None:
        return _Miss("no question column")
    answer = None
    # a column with a list ("Evidence provided?" Yes / No) takes no explanation
    listed = {c for v in sheet.validations if v.kind == "list" for span in v.spans
              if span[0] <= row + 3 and span[2] > row for c in range(span[1], min(span[3], 200) + 1)}  # fmt: skip
    spare: list[int] = []  # an answer column of free text beside one with a list: where the details go
    if not marks:
        right = [c for c in answers if c > question]
        named = [c for c in right if answer_named(_norm(sheet.text(row, c) or ""))]
        if named and len(named) < len(right):
            right = named  # "Response" beside "Mandatory (Y/N)": the list of a flag is not the answer (round 81)
        chosen = [c for c in right if c in listed or lists_answers(_norm(sheet.text(row, c) or ""))]
        if chosen and len(chosen) < len(right):
            # "Compliance (C / PC / NC / N/A)" with its list beside "Supplier response" (round 80 wrote
            # a bare Yes into the second): the list is the answer, the other column its details
            spare, right = [c for c in right if c not in chosen], chosen
        answer = _ours(sheet, row, right) if right else (answers[0] if answers else None)
        if answer is None:
            # "Question | Enterprise": one column headed by a product is that product's answers
            named = [c for c, text in sheet.cells[row].items() if c > question and product_header(text)]
            if len(named) == 1 and (within is None or named[0] in within):
                answer = named[0]
                guesses.append(f"took column {column_letters(answer)} as answers (its header names a product)")
        if answer is None:
            answer = _dropdown_col(sheet, row + 1, question)
            labels = [_norm(sheet.text(r, answer) or "") for r in range(row, row + 3)] if answer else []
            if any(_INVERTED.search(label) and len(label) <= 80 for label in labels):
                answer = None  # the list of a "Gap identified?" column is not where the vendor answers
            if answer is not None:
                guesses.append(f"took column {column_letters(answer)} as answers (it has a dropdown list)")
    hidden: int | None = None  # the answer column a merged header names when the customer hid it
    if answer is not None and not marks:
        under = _under(sheet, row, answer)
        hidden, answer = (answer if under is None else None), under
    used = {question, answer, *(c for _, c in marks)}
    last = max(c for c in used if c is not None)
    comments = [c for c, _ in roles.get("comment", []) if c > question and c not in used and c not in listed]
    # "Question | Yes / No | Description of controls": a column right of the answers that asks for a description
    # is where the details go, not a second question column (round 105 wrote everything into "Yes / No")
    described = [c for c, _ in questions if answer is not None and c > answer and c not in used and c not in listed]
    described = [c for c in described if DESCRIBES.match(_norm(sheet.text(row, c) or ""))]
    comments = comments or described or [c for c in spare if c not in used]
    ids = [c for c, _ in roles.get("id", []) if c not in used]
    left = [c for c in ids if c < question]
    sections = [c for c, _ in roles.get("section", []) if c not in used]
    scopes = [c for c, _ in roles.get("scope", []) if c not in used]
    header_row = max([row, *_header_merges(sheet, row)])
    layout = _Layout(
        question=question,
        answer=answer,
        # "Evidence (Enterprise)" beside "Comments": the one that names no product takes the citations
        comment=_ours(sheet, row, _unnamed(sheet, row, [c for c in comments if c > last] or comments)),
        id=max(left) if left else (min(ids) if ids else _id_col_from_data(sheet, row, question, roles)),
        section=max([c for c in sections if c < question] or sections or [0]) or None,
        marks=marks,
        scope=(BRACKETED.sub("", collapse(sheet.text(row, scopes[0]) or "")).strip(), scopes[0]) if scopes else None,
        more_scopes=tuple((BRACKETED.sub("", collapse(sheet.text(row, c) or "")).strip(), c) for c in scopes[1:]),
        header_row=max(header_row, _mark_row(sheet, row, marks)) if marks else header_row,
        header_texts=frozenset(_norm(t) for c, t in sheet.cells[row].items() if c in used),
        guesses=tuple(guesses),
    )
    if answer is None and not marks:
        # kept so that --answer-col can complete it
        reason = f"found a question column ({column_letters(question)}) but no answer column"
        if hidden is not None:
            header = collapse(sheet.text(row, hidden) or "")
            reason = f"the answer column under '{header}' is hidden; unhide it, or name one with --answer-col"
        return _Miss(reason, question=question, header_row=row, layout=layout, final=hidden is not None)
    return layout


def _spans_shown(sheet: Sheet, row: int, col: int) -> bool:
    """Whether a header cell in a hidden column is merged over columns that are shown ("Vendor
    Response" over a hidden "Response 2023" and a shown "Response 2025")."""
    span = sheet.merge_at(row, col)
    return span is not None and any(not sheet.col_hidden(c) for c in range(span[1], span[3] + 1))


def _under(sheet: Sheet, row: int, col: int) -> int | None:
    """The answer column under an answer header merged over several columns, each with a header of
    its own on the row below ("Vendor Response" over "Response 2023 | Response 2025"): the vendor's,
    else the current one, else this year's; never the customer's, last year's or the comments'
    (round 98 wrote this year's answers into last year's hidden column, the merge's first; round 99
    into "Previous", "Prior", "Last year" and "Customer"). None when ours is hidden: a column the
    customer hid is not where answers are looked for."""
    span = sheet.merge_at(row, col)
    if span is None or span[0] != row or span[3] <= span[1]:
        return col
    below = span[2] + 1
    texts = {c: collapse(sheet.text(below, c) or "") for c in range(span[1], span[3] + 1)}
    headed = [c for c, text in texts.items() if text]
    if len(headed) < 2:
        shown = [c for c in range(span[1], span[3] + 1) if not sheet.col_hidden(c)]
        return col if col in shown or not shown else shown[0]
    ours = [
        c
        for c in headed
        if (_role(texts[c]) or ("answer",))[0] == "answer"
        and not (reserved_header(texts[c]) or _THEIRS_OR_PAST.search(texts[c]) and not VENDOR_SIDE.search(texts[c]))
    ]
    vendor = [c for c in ours if VENDOR_SIDE.search(texts[c])]
    current = [c for c in ours if _CURRENT.search(texts[c])]
    years = {c: max(map(int, found)) for c in ours if (found := _ANY_YEAR.findall(texts[c]))}
    if vendor or current:
        chosen = min(vendor or current)
    elif years and len(years) == len(ours):
        chosen = this_years(years)
    elif ours:
        chosen = ours[0]
    else:
        return None
    return None if sheet.col_hidden(chosen) else chosen


# Sub-headers that are not the vendor's answers now: "Customer", "Previous", "Prior year", "Last year"
_THEIRS_OR_PAST = re.compile(
    r"\b(?:customer|client|buyer|requester|assessor|previous|prior|last|former|old|historical|earlier)\b", re.I
)
_CURRENT = re.compile(r"\b(?:current|this|present|latest)\b", re.I)
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def this_years(years: Mapping[int, int]) -> int:
    """Of columns by the year each names, this year's: the latest not after today's year, else the
    earliest ("Response 2026 | Response 2027" in 2026 is this year's and next year's)."""
    from datetime import date

    now = date.today().year
    past = [c for c, year in years.items() if year <= now]
    if past:
        return max(past, key=lambda c: (years[c], -c))
    return min(years, key=lambda c: (years[c], c))


def _unnamed(sheet: Sheet, row: int, cols: list[int]) -> list[int]:
    """Of several columns, those whose header names no product (all of them when each does)."""
    return [c for c in cols if not mentions_product(sheet.text(row, c) or "")] or cols


def _ours(sheet: Sheet, row: int, cols: list[int]) -> int | None:
    """Of several answer (or comment) columns, the vendor's: one whose header names the vendor
    ("Vendor Response" beside "Customer answer"), else the latest year ("Response 2025" beside
    "Response 2023": last year's answers are history), else the first."""
    if not cols:
        return None
    named = [c for c in cols if VENDOR_SIDE.search(sheet.text(row, c) or "")]
    if named:
        return min(named)
    years = {c: max(map(int, found)) for c in cols if (found := _ANY_YEAR.findall(sheet.text(row, c) or ""))}
    if len(years) > 1:
        return this_years(years)
    return min(cols)


def _header_merges(sheet: Sheet, row: int) -> Iterator[int]:
    """The bottom rows of merges that start on a header row (a two-row header ends lower)."""
    for col in sheet.cells[row]:
        span = sheet.merge_at(row, col)
        if span and span[0] == row:
            yield span[2]


def _marks(
    sheet: Sheet, row: int, roles: dict[str, list[tuple[int, int]]], within: range | None = None
) -> tuple[tuple[str, int], ...]:
    """Checkbox columns: an answer header merged over labels such as Yes/No/N/A, or the labels themselves."""
    for col, _ in roles.get("answer", []):
        span = sheet.merge_at(row, col)
        if span and span[3] > span[1]:
            group = range(span[1], span[3] + 1)
            for below in range(span[2] + 1, span[2] + 3):
                labels = [sheet.text(below, c) or "" for c in group]
                known = sum(1 for label in labels if _choice_label(label))
                if known >= 2 and all(0 < len(label) <= 30 for label in labels):
                    return tuple((_choice_label(t) or collapse(t), c) for t, c in zip(labels, group, strict=True))
    if any(len(text) > 60 for text in sheet.cells[row].values()):
        return ()  # a question row with answers such as "Yes | No" in it, not a header
    cols = sorted(c for c, t in sheet.cells[row].items() if _choice_label(t) and (within is None or c in within))
    runs: list[list[int]] = []
    for col in cols:
        if runs and col == runs[-1][-1] + 1:
            runs[-1].append(col)
        else:
            runs.append([col])
    run = max(runs, key=len, default=[])
    if len(run) >= 2:
        return tuple((_choice_label(sheet.text(row, c)) or "", c) for c in run)
    return ()


def _mark_row(sheet: Sheet, row: int, marks: tuple[tuple[str, int], ...]) -> int:
    """The row holding the checkbox labels (the header row itself or a sub-header below it)."""
    for below in range(row, row + 4):
        if all(sheet.text(below, c) for _, c in marks):
            return below
    return row


def _text_weight(sheet: Sheet, header: int, col: int) -> int:
    """Total text length in a column over the rows below a header: questions are long."""
    rows = sheet.rows_after(header, 30)
    return sum(len(sheet.cells[r].get(col, "")) for r in rows)


_ID_LIKE = re.compile(r"[A-Za-z&]{0,12}[ .-]{0,2}[0-9]+(?:[.-][0-9]+)*[a-z]?\.?")


def _id_col_from_data(sheet: Sheet, header: int, question: int, roles: dict[str, list[tuple[int, int]]]) -> int | None:
    """A column left of the questions whose cells look like ids ("DOCU-01", "A.1.2", "7")."""
    rows = [r for r in sheet.rows_after(header, 60) if sheet.text(r, question)][:30]
    taken = {c for key in ("comment", "section") for c, _ in roles.get(key, [])}
    for col in range(question - 1, 0, -1):
        if col in taken or sheet.col_hidden(col):
            continue
        hits = sum(1 for r in rows if _ID_LIKE.fullmatch((sheet.text(r, col) or "").strip()))
        if rows and hits >= 0.6 * len(rows):
            return col
    return None


def _holds_prose(sheet: Sheet, header: int, col: int) -> bool:
    """Whether most texts below a header are several words long, as questions are and ids are not."""
    texts = [t for r in sheet.rows_after(header, 30) if (t := sheet.cells[r].get(col))]
    return bool(texts) and sum(1 for t in texts if len(t.split()) >= 3) >= 0.6 * len(texts)


def _longest_text_col(sheet: Sheet, header: int, cols: list[int]) -> int | None:
    rows = sheet.rows_after(header, 30)
    scored = [(_text_weight(sheet, header, c), c) for c in cols if not sheet.col_hidden(c)]
    weight, col = max(scored, default=(0, 0))
    return col if rows and weight / len(rows) >= 12 else None


def _dropdown_col(sheet: Sheet, row: int, question: int) -> int | None:
    """The nearest column right of the questions whose cells below the header have a list."""
    found = sorted(
        (c, _lists_no_answer(v.formula))
        for v in sheet.validations
        if v.kind == "list"
        for span in v.spans
        if span[0] <= row + 2 and span[2] >= row
        for c in range(max(span[1], question + 1), min(span[3], question + 40) + 1)
    )
    # a rating's list ("High, Medium, Low") is no answer's when a column with another list is there (round 83)
    cols = [c for c, rating in found if not rating] or [c for c, _ in found]
    return cols[0] if cols else None


def _lists_no_answer(formula: str) -> bool:
    """Whether a list typed into its validation holds no answer word ("High,Medium,Low", "H,M,L")."""
    text = formula.strip().removeprefix("=")
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return False  # a list kept in cells: not read here
    return not any(label(v) in CHOICE_WORDS or label(v) in COMPLIANCE_CODES for v in text[1:-1].split(","))


def _detect_by_dropdown(sheet: Sheet) -> _Layout | None:
    """No header words at all: a dropdown column with long texts to its left is a question table."""
    for v in sheet.validations:
        if v.kind != "list" or not v.spans:
            continue
        span = max(v.spans, key=lambda s: s[2] - s[0])
        if span[3] != span[1] or span[2] - span[0] < 2:
            continue
        answer, header = span[1], span[0] - 1
        # the questions sit just left of their dropdowns; a far-away list is a scoring aid
        question = _longest_text_col(sheet, header, list(range(max(1, answer - 3), answer)))
        if question is not None:
            note = (
                f"no header found; took column {column_letters(question)} as questions and the dropdown "
                f"column {column_letters(answer)} as answers"
            )
            return _Layout(question=question, answer=answer, header_row=max(header, 0), guesses=(note,))
    return None


def _profile(file: Path) -> Profile:
    # the shipped profiles are ours; the C loader where PyYAML has libyaml (a fifth of a small fill)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    try:
        match = data.get("match", {})
        cols = {role: column_number(letter) for role, letter in data["columns"].items()}
        if "question" not in cols or ("answer" not in cols and not data.get("marks")):
            raise ValueError("columns need a question and an answer column (or marks)")
        return Profile(
            name=str(data["name"]),
            about=str(data.get("about", "")),
            needs_sheets=tuple(re.compile(p, re.IGNORECASE) for p in match.get("sheets", [])),
            sheets=re.compile(data.get("sheets", ".*"), re.IGNORECASE),
            skip=re.compile(data["skip"], re.IGNORECASE) if data.get("skip") else None,
            cells=tuple((cell, re.compile(p, re.IGNORECASE)) for cell, p in match.get("cells", {}).items()),
            columns=cols,
            marks=tuple((str(label), column_number(col)) for col, label in data.get("marks", {}).items()),
            header_row=int(data.get("header_row", 0)),
            id_pattern=re.compile(data["id_pattern"]) if data.get("id_pattern") else None,
            section_header=re.compile(data["section_header"], re.IGNORECASE) if data.get("section_header") else None,
            side=tuple((str(name), column_number(col)) for name, col in data.get("side", {}).items()),
        )
    except (AttributeError, KeyError, TypeError, ValueError, re.error) as error:
        raise ValueError(f"layout profile {file.name} is malformed: {error!r}") from error


def _profile_reads(profile: Profile, sheet: Sheet) -> bool:
    if not profile.sheets.fullmatch(sheet.name) or (profile.skip and profile.skip.fullmatch(sheet.name)):
        return False
    for cell, pattern in profile.cells:
        span = parse_span(cell)
        text = sheet.text(span[0], span[1]) if span else None
        if text is None or not pattern.search(collapse(text)):
            return False
    return True


def _match_profile(book: Book) -> Profile | None:
    """The first profile whose required sheets exist and whose cell checks pass on a sheet it reads."""
    names = [s.name for s in book.sheets]
    for profile in load_profiles():
        if not all(any(p.fullmatch(n) for n in names) for p in profile.needs_sheets):
            continue
        candidates = [s for s in book.sheets if s.state == "visible" and profile.sheets.fullmatch(s.name)]
        if any((sheet := book.sheet(s.name)) and _profile_reads(profile, sheet) for s in candidates):
            return profile
    return None


def _profile_layout(profile: Profile) -> _Layout:
    cols = profile.columns
    return _Layout(
        question=cols["question"],
        answer=cols.get("answer"),
        comment=cols.get("comment"),
        id=cols.get("id"),
        section=cols.get("section"),
        marks=profile.marks,
        header_row=profile.header_row,
        id_pattern=profile.id_pattern,
        section_header=profile.section_header,
        side=profile.side,
    )


def _override_col(path: Path, flag: str, letter: str | None) -> int | None:
    if letter is None:
        return None
    text = letter.strip().upper()
    if not re.fullmatch(r"[A-Z]{1,3}", text) or column_number(text) > MAX_COL:
        raise FormError(path, f"--{flag} '{letter}' is not a column letter; pass a letter such as C")
    return column_number(text)


def _apply_overrides(path: Path, found: _Layout | _Miss, options: ReadOptions, only_sheet: bool) -> _Layout | _Miss:
    """Override columns beat detection; on a sheet with no header at all they apply only to a chosen sheet."""
    question = _override_col(path, "question-col", options.question_col)
    answer = _override_col(path, "answer-col", options.answer_col)
    comment = _override_col(path, "comment-col", options.comment_col)
    if question is None and answer is None and comment is None:
        return found
    if isinstance(found, _Layout):
        base = found
    else:
        if (question or found.question) is None or answer is None or not (found.question or only_sheet):
            return found
        partial = found.layout or _Layout(question=found.question or 0, answer=None, header_row=found.header_row)
        base = replace(partial, answer=answer)
    layout = replace(
        base,
        question=question or base.question,
        answer=answer or base.answer,
        marks=() if answer else base.marks,
        comment=comment or base.comment,
    )
    if layout.answer == layout.question:
        raise FormError(
            path, "the question and answer columns are the same; pass different --question-col/--answer-col"
        )
    if layout.comment in (layout.question, layout.answer):
        layout = replace(layout, comment=comment if comment not in (layout.question, layout.answer) else None)
    return layout


# --- rows -> questions -------------------------------------------------------------------


@dataclass
class _Skipped:
    """Question rows left out of a sheet, grouped by reason for one note each."""

    formula: list[str] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    hidden: list[int] = field(default_factory=list)
    lists: dict[str, None] = field(default_factory=dict)
    blocks: list[int] = field(default_factory=list)  # rows where a block of product columns begins


def _read_sheet(book: Book, sheet: Sheet, layout: _Layout) -> tuple[list[FormQuestion], list[str]]:
    """The question rows below the header, skipping titles, repeated headers and footers; plus notes."""
    rows = sheet.rows_after(layout.header_row)
    # where most question rows carry an id, a short id-less row with no answer is a section title
    titles_without_id = layout.id is not None and _mostly_ids(sheet, layout, rows)
    asking = _mostly_asked(sheet, layout, rows)
    section = _first_section(sheet, layout)
    numbered: _Numbered | None = None
    lead: tuple[str | None] | None = None  # the section around a lead-in ("Do your fourth parties:" over "(a) ...")
    skipped = _Skipped()
    questions: list[FormQuestion] = []
    titled, previous = -1, -1  # the last row that titled the rows after it, and the row before this one
    for row in rows:
        # (a line right under a title that narrows nothing itself goes on with it: "4 | Please answer
        # the next table on behalf of your hosting provider." / "If you use more than one provider,
        # answer for the primary one." kept the provider's scope no longer, round 96)
        goes_on = titled == previous
        previous = row
        cells = sheet.cells[row]
        if _other_products_header(sheet, cells, layout):
            # a block below with a column for each product ("Question | API | Enterprise" under a
            # single-answer block, or another matrix in another order): not this block's rows (round
            # 90 wrote Team's rows as the API column's); it is left, and said so
            skipped.blocks.append(row)
            break
        if _is_header(cells, layout):
            section = _row_title(cells, layout, header=True) or section
            continue
        if (moved := _new_header(sheet, row, layout)) is not None:
            # a second block with its own header, its columns in another order ("ID | Question |
            # Guidance | Response"): its rows are read by it, never by the first block's columns
            # (once: a product matrix's other columns end there, round 90 read them thrice)
            if layout.ends_at_header:
                break
            layout = moved
            continue
        text = cells.get(layout.question)
        qid = cells.get(layout.id or 0, "").strip()
        if layout.id_pattern and not layout.id_pattern.fullmatch(qid):
            title = _row_title(cells, layout) if text is None else None
            # "GNRL-01 through GNRL-08; populated by the Vendor" is a note, not a section
            if title and not layout.id_pattern.search(title):
                section = title
            continue
        if not text or not any(ch.isalpha() for ch in text) or _FOOTER.match(text.strip()):
            title = _row_title(cells, layout) if text is None else None
            if title:  # ("HOSTING PROVIDER" in the id column alone, or in the answer column)
                section, numbered = title, None
            continue
        if _EXAMPLE.match(text):
            continue  # "Example: Is data encrypted? | Yes | ...": how to answer, with the form's own answer
        text = collapse(text)
        if lead is not None and not is_item(text):
            section, lead = lead[0], None  # a lead-in's items have ended
        banner = sheet.merge_at(row, layout.question)
        if banner and banner[3] >= min(c for c in (layout.answer, *(c for _, c in layout.marks)) if c):
            section, numbered = text, None  # a title of its own ends a numbered section's hold
            continue
        answered = layout.answer is not None and layout.answer in cells
        if not answered and leads_items(text, _next_text(sheet, layout, row)):
            # "Q23 | Do your fourth parties (subcontractors):" over "Q24 | (a) encrypt Bank data at
            # rest?": a lead-in the items below complete, whatever their ids or none (round 46
            # answered them as the vendor's own), until a row that is no item; it ends a numbered
            # section's hold too ("Q40 ..." over "Q40.1", then the lead-in over "Q51 (a) ...")
            outer = lead[0] if lead is not None else numbered[1] if numbered is not None else section
            # a lead-in that is an item of the one above ("In relation to your subprocessors:" /
            # "(a) Do they:" / "(i) encrypt ...?", round 49) is read within it
            nested = lead is not None and section is not None and is_item(text)
            lead, section, numbered = (outer,), f"{section} {text}" if nested else text, None
            continue
        # (a sentence saying whose the rows after it are titles them in any form: round 81's
        # "the following rows concern the customer's own environment" in a form with no titles)
        says = titles_by_saying(text)  # (read once: three tests below ask it, a third of a read's time)
        titled_here = not carries_on(text) and (titles_without_id and titles_rows(text) or says)
        # ("Cloud hosting provider" after "SUB-1 | Subprocessors" rows: its own title, which the end of
        # SUB-1's numbering must not take back to the section before it, round 72)
        untitled = not qid and titled_here and not answered
        heading = None if untitled or qid or answered else _heading(sheet, layout, row, text, asking)
        if untitled or heading == "title":
            if goes_on and section and not section_scope(text):
                section, titled = f"{section} {text}", row
                continue
            section, numbered, titled = text, None, row
            continue
        if qid and not answered and names_another_part(text) and _numbered_apart(sheet, layout, row, qid):
            # "R | Roadmap" over "S121.1 ...": an id numbered unlike the rows after it titles them
            # (round 72); "P-37 | Cloud Hosting Provider" among P-36 and P-38 is a field to fill in
            section, numbered = text, None
            continue
        # a numbered section ends where the numbering leaves it ("3 | Describe ..." after "2.1 | ...")
        while numbered is not None and qid and not numbered_under(numbered[0], qid):
            section, numbered = numbered[1], numbered[2]
        titling = qid and not answered and (titles_rows(text) or says)
        if titling and _parent_of(sheet, layout, row, qid):
            # "2 | Backups" over "2.1 | Is data encrypted at rest?": a numbered section title; a longer
            # one when it names no question ("F3 | Your cloud hosting provider (answer for that
            # provider)" over "F3.1 | Does it hold a SOC 2 report?", whose every row the vendor's Yes
            # would answer)
            numbered, section = _numbered_title(numbered, section, qid, text)
            titled = row
            continue
        if qid and not answered and says:
            # "7 | The following rows concern your subprocessors." over "8 | Is data encrypted ...?":
            # a sentence saying whose the rows after it are titles them, numbered like them or not
            section, numbered, titled = text, None, row
            continue
        if row in sheet.hidden_rows:
            skipped.hidden.append(row)
            continue
        if layout.section:
            section = sheet.shown_text(row, layout.section) or section
        context: tuple[str, ...] = (collapse(section),) if section else ()
        for header, col in (layout.scope, *layout.more_scopes) if layout.scope else ():
            if about := sheet.shown_text(row, col):
                context += (f"{header}: {collapse(about)}",)  # "Applies to: Subprocessors"
        question = _question(book, sheet, layout, (row, text, qid or None, context), skipped)
        if question is not None:
            questions.append(question)
        if heading == "either":
            section, numbered = text, None  # a row of its own, and the title of the rows below it
        elif qid and not answered and _parent_of(sheet, layout, row, qid):
            # "7 | Do you offer ChatGPT Team? If yes, answer 7.1-7.3 for ChatGPT Team." over "7.1 | Can
            # workspace admins view ...?", "10 | Which of the following are missing? (Yes = missing)"
            # over "10.1 | Audit logs?": a row to answer, and the place of the rows numbered under it
            # (round 97 wrote Enterprise's Yes for Team's row, and the vendor's Yes for "missing")
            numbered, section = _numbered_title(numbered, section, qid, text)
            titled = row
    return questions, _sheet_notes(sheet, layout, skipped, len(questions))


_Numbered = tuple[str, str | None, Any]  # a numbered title's id, the section around it, the numbered one around that


def _numbered_title(numbered: _Numbered | None, section: str | None, qid: str, text: str) -> tuple[_Numbered, str]:
    """A numbered row titling the rows numbered under it, within the numbered titles still open ("5 |
    ChatGPT Team" over "5.1 | Access" over "5.1.1 | Can workspace admins view ...?"): its rows are asked
    under both ("ChatGPT Team: Access"; round 97 wrote the Enterprise admins' Yes for Team's row)."""
    inner = f"{section}: {text}" if numbered is not None and section else text
    return (qid, section, numbered), inner


def _other_products_header(sheet: Sheet, cells: Mapping[int, str], layout: _Layout) -> bool:
    """Whether a row heads a block of product columns other than this block's own: two cells or more
    naming a product, and this block's answer column under another header than its own."""
    # (asked of every row of every sheet: a row with fewer than two short cells beside its question
    # names no two products, and its ids, each new, are not looked up one by one)
    short = [(c, t) for c, t in cells.items() if len(t) <= 40 and c != layout.question]
    if len(short) < 2:
        return False
    named = {c: t for c, t in short if product_header(t)}
    if len(named) < 2:
        return False
    here = named.get(layout.answer or 0)
    own = sheet.shown_text(layout.header_row, layout.answer) if layout.answer else None
    return here is None or _norm(here) != _norm(own or "")


def _new_header(sheet: Sheet, row: int, layout: _Layout) -> _Layout | None:
    """The layout of a header row below the first that places its columns otherwise, or None.
    (A form a profile reads keeps the profile's; a row is tried only when it names a question column.)"""
    if layout.section_header is not None or layout.id_pattern is not None or (layout.beside and not layout.product):
        return None
    cells = sheet.cells[row]
    # a header row: short labels only, among them a question column's and an answer column's
    if len(cells) < 3 or any(len(text) > 40 for text in cells.values()):
        return None
    roles = [role[0] for text in cells.values() if (role := _role(text)) is not None]
    if "question" not in roles or "answer" not in roles or len(roles) < len(cells) - 1:
        return None
    found = _header_at(sheet, row)
    if isinstance(found, _Miss):
        return None
    same = (found.question, found.answer, found.comment, found.marks) == (
        layout.question,
        layout.answer,
        layout.comment,
        layout.marks,
    )
    return None if same else found


def _parent_of(sheet: Sheet, layout: _Layout, row: int, qid: str) -> bool:
    """Whether the next row with an id numbers itself under this row's ("2" over "2.1", "A" over "A.1")."""
    for below in range(row + 1, row + 4):
        following = (sheet.text(below, layout.id or 0) or "").strip()
        if following:
            return numbered_under(qid, following)
    return False


def _numbered_apart(sheet: Sheet, layout: _Layout, row: int, qid: str) -> bool:
    """Whether the next row with an id numbers itself in another shape ("R" over "S121.1", "12"
    over "S125.1"), so that this row is no row of the same list."""
    for below in range(row + 1, row + 4):
        following = (sheet.text(below, layout.id or 0) or "").strip()
        if following:
            return _shape(following) != _shape(qid) and not following.startswith(qid)
    return False


def _shape(qid: str) -> str:
    return re.sub(r"\d+", "#", qid.upper())


def _next_text(sheet: Sheet, layout: _Layout, row: int) -> str:
    """The question text of the next row that has one (within three)."""
    return next((t for r in sheet.rows_after(row, 3) if (t := sheet.text(r, layout.question))), "")


def _mostly_ids(sheet: Sheet, layout: _Layout, rows: list[int]) -> bool:
    """True when at least 60% of the rows with question text carry an id."""
    texts = [r for r in rows if sheet.text(r, layout.question)]
    with_id = sum(1 for r in texts if sheet.text(r, layout.id or 0))
    return bool(texts) and with_id >= 0.6 * len(texts)


def _mostly_asked(sheet: Sheet, layout: _Layout, rows: list[int]) -> bool:
    """Whether the sheet's rows are mostly questions (reading.mostly_questions)."""
    return mostly_questions([t for r in rows if (t := sheet.text(r, layout.question))])


def _heading(sheet: Sheet, layout: _Layout, row: int, text: str, asking: bool) -> str | None:
    """Whether a short unanswered row without an id heads the questions below it, in a form that
    has no id column to tell ("Subprocessors" over "Do you ...?" rows; round 36 answered them as the
    vendor's own): "title" when the answer column's list skips it, "either" when only its words say
    so (a row of its own too: "Hosting provider" may want a name), else None."""
    if len(text) > 80 or text.rstrip().endswith("?"):
        return None
    after = [r for r in sheet.rows_after(row, 4) if sheet.text(r, layout.question)]
    below = [sheet.text(r, layout.question) or "" for r in after]
    before = [r for r in reversed(sheet.rows_before(row, 8)) if r > layout.header_row]
    above = [t for r in before if (t := sheet.text(r, layout.question))]
    if not reads_as_heading(text, below[0] if below else None, above):
        return None  # a heading leads questions
    if layout.answer is not None and sheet.validation_at(after[0], layout.answer) is not None:
        if sheet.validation_at(row, layout.answer) is None:
            return "title"  # the questions have a list to answer in, this row none
    return "either" if asking or leads_questions(below) else None


def _first_section(sheet: Sheet, layout: _Layout) -> str | None:
    if not layout.header_row:
        return None
    return _row_title(sheet.cells.get(layout.header_row, {}), layout, header=True)


def _is_header(cells: dict[int, str], layout: _Layout) -> bool:
    """True for a (repeated) header row: the layout's header texts in its question/answer columns."""
    if layout.section_header is not None:
        answer = cells.get(layout.answer or 0)
        return bool(answer and layout.section_header.fullmatch(_norm(answer)))
    if not layout.header_texts:
        return False
    hits = 0
    for col in (layout.question, layout.answer, *(c for _, c in layout.marks)):
        text = cells.get(col or 0)
        # header texts are short, so long question texts are never normalised here
        if text and len(text) <= 80 and _norm(text) in layout.header_texts:
            hits += 1
    return hits >= 2 or (hits == 1 and layout.question not in cells)


def _row_title(cells: dict[int, str], layout: _Layout, header: bool = False) -> str | None:
    """A section title on a row: short text up to the question column.

    On a header row only the id, section and question columns count (HECVAT puts the
    section name in A), and not when they hold that column's own title ("ID", "Question").
    """
    own = {layout.id: "id", layout.section: "section", layout.question: "question"}
    for col in sorted(cells):
        if col > layout.question:
            break
        text = collapse(cells[col])
        if header and (col not in own or (_role(text) or ("",))[0] == own[col]):
            continue
        # (a note may be long: "Note: these rows concern your fourth parties; respond on their behalf,
        # not for your own organisation." narrows the rows below it, round 62)
        if text and len(text) <= 200 and not _FOOTER.match(text):
            return text
    if not header and len(cells) == 1:
        # a title typed in the answer column alone ("Subcontractors" over its rows, round 72), when
        # it names a part of the form that is not the vendor's practice today
        (text,) = (collapse(t) for t in cells.values())
        if names_another_part(text):
            return text
    return None


def _question(
    book: Book,
    sheet: Sheet,
    layout: _Layout,
    candidate: tuple[int, str, str | None, tuple[str, ...]],
    skipped: _Skipped,
) -> FormQuestion | None:
    """The question on one row, or None (counted in `skipped`) when its answer cell cannot be written."""
    row, text, qid, context = candidate
    targets = [layout.answer] if layout.answer else [c for _, c in layout.marks]
    refs = [f"{column_letters(c)}{row}" for c in targets]
    for col, ref in zip(targets, refs, strict=True):
        span = sheet.merge_at(row, col)
        if span and (span[0], span[1]) != (row, col):
            skipped.merged.append(ref)
            return None
        if (row, col) in sheet.formulas:
            skipped.formula.append(ref)
            return None
        if sheet.locked(row, col, book):
            skipped.locked.append(ref)
            return None
    comment = layout.comment
    merge = sheet.merge_at(row, comment) if comment else None
    # a comment cell merged across its own row (D:E) is written at its left; one inside another
    # cell's range (a free-text answer merged over the comment column) leaves nowhere to put it
    own = merge is not None and merge[:3] == (row, comment, row)
    if comment and (
        (merge is not None and not own) or (row, comment) in sheet.formulas or sheet.locked(row, comment, book)
    ):
        comment = None
    location = Location(row=row, cell=refs[0], sheet=sheet.name)
    noted = sheet.text(row, comment) if comment else None
    # the answer column's header first, even when empty: the column a row is answered in comes first
    scopes = (_answer_header(sheet, layout) or "", *_title_block(sheet, layout), sheet.name)
    if layout.answer is None:
        marked = [label for label, col in layout.marks if sheet.text(row, col)]
        return FormQuestion(
            location=location,
            text=text,
            qid=qid,
            comment_cell=f"{column_letters(comment)}{row}" if comment else None,
            choices=tuple(label for label, _ in layout.marks),
            mark_cells=tuple((label, f"{column_letters(col)}{row}") for label, col in layout.marks),
            mark=_mark(book, sheet, row, layout.marks),
            existing=marked[0] if marked else None,
            context=context,
            comment_existing=noted.strip() or None if noted else None,
            scopes=scopes,
        )
    existing = sheet.text(row, layout.answer)
    if existing and is_placeholder_text(existing):
        existing = None  # "Select...", "[Enter answer]": a prompt to replace, no answer of the customer's
    # a drop-down's list (an empty one refuses every value), else the list a line above the rows
    # declares ("Permitted responses: ...")
    listed = _choices(book, sheet, row, layout.answer, skipped, layout)
    boxes = typed_boxes(existing) if existing else None
    typed = None
    if boxes is not None and listed is None:
        # "( ) Yes ( ) No" typed in the cell: its boxes are the choices, and one ticked the customer's answer
        typed, (listed, existing) = existing, boxes
    elif boxes is not None:
        existing = boxes[1]  # with a drop-down list too, the boxes are a prompt: the list's value is written
    return FormQuestion(
        location=location,
        text=text,
        qid=qid,
        answer_cell=refs[0],
        comment_cell=f"{column_letters(comment)}{row}" if comment else None,
        choices=listed if listed is not None else declared_choices((*scopes[1:], *context)),
        existing=existing.strip() if existing else None,
        typed_boxes=typed,
        context=context,
        comment_existing=noted.strip() or None if noted else None,
        side_cells=tuple((name, f"{column_letters(col)}{row}") for name, col in layout.side),
        scopes=scopes,
        product=layout.product,
    )


# Sheets that keep the customer's own records of the assessment, not questions for the vendor
_NOT_ANSWERED_HERE = re.compile(
    r"\b(?:poa\s?&\s?m|poam|cap|plan of action|(?:corrective|remedial) action(?: plan)?|remediation(?: plan| tracker)?|"
    r"risk (?:register|log|acceptance|treatment)|issues? (?:log|tracker|register)|exceptions? (?:register|log)|"
    r"^exceptions?$|"
    r"findings|evidence log|change log|revision history|version history|assessor(?:'s)? use(?: only)?|"
    r"prior year|previous (?:year|submission|responses?)|last year|archived?|"
    r"(?:for )?(?:office|internal) use only)\b",
    re.IGNORECASE,
)
_ASKS = re.compile(r"\b(?:questionnaire|questions?|assessment|survey|checklist|requirements|due diligence)\b", re.I)
_A_SHEET = r"['\"“‘]?([^'\"”’.;]{1,40}?)['\"”’]?\s+(?:sheet|tab|worksheet)"
_DO_NOT_EDIT = re.compile(
    r"\b(?:do not|don't|must not|should not|never)\s+(?:edit|complete|modify|change|alter|fill(?: in| out)?|update|"
    rf"write (?:in|on|to))\s+(?:the\s+|this\s+)?{_A_SHEET}\b"
    # "The 'Risk Log' tab is read-only", "the Evidence sheet is for reference only", "Leave the X sheet blank"
    rf"|{_A_SHEET}\s+(?:is|are)\s+(?:read-?only|for reference only|for (?:our|internal|the customer's) use|"
    r"not to be (?:edited|completed|changed)|maintained by)"
    rf"|\bleave\s+(?:the\s+)?{_A_SHEET}\s+(?:blank|empty|as it is|untouched)"
    rf"|{_A_SHEET}\s+must not be (?:changed|edited|modified)",
    re.IGNORECASE,
)


_ONLY_SHEET = re.compile(
    rf"\b(?:complete|fill(?: in| out)?|answer)\s+(?:the\s+)?{_A_SHEET}\s+only\b"
    rf"|\bonly\s+(?:the\s+)?{_A_SHEET}\s+(?:is|should be|needs to be|must be)\s+(?:completed|answered|filled)",
    re.IGNORECASE,
)


def _told_sheets(sheet: Sheet) -> tuple[set[str], set[str]]:
    """The sheets a sheet's text says not to edit ("Do not edit the POA&M sheet") and those it says
    are the only ones to complete, read in one pass: only a cell that names a sheet or tab is
    searched (a 10,000-row sheet has a handful)."""
    kept_off: set[str] = set()
    only: set[str] = set()
    for text in _texts(sheet):
        low = text.lower()
        if "sheet" not in low and " tab" not in low and not low.startswith("tab"):  # (not "database")
            continue
        kept_off.update(_norm(name) for m in _DO_NOT_EDIT.finditer(text) for name in m.groups() if name)
        if "only" in low:
            only.update(_norm(name) for m in _ONLY_SHEET.finditer(text) for name in m.groups() if name)
    return kept_off, only


def _title_lines(sheet: Sheet, layout: _Layout) -> Iterator[str]:
    """The text of each row above the header that holds one cell only (a title, not a field and its value)."""
    for row in sheet.rows:
        if row >= layout.header_row:
            break
        cells = [text for text in sheet.cells[row].values() if text.strip()]
        if len(cells) == 1:
            yield cells[0]


def _texts(sheet: Sheet) -> Iterator[str]:
    """Every cell's text and the printed page's header and footer."""
    yield from (text for cells in sheet.cells.values() for text in cells.values())
    yield from sheet.page_notes


def _declared_voices(sheet: Sheet) -> set[str]:
    """Whom the sheet says its "we" means, wherever it says so: above the header, in a note below
    the questions, on an instructions sheet, in the printed page's header or footer ("'We', 'our'
    and 'us' refer to the supplier": a self-assessment; rounds 51 and 54)."""
    return {voice for text in _texts(sheet) if defines_pronouns(text) for voice in declared_voices(text)}


def _title_block(sheet: Sheet, layout: _Layout) -> tuple[str, ...]:
    """The lines above the header that say whom the sheet asks ("The questions below concern YOUR
    organisation (the customer)", "To be completed by the purchaser"): short ones only."""
    lines = (sheet.cells.get(row, {}) for row in range(1, layout.header_row))
    # a line alone on its row, a sentence rather than a label ("Number of employees" above a
    # second block is a question of the first)
    return tuple(
        collapse(text)
        for cells in lines
        if len(cells) == 1
        for text in cells.values()
        if len(text) <= 160 and (len(text.split()) >= 5 or _SCOPE_LINE.match(text))
    )


# "Scope: Operator", "Product: ChatGPT Edu": a short line that says what the sheet is about
_SCOPE_LINE = re.compile(
    r"\s*(?:scope|in scope|product|products|service|services|platform|offering|solution|applies to)\s*:", re.I
)


# "Third-Party Response": the party answering the form (the vendor), not a third party it names
_ANSWERING_PARTY = re.compile(r"\bthird[- ]?part(?:y|ies)(?:'s)?", re.IGNORECASE)


def _answer_header(sheet: Sheet, layout: _Layout) -> str | None:
    """The answer column's header, which may say what its answers are about: "Response (ChatGPT
    Edu)", "Answer - on-premises deployment", "Backups"."""
    header = _header_text(sheet, layout)
    return collapse(_ANSWERING_PARTY.sub(" ", header)) if header else None


def _header_choices(sheet: Sheet, layout: _Layout) -> tuple[str, ...] | None:
    """The answers a header asks for when the cell has no list: "Compliance (Y/N)" wants "Y"."""
    header = _header_text(sheet, layout)
    return choice_list(header, strict=True) if header else None


def _header_text(sheet: Sheet, layout: _Layout) -> str | None:
    """The answer column's header cell, as written (a header merged down over two rows: its top cell,
    round 88 lost "API Platform" so, and wrote another product's answers under it)."""
    return _column_header(sheet, layout.header_row, layout.answer) if layout.answer and layout.header_row else None


def _column_header(sheet: Sheet, row: int, col: int) -> str:
    """A column's header as a person reads it: its cell (a merge's top one), after the product a cell
    above it names ("API Platform" merged over "Response | Comments": "API Platform Response";
    round 90 wrote Enterprise's answers under it)."""
    own = collapse(sheet.shown_text(row, col) or "")
    above = collapse(sheet.shown_text(row - 1, col) or "") if row > 1 else ""
    if above and above != own and len(above) <= 40 and product_header(above):
        return f"{above} {own}".strip()
    return own


_TYPED = frozenset({"whole", "decimal", "date", "time"})


def _choices(
    book: Book, sheet: Sheet, row: int, col: int, skipped: _Skipped, layout: _Layout
) -> tuple[str, ...] | None:
    validation = sheet.validation_at(row, col)
    if validation is not None and validation.kind in _TYPED:
        return ()  # a cell that takes only a number or a date: no Yes / No, no sentence
    if validation is None or validation.kind != "list":
        return _header_choices(sheet, layout)
    values = book.list_values(sheet, validation.formula)
    if values is None:
        # a list built by a formula (OFFSET, INDIRECT): its items are unknown, so no value is known
        # to be one of them ("Yes" in a Y / N list would be refused by Excel)
        skipped.lists.setdefault(validation.formula, None)
        return ()
    return values


# the marks a tick column's list may offer, the first of them taken ("X", "✓"); "x" where none is listed
_MARKS = ("X", "x", "\u2713", "\u2714", "\u2612", "\u2611", "Y", "\u25cf")


def _mark(book: Book, sheet: Sheet, row: int, marks: tuple[tuple[str, int], ...]) -> str:
    """What a ticked cell of the row holds: the one mark its cells' list allows (round 104 wrote "x" where
    the list said "X")."""
    for _, col in marks:
        validation = sheet.validation_at(row, col)
        if validation is None or validation.kind != "list":
            continue
        values = [v for v in book.list_values(sheet, validation.formula) or () if v.strip()]
        listed = next((m for m in _MARKS if m in values), None)
        if listed is not None:
            return listed
        if len(values) == 1 and len(values[0]) <= 3:
            return values[0]
    return "x"


def _refs(refs: list[str]) -> str:
    return ", ".join(refs[:5]) + (", …" if len(refs) > 5 else "")


def _product_matrix(sheet: Sheet, found: _Layout | _Miss, product: str | None) -> tuple[_Layout | None, str] | None:
    """A sheet whose answer columns are headed by a product each ("API | ChatGPT Enterprise | ChatGPT
    Team", "API response | Enterprise response"): every column filled as asked of its product, or
    with --product only that product's. Product columns beside an answer column that names no
    product are answers only when they take answers (a list, "API response"), and that column
    ("Overall response") is then left; else they are ticks ("Applies to: API | Enterprise") and
    None is returned. With --product, an answer column headed by another product is not filled."""
    base = found if isinstance(found, _Layout) else found.layout
    if base is None or base.marks:
        return None
    used = {base.question, base.comment, base.id, base.section, *(c for _, c in base.side)}
    row = base.header_row
    named: list[tuple[int, str, frozenset[str]]] = []
    for c in range(base.question + 1, base.question + 40):
        # a header merged down over two rows names its column on the lower one too (round 88)
        t = _column_header(sheet, row, c)
        role = _role(t) if t else None
        if not t or (role is not None and role[0] == "question") or any(c == block.question for block in base.beside):
            break  # the block ends at an empty column or another block's questions (round 90)
        products = product_header(t)
        own = _role(collapse(sheet.shown_text(row, c) or ""))
        if own is not None and own[0] == "comment":
            continue  # "Comments" under "ChatGPT Enterprise": the product's notes, not its answers
        if c not in used and products and products != {"every"}:  # ("Answer (all products)": an overall one)
            named.append((c, t, products))
    overall = base.answer if base.answer is not None and base.answer not in {c for c, _, _ in named} else None
    if overall is not None and not (len(named) >= 2 and all(_takes_answers(sheet, row, c, t) for c, t, _ in named)):
        named = []  # ticks beside the one answer column, or no product column at all
    if len(named) < 2:
        return None
    every, named = named, [(c, t, p) for c, t, p in named if answers_for(p, product)]
    # a hidden column is not written: its answers would go to the customer unseen (round 90)
    hidden = {c for c, _, _ in named if sheet.col_hidden(c)}
    named = [(c, t, p) for c, t, p in named if c not in hidden]
    said = "; ".join(f"{column_letters(c)} ({t})" for c, t, _ in named)
    if not named and hidden:
        columns = "; ".join(f"{column_letters(c)} ({t})" for c, t, _ in every if c in hidden)
        return None, f"has the column for --product {product}, {columns}, hidden: unhide it to have it filled"
    if not named:
        headers = "; ".join(t for _, t, _ in every)
        return None, (
            f"has a column for each product ({headers}), none for --product {product}: fill it without --product "
            "to answer every product's column"
        )
    texts = base.header_texts | {_norm(t) for _, t, _ in every}
    # (the matrix says which columns it took: a guess at "the" answer column is no longer one; a
    # product's own notes column beside it, "API notes", takes its citations, round 90)
    layouts = [
        replace(
            base,
            answer=c,
            beside=(),
            header_texts=texts,
            product=column_product(p),
            guesses=(),
            comment=_own_notes(sheet, row, c, p) or base.comment,
        )
        for c, _, p in named
    ]
    layout = replace(layouts[0], beside=(*base.beside, *(replace(block, ends_at_header=True) for block in layouts[1:])))
    left = [
        f"{column_letters(c)} ({t}{', hidden: unhide it to have it filled' if c in hidden else ''})"
        for c, t, _ in every
        if c not in {c for c, _, _ in named}
    ]
    if overall is not None:
        header = collapse(sheet.shown_text(row, overall) or "")
        left.append(f"{column_letters(overall)} ({header}, for a person: it answers for more than one product)")
    if len(named) == len(every):
        note = f"a column for each product: {said}, each answered as asked of its product"
    else:
        note = f"filled the column for --product {product}: {said}"
    return layout, note + (f"; left {', '.join(left)}" if left else "")


def _own_notes(sheet: Sheet, row: int, col: int, products: frozenset[str]) -> int | None:
    """The column right of a product's answers that holds its notes: "API notes", "Enterprise comments"."""
    header = _column_header(sheet, row, col + 1)
    role = _role(header) if header else None
    return (
        col + 1
        if role is not None and role[0] == "comment" and column_products(_COMMENT_WORDS.sub(" ", header)) == products
        else None
    )


_COMMENT_WORDS = re.compile(r"\b(?:" + "|".join(_COMMENT) + r")\w*", re.IGNORECASE)


def _takes_answers(sheet: Sheet, row: int, col: int, header: str) -> bool:
    """Whether a product's column takes answers: its header says so ("API response") or its cells
    below the header have a list ("Yes, No, N/A"), unlike a column of ticks."""
    validation = sheet.validation_at(row + 1, col)
    if answer_named(_norm(header)) or validation is None or validation.kind != "list":
        return answer_named(_norm(header))
    return not _lists_no_answer(validation.formula)  # (a list of "X" is a tick)


def _product_columns(sheet: Sheet, layout: _Layout) -> list[str]:
    """A note on columns headed by a product that are not filled: beside an answer column that names
    no product, with no list and no "response" in their header ("Applies to: API | Enterprise"),
    they are read as ticks (round 41 said nothing of them; round 88 followed the advice this note
    gave, --answer-col, into a tick column: it names the option only for a column that is one)."""
    used = {layout.question, layout.answer, layout.comment, layout.id, layout.section, *(c for _, c in layout.marks)}
    used |= {block.answer for block in layout.beside}
    cells = sheet.cells.get(layout.header_row, {})
    named = [(c, t, found) for c, t in sorted(cells.items()) if c not in used and (found := product_header(t))]
    if not named:
        return []
    letters = ", ".join(column_letters(c) for c, _, _ in named)
    # (no command: round 90 followed the one this note gave into an "Enterprise tier" column)
    return [
        f"sheet '{sheet.name}': column(s) {letters} name a product each ({', '.join(t for _, t, _ in named)}) "
        "and take no answers (no list, no 'response' in the header): left as they are"
    ]


def _sheet_notes(sheet: Sheet, layout: _Layout, skipped: _Skipped, found: int) -> list[str]:
    where = f"sheet '{sheet.name}'"
    if not found:
        if skipped.formula and not (skipped.locked or skipped.merged or skipped.hidden):
            # every answer is computed: an analyst or report sheet, not one to fill
            return [f"{where}: its answer column holds only formulas (a computed sheet); skipped"]
        if not (skipped.formula or skipped.locked or skipped.merged or skipped.hidden):
            return [f"{where}: a header but no question rows below it; skipped"]
    notes = [f"{where}: {guess}" for guess in layout.guesses]
    if skipped.formula:
        notes.append(
            f"{where}: skipped {len(skipped.formula)} questions whose answer cell is a formula "
            f"({_refs(skipped.formula)}); answer them where the formula takes its value from"
        )
    if skipped.locked:
        notes.append(
            f"{where}: skipped {len(skipped.locked)} questions whose answer cell is locked on this protected "
            f"sheet ({_refs(skipped.locked)}); unprotect the sheet to fill them"
        )
    if skipped.merged:
        notes.append(
            f"{where}: skipped {len(skipped.merged)} questions whose answer cell is inside a merged range "
            f"({_refs(skipped.merged)})"
        )
    if skipped.hidden:
        notes.append(f"{where}: skipped {len(skipped.hidden)} question rows that are hidden")
    for formula in skipped.lists:
        notes.append(f"{where}: could not read the answer list '{formula}'; its rows are left for a person")
    if skipped.blocks:
        notes.append(
            f"{where}: the block from row {skipped.blocks[0]} has its columns for other products than the rows "
            "above and was not read there; move it to a sheet of its own to fill it"
        )
    return notes


# --- the workbook ------------------------------------------------------------------------


def _read_book(book: Book, options: ReadOptions) -> FormRead:
    """Read every visible sheet (or the one chosen) through the matched profile or detection."""
    if options.sheet is not None and not any(s.name == options.sheet for s in book.sheets):
        named = ", ".join(f"'{s.name}'" for s in book.sheets)
        raise FormError(book.path, f"has no sheet named '{options.sheet}'; its sheets are {named}; pass one to --sheet")
    profile = _match_profile(book)
    visible = sum(1 for s in book.sheets if s.state == "visible")
    questions: list[FormQuestion] = []
    notes: list[str] = []
    reasons: list[str] = []
    passed: dict[str, list[str]] = {}  # sheets skipped for a plain reason, one note per reason
    blocked: list[str] = []  # why the questions of a sheet could not be filled (locked, merged, formulas)
    missed: list[tuple[int, str, bool]] = []  # sheets without the columns: (where its note goes, why, question found)
    voices: set[str] = set()  # whom the workbook's "we" means, where a sheet's lines above its questions say
    defined: set[str] = set()  # the name it defines for the company that wrote it
    titled: set[str] = set()  # an organisation's name alone on a title line above the questions
    meant: set[str] = set()  # texts that may say what its own words for it mean ("'the Company' means ...")
    kept_off: set[str] = set()  # sheets its instructions say not to edit, as the sheets read so far say
    only: set[str] = set()  # the sheets its instructions say are the only ones to complete
    unasked: list[str] = []  # sheets of a column a product where none is the --product
    for ref in book.sheets:
        where = f"sheet '{ref.name}'"
        if options.sheet is not None and ref.name != options.sheet:
            continue
        if options.sheet is None and ref.state != "visible":
            passed.setdefault("hidden sheets", []).append(ref.name)
            continue
        if options.sheet is None and ref.name.startswith(REVIEW_SHEET):
            passed.setdefault("autofill's own review sheets", []).append(ref.name)  # a form filled before
            continue
        sheet = book.sheet(ref.name)
        if sheet is None:
            passed.setdefault("sheets that are not worksheets", []).append(ref.name)
            continue
        told_off, told_only = _told_sheets(sheet)
        kept_off.update(told_off)
        only.update(told_only)
        elsewhere = bool(only) and _norm(ref.name) not in only  # "Please complete the Questionnaire tab only."
        records = _NOT_ANSWERED_HERE.search(ref.name) and not _ASKS.search(ref.name)  # ("Findings Questionnaire")
        if options.sheet is None and (records or _norm(ref.name) in kept_off or elsewhere):
            # "POA&M", "Risk register", or a sheet the instructions say not to edit (round 82 offered Yes
            # for a plan of action's Status cell and wrote into its "Remediated? (Yes/No)")
            passed.setdefault("sheets of the customer's own records or that the form says not to edit", []).append(
                ref.name
            )
            continue
        found: _Layout | _Miss
        if profile is not None and _profile_reads(profile, sheet):
            found = _profile_layout(profile)
        elif profile is not None and options.sheet is None:
            passed.setdefault(f"sheets outside the {profile.name} layout", []).append(ref.name)
            continue
        else:
            found = _detect(sheet)
        found = _apply_overrides(book.path, found, options, only_sheet=options.sheet is not None or visible == 1)
        matrix = _product_matrix(sheet, found, options.product) if options.answer_col is None else None
        if matrix is not None:
            # "Question | API | ChatGPT Enterprise | ChatGPT Team": each column its product's answers
            columns, note = matrix
            if columns is None:
                unasked.append(f"{where} {note}")
                continue
            found = columns
            notes.append(f"{where}: {note}")
        voices.update(_declared_voices(sheet))
        for text in _texts(sheet):  # (one pass over the cells: a sheet may hold ten thousand rows)
            defined.update(defined_names(text))
            if may_define(text):
                meant.add(text)
        if isinstance(found, _Layout):
            titled.update(filter(None, (title_name(text) for text in _title_lines(sheet, found))))
        if isinstance(found, _Miss):
            reason = f"{where}: {found.reason}"
            if found.layout is not None and (hint := _product_columns(sheet, found.layout)):
                notes.extend(hint)  # "API | Enterprise | Team": one answer column a product
                reasons.append(hint[0])
                continue
            # a sheet where a question column was found explains the failure best
            reasons.insert(0 if found.question else len(reasons), reason)
            missed.append((len(notes), reason, found.question is not None))
            continue
        read, sheet_notes = _read_sheet(book, sheet, found)
        for role, col in (("answer", found.answer), ("comment", found.comment)):
            if col and sheet.col_hidden(col):  # only a column named by --answer-col / --comment-col
                sheet_notes.append(
                    f"{where}: the {role} column {column_letters(col)} is hidden; unhide it to see what is written"
                )
        for block in found.beside:
            more, more_notes = _read_sheet(book, sheet, replace(block, header_row=found.header_row))
            read += more
            # (a column for each product reads the same rows: what they say alike is said once)
            sheet_notes += [note for note in more_notes if note not in sheet_notes]
        questions.extend(read)
        notes.extend(sheet_notes + ([] if matrix else _product_columns(sheet, found)))
        if not read:  # questions found, but none whose answer cell may be written: say why
            blocked.extend(n for n in sheet_notes if ": skipped " in n and "questions whose answer cell" in n)
    # a sheet with a question column but no answer column: a hint to name it, unless other sheets
    # were read (an instructions sheet that talks of "questions" is just skipped)
    for at, reason, asked in reversed(missed):
        notes.insert(at, f"{reason}; {'pass --answer-col' if asked and not questions else 'skipped'}")
    for why, sheets in passed.items():
        notes.append(f"skipped {why}: " + ", ".join(f"'{name}'" for name in sheets))
    notes.extend(f"skipped {why}" for why in unasked)
    if not questions and unasked:
        raise FormError(book.path, unasked[0])
    if not questions and blocked:
        raise FormError(book.path, f"has no answer cell autofill may write: {blocked[0]}")
    if not questions:
        why = f" ({reasons[0]})" if reasons else ""
        raise FormError(
            book.path,
            "no question rows found: no sheet has a header with a question column and an answer column; "
            f"pass --sheet/--question-col/--answer-col{why}",
        )
    if (voice := one_voice(voices)) is not None:  # (two sheets that say otherwise leave it unsaid)
        questions = [replace(q, voice=voice) for q in questions]
    # (two names: whose is unsaid)
    customer = (
        next(iter(defined)) if len(defined) == 1 else next(iter(titled)) if not defined and len(titled) == 1 else None
    )
    aliases = {alias for text in meant for alias in defined_aliases(text, customer)} if customer else set()
    things = {thing for text in meant for thing in defined_customer_things(text, customer)}
    if things:
        # a sheet named by one: its rows are about the customer's own system ("Platform", round 120a)
        own = {t.lower(): f"The customer's own {t}" for t in things}
        questions = [
            replace(q, context=(own[named], *q.context)) if (named := (q.location.sheet or "").lower()) in own else q
            for q in questions
        ]
    terms = {term: text for text in meant for term, text in defined_products(text).items()}
    if terms:
        questions = [with_defined_products(q, terms) for q in questions]
    return FormRead(
        path=book.path,
        kind="xlsx",
        questions=tuple(questions),
        notes=tuple(notes),
        profile=profile.name if profile else None,
        customer=customer,
        customer_aliases=tuple(sorted(aliases)),
        customer_things=tuple(sorted(things)),
    )
