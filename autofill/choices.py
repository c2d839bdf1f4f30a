"""An answer in a form's own vocabulary: "N/A" is "NA" in CAIQ, "Yes" is "P" in a verdict matrix."""

from __future__ import annotations

import re
from collections.abc import Sequence

# What each spelling a form may use means.
_MEANING: dict[str, str] = {
    "yes": "Yes", "y": "Yes", "true": "Yes", "pass": "Yes", "p": "Yes", "implemented": "Yes",
    "compliant": "Yes", "no": "No", "n": "No", "false": "No", "fail": "No", "f": "No",
    "not implemented": "No", "non compliant": "No", "n a": "N/A", "na": "N/A", "not applicable": "N/A",
    "na pass": "N/A", "none applicable": "N/A",
}  # fmt: skip


def label(text: str) -> str:
    """Lower-case words only, for comparing labels: 'N/A' and 'n a' are equal."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def meaning(text: str) -> str | None:
    """Yes, No or N/A for a spelling a form may use ("NA (Pass)" is N/A), else None."""
    words = label(text)
    if words in _MEANING:
        return _MEANING[words]
    head = words.split(" ", 1)[0] if words else ""  # "Yes - fully", "No, see note"
    return _MEANING.get(head) if head in ("yes", "no") else None


def match_choice(choices: Sequence[str], *values: str | None) -> str | None:
    """The form's spelling of the first value it allows ('Yes' -> 'P' in a P/F matrix), or None."""
    for value in values:
        if value and (found := next((c for c in choices if label(c) == label(value)), None)):
            return found
    for value in values:
        wanted = meaning(value or "")
        if wanted and (found := next((c for c in choices if meaning(c) == wanted), None)):
            return found
    return None
