"""Bus glue: the compressor's static curve and timing, and studio stems that still sum to the mix."""
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from maestro_ai.core.mixdown import audio_of
from maestro_ai.io.spill import Spills
from maestro_ai.prompt.controls import derive_controls
from maestro_ai.prompt.instruments import orchestra
from maestro_ai.render.glue import BLOCK, Glue, gain_reduction_db, glue_envelope
from maestro_ai.render.mix import mix_stems, render_stems
from maestro_ai.render.synth import default_backend
from maestro_ai.render.template import mix_template
from tests.render.test_mix import _perf

SR = 44100


def _two_levels(low_db: float, high_db: float, seconds: float = 2.0) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    sine = np.sqrt(2) * np.sin(2 * np.pi * (2 * SR / BLOCK) * t)  # RMS 1, two whole periods a block
    half = t.shape[0] // 2
    return np.concatenate([sine[:half] * 10 ** (low_db / 20), sine[half:] * 10 ** (high_db / 20)]).astype(np.float32)


def test_the_static_curve_is_the_level_over_the_threshold_times_one_minus_one_over_the_ratio():
    signal = _two_levels(-30.0, -10.0)
    # the average level of the two halves, in power: 10*log10((1e-3 + 1e-1) / 2) = -12.87 dB
    average = 10 * np.log10((10 ** -3 + 10 ** -1) / 2)
    glue = Glue(("drums",), threshold_db=0.0, ratio=4.0, attack_ms=5.0, release_ms=50.0)
    env = glue_envelope(signal, SR, glue)
    settled = -20 * np.log10(env[int(1.9 * SR)])
    assert settled == pytest.approx((-10.0 - average) * (1 - 1 / 4), abs=0.05)
    assert env[int(0.9 * SR)] == pytest.approx(1.0, abs=1e-4)  # the quiet half lies under the threshold


def test_attack_and_release_take_their_time():
    glue = Glue(("drums",), threshold_db=-10.0, ratio=10.0, attack_ms=20.0, release_ms=200.0)
    levels = np.concatenate([np.full(400, -40.0), np.full(400, 0.0), np.full(800, -40.0)])
    reduction = gain_reduction_db(levels, SR, glue)
    final = reduction[799]
    block_ms = 1000 * BLOCK / SR
    after_attack = reduction[400 + int(round(20 / block_ms)) - 1]
    assert after_attack / final == pytest.approx(1 - np.exp(-1), abs=0.05)  # one time constant: 63 %
    after_release = reduction[800 + int(round(200 / block_ms)) - 1]
    assert after_release / final == pytest.approx(np.exp(-1), abs=0.05)


def _studio(genre, mood, keep=None, pool=None):
    controls = derive_controls(genre, mood, [])
    rendered = render_stems(_perf(), controls.genre, controls, 4.0, np.random.default_rng(0), SR, default_backend(),
                            pool, keep=keep, orchestra=orchestra(genre, mood))
    return rendered, mix_stems(rendered, _perf(), controls.genre, controls, SR, pool)


def test_glued_studio_stems_still_sum_to_the_mix_in_memory_and_on_disk(tmp_path):
    assert mix_template("rock").buses["drums"].ratio > 1
    with ThreadPoolExecutor(2) as pool:
        rendered, memory = _studio("rock", "energetic", pool=pool)
        assert rendered.glue_db["drums"] > 0.1  # the kit was pressed together
        total = np.sum([audio_of(s) for s in memory.stems.values()], axis=0)
        assert np.abs(total - memory.mix).max() < 1e-5
        with Spills(tmp_path) as spills:
            _, disk = _studio("rock", "energetic", keep=spills.put, pool=pool)
            assert np.array_equal(disk.mix, memory.mix)
            assert all(np.array_equal(audio_of(disk.stems[n]), audio_of(memory.stems[n])) for n in memory.stems)


def test_a_bus_at_ratio_one_is_left_alone():
    assert mix_template("jazz").buses["drums"].ratio == 1.0
    with ThreadPoolExecutor(2) as pool:
        rendered, _ = _studio("jazz", "peaceful", pool=pool)
    assert rendered.glue_db == {}
