"""Write outcomes into a Word form in the form's own styles, and prove the output kept the rest."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from docx.document import Document
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.oxml.text.run import CT_R
from docx.text.run import Run
from lxml import etree

from autofill.atomic import write_atomic
from autofill.choices import match_choice
from autofill.errors import FidelityError, FormError
from autofill.forms.docx_xml import (
    FIELD_LABEL,
    W14_CHECKBOX,
    W14_CHECKED,
    W14_VAL,
    W_BR,
    W_CHECKED,
    W_CR,
    W_DDLIST,
    W_DEFAULT,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_SDT,
    W_SDTCONTENT,
    W_SDTPR,
    W_SHOWING_PLACEHOLDER,
    W_T,
    W_TAB,
    W_TC,
    W_TCPR,
    W_TR,
    W_TXBX,
    W_VAL,
    BodyIndex,
    Box,
    Element,
    LegacyField,
    cell_paragraphs,
    children,
    clean,
    holds_box,
    index_body,
    is_placeholder,
    labelled_blank,
    legacy_field,
    number,
    open_document,
    paragraph_style,
    paragraph_text,
    scan_boxes,
)
from autofill.forms.shared_cells import together
from autofill.models import Citation, FormQuestion, Outcome, WriteStats
from autofill.safety import safe_text

REVIEW_FILL = "FFD8A8"  # light amber, as in the workbook writer (forms shade answer cells in yellows)
CITATION_SIZE = "16"  # half-points: 8 pt
CITATION_COLOR = "808080"
MARK = "X"
AUTHOR, INITIALS = "autofill", "AF"

_PREFIXES = {uri: prefix for prefix, uri in nsmap.items()}
_XML_SPACE = qn("xml:space")
_REF = re.compile(r"^(?:T(\d+)R(\d+)C(\d+)|P(\d+))(?:K(\d+))?$")
_W_INS, _W_DEL, _W_HYPERLINK = qn("w:ins"), qn("w:del"), qn("w:hyperlink")
_TEXT_PARTS = {W_RPR, W_T, W_TAB, W_BR, W_CR, qn("w:lastRenderedPageBreak"), qn("w:noBreakHyphen")}
_TRACKED = {qn(f"w:{tag}") for tag in ("ins", "del", "moveFrom", "moveTo", "rPrChange")}
# schema order of the children we add, so Word accepts the result
_RPR_ORDER = tuple(
    qn(f"w:{tag}")
    for tag in (
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
        "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
        "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
    ).split()
)
_PPR_ORDER = tuple(
    qn(f"w:{tag}")
    for tag in (
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr "
        "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN "
        "bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
        "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ).split()
)
_TCPR_ORDER = tuple(
    qn(f"w:{tag}")
    for tag in (
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign "
        "hideMark headers cellIns cellDel cellMerge tcPrChange"
    ).split()
)
# --- values ------------------------------------------------------------------------------


def answer_text(question: FormQuestion, outcome: Outcome) -> str | None:
    """The text written into a typed answer space: a choice in the form's spelling when it has some."""
    if question.choices:
        choice = match_choice(question.choices, outcome.value, outcome.answer, graded=True)
        if choice:
            return safe_text(choice)
    raw = outcome.value or outcome.text or outcome.answer
    return safe_text(raw) if raw else None


def note_text(outcome: Outcome) -> str | None:
    """The comment, or the citations when there is no comment; only the sources when the answer
    written is the claim's sentence itself (an open question: round 47 found it said twice)."""
    if outcome.citations and outcome.value_is_text:
        return safe_text("; ".join(_cite(c) for c in outcome.citations))
    if outcome.comment:
        return safe_text(outcome.comment)
    if outcome.citations:
        return safe_text("; ".join(_cite(c) for c in outcome.citations))
    return None


def _cite(citation: Citation) -> str:
    parts = [citation.title or citation.source, citation.date or "", citation.url]
    return "Source: " + ", ".join(p for p in parts if p)


# --- locating targets --------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a reference points: the paragraphs that take text, the cell, and the box if any."""

    paragraphs: tuple[Element, ...]
    tc: Element | None
    box: Box | None


class Locator:
    """Resolve "T3R5C2", "P41" and "…K1" references against one opened document."""

    def __init__(self, doc: Document, body: BodyIndex | None = None) -> None:
        self.body: BodyIndex = body or index_body(doc.element.body)
        self._rows: dict[int, list[list[Element]]] = {}

    def row(self, table: int, row: int) -> list[Element]:
        if table not in self._rows:
            tbl = self.body.tables[table]
            self._rows[table] = [list(children(tr, W_TC)) for tr in children(tbl, W_TR)]
        return self._rows[table][row]

    def find(self, ref: str | None, *, box: bool = True) -> Target | None:
        """The target of `ref`; with `box=False` a "…K1" reference gives its cell or paragraph only."""
        match = _REF.match(ref or "")
        if match is None:
            return None
        t, r, c, p, k = (int(g) if g is not None else None for g in match.groups())
        try:
            if p is not None:
                paragraphs: tuple[Element, ...] = (self.body.paragraphs[p],)
                tc = None
            else:
                assert t is not None and r is not None and c is not None
                tc = self.row(t, r)[c]
                paragraphs = tuple(cell_paragraphs(tc))
            found = scan_boxes(paragraphs).boxes[k] if k is not None and box else None
        except IndexError:
            return None
        return Target(paragraphs, tc, found) if paragraphs else None


# --- writing -----------------------------------------------------------------------------


def write_answers(src: Path, dst: Path, outcomes: Sequence[Outcome], *, citations: str = "auto") -> WriteStats:
    """Write answered outcomes into a copy of `src` at `dst`; highlight review rows; `src` is untouched.

    `citations`: "auto" puts the comment/citation in the comments cell, or after the answer in
    small grey type (beside a tick mark with no comments cell, a Word comment on the mark: the
    question's cell is the customer's); "comments" attaches it as a Word comment on the answer.
    """
    if citations not in ("auto", "comments"):
        raise ValueError(f"citations must be 'auto' or 'comments', not {citations!r}")
    if Path(dst).resolve() == Path(src).resolve() or (Path(dst).exists() and Path(dst).samefile(src)):
        raise FormError(dst, "is the input form; write the filled copy to another file (e.g. form.filled.docx)")
    doc = open_document(src)
    writer = _Writer(doc, citations)
    for outcome in outcomes:
        if outcome.status == "answered":
            writer.answer(outcome)
        elif outcome.status == "review":
            writer.review(outcome.question)
    write_atomic(Path(dst), doc.save)
    return writer.stats


def write_decisions(src: Path, dst: Path, outcomes: Sequence[Outcome]) -> WriteStats:
    """Write reviewed "answered" outcomes into an already-filled copy and take their review highlight off."""
    if Path(dst).resolve() == Path(src).resolve():
        raise FormError(dst, "is the filled form itself; write to another file and replace it")
    doc = open_document(src)
    writer = _Writer(doc, "auto")
    for outcome in outcomes:
        writer.answer(outcome)
        writer.unreview(outcome.question)
    write_atomic(Path(dst), doc.save)
    return writer.stats


def final_copy(src: Path, dst: Path) -> int:
    """Write `dst`: the filled document `src` (checked by the caller: safety.check_package) with
    every review mark taken off (the copy that goes to the customer), however its questions read
    now; return how many places were marked."""
    if Path(dst).resolve() == Path(src).resolve():
        raise FormError(dst, "is the filled form itself; write the copy to send to another file")
    doc = open_document(src, check=False)
    marked = unmark_all(doc)
    write_atomic(Path(dst), doc.save)
    return marked


def verify_unmarked(src: Path, dst: Path) -> None:
    """`dst` holds what `src` does, every paragraph's text and every other part, and no review mark."""
    before, after = open_document(src, check=False), open_document(dst, check=False)
    a, b = index_body(before.element.body), index_body(after.element.body)
    problems = _structure_problems(before, after, a, b)
    old = [paragraph_text(p) for p in before.element.body.iter(W_P)]
    new = [paragraph_text(p) for p in after.element.body.iter(W_P)]
    if not problems and old != new:
        at = next((i for i, (x, y) in enumerate(zip(old, new, strict=False)) if x != y), min(len(old), len(new)))
        problems.append(f"paragraph {at} ('{clean(old[at] if at < len(old) else '')[:40]}') changed")
    if any(_ours(shd) for shd in after.element.body.iter(_SHD)):
        problems.append("a review mark is left")
    if problems:
        raise FidelityError(dst, f"the copy to send does not match the filled form: {problems[0]}; do not send it")


def review_marked(path: Path, questions: Sequence[FormQuestion]) -> list[bool]:
    """For each question, whether the filled document at `path` still shows it highlighted for review."""
    locate = Locator(open_document(path))
    return [any(_marked(target) for target in _review_targets(locate, q)) for q in questions]


def _review_targets(locate: Locator, question: FormQuestion) -> list[Target]:
    refs = [question.answer_cell, *(ref for _, ref in question.mark_cells)]
    targets = [t for t in map(locate.find, refs) if t is not None]
    if question.location.table is None and question.location.row < len(locate.body.paragraphs):
        targets.append(Target((locate.body.paragraphs[question.location.row],), None, None))
    return targets


def _marked(target: Target) -> bool:
    """Whether the place shows the review mark. A customer's own highlight is never ours."""
    return bool(_our_marks(target))


def _our_marks(target: Target) -> list[Element]:
    """The review marks of a place: the amber shading of its paragraphs (or, as copies filled
    before marked them, of its cell)."""
    marks = [target.tc.find(f"{W_TCPR}/{_SHD}")] if target.tc is not None else []
    marks += [p.find(f"{W_PPR}/{_SHD}") for p in target.paragraphs]
    return [mark for mark in marks if mark is not None and _ours(mark)]


_SHD = qn("w:shd")


def _ours(shd: Element | None) -> bool:
    return shd is not None and (shd.get(qn("w:fill")) or "").upper() == REVIEW_FILL


def _unmark(shd: Element) -> None:
    """Take the review fill off: the paragraph's or cell's own fill back (`_shade` kept it), or none."""
    parent = shd.getparent()
    own = shd.get(qn("w:color"), "auto")
    if own != "auto":
        shd.set(qn("w:fill"), own)  # the fill `_shade` kept in the unused pattern colour
        shd.set(qn("w:color"), "auto")
    elif parent is not None:
        parent.remove(shd)
        holder = parent.getparent()
        if len(parent) == 0 and not parent.attrib and holder is not None:
            holder.remove(parent)  # the paragraph properties `_shade` had to add: nothing else in them


def unmark_all(doc: Document) -> int:
    """Take every review mark off the document (the copy that goes to the customer); how many rows
    were marked: a table row once, a question paragraph with its answer line below it once (round 82
    counted 15 for 13 rows)."""
    marks = [shd for shd in doc.element.body.iter(_SHD) if _ours(shd)]
    owners: list[Element] = []
    for shd in marks:
        above = list(shd.iterancestors())
        owner = next((a for a in above if a.tag == W_TR), None)
        owner = owner if owner is not None else next((a for a in above if a.tag == W_P), None)
        if owner is not None and owner not in owners:
            owners.append(owner)
    for shd in marks:
        _unmark(shd)
    marked = set(owners)
    # a paragraph right after another marked paragraph is the same row's answer line
    return len([o for o in owners if not (o.tag == W_P and _marked_paragraph(o.getprevious(), marked))])


def _marked_paragraph(element: Element | None, marked: set[Element]) -> bool:
    return element is not None and element.tag == W_P and element in marked


class _Writer:
    def __init__(self, doc: Document, citations: str) -> None:
        self.doc = doc
        self.locate = Locator(doc)
        self.citations = citations
        self.stats = WriteStats()
        # comment cells written so far: what was said there, and the run that says it
        self.shared: dict[str, tuple[list[tuple[str, str]], Element]] = {}

    def warn(self, question: FormQuestion, problem: str) -> None:
        self.stats.warnings.append(f"{question.location.cell} '{question.text[:60]}': {problem}")

    def answer(self, outcome: Outcome) -> None:
        q = outcome.question
        anchor: list[Element] = []  # first and last run the citation comment hangs on
        home: Element | None = None  # the paragraph a citation follows when there is no comments cell
        blank: Element | None = None  # a labelled blank line under the boxes in their cell, where it goes instead
        if q.mark_cells:
            choice = match_choice([c for c, _ in q.mark_cells], outcome.value, outcome.answer, graded=True)
            if choice is None:
                self.warn(q, f"'{outcome.value or outcome.answer}' is not one of {[c for c, _ in q.mark_cells]}")
                return
            target = self.locate.find(dict(q.mark_cells)[choice])
            if target is None:
                self.warn(q, "its tick box is no longer in the form")
                return
            if target.box is not None:
                tick(target.box)
                anchor = _paragraph_runs(target.box.paragraph)
                home = target.box.paragraph
                # "( ) Yes ( ) No" over "Vendor comments: ____" in one cell: the line takes the sentence (round 107)
                after = target.paragraphs[target.paragraphs.index(home) + 1 :] if home in target.paragraphs else ()
                blank = next((p for p in after if labelled_blank(paragraph_text(p))), None)
            else:
                # a mark column is too narrow for a citation, and the question cell is the
                # customer's (round 47 found the citation appended to its text): without a
                # comments cell it hangs on the mark as a Word comment
                anchor = [write_text(target.paragraphs, MARK)]
        else:
            text = answer_text(q, outcome)
            target = self.locate.find(q.answer_cell)
            if text is None or target is None:
                self.warn(q, "no answer text" if text is None else "its answer space is no longer in the form")
                return
            anchor = [write_text(target.paragraphs, text)]
            home = next(anchor[0].iterancestors(W_P), None)
        self.stats.cells_written += 1
        note = note_text(outcome)
        if not note:
            return
        comment_target = self.locate.find(q.comment_cell)
        if self.citations == "comments" or (comment_target is None and home is None):
            runs = [Run(cast(CT_R, r), self.doc) for r in (anchor[0], anchor[-1])]
            self.doc.add_comment(runs, text=note, author=AUTHOR, initials=INITIALS)
        elif comment_target is not None and q.comment_cell in self.shared:
            # the row's other answer column (one a product) wrote there: both said in the one cell
            said, run = self.shared[q.comment_cell]
            said.append((q.scopes[0] if q.scopes else "", note))
            _retext(run, together(said))
        elif comment_target is not None:
            there = "\n".join(map(paragraph_text, comment_target.paragraphs))
            # (an answer line, "Response: ____", keeps its label: write_text writes after it)
            if is_placeholder(there) or labelled_blank(there):
                run = write_text(comment_target.paragraphs, note)
            else:  # keep what the customer wrote there and add ours below it
                last = comment_target.paragraphs[-1]
                # (a product's column decided in review after another's was filled: which one it is)
                labelled = f"{q.scopes[0]}: {note}" if q.product and q.scopes and q.scopes[0] else note
                run = _make_run(labelled, _template_rpr(last, _text_runs(last)), line_break=True)
                last.append(run)
            if q.comment_cell and run.tag == W_R:
                self.shared[q.comment_cell] = ([(q.scopes[0] if q.scopes else "", note)], run)
            self.stats.cells_written += 1
        elif blank is not None:
            write_text([blank], note)
        elif home is not None:
            home.append(_citation_run(note, _template_rpr(home, _text_runs(home))))

    def review(self, question: FormQuestion) -> None:
        # the amber shading goes on the place's paragraphs, never on the customer's cell shading
        # (a theme colour or a pattern would not come back) nor on its highlights (its own yellow)
        for target in _review_targets(self.locate, question):
            for p in target.paragraphs:
                shade_paragraph(p)
        self.stats.rows_highlighted += 1

    def unreview(self, question: FormQuestion) -> None:
        """Take off the marks `review` put on (and the cell shading of copies filled before)."""
        for target in _review_targets(self.locate, question):
            for mark in _our_marks(target):
                _unmark(mark)


# --- XML edits ---------------------------------------------------------------------------

W_DDRESULT = qn("w:result")


def write_text(paragraphs: Sequence[Element], text: str) -> Element:
    """Replace the text of an answer space with `text`, keeping its formatting; return the new run.

    An answer label ("Response:") stays, and a placeholder content control becomes a filled one.
    """
    first = paragraphs[0]
    field = next((f for p in paragraphs if (f := legacy_field(p)) is not None), None)
    if field is not None:
        return _write_field(field, text)
    label = FIELD_LABEL.match(paragraph_text(first))
    runs = _text_runs(first)
    kept: Element | None = None
    if label:
        kept, runs = _split_label(runs, label.end())
        if runs and _in_control(runs[0], first):
            # "Response: [content control]": the answer goes inside the control, which a customer
            # may read by its tag (round 47 found it beside an emptied control)
            kept = None
    template = _template_rpr(first, runs) if runs or kept is None else _label_rpr(first, kept)
    if kept is not None and not _run_text(kept)[-1:].isspace():
        text = f" {text}"
    new = _make_run(text, template)
    if kept is not None:
        kept.addnext(new)
    elif runs:
        start = runs[0]
        parent = start.getparent()
        # an answer typed over a tracked insertion is not part of that revision
        (parent if parent is not None and parent.tag == _W_INS else start).addprevious(new)
    else:
        first.append(new)
    for p in paragraphs[1:]:
        runs.extend(_text_runs(p))
    for r in runs:
        _remove(r)
    for p in paragraphs:
        for sdt in (*p.iterancestors(W_SDT), *p.iter(W_SDT)):
            _clear_placeholder_flag(sdt)
    return new


def _write_field(field: LegacyField, text: str) -> Element:
    """Put `text` into a legacy form field, as Word does: a drop-down's selected entry (and the result
    it shows), a text field's result; the field itself stays (a form protected for filling keeps
    working). Returns the run that shows it."""
    entries = field.entries
    if entries:
        chosen = next((i for i, e in enumerate(entries) if clean(e).lower() == clean(text).lower()), None)
        if chosen is not None:
            listed = field.data.find(W_DDLIST)
            assert listed is not None
            result = listed.find(W_DDRESULT)
            if result is None:
                result = _element(W_DDRESULT)
                listed.insert(0, result)
            result.set(W_VAL, str(chosen))
            text = entries[chosen]
    shown = field.result[0] if field.result else None
    if shown is None:
        shown = _make_run(text, None)
        (field.separate if field.separate is not None else field.begin).addnext(shown)
    else:
        _set_run_text(shown, text)
        for r in field.result[1:]:
            _remove(r)
    return shown


def _in_control(run: Element, p: Element) -> bool:
    """Whether a run sits in a content control within the paragraph."""
    parent = run.getparent()
    while parent is not None and parent is not p:
        if parent.tag == W_SDT:
            return True
        parent = parent.getparent()
    return False


def _text_runs(p: Element) -> list[Element]:
    """Runs holding only text: not fields, drawings, boxes, hyperlinks or deleted text."""
    found: list[Element] = []
    for r in p.iter(W_R):
        if any(child.tag not in _TEXT_PARTS for child in r):
            continue
        if any(holds_box(t.text or "") for t in r.iter(W_T)):
            continue
        parent = r.getparent()
        blocked = False
        while parent is not None and parent is not p:
            if parent.tag in (_W_DEL, _W_HYPERLINK, W_TXBX) or (
                parent.tag == W_SDT and parent.find(f"{W_SDTPR}/{W14_CHECKBOX}") is not None
            ):
                blocked = True
                break
            parent = parent.getparent()
        if not blocked:
            found.append(r)
    return found


def _run_text(r: Element) -> str:
    return "".join(_run_parts(r))


def _run_parts(r: Element) -> Iterable[str]:
    for el in r:
        if el.tag == W_T:
            yield el.text or ""
        elif el.tag == W_TAB:
            yield "\t"
        elif el.tag in (W_BR, W_CR):
            yield "\n"


def _split_label(runs: list[Element], length: int) -> tuple[Element | None, list[Element]]:
    """Keep the runs of an answer label's first `length` characters; return the last one and the rest."""
    seen = 0
    kept: Element | None = None
    for i, r in enumerate(runs):
        text = _run_text(r)
        if seen + len(text) <= length:
            seen += len(text)
            kept = r
            continue
        if seen < length:  # the run straddles the label's end: split it
            tail = copy.deepcopy(r)
            _set_run_text(r, text[: length - seen])
            _set_run_text(tail, text[length - seen :])
            r.addnext(tail)
            return r, [tail, *runs[i + 1 :]]
        return kept, runs[i:]
    return kept, []


def _set_run_text(r: Element, text: str) -> None:
    props = r.find(W_RPR)
    for child in list(r):
        if child is not props:
            r.remove(child)
    _append_text(r, text)


def _template_rpr(p: Element, runs: Sequence[Element]) -> Element | None:
    """Run properties an answer copies: the space's first text run, else the paragraph mark's."""
    for r in runs:
        if _run_text(r).strip():
            return _clean_rpr(r.find(W_RPR))
    mark = p.find(f"{W_PPR}/{W_RPR}")
    if mark is not None:
        return _clean_rpr(mark)
    return _clean_rpr(runs[0].find(W_RPR)) if runs else None


def _label_rpr(p: Element, label: Element) -> Element | None:
    mark = p.find(f"{W_PPR}/{W_RPR}")
    if mark is not None:
        return _clean_rpr(mark)
    # a bold "Response:" label should not make the answer bold
    props = _clean_rpr(label.find(W_RPR))
    for tag in ("w:b", "w:bCs"):
        found = props.find(qn(tag)) if props is not None else None
        if props is not None and found is not None:
            props.remove(found)
    return props


def _clean_rpr(props: Element | None) -> Element | None:
    """A copy of run properties without revision marks or the grey placeholder style."""
    if props is None:
        return None
    props = copy.deepcopy(props)
    for child in list(props):
        if child.tag in _TRACKED:
            props.remove(child)
    style = props.find(qn("w:rStyle"))
    if style is not None and "placeholder" in (style.get(W_VAL) or "").lower():
        props.remove(style)
    return props


def _retext(run: Element, text: str) -> None:
    """Give a run written before new text, its formatting and its opening line break kept."""
    broken = next((child.tag == W_BR for child in run if child.tag != W_RPR), False)
    for child in [c for c in run if c.tag != W_RPR]:
        run.remove(child)
    if broken:
        etree.SubElement(run, W_BR)
    _append_text(run, text)


def _make_run(text: str, props: Element | None, *, line_break: bool = False) -> Element:
    run = _element("w:r")
    if props is not None:
        run.append(copy.deepcopy(props))
    if line_break:
        etree.SubElement(run, W_BR)
    _append_text(run, text)
    return run


def _append_text(run: Element, text: str) -> None:
    # XML 1.0 cannot hold most control characters
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)
    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(run, W_BR)
        for j, part in enumerate(line.split("\t")):
            if j:
                etree.SubElement(run, W_TAB)
            if part:
                t = etree.SubElement(run, W_T)
                t.text = part
                t.set(_XML_SPACE, "preserve")


def _citation_run(text: str, template: Element | None) -> Element:
    props = template if template is not None else _element("w:rPr")
    _set_child(props, qn("w:color"), _RPR_ORDER).set(W_VAL, CITATION_COLOR)
    _set_child(props, qn("w:sz"), _RPR_ORDER).set(W_VAL, CITATION_SIZE)
    _set_child(props, qn("w:szCs"), _RPR_ORDER).set(W_VAL, CITATION_SIZE)
    return _make_run(text, props, line_break=True)


def _remove(r: Element) -> None:
    parent = r.getparent()
    if parent is None:
        return
    parent.remove(r)
    if parent.tag == _W_INS and len(parent) == 0 and parent.getparent() is not None:
        grand = parent.getparent()
        assert grand is not None
        grand.remove(parent)


def _clear_placeholder_flag(sdt: Element) -> None:
    flag = sdt.find(f"{W_SDTPR}/{W_SHOWING_PLACEHOLDER}")
    if flag is not None:
        parent = flag.getparent()
        assert parent is not None
        parent.remove(flag)


def _set_child(parent: Element, tag: str, order: Sequence[str]) -> Element:
    """The child `tag` of `parent`, created at its schema position when missing."""
    found = parent.find(tag)
    if found is not None:
        return found
    child = _element(tag)
    later = set(order[order.index(tag) + 1 :]) if tag in order else set()
    for i, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _element(tag: str) -> Element:
    """A new python-docx element from 'w:r' or Clark notation ('{uri}r')."""
    if tag.startswith("{"):
        uri, local = tag[1:].split("}")
        tag = f"{_PREFIXES[uri]}:{local}"
    return OxmlElement(tag)


def _first_child(parent: Element, tag: str) -> Element:
    """`rPr` of a run, `pPr` of a paragraph, `tcPr` of a cell: created as the first child if missing."""
    found = parent.find(tag)
    if found is None:
        found = _element(tag)
        parent.insert(0, found)
    return found


def tick(box: Box) -> None:
    """Tick one checkbox in the way its kind is ticked."""
    if box.kind == "glyph":
        text = box.el.text or ""
        box.el.text = text[: box.offset] + "☒" + text[box.offset + 1 :]
    elif box.kind == "bracket":  # "[ ]" -> "[X]", "(  )" -> "(X)": its own brackets kept
        text = box.el.text or ""
        end = box.offset + box.width
        box.el.text = text[: box.offset] + text[box.offset] + "X" + text[end - 1 :]
    elif box.kind == "w14":
        control = box.el.find(f"{W_SDTPR}/{W14_CHECKBOX}")
        assert control is not None
        checked = control.find(W14_CHECKED)
        if checked is None:
            checked = _element("w14:checked")
            control.insert(0, checked)
        checked.set(W14_VAL, "1")
        state = control.find(qn("w14:checkedState"))
        code = number(state.get(W14_VAL) if state is not None else None, 0x2612, 16)
        glyph = chr(code) if 0x20 <= code < 0xD800 else "☒"
        content = box.el.find(W_SDTCONTENT)
        first = next(content.iter(W_T), None) if content is not None else None
        if first is not None:
            first.text = glyph
    else:
        order = (qn("w:size"), qn("w:sizeAuto"), W_DEFAULT, W_CHECKED)
        _set_child(box.el, W_DEFAULT, order).set(W_VAL, "1")
        _set_child(box.el, W_CHECKED, order).set(W_VAL, "1")


def _shade(shd: Element, fill: str) -> None:
    # a theme fill would win over our fill, so the old attributes go; the old fill colour is kept in
    # w:color, the pattern colour, which a "clear" pattern never shows, so taking the review fill
    # off can restore it (a coloured band stays coloured)
    own = (shd.get(qn("w:fill")) or "auto").upper()
    own = own if re.fullmatch(r"[0-9A-F]{6}", own) and own != fill.upper() else "auto"
    shd.attrib.clear()
    shd.set(W_VAL, "clear")
    shd.set(qn("w:color"), own)
    shd.set(qn("w:fill"), fill)


def shade_paragraph(p: Element) -> None:
    """Mark a paragraph for review with the amber shading."""
    _shade(_set_child(_first_child(p, W_PPR), _SHD, _PPR_ORDER), REVIEW_FILL)


def _paragraph_runs(p: Element) -> list[Element]:
    runs = [r for r in p if r.tag == W_R]
    return [runs[0], runs[-1]] if runs else [_append_run(p)]


def _append_run(p: Element) -> Element:
    run = _element("w:r")
    p.append(run)
    return run


# --- verification ------------------------------------------------------------------------

# the parts writing may change: the body, and the comments it may add
_EDITED_PARTS = ("/word/document.xml", "/word/comments", "/word/people.xml")


def verify_output(src: Path, dst: Path, outcomes: Sequence[Outcome]) -> None:
    """Reopen `dst` and check answers are in place and nothing else changed; raise FidelityError if not."""
    before, after = open_document(src, check=False), open_document(dst, check=False)
    a, b = index_body(before.element.body), index_body(after.element.body)
    problems = _structure_problems(before, after, a, b)
    if not problems:
        problems = _content_problems(before, after, Locator(after, b), outcomes)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise FidelityError(dst, f"the filled copy does not match the form: {problems[0]}{more}; do not send it")


def _structure_problems(before: Document, after: Document, a: BodyIndex, b: BodyIndex) -> list[str]:
    problems: list[str] = []
    if len(a.paragraphs) != len(b.paragraphs):
        problems.append(f"body paragraphs {len(a.paragraphs)} → {len(b.paragraphs)}")
    if len(a.tables) != len(b.tables):
        problems.append(f"tables {len(a.tables)} → {len(b.tables)}")
        return problems
    for i, (ta, tb) in enumerate(zip(a.tables, b.tables, strict=True)):
        shape_a = [len(list(children(tr, W_TC))) for tr in children(ta, W_TR)]
        shape_b = [len(list(children(tr, W_TC))) for tr in children(tb, W_TR)]
        if shape_a != shape_b:
            problems.append(f"table {i} changed shape")
    parts_a, parts_b = _parts(before), _parts(after)
    for name, part in parts_a.items():
        if name.startswith(_EDITED_PARTS):
            continue
        if name not in parts_b:
            problems.append(f"part {name} is missing")
        elif parts_b[name].blob != part.blob:
            problems.append(f"part {name} changed")
    return problems


def _parts(doc: Document) -> dict[str, Part]:
    # a part's blob is serialised on demand: the edited parts, the body above all, are never asked for theirs
    return {str(part.partname): part for part in doc.part.package.iter_parts()}


def _content_problems(before: Document, after: Document, locate: Locator, outcomes: Sequence[Outcome]) -> list[str]:
    written: set[Element] = set()  # paragraphs whose text may change (style must not)
    restyled: set[Element] = set()  # paragraphs whose text must not change
    problems: list[str] = []
    for outcome in outcomes:
        q = outcome.question
        if outcome.status == "answered":
            written.update(_answer_paragraphs(locate, q))
            problem = _value_problem(locate, q, outcome)
            if problem:
                problems.append(problem)
        elif outcome.status == "review":
            # the review mark shades the place's paragraphs: their text must stay as it was
            for target in _review_targets(locate, q):
                restyled.update(target.paragraphs)
    old = list(before.element.body.iter(W_P))
    new = list(after.element.body.iter(W_P))
    if len(old) != len(new):
        return [*problems, f"paragraphs {len(old)} → {len(new)}"]
    pairs = list(zip(old, new, strict=True))
    untouched = [(pa, pb) for pa, pb in pairs if pb not in written and pb not in restyled]
    # Every paragraph writing may not touch is compared whole; one by one only when some differ.
    changed = _serialised(before, [pa for pa, _ in untouched]) != _serialised(before, [pb for _, pb in untouched])
    for i, (pa, pb) in enumerate(pairs):
        if pb in written:
            same = paragraph_style(pa) == paragraph_style(pb)
        elif pb in restyled:
            same = paragraph_text(pa) == paragraph_text(pb)
        elif changed:
            same = etree.tostring(pa) == etree.tostring(pb)
        else:
            continue
        if not same:
            problems.append(f"paragraph {i} ('{clean(paragraph_text(pa))[:40]}') changed")
    return problems


def _serialised(doc: Document, paragraphs: Sequence[Element]) -> bytes:
    """Copies of the paragraphs serialised together, with their tails, under the document's namespaces.

    Serialised one at a time, each paragraph repeats the document's thirty namespace
    declarations: 0.1 s for 8,000 paragraphs instead of 0.01 s.
    """
    holder = etree.Element("paragraphs", nsmap=doc.element.nsmap)
    holder.extend(copy.deepcopy(p) for p in paragraphs)
    return etree.tostring(holder)


def _answer_paragraphs(locate: Locator, q: FormQuestion) -> set[Element]:
    """Every paragraph writing an answer may touch: its row, its targets, the question paragraph."""
    found: set[Element] = set()
    refs = [q.answer_cell, q.comment_cell, q.location.cell, *(ref for _, ref in q.mark_cells)]
    for ref in refs:
        target = locate.find(ref, box=False)
        found.update(target.paragraphs if target is not None else ())
    if q.location.table is not None:
        try:
            for tc in locate.row(q.location.table, q.location.row):
                found.update(cell_paragraphs(tc))
        except IndexError:
            pass
    return found


def _value_problem(locate: Locator, q: FormQuestion, outcome: Outcome) -> str | None:
    if q.mark_cells:
        choice = match_choice([c for c, _ in q.mark_cells], outcome.value, outcome.answer, graded=True)
        if choice is None:
            return None  # the writer skipped it with a warning
        target = locate.find(dict(q.mark_cells)[choice])
        if target is None:
            return f"{q.location.cell}: the mark for '{choice}' is missing"
        if target.box is not None:
            return None if target.box.checked else f"{q.location.cell}: '{choice}' is not ticked"
        text = clean("\n".join(map(paragraph_text, target.paragraphs)))
        return None if MARK in text else f"{q.location.cell}: '{choice}' is not marked"
    expected = answer_text(q, outcome)
    target = locate.find(q.answer_cell)
    if expected is None:
        return None
    if target is None:
        return f"{q.location.cell}: answer space {q.answer_cell} is missing"
    text = clean("\n".join(map(paragraph_text, target.paragraphs)))
    return None if clean(expected) in text else f"{q.answer_cell}: answer '{expected[:40]}' is not there"
