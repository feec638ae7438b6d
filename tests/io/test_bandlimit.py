"""Resampling by FFT blocks, judged against scipy's polyphase resampler and by pure tones: flat in
the pass band, nothing folded back from above the stop, and the same output wherever the blocks fall."""
import numpy as np
import pytest
import soundfile
from scipy.signal import resample_poly

from maestro_ai.io.bandlimit import resample_band


def _tone(hz: float, rate: int, seconds: float = 3.0) -> np.ndarray:
    return np.sin(2 * np.pi * hz * np.arange(int(rate * seconds)) / rate).astype(np.float32)


def _amplitude(signal: np.ndarray, hz: float, rate: int) -> float:
    """The amplitude of `hz` in the middle of `signal` (a least-squares fit of a sine and cosine)."""
    middle = signal[len(signal) // 4:3 * len(signal) // 4].astype(np.float64)
    t = (np.arange(len(middle)) + len(signal) // 4) / rate
    basis = np.stack([np.sin(2 * np.pi * hz * t), np.cos(2 * np.pi * hz * t)], axis=1)
    fit, *_ = np.linalg.lstsq(basis, middle, rcond=None)
    return float(np.hypot(*fit))


@pytest.mark.parametrize("rate, to_rate, pass_hz, stop_hz", [(44100, 16000, 6000, 8000), (44100, 11025, 4000, 5512.5),
                                                             (11025, 44100, 4000, 5512.5), (48000, 16000, 6000, 8000),
                                                             (22050, 16000, 6000, 8000)])
def test_tones_in_the_pass_band_pass_whole_and_tones_above_the_stop_vanish(rate, to_rate, pass_hz, stop_hz):
    for hz in (100.0, 1000.0, 3600.0, pass_hz * 0.99):
        out = resample_band(_tone(hz, rate), rate, to_rate, pass_hz, stop_hz)
        assert abs(_amplitude(out, hz, to_rate) - 1) < 1e-4, hz
    if rate > to_rate:  # a tone between the stop and the old half rate would fold back into the new band
        above = (stop_hz + rate / 2) / 2
        out = resample_band(_tone(above, rate), rate, to_rate, pass_hz, stop_hz)
        assert np.abs(out[len(out) // 4:3 * len(out) // 4]).max() < 1e-4  # (the tone's switching on and off rings)
    else:  # brought up, a tone leaves no image at the old rate less its frequency
        out = resample_band(_tone(1000.0, rate), rate, to_rate, pass_hz, stop_hz)
        assert _amplitude(out, rate - 1000.0, to_rate) < 1e-4


def test_a_real_mix_agrees_with_scipys_polyphase_resampler_in_the_pass_band(mixes):
    audio, rate = soundfile.read(mixes["jazz"], dtype="float32", always_2d=True)
    mono = audio.mean(axis=1)
    ours = resample_band(mono, rate, 16000, 6000, 8000)
    theirs = resample_poly(mono, 160, 441).astype(np.float32)
    assert ours.shape == theirs.shape == (-(-mono.size * 160 // 441),)
    spectrum = np.fft.rfftfreq(ours.size, 1 / 16000)
    band = (spectrum > 50) & (spectrum < 5500)
    difference = np.abs(np.fft.rfft(ours) - np.fft.rfft(theirs))[band]
    level = np.abs(np.fft.rfft(theirs))[band]
    assert np.sum(difference ** 2) / np.sum(level ** 2) < 1e-4  # 40 dB under the music


def test_the_output_does_not_depend_on_where_the_blocks_fall():
    signal = np.random.default_rng(5).normal(size=44100 * 20).astype(np.float32)
    whole = resample_band(signal, 44100, 11025, 4000, 5512.5)
    later = resample_band(np.concatenate([np.zeros(4 * 1234, np.float32), signal]), 44100, 11025, 4000, 5512.5)[1234:]
    assert np.abs(whole - later).max() < 1e-5 * np.abs(whole).max()


def test_silence_stays_exactly_silent_and_bad_bands_are_refused():
    signal = np.zeros(44100 * 5, np.float32)
    signal[44100 * 4:] = _tone(440, 44100, 1.0)
    out = resample_band(signal, 44100, 11025, 4000, 5512.5)
    assert not out[:11025 * 3].any() and np.abs(out[-5000:]).max() > 0.5
    with pytest.raises(ValueError):
        resample_band(signal, 44100, 11025, 4000, 6000)  # above 11025 Hz's half
