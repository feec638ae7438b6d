"""Time signatures Maestro can write in: a (numerator, denominator) tuple that checks itself.

>>> metre = TimeSignature.parse("6/8")
>>> metre, str(metre), metre.beats_per_bar
(TimeSignature(numerator=6, denominator=8), '6/8', 3.0)
>>> TimeSignature.parse((3, 4)) == (3, 4)
True
"""
from __future__ import annotations

from typing import NamedTuple

from maestro_ai.core.errors import InvalidRequest

SUPPORTED = {(2, 4), (3, 4), (4, 4), (5, 4), (6, 8), (7, 8), (9, 8), (12, 8)}


class _MetreFields(NamedTuple):
    numerator: int
    denominator: int


class TimeSignature(_MetreFields):
    """A supported metre; `beats_per_bar` counts quarter notes."""

    __slots__ = ()

    def __new__(cls, numerator: int, denominator: int) -> TimeSignature:
        if (numerator, denominator) not in SUPPORTED or isinstance(numerator, bool) or isinstance(denominator, bool):
            valid = ", ".join(f"{a}/{b}" for a, b in sorted(SUPPORTED, key=lambda t: (t[1], t[0])))
            raise InvalidRequest(f"time signature {numerator}/{denominator} is not supported; use one of {valid}")
        return super().__new__(cls, int(numerator), int(denominator))

    @classmethod
    def parse(cls, value: object) -> TimeSignature:
        """'6/8' or (6, 8)."""
        try:
            if isinstance(value, str):
                num, den = (int(v) for v in value.split("/"))
            elif isinstance(value, (tuple, list)):
                num, den = (int(v) for v in value)
            else:
                raise TypeError
        except (ValueError, TypeError):
            raise InvalidRequest(f"cannot read time signature {value!r}; write it like '4/4' or '6/8'") from None
        return cls(num, den)

    @property
    def beats_per_bar(self) -> float:
        return self.numerator * 4.0 / self.denominator

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"
