"""Terms a form defines as products: a row saying one ("Is the Service covered by ...?") is asked of it."""

from __future__ import annotations

import re
from dataclasses import replace

from autofill.models import FormQuestion


def with_defined_products(question: FormQuestion, terms: dict[str, str]) -> FormQuestion:
    """A row saying a term the form defines as a product ("Is the Service covered by ...?"), or on a sheet named by
    it, has the definition among its scopes, nearest after its answer column, so that it is asked of that product."""
    # (or its sheet is named by the term: a sheet "Service" holds the rows about the Service)
    place = f"{question.text} {question.location.sheet or ''}"
    said = [text for term, text in terms.items() if re.search(rf"\b{re.escape(term)}\b", place)]
    if not said:
        return question
    header, rest = (question.scopes[0], question.scopes[1:]) if question.scopes else ("", ())
    return replace(question, scopes=(header, *said, *rest))
