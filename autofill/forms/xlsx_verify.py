"""Prove a written workbook kept everything its input had and holds exactly the planned answers.

Separate from the writer it checks: it re-reads the output's XML itself, sharing only the plan
(what was meant to be written) and the package reader.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from autofill.errors import FidelityError
from autofill.forms.xlsx_refs import column_number
from autofill.forms.xlsx_write import (
    _C,
    _F,
    _REF,
    _ROW,
    _T,
    _V,
    REVIEW_SHEET,
    X14,
    _Book,
    _Element,
    _Facts,
    _Key,
    _locate_cells,
    _parse,
    _Plan,
    _plan,
    _q,
    _range,
    _recall,
    _ref,
    _Styles,
    _Write,
)
from autofill.models import Outcome
from autofill.safety import FORMULA_TRIGGERS


def verify_output(src: Path, dst: Path, outcomes: Sequence[Outcome]) -> None:
    """Re-open `dst` and prove it kept everything `src` had and holds exactly the planned answers."""
    src, dst = Path(src), Path(dst)
    try:
        with zipfile.ZipFile(src) as before, zipfile.ZipFile(dst) as after:
            _verify(src, dst, before, after, outcomes)
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as error:
        raise FidelityError(dst, f"is not a readable workbook ({error}); the output is broken") from None


# --- verifying ---------------------------------------------------------------------------------


@dataclass
class _Cells:
    """What the verifier read from the cells it was asked about, by reference."""

    texts: dict[str, str] = field(default_factory=dict)  # one plain inline run
    valued: set[str] = field(default_factory=set)  # any value: inline, rich or stored
    formulas: set[str] = field(default_factory=set)
    styles: dict[str, int] = field(default_factory=dict)
    row_styles: dict[int, int] = field(default_factory=dict)  # rows whose format new cells take


def _read_cells(data: _Element | None, wanted: set[str]) -> _Cells:
    """Read the `wanted` cells through lxml, handling rows and cells that omit their reference."""
    found = _Cells()
    if data is None:
        return found
    number, ref, last, keep = 0, "", "", False
    # one walk over the elements that matter, in document order: far cheaper than per-cell lookups
    for element in data.iter(_ROW, _C, _T, _V, _F):
        tag = element.tag
        if tag == _C:
            ref = element.get("r") or ""
            if not ref:  # follows the previous cell
                match = _REF.fullmatch(last)
                ref = _ref(number, (column_number(match[1].upper()) if match else 0) + 1)
            last, keep = ref, ref in wanted
            if keep and element.get("s"):
                found.styles[ref] = int(element.get("s", "0"))
        elif not keep and tag != _ROW:
            continue
        elif tag == _T:
            found.valued.add(ref)
            # a second run (rich text, phonetic hints) is never autofill's plain text
            found.texts[ref] = "\0rich text" if ref in found.texts else element.text or ""
        elif tag == _V:
            found.valued.add(ref)
        elif tag == _F:
            found.formulas.add(ref)
        else:  # a row
            number, last, keep = int(element.get("r") or number + 1), "", False
            if element.get("customFormat") in ("1", "true") and element.get("s"):
                found.row_styles[number] = int(element.get("s", "0"))
    return found


def _verify(src: Path, dst: Path, before: zipfile.ZipFile, after: zipfile.ZipFile, outcomes: Sequence[Outcome]) -> None:
    old, new = _Book.read(before, src), _Book.read(after, dst)
    # a fresh plan leaves citations out of comments: the comment must then lead the cell
    plan = _recall(src, outcomes) or _plan(outcomes, old, "none", [])
    review_part = _verify_book(dst, old, new, plan)
    changed = _verify_parts(dst, before, after, old, review_part)
    styles = _Styles(after.read(new.styles_part)) if new.styles_part else None
    wanted: dict[str, set[str]] = {}
    for name, row, col in (*plan.writes, *plan.highlights):
        wanted.setdefault(name, set()).add(_ref(row, col))
    # only patched sheets and sheets with planned cells are parsed; the others matched by CRC
    for name, part in old.parts.items():
        if part not in changed and name not in wanted:
            continue
        root = _parse(after.read(part))
        data = root.find(_q("sheetData"))
        formulas = list(data.iter(_F)) if data is not None else []
        if part in changed:
            _verify_sheet(dst, name, _outline(before.read(part)), _outline_of(root, data, len(formulas)))
        arrays = [span for f in formulas if f.get("t") == "array" and (span := _range(f.get("ref", "")))]
        facts = _Facts.of(root, arrays)
        cells = _read_cells(data, wanted.get(name, set()))
        for key, write in plan.writes.items():
            if key[0] == name:
                _verify_write(dst, facts, cells, styles, key, write)
        if styles is not None and max(cells.styles.values(), default=0) >= max(len(styles.xfs), 1):
            raise FidelityError(dst, f"sheet '{name}' uses a cell format that styles.xml does not define")
    if review_part:
        _verify_review(dst, after.read(review_part), len(plan.reviews))


def _verify_book(dst: Path, old: _Book, new: _Book, plan: _Plan) -> str | None:
    """Check sheets and defined names; return the review sheet's part when one was added."""
    if new.sheets[: len(old.sheets)] != old.sheets:
        lost = [name for name, state in old.sheets if (name, state) not in new.sheets]
        raise FidelityError(dst, f"lost {f'sheet {lost[0]!r}' if lost else 'the order or visibility of its sheets'}")
    extra = new.sheets[len(old.sheets) :]
    expected = 1 if plan.reviews and not old.locked_structure and old.styles_part else 0
    if len(extra) != expected or (extra and not extra[0][0].startswith(REVIEW_SHEET)):
        raise FidelityError(dst, f"has {len(extra)} added sheets where {expected} ('{REVIEW_SHEET}') was expected")
    if new.names != old.names:
        lost_names = sorted({str(n[0]) for n in old.names} - {str(n[0]) for n in new.names}) or ["(changed)"]
        raise FidelityError(dst, f"lost defined names: {', '.join(lost_names)}")
    return new.parts.get(extra[0][0]) if extra else None


def _verify_parts(
    dst: Path, before: zipfile.ZipFile, after: zipfile.ZipFile, old: _Book, review_part: str | None
) -> set[str]:
    """Every input part is in the output, unchanged unless autofill may patch it; return the patched ones."""
    may_change = {*old.parts.values(), old.part, old.rels_part, "[Content_Types].xml", old.styles_part}
    changed = set()
    for info in before.infolist():
        twin = after.NameToInfo.get(info.filename)
        if twin is None:
            raise FidelityError(dst, f"lost part {info.filename} of the input")
        if (twin.CRC, twin.file_size) != (info.CRC, info.file_size):
            if info.filename not in may_change:
                raise FidelityError(dst, f"changed part {info.filename}, which autofill never edits")
            changed.add(info.filename)
    added = set(after.NameToInfo) - set(before.NameToInfo) - {review_part}
    if added:
        raise FidelityError(dst, f"has unexpected new parts: {', '.join(sorted(added))}")
    if old.styles_part in changed:
        _verify_styles(dst, before.read(old.styles_part), after.read(old.styles_part))
    return changed


_COUNTED = {
    _q("dataValidation"): "data validations",
    f"{{{X14}}}dataValidation": "x14 data validations",
    _q("conditionalFormatting"): "conditional formats",
    f"{{{X14}}}conditionalFormatting": "x14 conditional formats",
    _q("mergeCell"): "merged ranges",
}
_OUTSIDE_SKIP = {_q("sheetData"), _q("dimension")}


@dataclass
class _Outline:
    """What autofill must never lose from a sheet: counts, and every element outside the cells."""

    counts: dict[str, int]
    outside: list[bytes]  # the dimension may grow, so it is left out


def _outline(xml: bytes) -> _Outline:
    """The input sheet's outline: lxml parses all but the cells, whose formulas are counted as bytes."""
    located = _locate_cells(xml)
    if located is None:
        return _outline_of(_parse(xml), None, 0)
    xml, p, tag_start, start, end = located
    rest = _parse(xml[:tag_start] + xml[end + len(b"</%ssheetData>" % p) :])
    outline = _outline_of(rest, None, 0)
    cells = xml[start:end]
    outline.counts["formula cells"] = len(re.findall(rb"<" + re.escape(p) + rb"f[\s/>]", cells))
    outline.counts["rows"] = len(re.findall(rb"<" + re.escape(p) + rb"row[\s/>]", cells))
    return outline


def _outline_of(root: _Element, data: _Element | None, formulas: int) -> _Outline:
    counts = dict.fromkeys(_COUNTED.values(), 0)
    for element in root.iter(*_COUNTED):
        counts[_COUNTED[str(element.tag)]] += 1
    counts["formula cells"] = formulas
    counts["rows"] = sum(1 for _ in data.iterchildren(_ROW)) if data is not None else 0
    return _Outline(counts, [etree.tostring(child) for child in root if child.tag not in _OUTSIDE_SKIP])


def _verify_sheet(dst: Path, name: str, old: _Outline, new: _Outline) -> None:
    for what, count in old.counts.items():
        if new.counts[what] < count:
            raise FidelityError(dst, f"sheet '{name}' lost {what} ({count} in the input, {new.counts[what]} now)")
        if new.counts[what] != count and what != "rows":  # rows may be added for new cells
            raise FidelityError(dst, f"sheet '{name}' has {new.counts[what]} {what} where the input had {count}")
    if old.outside != new.outside:
        raise FidelityError(dst, f"sheet '{name}' changed outside its cells (settings, validations or formats)")


def _verify_write(dst: Path, facts: _Facts, cells: _Cells, styles: _Styles | None, key: _Key, write: _Write) -> None:
    name, row, col = key
    ref = _ref(row, col)
    formula = ref in cells.formulas
    if facts.protected:
        style = cells.styles.get(ref)
        if style is None:
            style = 0 if ref in cells.valued else cells.row_styles.get(row, facts.column_style(col))
        reason = facts.blocked(row, col, formula, style, styles)
    else:
        reason = facts.blocked(row, col, formula, 0, None)
    if reason:
        return  # the writer skipped it too, with a warning
    text = cells.texts.get(ref)
    if text is None:
        text = "\0stored value or rich text" if ref in cells.valued else ""  # autofill writes neither
    expected = write.text
    if text != expected and not (
        write.prefix_only and (text.startswith(expected) or text.endswith("…") and expected.startswith(text[:-1]))
    ):
        raise FidelityError(dst, f"sheet '{name}' {ref} holds {text[:40]!r} where autofill wrote {expected[:40]!r}")
    if write.choices and text not in write.choices:
        raise FidelityError(dst, f"sheet '{name}' {ref} holds {text!r}, not one of {', '.join(write.choices)}")
    if text[:1] in _RISKY_START and text.lstrip("\t\r\n").startswith(FORMULA_TRIGGERS):
        raise FidelityError(dst, f"sheet '{name}' {ref} starts with a formula character: {text[:20]!r}")


_RISKY_START = frozenset("=+-@\t\r\n")


def _verify_styles(dst: Path, old_xml: bytes, new_xml: bytes) -> None:
    old, new = _parse(old_xml), _parse(new_xml)
    for name in ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"):
        old_section, new_section = old.find(_q(name)), new.find(_q(name))
        old_items = [] if old_section is None else [etree.tostring(c) for c in old_section]
        new_items = [] if new_section is None else [etree.tostring(c) for c in new_section]
        # autofill only appends formats, so the input's own must stay in place, unchanged
        if new_items[: len(old_items)] != old_items:
            raise FidelityError(dst, f"changed existing {name} in styles.xml")
        if new_section is not None and new_section.get("count") not in (None, str(len(new_items))):
            raise FidelityError(dst, f"styles.xml says {new_section.get('count')} {name} but has {len(new_items)}")


def _verify_review(dst: Path, xml: bytes, reviews: int) -> None:
    root = _parse(xml)
    data = root.find(_q("sheetData"))
    rows = sum(1 for _ in data.iterchildren(_ROW)) if data is not None else 0
    if rows != reviews + 1:
        raise FidelityError(dst, f"'{REVIEW_SHEET}' has {rows - 1} rows where {reviews} were expected")
    if sum(1 for _ in root.iter(_q("dataValidation"))) != 1:
        raise FidelityError(dst, f"'{REVIEW_SHEET}' lost its Decision list")
