"""An answer in a form's own vocabulary: "N/A" is "NA" in CAIQ, "Yes" is "P" in a verdict matrix."""

from __future__ import annotations

import re
from collections.abc import Sequence

# What each spelling a form may use means.
_MEANING: dict[str, str] = {
    "yes": "Yes", "y": "Yes", "true": "Yes", "no": "No", "n": "No", "false": "No",
    "n a": "N/A", "na": "N/A", "not applicable": "N/A", "na pass": "N/A", "none applicable": "N/A",
}  # fmt: skip
# Spellings that grade rather than answer: "Non-compliant" for a No to "Do you train on customer
# data?" would say the opposite of the truth. They stand for Yes / No only where the row states a
# requirement ("The application shall enforce ...", "Implement access control ..."), not a question.
_GRADE: dict[str, str] = {
    "pass": "Yes", "p": "Yes", "implemented": "Yes", "fully implemented": "Yes", "compliant": "Yes",
    "fail": "No", "f": "No", "not implemented": "No", "non compliant": "No", "noncompliant": "No",
    "adequate": "Yes", "inadequate": "No", "not adequate": "No",
    # a requirement met or not (round 70: a bank's "Fully met / Partially met / Not met / Not applicable")
    "fully met": "Yes", "met": "Yes", "not met": "No", "fully compliant": "Yes", "in place": "Yes",
    "not in place": "No", "satisfied": "Yes", "not satisfied": "No", "conforms": "Yes", "does not conform": "No",
    # a telecom's "Meets / Partially meets / Does not meet" (round 122b read no choice for Yes)
    "meets": "Yes", "fully meets": "Yes", "does not meet": "No",
}  # fmt: skip
# Compliance codes: "C / PC / NC / N/A" (round 80's health-tech form). They grade as the words they
# stand for, and only in a list that holds two of them ("C" alone is no code).
COMPLIANCE_CODES: dict[str, str] = {"c": "compliant", "fc": "fully compliant", "pc": "partially compliant",
                                    "nc": "non compliant"}  # fmt: skip
# A list that asks whether one agrees with a statement: for a row that states something ("The
# Supplier does not train on Bank data by default."), agreeing is saying it holds, either way
_AGREE: dict[str, str] = {"agree": "Yes", "disagree": "No"}
# "Yes - see note", "No (explain below)": a plain Yes or No with a pointer to the comments. Any
# other tail changes the meaning ("No - planned", "Yes, with exceptions", "No answer").
_HEAD = re.compile(
    r"^\s*(yes|no)\s*[-,:;(/\u2013\u2014]\s*(?:please\s+)?(?:see (?:note|notes|comment|comments|below|attached|"
    r"additional information)|explain(?: below| in comments)?|provide details|details below|describe below)\W*$",
    re.IGNORECASE,
)


# "1 = Yes", "0 = No", "Y - Yes", "Yes (1)": a code beside the answer word means that word (round 46
# left "1 = Yes / 0 = No" and "Y - Yes / N - No" lists for review)
_CODED = re.compile(
    r"^\s*(?:[0-9]|[a-z])\s*[=:.)\-\u2013]\s*(yes|no|n/?a|not applicable)\s*$"
    r"|^\s*(yes|no|n/?a|not applicable)\s*[(\[]\s*(?:[0-9]|[a-z])\s*[)\]]\s*$",
    re.IGNORECASE,
)


def label(text: str) -> str:
    """Lower-case words only, for comparing labels: 'N/A' and 'n a' are equal."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def meaning(text: str, *, graded: bool = False, stated: bool = False) -> str | None:
    """Yes, No or N/A for a spelling a form may use ("NA (Pass)" is N/A), else None.

    `graded`: the row states a requirement, so "Pass" and "Compliant" mean that it is met.
    `stated`: the row is a statement, so "Agree" and "Disagree" say whether it holds.
    """
    words = label(text)
    if words in _MEANING:
        return _MEANING[words]
    if graded and words in _GRADE:
        return _GRADE[words]
    if stated and words in _AGREE:
        return _AGREE[words]
    head = _HEAD.match(text)
    if head:
        return _MEANING[head.group(1).lower()]
    coded = _CODED.match(text)
    if coded:
        return _MEANING[label(coded.group(1) or coded.group(2))]
    # "C - Compliant", "NC = Non-compliant", "Compliant (C)": a code beside a word means that word
    spelled = _SPELLED.match(text) if graded or stated else None
    words = label((spelled.group(1) or spelled.group(2)) if spelled else "")
    return (_GRADE.get(words) if graded else None) or (_AGREE.get(words) if stated else None)


_SPELLED = re.compile(
    r"^\s*[a-z0-9]{1,3}\s*[=:.)\-\u2013]\s*([a-z][a-z -]{1,30})\s*$"
    r"|^\s*([a-z][a-z -]{1,30}?)\s*[(\[]\s*[a-z0-9]{1,3}\s*[)\]]\s*$",
    re.IGNORECASE,
)


def _decoded(choices: Sequence[str]) -> dict[str, str]:
    """The words a list's compliance codes stand for, when it holds two codes ("C / PC / NC / N/A")."""
    codes = {c: COMPLIANCE_CODES[label(c)] for c in choices if label(c) in COMPLIANCE_CODES}
    return codes if len(codes) >= 2 else {}


def match_choice(choices: Sequence[str], *values: str | None, graded: bool = False, stated: bool = False) -> str | None:
    """The form's spelling of the first value it allows ('Yes' -> 'P' in a P/F matrix), or None."""
    for value in values:
        if value and (found := next((c for c in choices if label(c) == label(value)), None)):
            return found
    decoded = _decoded(choices)
    # a letter means its usual word only in a list of the usual letters: in "Y / X / N" (X = No, N = not
    # applicable) or "Y / P / N / X", "N" is not certainly No (round 81 wrote it for a No)
    letters = {label(c) for c in choices if len(label(c)) <= 2 and c not in decoded and label(c) not in ("no", "ok")}
    odd = bool(letters - _USUAL_LETTERS)
    for value in values:
        wanted = meaning(value or "")
        if not wanted:
            continue
        for choice in choices:
            if odd and label(choice) in letters:
                continue
            if meaning(decoded.get(choice, choice), graded=graded, stated=stated) == wanted:
                return choice
    return None


_USUAL_LETTERS = frozenset({"y", "n", "na", "n a", "p", "f"})


# Words a form offers as answers to pick from
CHOICE_WORDS = {
    "yes", "no", "n a", "na", "y", "n", "p", "f", "inc", "pass", "fail", "partial", "partially",
    "compliant", "non compliant", "true", "false", "not applicable", "implemented",
    "not implemented", "planned", "inconclusive", "untested", "na pass", "unknown", "agree", "disagree",
    "fully met", "partially met", "not met", "met", "fully compliant", "partially compliant", "in place",
    "not in place", "partially implemented", "satisfied", "not satisfied", "partially satisfied", "conforms",
    "does not conform", "partially conforms", "adequate", "inadequate", "not adequate", "non conformant",
    "meets", "fully meets", "partially meets", "does not meet",
}  # fmt: skip


def choice_list(text: str, *, strict: bool) -> tuple[str, ...] | None:
    """Choices written into a cell or header ('Pass / Fail / NA', 'Yes/No'); None if it is not one.

    With `strict`, every part must be a known answer word; spaced slashes allow any short part.
    """
    body = " ".join(text.split())
    # "[Yes/No]", "<Yes / No>": a placeholder's brackets are no part of its choices (round 47 wrote "No]")
    bracketed = re.fullmatch(r"[\[<{](.*)[\]>}]", body)
    body = bracketed.group(1).strip() if bracketed else body
    # "Answer - In place / Not in place", "Response: Met / Not met": the column's name, then its choices
    named = re.match(r"(?i)(?:answer|response|status|rating|result|reply)\s*[-:\u2013]\s*(.*/.*)$", body)
    body = named.group(1) if named else body
    inner = re.search(r"\(([^()]*/[^()]*)\)\s*$", body)
    if inner and not strict:
        return None
    if inner:
        body = inner.group(1)
    spaced = " / " in body
    protected = re.sub(r"\bN/A\b", "N\x00A", body, flags=re.I)
    parts = [p.strip().replace("\x00", "/") for p in re.split(r"\s*/\s*|\s+or\s+", protected)]
    if not 2 <= len(parts) <= 8 or any(not p or len(p) > 25 or len(p.split()) > 4 for p in parts):
        return None
    if all(label(p) in CHOICE_WORDS or label(p) in COMPLIANCE_CODES for p in parts) or (spaced and not strict):
        return tuple(parts)
    return None


# A header that names its answers in brackets: "Compliance (C / PC / NC / N/A)", "Implemented (Y/N)"
BRACKETED = re.compile(r"\(([^()]{3,100})\)\s*$")
# A column that grades each requirement: "Compliance", "Compliance status" (round 80)
GRADED_HEADER = re.compile(r"(?:compliance|conformance|conformity)(?: status| level| rating| assessment)?", re.I)
# Words of a header's name that say its column holds answers
_ANSWERING = re.compile(
    r"answer|respon|repl(?:y|ies)|yes\s*(?:/|-|or)\s*no|\by\s*/\s*n\b|complian|verdict|attest|\bstatus\b|\brating\b|"
    r"\bresults?\b|\bimplemented\b|\bimplementation\b|\bin place\b|\bmet\b",
    re.I,
)


def answer_named(header: str) -> bool:
    """Whether a header's name, its bracketed list aside, says it holds answers: "Response",
    "Compliance (C / PC / NC)", "Yes/No"; not "Mandatory (Y/N)", "Applicable? (Y/N)" (round 81)."""
    name = BRACKETED.sub("", header).strip(" ?:")
    return _ANSWERING.search(name) is not None or GRADED_HEADER.fullmatch(name) is not None


def lists_answers(header: str) -> bool:
    """Whether a header's closing brackets list answers, two of them at least: "Compliance (C / PC /
    NC / N/A)" (round 80 read it as no answer column)."""
    inner = BRACKETED.search(header)
    if inner is None:
        return False
    parts = [label(p) for p in re.split(r"\s*/\s*|\s*,\s*", re.sub(r"(?i)\bn/a\b", "na", inner.group(1)))]
    return sum(p in CHOICE_WORDS or p in COMPLIANCE_CODES for p in parts) >= 2


def flags_the_row(header: str) -> bool:
    """Whether a header is a question of its own about the row, its bracketed list aside
    ("Applicable to you? (Y/N)", "Evidence provided? (Y/N)"): no column for the vendor's answer."""
    return BRACKETED.sub("", header).rstrip().endswith("?") and not answer_named(header)


_GRADES = re.compile(
    r"\b(?:compliant|compliance|met|in place|implemented|satisfied|conforms?|conformance|pass(?:ed)?)\b", re.I
)


def grades(header: str) -> bool:
    """Whether an answer column's name grades a requirement ("Compliant (Y/N)", "Control implemented
    (Y/N)", "Met?"): its Y / N say met or not, which a question's No is not."""
    return _GRADES.search(BRACKETED.sub("", header)) is not None


# A cell's own boxes typed as text: "☐ Yes ☐ No", "[ ] Yes [ ] No", "( ) Yes (x) No" (round 107 read them as
# the customer's answer, kept, in 57 row-modes)
_TYPED_BOX = r"(?:[☐□❑▢☒☑]|\[(?:\s{0,3}|\s?[xX✓✔]\s?)\]|\((?:\s{0,3}|\s?[xX✓✔]\s?)\))"
_BOX_ITEM = re.compile(rf"({_TYPED_BOX})\s*([A-Za-z][\w/ .'-]{{0,40}}?)\s*(?=$|{_TYPED_BOX})")
# what may follow the last label: "( ) Yes ( ) No - explain below", "[ ] Compliant [ ] Non-compliant - attach AOC"
_BOX_TAIL = re.compile(r"\s+[-–—(:]\s*.*$|\s+(?:please|if|explain|attach|see|provide)\b.*$", re.IGNORECASE)
_TICKED = re.compile(r"[☒☑]|[\[(]\s*[xX✓✔]\s*[\])]")


def typed_boxes(text: str) -> tuple[tuple[str, ...], str | None] | None:
    """The labels of a text that is only boxes and their labels, and the one ticked (None: none); else None."""
    body = text.strip()
    items = list(_BOX_ITEM.finditer(body))
    if len(items) < 2 or re.sub(r"\s", "", "".join(m.group(0) for m in items)) != re.sub(r"\s", "", body):
        return None
    labels = [_BOX_TAIL.sub("", m.group(2)).strip() for m in items]
    ticked = [label for m, label in zip(items, labels, strict=True) if _TICKED.fullmatch(m.group(1))]
    # (two or more ticked is the customer's own answer too, however odd: kept as it stands, never rewritten)
    return tuple(labels), (ticked[0] if len(ticked) == 1 else ", ".join(ticked) if ticked else None)


def tick_typed(text: str, choice: str) -> str | None:
    """The text with the box before `choice` ticked (as its kind is ticked) and no other; None when it has none."""
    text = _TICKED.sub(lambda m: "☐" if len(m.group(0)) == 1 else f"{m.group(0)[0]} {m.group(0)[-1]}", text)
    found = next((m for m in _BOX_ITEM.finditer(text) if _BOX_TAIL.sub("", m.group(2)).strip() == choice), None)
    if found is None:
        return None
    box = found.group(1)
    ticked = "☒" if len(box) == 1 else f"{box[0]}X{box[-1]}"
    return text[: found.start(1)] + ticked + text[found.end(1) :]
