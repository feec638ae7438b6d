import pytest

from maestro_ai.core import limits
from maestro_ai.core.errors import InvalidRequest


@pytest.mark.parametrize("value", [True, "fast", "72", None, float("nan"), float("inf"), [72]])
def test_a_number_must_be_a_finite_number(value):
    with pytest.raises(InvalidRequest, match="must be a number"):
        limits.number("tempo", value, limits.TEMPO_BPM, "BPM")


def test_ranges_are_inclusive_and_named_in_the_message():
    assert limits.number("tempo", 300, limits.TEMPO_BPM) == 300.0
    with pytest.raises(InvalidRequest, match="use 30-300 BPM"):
        limits.number("tempo", 0, limits.TEMPO_BPM, "BPM")
    with pytest.raises(InvalidRequest, match="use -40 to -5 LUFS"):
        limits.number("loudness", -50, limits.LUFS, "LUFS")


@pytest.mark.parametrize("value", [-1, 2**64, 1.5, 7.0, "7", True, int("9" * 260)])
def test_seeds_are_unsigned_64_bit_whole_numbers(value):
    with pytest.raises(InvalidRequest, match="whole number from 0 to") as err:
        limits.whole("seed", value, limits.SEED)
    assert len(str(err.value)) < 120  # a 260-digit seed is not echoed in full


def test_a_number_too_long_to_print_is_described_by_its_length():
    with pytest.raises(InvalidRequest, match="not a number of thousands of digits"):
        limits.whole("seed", 10**5000, limits.SEED)


def test_whole_numbers_and_text():
    assert limits.whole("seed", 2**64 - 1, limits.SEED) == 2**64 - 1 and limits.whole("bars", 4, (1, 8)) == 4
    assert limits.text("title", "  Rain ", 10, "'Rain'") == "Rain"
    with pytest.raises(InvalidRequest, match="300 characters long"):
        limits.text("title", "x" * 300, limits.TITLE_CHARACTERS, "'Rain'")
    with pytest.raises(InvalidRequest, match="non-empty"):
        limits.text("title", "   ", limits.TITLE_CHARACTERS, "'Rain'")
    for bad in ("a\x00b", "a\udcffb", "tab\there"):
        with pytest.raises(InvalidRequest, match="control characters"):
            limits.text("title", bad, limits.TITLE_CHARACTERS, "'Rain'")
