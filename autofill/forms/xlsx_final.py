"""The copy of a filled workbook that goes to the customer: no review sheet, no review highlight.

The fill adds an "Autofill review" sheet (suggestions, candidate claims, notes: the team's
working material) and an amber fill on the rows left for a person. `final_copy` takes both
out, by the same part-level patching as the writer: each kept worksheet changes only in the
format of the cells that carried the review fill, and the review sheet's part goes with every
part only it used (a reviewer's comments on it, its printer settings) and with every mention
of it in the workbook (its entry, names local to it, the active tab, calcChain, docProps/app.xml).

`verify_final` re-reads the result: the same sheets but the review ones, each with the same
cells and values (formats aside), and no cell left with the review fill.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from posixpath import basename, dirname, join

from lxml import etree

from autofill.atomic import write_package
from autofill.errors import FidelityError, FormError
from autofill.forms.xlsx_write import (
    CONTENT_TYPES,
    DOC_REL,
    PKG_REL,
    _Book,
    _parse,
    _Patcher,
    _position,
    _q,
    _refuse_same_file,
    _serialize,
    _Styles,
    _target,
)
from autofill.models import WriteStats
from autofill.safety import part_key, part_names

# A cell's start tag, and its reference and format in it.
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b([^>]*)>")
_CELL_REF = re.compile(rb'\br="([^"]*)"')
_CELL_STYLE = re.compile(rb'\bs="([0-9]+)"')
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


@dataclass(frozen=True)
class FinalStats:
    sheets_removed: tuple[str, ...]  # the review sheets taken out
    rows_cleared: int  # rows (of any sheet) whose cells' review fill came off


def final_copy(src: Path, dst: Path, reviews: list[str]) -> FinalStats:
    """Write `dst`: the filled workbook `src` (checked by the caller: safety.check_package) without
    the review sheets named `reviews` and without review fills."""
    src, dst = Path(src), Path(dst)
    _refuse_same_file(src, dst)
    stats = WriteStats()
    with zipfile.ZipFile(src) as package:
        book = _Book.read(package, src)
        reviews = [name for name in reviews if name in book.parts]
        patcher = _Patcher(src, package, book, stats)
        styles = patcher.styles()
        marked = _marked_formats(styles) if styles is not None else set()
        cleared: set[tuple[str, int]] = set()
        for name, part in book.parts.items():
            if name in reviews or not marked:
                continue
            for ref in _marked_cells(package.read(part), marked):
                position = _position(ref)
                if position is None:
                    raise FormError(src, f"sheet '{name}' has a highlighted cell without a reference; re-save it")
                patcher.sheet(name).op(*position).plain = True
                cleared.add((name, position[0]))
        replaced, added = patcher.finish()
        removed: set[str] = set()
        if reviews:
            _remove_sheets(package, book, reviews, replaced, removed)
    write_package(src, dst, replaced, added, removed=removed)
    return FinalStats(tuple(reviews), len(cleared))


def _marked_formats(styles: _Styles) -> set[int]:
    return {i for i, xf in enumerate(styles.xfs) if styles._review_fill(xf)}


def _marked_cells(xml: bytes, marked: set[int]) -> list[str]:
    """The references of the cells whose format is one of `marked`."""
    found = []
    for cell in _CELL.finditer(xml):
        style = _CELL_STYLE.search(cell[1])
        if style is not None and int(style[1]) in marked:
            ref = _CELL_REF.search(cell[1])
            found.append(ref[1].decode() if ref else "")
    return found


def _remove_sheets(
    package: zipfile.ZipFile, book: _Book, names: list[str], replaced: dict[str, bytes], removed: set[str]
) -> None:
    """Take the sheets out of the workbook part, its relationships, the content types and app.xml."""
    members = part_names(package)
    root = _parse(replaced[book.part]) if book.part in replaced else book.root
    rels = _parse(replaced[book.rels_part]) if book.rels_part in replaced else book.rels
    entries = list(root.iter(_q("sheet")))
    gone = sorted((i for i, e in enumerate(entries) if e.get("name") in names), reverse=True)
    sheet_ids = {entries[i].get("sheetId") for i in gone}
    rel_ids = {entries[i].get(f"{{{DOC_REL}}}id") for i in gone}
    for index in gone:
        entry = entries[index]
        parent = entry.getparent()
        if parent is not None:
            parent.remove(entry)
        _shift_local_names(root, index)
        _shift_views(root, index, len(entries) - len(gone))
    for rel in list(rels.iter(f"{{{PKG_REL}}}Relationship")):
        if rel.get("Id") in rel_ids:
            rels.remove(rel)
    parts = {book.parts[name] for name in names}
    removed |= _with_own_parts(package, members, parts)
    types_part = members.get(part_key("[Content_Types].xml"), "[Content_Types].xml")
    types = _parse(replaced[types_part]) if types_part in replaced else _parse(package.read(types_part))
    keys = {part_key(p) for p in removed}
    for override in list(types.iter(f"{{{CONTENT_TYPES}}}Override")):
        if part_key(override.get("PartName", "")) in keys:
            types.remove(override)
    replaced[types_part] = _serialize(types)
    replaced[book.part] = _serialize(root)
    replaced[book.rels_part] = _serialize(rels)
    _drop_from_calc_chain(package, book, rels, sheet_ids, replaced)
    _drop_from_app(package, members, names, replaced)
    _blank_own_strings(package, book, rels, {book.parts[name] for name in names}, replaced)


def _with_own_parts(package: zipfile.ZipFile, members: dict[str, str], parts: set[str]) -> set[str]:
    """The parts, their relationship parts, and the parts only they point at."""
    removed = set(parts)
    keys = {part_key(p) for p in parts}
    elsewhere: set[str] = set()
    own: set[str] = set()
    for name in package.namelist():
        if not name.endswith(".rels"):
            continue
        source = join(dirname(dirname(name)), basename(name)[: -len(".rels")])
        mine = part_key(source) in keys
        if mine:
            removed.add(name)
        for rel in _parse(package.read(name)).iter(f"{{{PKG_REL}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = members.get(part_key(_target(dirname(source), rel.get("Target", ""))))
            if target is not None:
                (own if mine else elsewhere).add(target)
    removed |= own - elsewhere
    return removed


def _shift_local_names(root: etree._Element, index: int) -> None:
    """Names local to the removed sheet go; those of later sheets follow their sheet down."""
    for name in list(root.iter(_q("definedName"))):
        local = name.get("localSheetId")
        if local is None or not local.isdigit():
            continue
        if int(local) == index:
            parent = name.getparent()
            if parent is not None:
                parent.remove(name)
        elif int(local) > index:
            name.set("localSheetId", str(int(local) - 1))
    names = root.find(_q("definedNames"))
    if names is not None and len(names) == 0:
        root.remove(names)


def _shift_views(root: etree._Element, index: int, left: int) -> None:
    for view in root.iter(_q("workbookView")):
        for attribute in ("activeTab", "firstSheet"):
            value = view.get(attribute)
            if value is not None and value.isdigit() and int(value) >= index and int(value) > 0:
                view.set(attribute, str(min(int(value) - 1, max(left - 1, 0))))


def _drop_from_calc_chain(
    package: zipfile.ZipFile, book: _Book, rels: etree._Element, sheet_ids: set[str | None], replaced: dict[str, bytes]
) -> None:
    """calcChain lists formula cells by sheet id: a removed sheet's entries would make Excel repair the file."""
    for rel in rels.iter(f"{{{PKG_REL}}}Relationship"):
        if not rel.get("Type", "").endswith("/calcChain"):
            continue
        part = _target(dirname(book.part), rel.get("Target", ""))
        if part not in package.NameToInfo:
            continue
        chain = _parse(package.read(part))
        current: str | None = None
        changed = False
        for cell in list(chain):
            current = cell.get("i") or current  # an entry without i is on the previous one's sheet
            if current in sheet_ids:
                chain.remove(cell)
                changed = True
            elif cell.get("i") is None and changed:
                cell.set("i", current or "")
        if changed:
            replaced[part] = _serialize(chain)


def _blank_own_strings(
    package: zipfile.ZipFile, book: _Book, rels: etree._Element, parts: set[str], replaced: dict[str, bytes]
) -> None:
    """A workbook saved by Excel keeps the review sheet's text in the shared strings: the strings no
    kept sheet uses are emptied (not removed: the others keep their numbers)."""
    part = next(
        (
            _target(dirname(book.part), rel.get("Target", ""))
            for rel in rels.iter(f"{{{PKG_REL}}}Relationship")
            if rel.get("Type", "").endswith("/sharedStrings")
        ),
        None,
    )
    if part is None or part not in package.NameToInfo:
        return
    gone = set().union(*(_shared_indices(package.read(p)) for p in parts))
    kept = set().union(*(_shared_indices(package.read(p)) for p in book.parts.values() if p not in parts))
    own = gone - kept
    if not own:
        return
    table = _parse(package.read(part))
    for index, item in enumerate(table.iter(_q("si"))):
        if index in own:
            for child in list(item):
                item.remove(child)
            etree.SubElement(item, _q("t"))
    replaced[part] = _serialize(table)


_SHARED_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*\bt="s"[^>]*>\s*<(?:[A-Za-z_][\w.-]*:)?v>\s*([0-9]+)\s*<')


def _shared_indices(xml: bytes) -> set[int]:
    return {int(m[1]) for m in _SHARED_CELL.finditer(xml)}


def _drop_from_app(
    package: zipfile.ZipFile, members: dict[str, str], names: list[str], replaced: dict[str, bytes]
) -> None:
    """docProps/app.xml lists the sheets' titles (Excel writes it): the review sheets' go."""
    part = members.get(part_key("docProps/app.xml"))
    if part is None:
        return
    app = _parse(package.read(part))
    titles = app.find(f"{{{_EXTENDED}}}TitlesOfParts/{{{_VT}}}vector")
    if titles is None:
        return
    taken = [t for t in titles if t.text in names]
    for title in taken:
        titles.remove(title)
    if not taken:
        return
    titles.set("size", str(len(titles)))
    pairs = app.find(f"{{{_EXTENDED}}}HeadingPairs/{{{_VT}}}vector")
    if pairs is not None:
        values = list(pairs.iter(f"{{{_VT}}}variant"))
        for label, count in zip(values[::2], values[1::2], strict=False):
            text = label.findtext(f"{{{_VT}}}lpstr") or ""
            number = count.find(f"{{{_VT}}}i4")
            if text.lower() in ("worksheets", "arbeitsblätter", "feuilles de calcul") and number is not None:
                number.text = str(max(0, int(number.text or "0") - len(taken)))
    replaced[part] = _serialize(app)


def verify_final(src: Path, dst: Path, stats: FinalStats) -> None:
    """Re-read `dst`: every other sheet kept with the same cells and values, no review fill left."""
    with zipfile.ZipFile(src) as before, zipfile.ZipFile(dst) as after:
        a, b = _Book.read(before, src), _Book.read(after, dst)
        kept = [name for name in a.parts if name not in stats.sheets_removed]
        if list(b.parts) != kept:
            raise FidelityError(dst, f"has the sheets {list(b.parts)} where {kept} were expected")
        styles = _Styles(after.read(b.styles_part)) if b.styles_part else None
        marked = _marked_formats(styles) if styles is not None else set()
        for name in kept:
            old, new = before.read(a.parts[name]), after.read(b.parts[name])
            if _unstyled(old) != _unstyled(new):
                raise FidelityError(dst, f"sheet '{name}' changed more than its review highlight; do not send it")
            left = _marked_cells(new, marked)
            if left:
                raise FidelityError(dst, f"sheet '{name}' still shows the review highlight in {left[0]}")


def _unstyled(xml: bytes) -> list[tuple[object, ...]]:
    """Every cell of the sheet, in order, as what it holds: its attributes but its format, and its content."""
    root = _parse(xml)
    return [
        (
            sorted((k, v) for k, v in cell.attrib.items() if k != "s"),
            [etree.tostring(child, with_tail=False) for child in cell],
        )
        for cell in root.iter(_q("c"))
    ]


__all__ = ["FinalStats", "final_copy", "verify_final"]
