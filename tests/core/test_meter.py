import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.meter import SUPPORTED, TimeSignature


def test_metres_read_print_and_count_quarter_notes():
    assert TimeSignature.parse("6/8") == (6, 8) and str(TimeSignature.parse((7, 8))) == "7/8"
    assert {TimeSignature(*m).beats_per_bar for m in SUPPORTED} == {2.0, 3.0, 4.0, 5.0, 3.5, 4.5, 6.0}


@pytest.mark.parametrize("value", ["11/16", "4-4", "", "three/four", 44, (4,), None])
def test_other_metres_are_refused_with_the_list(value):
    with pytest.raises(InvalidRequest, match="time signature"):
        TimeSignature.parse(value)
