"""The learned-answers file: reviewers' accepted and rejected matches, appended atomically.

`knowledge.py` reads and validates it; this module adds to it and says what it rejects. The file stays readable
and hand-editable: new entries are appended as YAML text, so comments and order are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from autofill.atomic import write_bytes_atomic
from autofill.errors import KnowledgeBaseError
from autofill.models import LearnedAnswer
from autofill.text import question_key
from autofill.yamlfile import load_yaml

_ITEM = re.compile(r"^( *)- ", re.MULTILINE)  # an entry of the answers list
HEADER = """\
# Reviewers' decisions, reused by 'autofill fill'; added by 'autofill review' and 'autofill apply'.
#   accept: this question is answered by this claim (the same wording, or the same standard
#           question id with similar wording, is answered without review);
#   reject: this claim is not offered for this question again (confidence capped at 40).
# Answers typed by hand are not here: they go to library/attested.yaml, the reviewer's attestation.
# Edit or delete entries freely; 'autofill knowledge check' validates this file.
answers:
"""


def append_learned(path: Path, entries: Sequence[LearnedAnswer]) -> int:
    """Append `entries` to the learned file at `path` (created if missing); return how many were new.

    An entry equal to one already in the file (same question, claim, answer, decision and id)
    is left out, so applying the same decisions twice changes nothing.
    """
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    # two reviewers finishing at once must not lose each other's entries
    with FileLock(str(path.with_name(f".{path.name}.lock")), timeout=30):
        text = path.read_text(encoding="utf-8") if path.exists() else HEADER
        old = _entries(path, text)
        seen = {_identity(item) for item in old}
        new = []
        for entry in entries:
            raw = _raw(entry)
            if _identity(raw) not in seen:
                seen.add(_identity(raw))
                new.append(raw)
        if not new:
            return 0
        if not text.endswith("\n"):
            text += "\n"
        # the new entries take the indentation of the file's own list, so a hand-indented file stays valid
        block = yaml.safe_dump(new, sort_keys=False, allow_unicode=True, width=100)
        indent = _list_indent(text)
        appended = text + "".join(indent + line if line.strip() else line for line in block.splitlines(True))
        if _parses_to(appended) != old + new:
            # not a plain block list at the end of the file (e.g. "answers: []"): write it anew
            appended = HEADER + yaml.safe_dump(old + new, sort_keys=False, allow_unicode=True, width=100)
        write_bytes_atomic(path, appended.encode("utf-8"))
    return len(new)


def _list_indent(text: str) -> str:
    """The indentation of the last top-level "answers:" list's items ("" when none is found)."""
    found = _ITEM.findall(text)
    return found[-1] if found else ""


def _parses_to(text: str) -> list[dict[str, Any]] | None:
    try:
        return _entries(Path(), text)
    except KnowledgeBaseError:
        return None


def _entries(path: Path, text: str) -> list[dict[str, Any]]:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        raise KnowledgeBaseError(path, None, f"is not valid YAML ({error}); fix it before reviewing") from None
    answers = data.get("answers") if isinstance(data, dict) else None
    if data is not None and not isinstance(answers, list) and not (isinstance(data, dict) and answers is None):
        raise KnowledgeBaseError(path, None, "must have a top-level 'answers:' list; fix it before reviewing")
    return [a for a in answers or [] if isinstance(a, dict)]


def _raw(entry: LearnedAnswer) -> dict[str, Any]:
    raw: dict[str, Any] = {"question": entry.question}
    if entry.qid:
        raw["qid"] = entry.qid
    raw["claim"] = entry.claim
    if entry.answer is not None:
        raw["answer"] = entry.answer
    raw["decision"] = entry.decision
    if entry.product:
        raw["product"] = entry.product
    raw["who"] = entry.who
    raw["when"] = entry.when
    return raw


def _identity(raw: dict[str, Any]) -> tuple[str, ...]:
    answer = raw.get("answer")
    if isinstance(answer, bool):  # unquoted YAML Yes/No typed by hand
        answer = "Yes" if answer else "No"
    fields = (raw.get("claim"), answer, raw.get("decision"), raw.get("qid"), raw.get("product"))
    return (question_key(str(raw.get("question") or "")), *(str(f or "") for f in fields))


def rejections(learned: Iterable[LearnedAnswer], product: str | None = None) -> dict[str, tuple[str, ...]]:
    """Per question key, the claims (or library entries) a reviewer rejected for it; a later
    decision on the same pairing overrides an earlier one. A decision made in one product's column
    holds for that product only."""
    verdicts: dict[str, dict[str, str]] = {}
    for entry in learned:
        if entry.product is not None and entry.product != product:
            continue
        verdicts.setdefault(question_key(entry.question), {})[entry.claim] = entry.decision
    return {key: tuple(c for c, decision in said.items() if decision == "reject") for key, said in verdicts.items()}
