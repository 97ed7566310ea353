"""The Community Satisfaction Index (IKM) of the SKM survey, PermenPANRB 14/2017. Pure.

NRR per unsur = sum of its answers ÷ number of answers; IKM = Σ NRR × 1/9; the converted
IKM = IKM × 25 (25–100), reported to two decimals, gives the service quality category.
The minimum number of respondents is Krejcie–Morgan's sample for the tickets resolved.

Sums are kept as exact fractions and rounded once at the end: ``1/9`` has no exact decimal,
so rounding a Decimal quotient could turn a true ``.xx5`` into ``.xx4999…`` and round down.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

UNSUR = tuple(f"u{i}" for i in range(1, 10))
ANSWERS = range(1, 5)

# Lower bounds of the converted IKM per category, highest first (PermenPANRB 14/2017).
CATEGORY_FLOORS = (
    (Decimal("88.31"), "A"),
    (Decimal("76.61"), "B"),
    (Decimal("65.00"), "C"),
    (Decimal("25.00"), "D"),
)

# Krejcie–Morgan: chi-square for one degree of freedom at 95%, P = 0.5, margin d = 0.05.
_CHI_SQUARE = Fraction("3.841")
_P_Q = Fraction(1, 4)
_D_SQUARED = Fraction("0.0025")


@dataclass(frozen=True)
class SkmResult:
    respondents: int
    nrr: Mapping[str, Decimal | None]  # per unsur, three decimals; None without answers
    ikm: Decimal | None  # 1–4, three decimals
    converted: Decimal | None  # 25–100, two decimals
    category: str | None  # A | B | C | D


def round_half_up(value: Fraction, places: int) -> Decimal:
    """Non-negative ``value`` rounded half up to ``places`` decimals, exactly."""
    scale = 10**places
    units = math.floor(value * scale + Fraction(1, 2))
    return (Decimal(units) / scale).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def category_of(converted: Decimal) -> str:
    """The category of a converted IKM already rounded to two decimals."""
    for floor, code in CATEGORY_FLOORS:
        if converted >= floor:
            return code
    return "D"


def index(responses: Iterable[Mapping[str, int]]) -> SkmResult:
    """The IKM of ``responses`` (each maps unsur code to an answer 1–4).

    An unsur missing from a response does not count for that unsur's NRR; unknown keys are
    ignored. Answers outside 1–4 raise: the survey form admits no other value.
    """
    sums = dict.fromkeys(UNSUR, 0)
    counts = dict.fromkeys(UNSUR, 0)
    respondents = 0
    for answers in responses:
        respondents += 1
        for code in UNSUR:
            value = answers.get(code)
            if value is None:
                continue
            if isinstance(value, bool) or value not in ANSWERS:
                raise ValueError(f"SKM answer {code}={value!r} is not 1–4")
            sums[code] += value
            counts[code] += 1
    return index_of_sums(respondents, sums, counts)


def index_of_sums(
    respondents: int, sums: Mapping[str, int], counts: Mapping[str, int]
) -> SkmResult:
    """The IKM from the sum of the answers and the number of answers per unsur (the form
    the monthly figures keep them in)."""
    nrr = {
        code: Fraction(sums.get(code, 0), counts[code]) if counts.get(code) else None
        for code in UNSUR
    }
    shown = {code: None if v is None else round_half_up(v, 3) for code, v in nrr.items()}
    known = [v for v in nrr.values() if v is not None]
    if len(known) < len(UNSUR):
        return SkmResult(respondents, shown, None, None, None)
    ikm = sum(known, Fraction(0)) / len(UNSUR)
    converted = round_half_up(ikm * 25, 2)
    return SkmResult(respondents, shown, round_half_up(ikm, 3), converted, category_of(converted))


def minimum_sample(population: int) -> int:
    """Krejcie–Morgan minimum sample for ``population`` tickets, rounded up (0 for none)."""
    if population < 0:
        raise ValueError("population must not be negative")
    if population == 0:
        return 0
    n = Fraction(population)
    sample = _CHI_SQUARE * n * _P_Q / (_D_SQUARED * (n - 1) + _CHI_SQUARE * _P_Q)
    return math.ceil(sample)
