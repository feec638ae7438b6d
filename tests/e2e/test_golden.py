"""The same requests give byte-identical song.mid, mix.wav and stems as when the digests were
recorded on a machine like this one (tests/e2e/golden.py says how, and when, to record them again)."""
import json

import pytest

from tests.e2e import golden


def test_golden_requests_give_byte_identical_files():
    recorded = json.loads(golden.DIGESTS.read_text())
    actual = golden.compute()
    expected = golden.recorded_for(recorded, actual)
    if expected is None:
        pytest.skip(f"digests were recorded for {[(m['cpu'], m['synth']) for m in recorded['machines']]}; "
                    f"this machine is {actual['cpu']} with {actual['synth']}")
    assert golden.differences(expected, actual) == []
