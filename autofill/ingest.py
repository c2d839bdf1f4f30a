"""Turn a raw text or HTML capture of a published page into a clean, citable source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from autofill.errors import AutofillError

# Elements whose text is never page content.
_DROP_TAGS = ("script", "style", "noscript", "svg", "template", "head", "nav", "header", "footer", "form")
# Elements that end a line of text when flattened.
_BLOCK_TAGS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 br section article aside main table tr td th "
    "dt dd dl blockquote pre figure figcaption details summary button".split()
)
# Screen-reader labels and placeholders that carry no meaning once the page is text.
_NOISE_PHRASES = ("(opens in a new window)", "Loading...", "Skip to main content")
# Captures that lost their line breaks glue sentences: "mission.We", "Specifically:We".
_GLUED_SENTENCE = re.compile(r"(?<=[a-z0-9)\]][.?!:])(?=[A-Z][a-z])")
# Where a capture lost its line breaks, headings run into the next sentence:
# "Our commitmentAt OpenAI". Split lower-to-Capitalised joins only on such long lines.
_GLUED_WORDS = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])|(?<=[A-Z]\.)(?=[A-Z][a-z])|(?<=\d{4})(?=[A-Z][a-z])")
_GLUED_LINE_LENGTH = 1000
# Mojibake whose continuation bytes were lost in the capture ("donâ t" lost "\x80\x99"):
# ftfy cannot restore it, so a lone "â" becomes an apostrophe where one fits, else a dash.
_LONE_A_APOSTROPHE = re.compile(r"(?<=\w)â(?=(?:s|t|ll|re|ve|d|m)\b)|(?<=s)â(?=\s)")
_LONE_A_DASH = re.compile(r"â+")


@dataclass(frozen=True)
class IngestedSource:
    id: str
    title: str
    url: str
    date: str | None
    text: str
    raw_name: str
    order: int
    start: str | None = None
    end: str | None = None


def looks_like_html(raw: str) -> bool:
    head = raw.lstrip()[:1000].lower()
    return head.startswith("<!doctype html") or "<html" in head


def html_to_text(raw: str) -> str:
    """Visible text of an HTML page, one block element per line."""
    import lxml.html

    root = lxml.html.fromstring(raw)
    for tag in _DROP_TAGS:
        for element in list(root.iter(tag)):
            element.drop_tree()  # type: ignore[attr-defined]  # lxml.html elements have it
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            if element.tag.lower() == "br":
                continue
            element.text = "\n" + (element.text or "")
    return str(root.text_content())  # type: ignore[attr-defined]


def clean_text(raw: str, *, start: str | None = None, end: str | None = None) -> str:
    """Clean a capture: strip HTML, repair mojibake, drop navigation, one paragraph a line.

    `start`/`end` are phrases that bound the page's content (site navigation before,
    footer after); both are matched after mojibake repair.
    """
    import ftfy

    text = html_to_text(raw) if looks_like_html(raw) else raw
    text = ftfy.fix_text(text, unescape_html=True).replace("\u00a0", " ")
    text = _LONE_A_DASH.sub("—", _LONE_A_APOSTROPHE.sub("'", text))
    if start is not None:
        at = text.find(start)
        if at < 0:
            raise AutofillError(f"start phrase {start!r} not found in the page; check --start")
        text = text[at:]
    if end is not None:
        at = text.find(end)
        if at < 0:
            raise AutofillError(f"end phrase {end!r} not found in the page; check --end")
        text = text[:at]
    text = "\n".join(
        _GLUED_WORDS.sub("\n", line) if len(line) > _GLUED_LINE_LENGTH else line for line in text.splitlines()
    )
    for phrase in _NOISE_PHRASES:
        text = text.replace(phrase, "\n" if phrase != "(opens in a new window)" else "")
    text = _GLUED_SENTENCE.sub("\n", text)
    lines = (re.sub(r"[ \t]+", " ", line).strip(" \t•·") for line in text.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def ingest(
    raw_path: Path,
    *,
    source_id: str,
    title: str,
    url: str,
    date: str | None,
    order: int,
    start: str | None = None,
    end: str | None = None,
) -> IngestedSource:
    """Read and clean one raw capture."""
    try:
        raw = raw_path.read_bytes().decode("utf-8", errors="replace")
    except OSError as error:
        raise AutofillError(f"{raw_path}: cannot read it ({error.strerror}); check the path") from None
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", source_id):
        raise AutofillError(f"source id {source_id!r} must be lower-case letters, digits and hyphens")
    if date is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        raise AutofillError(f"date {date!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
    text = clean_text(raw, start=start, end=end)
    if len(text.strip()) < 20:
        raise AutofillError(f"{raw_path}: almost no text left after cleaning; check --start/--end")
    return IngestedSource(source_id, title, url, date, text, raw_path.name, order, start, end)


def source_yaml(source: IngestedSource) -> str:
    """The source as the YAML document stored in knowledge/sources/."""
    import yaml

    meta: dict[str, object] = {
        "id": source.id,
        "title": source.title,
        "url": source.url,
        "date": source.date,
        "order": source.order,
        "ingested_from": source.raw_name,
    }
    if source.start is not None:
        meta["start"] = source.start
    if source.end is not None:
        meta["end"] = source.end
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    body = "".join(f"  {line}\n" for line in source.text.splitlines())
    return f"{head}text: |\n{body}"
