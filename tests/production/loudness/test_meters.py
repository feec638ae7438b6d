import numpy as np
import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.production.loudness.meters import Meter, PeakMeter, check_audio, check_measured, dbfs, integrated_lufs

SR = 44100


def test_meter_reads_a_reference_tone():
    t = np.arange(SR * 5) / SR
    tone = np.stack([0.5 * np.sin(2 * np.pi * 997 * t)] * 2).astype(np.float32)
    # BS.1770: a full-scale 997 Hz sine in one channel reads -3.01 LUFS; in both, 0 LUFS; at half amplitude, -6.02.
    assert abs(integrated_lufs(tone, SR) - (-6.02)) < 0.1


def test_blocks_measure_as_the_whole():
    t = np.arange(SR * 6) / SR
    tone = np.stack([0.3 * np.sin(2 * np.pi * 440 * t)] * 2).astype(np.float32)
    meter = Meter(2, SR)
    for block in np.array_split(tone, 7, axis=1):
        meter.add(block)
    assert abs(meter.result()["integrated_lufs"] - integrated_lufs(tone, SR)) < 0.01
    peaks = PeakMeter()
    peaks.add(tone)
    assert abs(peaks.result()["sample_peak_dbfs"] - dbfs(0.3)) < 0.01


@pytest.mark.parametrize("frames, finite, silent, message", [
    (0, True, True, "holds no audio"), (1, True, False, "s long; to master it, give at least 0.4 s"),
    (4410, True, False, "0.1 s long"), (SR, False, False, "not numbers"), (SR, True, True, "silent"),
])
def test_audio_that_cannot_be_worked_on_is_named_for_what_it_is(frames, finite, silent, message):
    with pytest.raises(InvalidRequest, match=message):
        check_audio("x.wav", "master", frames, SR, finite, silent)


def test_a_meter_notices_samples_that_are_not_numbers():
    meter = Meter(1, SR)
    block = np.zeros((1, SR), np.float32)
    block[0, 100] = np.nan
    meter.add(block)
    with pytest.raises(InvalidRequest, match="not numbers"):
        check_measured("nan.wav", "analyze", meter, SR)
