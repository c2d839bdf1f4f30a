"""Run the batch folder: notice drops, wait until they are complete, fill several at once, stop cleanly."""

from __future__ import annotations

import contextlib
import logging
import math
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from stat import S_ISREG
from types import FrameType
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from autofill.batch import (
    WORK,
    Claimed,
    JobResult,
    JobSpec,
    Layout,
    abandon,
    append_log,
    claim,
    classify,
    describe,
    environment_problem,
    file_state,
    fill_job,
    finish,
    finished_before,
    init_worker,
    prepare_layout,
    printable,
    put_back,
    recover,
    spec_for,
    warm_up,
)
from autofill.errors import AutofillError
from autofill.fill import FillOptions
from autofill.forms import FORMATS
from autofill.knowledge import knowledge_stamp
from autofill.safety import OLE_MAGIC

DEFAULT_SETTLE = 2.0
DEFAULT_RESCAN = 30.0
# A form still filling after this many seconds is stopped and moved to failed/: a pathological
# workbook must not hold a worker of an unattended drop folder for ever.
DEFAULT_TIMEOUT = 600.0
# A job whose worker died twice (a crash in a parser, or the OOM killer) is failed, not retried forever.
MAX_ATTEMPTS = 2
# A form file that is not yet a whole package (no zip end record, or empty) is still being copied
# until it has been unchanged this long; only then is it failed as broken. Copies that pause (a
# slow network, a sleeping laptop) stay in the inbox meanwhile.
DEFAULT_GRACE = 120.0


@dataclass(frozen=True)
class FolderSettings:
    inbox: Path
    outbox: Path | None = None
    kb: Path | None = None
    options: FillOptions = field(default_factory=FillOptions)
    jobs: int = 0  # 0: one per CPU core
    settle: float = DEFAULT_SETTLE
    rescan: float = DEFAULT_RESCAN
    poll: bool = False
    timeout: float = DEFAULT_TIMEOUT  # seconds one form may take; 0: no limit
    grace: float = DEFAULT_GRACE  # seconds an incomplete form file may stay unchanged and still be arriving


@dataclass(frozen=True)
class FolderResult:
    """What one run did: counts of forms filled and failed, and questions left for a person."""

    layout: Layout
    filled: int
    failed: int
    flagged: int  # questions for review or unanswered, over all filled forms
    stopped: bool  # stopped by a signal rather than running out of work
    deferred: int = 0  # forms left in the inbox because the disk or a folder failed (full, read-only)
    arriving: int = 0  # incomplete form files left in the inbox because they may still be arriving


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def run_folder(settings: FolderSettings, *, once: bool, console: Console, err_console: Console) -> FolderResult:
    """Fill the forms dropped into the inbox: until none are left (`once`), or until stopped by a signal."""
    from autofill.knowledge import load_knowledge

    layout = prepare_layout(settings.inbox, settings.outbox)
    kb = load_knowledge(settings.kb)  # here, so a broken knowledge base is one error before any work
    runner = _Runner(settings, layout, once, console, _Display(err_console, console))
    context = multiprocessing.get_context("spawn")  # fork would hand our job locks to the workers
    runner.kb = kb
    runner.pool_factory = lambda: ProcessPoolExecutor(
        max_workers=runner.jobs, mp_context=context, initializer=init_worker, initargs=(runner.kb, settings.options)
    )
    observer = _NoObserver() if once else _Observer(layout.inbox, settings.poll, runner.wake, runner.display.note)
    with _Signals(runner.request_stop), observer:
        return runner.run()


class _Runner:
    """The main loop: scan, claim up to --jobs forms, collect results, recover dead owners' jobs."""

    def __init__(
        self, settings: FolderSettings, layout: Layout, once: bool, console: Console, display: _Display
    ) -> None:
        self.settings, self.layout, self.once, self.console, self.display = settings, layout, once, console, display
        self.jobs = settings.jobs or default_jobs()
        self.wake = threading.Event()
        self.stop_requests = 0
        self.pool_factory: Any = None
        self.settle = _Settle(settings.settle)
        self.running: dict[Future[JobResult], tuple[Claimed, JobSpec]] = {}
        self.deadlines: dict[Future[JobResult], float] = {}
        self.backlog: deque[Claimed] = deque()  # adopted jobs waiting for a worker
        self.attempts: dict[str, int] = {}
        self.filled = self.failed = self.flagged = 0
        self.mentioned: set[str] = set()
        # drop name -> monotonic time before which it is not taken again (inf: not in this run)
        self.held: dict[str, float] = {}
        self.deferred: set[str] = set()
        self.arriving: set[str] = set()
        self.whole: dict[Path, tuple[int, int]] = {}  # drops found complete, by their size and mtime
        self.kb: Any = None
        self.kb_stamp = knowledge_stamp(settings.kb)

    def request_stop(self) -> None:
        self.stop_requests += 1
        if self.stop_requests == 1 and self.running:
            self.display.note(
                f"Stopping: finishing {len(self.running)} form(s) in progress "
                "(press Ctrl-C again to stop now; they will be filled at the next start)."
            )
        self.wake.set()

    def run(self) -> FolderResult:
        pool = self.pool_factory()
        self._warm_up(pool)
        next_rescan = 0.0
        self.display.start()
        try:
            while self.stop_requests < 2:
                if time.monotonic() >= next_rescan and not self.stop_requests:
                    self._recover()
                    next_rescan = time.monotonic() + self.settings.rescan
                ready = self._scan() if not self.stop_requests else []
                if ready:
                    pool = self._reload_knowledge(pool)
                while len(self.running) < self.jobs and not self.stop_requests:
                    claimed = self.backlog.popleft() if self.backlog else self._claim_next(ready)
                    if claimed is None:
                        break
                    pool = self._submit(pool, claimed)
                pool = self._collect(pool)
                if not self.running and (
                    self.stop_requests or (self.once and not self.backlog and not self.settle.waiting)
                ):
                    break
                self.wake.wait(self._timeout(next_rescan))
                self.wake.clear()
        finally:
            self.display.stop()
            self._shut_down(pool)
        return FolderResult(
            self.layout,
            self.filled,
            self.failed,
            self.flagged,
            stopped=self.stop_requests > 0,
            deferred=len(self.deferred),
            arriving=len(self.arriving),
        )

    def _warm_up(self, pool: ProcessPoolExecutor) -> None:
        """Start the workers now, so they boot while the first drops settle."""
        wanted = self.jobs
        if self.once:
            wanted = min(wanted, sum(1 for e in _entries(self.layout.inbox) if classify(e.name) in ("form", "refused")))
        for _ in range(wanted):
            pool.submit(warm_up)

    def _timeout(self, next_rescan: float) -> float:
        # with every worker busy, a finished job's callback is what wakes the loop
        if self.settle.waiting and len(self.running) < self.jobs:
            return max(0.02, min(self.settings.settle / 4, 0.5))
        deadline = min(self.deadlines.values(), default=next_rescan)
        return max(0.02, min(next_rescan - time.monotonic(), deadline - time.monotonic(), 5.0))

    def _recover(self) -> None:
        own = {claimed.job.id for claimed, _ in self.running.values()} | {c.job.id for c in self.backlog}
        try:
            adopted = recover(self.layout, own)
        except OSError as error:
            where = printable(str(error.filename or self.layout.inbox))
            self.display.note(f"Cannot check {where} for unfinished forms ({error.strerror}); trying again later.")
            return
        for claimed in adopted:
            done = finished_before(claimed.job)
            if done is not None:
                self._finish(claimed, done, None)
            else:
                self.display.note(f"Resuming {claimed.job.name} (left unfinished by a stopped watcher).")
                self.backlog.append(claimed)

    def _customer_folders(self) -> list[Path]:
        """Sub-folders of the inbox that name a customer (INBOX/Acme/), never a link or autofill's own."""
        own = {self.layout.processed, self.layout.failed, self.layout.outbox, self.layout.inbox / WORK}
        folders = []
        with contextlib.suppress(OSError), os.scandir(self.layout.inbox) as entries:
            for entry in entries:
                path = Path(entry.path)
                if entry.is_dir(follow_symlinks=False) and path not in own and classify(entry.name) != "scratch":
                    folders.append(path)
        return sorted(folders)

    def _scan(self) -> list[Path]:
        found: dict[Path, os.stat_result] = {}
        now = time.monotonic()
        for folder in [self.layout.inbox, *self._customer_folders()]:
            self._scan_folder(folder, found, now)
        return [path for path in self.settle.ready(found, now) if self._complete(path, found[path], now)]

    def _scan_folder(self, folder: Path, found: dict[Path, os.stat_result], now: float) -> None:
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    kind = classify(entry.name)
                    if kind == "other":
                        self._mention_other(entry)
                    if kind in ("scratch", "other") or self.held.get(entry.name, 0.0) > now:
                        continue
                    try:
                        # a link is taken as itself (and failed with the reason), never followed
                        if entry.is_file(follow_symlinks=False) or entry.is_symlink():
                            found[Path(entry.path)] = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue  # claimed by another watcher meanwhile
        except OSError as error:
            self.display.note(f"Cannot read {folder} ({error.strerror}); retrying.")

    def _complete(self, path: Path, info: os.stat_result, now: float) -> bool:
        """Whether a settled file is whole, or has been incomplete too long to be still arriving."""
        state = (info.st_size, info.st_mtime_ns)
        if self.whole.get(path) == state:
            return True  # read once already; it waits for a free worker
        if not _incomplete(path):
            self.whole[path] = state
            self.arriving.discard(path.name)
            return True
        # copies keep writing "now" as the mtime until they finish, so an old mtime means nobody is writing
        quiet = max(self.settle.quiet_for(path, now), time.time() - info.st_mtime)
        if quiet >= self.settings.grace:
            return True
        if path.name not in self.arriving:
            self.arriving.add(path.name)
            self.display.note(
                f"Waiting for {path.name}: not a complete form yet (still being copied?); it is failed as broken "
                f"only once it has stayed unchanged for {self.settings.grace:g} s."
            )
        if self.once:
            self.held[path.name] = math.inf
            self.settle.forget(path)
        return False

    def _mention_other(self, entry: os.DirEntry[str]) -> None:
        if entry.name not in self.mentioned and entry.is_file(follow_symlinks=False):
            self.mentioned.add(entry.name)
            self.display.note(f"Leaving {entry.name} alone: not a form (.xlsx, .xlsm or .docx).")

    def _claim_next(self, ready: list[Path]) -> Claimed | None:
        while ready:
            path = ready.pop(0)
            if not _openable(path):
                continue
            try:
                claimed = claim(self.layout, path)
            except OSError as error:  # the inbox's work folder is read-only or full
                self._hold(path.name, describe(error), "is kept")
                continue
            finally:
                self.settle.forget(path)
                self.whole.pop(path, None)
            if claimed is not None:
                return claimed
        return None

    def _submit(self, pool: ProcessPoolExecutor, claimed: Claimed) -> ProcessPoolExecutor:
        try:
            spec = spec_for(claimed.job)
        except OSError as error:  # the output folder cannot take a staging folder: read-only, full, gone
            self._defer(claimed, describe(error))
            return pool
        try:
            future = pool.submit(fill_job, spec)
        except BrokenProcessPool:
            pool = self._replace_pool(pool)
            future = pool.submit(fill_job, spec)
        future.add_done_callback(lambda _: self.wake.set())
        self.running[future] = (claimed, spec)
        if self.settings.timeout:
            self.deadlines[future] = time.monotonic() + self.settings.timeout
        self.attempts[claimed.job.id] = self.attempts.get(claimed.job.id, 0) + 1
        self.display.started(claimed.job.id, claimed.job.name)
        return pool

    def _collect(self, pool: ProcessPoolExecutor) -> ProcessPoolExecutor:
        pool = self._stop_overdue(pool)
        broken = False
        for future in [f for f in self.running if f.done()]:
            claimed, spec = self.running.pop(future)
            self.deadlines.pop(future, None)
            self.display.done(claimed.job.id)
            try:
                result = future.result()
            except BrokenProcessPool:
                broken = True
                crashed = self._crashed(claimed)
                if crashed is None:
                    self.backlog.append(claimed)  # an innocent bystander of another form's crash, or a first crash
                    continue
                result = crashed
            except Exception as error:  # pickling trouble and the like: a bug, reported like one
                result = JobResult(
                    claimed.job.name, error=f"{claimed.job.name}: unexpected error ({error}); please report this"
                )
            self._finish(claimed, result, spec)
        return self._replace_pool(pool) if broken else pool

    def _stop_overdue(self, pool: ProcessPoolExecutor) -> ProcessPoolExecutor:
        """Fail the forms past their time limit; the other forms in progress start again."""
        now = time.monotonic()
        overdue = {f for f, deadline in self.deadlines.items() if deadline <= now and not f.done()}
        if not overdue:
            return pool
        # A worker cannot be told to drop one form: every worker stops, and forms that were
        # merely running beside the overdue one go back to the queue (not counted as a try).
        _terminate_workers(pool)
        for future in [f for f in self.running if not f.done()]:
            claimed, spec = self.running.pop(future)
            self.deadlines.pop(future, None)
            self.display.done(claimed.job.id)
            if future in overdue:
                name = claimed.job.name
                limit = f"{self.settings.timeout:g} s"
                problem = f"filling took longer than {limit} and was stopped; split the form, or raise --timeout"
                self._finish(claimed, JobResult(name, error=f"{name}: {problem}"), spec)
            else:
                self.attempts[claimed.job.id] -= 1
                self.backlog.append(claimed)
        return self._replace_pool(pool)

    def _crashed(self, claimed: Claimed) -> JobResult | None:
        if self.attempts.get(claimed.job.id, 0) < MAX_ATTEMPTS:
            return None
        name = claimed.job.name
        return JobResult(name, error=f"{name}: autofill crashed while filling this form; please report this")

    def _finish(self, claimed: Claimed, result: JobResult, spec: JobSpec | None) -> None:
        name = claimed.job.name
        if result.retry:
            self._defer(claimed, result.error or "the disk or folder failed")
            return
        if not result.published and self._changed(claimed):
            # re-checked just before failing (or publishing): a copy that paused was taken too early
            self._defer(claimed, "changed while it was being filled (still being copied?)", retry_in=0.0)
            return
        try:
            line = finish(claimed, result, spec)
        except OSError as error:
            if environment_problem(error):
                self._defer(claimed, describe(error))
                return
            # something about this one file's names: fail it once, under its job's id, never loop on it
            result = JobResult(name, error=f"{name}: could not be stored ({error}); please report this")
            claimed = replace(claimed, job=replace(claimed.job, stem=claimed.job.id))
            try:
                line = finish(claimed, result, None)
            except OSError as again:
                self._defer(claimed, describe(again))
                return
        self.deferred.discard(name)
        self._log(line)
        if result.ok:
            self.filled += 1
            summary = result.summary or {}
            self.flagged += summary.get("review", 0) + summary.get("unanswered", 0)
        else:
            self.failed += 1
        self.display.line(line, failed=not result.ok)

    def _changed(self, claimed: Claimed) -> bool:
        if claimed.arrival is None:
            return False
        try:
            return file_state(claimed.job.input) != claimed.arrival
        except OSError:
            return False

    def _defer(self, claimed: Claimed, problem: str, retry_in: float | None = None) -> None:
        """Return a form to the inbox (or leave it in its job) to be tried again after `retry_in` seconds."""
        name = claimed.job.name
        where = "stays in the inbox" if put_back(claimed) else "stays in the work folder"
        if retry_in is not None:
            self.arriving.add(name)
        self._hold(name, problem, where, retry_in)

    def _hold(self, name: str, problem: str, where: str, retry_in: float | None = None) -> None:
        delay = self.settings.rescan if retry_in is None else retry_in
        self.held[name] = math.inf if self.once else time.monotonic() + delay
        if retry_in is None:
            self.deferred.add(name)
        later = "at the next run" if self.once else f"again in {delay:g} s"
        self.display.note(f"{name}: {problem}; it {where} and is tried {later}.")

    def _log(self, line: str) -> None:
        try:
            append_log(self.layout, line)
        except (OSError, AutofillError) as error:
            reason = describe(error) if isinstance(error, OSError) else str(error)
            self.display.note(f"Not logged in {self.layout.log.name}: {reason}")

    def _reload_knowledge(self, pool: ProcessPoolExecutor) -> ProcessPoolExecutor:
        """Use an edited knowledge base (or newly learned answers) for the forms still to come."""
        from autofill.errors import AutofillError
        from autofill.knowledge import load_knowledge

        stamp = knowledge_stamp(self.settings.kb)
        if stamp == self.kb_stamp:
            return pool
        self.kb_stamp = stamp
        try:
            self.kb = load_knowledge(self.settings.kb)
        except AutofillError as error:
            self.display.note(f"The knowledge base changed but has a problem; still using the previous one: {error}")
            return pool
        self.display.note("The knowledge base changed; forms from now on use the new one.")
        pool.shutdown(wait=False)  # forms already running there finish with the base they started with
        new: ProcessPoolExecutor = self.pool_factory()
        return new

    def _replace_pool(self, pool: ProcessPoolExecutor) -> ProcessPoolExecutor:
        pool.shutdown(wait=False, cancel_futures=True)
        new: ProcessPoolExecutor = self.pool_factory()
        # --timeout counts from a booted worker: starting one takes seconds on a busy machine, and
        # the forms sent back to the queue beside an overdue one must not fail for that
        wait([new.submit(warm_up) for _ in range(self.jobs)], timeout=60)
        return new

    def _shut_down(self, pool: ProcessPoolExecutor) -> None:
        if self.running:
            # Ctrl-C twice or an error: the running jobs stay claimed in the work folder for the next start
            _terminate_workers(pool)
            for claimed, _ in self.running.values():
                abandon(claimed)
            self.display.note(f"Stopped; {len(self.running)} form(s) will be filled at the next start.")
            self.running.clear()
            self.deadlines.clear()
        for claimed in self.backlog:
            abandon(claimed)
        pool.shutdown(wait=True, cancel_futures=True)


def _terminate_workers(pool: ProcessPoolExecutor) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):
        # Python 3.14 has terminate_workers(); before it, the private map is the only handle
        process.terminate()


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


class _Settle:
    """Which files have kept the same size and modification time for `settle` seconds."""

    def __init__(self, settle: float) -> None:
        self.settle = settle
        self.seen: dict[Path, tuple[tuple[int, int], float]] = {}

    @property
    def waiting(self) -> bool:
        return bool(self.seen)

    def ready(self, found: dict[Path, os.stat_result], now: float) -> list[Path]:
        """Files in `found` unchanged for `settle` seconds, oldest first; others are remembered for the next call."""
        # Observed here rather than trusted from mtime: copies (Explorer, cp -p, sync clients) keep the old mtime.
        for path in list(self.seen):
            if path not in found:
                del self.seen[path]
        for path, stat in found.items():
            signature = (stat.st_size, stat.st_mtime_ns)
            previous = self.seen.get(path)
            if previous is None or previous[0] != signature:
                self.seen[path] = (signature, now)
        stable = [path for path, (_, since) in self.seen.items() if now - since >= self.settle]
        return sorted(stable, key=lambda path: (self.seen[path][1], path.name))

    def forget(self, path: Path) -> None:
        self.seen.pop(path, None)

    def quiet_for(self, path: Path, now: float) -> float:
        """Seconds `path` has been seen unchanged."""
        return now - self.seen[path][1] if path in self.seen else 0.0


def _openable(path: Path) -> bool:
    # On Windows a file still being copied is locked by the copier; opening it fails.
    if path.is_symlink():
        return True  # taken as itself, never opened
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except PermissionError:
        # elsewhere than on Windows no copier locks a file: one nobody may read (mode 000) is taken,
        # and fails in one line, rather than waited for forever (round 26: batch never exited)
        return os.name != "nt"
    except OSError:
        return False
    try:
        os.read(fd, 1)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def _incomplete(path: Path) -> bool:
    """Whether a form file is not a whole zip package yet: empty, or without the end record a copy writes last."""
    if os.path.splitext(path.name)[1].lower() not in FORMATS or path.is_symlink():
        return False
    try:
        # O_NONBLOCK: a FIFO swapped in since the scan must not block the watcher
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not S_ISREG(info.st_mode):
                return False
            if info.st_size == 0:
                return True
            if stream.read(len(OLE_MAGIC)) == OLE_MAGIC:
                return False  # an encrypted workbook or a renamed .xls: whole, and refused at once
            # the end record is 22 bytes plus a comment of up to 65,535
            stream.seek(max(0, info.st_size - 22 - 0xFFFF))
            tail = stream.read()
    except OSError:
        return False
    at = tail.rfind(b"PK\x05\x06")
    while at >= 0:
        if len(tail) - at >= 22 and at + 22 + int.from_bytes(tail[at + 20 : at + 22], "little") == len(tail):
            return False
        at = tail.rfind(b"PK\x05\x06", 0, at)
    return True


class _Display:
    """A spinner per form being filled on stderr, and one summary line per finished form on stdout."""

    def __init__(self, err_console: Console, console: Console) -> None:
        self.err_console, self.console = err_console, console
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=not err_console.is_terminal,
        )
        self.tasks: dict[str, TaskID] = {}

    def start(self) -> None:
        self.progress.start()

    def stop(self) -> None:
        self.progress.stop()

    def started(self, key: str, name: str) -> None:
        self.tasks[key] = self.progress.add_task(f"filling {name}")

    def done(self, key: str) -> None:
        if key in self.tasks:
            self.progress.remove_task(self.tasks.pop(key))

    def line(self, text: str, *, failed: bool) -> None:
        # names come from whoever drops files: no markup, no control characters
        style = "red" if failed else None
        self.console.print(printable(text), style=style, markup=False, highlight=False, soft_wrap=True)

    def note(self, text: str) -> None:
        self.err_console.print(printable(text), style="dim", markup=False, highlight=False, soft_wrap=True)


class _Signals:
    """SIGINT and SIGTERM ask the loop to stop instead of raising; the previous handlers come back after."""

    def __init__(self, on_signal: Any) -> None:
        self.on_signal = on_signal
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> _Signals:
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                self.previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)

    def _handle(self, number: int, frame: FrameType | None) -> None:
        self.on_signal()


class _Observer:
    """watchdog events (or polling, for network drives) wake the loop early; rescans catch anything missed."""

    def __init__(self, inbox: Path, poll: bool, wake: threading.Event, note: Callable[[str], None]) -> None:
        self.note = note
        from watchdog.events import FileSystemEventHandler

        class _Wake(FileSystemEventHandler):
            def on_any_event(self, event: object) -> None:
                wake.set()

        if poll:
            from watchdog.observers.polling import PollingObserver

            self.observer: Any = PollingObserver(timeout=1)
        else:
            from watchdog.observers import Observer

            self.observer = Observer()
        self.observer.schedule(_Wake(), str(inbox), recursive=True)  # customer sub-folders too
        # watchdog logs a harmless error when an event arrives while it stops
        logging.getLogger("watchdog.observers.inotify").setLevel(logging.CRITICAL)

    def __enter__(self) -> _Observer:
        try:
            self.observer.start()
        except OSError as error:  # e.g. the inotify watch limit; the rescans still find every drop
            self.note(f"Cannot watch for changes ({error}); rescanning every few seconds instead.")
            self.observer = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)


class _NoObserver:
    def __enter__(self) -> _NoObserver:
        return self

    def __exit__(self, *exc: object) -> None:
        return None
