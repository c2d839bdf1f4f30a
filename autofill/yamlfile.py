"""YAML as autofill reads it: safe types only, and aliases that cannot blow up.

An alias (*name) repeats the node its anchor (&name) marks, so a few hundred bytes of nested
aliases stand for billions of values ("billion laughs"): every later walk over them (checks,
the matcher's index, the disk cache) then takes minutes and gigabytes. Aliases that repeat a
list or two are harmless (PyYAML writes them for shared objects), so what is bounded is the
size the document would have with every alias written out.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Values a file with aliases may hold once they are written out (the shipped claims file with
# the most holds about 3,000, a learned file of 10,000 decisions about 80,000).
MAX_EXPANDED = 1_000_000


class AliasError(yaml.MarkedYAMLError):
    """Aliases that expand a document past MAX_EXPANDED values."""


def load_yaml(text: str) -> Any:
    """`text` parsed with the safe loader; raises AliasError (a YAMLError with a line) for an alias bomb."""
    # the events are counted first, by the same C parser, so nothing is ever expanded
    sizes: dict[str, int] = {}
    open_nodes: list[tuple[str | None, int]] = []  # anchor and values so far of each open collection
    total, aliased = 0, False
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            open_nodes.append((event.anchor, 1))
            continue
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = open_nodes.pop()
        elif isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, 1
        elif isinstance(event, yaml.AliasEvent):
            anchor, size, aliased = None, sizes.get(event.anchor or "", 1), True
        else:
            continue
        if anchor is not None:
            sizes[anchor] = size
        if open_nodes:
            parent, count = open_nodes[-1]
            open_nodes[-1] = (parent, count + size)
        total += size if not open_nodes else 0
        if aliased and (size > MAX_EXPANDED or total > MAX_EXPANDED):  # a file without aliases is as big as it looks
            at = event.start_mark
            raise AliasError(
                problem=f"its aliases (*name) expand to more than {MAX_EXPANDED:,} values; write the values out",
                problem_mark=yaml.Mark("", 0, at.line, at.column, None, 0) if at else None,
            )
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
