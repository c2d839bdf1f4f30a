"""The preflight refuses hostile or broken packages quickly, and real questionnaires pass."""

from __future__ import annotations

import random
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest

from autofill.errors import FormError
from autofill.safety import MAX_CELL_TEXT, OLE_MAGIC, check_package, openpyxl_is_defused, safe_text

REAL_FILES = [
    "caiq-v4.0.2.xlsx",
    "caiq-v4.0.3-filled-whitepact.xlsx",
    "caiq-v3.0.1.xlsx",
    "caiq-v3.0.1-testfilled-metanorma.xlsx",
    "caiq-v4.1-derived-questions-283.xlsx",
    "hecvat-v4.1.4.xlsx",
    "hecvat-full-v3.00-filled-opendsa.xlsx",
    "ada-casa-al0-al1-onboarding-questionnaire.xlsx",
    "ada-masa-ios-al0-al1-onboarding-questionnaire.xlsx",
    "ada-cloud-gcp-onboarding-questionnaire.xlsx",
    "ada-casa-developer-test-report.docx",
    "fedramp-ssp-template-v2.1.docx",
    "fedramp-ssp-v2.1-excerpt-ac-2.docx",
]
INVALID = "is not a valid .xlsx file (corrupt, truncated or another format); re-save it from Excel and try again"
ENTITIES = "contains XML entity declarations, which Office never writes (possible XML attack); refusing to open it"


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A small valid workbook."""
    book = openpyxl.Workbook()
    book.active.append(["ID", "Question", "Answer"])
    book.active.append(["Q1", "Is data encrypted at rest?", None])
    path = tmp_path / "form.xlsx"
    book.save(path)
    return path


@pytest.fixture
def repack(workbook: Path, tmp_path: Path) -> Callable[..., Path]:
    """Copy `workbook` into a new zip with some parts replaced (bytes) or dropped (None)."""

    def _repack(parts: dict[str, bytes | None], name: str = "hostile.xlsx") -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                if info.filename not in parts:
                    out.writestr(info.filename, source.read(info))
            for part, data in parts.items():
                if data is not None:
                    out.writestr(part, data)
        return path

    return _repack


@contextmanager
def quickly(seconds: float = 2.0) -> Iterator[None]:
    start = time.perf_counter()
    yield
    assert time.perf_counter() - start < seconds


def refused(path: Path, kind: str = "xlsx") -> str:
    with quickly(), pytest.raises(FormError) as caught:
        check_package(path, kind)
    message = str(caught.value)
    assert message.startswith(f"{path.name}: ") and "\n" not in message
    return message.removeprefix(f"{path.name}: ")


# --- broken files -------------------------------------------------------------------------------


def test_valid_workbook_passes(workbook: Path) -> None:
    with quickly(0.5):
        check_package(workbook, "xlsx")


def test_truncated_zip(workbook: Path, tmp_path: Path) -> None:
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(workbook.read_bytes()[: workbook.stat().st_size // 2])
    assert refused(path) == INVALID


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert refused(path) == INVALID


def test_text_renamed_to_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("ID,Question\nQ1,Is data encrypted?\n")
    assert refused(path) == INVALID


def test_corrupt_entry_is_caught_by_its_crc(workbook: Path, tmp_path: Path) -> None:
    data = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
    # flip bytes inside the stored (deflated) data of the sheet
    start = info.header_offset + 30 + len(info.filename) + 8
    data[start : start + 16] = bytes(b ^ 0xFF for b in data[start : start + 16])
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(bytes(data))
    assert refused(path) == INVALID


def test_missing_content_types(repack: Callable[..., Path]) -> None:
    path = repack({"[Content_Types].xml": None})
    assert refused(path) == "is missing its workbook part; re-save it from Excel and try again"


def test_missing_workbook_part(repack: Callable[..., Path]) -> None:
    path = repack({"xl/workbook.xml": None})
    assert refused(path) == "is missing its workbook part; re-save it from Excel and try again"


def test_word_document_renamed_to_xlsx(repack: Callable[..., Path]) -> None:
    types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/xl/workbook.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    path = repack({"[Content_Types].xml": types})
    assert refused(path) == "is a .docx file renamed to .xlsx; give autofill the real .xlsx file"


# --- OLE2 files: encrypted OOXML and legacy formats ------------------------------------------------


def ole_file(path: Path, streams: list[str]) -> Path:
    """Bytes shaped like an OLE2 compound file: the magic, a sector of padding, directory names."""
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") for name in streams)
    path.write_bytes(OLE_MAGIC + b"\0" * 504 + b"\xff" * 4096 + directory + b"\0" * 1024)
    return path


def test_password_protected_workbook(tmp_path: Path) -> None:
    path = ole_file(tmp_path / "locked.xlsx", ["Root Entry", "EncryptionInfo", "EncryptedPackage"])
    assert refused(path) == (
        "is password-protected; remove the password in Excel (File > Info > Protect Workbook) "
        "and save a copy, then try again"
    )


def test_legacy_xls_renamed(tmp_path: Path) -> None:
    path = ole_file(tmp_path / "old.xlsx", ["Root Entry", "Workbook", "SummaryInformation"])
    assert refused(path) == (
        "is a legacy Excel 97-2003 (.xls) file under a .xlsx name; "
        "open it in Excel and save it as .xlsx, then try again"
    )


def test_password_protected_document(tmp_path: Path) -> None:
    path = ole_file(tmp_path / "locked.docx", ["Root Entry", "EncryptedPackage"])
    assert "is password-protected; remove the password in Word" in refused(path, "docx")


# --- zip bombs ------------------------------------------------------------------------------------


def test_million_row_sheet_bomb(repack: Callable[..., Path]) -> None:
    rows = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 1_000_000
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    path = repack({"xl/worksheets/sheet1.xml": sheet + rows + b"</sheetData></worksheet>"})
    assert path.stat().st_size < 1_000_000  # 49 MB of rows that deflate to almost nothing
    message = refused(path)
    assert message.startswith("is a zip bomb: part xl/worksheets/sheet1.xml unpacks")
    assert message.endswith("times larger than it is stored (limit 100); refusing to open it")


def claim_sizes(path: Path, sizes: dict[str, int]) -> None:
    """Make the zip's central directory claim other uncompressed sizes for some parts."""
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    position = int.from_bytes(data[end + 16 : end + 20], "little")
    while data[position : position + 4] == b"PK\x01\x02":
        lengths = [int.from_bytes(data[position + i : position + i + 2], "little") for i in (28, 30, 32)]
        name = data[position + 46 : position + 46 + lengths[0]].decode()
        if name in sizes:
            data[position + 24 : position + 28] = sizes[name].to_bytes(4, "little")
        position += 46 + sum(lengths)
    path.write_bytes(bytes(data))


def test_total_size_bomb(workbook: Path, tmp_path: Path) -> None:
    # parts that each pass the ratio check (stored, claiming 95x) but add up past 512 MiB
    path = tmp_path / "big.xlsx"
    noise = random.Random(1).randbytes(2 * 2**20)
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info))
        for index in range(3):
            out.writestr(f"xl/media/image{index}.bin", noise)
    claim_sizes(path, {f"xl/media/image{index}.bin": 190 * 2**20 for index in range(3)})
    assert refused(path) == "unpacks to 570 MiB (limit 512 MiB); it is too large or a zip bomb, refusing to open it"


def test_directory_that_lies_about_sizes(workbook: Path, tmp_path: Path) -> None:
    path = tmp_path / "liar.xlsx"
    path.write_bytes(workbook.read_bytes())
    claim_sizes(path, {"xl/worksheets/sheet1.xml": 10})  # zipfile stops there and the CRC fails
    assert refused(path) == INVALID


def test_too_many_parts(tmp_path: Path, workbook: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info))
        for index in range(10_001):
            out.writestr(f"xl/media/pad{index}.bin", b"")
    assert refused(path).startswith("holds 10010 parts (limit 10000)")


def test_big_real_workbook_passes(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Question", "Answer", "Comment"])
    for index in range(10_000):
        sheet.append([f"Q-{index:05d}", f"Question {index}: is control {index % 97} applied to system {index}?"])
    path = tmp_path / "big.xlsx"
    book.save(path)
    with quickly(1.0):
        check_package(path, "xlsx")


# --- XML attacks ----------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>&lol9;</sheets></workbook>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">
<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>"""


def test_billion_laughs(repack: Callable[..., Path]) -> None:
    assert refused(repack({"xl/workbook.xml": BILLION_LAUGHS})) == ENTITIES


def test_external_entity(repack: Callable[..., Path]) -> None:
    assert refused(repack({"xl/worksheets/sheet1.xml": EXTERNAL_ENTITY})) == ENTITIES


def test_doctype_hidden_after_a_long_comment(repack: Callable[..., Path]) -> None:
    hidden = b'<?xml version="1.0"?><!--' + b"x" * 20_000 + b"-->" + EXTERNAL_ENTITY.split(b"?>", 1)[1]
    assert refused(repack({"xl/worksheets/sheet1.xml": hidden})) == ENTITIES


def test_doctype_in_utf16_part(repack: Callable[..., Path]) -> None:
    utf16 = EXTERNAL_ENTITY.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")
    assert refused(repack({"xl/worksheets/sheet1.xml": utf16})) == ENTITIES


def test_doctype_in_a_part_with_another_extension(repack: Callable[..., Path]) -> None:
    assert refused(repack({"xl/worksheets/sheet1.bin": EXTERNAL_ENTITY})) == ENTITIES


def test_endless_prolog_is_refused(repack: Callable[..., Path]) -> None:
    endless = b'<?xml version="1.0"?>' + b"<!-- a -->" * 20_000 + b"<workbook/>"
    assert "that Office did not write" in refused(repack({"xl/workbook.xml": endless}))


def test_macros_are_allowed(repack: Callable[..., Path]) -> None:
    path = repack({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not run, only copied"}, name="form.xlsm")
    check_package(path, "xlsx")


def test_openpyxl_parses_through_defusedxml() -> None:
    assert openpyxl_is_defused()


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_questionnaires_pass(name: str, questionnaire: Callable[[str], Path]) -> None:
    path = questionnaire(name)
    with quickly(1.0):
        check_package(path, path.suffix.lstrip("."))


# --- safe_text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Yes", "Yes", id="plain"),
        pytest.param('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")', id="equals"),
        pytest.param("+1 555 0100", "'+1 555 0100", id="plus"),
        pytest.param("-2", "'-2", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\t=cmd|' /C calc'!A0", "'\t=cmd|' /C calc'!A0", id="tab-then-equals"),
        pytest.param("\r+1", "'\r+1", id="cr-then-plus"),
        pytest.param("a = b", "a = b", id="equals-inside"),
        pytest.param("bell\x07 and nul\x00 and esc\x1b", "bell and nul and esc", id="control-characters"),
        pytest.param("line one\nline two\ttab", "line one\nline two\ttab", id="newline-and-tab-kept"),
        pytest.param("lone \ud800 surrogate", "lone  surrogate", id="surrogate"),
        pytest.param("", "", id="empty"),
    ],
)
def test_safe_text(text: str, expected: str) -> None:
    assert safe_text(text) == expected


def test_safe_text_truncates_to_excel_cell_limit() -> None:
    clipped = safe_text("a" * 40_000)
    assert len(clipped) == MAX_CELL_TEXT and clipped.endswith("…")
    assert safe_text("b" * MAX_CELL_TEXT) == "b" * MAX_CELL_TEXT


def test_safe_text_counts_utf16_units() -> None:
    clipped = safe_text("😀" * 20_000)  # each emoji is two UTF-16 units in Excel
    assert len(clipped.encode("utf-16-le")) // 2 <= MAX_CELL_TEXT and clipped.endswith("…")


# --- part names: resolved as Excel resolves them, and never ambiguous --------------------------------

AMBIGUOUS = (
    "names Office reads as the same part; refusing an ambiguous file (re-save it from the application that made it)"
)


@pytest.mark.parametrize(
    "twin",
    [
        pytest.param("xl/worksheets/Sheet1.xml", id="letter-case"),
        pytest.param("XL/WORKSHEETS/SHEET1.XML", id="all-capitals"),
        pytest.param("xl/worksheets/sheet%31.xml", id="percent-encoded"),
        pytest.param("xl\\worksheets\\sheet1.xml", id="backslashes"),
        pytest.param("xl/./worksheets/sheet1.xml", id="dot-segment"),
    ],
)
def test_two_parts_that_are_one_part_to_excel_are_refused(repack: Callable[..., Path], twin: str) -> None:
    other = EXTERNAL_ENTITY.split(b"\n", 2)[2].replace(b"&xxe;", b"Another question?")
    message = refused(repack({twin: b'<?xml version="1.0"?>\n' + other}))
    assert message == f"holds one part as xl/worksheets/sheet1.xml and {twin}, {AMBIGUOUS}"


def test_duplicate_zip_entries_are_refused(workbook: Path, tmp_path: Path) -> None:
    path = tmp_path / "twice.xlsx"
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info))
        with pytest.warns(UserWarning, match="Duplicate name"):
            out.writestr("xl/worksheets/sheet1.xml", source.read("xl/worksheets/sheet1.xml"))
    assert refused(path) == f"holds one part twice as xl/worksheets/sheet1.xml, {AMBIGUOUS}"


# --- what the XML parser sees, not the first bytes ------------------------------------------------

BARE_DOCTYPE = EXTERNAL_ENTITY.split(b"\n", 1)[1]  # no XML declaration


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b" \n\t \n" * 3 + BARE_DOCTYPE, id="leading-whitespace-no-declaration"),
        pytest.param(b"\xef\xbb\xbf  \n" + BARE_DOCTYPE, id="utf8-bom-then-whitespace"),
        pytest.param(("\ufeff   " + BARE_DOCTYPE.decode()).encode("utf-16-le"), id="utf16-le-bom-whitespace"),
        pytest.param(EXTERNAL_ENTITY.replace(b"UTF-8", b"UTF-32").decode().encode("utf-32-be"), id="utf32-be"),
        pytest.param(EXTERNAL_ENTITY.replace(b"UTF-8", b"UTF-32").decode().encode("utf-32-le"), id="utf32-le-no-bom"),
        pytest.param(b"<!-- a -->\n" * 100 + BARE_DOCTYPE, id="comments-no-declaration"),
    ],
)
def test_doctype_however_encoded_or_placed(repack: Callable[..., Path], data: bytes) -> None:
    assert refused(repack({"xl/worksheets/sheet1.xml": data})) == ENTITIES


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(EXTERNAL_ENTITY.decode().encode("utf-32"), id="utf32-with-bom"),
        pytest.param(BARE_DOCTYPE.decode().encode("utf-16-be"), id="utf16-be-no-bom"),
        pytest.param(b"\x00\x00" + EXTERNAL_ENTITY, id="nul-bytes"),
        pytest.param(b"not xml at all", id="text"),
    ],
)
def test_xml_part_the_parser_cannot_read_is_refused(repack: Callable[..., Path], data: bytes) -> None:
    message = refused(repack({"xl/worksheets/sheet1.xml": data}))
    unreadable = "has an XML part (xl/worksheets/sheet1.xml) that Office did not write; refusing to open it"
    assert message in (ENTITIES, unreadable)


def test_part_made_xml_by_its_content_type_is_checked(repack: Callable[..., Path], workbook: Path) -> None:
    with zipfile.ZipFile(workbook) as source:
        types = source.read("[Content_Types].xml").replace(
            b"</Types>", b'<Default Extension="dat" ContentType="application/xml"/></Types>'
        )
    data = b"   \n" * 20_000 + BARE_DOCTYPE  # past the first chunk a binary part is sniffed by
    path = repack({"[Content_Types].xml": types, "customXml/item1.dat": data})
    assert refused(path) == "has an XML part (customXml/item1.dat) that Office did not write; refusing to open it"


def test_a_file_replaced_after_passing_is_checked_again(workbook: Path, repack: Callable[..., Path]) -> None:
    check_package(workbook, "xlsx")
    hostile = repack({"xl/worksheets/sheet1.xml": b"  " + BARE_DOCTYPE})
    workbook.write_bytes(hostile.read_bytes())  # same path, new content: fill's reader must not trust the first check
    assert refused(workbook) == ENTITIES


@pytest.mark.parametrize(
    "name", ["../../outside.txt", "/etc/outside.txt", "..\\outside.txt", "xl/media/\x1b[31mred\x07.bin", "C:/x.txt"]
)
def test_a_part_named_outside_the_package_is_refused(tmp_path: Path, name: str) -> None:
    # round 26: such entries were read past and copied into the filled form, whose unzipping would
    # write outside its folder
    form = tmp_path / "form.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["ID", "Question", "Answer"])
    book.save(form)
    with zipfile.ZipFile(form, "a") as package:
        package.writestr(zipfile.ZipInfo(name), b"x")
    with pytest.raises(FormError, match="Office never writes"):
        check_package(form, "xlsx")


def test_a_symbolic_link_entry_is_refused(tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["ID", "Question", "Answer"])
    book.save(form)
    link = zipfile.ZipInfo("xl/media/link.png")
    link.external_attr = (0o120777 << 16) | 0
    with zipfile.ZipFile(form, "a") as package:
        package.writestr(link, b"/etc/passwd")
    with pytest.raises(FormError, match="Office never writes"):
        check_package(form, "xlsx")


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs here")
def test_a_pipe_named_like_a_form_is_refused_at_once(tmp_path: Path) -> None:
    # round 26: a FIFO blocked the read for ever, a link to /dev/zero filled the memory (checked in a
    # child process, so that a regression fails here instead of blocking the suite)
    import os
    import subprocess
    import sys

    pipe = tmp_path / "form.xlsx"
    os.mkfifo(pipe)
    check = (
        "import sys; from autofill.safety import check_package; from autofill.errors import FormError\n"
        "try:\n    check_package(sys.argv[1], 'xlsx')\nexcept FormError as error:\n    print(error)"
    )
    done = subprocess.run([sys.executable, "-c", check, str(pipe)], capture_output=True, text=True, timeout=30)
    assert "not a regular file" in done.stdout, done.stdout + done.stderr
