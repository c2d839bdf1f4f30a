"""Word documents as XML: opening safely, body blocks, table rows and cells, checkboxes, text patterns.

The layer the reader and the writer share; python-docx's object model is bypassed where it is
slow (rows, merged cells) or blind (legacy form checkboxes).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from autofill.choices import BRACKETED, CHOICE_WORDS, GRADED_HEADER, choice_list, flags_the_row, lists_answers
from autofill.errors import FormError
from autofill.forms.placeholders import is_placeholder_text, reserved_header
from autofill.safety import CONTROL_CHARACTERS, MAX_CHARS, MAX_PARAGRAPHS, check_package, too_large

Element = etree._Element

W_P, W_R, W_T, W_TAB, W_BR, W_CR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_TBL, W_TR, W_TC, W_TCPR, W_TRPR = qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:trPr")
W_SDT, W_SDTPR, W_SDTCONTENT = qn("w:sdt"), qn("w:sdtPr"), qn("w:sdtContent")
W_CUSTOMXML, W_TXBX, W_PPR, W_RPR = qn("w:customXml"), qn("w:txbxContent"), qn("w:pPr"), qn("w:rPr")
W_CHECKBOX, W_DEFAULT, W_CHECKED = qn("w:checkBox"), qn("w:default"), qn("w:checked")
W_VAL, W_SHOWING_PLACEHOLDER = qn("w:val"), qn("w:showingPlcHdr")
W14_CHECKBOX, W14_CHECKED, W14_VAL = qn("w14:checkbox"), qn("w14:checked"), qn("w14:val")
_W_GRIDSPAN, _W_VMERGE = qn("w:gridSpan"), qn("w:vMerge")
_MAX_COLUMNS = 64

# ☐ and the other empty boxes forms draw ("□ Yes □ No", "❑", "▢"); ☒ ☑ ticked
UNTICKED, TICKED = "☐□❑▢", "☒☑"
# a box typed as brackets before its label: "[ ] Yes [ ] No", "[X] Yes" (a wider "[      ]" is a blank to fill)
BRACKET_BOX = re.compile(
    r"\[(?: {1,2}|\u00a0|[xX\u2713\u2714])\](?=[ \t\u00a0]*[A-Za-z]|[ \t\u00a0]*$)"
    # "( ) Yes ( ) No": in round brackets only before an answer's word
    r"|\((?: {1,2}|\u00a0|[xX\u2713\u2714])\)(?=[ \t\u00a0]*(?:yes|no|n/?a|not|partial|true|false)\b)",
    re.IGNORECASE,
)
NO_QUESTIONS = (
    "no questions found: no table has question and answer columns "
    "and no numbered question is followed by an answer space"
)

# --- opening -------------------------------------------------------------------------------


def open_document(path: Path, *, check: bool = True) -> Document:
    """Open a .docx, or raise a one-line FormError saying how to make it readable.

    `check` runs the zip/XML-bomb/encryption preflight first; skip it only for files autofill wrote.
    """
    if check:
        check_package(path, "docx")
    try:
        document = docx.Document(str(path))
    except ValueError as error:
        # python-docx refuses templates (.dotx) and macro documents (.docm) by content type
        raise FormError(path, f"is not a plain Word document ({error}); save it as .docx in Word") from None
    except (PackageNotFoundError, KeyError, etree.XMLSyntaxError, zipfile.BadZipFile) as error:
        raise FormError(
            path, f"is damaged ({type(error).__name__}); open it in Word, save it as .docx, then try again"
        ) from None
    if document.element.tag.startswith("{http://purl.oclc.org/ooxml/"):
        # Strict Open XML names every element otherwise: none of this document would be read
        raise FormError(path, "is saved as Strict Open XML; save it from Word as 'Word Document', then try again")
    _check_size(path, document)
    return document


def _check_size(path: Path, document: Document) -> None:
    """Refuse a document whose text is beyond any form's: reading it would take minutes and gigabytes."""
    paragraphs = chars = 0
    for element in document.element.body.iter(W_P, W_T):
        if element.tag == W_P:
            paragraphs += 1
            if paragraphs > MAX_PARAGRAPHS:
                raise too_large(path, f"{MAX_PARAGRAPHS:,} paragraphs")
        else:
            chars += len(element.text or "")
            if chars > MAX_CHARS:
                raise too_large(path, f"{MAX_CHARS:,} characters of text")


# --- document structure --------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One `w:tc` of a table row, with its grid position."""

    tc: Element
    index: int  # position among the row's w:tc: the C of "T3R5C2"
    col: int  # first grid column it covers
    span: int
    merged_below: bool  # vMerge continuation: the cell above holds the content
    text: str


Row = tuple[Cell, ...]


@dataclass(frozen=True)
class BodyIndex:
    """The addressable parts of a document body: what "P41" and "T3" point at."""

    blocks: tuple[Element, ...]  # top-level paragraphs and tables in order
    paragraphs: tuple[Element, ...]  # body paragraphs outside tables: "P{i}"
    tables: tuple[Element, ...]  # every table, nested included, in document order: "T{i}"


def index_body(body: Element) -> BodyIndex:
    """List the body's blocks, paragraphs and tables once, in document order."""
    blocks = tuple(iter_blocks(body))
    tables: list[Element] = []

    def add_table(tbl: Element) -> None:
        tables.append(tbl)
        for tr in children(tbl, W_TR):
            for tc in children(tr, W_TC):
                for inner in iter_blocks(tc):
                    if inner.tag == W_TBL:
                        add_table(inner)

    for block in blocks:
        if block.tag == W_TBL:
            add_table(block)
    paragraphs = tuple(b for b in blocks if b.tag == W_P)
    return BodyIndex(blocks, paragraphs, tuple(tables))


def iter_blocks(parent: Element) -> Iterator[Element]:
    """Paragraphs and tables directly in `parent`, looking through content controls."""
    for child in parent:
        if child.tag in (W_P, W_TBL):
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from iter_blocks(content)
        elif child.tag == W_CUSTOMXML:
            yield from iter_blocks(child)


def children(parent: Element, tag: str) -> Iterator[Element]:
    """Direct children with `tag`, looking through content controls and custom XML wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from children(content, tag)
        elif child.tag == W_CUSTOMXML:
            yield from children(child, tag)


def table_rows(tbl: Element) -> list[Row]:
    """Every row of `tbl` as its unique cells: merged cells once, never per grid column."""
    rows: list[Row] = []
    for tr in children(tbl, W_TR):
        col = _grid_before(tr)
        cells: list[Cell] = []
        for i, tc in enumerate(children(tr, W_TC)):
            span, merged = 1, False
            props = tc.find(W_TCPR)
            if props is not None:
                grid_span = props.find(_W_GRIDSPAN)
                if grid_span is not None:
                    # Word's tables have at most 63 columns: a larger span is a damaged (or hostile)
                    # file, and every column it claims would cost memory (round 26: 2,000,000,000)
                    span = min(max(1, number(grid_span.get(W_VAL), 1)), _MAX_COLUMNS)
                v_merge = props.find(_W_VMERGE)
                merged = v_merge is not None and v_merge.get(W_VAL, "continue") == "continue"
            cells.append(Cell(tc, i, col, span, merged, cell_text(tc)))
            col += span
        rows.append(tuple(cells))
    return rows


def _grid_before(tr: Element) -> int:
    props = tr.find(W_TRPR)
    before = props.find(qn("w:gridBefore")) if props is not None else None
    return number(before.get(W_VAL), 0) if before is not None else 0


def number(value: str | None, default: int, base: int = 10) -> int:
    """An integer attribute, or `default` when it is missing or malformed (forms come from anywhere)."""
    try:
        return int(value or "", base)
    except ValueError:
        return default


def cell_paragraphs(tc: Element) -> list[Element]:
    """The cell's own paragraphs; nested tables are addressed separately."""
    return [b for b in iter_blocks(tc) if b.tag == W_P]


def cell_text(tc: Element) -> str:
    """The cell's own text, one line per paragraph."""
    return "\n".join(paragraph_text(p) for p in cell_paragraphs(tc))


def paragraph_text(p: Element) -> str:
    """Visible text of a paragraph: tabs as '\\t', breaks as '\\n', deleted text left out."""
    in_box = next(p.iter(W_TXBX), None) is not None
    parts: list[str] = []
    for el in p.iter(W_T, W_TAB, W_BR, W_CR):
        # text boxes are separate stories; tab stops in pPr are not text
        if in_box and any(a.tag == W_TXBX for a in el.iterancestors()):
            continue
        if el.tag == W_T:
            parts.append(el.text or "")
        elif _parent_tag(el) == W_R:
            parts.append("\t" if el.tag == W_TAB else "\n")
    return "".join(parts)


def _parent_tag(el: Element) -> str | None:
    parent = el.getparent()
    return None if parent is None else str(parent.tag)


def clean(text: str) -> str:
    """Collapse whitespace, as questions and labels are compared and shown on one line; control
    characters go too (a form's ESC must never reach a terminal or a ledger)."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


# --- checkboxes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """One checkbox: a ☐ glyph in text, a w14 checkbox content control, or a legacy form field."""

    kind: Literal["glyph", "bracket", "w14", "legacy"]
    el: Element  # glyph: the w:t holding it; w14: the w:sdt; legacy: the w:checkBox
    offset: int  # glyph: its position in el.text
    checked: bool
    paragraph: Element
    width: int = 1  # glyph: its characters in el.text ("[ ]" is three)


@dataclass(frozen=True)
class Boxes:
    """The checkboxes in some paragraphs, with the text before them and each box's label."""

    prompt: str
    boxes: tuple[Box, ...]
    labels: tuple[str, ...]

    def ticked(self) -> str | None:
        chosen = [label for box, label in zip(self.boxes, self.labels, strict=True) if box.checked]
        return ", ".join(chosen) or None


def scan_boxes(paragraphs: Iterable[Element]) -> Boxes:
    """Find the checkboxes in `paragraphs`; a box's label runs to the next box or paragraph end."""
    paragraphs = list(paragraphs)
    if not any(_may_hold_boxes(p) for p in paragraphs):
        return Boxes(clean("\n".join(map(paragraph_text, paragraphs))), (), ())
    prompt: list[str] = []
    boxes: list[Box] = []
    labels: list[list[str]] = []
    before: list[str] = []  # each box's text since the last box or the start of its paragraph
    since: list[str] = []
    shown: list[str] = []  # the text as the scan reads it, each typed box as its characters
    for p in paragraphs:
        if boxes:
            labels[-1].append("\n")
        else:
            prompt.append("\n")
        since = []
        for token in _box_tokens(p):
            if isinstance(token, Box):
                boxes.append(token)
                labels.append([])
                before.append(clean("".join(since)))
                since = []
                if token.kind in ("glyph", "bracket"):
                    shown.append((token.el.text or "")[token.offset : token.offset + token.width])
                continue
            since.append(token)
            shown.append(token)
            if boxes:
                labels[-1].append(token)
            else:
                prompt.append(token)
        shown.append("\n")
    after = [clean("".join(label).split("\n")[0]) for label in labels]
    text = "".join(shown)
    brackets = sum(1 for box in boxes if box.kind == "bracket")
    split = ("[" in text or "(" in text) and len(BRACKET_BOX.findall(text)) != brackets
    if split or len({norm(label) for label in after}) < len(after):
        # a box split over runs ("[" | "X" | "] Yes"): its state cannot be read, so none of the line's boxes is
        # trusted (round 110 ticked "No" beside a customer's "[X] Yes"); the same labels twice ("[ ] Yes [ ] No"
        # under each of several questions in one cell) are no one question's boxes (round 110 ticked the first
        # question's answer in the last question's line)
        return Boxes(clean("\n".join(map(paragraph_text, paragraphs))), (), ())
    if boxes and not after[-1] and all(before) and len(boxes) > 1:
        # "Yes ☐   No ☐": each label stands before its box, the last box has none after it
        first = re.split(r"[?:]\s*|\s{2,}", before[0])[-1].strip()  # "Do you encrypt? Yes ☐ No ☐"
        if not first or len(first.split()) > 3:
            first = before[0].split()[-1]
        lead = clean("".join(prompt))
        return Boxes(clean(lead[: lead.rfind(first)]), tuple(boxes), (first, *before[1:]))
    return Boxes(clean("".join(prompt)), tuple(boxes), tuple(after))


def _may_hold_boxes(p: Element) -> bool:
    # a cheap test first: most answer cells hold no box at all
    if next(p.iter(W14_CHECKBOX, W_CHECKBOX), None) is not None:
        return True
    return any(holds_box(t.text or "") for t in p.iter(W_T))


def holds_box(text: str) -> bool:
    """Whether a text holds a box glyph or a bracket box."""
    return any(ch in text for ch in UNTICKED + TICKED) or (
        ("[" in text or "(" in text) and BRACKET_BOX.search(text) is not None
    )


def _glyphs(text: str) -> Iterator[tuple[int, int, bool]]:
    """Each box in a text: where it starts, its length, whether it is ticked."""
    brackets = {m.start(): m for m in BRACKET_BOX.finditer(text)} if "[" in text or "(" in text else {}
    for i, ch in enumerate(text):
        if ch in UNTICKED + TICKED:
            yield i, 1, ch in TICKED
        elif i in brackets:
            yield i, brackets[i].end() - i, text[i + 1] not in " \u00a0"


def _box_tokens(p: Element) -> Iterator[str | Box]:
    skip: set[Element] = set()
    in_box = next(p.iter(W_TXBX), None) is not None
    for el in p.iter(W_T, W_TAB, W_BR, W_CR, W14_CHECKBOX, W_CHECKBOX):
        # a text box is a story of its own, as paragraph_text reads it: boxes in it are not this line's (round
        # 110: ticked there, the copy failed its own check)
        if in_box and any(a.tag == W_TXBX for a in el.iterancestors()):
            continue
        tag = el.tag
        if tag == W_T:
            if el in skip:
                continue
            text = el.text or ""
            if not holds_box(text):
                yield text
                continue
            start = 0
            for i, length, ticked in _glyphs(text):
                yield text[start:i]
                yield Box("glyph" if length == 1 else "bracket", el, i, ticked, p, length)
                start = i + length
            yield text[start:]
        elif tag in (W_TAB, W_BR, W_CR) and _parent_tag(el) == W_R:
            yield "\n" if tag == W_BR else " "
        elif tag == W14_CHECKBOX:
            sdt = next((a for a in el.iterancestors(W_SDT)), None)
            if sdt is None:
                continue
            content = sdt.find(W_SDTCONTENT)
            # the control shows a glyph as its content; that glyph is the box, not label text
            skip.update(content.iter(W_T) if content is not None else ())
            checked = el.find(W14_CHECKED)
            yield Box("w14", sdt, 0, checked is not None and _on(checked.get(W14_VAL)), p)
        elif tag == W_CHECKBOX:
            yield Box("legacy", el, 0, legacy_checked(el), p)


def legacy_checked(checkbox: Element) -> bool:
    """A legacy checkbox is ticked by `w:checked`, else by its `w:default`."""
    checked = checkbox.find(W_CHECKED)
    if checked is not None:
        return _on(checked.get(W_VAL, "1"))
    default = checkbox.find(W_DEFAULT)
    return default is not None and _on(default.get(W_VAL, "0"))


def _on(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "on")


# --- text patterns -------------------------------------------------------------------------

_QUESTION_HDR = re.compile(r"\b(questions?|requirements?|controls?|descriptions?|criteria|query|statements?)\b", re.I)
# "Vendor attests", "Attestation": the vendor's tick or answer to a statement
_ANSWER_HDR = re.compile(
    r"\b(responses?|answers?|repl(?:y|ies)|yes\s*[/-]\s*no|y\s*/\s*n|verdicts?|veridicts?|results?|attests?|"
    r"attestation)\b",
    re.I,
)
_COMMENT_HDR = re.compile(
    r"\b(comments?|commentary|evidence|notes?|remarks?|explanations?|justifications?|rationale|details?|"
    r"additional information|supporting information|clarifications?)\b",
    re.I,
)
_ID_HDR = re.compile(r"(#|no\.?|nr\.?|id|ref\.?|reference|number|q\s*#|item\s*#|item|s/?n)", re.I)
_QUESTION_WORDS = {
    "do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "can", "could", "will",
    "would", "should", "shall", "may", "must", "describe", "explain", "provide", "list", "please",
    "what", "how", "which", "who", "where", "when", "why", "indicate", "specify", "confirm",
    "state", "identify",
}  # fmt: skip
# numbering is layout and leaves the text; control ids (AC-2) are content and stay in it
_NUMBER_PREFIX = re.compile(r"^\s*((?:Q\s?|[A-Z]\.)?\d+(?:\.\d+)*[a-z]?)(?:[.):]\s*|\s+)(?=\S)", re.I)
_CONTROL_ID = re.compile(r"^\s*([A-Z]{2,4}-\d+(?:\s?\(\d+\))?)")
ANSWER_LABEL = re.compile(r"^\s*(?:vendor\s+|your\s+)?(?:response|answer|reply)\s*[:：–-]\s*", re.I)
# a label a place to write starts with, an answer's or its explanation's ("Explanation:", "Comments:"): kept
FIELD_LABEL = re.compile(
    r"^\s*(?:vendor\s+|your\s+)?(?:response|answer|reply|explanation|comments?|details?|notes?|justification|"
    r"remarks?)\s*[:：–-]\s*",
    re.I,
)
_CAPTION_PREFIX = re.compile(r"^(table|figure)\s*[\d\s.\-–]*[.:]?\s*", re.I)


def norm(text: str) -> str:
    """Lower-case words only, for comparing labels: 'N/A' and 'n a' are equal."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


W_FLDCHAR, W_FFDATA, W_DDLIST, W_LISTENTRY = qn("w:fldChar"), qn("w:ffData"), qn("w:ddList"), qn("w:listEntry")
W_FLDCHARTYPE, W_TEXTINPUT = qn("w:fldCharType"), qn("w:textInput")


@dataclass(frozen=True)
class LegacyField:
    """A legacy Word form field (FORMDROPDOWN, FORMTEXT): its begin run, its data and the runs
    that show its result, between its "separate" and "end" field characters."""

    begin: Element
    data: Element  # w:ffData
    separate: Element | None
    result: tuple[Element, ...]

    @property
    def entries(self) -> tuple[str, ...]:
        listed = self.data.find(W_DDLIST)
        return tuple(e.get(W_VAL) or "" for e in listed.iter(W_LISTENTRY)) if listed is not None else ()


def legacy_field(p: Element) -> LegacyField | None:
    """The first legacy drop-down or text form field in a paragraph, or None."""
    found: LegacyField | None = None
    begin = data = separate = None
    result: list[Element] = []
    for r in p.iter(W_R):
        char = r.find(W_FLDCHAR)
        kind = char.get(W_FLDCHARTYPE) if char is not None else None
        if kind == "begin" and begin is None:
            ff = char.find(W_FFDATA) if char is not None else None
            if ff is not None and (ff.find(W_DDLIST) is not None or ff.find(W_TEXTINPUT) is not None):
                begin, data = r, ff
        elif begin is not None and kind == "separate" and separate is None:
            separate = r
        elif begin is not None and kind == "end":
            assert data is not None
            found = LegacyField(begin, data, separate, tuple(result))
            break
        elif separate is not None and r.find(W_T) is not None:
            result.append(r)
    return found


def dropdown_choices(tc: Element) -> tuple[str, ...] | None:
    """The items of a drop-down content control (or legacy drop-down field) in a cell (Yes / No /
    N/A), its prompt item left out."""
    for p in tc.iter(W_P):
        field = legacy_field(p)
        if field is not None and field.entries:
            # round 65: a legacy FORMDROPDOWN's answer was typed as text, its selection left on "Select"
            choices = tuple(dict.fromkeys(clean(e) for e in field.entries if e and not is_placeholder_text(e)))
            return choices or None
    for sdt in tc.iter(W_SDT):
        listed = sdt.find(f"{W_SDTPR}/{qn('w:dropDownList')}")
        if listed is None:
            listed = sdt.find(f"{W_SDTPR}/{qn('w:comboBox')}")
        if listed is None:
            continue
        items = [
            clean(item.get(qn("w:displayText")) or item.get(qn("w:value")) or "")
            for item in listed.iter(qn("w:listItem"))
        ]
        choices = tuple(dict.fromkeys(i for i in items if i and not is_placeholder_text(i)))
        return choices or None
    return None


def is_placeholder(text: str) -> bool:
    """True for an empty answer space or a prompt to replace ('[Answer]', '____', 'Yes / No')."""
    body = clean(text)
    return not body or is_placeholder_text(body) or choice_list(body, strict=False) is not None


def labelled_blank(text: str) -> bool:
    """A place to write holding only its label and room ("Response:", "Vendor comments: ____", "Details: [   ]")."""
    body = clean(text)
    label = FIELD_LABEL.match(body)
    return label is not None and is_placeholder(body[label.end() :])


def split_number(text: str) -> tuple[str | None, str]:
    """('1.2', 'Do you…?') from '1.2. Do you…?'; the id is None when there is no numbering."""
    body = clean(text)
    match = _NUMBER_PREFIX.match(body)
    if match and not re.fullmatch(r"\d{4}", match.group(1)):  # a year is not numbering
        return match.group(1).replace(" ", ""), body[match.end() :]
    control = _CONTROL_ID.match(body)
    return (control.group(1) if control else None), body


def question_like(text: str) -> bool:
    """Ends with '?' or opens with a question word ('Do', 'Describe', …) after any numbering."""
    body = split_number(text)[1]
    words = body.split()
    return body.endswith("?") or (len(words) >= 3 and words[0].lower().strip(",:") in _QUESTION_WORDS)


def header_role(text: str) -> str | None:
    """'question' / 'answer' / 'comment' / 'id' / 'choice' for a header cell, None otherwise."""
    body = clean(text)
    name = BRACKETED.sub("", body)  # "Status (Implemented / Partially Implemented / Planned / Not Implemented)"
    if not body or len(name) > 60 or len(name.split()) > 8 or body.endswith("?") or flags_the_row(body):
        return None  # ("Applicable? (Y/N)", "Evidence provided? (Y/N)": a question of its own, round 84)
    if reserved_header(body):
        return None  # the customer's own column: "Assessor comments", "Target state"
    if re.fullmatch(r"n[or]\s?\.", body, re.IGNORECASE):
        return "id"  # "No." over "E1.1", "E1.2": the row's number (round 65 read it as the No column)
    if norm(body) in CHOICE_WORDS:
        return "choice"
    if _ID_HDR.fullmatch(body):
        return "id"
    found = [
        (m.start(), role)
        for role, pattern in (("answer", _ANSWER_HDR), ("comment", _COMMENT_HDR))
        if (m := pattern.search(body))
    ]
    if found:
        return min(found)[1]
    if lists_answers(body) or GRADED_HEADER.fullmatch(body) or re.fullmatch(r"status", body, re.I):
        return "answer"  # "Compliance (C / PC / NC / N/A)", "Compliance", "Status" (round 84)
    # "Control Description" and "Security Question" name a column; "Access Control" is a section
    words = body.split()
    if len(words) > 1 and re.fullmatch(r"#|no\.?|nr\.?|ids?|ref\.?|number|num\.?", words[-1], re.I):
        return "id"  # "Control #", "Question No.", "Requirement ID": the row's number, not its text
    if _QUESTION_HDR.fullmatch(words[0]) or re.fullmatch(r"questions?", words[-1], re.I):
        return "question"
    return None


def paragraph_style(p: Element) -> str | None:
    """The paragraph's style id, None for the default style."""
    style = p.find(f"{W_PPR}/{qn('w:pStyle')}")
    return None if style is None else style.get(W_VAL)
