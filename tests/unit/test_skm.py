"""IKM maths of PermenPANRB 14/2017 and Krejcie–Morgan's sample, worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tiket.domain.skm import UNSUR, category_of, index, minimum_sample


def response(*values: int) -> dict[str, int]:
    return dict(zip(UNSUR, values, strict=True))


def responses_with_total(respondents: int, total: int) -> list[dict[str, int]]:
    """``respondents`` complete responses whose answers add up to ``total``."""
    base, extra = divmod(total, respondents)
    found = []
    for number in range(respondents):
        remaining = base + (number < extra) - 9  # every answer is at least 1
        values = []
        for _ in UNSUR:
            step = min(3, remaining)
            values.append(1 + step)
            remaining -= step
        found.append(response(*values))
    return found


def test_worked_example_of_three_respondents() -> None:
    result = index(
        [
            response(4, 3, 3, 4, 3, 4, 4, 2, 3),
            response(3, 3, 2, 4, 3, 3, 4, 3, 3),
            response(4, 4, 3, 4, 2, 3, 3, 3, 4),
        ]
    )
    # Sums per unsur: 11 10 8 12 8 10 11 8 10 (total 88) over 3 answers each.
    assert result.respondents == 3
    assert result.nrr == {
        "u1": Decimal("3.667"),  # 11/3
        "u2": Decimal("3.333"),  # 10/3
        "u3": Decimal("2.667"),  # 8/3
        "u4": Decimal("4.000"),  # 12/3
        "u5": Decimal("2.667"),
        "u6": Decimal("3.333"),
        "u7": Decimal("3.667"),
        "u8": Decimal("2.667"),
        "u9": Decimal("3.333"),
    }
    # IKM = (88/3) × 1/9 = 88/27 = 3.2592…; converted = 88/27 × 25 = 2200/27 = 81.481…
    assert result.ikm == Decimal("3.259")
    assert result.converted == Decimal("81.48")
    assert str(result.converted) == "81.48"
    assert result.category == "B"


def test_all_fours_and_all_threes_give_87_50() -> None:
    # Every NRR = (4 + 3) / 2 = 3.5; IKM = 9 × 3.5 / 9 = 3.5; converted = 87.5 → B.
    result = index([response(*[4] * 9), response(*[3] * 9)])
    assert set(result.nrr.values()) == {Decimal("3.500")}
    assert result.converted == Decimal("87.50")
    assert str(result.converted) == "87.50"
    assert result.category == "B"


def test_extremes_are_25_and_100() -> None:
    assert index([response(*[1] * 9)]).converted == Decimal("25.00")
    top = index([response(*[4] * 9)])
    assert (top.converted, top.category) == (Decimal("100.00"), "A")


def test_nrr_counts_only_the_answers_given() -> None:
    # u9 missing in the second response: NRR u9 = 4 / 1, the others (4 + 2) / 2 = 3.
    partial = response(*[2] * 9)
    del partial["u9"]
    result = index([response(*[4] * 9), partial])
    assert result.nrr["u1"] == Decimal("3.000")
    assert result.nrr["u9"] == Decimal("4.000")
    # IKM = (8 × 3 + 4) / 9 = 28/9 = 3.111…; converted = 700/9 = 77.777… → 77.78 → B.
    assert result.converted == Decimal("77.78")


def test_no_responses_give_no_index() -> None:
    result = index([])
    assert result.respondents == 0
    assert set(result.nrr.values()) == {None}
    assert (result.ikm, result.converted, result.category) == (None, None, None)


@pytest.mark.parametrize("bad", [0, 5, True, "4"])
def test_answers_outside_one_to_four_are_refused(bad) -> None:
    values = response(*[3] * 9)
    values["u4"] = bad
    with pytest.raises(ValueError):
        index([values])


@pytest.mark.parametrize(
    ("converted", "category"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_category_boundaries(converted: str, category: str) -> None:
    assert category_of(Decimal(converted)) == category


@pytest.mark.parametrize(
    ("total", "converted", "category"),
    [
        # 5000 respondents: converted = 25 × total / (9 × 5000), exactly a half-cent each,
        # so rounding half up moves each across its boundary.
        (158_949, "88.31", "A"),  # 88.305 exactly
        (137_889, "76.61", "B"),  # 76.605 exactly
        (116_991, "65.00", "C"),  # 64.995 exactly
    ],
)
def test_category_follows_the_value_rounded_half_up(total, converted, category) -> None:
    result = index(responses_with_total(5000, total))
    assert result.respondents == 5000
    assert result.converted == Decimal(converted)
    assert result.category == category


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (0, 0),
        # 3.841 × 1 × 0.25 / (0 + 0.96025) = 1 exactly: no float error rounds it up to 2.
        (1, 1),
        # 9.6025 / (0.0225 + 0.96025) = 9.771… → 10
        (10, 10),
        # 96.025 / (0.2475 + 0.96025) = 79.507… → 80
        (100, 80),
        # 960.25 / (2.4975 + 0.96025) = 277.71… → 278
        (1000, 278),
    ],
)
def test_krejcie_morgan_minimum_sample(population: int, sample: int) -> None:
    assert minimum_sample(population) == sample


def test_sample_never_exceeds_the_population() -> None:
    assert all(minimum_sample(n) <= n for n in range(0, 2000))
    with pytest.raises(ValueError):
        minimum_sample(-1)
