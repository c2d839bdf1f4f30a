"""Text a form puts in an answer space to be replaced: it is no answer ("Select...", "[Answer]")."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(
    r"^(\[[^\]]{0,60}\]|<[^>]{0,60}>|\{[^}]{0,60}\}|_{3,}|\.{4,}|-{2,}\s*(please\s+)?select[^-]{0,20}-{2,}"
    r"|click (or tap )?here to enter (a )?(text|date)\.?|(please\s+)?(enter|type|insert|add) "
    r"(your\s+)?(text|answer|response|value|comments?)( here)?\.*|tbd|tba|to be (completed|confirmed|determined)"
    r"|(please\s+)?(select|choose|pick)( (one|an? (item|option|answer|value|response)|from (the )?(list|drop-?down)))?"
    r"\s*(\.{2,}|…|:)?|choose an item\.?)$",
    re.I,
)


def is_placeholder_text(text: str) -> bool:
    """True for a prompt to replace ("Select...", "[Enter answer]", "Click here to enter text.", "TBD")."""
    return bool(PLACEHOLDER.match(" ".join(text.split())))
