"""The same requests give byte-identical song.mid, mix.wav and stems as when the digests were
recorded (tests/e2e/golden.py says how, and when, to record them again)."""
import json

import pytest

from tests.e2e import golden


def test_golden_requests_give_byte_identical_files():
    expected = json.loads(golden.DIGESTS.read_text())
    actual = golden.compute()
    if actual["synth"] != expected["synth"]:
        pytest.skip(f"the digests were recorded with {expected['synth']}; this machine renders with {actual['synth']}")
    assert golden.differences(expected, actual) == []
