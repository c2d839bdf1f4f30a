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
import re
import zipfile
import zlib
from pathlib import Path
from posixpath import join, normpath
from typing import IO

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
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)

MAX_CELL_TEXT = 32_767  # Excel's limit per cell, in UTF-16 units
FORMULA_TRIGGERS = ("=", "+", "-", "@")
_RISKY_FIRST = frozenset("=+-@\t\r\n")
_ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def check_package(path: Path, kind: str) -> None:
    """Raise FormError unless `path` is an intact, unencrypted, bomb-free `kind` package."""
    if kind not in _KINDS:
        raise ValueError(f"unknown package kind {kind!r}")
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
            _check_entries(path, package)
            _check_main_part(path, package, kind, invalid)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        # a missing or damaged directory, bad local headers, broken deflate data or a wrong CRC
        raise FormError(path, invalid) from None
    except OSError as error:
        if error.errno != errno.EINVAL:
            raise
        # a directory pointing before the file's start: only the tail of a package (a resumed copy)
        raise FormError(path, invalid) from None


def safe_text(text: str) -> str:
    """`text` as autofill may write it: XML-legal, never run as a formula, within 32,767 characters."""
    if text.isascii() and text.isprintable() and text[:1] not in _RISKY_FIRST and len(text) <= MAX_CELL_TEXT:
        return text  # the common case, and a quick one: printable ASCII holds nothing to strip
    text = _ILLEGAL_XML.sub("", text)
    if text.lstrip("\t\r\n").startswith(FORMULA_TRIGGERS):
        # the apostrophe keeps Excel, and CSV exports of the sheet, from running the text as a formula
        text = "'" + text
    if len(text) > MAX_CELL_TEXT // 2 and _utf16_units(text) > MAX_CELL_TEXT:
        text = _clip(text, MAX_CELL_TEXT - 1) + "…"
    return text


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


def _check_directory(path: Path, package: zipfile.ZipFile, invalid: str) -> None:
    infos = package.infolist()
    if len(infos) > MAX_ENTRIES:
        raise FormError(path, f"holds {len(infos)} parts (limit {MAX_ENTRIES}); refusing to open it")
    names = [info.filename for info in infos]
    # two parts with one name let different readers see different content; Office never
    # encrypts single zip entries (its passwords wrap the whole file, see _refuse_ole)
    if len(set(names)) != len(names) or any(info.flag_bits & 0x1 for info in infos):
        raise FormError(path, invalid)
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


def _check_entries(path: Path, package: zipfile.ZipFile) -> None:
    # zipfile stops each entry at the size the directory declares and checks its CRC at the
    # end, so a directory that lies about sizes cannot make this read more than the limits
    for info in package.infolist():
        if info.is_dir():
            continue
        with package.open(info) as entry:
            chunk = entry.read(_CHUNK)
            if _looks_like_xml(chunk):
                _check_prolog(path, info.filename, chunk, entry)
            while entry.read(_CHUNK):
                pass


def _looks_like_xml(head: bytes) -> bool:
    start = head[:4].lstrip(b" \t\r\n")
    return start.startswith((b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))


def _check_prolog(path: Path, name: str, head: bytes, entry: IO[bytes]) -> None:
    """Refuse a DOCTYPE (the only place an ENTITY can be declared) before the root element."""
    buffer = head
    while True:
        verdict = _prolog_verdict(_as_utf8(buffer))
        if verdict == "dtd":
            raise FormError(
                path,
                "contains XML entity declarations, which Office never writes "
                "(possible XML attack); refusing to open it",
            )
        if verdict == "root":
            return
        more = entry.read(_CHUNK)
        if not more:
            return  # a part that never reaches a root element fails in the parser
        if len(buffer) >= MAX_PROLOG:
            raise FormError(path, f"has an XML part ({name}) that Office did not write; refusing to open it")
        buffer += more


def _prolog_verdict(text: bytes) -> str:
    """ "dtd", "root" (the root element starts, so no DOCTYPE can follow) or "more" (read on)."""
    pos = 0
    while match := _PROLOG_ITEM.match(text, pos):
        pos = match.end()
    rest = text[pos : pos + 4]
    if not rest or rest == b"<" or rest.startswith(b"<?") or b"<!--".startswith(rest) or rest == b"<!--":
        return "more"  # an unfinished declaration, comment or processing instruction
    if rest.startswith(b"<!"):
        return "dtd"
    return "root"


def _as_utf8(data: bytes) -> bytes:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:2]:
        # UTF-16 would hide "<!DOCTYPE" from a byte search
        encoding = "utf-16-be" if data.startswith(b"\xfe\xff") or data[:1] == b"\x00" else "utf-16-le"
        body = data[2:] if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data
        return body[: len(body) // 2 * 2].decode(encoding, "replace").encode()
    return data


def _check_main_part(path: Path, package: zipfile.ZipFile, kind: str, invalid: str) -> None:
    markers, app, _ = _KINDS[kind]
    names = set(package.namelist())
    missing = f"is missing its {'workbook' if kind == 'xlsx' else 'document'} part; re-save it from {app} and try again"
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        raise FormError(path, missing)
    # entity declarations were refused above, so these small parts parse safely
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        rels = etree.fromstring(package.read("_rels/.rels"), parser)
        types = etree.fromstring(package.read("[Content_Types].xml"), parser)
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
    part = normpath(join("/", main)).lstrip("/") if main else ""
    if not part or part not in names:
        raise FormError(path, missing)
    content_type = next(
        (
            o.get("ContentType", "")
            for o in types.iter(f"{_CT_NS}Override")
            if o.get("PartName", "").lstrip("/") == part
        ),
        "",
    )
    if content_type and not any(marker in content_type for marker in markers):
        other = next((k for k, v in _KINDS.items() if any(m in content_type for m in v[0])), None)
        what = f"a .{other} file" if other else "another Office format"
        raise FormError(path, f"is {what} renamed to .{kind}; give autofill the real .{kind} file")
