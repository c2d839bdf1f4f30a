"""The ledger: every answer written into a form, to which customer, from which source.

One SQLite database (in the user data folder, or where AUTOFILL_LEDGER points) holds a row per
form written and a row per answer in it, with a fingerprint of the source as it was: a claim's
id with a hash of its quote, answer and sentence. When the knowledge base changes, `changes`
lists what each customer was told that the base no longer says.

Several processes write at once (the watcher's workers, a review in another terminal): the
database runs in WAL mode with a busy timeout, and each form is one transaction keyed by the
written file and its content hash, so a form recorded twice (a retry after a crash) is recorded once.
A ledger that cannot be written never costs the form: its entry is kept in a pending file beside
the database and recorded on the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from autofill.errors import AutofillError
from autofill.models import Claim, KnowledgeBase, LibraryEntry, Outcome
from autofill.safety import escaped

SCHEMA_VERSION = 1
UNKNOWN = "unknown"
# How long a writer waits for another to finish before giving up (the form is kept pending).
BUSY_TIMEOUT_MS = 15_000

_SCHEMA = [
    # version 1
    """
    CREATE TABLE forms (
        id INTEGER PRIMARY KEY,
        customer TEXT NOT NULL,
        name TEXT NOT NULL,
        input_sha256 TEXT NOT NULL,
        output TEXT NOT NULL,
        output_sha256 TEXT NOT NULL,
        written_at TEXT NOT NULL,
        command TEXT NOT NULL,
        UNIQUE (output, output_sha256)
    );
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        form_id INTEGER NOT NULL REFERENCES forms(id) ON DELETE CASCADE,
        location TEXT NOT NULL,
        qid TEXT,
        question TEXT NOT NULL,
        answer TEXT,
        value TEXT,
        sentence TEXT,
        source_kind TEXT NOT NULL,
        source_id TEXT,
        source_ref TEXT,
        fingerprint TEXT
    );
    CREATE INDEX answers_form ON answers(form_id);
    CREATE INDEX answers_source ON answers(source_kind, source_id);
    CREATE INDEX forms_customer ON forms(customer);
    """,
]


class LedgerError(AutofillError):
    """The ledger could not be read or written."""


@dataclass(frozen=True)
class Told:
    """One answer as it went to a customer."""

    customer: str
    form: str
    written_at: str
    location: str
    qid: str | None
    question: str
    answer: str | None
    value: str | None
    sentence: str | None
    source_kind: str  # "claim" | "library" | "manual"
    source_id: str | None
    fingerprint: str | None


@dataclass(frozen=True)
class Change:
    """A recorded answer whose source no longer says what it said."""

    told: Told
    why: str  # "edited", "superseded by X", "removed"
    now: str | None  # what the knowledge base says now (answer and sentence), if anything


def enabled() -> bool:
    """False when AUTOFILL_LEDGER is "off" (nothing is recorded; for benchmarks and trials)."""
    return os.environ.get("AUTOFILL_LEDGER", "").strip().lower() != "off"


def default_path() -> Path:
    """AUTOFILL_LEDGER, else ledger.sqlite in the user data folder."""
    override = os.environ.get("AUTOFILL_LEDGER")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("autofill")) / "ledger.sqlite"


def fingerprint(claim: Claim, answer: str | None) -> str:
    """A claim's content as an answer relied on it: its quote, the answer and the sentence."""
    text = "\x1f".join((claim.id, claim.citation.quote, answer or "", claim.answer_text))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def entries(outcomes: Iterable[Outcome], kb: KnowledgeBase) -> list[dict[str, str | None]]:
    """The answers written in a form, as ledger rows (plain data, so they can wait in a file)."""
    rows: list[dict[str, str | None]] = []
    for outcome in outcomes:
        if outcome.status != "answered":
            continue
        q = outcome.question
        where = q.location
        location = f"{where.sheet}!{where.cell}" if where.sheet else f"table {where.table} {where.cell}"
        claim = kb.claim(outcome.claim) if outcome.claim else None
        entry = None if claim is not None or not outcome.claim else _library_entry(kb, outcome.claim)
        kind = "claim" if claim is not None else "library" if entry is not None else "manual"
        if outcome.note == "manual":
            kind, claim, entry = "manual", None, None
        rows.append(
            {
                "location": location,
                "qid": q.qid,
                "question": q.text,
                "answer": outcome.answer,
                "value": outcome.value,
                "sentence": outcome.text,
                "source_kind": kind,
                "source_id": claim.id if claim else entry.id if entry else None,
                "source_ref": claim.citation.source if claim else entry.source if entry else outcome.provenance,
                "fingerprint": fingerprint(claim, outcome.answer) if claim else entry_print(entry) if entry else None,
            }
        )
    return rows


def entry_print(entry: LibraryEntry) -> str:
    """A library entry's content as an answer relied on it: question, answer and explanation."""
    text = "\x1f".join((entry.id, entry.question, entry.answer, entry.comment or ""))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _library_entry(kb: KnowledgeBase, entry_id: str) -> LibraryEntry | None:
    return next((e for e in kb.library if e.id == entry_id), None)


def record(
    *,
    customer: str | None,
    form: Path,
    output: Path,
    rows: Sequence[dict[str, str | None]],
    command: str,
    path: Path | None = None,
) -> str | None:
    """Record a written form; None when done, else a one-line reason (the entry waits to be retried)."""
    return record_entry(entry_for(customer=customer, form=form, output=output, rows=rows, command=command), path)


def entry_for(
    *, customer: str | None, form: Path, output: Path, rows: Sequence[dict[str, str | None]], command: str
) -> dict[str, object]:
    """A form's ledger entry as plain data: it can wait in a file (the drop folder records it on publishing)."""
    return {
        "customer": _storable((customer or "").strip()) or UNKNOWN,
        "name": _storable(form.name),
        "input_sha256": file_hash(form),
        "output": _storable(str(output.resolve())),
        "output_sha256": file_hash(output),
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "rows": list(rows),
    }


def record_entry(entry: dict[str, object], path: Path | None = None) -> str | None:
    """Record an entry made by entry_for; None when done, else a one-line reason (it waits to be retried)."""
    if path is None and not enabled():
        return None
    path = path or default_path()
    try:
        with _open(path) as db:
            _flush_pending(db, path)
            _insert(db, entry)
        return None
    except (sqlite3.Error, OSError, LedgerError) as error:
        kept = _keep_pending(path, entry)
        return f"the ledger {path} could not be written ({error}); {kept}"


def told(*, customer: str | None = None, since: str | None = None, path: Path | None = None) -> Iterator[Told]:
    """What was told, oldest form first; `since` is an ISO date."""
    path = path or default_path()
    if not path.exists():
        return
    query = """SELECT f.customer, f.name, f.written_at, a.location, a.qid, a.question, a.answer, a.value,
                      a.sentence, a.source_kind, a.source_id, a.fingerprint
               FROM answers a JOIN forms f ON f.id = a.form_id WHERE 1 = 1"""
    params: list[str] = []
    if customer:
        query += " AND f.customer = ? COLLATE NOCASE"
        params.append(customer)
    if since:
        query += " AND f.written_at >= ?"
        params.append(since)
    query += " ORDER BY f.written_at, f.id, a.id"
    with _open(path) as db:
        for row in db.execute(query, params):
            yield Told(*row)


def customers(*, path: Path | None = None) -> list[str]:
    """Every customer a form was recorded for (none when the ledger is off, missing or unreadable)."""
    if path is None and not enabled():
        return []
    path = path or default_path()
    if not path.exists():
        return []
    try:
        with _open(path) as db:
            return [
                str(row[0]) for row in db.execute("SELECT DISTINCT customer FROM forms WHERE customer != ?", (UNKNOWN,))
            ]
    except (sqlite3.Error, LedgerError):
        return []


def customer_of(output: Path, *, path: Path | None = None) -> str | None:
    """The customer the latest form written at `output` was recorded for, if any."""
    path = path or default_path()
    if not path.exists():
        return None
    try:
        with _open(path) as db:
            row = db.execute(
                "SELECT customer FROM forms WHERE output = ? ORDER BY written_at DESC, id DESC LIMIT 1",
                (str(output.resolve()),),
            ).fetchone()
    except (sqlite3.Error, LedgerError):
        return None
    return str(row[0]) if row else None


def changes(kb: KnowledgeBase, *, customer: str | None = None, path: Path | None = None) -> list[Change]:
    """Every recorded answer from a claim that the knowledge base no longer says the same way."""
    found: list[Change] = []
    newest = _newest_entries(kb)
    for item in told(customer=customer, path=path):
        if item.source_kind == "library" and item.source_id is not None:
            entry = _library_entry(kb, item.source_id)
            if entry is None:
                found.append(Change(item, "removed from the answer library", None))
            elif newest.get((entry.product, entry.key or entry.question), entry).id != entry.id:
                latest = newest[(entry.product, entry.key or entry.question)]
                found.append(Change(item, f"superseded by a newer answer ({latest.id})", _entry_said(latest)))
            elif entry_print(entry) != item.fingerprint:
                found.append(Change(item, "edited", _entry_said(entry)))
            continue
        if item.source_kind != "claim" or item.source_id is None:
            continue
        claim = kb.claim(item.source_id)
        if claim is None:
            found.append(Change(item, "removed from the knowledge base", None))
            continue
        if not claim.current:
            newer = kb.claim(claim.superseded_by or "")
            now = f"{_said(newer)} (claim '{newer.id}')" if newer is not None else None
            found.append(Change(item, f"superseded by '{claim.superseded_by}'", now))
            continue
        if fingerprint(claim, item.answer) != item.fingerprint:
            found.append(Change(item, "edited", _said(claim)))
    return found


def forget(customer: str, *, path: Path | None = None) -> int:
    """Delete everything recorded for a customer; the number of forms removed."""
    path = path or default_path()
    if not path.exists():
        return 0
    with _open(path) as db, db:
        ids = [r[0] for r in db.execute("SELECT id FROM forms WHERE customer = ? COLLATE NOCASE", (customer,))]
        db.executemany("DELETE FROM answers WHERE form_id = ?", [(i,) for i in ids])
        db.executemany("DELETE FROM forms WHERE id = ?", [(i,) for i in ids])
    pending = _pending_dir(path)
    if pending.is_dir():  # a waiting entry of that customer must not come back
        for file in pending.glob("*.json"):
            try:
                if json.loads(file.read_text(encoding="utf-8")).get("customer", "").lower() == customer.lower():
                    file.unlink()
            except (OSError, ValueError):
                continue
    return len(ids)


def _said(claim: Claim) -> str:
    return claim.answer_text


def _entry_said(entry: LibraryEntry) -> str:
    return f"{entry.answer}" + (f": {entry.comment}" if entry.comment else "")


def _newest_entries(kb: KnowledgeBase) -> dict[tuple[str | None, str], LibraryEntry]:
    """Each library question's newest entry for the product it was given for (the answer fill uses now)."""
    if not kb.library:
        return {}
    from autofill.library import current_entries

    return current_entries(kb)


def _open(path: Path) -> closing[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Switching a new database to WAL takes a lock SQLite does not wait for: several
            # processes opening a fresh ledger at once get "database is locked" here, so retry.
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            _migrate(db, path)
            return closing(db)
        except sqlite3.OperationalError as error:
            db.close()
            if _busy(error) and time.monotonic() < deadline:
                time.sleep(random.uniform(0.01, 0.05))
                continue
            if _busy(error):
                raise LedgerError(f"{path} stayed locked by another process ({error}); try again") from None
            raise LedgerError(f"{path} is not a ledger database ({error}); move it aside") from None
        except sqlite3.DatabaseError as error:
            db.close()
            raise LedgerError(f"{path} is not a ledger database ({error}); move it aside") from None


def _busy(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION, one version at a time, each in its own transaction."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise LedgerError(f"{path} was written by a newer autofill (schema {version}); upgrade autofill")
    while version < SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        try:
            # another process may have migrated while this one waited for the lock
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                for statement in _SCHEMA[version].split(";"):
                    if statement.strip():
                        db.execute(statement)
                version += 1
                db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _insert(db: sqlite3.Connection, entry: dict[str, object]) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        cursor = db.execute(
            """INSERT OR IGNORE INTO forms (customer, name, input_sha256, output, output_sha256, written_at, command)
               VALUES (:customer, :name, :input_sha256, :output, :output_sha256, :written_at, :command)""",
            entry,
        )
        if cursor.rowcount:  # not recorded before (a retry after a crash records nothing twice)
            form_id = cursor.lastrowid
            rows = entry["rows"]
            assert isinstance(rows, list)
            db.executemany(
                """INSERT INTO answers (form_id, location, qid, question, answer, value, sentence, source_kind,
                                        source_id, source_ref, fingerprint)
                   VALUES (:form_id, :location, :qid, :question, :answer, :value, :sentence, :source_kind,
                           :source_id, :source_ref, :fingerprint)""",
                [{**row, "form_id": form_id} for row in rows],
            )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _storable(text: str) -> str:
    """A name as the database can keep it: a file name that is not UTF-8 ("caf\xe9.xlsx" from a
    Latin-1 share) keeps its odd bytes as escapes instead of stopping the form's record."""
    text = os.fsencode(text).decode("utf-8", "backslashreplace")
    # a customer named 'Acme\x1b]0;owned\x07' (a sub-folder of the inbox) is listed, never obeyed
    return escaped(text)


def _pending_dir(path: Path) -> Path:
    return path.with_name(path.name + ".pending")


def _keep_pending(path: Path, entry: dict[str, object]) -> str:
    from autofill.atomic import write_bytes_atomic

    folder = _pending_dir(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # one file per recording: the same standard form filled alike for two customers is two entries
        target = folder / f"{entry['output_sha256']}-{uuid.uuid4().hex[:12]}.json"
        write_bytes_atomic(target, json.dumps(entry).encode("utf-8"))
        return f"the entry waits in {folder} and is recorded on the next run"
    except OSError as error:
        return f"and the entry could not be kept either ({error}): the form is written, its ledger entry is lost"


def _flush_pending(db: sqlite3.Connection, path: Path) -> None:
    folder = _pending_dir(path)
    if not folder.is_dir():
        return
    for file in sorted(folder.glob("*.json")):
        try:
            entry = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        _insert(db, entry)
        file.unlink(missing_ok=True)
