"""Preflight for untrusted Office files: refuse hostile or broken packages before any parser runs.

Forms come from customers, so they are untrusted input. `check_package` looks at the zip's
central directory before decompressing anything, then streams every entry once in bounded
chunks (checking its CRC and, for XML, its prolog). It runs in well under a second on real
questionnaires and in at most a few seconds on anything that passes the size limits.

openpyxl parses through defusedxml when it is installed (`openpyxl.xml.DEFUSEDXML`), which
refuses entity declarations a second time; `openpyxl_is_defused` confirms that it is.
Macros (vbaProject.bin in .xlsm) are allowed: autofill never runs them and copies them unchanged.

`safe_text` is the output side: every string a writer puts into a form goes through it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import zipfile
import zlib
from functools import cache
from pathlib import Path
from posixpath import normpath
from typing import IO, Any
from urllib.parse import unquote

from lxml import etree

from autofill.errors import FormError

# Real questionnaires unpack to 0.3-13 MB (HECVAT 4.1.4: 6 MB, FedRAMP SSP: 13 MB) and a
# 10,000-question workbook to about 3 MB, so 512 MiB is far above any form yet small enough
# for a laptop to hold while parsing.
MAX_TOTAL_SIZE = 512 * 1024 * 1024
# Office XML deflates 5-25x (worst real part: 23x); a million identical rows deflate 400x and
# more. Small entries are cheap whatever their ratio, so only those above 1 MiB are judged.
MAX_RATIO = 100
RATIO_FROM_SIZE = 1024 * 1024
# Real packages have 15-75 entries.
MAX_ENTRIES = 10_000
# Office writes an XML declaration and then the root element; a prolog longer than this is
# not Office's, and reading further would let a file make us scan without bound.
MAX_PROLOG = 64 * 1024
_CHUNK = 64 * 1024
# What a form may hold once parsed. Parsed content, not packed bytes, is what takes memory: a
# workbook cell costs about 700 bytes from the sheet XML to the patched tree (1.8 million
# small cells took 1.3 GB), and Word XML about 60 times its size (the FedRAMP SSP's 11 MB
# document.xml takes 0.7 GB). The largest real forms hold 186,000 cells (ADA CASA), 8,000
# rows, 11,000 paragraphs and 1.4 million characters (FedRAMP SSP), a 10,000-question
# workbook 100,000 cells, so every limit is several times above them.
MAX_XML_PART = 32 * 1024 * 1024
MAX_CELLS = 1_000_000  # cell elements of the sheets read, empty ones too, plus shared strings
MAX_ROWS = 1_000_000  # row elements of the sheets read
MAX_PARAGRAPHS = 100_000
MAX_CHARS = 20_000_000  # characters of text read from cells, shared strings or paragraphs

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

_KINDS = {
    # kind: (main content type markers, application, legacy format)
    "xlsx": (("spreadsheetml", "ms-excel"), "Excel", ".xls"),
    "docx": (("wordprocessingml", "ms-word"), "Word", ".doc"),
}
_OFFICE_DOCUMENT = "/officeDocument"  # suffix of the main part's relationship type
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# parts every reader parses as XML by their name; others by the content type the package gives them
_XML_SUFFIXES = (".xml", ".rels", ".vml")

MAX_CELL_TEXT = 32_767  # Excel's limit per cell, in UTF-16 units
FORMULA_TRIGGERS = ("=", "+", "-", "@")
_RISKY_FIRST = frozenset("=+-@\t\r\n")


# Control characters (C0, DEL, C1): a form's text may hold them (Excel writes ESC as "_x001B_"); no
# terminal, ledger or one-line reading of a form should get them raw
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")


def escaped(text: str) -> str:
    """`text` with its control characters shown as escapes ("\\x1b"), for a listing."""
    return CONTROL_CHARACTERS.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


@cache
def _illegal_xml() -> re.Pattern[str]:
    # compiled when first needed: its character ranges take longer to compile than most imports
    return re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def check_package(path: Path, kind: str) -> None:
    """Raise FormError unless `path` is an intact, unencrypted, bomb-free `kind` package."""
    if kind not in _KINDS:
        raise ValueError(f"unknown package kind {kind!r}")
    # fill checks the form, then its reader and its writer do: an unchanged file passes once
    try:
        info = os.stat(path)
        stamp = (str(Path(path).resolve()), kind, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    except OSError:
        stamp = None
    if stamp is not None and stamp in _passed:
        return
    if stamp is not None and not stat.S_ISREG(info.st_mode):
        # a FIFO would block the read for ever, /dev/zero would fill the memory (round 26)
        raise FormError(path, "is not a regular file (a pipe, a device or a folder); save the form as a file first")
    _check_package(path, kind)
    if stamp is not None:
        _passed.add(stamp)


_passed: set[tuple[str, str, int, int, int, int]] = set()


def _check_package(path: Path, kind: str) -> None:
    invalid = (
        f"is not a valid .{kind} file (corrupt, truncated or another format); "
        f"re-save it from {_KINDS[kind][1]} and try again"
    )
    with open(path, "rb") as stream:
        head = stream.read(len(OLE_MAGIC))
    if head == OLE_MAGIC:
        _refuse_ole(path, kind)
    try:
        with zipfile.ZipFile(path) as package:
            _check_directory(path, package, invalid)
            _check_entries(path, package, _xml_parts(package))
            _check_main_part(path, package, kind, invalid)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        # a missing or damaged directory, bad local headers, broken deflate data or a wrong CRC
        raise FormError(path, invalid) from None
    except OSError as error:
        if error.errno != errno.EINVAL:
            raise
        # a directory pointing before the file's start: only the tail of a package (a resumed copy)
        raise FormError(path, invalid) from None


def too_large(path: Path | str, count: str) -> FormError:
    """The one-line error for a form past one of the limits above; `count` says which, e.g. "1,000,000 cells"."""
    return FormError(
        path,
        f"is too large to fill: more than {count}, far more than any questionnaire; "
        "split it, or delete what is not questions, then try again",
    )


def safe_text(text: str) -> str:
    """`text` as autofill may write it: XML-legal, never run as a formula, within 32,767 characters."""
    if text.isascii() and text.isprintable() and text[:1] not in _RISKY_FIRST and len(text) <= MAX_CELL_TEXT:
        return text  # the common case, and a quick one: printable ASCII holds nothing to strip
    text = _illegal_xml().sub("", text)
    if text.lstrip("\t\r\n").startswith(FORMULA_TRIGGERS):
        # the apostrophe keeps Excel, and CSV exports of the sheet, from running the text as a formula
        text = "'" + text
    if len(text) > MAX_CELL_TEXT // 2 and _utf16_units(text) > MAX_CELL_TEXT:
        text = _clip(text, MAX_CELL_TEXT - 1) + "…"
    return text


def fits_in_cell(text: str) -> bool:
    """Whether Excel holds `text` in one cell whole (32,767 UTF-16 units)."""
    return len(text) <= MAX_CELL_TEXT // 2 or _utf16_units(text) <= MAX_CELL_TEXT


def _utf16_units(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _clip(text: str, units: int) -> str:
    """The longest prefix of `text` that fits in `units` UTF-16 units (Excel counts those)."""
    total = 0
    for index, char in enumerate(text):
        total += 2 if ord(char) > 0xFFFF else 1
        if total > units:
            return text[:index]
    return text


def openpyxl_is_defused() -> bool:
    """True when openpyxl parses through defusedxml (it does whenever defusedxml is installed)."""
    import openpyxl.xml

    return bool(openpyxl.xml.DEFUSEDXML)


def _refuse_ole(path: Path, kind: str) -> None:
    _, app, legacy = _KINDS[kind]
    # Office stores a password-protected .xlsx/.docx as an OLE2 file whose directory names an
    # "EncryptedPackage" stream; the directory can sit anywhere, so search the file (up to the
    # size limit, which keeps this within seconds)
    overlap = len(_ENCRYPTED_STREAM) - 1
    tail, left = b"", MAX_TOTAL_SIZE
    with open(path, "rb") as stream:
        while left > 0 and (chunk := stream.read(1024 * 1024)):
            left -= len(chunk)
            if _ENCRYPTED_STREAM in tail + chunk:
                where = "File > Info > Protect Workbook" if kind == "xlsx" else "File > Info > Protect Document"
                raise FormError(
                    path,
                    f"is password-protected; remove the password in {app} ({where}) and save a copy, then try again",
                )
            tail = chunk[-overlap:]
    raise FormError(
        path,
        f"is a legacy {app} 97-2003 ({legacy}) file under a .{kind} name; "
        f"open it in {app} and save it as .{kind}, then try again",
    )


# a part name that leaves the package's folder, starts at a root, or holds control characters
_UNSAFE_NAME = re.compile(r"(?:^|[/\\])\.\.(?:[/\\]|$)|^[/\\]|^[A-Za-z]:|[\x00-\x1f\x7f]")


def _check_directory(path: Path, package: zipfile.ZipFile, invalid: str) -> None:
    infos = package.infolist()
    if len(infos) > MAX_ENTRIES:
        raise FormError(path, f"holds {len(infos)} parts (limit {MAX_ENTRIES}); refusing to open it")
    # Office never encrypts single zip entries (its passwords wrap the whole file, see _refuse_ole)
    if any(info.flag_bits & 0x1 for info in infos):
        raise FormError(path, invalid)
    # two entries that are one part to Excel (the same name, or names differing only in letter
    # case or spelling) let one reader see one and another reader the other
    seen: dict[str, str] = {}
    for info in infos:
        if _UNSAFE_NAME.search(info.filename) or (info.external_attr >> 16) & 0o170000 == 0o120000:
            # "../../x", "/etc/x", "..\\x", control characters, a symbolic link: no Office part is so
            # named, and the filled copy would carry it on to whoever unzips it
            shown = info.filename.encode("unicode_escape").decode("ascii")[:80]
            raise FormError(
                path,
                f"holds a part named '{shown}', which Office never writes; refusing it "
                "(re-save it from the application that made it)",
            )
        key = part_key(info.filename)
        if key in seen:
            first = seen[key]
            twins = f"twice as {first}" if first == info.filename else f"as {first} and {info.filename}"
            raise FormError(
                path,
                f"holds one part {twins}, names Office reads as the same part; "
                "refusing an ambiguous file (re-save it from the application that made it)",
            )
        seen[key] = info.filename
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_SIZE and ratio > MAX_RATIO:
            raise FormError(
                path,
                f"is a zip bomb: part {info.filename} unpacks {ratio:.0f} times larger "
                f"than it is stored (limit {MAX_RATIO}); refusing to open it",
            )
    if total > MAX_TOTAL_SIZE:
        raise FormError(
            path,
            f"unpacks to {total // 2**20} MiB (limit {MAX_TOTAL_SIZE // 2**20} MiB); "
            "it is too large or a zip bomb, refusing to open it",
        )


def part_key(name: str) -> str:
    """A part name as Office identifies it: "/XL\\Worksheets/./Sheet1.xml" is "xl/worksheets/sheet1.xml"."""
    # OPC part names compare case-insensitively and percent-decoded; zip readers accept "\\" and "/x"
    return normpath("/" + unquote(name.replace("\\", "/"))).lstrip("/").lower()


def part_names(package: zipfile.ZipFile) -> dict[str, str]:
    """Each part's key (see `part_key`) -> its zip entry name; check_package refused any collision."""
    return {part_key(name): name for name in package.namelist()}


def _check_entries(path: Path, package: zipfile.ZipFile, xml_parts: set[str]) -> None:
    # zipfile stops each entry at the size the directory declares and checks its CRC at the
    # end, so a directory that lies about sizes cannot make this read more than the limits
    for info in package.infolist():
        if info.is_dir():
            continue
        is_xml = part_key(info.filename) in xml_parts
        if is_xml and info.file_size > MAX_XML_PART:
            # XML parts are parsed into trees that take many times their size
            raise too_large(path, f"{MAX_XML_PART // 2**20} MiB of XML in part {info.filename}")
        with package.open(info) as entry:
            _check_prolog(path, info.filename, entry, is_xml)
            while entry.read(_CHUNK):
                pass


def _xml_parts(package: zipfile.ZipFile) -> set[str]:
    """Keys of the parts a reader parses as XML: by name, or by the content type the package declares."""
    parts = {part_key(name) for name in package.namelist() if name.lower().endswith(_XML_SUFFIXES)}
    key = part_key("[Content_Types].xml")
    member = part_names(package).get(key)
    if member is None or package.getinfo(member).file_size > MAX_PROLOG * 16:
        return parts
    try:
        types = etree.fromstring(package.read(member), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return parts  # refused by name above, or as an invalid package later
    xml_extensions = {
        (el.get("Extension") or "").lower()
        for el in types.iter(f"{_CT_NS}Default")
        if _is_xml_type(el.get("ContentType"))
    }
    parts |= {part_key(n) for n in package.namelist() if n.rsplit(".", 1)[-1].lower() in xml_extensions}
    parts |= {
        part_key(el.get("PartName") or "")
        for el in types.iter(f"{_CT_NS}Override")
        if _is_xml_type(el.get("ContentType"))
    }
    return parts


def _is_xml_type(content_type: str | None) -> bool:
    # "application/vnd.openxmlformats-officedocument.obfuscatedFont" names XML but is a font
    media = (content_type or "").split(";")[0].strip().lower()
    return media.endswith("+xml") or media in ("application/xml", "text/xml")


def _check_prolog(path: Path, name: str, entry: IO[bytes], is_xml: bool) -> None:
    """Refuse a DOCTYPE (the only place an ENTITY can be declared), as the XML parser itself reads the prolog.

    libxml2 detects the encoding (BOMs, UTF-16/UTF-32 patterns, the declaration) and skips
    whitespace and comments exactly as when the part is parsed later, so nothing can hide a
    DOCTYPE from this check. An XML part the parser cannot read up to its root element is
    refused too: every later reader would fail on it.
    """
    seen = _Seen()
    parser = etree.XMLParser(target=seen, resolve_entities=False, no_network=True, load_dtd=False)
    fed, failed = 0, False
    try:
        while not (seen.dtd or seen.root):
            chunk = entry.read(_CHUNK)
            if not chunk:
                if fed:
                    parser.close()
                break
            fed += len(chunk)
            parser.feed(chunk)
            if not is_xml:
                break  # a binary part: only a DTD at its very start could matter to a reader
            if fed >= MAX_PROLOG and not (seen.dtd or seen.root):
                raise FormError(path, f"has an XML part ({name}) that Office did not write; refusing to open it")
    except etree.XMLSyntaxError:
        failed = True
    if seen.dtd:
        raise FormError(
            path,
            "contains XML entity declarations, which Office never writes (possible XML attack); refusing to open it",
        )
    if is_xml and fed and failed and not seen.root:
        raise FormError(path, f"has an XML part ({name}) that Office did not write; refusing to open it")


class _Seen:
    """lxml parser target: records whether a DOCTYPE or the root element was reached, nothing else."""

    def __init__(self) -> None:
        self.dtd = False
        self.root = False

    def doctype(self, *_: Any) -> None:
        self.dtd = True

    def start(self, *_: Any) -> None:
        self.root = True

    def end(self, *_: Any) -> None:
        pass

    def data(self, *_: Any) -> None:
        pass

    def comment(self, *_: Any) -> None:
        pass

    def close(self) -> None:
        return None


def _check_main_part(path: Path, package: zipfile.ZipFile, kind: str, invalid: str) -> None:
    markers, app, _ = _KINDS[kind]
    names = part_names(package)
    missing = f"is missing its {'workbook' if kind == 'xlsx' else 'document'} part; re-save it from {app} and try again"
    if "[content_types].xml" not in names or "_rels/.rels" not in names:
        raise FormError(path, missing)
    # entity declarations were refused above, so these small parts parse safely
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        rels = etree.fromstring(package.read(names["_rels/.rels"]), parser)
        types = etree.fromstring(package.read(names["[content_types].xml"]), parser)
    except etree.XMLSyntaxError:
        raise FormError(path, invalid) from None
    main = next(
        (
            rel.get("Target", "")
            for rel in rels.iter(f"{_RELS_NS}Relationship")
            if rel.get("Type", "").endswith(_OFFICE_DOCUMENT)
        ),
        None,
    )
    part = part_key(main) if main else ""
    if not part or part not in names:
        raise FormError(path, missing)
    content_type = next(
        (o.get("ContentType", "") for o in types.iter(f"{_CT_NS}Override") if part_key(o.get("PartName", "")) == part),
        "",
    )
    if content_type and not any(marker in content_type for marker in markers):
        other = next((k for k, v in _KINDS.items() if any(m in content_type for m in v[0])), None)
        what = f"a .{other} file" if other else "another Office format"
        raise FormError(path, f"is {what} renamed to .{kind}; give autofill the real .{kind} file")
