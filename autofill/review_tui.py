"""The terminal review: one row at a time, keys read as plain input lines, decisions saved as made."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.rule import Rule
from rich.table import Table

from autofill.errors import AutofillError
from autofill.knowledge import learned_file, load_knowledge
from autofill.library import attested_file
from autofill.models import Answer, Candidate
from autofill.report import where_text
from autofill.review import (
    ApplyResult,
    Decision,
    ReviewForm,
    ReviewItem,
    accept_writes,
    apply_decisions,
    choose_claim,
    default_who,
    load_review,
    load_session,
    parse_decision,
    save_session,
    search_claims,
    session_path,
)

Ask = Callable[[str], str]

KEYS = (
    "a accept the suggestion · 1-5 pick a candidate · y / n / na [note] answer by hand · text: … a free-text "
    "answer (open questions) · /words search the "
    "knowledge base · r reject the suggestion · s skip · b back · u undo · w write now · q quit (resume later) · ? help"
)
_HAND: dict[str, Answer] = {"y": "Yes", "yes": "Yes", "n": "No", "no": "No", "na": "N/A", "n/a": "N/A"}


def run_review(
    form: Path,
    *,
    kb_root: Path | None,
    product: str | None,
    who: str | None,
    console: Console,
    ask: Ask = input,
    every: bool = False,
) -> ApplyResult | None:
    """Review the waiting rows of `form` interactively; return what was written, None when nothing was."""
    review = load_review(form, load_knowledge(kb_root), product=product, every=every)
    loop = _Loop(review, learned_file(kb_root), who or default_who(), console, ask)
    return loop.run()


class _Loop:
    def __init__(self, review: ReviewForm, learned: Path, who: str, console: Console, ask: Ask) -> None:
        self.review, self.learned, self.who, self.console, self.ask = review, learned, who, console, ask
        self.decisions = load_session(review)
        self.position = 0
        self.results: list[ApplyResult] = []

    @property
    def decided(self) -> dict[str, Decision]:
        return {d.key: d for d in self.decisions}

    def run(self) -> ApplyResult | None:
        items = self.review.items
        if not items:
            self.console.print(f"Nothing to review in {self.review.path.name}: no row is waiting.", highlight=False)
            return None
        resumed = f"; resuming with {len(self.decisions)} decided" if self.decisions else ""
        self.console.print(
            f"{len(items)} rows to review in {self.review.path.name}{resumed}. Type ? for the keys.", highlight=False
        )
        shown = None
        while True:
            item = self._next()
            if item is None:
                break
            if item.key != shown:  # help, a search or an error keeps the same row on screen
                self._show(item)
                shown = item.key
            try:
                line = self.ask("> ")
            except (EOFError, KeyboardInterrupt):
                self._quit()
                return self._result()
            action = self._handle(item, line.strip())
            if action == "quit":
                self._quit()
                return self._result()
        if self.decisions:
            self._write()
        left = len(self.review.items)
        if left:
            self.console.print(f"{left} row(s) still wait for a person (skipped or rejected).", highlight=False)
        return self._result()

    def _next(self) -> ReviewItem | None:
        items, decided = self.review.items, self.decided
        while self.position < len(items) and items[self.position].key in decided:
            self.position += 1
        return items[self.position] if self.position < len(items) else None

    def _handle(self, item: ReviewItem, line: str) -> str | None:
        command, _, rest = line.partition(" ")
        command = command.lower()
        try:
            if not line or command in ("?", "h", "help"):
                self.console.print(escape(KEYS), highlight=False)
            elif command in ("q", "quit"):
                return "quit"
            elif command in ("s", "skip"):
                self.position += 1
            elif command in ("b", "back"):
                self.position = max(0, self._previous_open())
            elif command in ("u", "undo"):
                self._undo()
            elif command in ("w", "write"):
                self._write()
            elif command in ("a", "accept", "r", "reject"):
                self._decide(parse_decision(item, "accept" if command.startswith("a") else "reject", who=self.who))
            elif command.isdigit():
                self._decide(parse_decision(item, f"candidate {command}", who=self.who))
            elif command in _HAND:
                note = rest.strip() or self.ask("Note for the form (why; Enter for none): ").strip()
                self._decide(parse_decision(item, f"{_HAND[command]} {note}", who=self.who))
            elif line.startswith("/"):
                self._search(item, line[1:].strip())
            elif line.lower().startswith("text:"):
                self._decide(parse_decision(item, line, who=self.who))
            else:
                self.console.print(f"Unknown key {line!r}; type ? for the keys.", highlight=False)
        except AutofillError as error:
            self.console.print(f"[red]{escape(str(error))}[/red]")
        return None

    def _decide(self, decision: Decision | None) -> None:
        if decision is None:
            return
        self.decisions.append(decision)
        save_session(self.review, self.decisions)  # a quit or a crash from here on loses nothing
        self.console.print(f"[green]✓ {escape(decision.label)}[/green] (saved)")

    def _undo(self) -> None:
        if not self.decisions:
            self.console.print("Nothing to undo.")
            return
        last = self.decisions.pop()
        self.console.print(f"Undid {escape(last.label)} of row {self._number(last.key)}.", highlight=False)
        save_session(self.review, self.decisions)
        keys = [item.key for item in self.review.items]
        self.position = keys.index(last.key) if last.key in keys else self.position

    def _number(self, key: str) -> int:
        keys = [item.key for item in self.review.items]
        return keys.index(key) + 1 if key in keys else 0

    def _previous_open(self) -> int:
        decided = self.decided
        for index in range(self.position - 1, -1, -1):
            if self.review.items[index].key not in decided:
                return index
        return self.position

    def _search(self, item: ReviewItem, words: str) -> None:
        if not words:
            self.console.print("Type / and some words, e.g. /encryption at rest")
            return
        claims = search_claims(self.review.kb, words, product=self.review.product)
        if not claims:
            self.console.print(f"No claim matches {words!r}.", highlight=False)
            return
        table = Table(show_header=True, header_style="bold")
        for column in ("#", "claim", "answer text", "source passage"):
            table.add_column(column, overflow="fold")
        for number, claim in enumerate(claims, start=1):
            table.add_row(str(number), claim.id, escape(claim.answer_text), escape(_passage(claim.citation.quote)))
        self.console.print(table)
        picked = self.ask("Pick a claim by number, optionally with the answer ('2 No'); Enter to cancel: ").split()
        if not picked:
            return
        if not picked[0].isdigit() or not 1 <= int(picked[0]) <= len(claims):
            self.console.print(f"No claim {picked[0]!r} in the list.", highlight=False)
            return
        answer = _HAND.get(picked[1].lower()) if len(picked) > 1 else None
        claim = claims[int(picked[0]) - 1]
        self._decide(choose_claim(item, self.review.kb, claim.id, who=self.who, answer=answer))

    def _write(self) -> None:
        if not self.decisions:
            self.console.print("No decisions to write yet.")
            return
        current = self.review.items[self.position].key if self.position < len(self.review.items) else None
        result = apply_decisions(self.review, self.decisions, learned_path=self.learned)
        self.results.append(result)
        render_applied(result, self.console)
        # the form is the record now: written rows are no longer waiting
        self.review = load_review(
            self.review.path, load_knowledge(self.review.kb.root), product=self.review.product, every=self.review.every
        )
        self.decisions = []
        save_session(self.review, self.decisions)
        keys = [item.key for item in self.review.items]
        self.position = keys.index(current) if current in keys else len(keys)

    def _quit(self) -> None:
        if self.decisions:
            self.console.print(
                f"Saved {len(self.decisions)} decision(s) in {session_path(self.review.path).name}; nothing written "
                "to the form yet. Run the same command to resume.",
                highlight=False,
            )

    def _result(self) -> ApplyResult | None:
        if not self.results:
            return None
        last = self.results[-1]
        if len(self.results) == 1:
            return last
        return ApplyResult(
            last.path,
            tuple(d for r in self.results for d in r.written),
            tuple(d for r in self.results for d in r.rejected),
            sum(r.learned for r in self.results),
            last.learned_file,
            last.pending,
            tuple(w for r in self.results for w in r.warnings),
            sum(r.attested for r in self.results),
        )

    def _show(self, item: ReviewItem) -> None:
        q, console = item.question, self.console
        where = where_text(q.location, q.product)
        number = self.review.items.index(item) + 1
        title = f"{number}/{len(self.review.items)} · {where}" + (f" · {q.qid}" if q.qid else "")
        console.print(Rule(escape(title), align="left"))
        if q.context:
            console.print(f"[dim]{escape(q.context[0])}[/dim]")
        width = max(console.width - 12, 40)  # the terminal's width, less the "  before: " label
        if item.before:
            console.print(f"[dim]  before: {escape(_short(item.before, width))}[/dim]")
        console.print(f"[bold]▶ {escape(q.text)}[/bold]")
        if item.after:
            console.print(f"[dim]  after:  {escape(_short(item.after, width))}[/dim]")
        console.print(f"[yellow]Why: {escape(item.note or 'confidence below the auto threshold')}[/yellow]")
        table = Table(show_header=True, header_style="bold", expand=False)
        for column in ("key", "answer", "conf.", "claim", "source passage"):
            table.add_column(column, overflow="fold")
        shown = list(item.candidates)
        for number, candidate in enumerate(shown, start=1):
            table.add_row(*self._cells(item, candidate, str(number)))
        if item.suggestion is not None and all(c.claim != item.suggestion.claim for c in shown):
            table.add_row(*self._cells(item, item.suggestion, "a"))
        if shown or item.suggestion:
            console.print(table)
        else:
            console.print("No candidate: search with /words, or answer by hand (y, n, na).")
        if item.suggestion is not None:
            writes = accept_writes(self.review.kb, item)
            said = item.suggestion.answer if writes in (None, item.suggestion.answer) else f"{writes[:160]!r}"
            console.print(
                f"Suggestion (a): [bold]{escape(said)}[/bold] from {escape(item.suggestion.claim)}"
                + ("" if writes is not None else " [red](accept writes nothing here)[/red]"),
                highlight=False,
            )

    def _cells(self, item: ReviewItem, candidate: Candidate, key: str) -> tuple[str, ...]:
        claim = self.review.kb.claim(candidate.claim)
        mark = " ★" if item.suggestion is not None and candidate.claim == item.suggestion.claim else ""
        flags = " [red](rejected before)[/red]" if candidate.claim in item.rejected else ""
        if claim is not None and not claim.current:
            flags += f" [red](superseded by {escape(claim.superseded_by or '')})[/red]"
        passage = ""
        if claim is not None:
            c = claim.citation
            passage = f'"{escape(_passage(c.quote))}" — {escape(c.title)}' + (f", {c.date}" if c.date else "")
        return (key + mark, candidate.answer, f"{candidate.confidence:.0f}", escape(candidate.claim) + flags, passage)


def render_applied(result: ApplyResult, console: Console) -> None:
    """One paragraph on what applying decisions wrote, rejected and learned."""
    manual = sum(1 for d in result.written if d.kind == "manual")
    cited = len(result.written) - manual
    parts = [f"Wrote {len(result.written)} answer(s) into {result.path.name} ({cited} cited, {manual} by hand)"]
    if result.rejected:
        parts.append(f"{len(result.rejected)} suggestion(s) rejected")
    if result.learned_file is not None and (result.learned or not result.attested):
        parts.append(f"{result.learned} new decision(s) learned in {result.learned_file}")
    if result.learned_file is not None and result.attested:
        kept = attested_file(result.learned_file)
        parts.append(f"{result.attested} typed answer(s) kept in {kept}")
    console.print("; ".join(parts) + ".", highlight=False, soft_wrap=True)
    if manual:
        console.print(
            "Answers typed by hand are kept in the answer library as your attestation (library/attested.yaml), "
            "not as a cited claim.",
            soft_wrap=True,
        )
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}", soft_wrap=True)


def _passage(quote: str, width: int = 160) -> str:
    return quote if len(quote) <= width else quote[: width - 1] + "…"


def _short(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
