"""Plain data passed between the pipeline's stages: knowledge, form questions, outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Answer = Literal["Yes", "No", "N/A"]
ANSWERS: tuple[Answer, ...] = ("Yes", "No", "N/A")

Status = Literal["answered", "review", "unanswered", "kept"]

# Product keys a claim can apply to; "all" means every product.
PRODUCTS: dict[str, str] = {
    "all": "All products",
    "api": "API Platform",
    "chatgpt-enterprise": "ChatGPT Enterprise",
    "chatgpt-team": "ChatGPT Team",
    "chatgpt-business": "ChatGPT Business",
    "chatgpt-edu": "ChatGPT Edu",
    "chatgpt-teachers": "ChatGPT for Teachers",
    "chatgpt-healthcare": "ChatGPT for Healthcare",
    "consumer": "ChatGPT (consumer)",
}
# The plans of ChatGPT: a claim for every one of them is a claim about "ChatGPT".
PLANS = frozenset(key for key in PRODUCTS if key not in ("all", "api"))


# --- knowledge ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A cleaned source document the claims quote from."""

    id: str
    title: str
    url: str
    date: str | None  # ISO date (YYYY-MM-DD, YYYY-MM or YYYY); None when undated
    text: str
    path: Path
    order: int = 0  # recency rank when dates are missing or coarse: higher is newer


@dataclass(frozen=True)
class Citation:
    source: str
    title: str
    url: str
    date: str | None
    quote: str


@dataclass(frozen=True)
class Phrasing:
    """One way a questionnaire asks for a claim, with the answer that phrasing gets."""

    q: str
    answer: Answer


@dataclass(frozen=True)
class Claim:
    id: str
    answer_text: str
    products: tuple[str, ...]
    citation: Citation
    questions: tuple[Phrasing, ...]
    superseded_by: str | None = None
    topic: str | None = None
    path: Path | None = None

    @property
    def current(self) -> bool:
        return self.superseded_by is None

    def applies_to(self, product: str | None) -> bool:
        return product is None or "all" in self.products or product in self.products


@dataclass(frozen=True)
class LearnedAnswer:
    """A reviewer's decision recorded for reuse: a question answered by a claim, or rejected."""

    question: str
    claim: str
    answer: Answer | None
    decision: Literal["accept", "reject"]
    qid: str | None = None
    who: str | None = None
    when: str | None = None
    # the product of the answer column it was decided in, in a form with a column for each: it holds
    # for that product's cells only (round 90: a rejection for the Team cell held for the API's too)
    product: str | None = None


@dataclass(frozen=True)
class LibrarySource:
    """Where library entries come from: an imported questionnaire or reviewers' attestations.

    Internal sources never reach a customer's form: only their answers and explanations do.
    """

    id: str
    title: str
    date: str | None  # ISO date the answers were given; freshness counts from it
    kind: Literal["imported", "attestation"]
    visibility: Literal["internal", "public"] = "internal"
    file: str | None = None  # the imported file's original name
    sha256: str | None = None  # of the imported file
    path: Path | None = None  # the library YAML file
    extract: str = ""  # the imported rows' text, as read; entries must be verbatim in it


@dataclass(frozen=True)
class LibraryEntry:
    """A question answered before, kept as knowledge: its answer, explanation and side columns.

    `answer` is Yes, No or N/A, or free text for an open question. `side` holds the standard
    columns that travel with an answer (CAIQ v4 SSRM control ownership, ...), by name.
    """

    id: str  # opaque ("lib-3f2a91c0"): it may be shown in a customer's form
    source: str
    question: str
    answer: str
    qid: str | None = None
    comment: str | None = None
    side: tuple[tuple[str, str], ...] = ()
    where: str | None = None  # sheet and row in the imported file
    date: str | None = None  # when the answer was given (default: its source's date)
    who: str | None = None  # the reviewer, for attestations
    section: str | None = None  # the section it was asked under ("Backups": "Are they encrypted?")
    voice: str | None = None  # whom its form's "we" meant, where the form said so: "vendor" or "customer"
    product: str | None = None  # the product the answer was given for (PRODUCTS key), where the team said so
    line: int = 0  # line in the library file, for error messages
    key: str = ""  # text.question_key of the question, computed once at load (the disk cache keeps it)


@dataclass(frozen=True)
class KnowledgeBase:
    root: Path
    sources: dict[str, Source]
    claims: tuple[Claim, ...]
    learned: tuple[LearnedAnswer, ...] = ()
    library: tuple[LibraryEntry, ...] = ()
    library_sources: dict[str, LibrarySource] = field(default_factory=dict)

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    def current_claims(self, product: str | None = None) -> list[Claim]:
        return [c for c in self.claims if c.current and c.applies_to(product)]


# --- forms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """Where a question sits: a sheet row (xlsx) or a table row / paragraph (docx)."""

    row: int
    cell: str  # xlsx: the answer cell ("C12"); docx: "T1R5" or "P42"
    sheet: str | None = None
    table: int | None = None

    def as_dict(self) -> dict[str, str | int]:
        out: dict[str, str | int] = {}
        if self.sheet is not None:
            out["sheet"] = self.sheet
        if self.table is not None:
            out["table"] = self.table
        out["row"] = self.row
        out["cell"] = self.cell
        return out


@dataclass(frozen=True)
class FormQuestion:
    """A question row found in a form, and where its answer and comment go.

    `choices` is the answer cell's allowed list (from its data validation or checkbox
    columns), in the form's own spelling; None means free text. `mark_cells` maps each
    choice to the cell that gets a mark ("x") when answers are ticked rather than typed
    (CAIQ v3, verdict matrices). `existing` holds an answer already present, if any.
    """

    location: Location
    text: str
    qid: str | None = None
    answer_cell: str | None = None
    comment_cell: str | None = None
    choices: tuple[str, ...] | None = None
    mark_cells: tuple[tuple[str, str], ...] = ()
    mark: str = "x"  # what a ticked cell holds: the form's own mark where its cells' list says ("X", "✓")
    typed_boxes: str | None = None  # the answer cell's own boxes as text ("( ) Yes ( ) No"): one is ticked in it
    existing: str | None = None
    context: tuple[str, ...] = ()  # section title and neighbouring questions, for review
    comment_existing: str | None = None  # the customer's text already in the comment cell: kept, ours follows
    side_cells: tuple[tuple[str, str], ...] = ()  # side column name -> cell (CAIQ v4 "ownership" -> "D12")
    # What else says what the row is about, most specific first: its answer column's header
    # ("Response (ChatGPT Edu)", "Backups"; "" when none), lines above the header, the sheet's
    # title ("To be completed by Customer")
    scopes: tuple[str, ...] = ()
    # Whom the form's "we" / "our" means where the form says so ("'We' refers to the supplier"):
    # "vendor" (a self-assessment) or "customer"; None where it does not
    voice: str | None = None
    # The product its answer column is for, where a form has a column for each ("API | ChatGPT
    # Enterprise"): the row is decided as --product would decide it
    product: str | None = None

    @property
    def section(self) -> str | None:
        """The most specific section title (or scope cell) the question sits under."""
        return next((c for c in reversed(self.context) if c), None)


@dataclass(frozen=True)
class FormRead:
    """What a reader found in a form."""

    path: Path
    kind: str  # "xlsx" | "docx"
    questions: tuple[FormQuestion, ...]
    notes: tuple[str, ...] = ()  # what was skipped and why, e.g. "sheet 'Intro': no header"
    profile: str | None = None  # the layout profile that matched, if any
    customer: str | None = None  # the name the form defines for the company that wrote it ("Northwind")
    customer_aliases: tuple[str, ...] = ()  # the form's own words for it: "'the Company' means Harbourline ..."
    customer_things: tuple[str, ...] = ()  # terms it defines as its own systems: '"the Platform" means our intranet'


@dataclass(frozen=True)
class ReadOptions:
    """User overrides for question detection (column letters for xlsx)."""

    sheet: str | None = None
    question_col: str | None = None
    answer_col: str | None = None
    comment_col: str | None = None
    # the product the form is filled for (--product): of columns headed by a product each, its own
    product: str | None = None


# --- outcomes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A possible answer: a claim, or a library entry (`kind` "library", `claim` its entry id)."""

    claim: str
    answer: Answer
    confidence: float
    phrasing: str = ""
    kind: Literal["claim", "library"] = "claim"


@dataclass(frozen=True)
class Outcome:
    """What autofill decided for one question.

    For "answered", `value` is written to the answer cell (in the form's vocabulary) and
    `comment` to the comment cell. For "review", they hold the suggestion, not written.
    """

    question: FormQuestion
    status: Status
    answer: Answer | None = None
    value: str | None = None
    text: str | None = None
    comment: str | None = None
    confidence: float = 0.0
    claim: str | None = None
    citations: tuple[Citation, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    note: str | None = None
    side: tuple[tuple[str, str], ...] = ()  # cell -> value written beside the answer (SSRM columns)
    provenance: str | None = None  # internal: where a library answer came from; report only, never the form

    @property
    def offered(self) -> str:
        """A review row's suggestion in words, "Yes (claim-id)"; where nothing is suggested (a part of the row no
        claim settles), the first candidate a person may pick on purpose (the summary printed "None (None)")."""
        if self.claim:
            return f"{self.answer} ({self.claim})"
        first = self.candidates[0] if self.candidates else None
        return f"nothing suggested; candidate 1: {first.answer} ({first.claim})" if first else "nothing suggested"

    @property
    def value_is_text(self) -> bool:
        """Whether the value written is the claim's sentence itself (an open question's answer),
        which a citation beside it need not say again."""
        return bool(self.text) and (self.value or "").strip() == (self.text or "").strip()


@dataclass(frozen=True)
class FillReport:
    input: Path
    output: Path | None
    outcomes: tuple[Outcome, ...]
    notes: tuple[str, ...] = ()
    seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "questions": len(self.outcomes),
            "answered": self.count("answered"),
            "review": self.count("review"),
            "unanswered": self.count("unanswered"),
            "kept": self.count("kept"),
        }


@dataclass
class WriteStats:
    """What a writer did, for the fidelity check and the report."""

    cells_written: int = 0
    rows_highlighted: int = 0
    warnings: list[str] = field(default_factory=list)
