"""The batch folder: what happens to one dropped form, from claim to outputs, safely across crashes.

Layout (created on first use):
    INBOX/                      forms are dropped here
    INBOX/processed/            inputs that were filled
    INBOX/failed/               inputs that could not be filled, each with NAME.error.txt
    OUTBOX/ (default INBOX/filled/)
                                NAME.filled.xlsx, NAME.report.json, NAME.summary.txt, autofill.log
    INBOX/.autofill-work/       jobs/ID/NAME (the claimed drop), jobs/ID.lock, names/STEM (holds ID)
    OUTBOX/.autofill-work/      ID.ATTEMPT/ staging for outputs, renamed into OUTBOX when complete

Claim protocol: lock jobs/ID.lock (a fresh name), mkdir jobs/ID, then os.rename the drop into
it. The rename is the atomic step: of two watchers exactly one succeeds, the other removes its
empty job. The winner then reserves the output stem NAME, NAME (2), ... by creating names/STEM
exclusively and writing ID into it. A job folder has a lock held by a live owner, or its owner
died: whoever then takes the lock adopts the job (`recover`), finding its stem by the ID in
names/, or reserving one if the owner died before. Outputs are staged and renamed into OUTBOX,
the input moves to processed/ or failed/ only after its outputs exist, and only then are the
reservation, the job folder and the lock removed, in that order.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import hashlib
import json
import os
import shutil
import signal
import stat
import threading
import time
import traceback
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from filelock import FileLock, Timeout

from autofill.atomic import write_bytes_atomic
from autofill.errors import AutofillError, FormError
from autofill.fill import FillOptions
from autofill.forms import FORMATS, REFUSED
from autofill.models import FillReport, KnowledgeBase, Outcome

WORK = ".autofill-work"
DEFAULT_OUTBOX = "filled"
LOG_NAME = "autofill.log"
# Names browsers, sync clients and Office use while a file is still being written or is not a form.
TEMP_SUFFIXES = frozenset({".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp"})
JUNK_NAMES = frozenset({"thumbs.db", "desktop.ini", "icon\r"})
# An empty reservation, or a lock file without its job folder, is only left by a crash inside
# claim() between two system calls; anything this old is certainly orphaned and safe to remove.
ORPHAN_AGE = 60.0
# Bytes a stem leaves of the filesystem's name limit for what autofill adds to it: ".filled.xlsx"
# (12), " (99999)" (8) and an atomic write's ".NAME.XXXXXXXX.tmp" (14), with room to spare.
NAME_ROOM = 50
STEM_MAX = 200  # bytes; a longer stem is cut and ends in "~" and a hash of the whole name
# Conditions of a disk or folder, not of the form: a full disk, a read-only or vanished folder, a
# network drive gone away. The form goes back to the inbox and is tried again later.
ENVIRONMENT_ERRNOS = frozenset(
    getattr(errno, name)
    for name in ("ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "ENOENT", "ENOTDIR", "EIO", "ESTALE", "ETIMEDOUT")
    if hasattr(errno, name)
)
# O_NONBLOCK: a FIFO planted as the log fails to open instead of blocking; no O_NOFOLLOW on
# Windows, where `append_log` relies on its own check for a link
_LOG_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)

# form: fill it; refused: a known non-form (.xls, .pdf), failed with advice; scratch: temporary or
# hidden files of other programs; other: anything else, left alone.
Kind = Literal["form", "refused", "scratch", "other"]


@dataclass(frozen=True)
class Layout:
    """The folders of one inbox and its outbox."""

    inbox: Path
    outbox: Path

    @property
    def processed(self) -> Path:
        return self.inbox / "processed"

    @property
    def failed(self) -> Path:
        return self.inbox / "failed"

    @property
    def jobs(self) -> Path:
        return self.inbox / WORK / "jobs"

    @property
    def names(self) -> Path:
        return self.inbox / WORK / "names"

    @property
    def staging(self) -> Path:
        return self.outbox / WORK

    @property
    def log(self) -> Path:
        return self.outbox / LOG_NAME


class UnsafePathError(AutofillError):
    """A file or folder autofill writes to is a link (or not a regular file); autofill never writes through one."""

    def __init__(self, path: Path, what: str = "a symbolic link") -> None:
        super().__init__(
            f"{printable(str(path))} is {what}; autofill never writes through links: "
            "replace it with a plain file or folder (or remove it)"
        )


def prepare_layout(inbox: Path, outbox: Path | None = None) -> Layout:
    """Create the inbox's folders (and the inbox itself when its parent exists); default OUTBOX is INBOX/filled."""
    inbox = Path(os.path.abspath(inbox))
    outbox = Path(os.path.abspath(outbox)) if outbox is not None else inbox / DEFAULT_OUTBOX
    if not inbox.parent.is_dir():
        raise AutofillError(f"{inbox.parent} does not exist; create it or choose another inbox folder")
    layout = Layout(inbox, outbox)
    if outbox in (inbox, layout.processed, layout.failed):
        raise AutofillError(f"--out {outbox} must not be the inbox or its processed/failed folder; choose another")
    # a link planted in a shared inbox would send outputs (or log lines) wherever it points; an
    # --out the user names is taken as given
    given = [inbox] if outbox == inbox / DEFAULT_OUTBOX else [inbox, outbox]  # the folders the user named
    work = (inbox / WORK, layout.jobs, layout.names, layout.staging)  # each checked before a folder is made in it
    for folder in (inbox, layout.processed, layout.failed, outbox, *work):
        if folder not in given and folder.is_symlink():
            raise UnsafePathError(folder)
        try:
            folder.mkdir(parents=folder != inbox, exist_ok=True)
        except OSError as error:
            problem = f"cannot create {folder} ({error.strerror}); check the folder and its permissions"
            raise AutofillError(problem) from None
    if layout.log.is_symlink():
        raise UnsafePathError(layout.log)
    if os.path.lexists(layout.log) and not layout.log.is_file():
        raise UnsafePathError(layout.log, "not a regular file")
    return layout


def environment_problem(error: OSError) -> bool:
    """Whether `error` is a condition of the disk or folder (full, read-only, gone) rather than of one form."""
    return error.errno in ENVIRONMENT_ERRNOS


def describe(error: OSError) -> str:
    """One line for an OSError: what could not be done where, and why."""
    where = f" {printable(str(error.filename))}" if error.filename else ""
    return f"cannot write{where} ({error.strerror or error})"


def classify(name: str) -> Kind:
    """What to do with a file of this name in the inbox."""
    lower = name.lower()
    suffix = os.path.splitext(lower)[1]
    # "~$x.xlsx" is Office's lock file for an open x.xlsx; "~WRL0001.tmp" and dotfiles are scratch files
    if lower.startswith((".", "~")) or lower in JUNK_NAMES or suffix in TEMP_SUFFIXES:
        return "scratch"
    if suffix in FORMATS:
        return "form"
    return "refused" if suffix in REFUSED else "other"


# --- jobs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One claimed drop: its original name and the output stem reserved for it."""

    id: str
    name: str
    stem: str
    layout: Layout
    customer: str | None = None  # the inbox sub-folder it was dropped in (INBOX/Acme/form.xlsx)

    @property
    def suffix(self) -> str:
        return os.path.splitext(self.name)[1]

    @property
    def folder(self) -> Path:
        return self.layout.jobs / self.id

    @property
    def input(self) -> Path:
        return self.folder / self.name

    @property
    def outputs(self) -> tuple[str, str, str]:
        """File names of the filled form, the JSON report and the summary."""
        return f"{self.stem}.filled{self.suffix}", f"{self.stem}.report.json", f"{self.stem}.summary.txt"

    @property
    def error_file(self) -> Path:
        return self.layout.failed / f"{self.stem}.error.txt"


@dataclass(frozen=True)
class Claimed:
    """A job and the lock that says its owner is alive."""

    job: Job
    lock: FileLock = field(compare=False)
    arrival: tuple[int, int] | None = None  # the drop's size and mtime when claimed; None when adopted


@dataclass(frozen=True)
class JobSpec:
    """What a worker needs to fill one job (picklable)."""

    input: Path
    staging: Path
    outputs: tuple[str, str, str]
    final_input: Path
    final_output: Path
    customer: str | None = None


@dataclass(frozen=True)
class JobResult:
    """A worker's answer: counts when filled, else a message for NAME.error.txt."""

    name: str
    summary: dict[str, int] | None = None
    error: str | None = None
    details: str | None = None  # a traceback, only for unexpected errors
    seconds: float = 0.0
    published: bool = False  # its outputs (or error file) were already in place, written before a crash
    retry: bool = False  # the disk or folder failed, not the form: it goes back to the inbox for later

    @property
    def ok(self) -> bool:
        return self.error is None


def claim(layout: Layout, path: Path) -> Claimed | None:
    """Take `path` out of the inbox into a new job; None when another process took it first or it is still open.

    A form in a sub-folder of the inbox (INBOX/Acme/form.xlsx) is for the customer the folder names.
    """
    job_id = uuid.uuid4().hex
    lock = FileLock(layout.jobs / f"{job_id}.lock")
    lock.acquire(blocking=False)  # a fresh name, so nobody else can hold it
    customer = path.parent.name if path.parent != layout.inbox else None
    job = Job(job_id, path.name, "", layout, customer)
    try:
        job.folder.mkdir()
        if customer:  # written before the drop moves in, so a job never holds a drop without it
            _write_text(job.folder / CUSTOMER_FILE, customer)
        os.rename(path, job.input)
    except FileNotFoundError:
        _discard(job, lock)
        return None  # another watcher took it first
    except PermissionError:
        _discard(job, lock)
        return None  # on Windows: still open in the program copying it in
    except BaseException:
        _discard(job, lock)
        raise
    try:
        arrival = file_state(job.input)
        job = replace(job, stem=_reserve(layout, job))
    except BaseException:
        lock.release()  # the job holds the drop now; the next `recover` adopts it
        raise
    return Claimed(job, lock, arrival)


def file_state(path: Path) -> tuple[int, int]:
    """Size and modification time of `path` itself (a link is not followed)."""
    info = os.lstat(path)
    return info.st_size, info.st_mtime_ns


def put_back(claimed: Claimed) -> bool:
    """Return a claimed drop to the inbox untouched and let go of its job; False when it had to stay in the job."""
    job = claimed.job
    target = job.layout.inbox / job.name
    try:
        if os.path.lexists(target):  # a new drop of the same name arrived meanwhile
            raise FileExistsError(target)
        os.rename(job.input, target)
    except OSError:
        abandon(claimed)  # the next `recover` adopts it
        return False
    _discard(job, claimed.lock)
    return True


def recover(layout: Layout, own: set[str]) -> list[Claimed]:
    """Adopt the jobs of dead owners that still hold their input; clean up what they left."""
    adopted: list[Claimed] = []
    for entry in _entries(layout.jobs):
        if not entry.is_dir() or entry.name in own:
            continue
        lock = FileLock(layout.jobs / f"{entry.name}.lock")
        try:
            lock.acquire(blocking=False)
        except Timeout:
            continue  # a live owner
        job = _read_job(layout, entry.name)
        if not job.name:
            # died before the drop was renamed in (it is still in the inbox) or after it moved out
            _discard(job, lock)
            continue
        # an owner killed between publishing a form and recording it left the entry in its staging
        # folder: record it before that folder goes (once: the ledger keys it by output and hash)
        _record_ledger(job)
        for stale in layout.staging.glob(f"{job.id}.*"):
            shutil.rmtree(stale, ignore_errors=True)
        try:
            adopted.append(Claimed(job if job.stem else replace(job, stem=_reserve(layout, job)), lock))
        except OSError:
            lock.release()  # the inbox cannot take a reservation now (read-only, full); tried at the next rescan
    _collect_garbage(layout, own | {c.job.id for c in adopted})
    return adopted


def finished_before(job: Job) -> JobResult | None:
    """The result of a job whose owner died after writing all its outputs, so it needs no second fill."""
    filled, report, summary = (job.layout.outbox / name for name in job.outputs)
    if filled.exists() and report.exists() and summary.exists():
        try:
            counts = json.loads(report.read_text(encoding="utf-8"))["summary"]
        except (OSError, ValueError, KeyError):
            return None
        return JobResult(job.name, summary=counts, published=True)
    if job.error_file.is_file() and not job.error_file.is_symlink():
        try:
            lines = job.error_file.read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError):
            return None
        # the third line of error_text() is the message
        return JobResult(job.name, error=lines[2] if len(lines) > 2 else "see the error file", published=True)
    return None


def spec_for(job: Job) -> JobSpec:
    """A fresh staging folder for one attempt at `job`."""
    staging = job.layout.staging / f"{job.id}.{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    return JobSpec(
        input=job.input,
        staging=staging,
        outputs=job.outputs,
        final_input=job.layout.processed / f"{job.stem}{job.suffix}",
        final_output=job.layout.outbox / job.outputs[0],
        customer=job.customer,
    )


def finish(claimed: Claimed, result: JobResult, spec: JobSpec | None = None) -> str:
    """Publish the outputs (or the error), move the input out of the inbox; return the line for the log."""
    job = claimed.job
    layout = job.layout
    if result.ok:
        if not result.published:
            assert spec is not None, "a fresh result needs the staging folder it was written to"
            for name in job.outputs:
                os.replace(spec.staging / name, layout.outbox / name)
        unrecorded = _record_ledger(job)  # before the staging folder goes: a crash here records it next start
        if unrecorded:
            append_log(layout, f"{_now()}  {printable(job.name)}  {printable(unrecorded)}")
        destination = layout.processed / f"{job.stem}{job.suffix}"
    else:
        if not result.published:
            _write_text(job.error_file, error_text(job, result))
        destination = layout.failed / f"{job.stem}{job.suffix}"
    os.rename(job.input, destination)
    _discard(job, claimed.lock)
    return log_line(job, result)


def append_log(layout: Layout, line: str) -> None:
    """Add `line` to autofill.log, never through a link and only into a regular file."""
    if layout.log.is_symlink():
        raise UnsafePathError(layout.log)
    try:
        fd = os.open(layout.log, _LOG_FLAGS, 0o644)  # O_NOFOLLOW: no link slipped in since the check
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENXIO):  # a link; a FIFO nobody reads
            raise UnsafePathError(layout.log, "a symbolic link or a pipe") from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsafePathError(layout.log, "not a regular file")
        os.write(fd, (line + "\n").encode("utf-8"))  # one write per line, so two watchers' lines do not interleave
    finally:
        os.close(fd)


def abandon(claimed: Claimed) -> None:
    """Let go of a job without touching its files; the next `recover` adopts it."""
    claimed.lock.release()


def log_line(job: Job, result: JobResult) -> str:
    """One line for autofill.log and the terminal: time, file, counts or FAILED and why."""
    renamed = f" (as {job.stem})" if job.stem != os.path.splitext(job.name)[0] else ""
    head = f"{datetime.datetime.now():%Y-%m-%d %H:%M:%S}  {job.name}{renamed}"
    if result.summary is None:
        return printable(f"{head}  FAILED: {result.error or 'unknown error'}")
    counts = ", ".join(f"{key} {result.summary.get(key, 0)}" for key in ("answered", "review", "unanswered", "kept"))
    return printable(f"{head}  {counts}  -> {job.outputs[0]}")


def error_text(job: Job, result: JobResult) -> str:
    """NAME.error.txt: what was wrong and what to do."""
    lines = [f"{printable(job.name)} could not be filled.", "", printable(result.error or ""), ""]
    if result.details is None:
        lines.append(f"Fix the file, then drop it into {job.layout.inbox} again.")
    else:
        lines += ["Details for the report:", result.details]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- the worker side ---------------------------------------------------------------------

_worker: dict[str, object] = {}


def init_worker(kb: KnowledgeBase, options: FillOptions) -> None:
    """Set up a pool worker: keep the knowledge base, ignore Ctrl-C, and exit when the parent dies."""
    # The pool already keeps every core busy, and a form's own fork pool would outlive a killed worker.
    _worker["kb"], _worker["options"] = kb, replace(options, workers=1)
    # Ctrl-C reaches the whole process group; the parent decides whether running jobs finish
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def warm_up() -> None:
    """Import the form modules, so the first real job does not pay for it."""
    import autofill.fill  # noqa: F401
    import autofill.forms.docx  # noqa: F401
    import autofill.forms.xlsx  # noqa: F401
    import autofill.report  # noqa: F401
    from autofill.semantic import load_model

    load_model()  # review suggestions are ordered by meaning: load the model before the first form


def fill_job(spec: JobSpec) -> JobResult:
    """Fill one claimed form into its staging folder; never raises for a bad form."""
    from autofill.fill import fill_form
    from autofill.forms import format_for
    from autofill.report import write_report

    kb, options = _worker["kb"], _worker["options"]
    assert isinstance(kb, KnowledgeBase) and isinstance(options, FillOptions), "init_worker was not called"
    started = time.perf_counter()
    filled, report_name, summary_name = (spec.staging / name for name in spec.outputs)
    try:
        if spec.input.is_symlink():
            problem = (
                "is a link to a file elsewhere; autofill fills only files dropped into the folder itself, "
                "never what a link points to: copy the file in instead"
            )
            raise FormError(spec.input, problem)
        format_for(spec.input)  # refused formats say so before the emptiness check below
        if spec.input.stat().st_size == 0:
            raise FormError(spec.input, "is empty (0 bytes); the copy may have failed, so drop the file again")
        report = fill_form(spec.input, kb, out=filled, options=replace(options, ledger=False))
        _stage_ledger(spec, report, kb, options)
        report = replace(report, input=spec.final_input, output=spec.final_output)
        write_report(report, report_name)
        _write_text(summary_name, summary_text(report, spec.outputs))
    except Exception as error:  # one broken form must not stop the others; the user gets a report to send
        cause = _environment_cause(error)
        if cause is not None:
            return JobResult(spec.input.name, error=describe(cause), retry=True, seconds=time.perf_counter() - started)
        if isinstance(error, AutofillError):
            return JobResult(spec.input.name, error=str(error), seconds=time.perf_counter() - started)
        return JobResult(
            spec.input.name,
            error=f"{spec.input.name}: autofill hit an unexpected error ({type(error).__name__}: {error}); "
            "please report this, with the file if you can share it",
            details=traceback.format_exc(),
            seconds=time.perf_counter() - started,
        )
    return JobResult(spec.input.name, summary=report.summary, seconds=time.perf_counter() - started)


LEDGER_ENTRY = "ledger.json"  # in a job's staging folder: recorded when the outputs are published
CUSTOMER_FILE = ".customer"  # in a job's folder: the inbox sub-folder the drop came from


def _stage_ledger(spec: JobSpec, report: FillReport, kb: KnowledgeBase, options: FillOptions) -> None:
    """Keep the form's ledger entry beside its outputs, to record once they are published."""
    from autofill import ledger

    if not options.ledger:
        return
    filled = spec.staging / spec.outputs[0]
    entry = ledger.entry_for(
        customer=spec.customer or options.customer,
        form=spec.input,
        output=filled,
        rows=ledger.entries(report.outcomes, kb),
        command="batch",
    )
    entry["output"] = str(spec.final_output.resolve())  # where it is published; "name" is the drop's own
    _write_text(spec.staging / LEDGER_ENTRY, json.dumps(entry))


def _record_ledger(job: Job) -> str | None:
    """Record the entries a job's staging folders hold (after a crash too: recorded once, by output hash)."""
    from autofill import ledger

    problems = []
    for staged in sorted(job.layout.staging.glob(f"{job.id}.*/{LEDGER_ENTRY}")):
        try:
            entry = json.loads(staged.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        filled = job.layout.outbox / job.outputs[0]
        if not filled.is_file() or ledger.file_hash(filled) != entry.get("output_sha256"):
            continue  # an attempt whose outputs were not the ones published
        problem = ledger.record_entry(entry)
        if problem:
            problems.append(problem)
    return "; ".join(problems) or None


def _environment_cause(error: BaseException) -> OSError | None:
    """The full disk or unusable folder behind `error`, also when a writer re-raised it as a FormError."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and environment_problem(seen):
            return seen
        seen = seen.__cause__ or seen.__context__  # `raise ... from None` still keeps __context__
    return None


def summary_text(report: FillReport, outputs: tuple[str, str, str]) -> str:
    """NAME.summary.txt: the counts, every row for review or left blank, and the notes."""
    s = report.summary
    lines = [
        f"{report.input.name}: {s['questions']} questions, filled in {report.seconds:.1f} s on {_now()}",
        "",
        f"  answered    {s['answered']:5}  written into the form with a citation",
        f"  review      {s['review']:5}  highlighted, nothing written: check the suggestion and answer",
        f"  unanswered  {s['unanswered']:5}  not covered by the knowledge base: answer these yourself",
        f"  kept        {s['kept']:5}  already answered in the form, left as they were",
        "",
        f"Filled form: {outputs[0]}",
        f"Full report: {outputs[1]} (every question with its answer, citation and reason)",
    ]
    review = [o for o in report.outcomes if o.status == "review"]
    if review:
        lines += ["", "For review:"]
        for outcome in review:
            why = outcome.note or "confidence below the auto threshold"
            lines.append(f"  {_where(outcome)}  {_oneline(outcome.question.text)}")
            offered = f"suggested {outcome.offered}" if outcome.claim else outcome.offered
            lines.append(f"      {offered}, {outcome.confidence:.0f}: {why}")
    blank = [o for o in report.outcomes if o.status == "unanswered"]
    if blank:
        lines += ["", "Unanswered:"]
        lines += [f"  {_where(o)}  {_oneline(o.question.text)}" for o in blank]
    if report.notes:
        lines += ["", "Notes:"] + [f"  - {note}" for note in report.notes]
    return "\n".join(lines) + "\n"


# --- helpers -----------------------------------------------------------------------------


def fitting_stem(base: str, name_max: int = 255) -> str:
    """`base` made fit for output names: control characters replaced by "_", and cut to leave room
    under the filesystem's `name_max` bytes for suffixes, numbers and temp names.

    A cut stem ends in "~" and 8 hex digits of a hash of the whole `base`, so two long names
    sharing their beginning still get different stems.
    """
    clean = "".join("_" if _is_control(char) else char for char in base)
    limit = max(24, min(STEM_MAX, name_max - NAME_ROOM))
    encoded = clean.encode("utf-8")
    if len(encoded) <= limit:
        return clean
    digest = hashlib.sha256(base.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    head = encoded[: limit - len(digest) - 1].decode("utf-8", "ignore").rstrip()
    return f"{head}~{digest}"


def printable(text: str) -> str:
    """`text` with control characters escaped (\\n, \\x1b, \\u202e...), so a file name cannot forge or colour a line."""
    if text.isprintable():
        return text
    return "".join(_escape(char) if _is_control(char) else char for char in text)


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _is_control(char: str) -> bool:
    # Cc: C0/C1 controls and DEL; Cs: undecodable bytes of a name (surrogate escapes); Zl/Zp: line
    # and paragraph separators; Cf: format characters such as right-to-left overrides
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp", "Cf")


def _escape(char: str) -> str:
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _name_max(layout: Layout) -> int:
    limits = []
    for folder in (layout.inbox, layout.outbox):
        try:
            limits.append(os.pathconf(folder, "PC_NAME_MAX"))
        except (OSError, ValueError, AttributeError):  # no pathconf on Windows; 255 is NTFS's limit too
            limits.append(255)
    return min(limits)


def _reserve(layout: Layout, job: Job) -> str:
    """Reserve the first free output stem NAME, NAME (2), ...; free means no marker and no earlier output."""
    name, suffix = os.path.splitext(job.name)
    base = fitting_stem(name, _name_max(layout))
    for number in range(1, 100_000):
        stem = base if number == 1 else f"{base} ({number})"
        marker = layout.names / stem
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            continue
        try:
            os.write(fd, job.id.encode("ascii"))
        finally:
            os.close(fd)
        # checked after taking the marker: a job finishing meanwhile writes its outputs before dropping its marker
        taken = (
            layout.outbox / f"{stem}.report.json",
            layout.outbox / f"{stem}.summary.txt",
            layout.outbox / f"{stem}.filled{suffix}",
            layout.processed / f"{stem}{suffix}",
            layout.failed / f"{stem}{suffix}",
            layout.failed / f"{stem}.error.txt",
        )
        if not any(os.path.lexists(p) for p in taken):
            return stem
        marker.unlink()
    raise AutofillError(f"{job.name}: too many earlier forms of this name; clear out {layout.outbox}")


def _discard(job: Job, lock: FileLock) -> None:
    """Remove a job's reservation, staging and folder, then its lock, in that order (see recover)."""
    for stem in [job.stem] if job.stem else _stems_of(job.layout, {job.id}).values():
        (job.layout.names / stem).unlink(missing_ok=True)
    for stale in job.layout.staging.glob(f"{job.id}.*"):
        shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(job.folder, ignore_errors=True)
    # unlinking while held is safe: filelock retries when it locked an unlinked file
    (job.layout.jobs / f"{job.id}.lock").unlink(missing_ok=True)
    lock.release()


def _read_job(layout: Layout, job_id: str) -> Job:
    """A job from its folder; `name` is empty when it holds no input, `stem` when none was reserved yet."""
    # the drop is the folder's only file: dotfiles are never claimed
    inputs = [e.name for e in _entries(layout.jobs / job_id) if not e.name.startswith(".")]
    stems = _stems_of(layout, {job_id})
    customer = None
    with contextlib.suppress(OSError, UnicodeError):
        customer = (layout.jobs / job_id / CUSTOMER_FILE).read_text(encoding="utf-8").strip() or None
    return Job(job_id, inputs[0] if inputs else "", stems.get(job_id, ""), layout, customer)


def _stems_of(layout: Layout, job_ids: set[str]) -> dict[str, str]:
    """Job id -> reserved stem, read from the reservations."""
    stems: dict[str, str] = {}
    for entry in _entries(layout.names):
        with contextlib.suppress(OSError):
            owner = Path(entry.path).read_text(encoding="ascii", errors="replace")
            if owner in job_ids:
                stems[owner] = entry.name
    return stems


def _collect_garbage(layout: Layout, keep: set[str]) -> None:
    """Remove orphaned staging folders, lock files and reservations left by crashes."""
    jobs = {e.name for e in _entries(layout.jobs) if e.is_dir()} | keep
    for entry in _entries(layout.staging):
        if entry.name.split(".")[0] not in jobs:
            shutil.rmtree(entry.path, ignore_errors=True)
    now = time.time()
    for entry in _entries(layout.jobs):
        if entry.name.endswith(".lock") and entry.name[: -len(".lock")] not in jobs and _age(entry, now) > ORPHAN_AGE:
            Path(entry.path).unlink(missing_ok=True)
    for entry in _entries(layout.names):
        with contextlib.suppress(OSError):
            owner = Path(entry.path).read_text(encoding="ascii", errors="replace")
            # a reservation is written just after its job folder gets the drop, and removed before it
            gone = owner not in keep and not (layout.jobs / owner).is_dir()
            if (owner and gone) or (not owner and _age(entry, now) > ORPHAN_AGE):
                Path(entry.path).unlink(missing_ok=True)


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except FileNotFoundError:
        return []


def _age(entry: os.DirEntry[str], now: float) -> float:
    try:
        return now - entry.stat().st_mtime
    except OSError:
        return 0.0


def _write_text(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _exit_with_parent(parent: int) -> None:
    # A killed watcher must not leave workers writing for a job that its restart is redoing.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _where(outcome: Outcome) -> str:
    location = outcome.question.location
    if location.sheet is not None:
        return f"{location.sheet}!{location.cell}"
    return f"table {location.table} {location.cell}" if location.table is not None else location.cell


def _oneline(text: str) -> str:
    return " ".join(text.split())


def _now() -> str:
    return f"{datetime.datetime.now():%Y-%m-%d %H:%M:%S}"
