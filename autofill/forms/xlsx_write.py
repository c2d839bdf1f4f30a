"""Write outcomes into an .xlsx by patching only the XML that changes; every other part is copied raw.

openpyxl is never used to save: a load+save drops x14 data validations, conditional-format
extensions, threaded comments and more. Each zip entry of the input is copied byte for byte
(still compressed) and only these parts are rewritten: the worksheets that get cells (spliced
as bytes, so untouched rows stay byte-identical), `xl/styles.xml` (a highlight fill and a few
cell formats), and, for the added "Autofill review" sheet and recalculation on open, the
workbook, its relationships and `[Content_Types].xml`.

`verify_output` re-reads the result with a real XML parser, independently of the splicing.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import shlex
import textwrap
import zipfile
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from posixpath import basename, dirname, join, normpath, relpath
from typing import NamedTuple

from lxml import etree

from autofill.atomic import write_package
from autofill.choices import tick_typed
from autofill.errors import FormError
from autofill.forms.shared_cells import together
from autofill.forms.xlsx_refs import column_letters, column_number
from autofill.models import Outcome, WriteStats
from autofill.safety import check_package, fits_in_cell, part_key, part_names, safe_text

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

REVIEW_SHEET = "Autofill review"
REVIEW_HEADER = "Sheet|Cell|ID|Question|Suggested answer|Confidence|Suggested text|Candidates|Note|Decision".split("|")
REVIEW_WIDTHS = (16, 9, 12, 60, 14, 11, 50, 34, 30, 16)
REVIEW_MAX_LINES = 12  # a longer text scrolls inside its cell rather than making a giant row
DECISIONS = "accept,candidate 2,candidate 3,reject"
ALTERNATIVE_FLOOR = 50.0  # an alternative candidate below it is not listed (the default review threshold)
HIGHLIGHT_RGB = "FFFFD8A8"  # light amber, off Excel's palette: forms shade their own answer cells in its yellows

# entities are refused by the safety preflight; huge_tree lets big but legitimate sheets parse
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")

_Element = etree._Element
_Key = tuple[str, int, int]  # sheet, row, column
_Span = tuple[int, int, int, int]  # first row, first column, last row, last column


def _q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


_C, _ROW, _F, _V, _IS, _T = _q("c"), _q("row"), _q("f"), _q("v"), _q("is"), _q("t")


# --- public ------------------------------------------------------------------------------------


def write_answers(src: Path, dst: Path, outcomes: Sequence[Outcome], *, citations: str = "auto") -> WriteStats:
    """Write "answered" outcomes into `dst`, highlight and list "review" ones; `src` is untouched.

    `citations`: "auto" (or "comments", the same in a workbook) adds each citation the comment
    does not already quote to the comment cell; "none" writes `outcome.comment` only. Cells left
    alone are explained in `warnings`.
    """
    src, dst = Path(src), Path(dst)
    if citations not in ("auto", "comments", "none"):
        raise ValueError(f"citations must be 'auto', 'comments' or 'none', not {citations!r}")
    _refuse_same_file(src, dst)
    check_package(src, "xlsx")
    stats = WriteStats()
    with zipfile.ZipFile(src) as package:
        book = _Book.read(package, src)
        plan = _plan(outcomes, book, citations, stats.warnings)
        _remember(src, outcomes, plan)
        patcher = _Patcher(src, package, book, stats)
        patcher.apply(plan)
        several = len({o.question.location.sheet for o in outcomes}) > 1  # --comment-col applies to every sheet
        for sheet, count in plan.uncited.items():
            option = f"--comment-col {column_letters(patcher.sheet(sheet).last_column() + 1)}"
            if several:
                option = f"--sheet {shlex.quote(sheet)} {option}"
            stats.warnings.append(
                f"sheet '{sheet}' has no comment column: {count} answer(s) were written without their citation "
                f"(the report has them); to put citations in the form, fill again with {option} (an empty column)"
            )
        _note_hidden_comments(patcher, plan, stats)
        if plan.reviews:
            patcher.add_review_sheet(plan.reviews)
        replaced, added = patcher.finish()
    _write_package(src, dst, replaced, added)
    return stats


def _note_hidden_comments(patcher: _Patcher, plan: _Plan, stats: WriteStats) -> None:
    """Say which comment cells hold more lines than their fixed-height rows show (HECVAT 4)."""
    hidden: dict[str, list[str]] = {}
    for (name, row, col), write in plan.writes.items():
        if write.prefix_only and write.text:
            lines = patcher.sheet(name).shown_lines(row, col, write.text, patcher.styles())
            if lines is not None and lines[0] > lines[1]:
                hidden.setdefault(name, []).append(_ref(row, col))
    for name, refs in hidden.items():
        more = f" and {len(refs) - 3} more" if len(refs) > 3 else ""
        stats.warnings.append(
            f"sheet '{name}': {len(refs)} comment cell(s) hold more lines than their rows show ({', '.join(refs[:3])}"
            f"{more}); the rows' fixed heights were kept: enlarge them to read the whole citation"
        )


def write_decisions(
    src: Path, dst: Path, outcomes: Sequence[Outcome], marks: Mapping[tuple[str, str], str]
) -> WriteStats:
    """Write reviewed "answered" outcomes into an already-filled workbook and take their review highlight off.

    `marks` maps (sheet, cell) to plain text, such as the review sheet's Decision cells.
    `verify_output(src, dst, outcomes)` then checks every cell written here.
    """
    src, dst = Path(src), Path(dst)
    _refuse_same_file(src, dst)
    check_package(src, "xlsx")
    stats = WriteStats()
    with zipfile.ZipFile(src) as package:
        book = _Book.read(package, src)
        plan = _plan(outcomes, book, "auto", stats.warnings)
        for (sheet, cell), text in marks.items():
            label = f"'{sheet}' {cell}"
            if sheet in book.parts and (found := _key(sheet, cell, label, stats.warnings)):
                plan.writes[found] = _Write(safe_text(text), label)
        _remember(src, outcomes, plan)
        patcher = _Patcher(src, package, book, stats)
        patcher.apply(plan)
        for outcome in outcomes:
            question = outcome.question
            sheet = question.location.sheet or next(iter(book.parts), "")
            for cell in [cell for _, cell in question.mark_cells] or [question.answer_cell or question.location.cell]:
                if sheet in book.parts and (position := _position(cell)):
                    patch = patcher.sheet(sheet)
                    merge = patch.facts.merged(*position)
                    patch.op(*(merge[:2] if merge else position)).plain = True
        replaced, added = patcher.finish()
    _write_package(src, dst, replaced, added)
    return stats


# --- planning (pure: the same plan drives the writer and the verifier) ---------------------------


class _Write(NamedTuple):  # a tuple: plans hold one per written cell, tens of thousands at a time
    text: str  # "" clears the cell
    label: str  # names the question in warnings
    choices: tuple[str, ...] | None = None
    prefix_only: bool = False  # comments may carry citations after the planned text


@dataclass
class _Plan:
    writes: dict[_Key, _Write] = field(default_factory=dict)
    highlights: dict[_Key, str] = field(default_factory=dict)
    reviews: list[Outcome] = field(default_factory=list)
    uncited: dict[str, int] = field(default_factory=dict)  # sheet -> answers written with nowhere for their citation


def _plan(outcomes: Sequence[Outcome], book: _Book, citations: str, warnings: list[str]) -> _Plan:
    plan = _Plan()
    first = next(iter(book.parts), None)
    shared: dict[_Key, list[tuple[str, str]]] = {}  # comment cell -> (answer column's header, comment)
    for outcome in outcomes:
        if outcome.status not in ("answered", "review"):
            continue
        question = outcome.question
        sheet = question.location.sheet or first
        label = f"'{sheet}' {question.qid or f'row {question.location.row}'}"
        if sheet is None or sheet not in book.parts:
            warnings.append(f"{label}: the workbook has no worksheet named '{sheet}'; skipped")
            continue
        if outcome.status == "review":
            cells = [cell for _, cell in question.mark_cells] or [question.answer_cell or question.location.cell]
            for cell in cells:
                if found := _key(sheet, cell, label, warnings):
                    plan.highlights[found] = label
            plan.reviews.append(outcome)
            continue
        value = outcome.value if outcome.value is not None else outcome.answer
        if not value:
            warnings.append(f"{label}: answered without a value; left it empty")
            continue
        if question.mark_cells:
            chosen = next((cell for choice, cell in question.mark_cells if _same(choice, value)), None)
            if chosen is None:
                choices = ", ".join(choice for choice, _ in question.mark_cells)
                warnings.append(f"{label}: '{value}' matches none of the checkbox columns ({choices}); left it empty")
                continue
            for _, cell in question.mark_cells:
                if found := _key(sheet, cell, label, warnings):
                    # a row holds one mark: the others are cleared, as typing over an answer would
                    plan.writes[found] = _Write(question.mark if cell == chosen else "", label)
        else:
            if question.choices and value not in question.choices:
                spelled = next((c for c in question.choices if _same(c, value)), None)
                if spelled is None:
                    allowed = ", ".join(question.choices)
                    warnings.append(f"{label}: '{value}' is not one of the cell's choices ({allowed}); left it empty")
                    continue
                value = spelled
            ticked = tick_typed(question.typed_boxes, value) if question.typed_boxes else None
            if found := _key(sheet, question.answer_cell or question.location.cell, label, warnings):
                # ("( ) Yes ( ) No" keeps its boxes: "(X) Yes ( ) No")
                written = (
                    _Write(safe_text(ticked), label) if ticked else _Write(safe_text(value), label, question.choices)
                )
                plan.writes[found] = written
        comment = _comment(outcome, citations)
        if not question.comment_cell and outcome.citations:
            plan.uncited[sheet] = plan.uncited.get(sheet, 0) + 1
        if question.comment_cell and comment and (found := _key(sheet, question.comment_cell, label, warnings)):
            # a row answered in several columns (one a product) shares its comment cell
            shared.setdefault(found, []).append((question.scopes[0] if question.scopes else "", comment))
            text = _after_customer(question.comment_existing, together(shared[found]))
            if question.comment_existing and not fits_in_cell(text):
                # the customer's text fills the cell: ours would be cut, its source line first (round 63)
                warnings.append(
                    f"{label}: the comment cell {question.comment_cell} is full; the citation is in the report only"
                )
            else:
                plan.writes[found] = _Write(safe_text(text), label, prefix_only=True)
        for cell, text in outcome.side:  # columns that travel with the answer (CAIQ v4 SSRM)
            if found := _key(sheet, cell, label, warnings):
                plan.writes[found] = _Write(safe_text(text), label)
    return plan


# verify_output usually checks the outcomes write_answers has just planned; one memo spares
# planning them twice. Frozen outcomes that are the very same objects give the very same plan.
_memo: list[tuple[tuple[str, int, int], tuple[Outcome, ...], _Plan]] = []


def _remember(src: Path, outcomes: Sequence[Outcome], plan: _Plan) -> None:
    stat = src.stat()
    _memo[:] = [((str(src.resolve()), stat.st_size, stat.st_mtime_ns), tuple(outcomes), plan)]


def _recall(src: Path, outcomes: Sequence[Outcome]) -> _Plan | None:
    stat = src.stat()
    for key, remembered, plan in _memo:
        same = key == (str(src.resolve()), stat.st_size, stat.st_mtime_ns) and len(remembered) == len(outcomes)
        if same and all(a is b for a, b in zip(remembered, outcomes, strict=True)):
            return plan
    return None


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _key(sheet: str, cell: str, label: str, warnings: list[str]) -> _Key | None:
    position = _position(cell)
    if position is None:
        warnings.append(f"{label}: '{cell}' is not a cell reference; skipped")
        return None
    return sheet, position[0], position[1]


@lru_cache(maxsize=1 << 16)  # the verifier plans the same references again right after the writer
def _position(cell: str) -> tuple[int, int] | None:
    """(row, column) of a reference like "C12" or "$C$12"; None when it is not one inside Excel's grid."""
    match = _REF.fullmatch(cell.strip())
    if not match:
        return None
    row, col = int(match[2]), column_number(match[1].upper())
    return (row, col) if 1 <= row <= 1_048_576 and col <= 16_384 else None


def _after_customer(existing: str | None, ours: str) -> str:
    """The comment cell's new text: the customer's own words first, then ours (once)."""
    if not existing:
        return ours
    if ours in existing:  # filled before (--overwrite): said once
        return existing
    return f"{existing}\n{ours}"


def _comment(outcome: Outcome, citations: str) -> str:
    if outcome.citations and outcome.text:
        # the sentence and where it comes from, short enough for a row of fixed height (HECVAT 4.1.4
        # shows three lines); the quote itself is in the report
        sources = ["Source: " + ", ".join(p for p in (c.title, c.date, c.url) if p) for c in outcome.citations]
        return "\n".join(dict.fromkeys([*([] if outcome.value_is_text else [outcome.text]), *sources]))
    if citations == "none" or not outcome.citations:
        return outcome.comment or ""
    lines = [outcome.comment] if outcome.comment else []
    if citations in ("auto", "comments"):
        for citation in outcome.citations:
            if citation.url and any(citation.url in line for line in lines):
                continue
            where = ", ".join(part for part in (citation.url, citation.date) if part)
            lines.append(f"Source: {citation.title}" + (f" ({where})" if where else ""))
    return "\n".join(lines)


# --- cell references ---------------------------------------------------------------------------


@lru_cache(maxsize=4096)
@lru_cache(maxsize=4096)
def _col_of_bytes(letters: bytes) -> int:
    return column_number(letters.decode())


def _ref(row: int, col: int) -> str:
    return f"{column_letters(col)}{row}"


def _range(ref: str) -> _Span | None:
    """(first row, first col, last row, last col) of "A1:C3" or "B2"; None when unreadable."""
    start, _, end = ref.partition(":")
    first, last = _REF.fullmatch(start), _REF.fullmatch(end or start)
    if not first or not last:
        return None
    r1, c1 = int(first[2]), column_number(first[1].upper())
    r2, c2 = int(last[2]), column_number(last[1].upper())
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


# --- the package -------------------------------------------------------------------------------


@dataclass
class _Book:
    """The workbook part, its relationships and what they say about sheets and names."""

    part: str
    rels_part: str
    root: _Element
    rels: _Element
    parts: dict[str, str]  # worksheet name -> part, in workbook order
    sheets: list[tuple[str, str | None]]  # every sheet (worksheets and chartsheets): name, state
    names: list[tuple[str | None, str | None, str | None, str | None]]  # name, localSheetId, hidden, formula
    styles_part: str | None
    locked_structure: bool

    @classmethod
    def read(cls, package: zipfile.ZipFile, path: Path) -> _Book:
        # part names resolve as Excel resolves them (check_package refused names that collide)
        members = part_names(package)

        def member(name: str) -> str:
            return members.get(part_key(name), name)

        root_rels = _parse(package.read(member("_rels/.rels")))
        part = next(
            (
                _target("", rel.get("Target", ""))
                for rel in root_rels.iter(f"{{{PKG_REL}}}Relationship")
                if rel.get("Type", "").endswith("/officeDocument")
            ),
            "xl/workbook.xml",
        )
        part = member(part)
        root = _parse(package.read(part))
        if root.tag.startswith(f"{{{STRICT}}}"):
            raise FormError(path, "is saved as Strict Open XML; save it from Excel as 'Excel Workbook', then try again")
        rels_part = member(join(dirname(part), "_rels", basename(part) + ".rels"))
        rels = _parse(package.read(rels_part))
        targets = {
            rel.get("Id"): (rel.get("Type", ""), member(_target(dirname(part), rel.get("Target", ""))))
            for rel in rels.iter(f"{{{PKG_REL}}}Relationship")
            if rel.get("TargetMode") != "External"
        }
        parts: dict[str, str] = {}
        sheets: list[tuple[str, str | None]] = []
        for sheet in root.iter(_q("sheet")):
            name = sheet.get("name", "")
            sheets.append((name, sheet.get("state")))
            kind, target = targets.get(sheet.get(f"{{{DOC_REL}}}id"), ("", ""))
            if kind.endswith("/worksheet") and target in package.NameToInfo:
                parts[name] = target
        names = [(n.get("name"), n.get("localSheetId"), n.get("hidden"), n.text) for n in root.iter(_q("definedName"))]
        styles = next((t for kind, t in targets.values() if kind.endswith("/styles")), None)
        protection = root.find(_q("workbookProtection"))
        locked = protection is not None and protection.get("lockStructure") in ("1", "true")
        return cls(part, rels_part, root, rels, parts, sheets, names, styles, locked)


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return normpath(target).lstrip("/")
    return normpath(join(base, target))


def _parse(xml: bytes) -> _Element:
    return etree.fromstring(xml, _PARSER)


def _serialize(root: _Element) -> bytes:
    standalone = root.getroottree().docinfo.standalone
    if standalone is None:
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=standalone))


def _refuse_same_file(src: Path, dst: Path) -> None:
    same = dst.resolve() == src.resolve()
    if not same and dst.exists():
        with contextlib.suppress(OSError):
            same = os.path.samefile(src, dst)
    if same:
        raise FormError(dst, "is the input form; choose a different output file (the input is never modified)")


# child order of <workbook> and <styleSheet> (ECMA-376 part 1, 18.2.27 and 18.8.39)
_BOOK_ORDER = (
    "fileVersion fileSharing workbookPr workbookProtection bookViews sheets functionGroups externalReferences "
    "definedNames calcPr oleSize customWorkbookViews pivotCaches smartTagPr smartTagTypes webPublishing "
    "fileRecoveryPr webPublishObjects extLst"
).split()
_STYLE_ORDER = "numFmts fonts fills borders cellStyleXfs cellXfs cellStyles dxfs tableStyles colors extLst".split()


def _insert_ordered(parent: _Element, child: _Element, order: list[str]) -> None:
    """Insert `child` after the last sibling that the schema puts before it."""
    before = {_q(name) for name in order[: order.index(etree.QName(child).localname)]}
    anchor = None
    for sibling in parent:
        if sibling.tag in before:
            anchor = sibling
    if anchor is None:
        parent.insert(0, child)
    else:
        anchor.addnext(child)


# --- what may be written -----------------------------------------------------------------------


@dataclass
class _Facts:
    """What decides whether a cell may be written: merges, array formulas, protection, default styles."""

    merges: dict[int, list[_Span]]  # by block of 64 rows, so a lookup scans a few ranges only
    arrays: list[_Span]
    protected: bool
    col_styles: list[tuple[int, int, int]]

    @classmethod
    def of(cls, root: _Element, arrays: list[_Span]) -> _Facts:
        merges: dict[int, list[_Span]] = {}
        for merge in root.iter(_q("mergeCell")):
            if span := _range(merge.get("ref", "")):
                for block in range(span[0] >> 6, (span[2] >> 6) + 1):
                    merges.setdefault(block, []).append(span)
        protection = root.find(_q("sheetProtection"))
        col_styles = [
            (int(col.get("min", "0")), int(col.get("max", "0")), int(col.get("style", "0")))
            for col in root.iterfind(f"{_q('cols')}/{_q('col')}")
            if col.get("style")
        ]
        protected = protection is not None and protection.get("sheet") in ("1", "true")
        return cls(merges, arrays, protected, col_styles)

    def merged(self, row: int, col: int) -> _Span | None:
        """The merged range holding the cell, if any."""
        spans = self.merges.get(row >> 6, ())
        return next((m for m in spans if m[0] <= row <= m[2] and m[1] <= col <= m[3]), None)

    def column_style(self, col: int) -> int:
        return next((s for low, high, s in self.col_styles if low <= col <= high), 0) if self.col_styles else 0

    def blocked(self, row: int, col: int, formula: bool, style: int, styles: _Styles | None) -> str | None:
        """Why autofill must not write this cell, or None when it may (`style` matters when protected)."""
        merge = self.merged(row, col) if self.merges else None
        if merge and merge[:2] != (row, col):
            return f"is inside merged cells {_ref(*merge[:2])}:{_ref(*merge[2:])}; left it as is"
        if formula:
            return "holds a formula; left it as is"
        if self.arrays and any(a[0] <= row <= a[2] and a[1] <= col <= a[3] for a in self.arrays):
            return "is part of an array formula; left it as is"
        if self.protected and (styles is None or styles.locked(style)):
            return "is locked on a protected sheet; left it as is (unprotect the sheet to let autofill write)"
        return None


# --- splicing worksheet bytes ------------------------------------------------------------------

# Attribute values of <row> and <c> are numbers, cell references and short names, never ">",
# so a start tag runs from "<c" to the first ">".
_R_VALUE = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]{0,3})\$?([0-9]+)[\"']")
_S_VALUE = re.compile(rb"\ss\s*=\s*[\"']([0-9]+)[\"']")
_REPLACED_ATTRIBUTES = re.compile(rb"\s(?:t|cm|vm|s)\s*=\s*(?:\"[^\"]*\"|'[^']*')")  # type, value metadata, style
_STYLE_ATTRIBUTE = re.compile(rb"\ss\s*=\s*(?:\"[^\"]*\"|'[^']*')")
_SPANS = re.compile(rb"\sspans\s*=\s*[\"']([0-9]+):([0-9]+)[\"']")
_CUSTOM_FORMAT = re.compile(rb"\scustomFormat\s*=\s*[\"'](?:1|true)[\"']")

_CellAt = tuple[int, int, int, int]  # start, end of start tag, end of content, end


@dataclass(slots=True)
class _Op:
    """What autofill wants for one cell: new text ("" clears, None keeps) and/or the review fill."""

    text: str | None = None
    label: str = ""  # names the question in warnings
    highlight: str | None = None  # the review row's label, when the cell gets the highlight
    plain: bool = False  # the review highlight comes off (a reviewed answer)


@lru_cache(maxsize=4096)
def _col_bytes(col: int) -> bytes:
    return column_letters(col).encode()


def _escape(text: str) -> str:
    # a literal CR would read back as LF, so it is written as a character reference (what XML 1.0
    # cannot hold at all, safe_text has taken out before)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _quote(value: str) -> str:
    return _escape(value).replace('"', "&quot;")


def _locate_cells(xml: bytes) -> tuple[bytes, bytes, int, int, int] | None:
    """(xml, namespace prefix, start of <sheetData>, start and end of its content); None if absent.

    An empty <sheetData/> is opened up into <sheetData></sheetData> in the returned xml.
    """
    root_tag = re.search(rb"<(?:([\w.-]+):)?worksheet[\s/>]", xml)
    p = root_tag[1] + b":" if root_tag and root_tag[1] else b""
    opening = re.compile(rb"<" + re.escape(p) + rb"sheetData(?=[\s/>])[^>]*?(/?)>").search(xml)
    if opening is None:
        return None
    close = b"</" + p + b"sheetData>"
    start = opening.end()
    if opening[1]:
        xml = xml[: start - 2] + b">" + close + xml[start:]
        start -= 1
    end = xml.find(close, start)
    return (xml, p, opening.start(), start, end) if end >= 0 else None


class _SheetPatch:
    """A worksheet's bytes with rows and cells located by regex; edits are spliced in on output.

    Office, openpyxl and Google Sheets all write sheetData as plain elements, which is what
    makes splicing safe; comments or CDATA among the cells are refused rather than guessed at.
    Rows without edits keep their exact bytes.
    """

    def __init__(self, path: Path, name: str, xml: bytes) -> None:
        self.name = name
        damaged = f"sheet '{name}' is damaged; re-save it from Excel and try again"
        located = _locate_cells(xml)
        if located is None:
            raise FormError(path, damaged)
        xml, p, tag_start, start, end = located
        self.p = p
        close = b"</" + p + b"sheetData>"
        if xml.find(b"<!", start, end) >= 0 or xml.find(b"<?", start, end) >= 0:
            raise FormError(
                path,
                f"sheet '{name}' has XML comments or CDATA among its cells, which Excel never writes; "
                "re-save it from Excel and try again",
            )
        self.xml, self.data_end = xml, end
        # the rest of the sheet is small: lxml reads merges, protection and column styles from it
        rest = _parse(xml[:tag_start] + xml[end + len(close) :])
        self.facts = _Facts.of(rest, self._array_formulas(start, end))
        format_ = rest.find(_q("sheetFormatPr"))
        self.default_width = float((format_ is not None and format_.get("defaultColWidth")) or 8.43)
        self.widths = [
            (int(col.get("min", "0")), int(col.get("max", "0")), float(col.get("width", "0")))
            for col in rest.iterfind(f"{_q('cols')}/{_q('col')}")
            if col.get("width")
        ]
        self.row_close, self.cell_close = b"</" + p + b"row>", b"</" + p + b"c>"
        # r comes first in the cells Office, openpyxl and Google write; others take the slow path
        self._cell = re.compile(rb"<" + re.escape(p) + rb"c(?=[\s/>])(?:\s+r=\"([A-Z]{1,3})[0-9]+\")?[^>]*?(/?)>")
        self._cell_open = b"<" + p + b"c"
        self._new_text_cell = (  # filled in with column letters, row, style attribute and text
            b'<Pc r="%s%d"%s t="inlineStr"><Pis><Pt xml:space="preserve">%s</Pt></Pis></Pc>'.replace(b"<P", b"<" + p)
        ).replace(b"</P", b"</" + p)
        self._formula = re.compile(rb"<" + re.escape(p) + rb"f[\s/>]")
        self._value = re.compile(rb"<" + re.escape(p) + rb"(?:v|is)[\s/>]")
        self._extension = b"<" + p + b"extLst"
        self.rows: dict[int, tuple[int, int, int]] = {}  # number -> start, end of start tag, end
        previous, position, opening = 0, start, b"<" + p + b"row"
        tag = re.compile(rb"<" + re.escape(p) + rb"row(?=[\s/>])[^>]*?(/?)>")
        # bytes.find skips over cell contents far faster than a regex scan does
        while (found_at := xml.find(opening, position, end)) >= 0:
            match = tag.match(xml, found_at, end)
            if match is None:
                raise FormError(path, damaged)
            found = _R_VALUE.search(xml, found_at, match.end())
            number = int(found[2]) if found else previous + 1  # a row without r follows the previous one
            stop = match.end() if match[1] else xml.find(self.row_close, match.end(), end) + len(self.row_close)
            if stop < match.end() or number <= previous:  # Excel itself rejects rows out of order
                raise FormError(path, damaged)
            self.rows[number] = (found_at, match.end(), stop)
            previous, position = number, stop
        self.numbers = sorted(self.rows)
        self.ops: dict[int, dict[int, _Op]] = {}
        self.values_changed = False
        self._cells: dict[int, dict[int, _CellAt]] = {}
        self._row_formats: dict[int, int | None] = {}

    def _array_formulas(self, start: int, end: int) -> list[_Span]:
        if self.xml.find(b'"array"', start, end) < 0:
            return []
        tags = re.compile(rb"<" + re.escape(self.p) + rb"f(?=[\s/>])[^>]*>").finditer(self.xml, start, end)
        found = ((_attribute(tag[0], b"t"), _attribute(tag[0], b"ref")) for tag in tags)
        return [span for kind, ref in found if kind == "array" and (span := _range(ref))]

    def cells(self, number: int) -> dict[int, _CellAt]:
        """The row's cells by column (empty when the row does not exist)."""
        cells = self._cells.get(number)
        if cells is not None:
            return cells
        cells = self._cells[number] = {}
        at = self.rows.get(number)
        if at is None or at[1] == at[2]:
            return cells
        xml, position, limit, previous = self.xml, at[1], at[2] - len(self.row_close), 0
        opening, tag, close = self._cell_open, self._cell, self.cell_close
        while (start := xml.find(opening, position, limit)) >= 0:
            match = tag.match(xml, start, limit)
            if match is None:  # another element in the row, such as extLst
                position = start + 1
                continue
            tag_end = match.end()
            if match[1]:
                col = _col_of_bytes(match[1])
            else:
                found = _R_VALUE.search(xml, start, tag_end)
                col = _col_of_bytes(found[1].upper()) if found and found[1] else previous + 1
            content_end = tag_end if match[2] else xml.find(close, tag_end, limit)
            position = content_end + (0 if match[2] else len(close))
            cells[col] = (start, tag_end, content_end, position)
            previous = col
        return cells

    def _content(self, cell: _CellAt | None) -> tuple[bool, bool]:
        """(holds a formula, holds a value) of a cell."""
        if cell is None or cell[1] == cell[2]:
            return False, False
        xml, start, end = self.xml, cell[1], cell[2]
        return self._formula.search(xml, start, end) is not None, self._value.search(xml, start, end) is not None

    def _style(self, row: int, col: int, cell: _CellAt | None) -> int:
        """The cell's format; for a missing cell the one Excel would give it."""
        if cell is None:
            return self._new_style(row, col)
        found = _S_VALUE.search(self.xml, cell[0], cell[1])
        return int(found[1]) if found else 0

    def _new_style(self, row: int, col: int) -> int:
        """The style Excel gives a new cell: its row's when the row is formatted, else its column's."""
        if row not in self._row_formats:
            at, style = self.rows.get(row), None
            if at is not None and _CUSTOM_FORMAT.search(self.xml, at[0], at[1]):
                found = _S_VALUE.search(self.xml, at[0], at[1])
                style = int(found[1]) if found else None
            self._row_formats[row] = style
        style = self._row_formats[row]
        if style is not None:
            return style
        return self.facts.column_style(col) if self.facts.col_styles else 0

    def shown_lines(self, row: int, col: int, text: str, styles: _Styles | None) -> tuple[int, int] | None:
        """(lines `text` takes, lines the cell shows) in a row of fixed height; None when the row grows.

        An estimate, as Excel's own is: a character is about one unit of column width at 11 points,
        and a line about 1.3 times the font size high.
        """
        at = self.rows.get(row)
        if at is None or not re.search(rb"\scustomHeight\s*=\s*[\"'](?:1|true)[\"']", self.xml[at[0] : at[1]]):
            return None
        height = re.search(rb"\sht\s*=\s*[\"']([0-9.]+)[\"']", self.xml[at[0] : at[1]])
        if height is None:
            return None
        size = styles.font_size(self._style(row, col, self.cells(row).get(col))) if styles else 11.0
        width = next((w for low, high, w in self.widths if low <= col <= high), self.default_width)
        per_line = max(int(width * 11 / size), 1)
        needed = sum(len(textwrap.wrap(line, per_line)) or 1 for line in text.split("\n"))
        return needed, int(float(height[1]) / (size * 1.3))

    def last_column(self) -> int:
        """The sheet's last used column, from its <dimension> (0 when it has none)."""
        match = re.compile(rb"<" + re.escape(self.p) + rb"dimension\s+ref=\"([^\"]*)\"").search(
            self.xml, 0, max(self.xml.find(b"sheetData"), 0)
        )
        span = _range(match[1].decode()) if match else None
        return span[3] if span else max((max(c) for c in map(self.cells, self.numbers[:50]) if c), default=0)

    def op(self, row: int, col: int) -> _Op:
        ops = self.ops.get(row)
        if ops is None:
            ops = self.ops[row] = {}
        op = ops.get(col)
        if op is None:
            op = ops[col] = _Op()
        return op

    def render(self, styles: _Styles | None, stats: WriteStats, highlighted: set[str]) -> bytes | None:
        """The patched sheet, or None when no cell changes; warnings and counts go to `stats`."""
        xml, pieces, position, last_row, last_col = self.xml, [], 0, 0, 0
        for number in sorted(self.ops):
            row = self._row(number, styles, stats, highlighted)
            if row is None:
                continue
            at = self.rows.get(number)
            if at is not None:
                pieces += [xml[position : at[0]], row]
                position = at[2]
            else:
                index = bisect_left(self.numbers, number)
                insert = self.rows[self.numbers[index]][0] if index < len(self.numbers) else self.data_end
                pieces += [xml[position:insert], row]
                position = insert
            last_row, last_col = max(last_row, number), max(last_col, *self.ops[number])
        if not pieces:
            return None
        pieces.append(xml[position:])
        return _grow_dimension(b"".join(pieces), self.p, last_row, last_col)

    def _row(self, number: int, styles: _Styles | None, stats: WriteStats, highlighted: set[str]) -> bytes | None:
        """The row with its ops applied, or None when none survives the checks (the hot path: kept flat)."""
        cells, facts = self.cells(number), self.facts
        guarded = facts.merges or facts.arrays or facts.protected
        live: dict[int, tuple[str | None, int | None]] = {}  # column -> (text, format) to write
        for col, op in self.ops[number].items():
            cell = cells.get(col)
            formula, has_value = self._content(cell) if cell is not None else (False, False)
            text, style = op.text, None
            if text is not None:
                reason = None
                if formula or guarded:
                    reason = facts.blocked(
                        number, col, formula, self._style(number, col, cell) if facts.protected else 0, styles
                    )
                if reason:
                    if text:
                        stats.warnings.append(f"{op.label}: {_ref(number, col)} {reason}")
                    text = None
                elif not text and not has_value:
                    text = None  # clearing an empty mark cell: nothing to do
                else:
                    stats.cells_written += bool(text)
                    self.values_changed = True
            if op.highlight is not None and styles is not None and not formula:  # formulas keep even their format
                style = styles.highlighted(self._style(number, col, cell))
                highlighted.add(op.highlight)
            elif op.plain and styles is not None and cell is not None:
                current = self._style(number, col, cell)
                if (base := styles.unhighlighted(current)) != current:
                    style = base
            if text is not None or style is not None:
                live[col] = (text, style)
        if not live:
            return None
        xml, at = self.xml, self.rows.get(number)
        if at is None:
            out = [b'<%srow r="%d">' % (self.p, number)]
        else:
            tag = xml[at[0] : at[1]]
            if tag.endswith(b"/>"):
                tag = tag[:-2] + b">"
            if not _R_VALUE.search(tag):
                tag = tag[:-1] + b' r="%d">' % number  # explicit r means the same as the implicit one
            spans = _SPANS.search(tag)
            if spans:  # spans is an optional hint of the row's first and last column; keep it true
                low, high = min(int(spans[1]), *live), max(int(spans[2]), *live)
                tag = tag[: spans.start(1)] + b"%d:%d" % (low, high) + tag[spans.end(2) :]
            out = [tag]
        pending = sorted(col for col in live if col not in cells)
        new = [self._new_cell(number, col, *live[col]) for col in pending]
        position = at[1] if at else 0
        for col, cell in cells.items():
            while pending and pending[0] < col:
                pending.pop(0)
                out += [xml[position : cell[0]], new.pop(0)]
                position = cell[0]
            if col in live:
                out += [xml[position : cell[0]], self._changed_cell(cell, *live[col])]
                position = cell[3]
        if at is not None and at[1] != at[2]:
            tail = at[2] - len(self.row_close)
            extension = xml.find(self._extension, position, tail)
            insert = extension if extension >= 0 else tail
            out += [xml[position:insert], *new, xml[insert:tail]]
        else:
            out += new
        out.append(self.row_close)
        return b"".join(out)

    def _new_cell(self, row: int, col: int, text: str | None, style: int | None) -> bytes:
        if style is None:
            style = self._new_style(row, col)
        style_attribute = b' s="%d"' % style if style else b""
        if text:
            return self._new_text_cell % (_col_bytes(col), row, style_attribute, _escape(text).encode())
        return b'<%sc r="%s%d"%s/>' % (self.p, _col_bytes(col), row, style_attribute)

    def _changed_cell(self, cell: _CellAt, text: str | None, new_style: int | None) -> bytes:
        start, tag_end, content_end, end = cell
        tag = self.xml[start:tag_end]
        attributes = tag[2 + len(self.p) : -2 if tag.endswith(b"/>") else -1]
        old_style = _S_VALUE.search(attributes)
        style = new_style if new_style is not None else int(old_style[1]) if old_style else 0
        keep = (_REPLACED_ATTRIBUTES if text is not None else _STYLE_ATTRIBUTE).sub(b"", attributes)
        if style or old_style:
            keep += b' s="%d"' % style
        if text is None:
            return self._cell_bytes(keep, None, self.xml[tag_end:content_end])
        extension = self.xml.find(self._extension, tag_end, content_end)
        return self._cell_bytes(keep, text, self.xml[extension:content_end] if extension >= 0 else b"")

    def _cell_bytes(self, attributes: bytes, text: str | None, content: bytes) -> bytes:
        """A cell with `attributes`; `text` (inline) before `content`, or `content` alone when text is None."""
        p = self.p
        if text:
            inline = b'<%sis><%st xml:space="preserve">%s</%st></%sis>' % (p, p, _escape(text).encode(), p, p)
            return b'<%sc%s t="inlineStr">%s%s</%sc>' % (p, attributes, inline, content, p)
        if content:
            return b"<%sc%s>%s</%sc>" % (p, attributes, content, p)
        return b"<%sc%s/>" % (p, attributes)


def _attribute(tag: bytes, name: bytes) -> str:
    found = re.search(rb"\s" + name + rb"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", tag)
    return (found[1] or found[2] or b"").decode() if found else ""


def _grow_dimension(xml: bytes, p: bytes, last_row: int, last_col: int) -> bytes:
    """Widen <dimension ref> to cover new cells (readers use it to size the sheet)."""
    match = re.compile(rb"<" + re.escape(p) + rb"dimension\s+ref=\"([^\"]*)\"").search(
        xml, 0, max(xml.find(b"sheetData"), 0)
    )
    old = _range(match[1].decode()) if match else None
    if match is None or old is None or (old[2] >= last_row and old[3] >= last_col):
        return xml
    ref = f"{_ref(old[0], old[1])}:{_ref(max(old[2], last_row), max(old[3], last_col))}".encode()
    return xml[: match.start(1)] + ref + xml[match.end(1) :]


# --- styles ------------------------------------------------------------------------------------


class _Styles:
    """xl/styles.xml: cell formats, with the ones autofill adds."""

    def __init__(self, xml: bytes) -> None:
        self.root = _parse(xml)
        self.xfs = self._section("cellXfs").findall(_q("xf"))
        self._highlighted: dict[int, int] = {}
        self._unhighlighted: dict[int, int] = {}
        self._review_fills: set[str] | None = None
        self._fills: dict[str, int] = {}  # the original fill's colour -> its review fill
        self.changed = False

    def _section(self, name: str) -> _Element:
        section = self.root.find(_q(name))
        if section is None:
            section = etree.Element(_q(name), count="0")
            _insert_ordered(self.root, section, _STYLE_ORDER)
        return section

    def _xf(self, index: int) -> _Element | None:
        return self.xfs[index] if 0 <= index < len(self.xfs) else (self.xfs[0] if self.xfs else None)

    def font_size(self, index: int) -> float:
        """The font size, in points, of cell format `index` (11 when it says none)."""
        xf, fonts = self._xf(index), self._section("fonts").findall(_q("font"))
        font_id = int(xf.get("fontId", "0")) if xf is not None else 0
        size = fonts[font_id].find(_q("sz")) if font_id < len(fonts) else None
        try:
            return float(size.get("val", "11")) if size is not None else 11.0
        except ValueError:
            return 11.0

    def locked(self, index: int) -> bool:
        xf = self._xf(index)
        protection = None if xf is None else xf.find(_q("protection"))
        # cells are locked unless their format says otherwise
        return protection is None or protection.get("locked") not in ("0", "false")

    def highlighted(self, index: int) -> int:
        """A cell format like `index` (font, borders, alignment, protection) with the review fill."""
        if index not in self._highlighted:
            base = self._xf(index)
            if base is not None and self._review_fill(base):
                self._highlighted[index] = index  # highlighted already: its fill records the cell's own colour
                return index
            if base is not None and not self._restorable(base.get("fillId", "0")):
                # a gradient or a patterned fill could not be given back when the highlight comes off:
                # the cell keeps its own look, and the review sheet lists the row
                self._highlighted[index] = index
                return index
            xf = copy.deepcopy(base) if base is not None else _plain_xf()
            # a solid fill shows only its foreground: the background keeps the cell's own colour, so
            # taking the highlight off can give back a coloured band (CAIQ v4) rather than a plain cell
            colour = self._colour(xf.get("fillId", "0"))
            key = repr(sorted(colour.items()))
            if key not in self._fills:
                fill = etree.Element(_q("fill"))
                pattern = etree.SubElement(fill, _q("patternFill"), patternType="solid")
                etree.SubElement(pattern, _q("fgColor"), rgb=HIGHLIGHT_RGB)
                etree.SubElement(pattern, _q("bgColor"), colour)
                self._fills[key] = self._append("fills", fill)
            xf.set("fillId", str(self._fills[key]))
            xf.set("applyFill", "1")
            self._highlighted[index] = self._add_xf(xf)
        return self._highlighted[index]

    def _restorable(self, fill_id: str) -> bool:
        """Whether a fill is none or one solid colour: what taking the highlight off gives back."""
        fills = self._section("fills").findall(_q("fill"))
        index = int(fill_id) if fill_id.isdigit() else 0
        if index >= len(fills):
            return True
        pattern = fills[index].find(_q("patternFill"))
        if pattern is None:
            return len(fills[index]) == 0  # a gradientFill (or anything else) is not one colour
        return pattern.get("patternType") in (None, "none", "solid")

    def _colour(self, fill_id: str) -> dict[str, str]:
        """The colour a fill shows (its solid foreground's attributes); indexed 64 (none) when it has none."""
        fills = self._section("fills").findall(_q("fill"))
        index = int(fill_id) if fill_id.isdigit() else 0
        pattern = fills[index].find(_q("patternFill")) if index < len(fills) else None
        colour = (
            None if pattern is None or pattern.get("patternType") in (None, "none") else pattern.find(_q("fgColor"))
        )
        return (
            {str(k): str(v) for k, v in colour.attrib.items()}
            if colour is not None and len(colour.attrib)
            else {"indexed": "64"}
        )

    def _review_colour(self, xf: _Element) -> dict[str, str]:
        """The colour the cell had before its review fill, as the highlight recorded it."""
        fills = self._section("fills").findall(_q("fill"))
        index = int(xf.get("fillId", "0"))
        background = fills[index].find(f"{_q('patternFill')}/{_q('bgColor')}") if index < len(fills) else None
        return (
            {str(k): str(v) for k, v in background.attrib.items()}
            if background is not None and len(background.attrib)
            else {"indexed": "64"}
        )

    def unhighlighted(self, index: int) -> int:
        """The format `index` had before it got the review fill; `index` itself when it has no such fill."""
        if index not in self._unhighlighted:
            xf = self._xf(index)
            base = index
            if xf is not None and self._review_fill(xf):
                bare = _without_fill(xf)
                matches = [
                    i
                    for i, other in enumerate(self.xfs)
                    if not self._review_fill(other) and _without_fill(other) == bare
                ]
                colour = self._review_colour(xf)
                if matches:
                    # of the formats that differ only in their fill, the one showing the recorded colour
                    base = min(
                        matches,
                        key=lambda i: (
                            self._colour(self.xfs[i].get("fillId", "0")) != colour,
                            self.xfs[i].get("fillId", "0") != "0",
                            i,
                        ),
                    )
                else:  # a re-saved workbook may have merged the original format away
                    plain = copy.deepcopy(xf)
                    plain.set("fillId", self._solid(colour))
                    if plain.get("fillId") == "0":
                        plain.attrib.pop("applyFill", "")
                    base = self._add_xf(plain)
            self._unhighlighted[index] = base
        return self._unhighlighted[index]

    def _solid(self, colour: dict[str, str]) -> str:
        """The id of a fill showing `colour` (added when missing); "0" for no colour."""
        if colour == {"indexed": "64"}:
            return "0"
        fills = self._section("fills").findall(_q("fill"))
        for index in range(len(fills)):
            if self._colour(str(index)) == colour and not self._review_fill_id(str(index)):
                return str(index)
        fill = etree.Element(_q("fill"))
        pattern = etree.SubElement(fill, _q("patternFill"), patternType="solid")
        etree.SubElement(pattern, _q("fgColor"), colour)
        etree.SubElement(pattern, _q("bgColor"), indexed="64")
        return str(self._append("fills", fill))

    def _review_fill(self, xf: _Element) -> bool:
        return self._review_fill_id(xf.get("fillId", "0"))

    def _review_fill_id(self, fill_id: str) -> bool:
        if self._review_fills is None:
            fills = self._section("fills").findall(_q("fill"))
            self._review_fills = {
                str(i)
                for i, fill in enumerate(fills)
                if any((c.get("rgb") or "").upper() == HIGHLIGHT_RGB for c in fill.iter(_q("fgColor")))
            }
        return fill_id in self._review_fills

    def review_formats(self) -> tuple[int, int]:
        """(bold header, wrapped top-aligned body) cell formats for the review sheet."""
        fonts = self._section("fonts").findall(_q("font"))
        bold = copy.deepcopy(fonts[0]) if fonts else etree.Element(_q("font"))
        for old in bold.findall(_q("b")):
            bold.remove(old)
        bold.insert(0, etree.Element(_q("b")))
        header = _plain_xf(font=self._append("fonts", bold))
        etree.SubElement(header, _q("alignment"), vertical="top")
        body = _plain_xf()
        etree.SubElement(body, _q("alignment"), vertical="top", wrapText="1")
        return self._add_xf(header), self._add_xf(body)

    def _add_xf(self, xf: _Element) -> int:
        self.xfs.append(xf)
        return self._append("cellXfs", xf)

    def _append(self, section_name: str, element: _Element) -> int:
        section = self._section(section_name)
        section.append(element)
        section.set("count", str(len(section)))
        self.changed = True
        return len(section) - 1


def _without_fill(xf: _Element) -> bytes:
    bare = copy.deepcopy(xf)
    for name in ("fillId", "applyFill"):
        bare.attrib.pop(name, "")
    return bytes(etree.tostring(bare))


def _plain_xf(font: int = 0) -> _Element:
    xf = etree.Element(_q("xf"), numFmtId="0", fontId=str(font), fillId="0", borderId="0", xfId="0")
    xf.set("applyAlignment", "1")
    if font:
        xf.set("applyFont", "1")
    return xf


# --- writing -----------------------------------------------------------------------------------


class _Patcher:
    """Applies a plan to the parts it touches and collects the rewritten and added parts."""

    def __init__(self, path: Path, package: zipfile.ZipFile, book: _Book, stats: WriteStats) -> None:
        self.path = path
        self.package = package
        self.book = book
        self.stats = stats
        self.sheets: dict[str, _SheetPatch] = {}
        self._styles: _Styles | None = None
        self.added: dict[str, bytes] = {}
        self.book_changed = self.rels_changed = False

    def sheet(self, name: str) -> _SheetPatch:
        if name not in self.sheets:
            self.sheets[name] = _SheetPatch(self.path, name, self.package.read(self.book.parts[name]))
        return self.sheets[name]

    def styles(self) -> _Styles | None:
        if self._styles is None and self.book.styles_part:
            self._styles = _Styles(self.package.read(self.book.styles_part))
        return self._styles

    def apply(self, plan: _Plan) -> None:
        """Record the plan's cells per sheet; they are checked and spliced in by `finish`."""
        for (name, row, col), write in plan.writes.items():
            op = (self.sheets.get(name) or self.sheet(name)).op(row, col)
            op.text, op.label = write.text, write.label
        for (name, row, col), label in plan.highlights.items():
            sheet = self.sheet(name)
            merge = sheet.facts.merged(row, col)
            sheet.op(*(merge[:2] if merge else (row, col))).highlight = label

    def _recalculate_on_open(self) -> None:
        # formulas that read the answers (HECVAT guidance, scores) keep stale cached results
        # until Excel recalculates, which it skips on open when the file's calcId is current
        calc = self.book.root.find(_q("calcPr"))
        if calc is None:
            calc = etree.Element(_q("calcPr"))
            _insert_ordered(self.book.root, calc, _BOOK_ORDER)
        calc.set("fullCalcOnLoad", "1")
        self.book_changed = True

    def add_review_sheet(self, reviews: list[Outcome]) -> None:
        styles = self.styles()
        if self.book.locked_structure or styles is None:
            why = "the workbook structure is protected" if styles else "the workbook has no styles part"
            self.stats.warnings.append(
                f"{why}, so no '{REVIEW_SHEET}' sheet was added; the {len(reviews)} rows to review are highlighted"
            )
            return
        sheets = self.book.root.find(_q("sheets"))
        if sheets is None:
            raise FormError(self.path, "has no list of sheets; re-save it from Excel and try again")
        taken = {name.casefold() for name, _ in self.book.sheets}
        numbered = (f"{REVIEW_SHEET} ({i})" for i in range(2, 10_000))
        name = next(n for n in (REVIEW_SHEET, *numbered) if n.casefold() not in taken)
        folder = join(dirname(self.book.part), "worksheets")
        members = part_names(self.package)
        part = next(p for i in range(1, 100_000) if part_key(p := join(folder, f"sheet{i}.xml")) not in members)
        header, body = styles.review_formats()
        self.added[part] = _review_sheet(reviews, header, body)
        ids = {rel.get("Id") for rel in self.book.rels}
        rel_id = next(r for i in range(1, 100_000) if (r := f"rId{i}") not in ids)
        target = relpath(part, dirname(self.book.part))
        etree.SubElement(
            self.book.rels, f"{{{PKG_REL}}}Relationship", Id=rel_id, Type=f"{DOC_REL}/worksheet", Target=target
        )
        sheet_id = max((int(s.get("sheetId", "0")) for s in sheets), default=0) + 1
        entry = etree.SubElement(sheets, _q("sheet"), name=name, sheetId=str(sheet_id))
        entry.set(f"{{{DOC_REL}}}id", rel_id)
        types_part = members.get(part_key("[Content_Types].xml"), "[Content_Types].xml")
        types = _parse(self.package.read(types_part))
        etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override", PartName="/" + part, ContentType=WORKSHEET_TYPE)
        self.added[types_part] = _serialize(types)
        self.book_changed = self.rels_changed = True

    def finish(self) -> tuple[dict[str, bytes], list[tuple[str, bytes]]]:
        """(rewritten parts by name, new parts)."""
        replaced: dict[str, bytes] = {}
        highlighted: set[str] = set()
        for name, sheet in self.sheets.items():
            needs_styles = sheet.facts.protected or any(
                op.highlight or op.plain for ops in sheet.ops.values() for op in ops.values()
            )
            patched = sheet.render(self.styles() if needs_styles else None, self.stats, highlighted)
            if patched is not None:
                replaced[self.book.parts[name]] = patched
        self.stats.rows_highlighted = len(highlighted)
        if any(sheet.values_changed for sheet in self.sheets.values()):
            self._recalculate_on_open()
        if self._styles is not None and self._styles.changed and self.book.styles_part:
            replaced[self.book.styles_part] = _serialize(self._styles.root)
        if self.book_changed:
            replaced[self.book.part] = _serialize(self.book.root)
        if self.rels_changed:
            replaced[self.book.rels_part] = _serialize(self.book.rels)
        replaced.update((name, data) for name, data in self.added.items() if name in self.package.NameToInfo)
        return replaced, [(name, data) for name, data in self.added.items() if name not in self.package.NameToInfo]


def _review_sheet(reviews: list[Outcome], header_style: int, body_style: int) -> bytes:
    last = len(reviews) + 1
    rows = [_review_row(1, REVIEW_HEADER, header_style)]
    links = []
    for number, outcome in enumerate(reviews, start=2):
        question = outcome.question
        marks = [cell for _, cell in question.mark_cells]
        target = question.answer_cell or (marks[0] if marks else question.location.cell)
        values: list[str | float | None] = [
            question.location.sheet,
            question.answer_cell or ", ".join(marks) or question.location.cell,
            question.qid,
            question.text,
            outcome.value if outcome.value is not None else outcome.answer,
            round(float(outcome.confidence), 1),
            outcome.text if outcome.text is not None else outcome.comment,
            # each with the phrasing its answer is given to: "No (57)" answers "... deleted after 30 days?", not
            # the row (round 108: a reviewer picked a No that belonged to another question)
            # (an alternative the words rate below the review band shares too little with the row: offering it
            # invites a wrong pick, "encryption-in-transit-tls12: Yes (0)" for "Do you support SAML SSO?", and
            # round 110 wrote "encryption-at-rest: Yes (12)" for "Are ChatGPT Team conversations used for training?")
            "\n".join(
                f"{c.claim}: {c.answer} ({c.confidence:.0f})" + (f' to "{c.phrasing}"' if c.phrasing else "")
                for at, c in enumerate(outcome.candidates)
                if at == 0 or c.confidence >= ALTERNATIVE_FLOOR
            ),
            outcome.note,
            None,
        ]
        rows.append(_review_row(number, values, body_style))
        if question.location.sheet and _REF.fullmatch(target):
            location = "'" + question.location.sheet.replace("'", "''") + "'!" + target
            links.append(f'<hyperlink ref="B{number}" location="{_quote(location)}"/>')
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>' for i, width in enumerate(REVIEW_WIDTHS, start=1)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{DOC_REL}">'
        f'<dimension ref="A1:J{last}"/>'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        # the list suggests decisions; showErrorMessage="0" still lets a reviewer type their own
        '<dataValidations count="1"><dataValidation type="list" allowBlank="1" showInputMessage="1" '
        f'showErrorMessage="0" sqref="J2:J{max(last, 2)}"><formula1>"{DECISIONS}"</formula1></dataValidation>'
        "</dataValidations>"
        + (f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else "")
        + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
    )
    return xml.encode()


def _review_row(number: int, values: Sequence[str | float | None], style: int) -> str:
    cells = []
    for col, value in enumerate(values, start=1):
        ref = _ref(number, col)
        if isinstance(value, float):
            cells.append(f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>')
        elif value:
            text = _escape(safe_text(value))
            cells.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
        else:
            cells.append(f'<c r="{ref}" s="{style}"/>')
    return f'<row r="{number}"{_row_height(values)}>{"".join(cells)}</row>'


def _row_height(values: Sequence[str | float | None]) -> str:
    """A height that shows the row's wrapped text: spreadsheets do not grow rows on opening."""
    lines = 1
    for value, width in zip(values, REVIEW_WIDTHS, strict=False):
        if isinstance(value, str):
            # about one character per width unit at the default font
            wrapped = sum(max(1, -(-len(line) // max(width - 1, 1))) for line in value.split("\n"))
            lines = max(lines, wrapped)
    lines = min(lines, REVIEW_MAX_LINES)
    return "" if lines == 1 else f' ht="{15 * lines}" customHeight="1"'


def _write_package(src: Path, dst: Path, replaced: Mapping[str, bytes], added: Sequence[tuple[str, bytes]]) -> None:
    try:
        write_package(src, dst, replaced, added)
    except OSError as error:
        raise FormError(dst, f"cannot be written ({error.strerror}); choose another output path") from None
