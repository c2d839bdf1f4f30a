"""Read questions from Word forms: question tables, checkbox groups and numbered paragraphs.

Targets are strings the writer resolves again: "T3R5C2" is table 3 (every table, nested ones
included, in document order), row 5, the third `w:tc` of that row (a merged cell counts once);
"P41" is the 42nd body paragraph outside tables; a trailing "K1" picks the second checkbox there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from docx.document import Document
from docx.oxml.ns import qn

from autofill.choices import BRACKETED, GRADED_HEADER, answer_named, choice_list, lists_answers
from autofill.errors import FormError
from autofill.forms.docx_xml import (
    _CAPTION_PREFIX,
    _NUMBER_PREFIX,
    ANSWER_LABEL,
    NO_QUESTIONS,
    W14_CHECKBOX,
    W_CHECKBOX,
    W_P,
    W_PPR,
    W_R,
    W_SDT,
    W_SDTPR,
    W_SHOWING_PLACEHOLDER,
    W_T,
    W_TBL,
    W_TR,
    W_VAL,
    Boxes,
    Cell,
    Element,
    Row,
    cell_paragraphs,
    children,
    clean,
    dropdown_choices,
    header_role,
    index_body,
    is_placeholder,
    iter_blocks,
    labelled_blank,
    norm,
    number,
    open_document,
    paragraph_style,
    paragraph_text,
    question_like,
    scan_boxes,
    split_number,
    table_rows,
)
from autofill.forms.placeholders import DESCRIBES, SCOPE_HEADER, reserved_header
from autofill.forms.terms import with_defined_products
from autofill.models import FormQuestion, FormRead, Location, ReadOptions
from autofill.reading import (
    answers_for,
    column_product,
    declared_choices,
    declared_voices,
    defined_aliases,
    defined_customer_things,
    defined_names,
    defined_products,
    defines_terms,
    is_item,
    leads_items,
    leads_questions,
    mostly_questions,
    names_another_part,
    numbered_under,
    one_voice,
    other_product_in,
    place_products,
    product_header,
    products_left_out,
    question_kind,
    reads_as_heading,
    says_how_to_answer,
    title_name,
    titles_by_saying,
    titles_rows,
)

# --- reading -------------------------------------------------------------------------------


def read_questions(path: Path, options: ReadOptions) -> FormRead:
    """Find every question in a Word form with the cells or paragraphs its answer goes to."""
    doc = open_document(path)
    reader = _Reader(doc, options.product)
    reader.read()
    notes = list(reader.notes)
    if options.question_col or options.answer_col or options.comment_col or options.sheet:
        notes.append("sheet and column options apply to workbooks only; Word forms are detected by layout")
    if not reader.questions:
        matrix = next((n for n in reader.notes if "a column for each product" in n), None)
        raise FormError(path, f"no questions it can fill: {matrix}" if matrix else NO_QUESTIONS)
    questions = tuple(reader.questions)
    # whom the form's "we" means, where its text says ("'We', 'our' and 'us' refer to the supplier")
    texts = list(_notes_texts(doc, reader))
    voice = one_voice(v for text in texts for v in declared_voices(text))
    if voice is not None:
        questions = tuple(replace(q, voice=voice) for q in questions)
    names = {name for text in texts for name in defined_names(text)}
    if not names:  # an organisation's name alone on one of the first lines: "Cascade Health Network"
        opening = [t for p in reader.body.paragraphs[:6] if (t := clean(paragraph_text(p)))][:3]
        names = {name for text in opening if (name := title_name(text))}
    customer = names.pop() if len(names) == 1 else None
    aliases = tuple(sorted({a for text in texts for a in defined_aliases(text, customer)})) if customer else ()
    things = tuple(sorted({t for text in texts for t in defined_customer_things(text, customer)}))
    # a term defined as a product is that product where a row says it, as in a workbook (round 121a)
    terms = {term: text for text in texts for term, text in defined_products(text).items()}
    if terms:
        questions = tuple(with_defined_products(q, terms) for q in questions)
    return FormRead(
        path, "docx", questions, tuple(notes), customer=customer, customer_aliases=aliases, customer_things=things
    )


def _notes_texts(doc: Document, reader: _Reader) -> Iterator[str]:
    """The text of the body's own paragraphs and of the page headers and footers, where a form says
    whom its "we" means ("In this document 'we' means the Supplier", round 53)."""
    yield from (paragraph_text(p) for p in reader.body.paragraphs)
    for part in doc.part.package.iter_parts():
        if str(part.partname).startswith(("/word/header", "/word/footer")) and hasattr(part, "element"):
            yield from (paragraph_text(p) for p in part.element.iter(W_P))


@dataclass(frozen=True)
class _Layout:
    """Where a question table keeps its columns (grid column numbers)."""

    question: int
    answer: int | None
    comment: int | None
    qid: int | None
    marks: tuple[tuple[str, int], ...]
    choices: tuple[str, ...] | None  # from a header such as "Yes/No"
    ncols: int
    scope: tuple[str, int] | None = None  # a column saying what each row is about: (its header, column)
    answer_header: str = ""  # "Answer (ChatGPT Edu)": what the answer column says it is for


@dataclass(frozen=True)
class _Header:
    layout: _Layout
    data_start: int
    section: str | None


def _by_col(row: Row) -> dict[int, Cell]:
    return {c: cell for cell in row for c in range(cell.col, cell.col + cell.span)}


def _ncols(rows: Sequence[Row]) -> int:
    return max((cell.col + cell.span for row in rows for cell in row), default=0)


def _heading_levels(doc: Document) -> dict[str, int]:
    """Outline level (1 = Heading 1) of each paragraph style, following `basedOn`."""
    direct: dict[str, int] = {}
    based: dict[str, str] = {}
    for style in doc.styles.element.iterchildren(qn("w:style")):
        if style.get(qn("w:type")) != "paragraph":
            continue
        sid = style.get(qn("w:styleId")) or ""
        name = style.find(qn("w:name"))
        match = re.fullmatch(r"heading (\d)", (name.get(W_VAL) or "").lower()) if name is not None else None
        outline = style.find(f"{W_PPR}/{qn('w:outlineLvl')}")
        if match:
            direct[sid] = int(match.group(1))
        elif outline is not None and number(outline.get(W_VAL), 9) < 9:
            direct[sid] = number(outline.get(W_VAL), 9) + 1
        base = style.find(qn("w:basedOn"))
        if base is not None:
            based[sid] = base.get(W_VAL) or ""
    levels: dict[str, int] = {}
    for sid in set(direct) | set(based):
        cur: str | None = sid
        for _ in range(10):
            if cur is None or cur in direct:
                break
            cur = based.get(cur)
        if cur is not None and cur in direct:
            levels[sid] = direct[cur]
    return levels


# A title typed rather than styled (bold, a caption, a one-cell banner table) ranks below every
# styled heading: it ends another typed title, and a styled heading ends it (round 47 answered the
# rows under a bold "Schedule 5 - To be completed by the Customer" as the vendor's)
_TYPED_TITLE = 9
_TITLE_STYLES = frozenset({"caption", "title", "subtitle"})
# "Part 2", "Schedule 5", "Section B": parts numbered alike are siblings
_PART = re.compile(r"\s*(part|schedule|section|annex|appendix|attachment|exhibit|module|chapter)\s+\w{1,4}\b", re.I)


def _typed_title(p: Element, text: str, following: Element | None) -> bool:
    """Whether a paragraph is a title typed rather than styled: short, neither a question nor a
    label ("Response:") nor a sentence, and in bold, underlined, in capitals ("TO BE COMPLETED BY
    THE CUSTOMER"), in a caption or title style, or a list item no answer space follows."""
    if following is not None and following.tag == W_TBL and names_another_part(text) or titles_by_saying(text):
        # a plain paragraph just above a table that says whose its rows are: "Sub-processors",
        # "Roadmap", "The following questions concern your cloud hosting provider." (round 72); a
        # sentence saying so titles the questions after it whatever they are (round 84: numbered
        # paragraphs under "The following questions concern the customer's own environment.")
        return True
    if len(text) > 80 or text.endswith(("?", ":", ".")) or question_kind(text) not in ("label", "phrase"):
        return False
    if (paragraph_style(p) or "").lower() in _TITLE_STYLES:
        return True
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 8 and all(ch.isupper() for ch in letters):
        return True
    runs = [r for r in p.iter(W_R) if "".join(t.text or "" for t in r.iter(W_T)).strip()]
    if runs and (all(_styled(r, "w:b") for r in runs) or all(_styled(r, "w:u") for r in runs)):
        return True
    listed = p.find(f"{W_PPR}/{qn('w:numPr')}") is not None or "list" in (paragraph_style(p) or "").lower()
    if not listed or following is None or re.search(r"[;,\[\]]|\b(?:and|or)$", text):
        return False  # "Intended system usage; and", "[Assignment: ...]": an item of a requirement, no title
    # a list item titles the questions that follow it (not the next item of a requirement's list)
    after = clean(paragraph_text(following)) if following.tag == W_P else ""
    return following.tag == W_TBL or after.endswith("?")


def _styled(run: Element, tag: str) -> bool:
    """Whether a run is bold ("w:b") or underlined ("w:u"), not switched off."""
    found = run.find(f"{qn('w:rPr')}/{qn(tag)}")
    return found is not None and (found.get(W_VAL) or "true").lower() not in ("0", "false", "off", "none")


def _banner(tbl: Element) -> str | None:
    """The text of a one-cell table that is a title ("YOUR SUBPROCESSORS"), else None."""
    if next(islice(children(tbl, W_TR), 1, None), None) is not None:
        return None  # more than one row (read before every cell's text: a form's table has thousands)
    rows = table_rows(tbl)
    if len(rows) != 1 or len(rows[0]) != 1 or next(rows[0][0].tc.iter(W_TBL), None) is not None:
        return None  # (a one-cell table holding a table is a frame around questions)
    text = clean("\n".join(paragraph_text(p) for p in cell_paragraphs(rows[0][0].tc)))
    if not text or "\n" in text or len(text) > 80 or text.endswith(("?", ":", ".")):
        return None
    if scan_boxes(cell_paragraphs(rows[0][0].tc)).boxes:
        return None  # "Response: ☐ Yes ☐ No": where the question above is answered
    return text if question_kind(text) in ("label", "phrase") else None


# "1 Authentication", "2.3 Backups", "Section 7 - Access": a numbered part of a form, not its title
_NUMBERED_HEADING = re.compile(
    r"\s*(?:(?i:section|part|chapter|domain)\s+)?(?:\d+(?:\.\d+)*[.):]?|[A-Z][.):]|[IVX]+[.):])\s"
)


class _Reader:
    """One pass over the body: headings give context, tables and paragraphs give questions."""

    def __init__(self, doc: Document, product: str | None = None) -> None:
        self.product = product  # --product: of a table's columns for a product each, its own
        self.body = index_body(doc.element.body)
        self.table_numbers = {tbl: i for i, tbl in enumerate(self.body.tables)}
        self.paragraph_numbers = {p: i for i, p in enumerate(self.body.paragraphs)}
        self.levels = _heading_levels(doc)
        self.headings: list[tuple[int, str]] = []
        self.recent: list[Element] = []  # body paragraphs since the last table
        self.previous: tuple[_Layout, str | None] | None = None  # carried over to a split table's next part
        self.claimed: set[Element] = set()  # paragraphs already taken as answer spaces
        self.lead: str | None = None  # a paragraph lead-in ("Do your fourth parties:") over its items
        self.how: tuple[str, ...] = ()  # lines above the table saying what its answers mean or may be
        self.form_products: tuple[str, ...] = ()  # lines above the first table naming the products asked about
        self.questions: list[FormQuestion] = []
        self.skipped = 0
        self.notes: list[str] = []

    def read(self) -> None:
        blocks = self.body.blocks
        title: str | None = None  # the document's first heading, above every question: the form's title
        for b, block in enumerate(blocks):
            if block.tag == W_TBL:
                banner = _banner(block)
                if banner is not None:
                    # a shaded one-cell table "YOUR SUBPROCESSORS" titles what follows (round 47)
                    self._heading(_TYPED_TITLE, banner)
                    self.recent = []
                    continue
                self._table(block, b)
                self.recent = []
                continue
            text = clean(paragraph_text(block))
            following = blocks[b + 1] if b + 1 < len(blocks) else None
            level = self._level(block) or (_TYPED_TITLE if text and _typed_title(block, text, following) else None)
            # the form's title: its first heading above every question (a logo table may come first),
            # or a styled heading after a typed one ("Riverside Health System" in bold or in the
            # Title style, then "Heading 1: Third-Party AI Vendor Assessment")
            first = not self.questions and (not self.headings or self.headings[-1] == (_TYPED_TITLE, title or ""))
            # (not a line saying whose the rows are: "Answer the questions below as they apply to your data centre
            # operator." under the title took its place and spoke for the whole form, narrowing nothing, round 120a)
            if level and text and first and not _NUMBERED_HEADING.match(text) and not titles_by_saying(text):
                title = text
            if level and text:
                self._heading(level, text)
            if text:
                self.previous = None
            self.recent.append(block)
            if block not in self.claimed and text:
                body = split_number(text)[1]
                if level or not (is_item(body) or is_item(text)):
                    self.lead = None  # a lead-in's items end at a heading or a row that is no item
                after = clean(paragraph_text(following)) if following is not None and following.tag == W_P else ""
                if not level and not text.endswith("?") and leads_items(body, after):
                    self.lead = body  # "Q23 Do your fourth parties (subcontractors):"
                self._paragraph_question(block, b)
        if self.skipped:
            self.notes.append(f"{self.skipped} table(s) without question and answer cells were skipped")
        if title is not None:
            # "Third-Party Security Review" over the whole form names the vendor answering it, as an
            # xlsx title does: it says what the form is, not a section its rows are narrowed to
            self.questions = [
                replace(q, context=q.context[1:], scopes=(q.scopes[0] if q.scopes else "", title, *q.scopes[1:]))
                if q.context[:1] == (title,)
                else q
                for q in self.questions
            ]

    def _heading(self, level: int, text: str) -> None:
        """A heading ends those of its level and below; a title typed in bold ("Part 3 - To be
        completed by the Customer") after a heading numbered alike ("Part 2 - API Platform") is its
        sibling, not a part within it."""
        last = self.headings[-1] if self.headings else None
        if level == _TYPED_TITLE and last is not None and (part := _PART.match(text)) is not None:
            other = _PART.match(last[1])
            if other is not None and other.group(1).lower() == part.group(1).lower():
                level = last[0]
        keep = next((i for i, h in enumerate(self.headings) if h[0] >= level), len(self.headings))
        del self.headings[keep:]
        self.headings.append((level, text))

    def _level(self, p: Element) -> int | None:
        outline = p.find(f"{W_PPR}/{qn('w:outlineLvl')}")
        if outline is not None and number(outline.get(W_VAL), 9) < 9:
            return number(outline.get(W_VAL), 9) + 1
        style = paragraph_style(p)
        return self.levels.get(style) if style else None

    def _context(self, *extra: str | None, exclude: str = "") -> tuple[str, ...]:
        """Headings above the question (not the question's own heading or those below it)."""
        texts = [text for _, text in self.headings]
        if exclude in texts:
            texts = texts[: texts.index(exclude)]
        return tuple(texts) + tuple(e for e in extra if e)

    def _add(self, question: FormQuestion) -> None:
        self.questions.append(question)

    # --- tables ---------------------------------------------------------------------------

    def _table(self, tbl: Element, block: int | None) -> None:
        ti = self.table_numbers[tbl]
        rows = table_rows(tbl)
        before = len(self.questions)
        header = _find_header(rows)
        carried = self.previous if block is not None else None
        self.previous = None
        matrix = _product_matrix(rows)
        if matrix:
            # "Question | API | Enterprise | Team": each column asks of its own product (round 42 found
            # the first filled as if it were the answer column and the next as the comments')
            self._matrix(ti, rows, matrix)
            return
        if header is not None:
            section = header.section
            if section is None and carried is not None and _same_columns(carried[0], header.layout):
                # a table split across pages that repeats its header: still under the section the
                # rows before the break were under (round 41 answered "Subprocessors" rows on page 2)
                section = carried[1]
            # "Select one: Met / Not met / N/A", "Answer Yes only where you take exception" above the
            # table (rounds 73-74): each row's list and scopes take them (_Answer.question)
            said = [(p, t) for p in self.recent if (t := clean(paragraph_text(p)))]
            self.how = tuple(t for _, t in said if says_how_to_answer(t))
            # a line naming the product the rows are about ("This questionnaire concerns the OpenAI API Platform.")
            # speaks for the table as a workbook's lines above its header do; one above the form's first table
            # for every table after it (round 119b: a Word form about the API took ChatGPT Enterprise's answers)
            # (not a line that leaves a product out: "Do not answer for consumer ChatGPT.", "This form is not for
            # ChatGPT Enterprise." made the rows about it, round 120a; a line naming an offering the claims do not
            # cover, "Part 4 concerns Codex.", ends what the first line said)
            lines = [t for p, t in said if not self._level(p) and not defines_terms(t)]
            products = tuple(t for t in lines if place_products(t) - products_left_out(t))
            if not self.questions and products:
                self.form_products = products
            others = tuple(t for t in lines if other_product_in(t) and not products_left_out(t))
            # (a line leaving one out is kept: a fill for that very product says so, round 120a)
            left = tuple(t for t in lines if products_left_out(t) and t not in products)
            self.how += (products or others or self.form_products) + left
            self._layout_rows(ti, rows, header.layout, header.data_start, section)
        elif carried is not None and carried[0].ncols == _ncols(rows):
            # a table split across pages: same columns, maybe a repeated header (skipped as such)
            self._layout_rows(ti, rows, carried[0], 0, carried[1])
        elif not (
            self._label_block(ti, rows, block)
            or self._box(ti, rows, block)
            or self._tick_box(ti, rows, block)
            or self._titled(ti, rows)
            or self._headerless(ti, rows)
            or self._choice_table(ti, rows, block)
        ):
            self._checkbox_cells(ti, rows)
        if len(self.questions) == before:
            self.skipped += 1
        carry = self.previous
        # (a table of boxes nested in an answer cell is that row's answer, no question of its own)
        taken = {ref.partition("R")[0] for q in self.questions[before:] for _, ref in q.mark_cells}
        for row in rows:
            for cell in row:
                for inner in iter_blocks(cell.tc):
                    if inner.tag == W_TBL and f"T{self.table_numbers[inner]}" not in taken:
                        self._table(inner, None)
        self.previous = carry

    def _matrix(self, ti: int, rows: list[Row], matrix: list[Cell]) -> None:
        """A table with a column for each product: each (or --product's own) answered as asked of its product."""
        named = [cell for cell in matrix if answers_for(product_header(clean(cell.text)), self.product)]
        headers = "; ".join(clean(cell.text) for cell in matrix)
        h = next(at for at, row in enumerate(rows) if any(cell is matrix[0] for cell in row))
        roles = {header_role(cell.text): cell.col for cell in reversed(rows[h])}
        taken = {cell.col for cell in matrix} | {roles.get("comment", -1)}
        qcol = roles.get("question", _widest_column(rows[h + 1 :], taken))
        if not named or qcol is None or qcol in taken:
            why = f"none for --product {self.product}" if not named else "no column of questions"
            self.notes.append(f"table {ti} has a column for each product ({headers}), {why}; not filled")
            self.skipped += 1
            return
        qid = roles.get("id", _id_column(rows[h + 1 :], qcol, taken | {qcol}))
        ncols = _ncols(rows)
        for cell in named:
            text, before = clean(cell.text), len(self.questions)
            layout = _Layout(qcol, cell.col, roles.get("comment"), qid, (), None, ncols, None, text)
            self._layout_rows(ti, rows, layout, h + 1, None)
            product = column_product(product_header(text))
            self.questions[before:] = [replace(q, product=product) for q in self.questions[before:]]
        said = "; ".join(clean(cell.text) for cell in named)
        left = "" if len(named) == len(matrix) else f" (for --product {self.product}; without it, every one)"
        self.notes.append(f"table {ti}: a column for each product ({headers}): {said} answered{left}")

    def _layout_rows(self, ti: int, rows: list[Row], layout: _Layout, start: int, section: str | None) -> None:
        asking = _mostly_asked(rows[start:], layout)
        lead: tuple[str | None] | None = None  # the section around a lead-in whose items follow
        numbered: tuple[str, str | None] | None = None  # a numbered section's id, and the section it is in
        for r in range(start, len(rows)):
            row = rows[r]
            cols = _by_col(row)
            qcell = cols.get(layout.question)
            if len(row) == 1:
                if clean(row[0].text):  # a title of its own ends a numbered section's hold
                    section, numbered = clean(row[0].text), None
                continue
            if _is_header_row(cols, layout):
                title = clean(qcell.text) if qcell is not None else ""
                if title and header_role(title) not in ("question", "id"):
                    section, numbered = title, None
                continue
            if qcell is None or qcell.merged_below or not clean(qcell.text):
                # a title in a row's other cells alone ("HOSTING PROVIDER" in the id column, round 72)
                elsewhere = _title_elsewhere(cols, layout)
                if elsewhere:
                    section, numbered = elsewhere, None
                continue
            acell = cols.get(layout.answer) if layout.answer is not None else None
            if acell is qcell:
                section, numbered = clean(qcell.text), None
                continue
            text = clean(qcell.text)
            if lead is not None and not is_item(text):
                section, lead = lead[0], None  # a lead-in's items have ended
            if (acell is None or not _answered(acell)) and leads_items(text, _next_question(rows, r, layout)):
                # "Q23 | Do your fourth parties (subcontractors):" over "Q24 | (a) encrypt ...?" (round 49,
                # as a workbook's lead-in): the items below are asked under it
                # a lead-in that is an item of the one above ("In respect of your subprocessors:" /
                # "A. Do they:" / "i. train models ...?") is read within it
                nested = lead is not None and section is not None and is_item(text)
                lead, section = (section,) if lead is None else lead, f"{section} {text}" if nested else text
                continue
            qid = clean(cols[layout.qid].text) if layout.qid is not None and layout.qid in cols else ""
            answered = acell is not None and _answered(acell)
            titling = qid and not answered and (titles_rows(text) or titles_by_saying(text))
            if titling and _parent_of(rows, r, layout, qid):
                # "F3 | Your cloud hosting provider" over "F3.1 | Does it hold a SOC 2 report?": a
                # numbered section title (as in a workbook), which ends where the numbering leaves it
                numbered, section = (qid, section if numbered is None else numbered[1]), text
                continue
            if not answered and titles_by_saying(text):
                # whose the rows after it are, numbered like them or not, or in a table with no ids
                # ("The following questions concern your third-party suppliers." in the question cell
                # alone: round 96 wrote the vendor's AES-256 Yes for the suppliers' row below it)
                section, numbered = text, None
                continue
            if numbered is not None and qid and not numbered_under(numbered[0], qid):
                section, numbered = numbered[1], None
            heading = _heading(rows, r, start, cols, qcell, layout, asking)
            if heading == "title":
                section, numbered = clean(qcell.text), None
                continue
            self._row_question(ti, r, cols, qcell, acell, layout, section)
            if heading == "either":
                section, numbered = clean(qcell.text), None  # a row of its own, and the title of the rows below it
        self.previous = (layout, section)

    def _row_question(
        self,
        ti: int,
        r: int,
        cols: dict[int, Cell],
        qcell: Cell,
        acell: Cell | None,
        layout: _Layout,
        section: str | None,
    ) -> None:
        number, text = split_number(qcell.text)
        id_cell = cols.get(layout.qid) if layout.qid is not None else None
        qid = clean(id_cell.text) if id_cell is not None and clean(id_cell.text) else number
        comment = cols.get(layout.comment) if layout.comment is not None else None
        if layout.marks:
            answer = _mark_fields(ti, r, cols, layout.marks)
        else:
            answer = _answer_fields(ti, r, acell, layout.choices, self.table_numbers)
        self._add(
            answer.question(
                Location(row=r, cell=f"T{ti}R{r}", table=ti),
                text,
                qid,
                f"T{ti}R{r}C{comment.index}" if comment is not None and comment is not qcell else None,
                self._context(section, _scope_of(cols, layout)),
                layout.answer_header,
                self.how,
            )
        )

    def _label_block(self, ti: int, rows: list[Row], block: int | None) -> bool:
        """A small table of label/value rows (Result | …, Comment | …) under a question heading."""
        if block is None or not 1 <= len(rows) <= 8 or any(len(row) != 2 for row in rows):
            return False
        roles = [header_role(row[0].text) if len(row[0].text.split()) <= 4 else None for row in rows]
        if "answer" not in roles or any(role not in ("answer", "comment") for role in roles):
            return False
        question = self._preceding_question()
        if question is None:
            return False
        r = roles.index("answer")
        c = roles.index("comment") if "comment" in roles else None
        number, text = split_number(paragraph_text(question))
        self._add(
            _answer_fields(ti, r, rows[r][1], None).question(
                Location(row=r, cell=f"T{ti}R{r}", table=ti),
                text,
                number,
                f"T{ti}R{c}C1" if c is not None else None,
                self._context(exclude=clean(paragraph_text(question))),
            )
        )
        return True

    def _box(self, ti: int, rows: list[Row], block: int | None) -> bool:
        """An empty one-cell table under a question paragraph: the box its answer is written in."""
        if block is None or len(rows) != 1 or len(rows[0]) != 1:
            return False
        if clean(rows[0][0].text) and not _answered(rows[0][0]):
            return False  # a box of text; one answered already ("Yes ...") is still the answer's box
        question = self._preceding_question()
        if question is None or question in self.claimed or not question_like(paragraph_text(question)):
            return False
        self.claimed.add(question)
        number, text = split_number(clean(paragraph_text(question)))
        self._add(
            _answer_fields(ti, 0, rows[0][0], None).question(
                Location(row=0, cell=f"T{ti}R0", table=ti),
                text,
                number,
                None,
                self._context(exclude=clean(paragraph_text(question))),
            )
        )
        return True

    def _tick_box(self, ti: int, rows: list[Row], block: int | None) -> bool:
        """A one-cell table holding only its checkboxes ("Response: ☐ Yes ☐ No ☐ N/A") under a question
        paragraph: where that question is answered (round 98 read 14 of them as questions named
        "Response" and none of the 19 numbered questions above them)."""
        found = _the_boxes(rows) if block is not None and len(rows) == 1 else None
        if found is None:
            return False
        _, cell, scan = found
        # a cell beside it left empty, or holding only its label ("Explanation:"), takes the explanation
        spare = next((c for c in rows[0] if c is not cell and (not clean(c.text) or labelled_blank(c.text))), None)
        question = self._preceding_question()
        if question is None or question in self.claimed or not question_like(paragraph_text(question)):
            return False
        self.claimed.add(question)
        said = clean(paragraph_text(question))
        number, text = split_number(said)
        ref, labels = f"T{ti}R0C{cell.index}", _labels(scan)
        self._add(
            FormQuestion(
                location=Location(row=0, cell=f"T{ti}R0", table=ti),
                text=text,
                qid=number,
                answer_cell=ref,
                comment_cell=f"T{ti}R0C{spare.index}" if spare is not None else None,
                choices=labels,
                mark_cells=tuple((label, f"{ref}K{k}") for k, label in enumerate(labels)),
                existing=scan.ticked(),
                context=self._context(exclude=said),
            )
        )
        return True

    def _preceding_question(self) -> Element | None:
        """The paragraph a label/value table answers: the nearest one that is not a label."""
        for p in reversed(self.recent[-12:]):
            text = clean(paragraph_text(p))
            if not text:
                continue
            if len(text.split()) <= 4 and header_role(text.split()[-1]) in ("answer", "comment"):
                continue  # "Verification Result", "Verification Evidence"
            return p
        return None

    def _titled(self, ti: int, rows: list[Row]) -> bool:
        """A table whose first row asks the question and whose other rows are its answer spaces;
        a later row across the table that asks another question starts the next one ("1. Do
        you ...?" / "Answer | ..." / "2. Are ...?" / "Answer | ...")."""
        if len(rows) < 2 or len(rows[0]) != 1 or not question_like(rows[0][0].text):
            return False
        found = False
        number, text = split_number(clean(rows[0][0].text))
        for r, row in enumerate(rows[1:], start=1):
            if len(row) == 1 and question_like(row[0].text) and not _answer_space(row[0]):
                number, text = split_number(clean(row[0].text))
                continue
            if len(row) == 1:
                label, answer = "", row[0]
            elif len(row) == 2 and 0 < len(row[0].text.split()) <= 6:
                label, answer = clean(row[0].text), row[1]
                label = "" if header_role(label) == "answer" else label  # "Answer": where, not what
            else:
                continue
            self._add(
                _answer_fields(ti, r, answer, None, self.table_numbers).question(
                    Location(row=r, cell=f"T{ti}R{r}", table=ti),
                    f"{text} {label}".strip(),
                    f"{number} {label}".strip() if number else label or None,
                    None,
                    self._context(),
                )
            )
            found = True
        return found

    def _choice_table(self, ti: int, rows: list[Row], block: int | None) -> bool:
        """Rows that each hold one checkbox and its label: one question, one choice per row."""
        title: str | None = None
        body_rows = list(enumerate(rows))
        if rows and len(rows[0]) == 1 and not scan_boxes(cell_paragraphs(rows[0][0].tc)).boxes:
            title = clean(rows[0][0].text)
            body_rows = body_rows[1:]
        marks: list[tuple[str, str]] = []
        ticked: list[str] = []
        for r, row in body_rows:
            scans = [(cell, scan_boxes(cell_paragraphs(cell.tc))) for cell in row]
            boxed = [(cell, scan) for cell, scan in scans if scan.boxes]
            if len(boxed) != 1 or len(boxed[0][1].boxes) != 1 or boxed[0][1].prompt or boxed[0][1].labels[0]:
                return False
            cell, scan = boxed[0]
            after = [c for c in row if c.index > cell.index and clean(c.text)]
            before = [c for c in row if c.index < cell.index and clean(c.text)]
            label_cell = after[0] if after else before[-1] if before else None
            if label_cell is None:
                return False
            label = clean(label_cell.text)
            marks.append((label, f"T{ti}R{r}C{cell.index}K0"))
            if scan.boxes[0].checked:
                ticked.append(label)
        if len(marks) < 2:
            return False
        title = title or self._caption_after(block) or self._nearest_text()
        if not title:
            return False
        first = body_rows[0][0]
        self._add(
            FormQuestion(
                location=Location(row=first, cell=f"T{ti}R{first}", table=ti),
                text=title,
                qid=split_number(title)[0],
                choices=tuple(label for label, _ in marks),
                mark_cells=tuple(marks),
                existing=", ".join(ticked) or None,
                context=self._context(),
            )
        )
        return True

    def _caption_after(self, block: int | None) -> str | None:
        if block is None or block + 1 >= len(self.body.blocks):
            return None
        nxt = self.body.blocks[block + 1]
        text = clean(paragraph_text(nxt)) if nxt.tag == W_P else ""
        if "caption" in (paragraph_style(nxt) or "").lower() or _CAPTION_PREFIX.match(text):
            return _CAPTION_PREFIX.sub("", text) or None
        return None

    def _nearest_text(self) -> str | None:
        for p in reversed(self.recent[-6:]):
            text = clean(paragraph_text(p))
            if text:
                return text
        return None

    def _headerless(self, ti: int, rows: list[Row]) -> bool:
        """2–4 columns, question-like text on the left and an empty column to answer in."""
        if not rows or not all(2 <= len(row) <= 4 for row in rows if len(row) > 1):
            return False
        ncols = _ncols(rows)
        ids = [clean(row[0].text) for row in rows if len(row) > 2 and clean(row[0].text)]
        qcol = 1 if ids and all(len(i) <= 10 and len(i.split()) == 1 for i in ids) else 0
        asked = [(r, _by_col(row)) for r, row in enumerate(rows) if len(row) > 1]
        asked = [(r, cols) for r, cols in asked if qcol in cols and question_like(cols[qcol].text)]
        filled = sum(1 for row in rows if len(row) > 1 and clean(_by_col(row).get(qcol, row[0]).text))
        if not asked or len(asked) * 2 < filled:
            return False
        spaces = [
            c
            for c in range(qcol + 1, ncols)
            if sum(1 for _, cols in asked if c in cols and (_answer_space(cols[c]) or _answered(cols[c]))) * 5
            >= len(asked) * 4
        ]
        spaces = [c for c in spaces if all(cols[c] is not cols[qcol] for _, cols in asked if c in cols)]
        # a first row of labels ("Question | Current state | Target state") is a header the words
        # did not name: it is no question, and a column it marks as the customer's is never written
        top = _by_col(rows[0])
        titled = qcol in top and header_role(top[qcol].text) == "question"
        spaces = [c for c in spaces if not (titled and c in top and reserved_header(top[c].text))]
        if not spaces:
            return False
        answer = spaces[0]
        later = [c for c in spaces[1:] if all(cols[c] is not cols[answer] for _, cols in asked if c in cols)]
        layout = _Layout(qcol, answer, later[0] if later else None, 0 if qcol else None, (), None, ncols)
        self._layout_rows(ti, rows, layout, 1 if titled else 0, None)
        return True

    def _checkbox_cells(self, ti: int, rows: list[Row]) -> None:
        """Cells holding a prompt and its checkboxes ('Implementation Status: ☐ … ☐ …')."""
        title = clean(" ".join(c.text for c in rows[0])) if rows else ""
        qid = split_number(title)[0]
        for r, row in enumerate(rows):
            for cell in row:
                scan = scan_boxes(cell_paragraphs(cell.tc))
                if len(scan.boxes) < 2 or not scan.prompt:
                    continue
                ref = f"T{ti}R{r}C{cell.index}"
                labels = _labels(scan)
                self._add(
                    FormQuestion(
                        location=Location(row=r, cell=f"T{ti}R{r}", table=ti),
                        text=scan.prompt.rstrip(":").strip(),
                        qid=qid,
                        answer_cell=ref,
                        choices=labels,
                        mark_cells=tuple((label, f"{ref}K{k}") for k, label in enumerate(labels)),
                        existing=scan.ticked(),
                        context=self._context(title if r else None),
                    )
                )

    # --- paragraphs -----------------------------------------------------------------------

    def _paragraph_question(self, p: Element, b: int) -> None:
        """A numbered or '?' paragraph followed by where its answer goes."""
        text = clean(paragraph_text(p))
        numbered = (
            p.find(f"{W_PPR}/{qn('w:numPr')}") is not None
            or "list" in (paragraph_style(p) or "").lower()  # numbering that comes from a list style
            or bool(_NUMBER_PREFIX.match(text))
        )
        if not (numbered or text.endswith("?")) or ANSWER_LABEL.match(text):
            return
        pi = self.paragraph_numbers[p]
        following: list[Element] = []
        for nxt in self.body.blocks[b + 1 : b + 5]:
            if nxt.tag != W_P:
                break
            following.append(nxt)
        own = scan_boxes([p])
        if own.boxes and own.prompt:
            self._paragraph_boxes(pi, own.prompt, pi, own)
            return
        if following:
            scan = scan_boxes([following[0]])
            if scan.boxes and len(scan.prompt.split()) <= 3:
                # "☐ Yes ☐ No" then "Response: ____": the line below the boxes takes the sentence
                line = self._answer_line_after(following)
                at = self.paragraph_numbers[line] if line is not None else None
                self._paragraph_boxes(pi, text, self.paragraph_numbers[following[0]], scan, at)
                self.claimed.update((following[0], *((line,) if line is not None else ())))
                return
        target: Element | None = None
        existing: str | None = None
        for n, nxt in enumerate(following[:3]):
            body = clean(paragraph_text(nxt))
            if not body:
                continue
            label = ANSWER_LABEL.match(body)
            if label:
                target = nxt
                rest = body[label.end() :]
                existing = None if is_placeholder(rest) else rest
            elif is_placeholder(body) or _showing_placeholder(nxt):
                target = nxt
            elif n == 0:
                return
            break
        if target is None and following and _empty_space(following[0]) and question_like(text):
            after = self.body.blocks[b + 1 + len(following)] if b + 1 + len(following) < len(self.body.blocks) else None
            if after is not None and after.tag == W_TBL and all(not clean(paragraph_text(f)) for f in following):
                held = [c for row in table_rows(after) for c in row if scan_boxes(cell_paragraphs(c.tc)).boxes]
                if len(table_rows(after)) == 1 and len(held) == 1:
                    return  # a spacer line, then the table of boxes the question is answered in (round 100)
            target = following[0]
        if target is None:
            return
        self.claimed.add(target)
        boxes = self._boxes_after(following, target)
        if boxes is not None:
            # "Response: ____" then "☐ Yes ☐ No ☐ N/A": the box is ticked, the sentence goes on the line
            # (round 104 wrote "Yes" and its sentence on the line and left the boxes the form asks for empty)
            line, scan = boxes
            self.claimed.add(line)
            self._paragraph_boxes(pi, text, self.paragraph_numbers[line], scan, self.paragraph_numbers[target])
            return
        number, qtext = split_number(text)
        lead = self._leading(p) if qtext[:1].islower() else None
        said: str | None = None  # a numbered statement the question is asked under
        if lead is not None:
            # "1. In respect of your subprocessors," / "is customer data encrypted at rest?": one
            # question over two paragraphs (round 47 answered the second as the vendor's own)
            lead_number, lead_text = split_number(lead)
            number, qtext = number or lead_number, f"{lead_text.rstrip().rstrip(':')} {qtext}"
        elif self.lead is not None and self.lead != text:
            said = self.lead  # an item of a lead-in above: "(b) hold a current SOC 2 report?"
        elif number is None and (item := self._numbered_before(p)) is not None:
            # "1.7 Answer the following in respect of the Customer's end users' personal devices." /
            # "Is data encrypted at rest?": the item's statement says what the question is about
            number, said = split_number(item)
        self._add(
            FormQuestion(
                location=Location(row=pi, cell=f"P{pi}"),
                text=qtext,
                qid=number,
                answer_cell=f"P{self.paragraph_numbers[target]}",
                choices=choice_list(ANSWER_LABEL.sub("", paragraph_text(target)), strict=False),
                existing=existing,
                context=self._context(said, exclude=text),
            )
        )

    def _before(self, p: Element) -> tuple[Element, str] | None:
        """The paragraph with text just before a question's, and its text, when it is neither an
        answer space ("Response:" of the row before) nor a heading; else None."""
        before = [q for q in self.recent[:-1] if q is not p and clean(paragraph_text(q))]
        if not before or self.recent[-1] is not p or before[-1] in self.claimed or self._level(before[-1]):
            return None
        text = clean(paragraph_text(before[-1]))
        return None if ANSWER_LABEL.match(text) else (before[-1], text)

    def _leading(self, p: Element) -> str | None:
        """The paragraph a question in lower case goes on from, when that one breaks off: "...,",
        "...:", or no end at all ("Do you conduct annual testing" / "of ChatGPT Enterprise?")."""
        found = self._before(p)
        if found is None or len(found[1]) > 200:
            return None
        last = found[1]
        return last if last.endswith((",", ":", ";", "-", "\u2013")) or last[-1:].isalnum() else None

    def _numbered_before(self, p: Element) -> str | None:
        """The numbered paragraph just before a question, when it is a statement with no answer
        space of its own ("1.6 For this question, "data" means audit logs.")."""
        found = self._before(p)
        if found is None:
            return None
        paragraph, text = found
        numbered = paragraph.find(f"{W_PPR}/{qn('w:numPr')}") is not None or bool(_NUMBER_PREFIX.match(text))
        return None if not numbered or text.endswith("?") or len(text) > 300 else text

    def _answer_line_after(self, following: list[Element]) -> Element | None:
        """An empty answer line ("Response:", "Answer: ____") right after a line of boxes, blank lines apart."""
        for nxt in following[1:]:
            body = clean(paragraph_text(nxt))
            if not body:
                continue
            return nxt if labelled_blank(body) else None  # ("Response:", "Vendor comments: ____")
        return None

    def _boxes_after(self, following: list[Element], target: Element) -> tuple[Element, Boxes] | None:
        """A line of boxes right after an answer line (blank lines apart), with its boxes; else None."""
        after = following[following.index(target) + 1 :]
        for nxt in after:
            if not clean(paragraph_text(nxt)):
                continue
            scan = scan_boxes([nxt])
            return (nxt, scan) if len(scan.boxes) >= 2 and len(scan.prompt.split()) <= 3 else None
        return None

    def _paragraph_boxes(self, pi: int, text: str, target: int, scan: Boxes, line: int | None = None) -> None:
        """A question answered by ticking boxes in paragraph `target`; `line`: an answer line for its sentence."""
        number, qtext = split_number(text)
        labels = _labels(scan)
        self._add(
            FormQuestion(
                location=Location(row=pi, cell=f"P{pi}"),
                text=qtext,
                qid=number,
                answer_cell=f"P{target}",
                comment_cell=f"P{line}" if line is not None else None,
                choices=labels,
                mark_cells=tuple((label, f"P{target}K{k}") for k, label in enumerate(labels)),
                existing=scan.ticked(),
                context=self._context(exclude=text),
            )
        )


def _labels(scan: Boxes) -> tuple[str, ...]:
    # a lone unlabelled box means "tick if yes"
    lone = len(scan.labels) == 1
    return tuple(label or ("Yes" if lone else f"Option {k + 1}") for k, label in enumerate(scan.labels))


def _next_question(rows: list[Row], r: int, layout: _Layout) -> str:
    """The question cell's text of the next row that has one (within two)."""
    for below in rows[r + 1 : r + 3]:
        cell = _by_col(below).get(layout.question)
        if cell is not None and (text := clean(cell.text)):
            return text
    return ""


def _product_matrix(rows: list[Row]) -> list[Cell]:
    """The header cells of a first row naming two products or more ("API | Enterprise | Team"), under
    a title row spanning the table if there is one (round 90 read such a table's API column as the
    answers for --product chatgpt-enterprise), else []."""
    for header in rows[:2]:
        if len(header) >= 3:
            named = [cell for cell in header[1:] if product_header(clean(cell.text))]
            return named if len(named) >= 2 else []
        if len(header) != 1:
            return []
    return []


def _same_columns(a: _Layout, b: _Layout) -> bool:
    return (a.ncols, a.question, a.answer, a.comment, a.qid) == (b.ncols, b.question, b.answer, b.comment, b.qid)


def _mostly_asked(rows: Sequence[Row], layout: _Layout) -> bool:
    """Whether the table's rows are mostly questions (reading.mostly_questions)."""
    return mostly_questions(
        [t for row in rows if (c := _by_col(row).get(layout.question)) is not None and (t := clean(c.text))]
    )


def _heading(
    rows: list[Row], r: int, start: int, cols: dict[int, Cell], qcell: Cell, layout: _Layout, asking: bool
) -> str | None:
    """Whether a row whose only text is a short title in the question column heads the questions
    below it (round 36, in a spreadsheet: "Subprocessors" read as a question, the rows under it as
    the vendor's own): "title" in a table whose other rows carry an id, "either" where only the
    words say so (a row of its own too), else None."""
    text = clean(qcell.text)
    if len(text) > 80 or text.endswith("?") or any(clean(c.text) for c in cols.values() if c is not qcell):
        return None  # (a question, or a row with more than a title: most rows end here)

    def texts(near: list[Row]) -> Iterator[dict[int, str]]:
        return ({c: clean(cell.text) for c, cell in _by_col(row).items()} for row in near)

    after = [t for t in texts(rows[r + 1 : r + 5]) if t.get(layout.question)]
    below = [t[layout.question] for t in after]
    above = [q for t in texts(rows[max(start, r - 8) : r][::-1]) if (q := t.get(layout.question))]
    if not reads_as_heading(text, below[0] if below else None, above):
        return None
    if layout.qid is not None and after[0].get(layout.qid):
        return "title"  # the questions carry ids, this row none
    return "either" if asking or leads_questions(below) else None


def _scope_of(cols: dict[int, Cell], layout: _Layout) -> str | None:
    """What a row's scope cell says it is about: "Applies to: Subprocessors"."""
    cell = cols.get(layout.scope[1]) if layout.scope else None
    return f"{layout.scope[0]}: {clean(cell.text)}" if layout.scope and cell is not None and clean(cell.text) else None


def _answer_space(cell: Cell) -> bool:
    return is_placeholder(cell.text) or bool(scan_boxes(cell_paragraphs(cell.tc)).boxes)


# A cell that holds an answer already: "Yes", "No - see comments", "N/A. (Source: ...)". A filled
# form's answer column is one of answers and spaces, so `review` finds a headerless table again.
_ANSWERED = re.compile(r"^\s*(?:yes|no|n/a|not applicable)\b", re.IGNORECASE)


def _answered(cell: Cell) -> bool:
    return _ANSWERED.match(cell.text) is not None


def _empty_space(p: Element) -> bool:
    """An empty paragraph that can take an answer: no text, drawing, box or section break."""
    if clean(paragraph_text(p)):
        return False
    blocked = (qn("w:drawing"), qn("w:pict"), qn("w:object"), W_CHECKBOX, W14_CHECKBOX, qn("w:sectPr"))
    return next(p.iter(*blocked), None) is None


def _showing_placeholder(p: Element) -> bool:
    return any(sdt.find(f"{W_SDTPR}/{W_SHOWING_PLACEHOLDER}") is not None for sdt in p.iter(W_SDT)) or any(
        sdt.find(f"{W_SDTPR}/{W_SHOWING_PLACEHOLDER}") is not None for sdt in p.iterancestors(W_SDT)
    )


@dataclass(frozen=True)
class _Answer:
    """Where one question's answer goes, and what is there already."""

    answer_cell: str | None = None
    choices: tuple[str, ...] | None = None
    mark_cells: tuple[tuple[str, str], ...] = ()
    existing: str | None = None

    def question(
        self,
        location: Location,
        text: str,
        qid: str | None,
        comment: str | None,
        context: tuple[str, ...],
        header: str = "",
        how: tuple[str, ...] = (),
    ) -> FormQuestion:
        return FormQuestion(
            location=location,
            text=text,
            qid=qid,
            answer_cell=self.answer_cell,
            comment_cell=comment,
            choices=self.choices if self.choices is not None or self.mark_cells else declared_choices((*how, *context)),
            mark_cells=self.mark_cells,
            existing=self.existing,
            context=context,
            scopes=(header, *how) if header or how else (),
        )


def _answer_fields(
    ti: int,
    r: int,
    cell: Cell | None,
    header_choices: tuple[str, ...] | None,
    numbers: Mapping[Element, int] | None = None,
) -> _Answer:
    """The answer target in a cell: its text (or placeholder) or the checkboxes in it, or in the one
    table nested in it that holds them (`numbers`: the document's table numbers)."""
    if cell is None:
        return _Answer()
    ref = f"T{ti}R{r}C{cell.index}"
    scan = scan_boxes(cell_paragraphs(cell.tc))
    if scan.boxes:
        labels = _labels(scan)
        marks = tuple((label, f"{ref}K{k}") for k, label in enumerate(labels))
        return _Answer(ref, labels, marks, scan.ticked())
    inner = _boxes_inside(cell, numbers) if numbers is not None else None
    if inner is not None:
        # "Do you encrypt ...? | [Response: ☐ Yes ☐ No]": the boxes of a table nested in the answer cell
        # (round 100 wrote "Yes" as text beside them and left them unticked)
        ref, scan = inner
        labels = _labels(scan)
        return _Answer(ref, labels, tuple((label, f"{ref}K{k}") for k, label in enumerate(labels)), scan.ticked())
    text = clean(cell.text)
    choices = dropdown_choices(cell.tc) or choice_list(text, strict=False) or header_choices
    return _Answer(ref, choices, (), None if is_placeholder(text) else text)


def _boxes_inside(cell: Cell, numbers: Mapping[Element, int]) -> tuple[str, Boxes] | None:
    """The one cell of boxes in the one table nested in `cell`, with its reference, if that is so."""
    nested = [t for t in cell.tc.iter(W_TBL) if t is not cell.tc]
    if len(nested) != 1 or nested[0] not in numbers:
        return None
    found = _the_boxes(table_rows(nested[0]))
    if found is None:
        return None
    r, c, scan = found
    return f"T{numbers[nested[0]]}R{r}C{c.index}", scan


def _the_boxes(rows: list[Row]) -> tuple[int, Cell, Boxes] | None:
    """The one cell of a table holding checkboxes, when it holds two or more under a short prompt
    ("Response: ☐ Yes ☐ No ☐ N/A"), with its row; None when no cell or several do."""
    scans = [(r, c, scan_boxes(cell_paragraphs(c.tc))) for r, row in enumerate(rows) for c in row]
    boxed = [(r, c, scan) for r, c, scan in scans if scan.boxes]
    if len(boxed) != 1 or len(boxed[0][2].boxes) < 2 or len(boxed[0][2].prompt.split()) > 3:
        return None
    return boxed[0]


def _mark_fields(ti: int, r: int, cols: dict[int, Cell], marks: tuple[tuple[str, int], ...]) -> _Answer:
    """One mark cell (or the checkbox in it) per choice column; `existing` is the marked choice."""
    refs: list[tuple[str, str]] = []
    existing: str | None = None
    for label, col in marks:
        cell = cols.get(col)
        if cell is None:
            continue
        ref = f"T{ti}R{r}C{cell.index}"
        scan = scan_boxes(cell_paragraphs(cell.tc))
        if scan.boxes:
            refs.append((label, f"{ref}K0"))
            marked = scan.boxes[0].checked
        else:
            refs.append((label, ref))
            marked = bool(clean(cell.text)) and not is_placeholder(cell.text)
        if marked and existing is None:
            existing = label
    return _Answer(None, tuple(label for label, _ in refs), tuple(refs), existing)


def _find_header(rows: list[Row]) -> _Header | None:
    """A header row (one of the first three) naming answer or choice columns, and the layout it implies."""
    ncols = _ncols(rows)
    for h in range(min(3, len(rows))):
        if len(rows[h]) < 2:
            continue  # one spanning cell is a title, not a header
        if any(_answered(cell) and len(cell.text.split()) > 8 for cell in rows[h]):
            continue  # "Answer | Yes. Customer content is encrypted ...": a filled row, not a header
        answer: Cell | None = None
        comment = qcol = idcol = None
        scope: tuple[str, int] | None = None
        marks: list[tuple[str, int]] = []
        answers = [cell for cell in rows[h] if header_role(cell.text) == "answer"]
        # of several: one whose name says it holds answers over a flag ("Answer" over "Applies (Y/N)"),
        # and a graded list over a free-text response, which takes the explanation (round 84)
        named = [cell for cell in answers if answer_named(clean(cell.text))]
        answers = named if named else answers
        listed = [c for c in answers if lists_answers(clean(c.text)) or GRADED_HEADER.fullmatch(clean(c.text))]
        spare = [cell.col for cell in answers if cell not in listed] if listed else []
        answer = next(iter(listed or answers), None)
        for cell in rows[h]:
            role = header_role(cell.text)
            if role is None and scope is None and SCOPE_HEADER.search(cell.text):
                # "Applies to": what each row is about ("Owner (Customer / Supplier)": its choices aside)
                scope = (BRACKETED.sub("", clean(cell.text)).strip(), cell.col)
            elif role == "answer":
                continue
            elif role == "comment" and comment is None:
                comment = cell.col
            elif role == "question" and qcol is None:
                qcol = cell.col
            elif role == "question" and comment is None and answer is not None and cell.col > answer.col:
                # "Requirement | Yes / No | Description of controls" (round 105 wrote everything into "Yes / No")
                comment = cell.col if DESCRIBES.match(clean(cell.text)) else None
            elif role == "id" and idcol is None:
                idcol = cell.col
            elif role == "choice":
                marks.append((clean(cell.text), cell.col))
        start = h + 1
        # a "Verdict" header spanning columns over a row of short labels: one mark column per label
        if answer is not None and answer.span >= 2 and h + 1 < len(rows):
            below = [
                c
                for c in rows[h + 1]
                if answer.col <= c.col < answer.col + answer.span and 0 < len(clean(c.text)) <= 20
            ]
            if len(below) >= 2:
                marks, answer, start = [(clean(c.text), c.col) for c in below], None, h + 2
        if len(marks) < 2:
            marks = []
        if comment is None and spare:
            comment = spare[0]
        if answer is None and not marks and qcol is not None:
            # "Question | Business | Notes": one column headed by a product is that product's answers
            # (beside a column the header names for the questions: "Product / service | ChatGPT
            # Enterprise" is a field and its value)
            products = [c for c in rows[h] if product_header(clean(c.text))]
            answer = products[0] if len(products) == 1 and products[0].col != qcol else None
        if answer is None and not marks:
            continue
        taken = {c for _, c in marks} | {answer.col if answer else -1, comment if comment is not None else -1}
        data = rows[start:]
        if qcol is None or qcol in taken:
            # unlabelled questions: only in verdict matrices and narrow tables, not inventories
            qcol = _widest_column(data, taken) if marks or ncols <= 4 else None
        if qcol is None:
            continue
        if idcol is None:
            idcol = _id_column(data, qcol, taken)
        header_cols = _by_col(rows[h])
        over = header_cols.get(qcol)
        section = clean(over.text) if over is not None and header_role(over.text) is None else None
        choices = choice_list(answer.text, strict=True) if answer is not None else None
        header = clean(answer.text) if answer is not None else ""
        layout = _Layout(
            qcol, answer.col if answer else None, comment, idcol, tuple(marks), choices, ncols, scope, header
        )
        return _Header(layout, start, section or None)
    return None


def _widest_column(rows: Sequence[Row], taken: set[int]) -> int | None:
    totals: dict[int, int] = {}
    for row in rows:
        for cell in row:
            if cell.col not in taken and not cell.merged_below and len(row) > 1:
                totals[cell.col] = totals.get(cell.col, 0) + len(clean(cell.text))
    best = max(totals.items(), key=lambda item: item[1], default=None)
    return best[0] if best is not None and best[1] > 0 else None


def _id_column(rows: Sequence[Row], qcol: int, taken: set[int]) -> int | None:
    """The column just left of the questions, when it holds short ids ('1.1', 'AC-2')."""
    texts: list[str] = []
    for row in rows:
        cols = _by_col(row)
        cell = cols.get(qcol - 1)
        if cell is not None and cell is not cols.get(qcol) and cell.col not in taken and clean(cell.text):
            texts.append(clean(cell.text))
    if qcol == 0 or not texts or any(len(t) > 12 or len(t.split()) > 2 for t in texts):
        return None
    return qcol - 1


def _is_header_row(cols: dict[int, Cell], layout: _Layout) -> bool:
    """A repeated header (split tables, per-section headers) rather than a question."""
    question = cols.get(layout.question)
    if question is not None and question_like(question.text):
        return False
    answer_cols = [layout.answer] if layout.answer is not None else []
    mark_cols = [c for _, c in layout.marks]
    for c in answer_cols + mark_cols[:1]:
        cell = cols.get(c)
        if cell is None or len(cell.text.split()) > 4 or is_placeholder(cell.text):
            continue
        if header_role(cell.text) == "answer":
            return True
    if layout.marks:
        texts = [norm(cols[c].text) if c in cols else "" for c in mark_cols]
        return texts == [norm(label) for label, _ in layout.marks]
    return False


def _parent_of(rows: list[Row], r: int, layout: _Layout, qid: str) -> bool:
    """Whether the next row with an id numbers itself under this row's ("F3" over "F3.1")."""
    for below in rows[r + 1 : r + 4]:
        cols = _by_col(below)
        following = clean(cols[layout.qid].text) if layout.qid is not None and layout.qid in cols else ""
        if following:
            return numbered_under(qid, following)
    return False


def _title_elsewhere(cols: dict[int, Cell], layout: _Layout) -> str | None:
    """A row's title written outside its question cell, which is empty: the only text of the row,
    short, in the id or the answer column ("HOSTING PROVIDER", "Subcontractors")."""
    texts = [clean(cell.text) for cell in dict.fromkeys(cols.values())]
    texts = [t for t in texts if t]
    if len(texts) != 1 or len(texts[0]) > 120 or texts[0].endswith("?"):
        return None
    return texts[0] if titles_rows(texts[0]) and not question_kind(texts[0]) == "closed" else None
