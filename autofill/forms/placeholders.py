"""Text a form puts in a cell for the vendor to replace ("Select...", "[Answer]"), and headers of
columns that are the customer's own to fill ("Assessor notes")."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(
    r"^(\[[^\]]{0,60}\]|<[^>]{0,60}>|\{[^}]{0,60}\}|_{3,}|\.{4,}|[-–—]+\s*(please\s+)?(select|choose|pick)[^-–—]{0,20}[-–—]+"
    # the choices themselves, left as a hint: "Yes/No/N/A", "Y / N" (round 60 kept them as answers)
    r"|(yes|y)\s*/\s*(no|n)(\s*/\s*(n/?a|not applicable|partial))*"
    r"|click (or tap )?here to enter (a )?(text|date)\.?|(please\s+)?(enter|type|insert|add) "
    r"(your\s+)?(text|answer|response|value|comments?)( here)?\.*|tbd|tba|to be (completed|confirmed|determined)"
    r"|(please\s+)?(select|choose|pick)( (one|an? (item|option|answer|value|response)|from (the )?(list|drop-?down)))?"
    r"\s*(\.{2,}|…|:)?|choose an item\.?)$",
    re.I,
)


def is_placeholder_text(text: str) -> bool:
    """True for a prompt to replace ("Select...", "[Enter answer]", "Click here to enter text.", "TBD")."""
    return bool(PLACEHOLDER.match(" ".join(text.split())))


# A column the customer's reviewers fill: "Customer assessor notes", "Reviewer comments", "Auditor
# rating", "For internal use only". The vendor's words never go there.
# So are the answers it expects ("Expected response", "Answer key", "Ideal answer", "Required
# (Y/N)") and its teams' notes ("Internal comments", "Risk team notes", "InfoSec review notes").
_RESERVED = re.compile(
    r"\b(?:assessors?|assessment notes|reviewers?|auditors?|evaluators?|scor(?:e|es|ing)|ratings?|"
    r"internal (?:notes?|comments?|use|only)|internal(?=\))|use only|official use|"
    r"customer (?:notes?|comments?|use|answers?|responses?)|client (?:notes?|comments?|use|answers?|responses?)|"
    r"target state|risk (?:rating|level|team)|expected|ideal (?:answers?|responses?)|answer key|model answer|"
    r"^required|review (?:notes?|comments?)|procurement|infosec|legal team|security team)\b",
    re.I,
)
# a header asking for a description ("Description of controls", "Describe the controls in place"): right of
# the answers, the column for the details
DESCRIBES = re.compile(r"\W*(?:vendor\W+|supplier\W+|your\W+)?(?:descri(?:ption|be)\b)", re.I)
# Words that say a column is the vendor's to fill: "Vendor Response", "Supplier comments".
VENDOR_SIDE = re.compile(r"\b(?:vendor|supplier|provider|respondent|bidder|your|service provider)\b", re.I)


def reserved_header(text: str) -> bool:
    """True for the header of a column the customer fills (assessor notes, scores, target state,
    the answer it expects)."""
    return bool(_RESERVED.search(text)) and not VENDOR_SIDE.search(text)


# A column that says what each row is about: "Applies to: Subprocessors", "Control owner: Customer".
SCOPE_HEADER = re.compile(
    r"\b(?:applies to|scope|(?:control )?owner|responsib\w*|accountable(?: party)?|"
    r"(?:implemented|performed|operated) by|asset)\b|^\s*(?:products?|services?|"
    # round 97: "Party" (OpenAI / Sub-processor / Client) right of the answer column
    r"platforms?|offerings?|environments?|party|parties|entity|entities)\s*$",
    re.I,
)
