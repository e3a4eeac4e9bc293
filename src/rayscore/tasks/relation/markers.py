"""Where the two entities are: marked text for the transformer, context segments for the offline model.

``mark`` inserts ``[E1]...[/E1]`` around the subject and ``[E2]...[/E2]`` around the
object (``typed``: ``[E1:PER]...[/E1:PER]``), the markers the tokenizer gets as special
tokens. ``window`` cuts a long sentence around the two entities so that truncation to
the model's length never drops one (the seed truncated from the right and lost objects
late in long sentences).

Example:
    >>> pair = Pair("이순신은 조선의 장군이다.", 0, 2, "PER", 4, 5, "ORG")
    >>> mark(pair, "plain")
    '[E1]이순신[/E1]은 [E2]조선[/E2]의 장군이다.'
    >>> segments(pair).between, segments(pair).after_subject
    ('은 ', '은')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from rayscore.tasks.relation.labels import TYPES

MarkerStyle = Literal["plain", "typed", "punct"]


@dataclass(frozen=True)
class Pair:
    """A sentence and its marked pair; ``*_end`` inclusive, as KLUE."""

    sentence: str
    s_start: int
    s_end: int
    s_type: str
    o_start: int
    o_end: int
    o_type: str

    @classmethod
    def of_row(cls, row: Any) -> Pair:
        return cls(str(row["text"]), int(row["subj_start"]), int(row["subj_end"]), str(row["subj_type"]),
                   int(row["obj_start"]), int(row["obj_end"]), str(row["obj_type"]))

    @property
    def subject_first(self) -> bool:
        return self.s_start <= self.o_start

    def overlaps(self) -> bool:
        return not (self.s_end < self.o_start or self.o_end < self.s_start)


def special_tokens(style: MarkerStyle) -> list[str]:
    """The marker tokens a tokenizer must know for ``style``."""
    if style == "typed":
        return [f"[{m}:{t}]" for m in ("E1", "/E1", "E2", "/E2") for t in TYPES]
    if style == "punct":  # typed entity markers with punctuation (Zhou & Chen 2021): no new tokens
        return []
    return ["[E1]", "[/E1]", "[E2]", "[/E2]"]


def _tags(style: MarkerStyle, which: str, etype: str) -> tuple[str, str]:
    if style == "typed":
        return f"[{which}:{etype}]", f"[/{which}:{etype}]"
    if style == "punct":
        return (f"@ * {etype} * ", " @") if which == "E1" else (f"# ^ {etype} ^ ", " #")
    return f"[{which}]", f"[/{which}]"


def mark(p: Pair, style: MarkerStyle = "plain") -> str:
    """The sentence with both entities wrapped in their markers."""
    if p.overlaps():  # nested spans (an entity inside the other): mark the outer one's words only
        raise ValueError("subject and object spans overlap")
    spans = sorted([(p.s_start, p.s_end, "E1", p.s_type), (p.o_start, p.o_end, "E2", p.o_type)])
    out, pos = [], 0
    for start, end, which, etype in spans:
        open_, close = _tags(style, which, etype)
        out += [p.sentence[pos:start], open_, p.sentence[start:end + 1], close]
        pos = end + 1
    out.append(p.sentence[pos:])
    return "".join(out)


def window(p: Pair, max_chars: int) -> Pair:
    """``p`` cut to at most ``max_chars`` characters around the two entities (both always kept)."""
    n = len(p.sentence)
    if n <= max_chars:
        return p
    lo, hi = min(p.s_start, p.o_start), max(p.s_end, p.o_end) + 1
    spare = max(0, max_chars - (hi - lo))
    left = min(lo, spare // 2)
    right = min(n - hi, spare - left)
    left = min(lo, spare - right)  # give the right side's unused share to the left
    a, b = lo - left, hi + right
    return Pair(p.sentence[a:b], p.s_start - a, p.s_end - a, p.s_type, p.o_start - a, p.o_end - a, p.o_type)


@dataclass(frozen=True)
class Segments:
    """The text around the pair, as the offline model reads it."""

    before: str  # up to the first entity
    between: str  # between the two entities
    after: str  # after the second entity, to the end of its clause
    rest: str  # after that clause, to the end of the sentence
    after_subject: str  # the particle right after each entity (은, 의, 에서, ...)
    after_object: str
    subject_first: bool


CLAUSE_BREAKS = (", ", "며 ", "고 ", ". ")


def segments(p: Pair, particle_chars: int = 2) -> Segments:
    first_end, second_start = (p.s_end, p.o_start) if p.subject_first else (p.o_end, p.s_start)
    second_end = max(p.s_end, p.o_end)
    after = p.sentence[second_end + 1:]
    cut = min([i for i in (after.find(", "),) if i >= 0] or [len(after)])
    return Segments(
        before=p.sentence[:min(p.s_start, p.o_start)], between=p.sentence[first_end + 1:second_start],
        after=after[:cut], rest=after[cut:],
        after_subject=p.sentence[p.s_end + 1:p.s_end + 1 + particle_chars].split(" ")[0],
        after_object=p.sentence[p.o_end + 1:p.o_end + 1 + particle_chars].split(" ")[0],
        subject_first=p.subject_first,
    )
