"""The command line: each command parses, calls one core function, renders, maps errors."""

import json
import os
import sys
import warnings
from enum import IntEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from autofill.errors import AutofillError

if TYPE_CHECKING:
    from rich.console import Console


def _piped(stream: Any) -> bool:
    return stream is None or not stream.isatty()


# Piped or redirected output is read by programs and pasted by people: no hard wrap at 80 columns,
# which split paths and suggested commands.
@cache
def _console(stderr: bool = False) -> "Console":
    """The console of stdout (or stderr), made when first printed to: `--help` does not import rich."""
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=_piped(sys.stderr if stderr else sys.stdout))


app = typer.Typer(
    help="Answer security questionnaires (xlsx, docx) from a knowledge base of cited claims.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: typer's rich help imports a Markdown parser (0.1 s a run)
)
knowledge_app = typer.Typer(
    help="Inspect, validate and extend the knowledge base.", no_args_is_help=True, rich_markup_mode=None
)


def _show_version(value: bool) -> None:
    if value:
        from autofill import __version__

        _console().print(f"autofill {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Answer security questionnaires (xlsx, docx) from a knowledge base of cited claims."""


app.add_typer(knowledge_app, name="knowledge")
ledger_app = typer.Typer(
    help="What was told to which customer, and which of it the knowledge base no longer says.",
    invoke_without_command=True,
)
app.add_typer(ledger_app, name="ledger")


class ExitCode(IntEnum):
    OK = 0
    USAGE = 2  # bad arguments (typer) or any AutofillError
    UNANSWERED = 3  # --strict and some questions left for a person
    CHECK_FAILED = 4  # knowledge check or evaluation found problems


ExistingFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, show_default=False)]
KbOption = Annotated[
    Path | None,
    typer.Option("--kb", help="Knowledge base folder (default: the shipped one).", file_okay=False, exists=True),
]
MaxAgeOption = Annotated[
    int, typer.Option("--max-age", min=0, help="Days a library answer stays fresh; older ones go to review.")
]
CustomerOption = Annotated[
    str | None,
    typer.Option("--customer", help="Who the form goes to, recorded in the ledger (default: unknown)."),
]
ProductOption = Annotated[
    str | None,
    typer.Option("--product", help="Only use claims for this product: api, chatgpt-enterprise, chatgpt-team, ..."),
]


def main() -> None:
    """Entry point: run the app, turning user errors into one red line and exit code 2."""
    _tolerant_streams()
    # openpyxl only ever reads here (nothing is saved through it): what it would drop on a save
    # ("Data Validation extension is not supported") is no news to a user
    warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
    try:
        app()
    except AutofillError as error:
        _fail(str(error), ExitCode.USAGE)
    except KeyboardInterrupt:
        _console(stderr=True).print("[red]Interrupted.[/red] Nothing was written.")
        sys.exit(130)
    except OSError as error:
        # a folder that is read-only or gone, a full disk, a locale that cannot spell a name: the
        # system's own words, where, and what to do; the input is never written to
        where = f" ({error.filename})" if getattr(error, "filename", None) else ""
        what = error.strerror or str(error) or type(error).__name__
        _fail(f"{what}{where}; check the path, its permissions and free disk space, then try again", ExitCode.USAGE)
    except Exception as error:  # a defect: one line in the terminal, the traceback on request
        if os.environ.get("AUTOFILL_DEBUG"):
            raise
        if type(error).__name__ in ("ParseError", "XMLSyntaxError", "BadZipFile"):
            # a part of the file another program wrote that no XML reader accepts: bad input, not a defect
            damaged = (
                f"the file is damaged ({str(error)[:120]}); open it in Excel or Word, save it again, and try again"
            )
            _fail(damaged, ExitCode.USAGE)
        _fail(
            f"unexpected {type(error).__name__}: {str(error)[:200]}. Your input was not changed; run again with "
            "AUTOFILL_DEBUG=1 to see the traceback, and please report it",
            1,
        )


def _fail(message: str, code: int) -> NoReturn:
    """One red line on stderr, the message as written (never read as markup), and the exit code."""
    from rich.markup import escape

    _console(stderr=True).print(f"[red]Error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(code)


def _tolerant_streams() -> None:
    """Let a console that cannot show a character (cp1252, ASCII, a redirect on Windows) show '?' instead."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _product(product: str | None) -> str | None:
    from autofill.models import PRODUCTS

    if product is not None and product not in PRODUCTS:
        raise AutofillError(f"unknown product {product!r}; use one of: {', '.join(PRODUCTS)}")
    return None if product == "all" else product


# --- fill --------------------------------------------------------------------------------


@app.command()
def fill(
    form: ExistingFile,
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Output file (default: NAME.filled.EXT).")] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the report as JSON (.json) or CSV (.csv).")
    ] = None,
    kb: KbOption = None,
    product: ProductOption = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace answers already in the form.")] = False,
    auto_threshold: Annotated[
        float | None, typer.Option("--auto-threshold", min=0, max=100, help="Confidence needed to write an answer.")
    ] = None,
    review_threshold: Annotated[
        float | None, typer.Option("--review-threshold", min=0, max=100, help="Confidence needed to flag for review.")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Only this sheet (xlsx).")] = None,
    question_col: Annotated[str | None, typer.Option("--question-col", help="Column letter of questions.")] = None,
    answer_col: Annotated[str | None, typer.Option("--answer-col", help="Column letter of answers.")] = None,
    comment_col: Annotated[str | None, typer.Option("--comment-col", help="Column letter of comments.")] = None,
    citations: Annotated[
        str, typer.Option("--citations", help="docx: 'auto' (comments cell or after the answer) or 'comments'.")
    ] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON instead of a table.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 3 when any question is left for a person.")] = False,
    customer: CustomerOption = None,
    max_age: MaxAgeOption = 365,
) -> None:
    """Fill FORM with cited answers from the knowledge base; unsure rows are flagged for review.

    Example: autofill fill vendor.xlsx -o vendor.filled.xlsx --report vendor.json
    """
    from autofill.fill import FillOptions, fill_form
    from autofill.knowledge import load_knowledge
    from autofill.models import ReadOptions
    from autofill.report import check_report_path, render_report, report_dict, write_report

    if citations not in ("auto", "comments"):
        raise AutofillError(f"--citations must be 'auto' or 'comments', not {citations!r}")
    if report is not None:
        check_report_path(report)  # before filling: a report that cannot be written leaves nothing behind
    options = FillOptions(
        product=_product(product),
        overwrite=overwrite,
        read=ReadOptions(sheet=sheet, question_col=question_col, answer_col=answer_col, comment_col=comment_col),
        citations=citations,
        customer=customer,
        max_age_days=max_age,
    )
    options = options.with_thresholds(auto=auto_threshold, review=review_threshold)  # the pair is checked together
    result = fill_form(form, load_knowledge(kb), out=out, options=options, progress=_progress())
    if report is not None:
        write_report(result, report)
    if as_json:
        print(json.dumps(report_dict(result), indent=2, ensure_ascii=False))
    else:
        render_report(result, _console())
        from autofill.ledger import enabled

        recorded = enabled() and not any(note.startswith("the ledger ") for note in result.notes)
        if customer is None and recorded and result.count("answered"):
            _console().print(
                "Recorded in the ledger for customer 'unknown'; name who the form goes to with --customer NAME.",
                highlight=False,
                soft_wrap=True,
            )
    if strict and (result.count("review") or result.count("unanswered")):
        raise typer.Exit(ExitCode.UNANSWERED)


def _progress() -> Any:
    """A progress callback drawing a bar on stderr for large forms."""
    from autofill.report import progress_bar

    return progress_bar(_console(stderr=True))


# --- knowledge ---------------------------------------------------------------------------


@knowledge_app.command("check")
def knowledge_check(kb: KbOption = None) -> None:
    """Validate the knowledge base: schema, ids, verbatim quotes, phrasing conflicts, supersession.

    Example: autofill knowledge check --kb ./our-knowledge
    """
    from autofill.knowledge import check_knowledge
    from autofill.library import library_conflicts, stale_entries

    base, problems = check_knowledge(kb)
    problems += [f"conflict: {line}" for line in library_conflicts(base)]
    for line in stale_entries(base):
        _console(stderr=True).print(f"[yellow]Stale:[/yellow] {line}", highlight=False, soft_wrap=True)
    for problem in problems:
        _console(stderr=True).print(f"[red]Error:[/red] {problem}", highlight=False, soft_wrap=True)
    if problems:
        _console(stderr=True).print(f"{len(problems)} problem(s) in {base.root}")
        raise typer.Exit(ExitCode.CHECK_FAILED)
    current = sum(1 for c in base.claims if c.current)
    phrasings = sum(len(c.questions) for c in base.claims)
    _console().print(
        f"OK: {len(base.claims)} claims ({current} current), {phrasings} phrasings, "
        f"{len(base.sources)} sources, {len(base.learned)} learned answers, "
        f"{len(base.library)} library entries in {base.root}",
        soft_wrap=True,
    )
    from autofill import ledger

    try:
        stale = len(ledger.changes(base)) if ledger.enabled() and ledger.default_path().exists() else 0
    except AutofillError as error:  # a broken ledger does not make the knowledge base invalid
        _console(stderr=True).print(f"Warning: {error}", highlight=False, markup=False, soft_wrap=True)
        stale = 0
    if stale:
        _console().print(
            f"{stale} recorded answer(s) told to customers no longer match the knowledge base: "
            "run 'autofill ledger changes'",
            soft_wrap=True,
        )


@knowledge_app.command("list")
def knowledge_list(
    kb: KbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array, one object per claim.")] = False,
    product: ProductOption = None,
    library: Annotated[bool, typer.Option("--library", help="List the answer library's entries instead.")] = False,
) -> None:
    """List the claims (current and superseded) with their citations, or the answer library.

    Example: autofill knowledge list --json > claims.json
    """
    from autofill.knowledge import load_knowledge
    from autofill.report import claim_dict, library_dicts, render_claims, render_library

    base = load_knowledge(kb)
    if library:
        if as_json:
            print(json.dumps(library_dicts(base), indent=2, ensure_ascii=False))
        else:
            render_library(base, _console())
        return
    wanted = _product(product)
    claims = [c for c in base.claims if c.applies_to(wanted)]
    if as_json:
        print(json.dumps([claim_dict(c) for c in claims], indent=2, ensure_ascii=False))
    else:
        render_claims(claims, _console())


@knowledge_app.command("show")
def knowledge_show(claim_id: Annotated[str, typer.Argument(help="The claim's id.")], kb: KbOption = None) -> None:
    """Show one claim: its answer, products, citation and question phrasings.

    Example: autofill knowledge show encryption-at-rest
    """
    from autofill.knowledge import load_knowledge
    from autofill.report import render_claim

    base = load_knowledge(kb)
    claim = base.claim(claim_id)
    if claim is None:
        raise AutofillError(f"no claim '{claim_id}'; run 'autofill knowledge list' to see the ids")
    render_claim(claim, _console())


@knowledge_app.command("ingest")
def knowledge_ingest(
    raw: ExistingFile,
    source_id: Annotated[str, typer.Option("--id", help="Source id, e.g. security-2025.")],
    title: Annotated[str, typer.Option("--title", help="The page's title.")],
    url: Annotated[str, typer.Option("--url", help="The page's address.")],
    date: Annotated[str | None, typer.Option("--date", help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    order: Annotated[
        int | None, typer.Option("--order", help="Recency rank (higher is newer; default: after the newest).")
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help="Phrase where the page's content begins.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Phrase where the page's content ends.")] = None,
    kb: KbOption = None,
) -> None:
    """Clean a raw text or HTML page into a citable source in the knowledge base.

    Example: autofill knowledge ingest page.html --id sec-2025 --title Security --url https://x/sec --date 2025-03-01
    """
    from autofill.ingest import ingest, source_yaml
    from autofill.knowledge import default_kb_dir, load_knowledge

    if kb is None or kb.resolve() == default_kb_dir().resolve():
        # the shipped base lives inside the installed package: replaced on upgrade, often read-only
        raise AutofillError(
            "knowledge ingest needs your own knowledge base: pass --kb FOLDER, or create one first with "
            "'autofill knowledge init ./our-knowledge'"
        )
    root = kb
    if order is None:
        order = 1 + max((s.order for s in load_knowledge(root).sources.values()), default=0)
    source = ingest(raw, source_id=source_id, title=title, url=url, date=date, order=order, start=start, end=end)
    target = root / "sources" / f"{source_id}.yaml"
    from autofill.atomic import write_bytes_atomic

    write_bytes_atomic(target, source_yaml(source).encode("utf-8"))
    _console().print(f"Wrote {target} ({len(source.text.splitlines())} lines). Cite it as source '{source_id}'.")


@knowledge_app.command("init")
def knowledge_init(
    target: Annotated[Path, typer.Argument(help="New folder for your own knowledge base.")],
    empty: Annotated[bool, typer.Option("--empty", help="Start with no claims (an answer library only).")] = False,
) -> None:
    """Copy the shipped knowledge base into TARGET as the start of your company's own.

    Example: autofill knowledge init ./our-knowledge
    """
    import shlex

    from autofill.knowledge import init_knowledge

    init_knowledge(target, empty=empty)
    kb = shlex.quote(str(target))
    _console().print(
        f"Created {target}. Use it with --kb {kb}; check it with 'autofill knowledge check --kb {kb}'.",
        highlight=False,
        markup=False,
    )


@knowledge_app.command("import")
def knowledge_import(
    filled: ExistingFile,
    kb: KbOption = None,
    date: Annotated[
        str | None, typer.Option("--date", help="When the answers were given, YYYY-MM-DD (default: the file's date).")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="A title for the source (default: the file name).")
    ] = None,
    product: Annotated[
        str | None,
        typer.Option("--product", help="The product the answers were given for: api, chatgpt-enterprise, ..."),
    ] = None,
) -> None:
    """Import a questionnaire you already completed into the answer library (internal knowledge).

    Example: autofill knowledge import caiq-2025-acme.xlsx --kb ./our-knowledge --date 2025-11-02
    """
    from autofill.importing import import_questionnaire
    from autofill.knowledge import learned_file
    from autofill.models import PRODUCTS

    # beside the learned file: in the --kb folder, or for the read-only shipped base the user's data folder
    result = import_questionnaire(filled, learned_file(kb).parent, date=date, title=title, product=_product(product))
    if result.unchanged:
        _console().print(f"{filled.name} was imported before (source '{result.source_id}'); nothing changed.")
        return
    _console().print(f"Date of the answers: {result.date} (from {result.date_from}).", soft_wrap=True)
    for sheet, count in result.sheets.items():
        skipped = [f"{count.unanswered} unanswered"] + ([f"{count.dates} dates"] if count.dates else [])
        if count.unsure:
            skipped.append(f"{count.unsure} not answers to reuse (a question, or Yes and No)")
        if count.published:
            skipped.append(f"{count.published} answered by autofill from published pages (the claims answer them)")
        _console().print(f"  {sheet}: kept {count.kept}, skipped {', '.join(skipped)}", soft_wrap=True)
    _console().print(f"Wrote {result.entries} entries to {result.path}.", soft_wrap=True)
    for key, given in sorted(result.products.items()):
        if key and not product:
            _console().print(f"  {given} given for {PRODUCTS[key]}, as the form names it", soft_wrap=True)
    unnamed = result.products.get("", 0)
    if unnamed and not product:
        _console().print(
            f"  {unnamed} name no product: they answer for every product. If they were given for one, "
            f"delete {result.path} and the .txt beside it, and import again with --product.",
            soft_wrap=True,
        )


# --- evaluate ------------------------------------------------------------------------------


@app.command()
def evaluate(
    labels: Annotated[
        Path | None, typer.Option("--labels", help="Labels file (default: eval/labels.yaml in the repository).")
    ] = None,
    questionnaires: Annotated[
        Path | None,
        typer.Option(
            "--questionnaires", help="Folder of the labelled files (default: $AUTOFILL_SHARED/questionnaires)."
        ),
    ] = None,
    kb: KbOption = None,
    product: ProductOption = None,
    auto_threshold: Annotated[float | None, typer.Option("--auto-threshold", min=0, max=100)] = None,
    review_threshold: Annotated[float | None, typer.Option("--review-threshold", min=0, max=100)] = None,
    show_wrong: Annotated[bool, typer.Option("--show-wrong", help="List every wrong answer.")] = False,
) -> None:
    """Measure answers on labelled real questionnaires: correct, wrong, review, missed.

    Example: autofill evaluate --questionnaires ../shared/questionnaires
    """
    from autofill.evaluate import default_labels, default_questionnaires, load_labels
    from autofill.evaluate import evaluate as run
    from autofill.fill import FillOptions
    from autofill.knowledge import load_own_knowledge
    from autofill.report import render_evaluation

    # Filled files are evaluated as if blank: every labelled row is decided.
    options = FillOptions(overwrite=True, product=product).with_thresholds(auto=auto_threshold, review=review_threshold)
    results = run(
        load_labels(labels or default_labels()),
        questionnaires or default_questionnaires(),
        load_own_knowledge(kb),  # a reviewer's learned answers must not move the figures
        options,
    )
    passed = render_evaluation(results, _console(), show_wrong=show_wrong)
    if not passed:
        raise typer.Exit(ExitCode.CHECK_FAILED)


# --- batch folder --------------------------------------------------------------------------

InboxArgument = Annotated[
    Path,
    typer.Argument(file_okay=False, help="Folder forms are dropped into (created if missing).", show_default=False),
]
OutboxOption = Annotated[
    Path | None,
    typer.Option(
        "--out", file_okay=False, help="Folder for filled forms, reports and the log (default: INBOX/filled)."
    ),
]
JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Forms filled at once (default: number of CPU cores).")
]
SettleOption = Annotated[
    float, typer.Option("--settle", min=0, help="Seconds a dropped file must stay unchanged before it is taken.")
]
TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", min=0, help="Seconds one form may take before it is stopped and failed (0: no limit)."),
]
GraceOption = Annotated[
    float,
    typer.Option(
        "--grace",
        min=0,
        help="Seconds a form file that is not yet complete (a copy that paused) must stay unchanged before it is "
        "failed as broken.",
    ),
]


def _folder_settings(
    inbox: Path,
    out: Path | None,
    kb: Path | None,
    product: str | None,
    jobs: int | None,
    settle: float,
    timeout: float,
    grace: float,
    customer: str | None = None,
    max_age: int = 365,
    **extra: Any,
) -> Any:
    from autofill.fill import FillOptions
    from autofill.watch import FolderSettings

    options = FillOptions(product=_product(product), customer=customer, max_age_days=max_age)
    return FolderSettings(
        inbox=inbox,
        outbox=out,
        kb=kb,
        options=options,
        jobs=jobs or 0,
        settle=settle,
        timeout=timeout,
        grace=grace,
        **extra,
    )


@app.command()
def batch(
    inbox: InboxArgument,
    out: OutboxOption = None,
    kb: KbOption = None,
    product: ProductOption = None,
    jobs: JobsOption = None,
    settle: SettleOption = 2.0,
    timeout: TimeoutOption = 600.0,
    grace: GraceOption = 120.0,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 3 when a form failed or a question was left for a person.")
    ] = False,
    customer: CustomerOption = None,
    max_age: MaxAgeOption = 365,
) -> None:
    """Fill every form in INBOX once, then exit; results go to INBOX/filled, inputs to processed/ or failed/.

    Example: autofill batch ./questionnaires --jobs 4
    """
    from autofill.watch import run_folder

    settings = _folder_settings(
        inbox, out, kb, product, jobs, settle, timeout, grace, customer=customer, max_age=max_age
    )
    result = run_folder(settings, once=True, console=_console(), err_console=_console(stderr=True))
    failed = f", {result.failed} failed (reasons in {result.layout.failed})" if result.failed else ""
    arriving = f", {result.arriving} still arriving (left in the inbox)" if result.arriving else ""
    _console().print(
        f"{result.filled} form(s) filled into {result.layout.outbox}{failed}{arriving}.",
        highlight=False,
        soft_wrap=True,
    )
    if result.deferred:
        raise AutofillError(
            f"{result.deferred} form(s) could not be written (the disk or a folder failed, see above) and stay in "
            f"{result.layout.inbox}; fix that, then run again"
        )
    if strict and (result.failed or result.flagged):
        raise typer.Exit(ExitCode.UNANSWERED)


@app.command()
def watch(
    inbox: InboxArgument,
    out: OutboxOption = None,
    kb: KbOption = None,
    product: ProductOption = None,
    jobs: JobsOption = None,
    settle: SettleOption = 2.0,
    timeout: TimeoutOption = 600.0,
    grace: GraceOption = 120.0,
    poll: Annotated[
        bool, typer.Option("--poll", help="Poll instead of waiting for change events (network and synced drives).")
    ] = False,
    rescan: Annotated[
        float,
        typer.Option("--rescan", min=0.1, help="Seconds between checks for jobs left by a stopped or killed watcher."),
    ] = 30.0,
    customer: CustomerOption = None,
    max_age: MaxAgeOption = 365,
) -> None:
    """Keep filling forms as they are dropped into INBOX, until Ctrl-C; safe to kill and restart.

    Example: autofill watch ~/Shared/Questionnaires --poll
    """
    from autofill.watch import run_folder

    settings = _folder_settings(
        inbox,
        out,
        kb,
        product,
        jobs,
        settle,
        timeout,
        grace,
        customer=customer,
        max_age=max_age,
        poll=poll,
        rescan=rescan,
    )
    _console(stderr=True).print(
        f"Watching {settings.inbox} (Ctrl-C to stop): filled forms go to {settings.outbox or 'INBOX/filled'}.",
        highlight=False,
        soft_wrap=True,
    )
    result = run_folder(settings, once=False, console=_console(), err_console=_console(stderr=True))
    _console().print(
        f"Stopped: {result.filled} form(s) filled, {result.failed} failed.", highlight=False, soft_wrap=True
    )


# --- review --------------------------------------------------------------------------------

WhoOption = Annotated[
    str | None, typer.Option("--who", help="Reviewer recorded with each decision (default: your login name).")
]


@app.command()
def review(
    form: ExistingFile,
    kb: KbOption = None,
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            exists=True,
            dir_okay=False,
            help="CSV with columns sheet, table, row, decision (accept, reject, candidate:N, answer:Yes|No|N/A, "
            "or text:... for a row that asks for words): apply them without prompts.",
        ),
    ] = None,
    who: WhoOption = None,
    product: ProductOption = None,
    every: Annotated[
        bool,
        typer.Option("--all", help="Also the blank rows the fill left unflagged: answer the rest of the form here."),
    ] = False,
) -> None:
    """Go through the rows a fill left for review; accepted matches are learned by the knowledge base.

    FORM is the filled .xlsx or .docx (or the fill's --report .json). Decisions are saved as they are
    made in FORM.review.json: quit with q and run the same command to resume. Use the same --kb as the fill.

    Example: autofill review vendor.filled.xlsx --kb ./our-knowledge
    """
    from autofill.review import ApplyResult, apply_csv
    from autofill.review_tui import render_applied, run_review

    result: ApplyResult | None
    if decisions is not None:
        result = apply_csv(form, decisions, kb_root=kb, product=_product(product), who=who, every=every)
        render_applied(result, _console())
    else:  # the terminal review reports each write as it makes it
        run_review(form, kb_root=kb, product=_product(product), who=who, console=_console(), every=every)


@app.command("apply")
def apply_review(form: ExistingFile, kb: KbOption = None, who: WhoOption = None, product: ProductOption = None) -> None:
    """Write the decisions typed in the 'Autofill review' sheet (Decision column) into the questionnaire.

    A decision is accept, candidate 2, candidate 3, reject, or an answer (Yes, No, N/A) with an optional
    note after it ("No - not offered"). Written rows are marked done; accepted matches are learned.

    Example: autofill apply vendor.filled.xlsx --kb ./our-knowledge
    """
    from autofill.review import apply_workbook
    from autofill.review_tui import render_applied

    render_applied(apply_workbook(form, kb_root=kb, product=_product(product), who=who), _console())


@app.command()
def finalize(
    form: ExistingFile,
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Output file (default: NAME.final.EXT).")] = None,
) -> None:
    """Make the copy to send to the customer: FORM without the review sheet and review highlights.

    FORM is the filled .xlsx or .docx (or the fill's --report .json); it is not changed. Answers and
    every cell of the customer's own stay as they are; rows still flagged for review are left blank.

    Example: autofill finalize vendor.filled.xlsx
    """
    from autofill.final import final_copy

    result = final_copy(form, out)
    removed = f"; removed the sheet '{', '.join(result.sheets_removed)}'" if result.sheets_removed else ""
    if not result.sheets_removed and not result.rows_unmarked:
        # (round 97: a blank form given by mistake was "finalized" without a word)
        removed = f" (an unchanged copy: {result.form.name} had no review sheet or review marks to take off)"
    _console().print(f"Wrote {result.output}{removed}", highlight=False)
    if result.rows_rejected:
        _console().print(f"{result.rows_rejected} row(s) whose suggestion was rejected go out blank", highlight=False)
    if (flagged := result.rows_unmarked - result.rows_rejected) > 0:
        _console().print(
            f"{flagged} row(s) were still flagged for review and go out as they stand, unanswered "
            f"by this review (review them first: autofill review {result.form.name})",
            highlight=False,
        )


# --- the ledger ----------------------------------------------------------------------------------


@ledger_app.callback()
def ledger_list(
    ctx: typer.Context,
    customer: Annotated[str | None, typer.Option("--customer", help="Only this customer.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only forms written on or after this date.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """List what was told to each customer, form by form (every answer written by fill, batch, watch, review).

    Example: autofill ledger --customer Acme --since 2026-01-01
    """
    if ctx.invoked_subcommand is not None:
        return
    from autofill import ledger

    rows = list(ledger.told(customer=customer, since=_iso_date(since)))
    if as_json or as_csv:
        _print_rows([_told_dict(t) for t in rows], as_csv=as_csv)
        return
    if not rows:
        where = ledger.default_path() if ledger.enabled() else "the ledger (AUTOFILL_LEDGER=off: nothing is recorded)"
        _console().print(f"Nothing recorded{f' for {customer}' if customer else ''} in {where}")
        return
    for t in rows:
        said = t.value if t.value == t.answer or not t.answer else f"{t.answer} ({t.value})"
        source = t.source_id or "typed by hand"
        _console().print(
            f"{t.written_at[:10]}  {t.customer}  {t.form}  {t.location}  {t.question}  -> {said}  [{source}]",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


@ledger_app.command("changes")
def ledger_changes(
    kb: KbOption = None,
    customer: Annotated[str | None, typer.Option("--customer", help="Only this customer.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every recorded answer whose source has changed since: who was told what, and what holds now.

    Example: autofill ledger changes --kb ./our-knowledge
    """
    from autofill import ledger
    from autofill.knowledge import load_knowledge

    found = ledger.changes(load_knowledge(kb), customer=customer)
    if as_json:
        _print_rows([{**_told_dict(c.told), "why": c.why, "now": c.now} for c in found], as_csv=False)
        return
    if not found:
        _console().print("No recorded answer's source has changed.")
        return
    for c in found:
        t = c.told
        _console().print(
            f"{t.customer}  {t.form} ({t.written_at[:10]})  {t.location}  {t.question}\n"
            f"  told: {t.answer}: {t.sentence}  [{t.source_id}]\n  now: {c.why}" + (f": {c.now}" if c.now else ""),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    customers = sorted({c.told.customer for c in found})
    _console().print(f"{len(found)} answer(s) to {len(customers)} customer(s) to review: {', '.join(customers)}")


@ledger_app.command("forget")
def ledger_forget(
    customer: Annotated[str, typer.Option("--customer", help="The customer to forget.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete everything the ledger holds for a customer (a data-retention request).

    Example: autofill ledger forget --customer Acme
    """
    from autofill import ledger

    if not yes:
        try:
            sure = typer.confirm(f"Delete every recorded form and answer of {customer!r}?", default=False)
        except (typer.Abort, EOFError):
            sure = False
        if not sure:
            raise AutofillError(f"nothing deleted for {customer!r}; answer y, or pass --yes to delete without asking")
    removed = ledger.forget(customer)
    _console().print(f"Forgot {removed} form(s) of {customer}.", highlight=False, markup=False)


def _iso_date(text: str | None) -> str | None:
    if text is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise AutofillError(f"--since {text!r} is not a date; write it as YYYY-MM-DD") from None


def _told_dict(t: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(t)


def _print_rows(rows: list[dict[str, Any]], *, as_csv: bool) -> None:
    if not as_csv:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    import csv

    from autofill.report import csv_safe

    fields = list(rows[0]) if rows else ["customer", "form", "written_at", "location", "question", "answer"]
    writer = csv.DictWriter(sys.stdout, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_safe(str(v)) if v is not None else "" for k, v in row.items()})
