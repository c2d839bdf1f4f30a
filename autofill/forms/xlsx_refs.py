"""Spreadsheet column references: "A" is 1, "AB" is 28."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def column_number(letters: str) -> int:
    """'A' -> 1, 'ab' -> 28."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


@lru_cache(maxsize=4096)
def column_letters(number: int) -> str:
    """1 -> 'A', 28 -> 'AB'."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
