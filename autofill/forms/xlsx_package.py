"""An .xlsx/.xlsm package read straight from its XML: sheets, cell values (cached results for
formulas), formula cells, merges, data validations (the x14 ones openpyxl drops included),
protection and hidden rows. Nothing in the file is ever evaluated.
"""

from __future__ import annotations

import re
import zipfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache, cached_property
from io import BytesIO
from pathlib import Path
from posixpath import basename, dirname, join, normpath
from typing import Any

from lxml import etree

from autofill.errors import FormError
from autofill.forms.xlsx_refs import column_letters, column_number
from autofill.safety import CONTROL_CHARACTERS, MAX_CELLS, MAX_CHARS, MAX_ROWS, part_key, part_names, too_large

MAX_CONTENT_ROWS = 200_000
HEADER_SCAN_ROWS = 40  # a header is looked for among the first rows that hold text
MAX_ROW, MAX_COL = 1_048_576, 16_384
_MAX_LIST = 1_000  # choices read from a list range; longer lists are cut

_DIGITS = "0123456789"

Span = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col


# --- the workbook package ----------------------------------------------------------------


@dataclass(frozen=True)
class _SheetRef:
    name: str
    index: int
    part: str | None  # zip member; None for chart sheets and missing parts
    state: str  # visible | hidden | veryHidden


@dataclass(frozen=True)
class _Validation:
    kind: str  # "list", "whole", ...; "" for prompt-only validations
    formula: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Sheet:
    """One worksheet as read: cell texts and what the reader needs to know about its cells."""

    name: str
    index: int
    cells: dict[int, dict[int, str]]  # row -> column -> text, non-blank cells only
    formulas: frozenset[tuple[int, int]]
    styles: dict[tuple[int, int], int]  # (row, column) -> cellXfs index, when not 0; protected sheets only
    row_styles: dict[int, int]
    col_styles: tuple[tuple[int, int, int], ...]  # min_col, max_col, style
    hidden_rows: frozenset[int]
    hidden_cols: tuple[tuple[int, int], ...]
    merges: tuple[Span, ...]  # one-cell "merges" (a generator artefact) left out
    validations: tuple[_Validation, ...]
    protected: bool
    page_notes: tuple[str, ...] = ()  # the printed page's header and footer texts
    _indexes: dict[tuple[str, int], _Intervals] = field(default_factory=dict, compare=False)

    def text(self, row: int, col: int) -> str | None:
        return self.cells.get(row, {}).get(col)

    @cached_property
    def rows(self) -> list[int]:
        """Numbers of the rows with content, in order."""
        return sorted(self.cells)

    def rows_after(self, row: int, count: int = MAX_ROW) -> list[int]:
        start = bisect_right(self.rows, row)
        return self.rows[start : start + count]

    def rows_before(self, row: int, count: int) -> list[int]:
        end = bisect_left(self.rows, row)
        return self.rows[max(0, end - count) : end]

    def col_hidden(self, col: int) -> bool:
        return any(lo <= col <= hi for lo, hi in self.hidden_cols)

    def merge_at(self, row: int, col: int) -> Span | None:
        """The merged range covering a cell, if any."""
        if not self.merges:
            return None
        found = self._index("merge", col).find(row)
        return found[0] if found else None

    def shown_text(self, row: int, col: int) -> str | None:
        """The text a cell shows: its own, or its merged range's top-left one."""
        span = self.merge_at(row, col)
        return self.text(span[0], span[1]) if span else self.text(row, col)

    def validation_at(self, row: int, col: int) -> _Validation | None:
        found = self._index("validation", col).find(row)
        return found[1] if found else None

    def locked(self, row: int, col: int, book: Book) -> bool:
        """True when the sheet is protected and the cell's style keeps it locked."""
        if not self.protected:
            return False
        style = self.styles.get((row, col))
        if style is None:
            # a cell with no XML element takes its row's, then its column's style
            style = self.row_styles.get(row)
        if style is None:
            style = next((s for lo, hi, s in self.col_styles if lo <= col <= hi), 0)
        return book.locked_style(style)

    def _index(self, kind: str, col: int) -> _Intervals:
        key = (kind, col)
        if key not in self._indexes:
            items: list[tuple[Span, _Validation | None]]
            if kind == "merge":
                items = [(span, None) for span in self.merges if span[1] <= col <= span[3]]
            else:
                items = [(span, v) for v in self.validations for span in v.spans if span[1] <= col <= span[3]]
            self._indexes[key] = _Intervals(items)
        return self._indexes[key]


class _Intervals:
    """Row intervals of the spans that cross one column, found by bisection."""

    def __init__(self, items: list[tuple[Span, _Validation | None]]) -> None:
        self.items = sorted(items, key=lambda item: item[0][0])
        self.starts = [item[0][0] for item in self.items]

    def find(self, row: int) -> tuple[Span, _Validation | None] | None:
        at = bisect_right(self.starts, row) - 1
        # spans may overlap (validations), so look back a little past the nearest start
        for item in reversed(self.items[max(0, at - 8) : at + 1]):
            if item[0][0] <= row <= item[0][2]:
                return item
        return None


class Book:
    """One open workbook package: its sheets, shared strings, styles and defined names."""

    def __init__(self, path: Path, package: zipfile.ZipFile) -> None:
        self.path, self.package = path, package
        self.members = part_names(package)  # resolved as Excel does; check_package refused collisions
        self.cells = self.rows = self.chars = 0  # what has been parsed so far, against the limits
        main = next((t for kind, t in self._rels("").values() if kind.endswith("/officeDocument")), "xl/workbook.xml")
        root = self._xml(main)
        if root is None:
            raise FormError(path, "has no workbook part; it is not an Excel workbook, re-save it as .xlsx")
        rels = self._rels(main)
        self.sheets: list[_SheetRef] = []
        for index, el in enumerate(root.iterfind("{*}sheets/{*}sheet")):
            rid = next((v for k, v in el.attrib.items() if str(k).endswith("}id")), "")
            kind, target = rels.get(str(rid), ("", ""))
            part = self._member(target) if kind.endswith("/worksheet") else None
            self.sheets.append(_SheetRef(str(el.get("name", "")), index, part, str(el.get("state") or "visible")))
        pr = root.find("{*}workbookPr")
        self.epoch = datetime(1904, 1, 1) if pr is not None and pr.get("date1904") in ("1", "true") else None
        self.names: dict[tuple[int | None, str], str] = {}
        for el in root.iterfind("{*}definedNames/{*}definedName"):
            scope = el.get("localSheetId")
            local = int(scope) if scope and scope.isdigit() else None
            self.names[(local, str(el.get("name", "")).lower())] = (el.text or "").strip()
        parts = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
        self.strings = self._strings(parts.get("sharedStrings"))
        self._locked, self._dates = self._styles(parts.get("styles"))
        self._parsed: dict[str, Sheet | None] = {}
        self._lists: dict[tuple[int, str], tuple[str, ...] | None] = {}

    def sheet(self, name: str) -> Sheet | None:
        """The parsed sheet called `name` (case-insensitive), or None if there is none."""
        ref = next((s for s in self.sheets if s.name.lower() == name.lower()), None)
        if ref is None or ref.part is None:
            return None
        if ref.name not in self._parsed:
            self._parsed[ref.name] = _parse_sheet(self, ref)
        return self._parsed[ref.name]

    def count(self, *, rows: int = 0, cells: int = 0, chars: int = 0) -> None:
        """Add to what has been parsed; raise the one-line "too large" FormError past a limit."""
        self.rows, self.cells, self.chars = self.rows + rows, self.cells + cells, self.chars + chars
        if self.cells > MAX_CELLS:
            raise too_large(self.path, f"{MAX_CELLS:,} cells")
        if self.rows > MAX_ROWS:
            raise too_large(self.path, f"{MAX_ROWS:,} rows")
        if self.chars > MAX_CHARS:
            raise too_large(self.path, f"{MAX_CHARS:,} characters of text")

    def locked_style(self, style: int) -> bool:
        return self._locked[style] if 0 <= style < len(self._locked) else True

    def list_values(self, sheet: Sheet, formula: str) -> tuple[str, ...] | None:
        """The values a list validation allows, or None when its source cannot be read."""
        key = (sheet.index, formula)
        if key not in self._lists:
            self._lists[key] = self._resolve_list(sheet, formula)
        return self._lists[key]

    def _resolve_list(self, sheet: Sheet, formula: str) -> tuple[str, ...] | None:
        text = formula.strip().removeprefix("=")
        if len(text) >= 2 and text[0] == text[-1] == '"':
            return _unique(text[1:-1].replace('""', '"').split(","))
        ref = _reference(text)
        if ref is None:
            # a defined name: the sheet's own scope first, then the workbook's
            target = self.names.get((sheet.index, text.lower())) or self.names.get((None, text.lower()))
            ref = _reference(target) if target else None
        if ref is None:
            return None
        source = self.sheet(ref[0]) if ref[0] else sheet
        if source is None:
            return None
        r1, c1, r2, c2 = ref[1]
        values = [
            source.cells[row][col]
            for row in sorted(r for r in source.cells if r1 <= r <= r2)
            for col in sorted(c for c in source.cells[row] if c1 <= c <= c2)
        ]
        return _unique(values[:_MAX_LIST]) or None

    def _member(self, name: str | None) -> str | None:
        return self.members.get(part_key(name)) if name else None

    def _xml(self, name: str | None) -> Any:
        member = self._member(name)
        if member is None:
            return None
        return etree.fromstring(
            self.package.read(member), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        )

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, package path of the target) for `part` ("" = the package)."""
        root = self._xml(join(dirname(part), "_rels", basename(part) + ".rels"))
        out: dict[str, tuple[str, str]] = {}
        for el in [] if root is None else root.iter("{*}Relationship"):
            if el.get("TargetMode") == "External":
                continue
            target = str(el.get("Target", ""))
            path = target[1:] if target.startswith("/") else normpath(join(dirname(part), target))
            out[str(el.get("Id"))] = (str(el.get("Type", "")), path)
        return out

    def _strings(self, part: str | None) -> list[str]:
        member = self._member(part)
        if member is None:
            return []
        strings: list[str] = []
        # streamed, each string dropped from the tree once read: the table can be most of a workbook
        for _, si in etree.iterparse(
            BytesIO(self.package.read(member)),
            events=("end",),
            tag="{*}si",
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
        ):
            # rich text runs are joined; phonetic guides (rPh) are not part of the text
            pieces: list[str] = []
            for child in si:
                name = _local(child.tag)
                if name == "t":
                    pieces.append(child.text or "")
                elif name == "r":
                    pieces.extend(t.text or "" for t in child.iter("{*}t"))
            text = _unescape("".join(pieces))
            self.count(cells=1, chars=len(text))
            strings.append(text)
            si.clear(keep_tail=True)
            while si.getprevious() is not None:
                del si.getparent()[0]
        return strings

    def _styles(self, part: str | None) -> tuple[list[bool], frozenset[int]]:
        root = self._xml(part)
        if root is None:
            return [True], frozenset()
        formats = {int(el.get("numFmtId", "0")): str(el.get("formatCode", "")) for el in root.iter("{*}numFmt")}
        locked, dates = [], set()
        for index, xf in enumerate(root.iterfind("{*}cellXfs/{*}xf")):
            protection = xf.find("{*}protection")
            locked.append(protection is None or protection.get("locked") not in ("0", "false"))
            fmt = int(xf.get("numFmtId", "0") or 0)
            if fmt in _DATE_FORMAT_IDS or (fmt in formats and _is_date_format(formats[fmt])):
                dates.add(index)
        return locked or [True], frozenset(dates)

    def is_date_style(self, style: int) -> bool:
        return style in self._dates


# A page header's or footer's codes: "&L", "&C", "&R", "&P", "&D", fonts ("&\"Arial,Bold\"", "&12")
_PAGE_CODES = re.compile(r'&(?:"[^"]*"|\d+|[LCRPNDTAFZGBIUESXYK&])')


def _parse_sheet(book: Book, ref: _SheetRef) -> Sheet:
    """One streaming pass over a worksheet part; rows are dropped as soon as they are read."""
    assert ref.part is not None
    data = book.package.read(ref.part)
    # cell styles only matter for the locked check, and <sheetProtection> comes after the
    # cells, so a byte search decides up front whether to keep them
    styles: dict[tuple[int, int], int] | None = {} if b"sheetProtection" in data else None
    cells: dict[int, dict[int, str]] = {}
    formulas: set[tuple[int, int]] = set()
    row_styles: dict[int, int] = {}
    col_styles: list[tuple[int, int, int]] = []
    hidden_rows: set[int] = set()
    hidden_cols: list[tuple[int, int]] = []
    merges: list[Span] = []
    validations: list[_Validation] = []
    protected = False
    row_no = 0
    tags = ("{*}row", "{*}col", "{*}mergeCell", "{*}dataValidation", "{*}sheetProtection", "{*}headerFooter")
    page_notes: list[str] = []
    for _, el in etree.iterparse(
        BytesIO(data), events=("end",), tag=tags, resolve_entities=False, no_network=True, load_dtd=False
    ):
        name = _local(el.tag)
        if name == "row":
            row_no = int(el.get("r") or row_no + 1)
            if el.get("hidden") in ("1", "true"):
                hidden_rows.add(row_no)
            if el.get("customFormat") in ("1", "true") and el.get("s"):
                row_styles[row_no] = int(el.get("s"))
            try:
                if row_no in cells:
                    raise _Twice(f"row {row_no}")
                values = _row_values(book, el, row_no, formulas, styles)
            except _Twice as twice:  # Excel repairs such a sheet and may keep the other text than we read
                raise FormError(
                    book.path, f"sheet '{ref.name}' has {twice} twice; open and re-save it in Excel, then try again"
                ) from None
            book.count(rows=1, cells=len(el), chars=sum(map(len, values.values())))
            if values:
                cells[row_no] = values
                if len(cells) > MAX_CONTENT_ROWS:
                    raise FormError(
                        book.path,
                        f"sheet '{ref.name}' has more than {MAX_CONTENT_ROWS:,} rows of content; "
                        "split it or delete the rows that are not questions, then try again",
                    )
            el.clear(keep_tail=True)
            # drop read rows so a big sheet never sits in memory as a tree
            while el.getprevious() is not None:
                del el.getparent()[0]
        elif name == "col":
            lo, hi = int(el.get("min", "1")), min(int(el.get("max", "1")), MAX_COL)
            if el.get("hidden") in ("1", "true"):
                hidden_cols.append((lo, hi))
            if el.get("style"):
                col_styles.append((lo, hi, int(el.get("style"))))
        elif name == "mergeCell":
            span = parse_span(str(el.get("ref", "")))
            if span and (span[0], span[1]) != (span[2], span[3]):
                merges.append(span)
        elif name == "dataValidation":
            validations.append(_validation(el))
        elif name == "sheetProtection":
            protected = el.get("sheet") in ("1", "true")
        elif name == "headerFooter":
            # "&LIn this document 'we' means the Supplier&R&P": the codes go, the words stay
            page_notes.extend(_PAGE_CODES.sub(" ", part.text or "")[:2000] for part in el)
    return Sheet(
        name=ref.name,
        index=ref.index,
        cells=cells,
        formulas=frozenset(formulas),
        styles=styles or {},
        row_styles=row_styles,
        col_styles=tuple(col_styles),
        hidden_rows=frozenset(hidden_rows),
        hidden_cols=tuple(hidden_cols),
        merges=tuple(merges),
        validations=tuple(validations),
        protected=protected,
        page_notes=tuple(page_notes),
    )


def _row_values(
    book: Book,
    row: Any,
    row_no: int,
    formulas: set[tuple[int, int]],
    styles: dict[tuple[int, int], int] | None,
) -> dict[int, str]:
    """The non-blank cell texts of one <row>, noting formula cells (and styles when asked)."""
    tags = _tags(row.tag[: row.tag.find("}") + 1])
    if styles is not None:
        return _row_values_in_order(book, row, row_no, formulas, styles, tags)
    values: dict[int, str] = {}
    # only cells with a value, formula or inline string are visited: Google Sheets exports
    # a thousand rows of styled empty cells per sheet
    taken = None
    for node in row.iter(tags[1], tags[2], tags[3]):
        c = node.getparent()
        if c.tag != tags[0] or c is taken:  # a formula cell holds both <f> and <v>: taken once
            continue
        taken = c
        ref = c.get("r")
        if ref is None:
            return _row_values_in_order(book, row, row_no, formulas, styles, tags)
        _take_cell(book, c, row_no, column_number(ref.rstrip(_DIGITS)), values, formulas, tags)
    return values


def _row_values_in_order(
    book: Book,
    row: Any,
    row_no: int,
    formulas: set[tuple[int, int]],
    styles: dict[tuple[int, int], int] | None,
    tags: tuple[str, ...],
) -> dict[int, str]:
    """Every cell in turn: for styles, and for cells without a reference (one column after the last)."""
    values: dict[int, str] = {}
    col = 0
    for c in row.iterchildren(tags[0]):
        ref = c.get("r")
        col = column_number(ref.rstrip(_DIGITS)) if ref else col + 1
        if styles is not None and (s := c.get("s")) and s != "0":
            styles[(row_no, col)] = int(s)
        if len(c):
            _take_cell(book, c, row_no, col, values, formulas, tags)
    return values


def _take_cell(
    book: Book,
    c: Any,
    row_no: int,
    col: int,
    values: dict[int, str],
    formulas: set[tuple[int, int]],
    tags: tuple[str, ...],
) -> None:
    _, tag_v, tag_f, tag_is, tag_t, tag_rph = tags
    v = None
    for node in c:
        if node.tag == tag_v:
            v = node.text
        elif node.tag == tag_f:
            formulas.add((row_no, col))
        elif node.tag == tag_is and len(node) == 1 and node[0].tag == tag_t:
            v = node[0].text  # the common plain inline string
        elif node.tag == tag_is:
            v = "".join(t.text or "" for t in node.iter(tag_t) if t.getparent().tag != tag_rph)
    text = _cell_text(book, c.get("t"), v, c.get("s"))
    if text and not text.isspace():
        if col in values:
            raise _Twice(f"cell {column_letters(col)}{row_no}")
        values[col] = text


class _Twice(Exception):
    """A row or cell written twice in a sheet part: which of the two a reader keeps is not defined."""


@cache
def _tags(ns: str) -> tuple[str, ...]:
    """The spreadsheetml tags a row holds, in its namespace (transitional or strict)."""
    return tuple(ns + name for name in ("c", "v", "f", "is", "t", "rPh"))


def _cell_text(book: Book, kind: str | None, v: str | None, style: str | None) -> str | None:
    """A cell's value as text: dates as ISO dates, booleans as TRUE/FALSE, errors as None."""
    if v is None:
        return None
    if kind == "s":
        index = int(v) if v.strip().isdigit() else -1
        return book.strings[index] if 0 <= index < len(book.strings) else None
    if kind in ("str", "inlineStr"):
        return _unescape(v)
    if kind == "b":
        return "TRUE" if v.strip() in ("1", "true") else "FALSE"
    if kind == "e":
        return None
    if kind == "d":
        return v.strip().removesuffix("T00:00:00")
    try:
        number = float(v)
    except ValueError:
        return v
    if style and book.is_date_style(int(style)):
        return _excel_date(number, book.epoch)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return format(number, ".15g")


def _excel_date(number: float, epoch: datetime | None) -> str:
    """An Excel serial date as ISO text; `epoch` None means Excel's default 1900 calendar."""
    if epoch is None:
        # Excel's 1900 calendar counts a 29 Feb 1900 that never was
        epoch = datetime(1899, 12, 31) if number < 60 else datetime(1899, 12, 30)
    try:
        moment = epoch + timedelta(days=number)
    except OverflowError:
        return format(number, ".15g")
    if 0 <= number < 1:
        return moment.time().isoformat()
    return moment.date().isoformat() if moment.time() == time() else moment.isoformat(sep=" ")


# built-in number formats that show dates or times, including the East Asian ones
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[(?![hms]+\])[^\]]*\]|\\.|_.|\*.')


def _is_date_format(code: str) -> bool:
    """True for a custom number format such as 'dd/mm/yyyy' (quoted text and colours aside)."""
    return re.search(r"[dmyhs]", _FORMAT_NOISE.sub("", code.split(";")[0]), re.IGNORECASE) is not None


def _validation(el: Any) -> _Validation:
    # classic validations carry sqref as an attribute and formula1 as text; x14 ones nest
    # <xm:sqref> and <x14:formula1><xm:f>
    sqref = el.get("sqref")
    if sqref is None:
        node = el.find("{*}sqref")
        sqref = node.text if node is not None else ""
    formula = ""
    node = el.find("{*}formula1")
    if node is not None:
        inner = node.find("{*}f")
        formula = (inner.text if inner is not None else node.text) or ""
    spans = tuple(span for part in str(sqref or "").split() if (span := parse_span(part)))
    return _Validation(str(el.get("type") or ""), formula, spans)


# --- cell references ---------------------------------------------------------------------

_CELL = re.compile(r"\$?([A-Za-z]{1,3})?\$?([0-9]{1,7})?")
_SHEET_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(.+)$")


def parse_span(text: str) -> Span | None:
    """'C3:C263', 'A1', 'C:C' or '4:4' as (min_row, min_col, max_row, max_col)."""
    first, _, second = text.partition(":")
    a, b = _CELL.fullmatch(first), _CELL.fullmatch(second or first)
    if not a or not b or not (a[1] or a[2]) or not (b[1] or b[2]):
        return None
    c1 = column_number(a[1]) if a[1] else 1
    r1 = int(a[2]) if a[2] else 1
    c2 = column_number(b[1]) if b[1] else MAX_COL
    r2 = int(b[2]) if b[2] else MAX_ROW
    if not second and not (a[1] and a[2]):
        return None
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _reference(text: str) -> tuple[str | None, Span] | None:
    """ "'Auto Responses'!$J$3:$J$5" as ("Auto Responses", span); a bare range has no sheet."""
    match = _SHEET_REF.match(text.strip())
    sheet, where = (match[1].replace("''", "'") if match[1] else match[2], match[3]) if match else (None, text)
    span = parse_span(where.strip())
    return (sheet, span) if span else None


def _local(tag: object) -> str:
    text = str(tag)
    return text[text.rfind("}") + 1 :]


def _unescape(text: str) -> str:
    # OOXML writes control characters such as CR as _x000D_
    if "_x" not in text:
        return text
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), text)


def _unique(values: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value.strip():
            seen.setdefault(value.strip(), None)
    return tuple(seen)


def collapse(text: str) -> str:
    """On one line, without control characters: a form's ESC must never reach a terminal or a ledger."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())
