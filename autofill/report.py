"""The fill report as data (JSON, CSV) and as text for people (Rich tables)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from autofill.errors import AutofillError
from autofill.models import PRODUCTS, Citation, Claim, FillReport, KnowledgeBase, Location, Outcome
from autofill.safety import escaped


def citation_dict(citation: Citation) -> dict[str, Any]:
    return {
        "source": citation.source,
        "title": citation.title,
        "url": citation.url,
        "date": citation.date,
        "quote": citation.quote,
    }


def outcome_dict(outcome: Outcome) -> dict[str, Any]:
    question = outcome.question
    return {
        # (in a form with an answer column for each product, the column's product says which cell)
        "location": question.location.as_dict() | ({"product": question.product} if question.product else {}),
        "id": question.qid,
        "question": question.text,
        "status": outcome.status,
        "answer": outcome.answer,
        # what went into the answer cell: "Yes", a list's "Compliant", or for an open row the sentence, whose
        # "answer" is the claim's Yes (a script reading only "answer" took "Yes" for written, session 20)
        "written": outcome.value if outcome.status == "answered" else None,
        # what "accept" would write for a row left for review (None: nothing is suggested); round 117 read the
        # claim's "answer" Yes as the suggestion of a Word row whose suggestion is the sentence
        "suggested": outcome.value if outcome.status == "review" else None,
        "text": outcome.text,
        "confidence": outcome.confidence,
        "claim": outcome.claim,
        "citations": [citation_dict(c) for c in outcome.citations],
        "candidates": [{"claim": c.claim, "answer": c.answer, "confidence": c.confidence} for c in outcome.candidates],
        "note": outcome.note,
        **({"side": dict(outcome.side)} if outcome.side else {}),
        **({"provenance": outcome.provenance} if outcome.provenance else {}),
    }


def report_dict(report: FillReport) -> dict[str, Any]:
    """The report in the documented JSON shape."""
    return {
        "input": str(report.input),
        "output": str(report.output) if report.output else None,
        "summary": report.summary,
        "notes": list(report.notes),
        "questions": [outcome_dict(o) for o in report.outcomes],
    }


CSV_COLUMNS = (
    "sheet",
    "table",
    "row",
    "cell",
    "id",
    "question",
    "status",
    "answer",
    "written",
    "suggested",
    "text",
    "confidence",
    "claim",
)
CSV_EXTRA = ("citation", "candidates", "note", "provenance")


def report_csv(report: FillReport) -> str:
    """One CSV row per question; citations and candidates folded into one cell each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS + CSV_EXTRA)
    for outcome in report.outcomes:
        row = outcome_dict(outcome)
        location = row.pop("location")
        writer.writerow(
            [csv_safe(location.get(k)) for k in ("sheet", "table", "row", "cell")]
            + [csv_safe(row[k]) for k in CSV_COLUMNS[4:]]
            + [
                csv_safe(" | ".join(f'{c.title}, {c.url}: "{c.quote}"' for c in outcome.citations)),
                csv_safe(" | ".join(f"{c.claim}: {c.answer} ({c.confidence:g})" for c in outcome.candidates)),
                csv_safe(outcome.note),
                csv_safe(outcome.provenance),
            ]
        )
    return buffer.getvalue()


def csv_safe(value: Any) -> Any:
    # No cell may become a formula when the CSV is opened: a sheet name or question starting with "=",
    # or a tab or carriage return before it, which spreadsheet programs skip.
    if isinstance(value, str) and value.lstrip("\t\r\n ")[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def check_report_path(path: Path) -> None:
    """Raise, before anything is filled, when a report cannot be written at `path`."""
    import os

    if path.suffix.lower() not in (".json", ".csv"):
        raise AutofillError(f"--report {path.name}: use a .json or .csv file name")
    folder = path.parent
    if path.is_dir():
        raise AutofillError(f"--report {path}: is a folder; give a file name ending in .json or .csv")
    if not folder.is_dir():
        raise AutofillError(f"--report {path}: the folder {folder} does not exist; create it or choose another path")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise AutofillError(f"--report {path}: cannot be written there (permission denied); choose another path")


def write_report(report: FillReport, path: Path) -> None:
    """Write the report as JSON or CSV, chosen by the file's extension, atomically."""
    from autofill.atomic import write_bytes_atomic

    check_report_path(path)
    if path.suffix.lower() == ".json":
        data = json.dumps(report_dict(report), indent=2, ensure_ascii=False).encode("utf-8")
    else:
        data = report_csv(report).encode("utf-8-sig")  # the BOM makes Excel read UTF-8
    try:
        write_bytes_atomic(path, data)
    except OSError as error:  # a disk that filled up since the check
        written = f"; the form was written to {report.output}" if report.output else ""
        raise AutofillError(f"--report {path}: could not be written ({error.strerror or error}){written}") from None


_STATUS_STYLE = {"answered": "green", "review": "yellow", "unanswered": "dim", "kept": "cyan"}


def render_report(report: FillReport, console: Console, *, rows: int = 15) -> None:
    """A short summary: counts, the first rows for review, and where the output went."""
    summary = report.summary
    title = f"{report.input.name}: {summary['questions']} questions in {report.seconds:.1f} s"
    console.print(f"[bold]{escape(title)}[/bold]", highlight=False)
    table = Table()
    for status in ("answered", "review", "unanswered", "kept"):
        table.add_column(status, justify="right", style=_STATUS_STYLE[status])
    table.add_row(*(str(summary[s]) for s in ("answered", "review", "unanswered", "kept")))
    console.print(table)
    review = [o for o in report.outcomes if o.status == "review"]
    if review:
        # Two lines a row, not a table: a narrow terminal folds table cells into unreadable stubs.
        console.print("[bold] For review (nothing written)[/bold]")
        for outcome in review[:rows]:
            where = where_text(outcome.question.location, outcome.question.product)
            # a terminal's whole width less the location (70 at least, as ever); piped output is never cut
            width = max(console.width - len(where) - 3, 70) if console.is_terminal else None
            console.print(f" [cyan]{escape(where)}[/cyan]  {escape(_short(outcome.question.text, width))}")
            why = outcome.note or "confidence below the auto threshold"
            suggestion = f"[yellow]{escape(outcome.offered)}[/yellow]  {outcome.confidence:.1f}"
            console.print(f"   {suggestion}  [dim]{escape(why)}[/dim]", highlight=False)
        if len(review) > rows:
            console.print(f" and {len(review) - rows} more: see the report or the 'Autofill review' sheet")
    for note in report.notes:
        console.print(f"[dim]note: {note}[/dim]", highlight=False)
    if report.output is not None:
        console.print(f"Wrote {report.output}", highlight=False)


def where_text(location: Location, product: str | None = None) -> str:
    """Where a question sits, for people: "Sheet!C12", "table 3, row 9" or "paragraph 42", and the
    product of its answer column in a table with one for each ("table 3, row 9 (API Platform)")."""
    if location.sheet is not None:
        return f"{location.sheet}!{location.cell}"
    column = f" ({PRODUCTS.get(product, product)})" if product else ""
    if location.table is not None:
        return f"table {location.table}, row {location.row}{column}"
    return f"paragraph {location.row}{column}"


def _short(text: str, width: int | None) -> str:
    """`text` on one line, cut to `width` characters (not cut when `width` is None); a form's control
    characters shown as escapes, never sent to the terminal (round 26: ESC[2J cleared the screen)."""
    text = escaped(" ".join(text.split()))
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def progress_bar(console: Console, *, minimum: int = 500) -> Callable[[int, int], None]:
    """A progress callback that shows a bar on `console` for forms of `minimum` questions or more."""
    from rich.progress import Progress

    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if total < minimum or not console.is_terminal:
            return
        if "bar" not in state:
            state["bar"] = Progress(console=console, transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task("Matching questions", total=total)
        state["bar"].update(state["task"], completed=done)
        if done >= total:
            state["bar"].stop()

    return update


# --- claims --------------------------------------------------------------------------------


def claim_dict(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "topic": claim.topic,
        "answer_text": claim.answer_text,
        "products": list(claim.products),
        "superseded_by": claim.superseded_by,
        "questions": [{"q": p.q, "answer": p.answer} for p in claim.questions],
        "citation": citation_dict(claim.citation),
    }


def render_claims(claims: Iterable[Claim], console: Console) -> None:
    table = Table(title="Claims")
    for column in ("id", "products", "answer", "source"):
        table.add_column(column, overflow="fold")
    for claim in claims:
        state = "" if claim.current else f" [dim](superseded by {claim.superseded_by})[/dim]"
        table.add_row(
            claim.id + state,
            ", ".join(claim.products),
            _short(claim.answer_text, 80),
            f"{claim.citation.source} ({claim.citation.date or 'undated'})",
        )
    console.print(table)


def library_dicts(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """The library's entries with their sources, as listed by `knowledge list --library --json`."""
    from autofill.library import Library, current_entries

    library = Library(kb)
    current = {entry.id for entry in current_entries(kb).values()}
    return [
        {
            "id": entry.id,
            "source": entry.source,
            "date": library.entry_date(entry),
            "qid": entry.qid,
            "question": entry.question,
            "answer": entry.answer,
            "comment": entry.comment,
            "side": dict(entry.side),
            "who": entry.who,
            "current": entry.id in current,
            "stale": library.is_stale(entry),
        }
        for entry in kb.library
    ]


def render_library(kb: KnowledgeBase, console: Console) -> None:
    table = Table(title=f"Answer library: {len(kb.library)} entries from {len(kb.library_sources)} sources")
    for column in ("id", "qid", "question", "answer", "source", "date"):
        table.add_column(column, overflow="fold")
    for item in library_dicts(kb):
        state = "" if item["current"] else " [dim](superseded)[/dim]"
        state += " [yellow](stale)[/yellow]" if item["stale"] else ""
        table.add_row(
            item["id"] + state,
            item["qid"] or "",
            _short(item["question"], 70),
            _short(item["answer"], 30),
            item["source"],
            item["date"] or "undated",
        )
    console.print(table)


def render_claim(claim: Claim, console: Console) -> None:
    console.print(f"[bold]{claim.id}[/bold]  ({claim.topic or 'no topic'})", highlight=False)
    if not claim.current:
        console.print(f"[yellow]superseded by {claim.superseded_by}: never used for an answer[/yellow]")
    console.print(f"Products: {', '.join(PRODUCTS.get(p, p) for p in claim.products)}", highlight=False)
    console.print(f"Answer: {claim.answer_text}", highlight=False)
    c = claim.citation
    console.print(f'Source: {c.title} ({c.date or "undated"}), {c.url}\n  "{c.quote}"', highlight=False)
    table = Table(title="Question phrasings")
    table.add_column("question", overflow="fold")
    table.add_column("answer")
    for phrasing in claim.questions:
        table.add_row(phrasing.q, phrasing.answer)
    console.print(table)


def render_evaluation(results: dict[str, Any], console: Console, *, show_wrong: bool = False) -> bool:
    """Per-file and overall evaluation table; returns whether the accuracy bar is met."""
    from autofill.evaluate import Tally, passes

    table = Table(title="Evaluation on labelled questions")
    for column in ("file", "labelled", "correct", "wrong", "review", "missed", "not covered: left", "unfound"):
        table.add_column(column, justify="right" if column != "file" else "left")
    total = Tally()
    for name, tally in sorted(results.items()):
        total.add(tally)
        table.add_row(name, *_tally_cells(tally))
    table.add_row("[bold]overall[/bold]", *_tally_cells(total))
    console.print(table)
    console.print(
        f"covered questions answered correctly: {_share(total.correct, total.covered)}; "
        f"uncovered left for a person: {_share(total.left, total.uncovered)}; wrong answers written: {total.wrong}",
        highlight=False,
    )
    console.print(
        f"suggestions: right claim and answer first for {_share(total.first, total.covered)}, "
        f"in the first three for {_share(total.top3, total.covered)}; "
        f"uncovered highlighted for review: {_share(total.uncovered_review, total.uncovered)}",
        highlight=False,
    )
    if show_wrong or total.wrong:
        for row in total.wrong_rows:
            console.print(f"[red]wrong:[/red] {row}", highlight=False)
    ok = passes(total)
    console.print("[green]bar met[/green]" if ok else "[red]bar not met[/red]")
    return ok


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%} ({part}/{whole})" if whole else "none labelled"


def _tally_cells(tally: Any) -> list[str]:
    return [
        str(tally.covered + tally.uncovered),
        str(tally.correct),
        str(tally.wrong),
        str(tally.review),
        str(tally.missed),
        f"{tally.left}/{tally.uncovered}",
        str(tally.unfound),
    ]
