"""Atomic file writing: readers of `dst` see the old file or the complete new one, never a part.

`write_package` builds on it for Office writers: it copies a zip package, rewriting only some
parts and adding others, and copies every other entry still compressed, byte for byte.
"""

from __future__ import annotations

import contextlib
import os
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence, Set
from pathlib import Path
from typing import IO, BinaryIO


def write_atomic(dst: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call `write` on a temp file beside `dst`, fsync it, then rename it over `dst`.

    The temp file is removed if `write` raises; `dst` is then left as it was.
    """
    dst = Path(dst)
    # same directory, so os.replace is a rename on one filesystem and thus atomic
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    except FileNotFoundError:
        # the error names our temp file, which the user never asked for (round 108): name the output
        raise FileNotFoundError(2, "the folder does not exist", str(dst)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates 0600; keep the mode of the file we replace, else the usual 0644. A link at
        # `dst` is replaced, never followed: its target's mode is not copied and the target is not written
        os.chmod(tmp, _mode_to_keep(dst))
        os.replace(tmp, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(dst.parent)


def _mode_to_keep(dst: Path) -> int:
    try:
        info = os.lstat(dst)
    except OSError:
        return 0o644
    return info.st_mode & 0o7777 if stat.S_ISREG(info.st_mode) else 0o644


def write_bytes_atomic(dst: Path, data: bytes) -> None:
    """Write `data` to `dst` atomically (see `write_atomic`)."""

    def write(stream: BinaryIO) -> None:
        stream.write(data)

    write_atomic(dst, write)


def _fsync_dir(folder: Path) -> None:
    # makes the rename itself durable; directories cannot be opened on Windows, which is fine
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_package(
    src: Path,
    dst: Path,
    replaced: Mapping[str, bytes],
    added: Sequence[tuple[str, bytes]] = (),
    *,
    removed: Set[str] = frozenset(),
) -> None:
    """Atomically write `dst` as a copy of the zip `src` with `replaced` parts swapped, `removed` ones
    left out and `added` appended.

    Entries keep their order, names, times and attributes; untouched ones are not even recompressed.
    """
    with zipfile.ZipFile(src) as package, open(src, "rb") as raw:
        infos = package.infolist()
        stamp = infos[0].date_time if infos else (1980, 1, 1, 0, 0, 0)

        def write(stream: BinaryIO) -> None:
            out = _ZipOut(stream)
            for info in infos:
                if info.filename in removed:
                    continue
                if info.filename in replaced:
                    out.add(info, replaced[info.filename])
                else:
                    out.copy(raw, info)
            for name, data in added:
                fresh = zipfile.ZipInfo(name, stamp)
                fresh.create_system = 0
                out.add(fresh, data)
            out.close(package.comment)

        write_atomic(dst, write)


class _ZipOut:
    """A sequential zip writer that copies entries of another zip without recompressing them.

    Zip64 is never needed: the safety preflight caps a package at 512 MiB and 10,000 entries.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._offset = 0
        self._central: list[bytes] = []

    def copy(self, source: IO[bytes], info: zipfile.ZipInfo) -> None:
        source.seek(info.header_offset)
        local = source.read(30)
        if local[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        name_length, extra_length = struct.unpack("<HH", local[26:30])
        source.seek(info.header_offset + 30 + name_length + extra_length)
        # keep the deflate option bits; sizes go in the header, so no data descriptor (bit 3)
        self._header(info, info.flag_bits & 0x0006, info.compress_type, info.CRC, info.compress_size, info.file_size)
        left = info.compress_size
        while left:
            chunk = source.read(min(left, 1 << 20))
            if not chunk:
                raise zipfile.BadZipFile(f"{info.filename} is truncated")
            self._write(chunk)
            left -= len(chunk)

    def add(self, info: zipfile.ZipInfo, data: bytes) -> None:
        """Deflate `data` as the entry `info` names (its time and attributes are kept)."""
        # level 3 deflates 3x faster than the default 6 for about 15 % more bytes on sheet XML
        compressor = zlib.compressobj(3, zlib.DEFLATED, -15)
        packed = compressor.compress(data) + compressor.flush()
        self._header(info, 0, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(packed), len(data))
        self._write(packed)

    def _header(self, info: zipfile.ZipInfo, flags: int, method: int, crc: int, packed: int, size: int) -> None:
        name = info.filename.encode("utf-8")
        if not info.filename.isascii():
            flags |= 0x0800  # names are UTF-8
        year, month, day, hour, minute, second = info.date_time
        dos_date = (max(year, 1980) - 1980) << 9 | month << 5 | day
        dos_time = hour << 11 | minute << 5 | second // 2
        version = 20 if method == zipfile.ZIP_DEFLATED else 10
        if max(packed, size, self._offset) >= 0xFFFFFFFF:
            raise ValueError("package too large for a zip without zip64")
        fields = (flags, method, dos_time, dos_date, crc, packed, size, len(name))
        self._central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                info.create_system << 8 | 20,
                version,
                *fields,
                0,  # extra field length
                0,  # comment length
                0,  # disk number
                info.internal_attr,
                info.external_attr,
                self._offset,
            )
            + name
        )
        self._write(struct.pack("<4s5H3L2H", b"PK\x03\x04", version, *fields, 0) + name)

    def _write(self, data: bytes) -> None:
        self._stream.write(data)
        self._offset += len(data)

    def close(self, comment: bytes) -> None:
        start = self._offset
        for record in self._central:
            self._write(record)
        count = len(self._central)
        self._write(
            struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, self._offset - start, start, len(comment))
            + comment
        )
