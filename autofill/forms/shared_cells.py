"""A comment cell that several answer columns of one row share ("Question | API | ChatGPT
Enterprise | Comments"): what each column's answer says, in the one cell."""

from __future__ import annotations


def together(comments: list[tuple[str, str]]) -> str:
    """The comments of a row's answer columns, each (its column's header, its text): said once where
    they are the same, else each after its header ("API: ...", "ChatGPT Enterprise: ...")."""
    if len({text for _, text in comments}) == 1:
        return comments[0][1]
    return "\n".join(f"{header}: {text}" if header else text for header, text in comments)
