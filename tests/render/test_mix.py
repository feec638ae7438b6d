from concurrent.futures import ThreadPoolExecutor

import numpy as np

from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.mixdown import audio_of
from maestro_ai.core.performance import Performance, PlayedNote, PlayedPart
from maestro_ai.io.spill import Spills
from maestro_ai.prompt.controls import derive_controls
from maestro_ai.render.mix import (
    LEVELS_DB,
    STEM_CEILING,
    active_rms_db,
    mix_performance,
    mix_stems,
    render_stems,
    synthesis_cost,
)
from maestro_ai.render.synth import default_backend

SR = 44100


def _perf():
    melody = [PlayedNote(i * 480, i * 480 + 400, 72 + i % 5, 100) for i in range(8)]
    bass = [PlayedNote(i * 960, i * 960 + 900, 36, 110) for i in range(4)]
    kicks = [PlayedNote(i * 480, i * 480 + 100, 36, 120) for i in range(8)]
    return Performance(120.0, TimeSignature(4, 4), Key(0, "major"),
                       [PlayedPart("melody", 0, False, 0, "", melody), PlayedPart("bass", 33, False, 1, "", bass),
                        PlayedPart("drums", 0, True, 9, "", kicks)], 480 * 8)


def test_stems_sum_to_the_mix_in_part_order_with_the_reverb_return():
    controls = derive_controls("lofi-chill", "ambient-focus", [])
    mixdown = mix_performance(_perf(), controls.genre, controls, 4.0, np.random.default_rng(0), SR)
    assert list(mixdown.stems) == ["melody", "bass", "drums", "texture", "reverb"]
    total = np.sum(list(mixdown.stems.values()), axis=0)
    assert np.abs(total - mixdown.mix).max() < 1e-5
    assert all(np.abs(s).max() <= STEM_CEILING + 1e-6 for s in mixdown.stems.values())


def test_balance_follows_the_levels():
    controls = derive_controls("house", "euphoric", [])
    mixdown = mix_performance(_perf(), controls.genre, controls, 4.0, np.random.default_rng(0), SR)
    levels = {name: active_rms_db(audio, SR) for name, audio in mixdown.stems.items() if name != "reverb"}
    assert abs((levels["drums"] - levels["melody"]) - (LEVELS_DB["drums"] - LEVELS_DB["melody"])) < 1.5
    assert synthesis_cost(90, False)[0] > synthesis_cost(0, False)[0]


def test_stems_kept_on_disk_make_the_same_mix_and_stems(tmp_path):
    controls = derive_controls("lofi-chill", "ambient-focus", [])
    memory = mix_performance(_perf(), controls.genre, controls, 4.0, np.random.default_rng(0), SR)
    with ThreadPoolExecutor(2) as pool, Spills(tmp_path) as spills:
        rendered = render_stems(_perf(), controls.genre, controls, 4.0, np.random.default_rng(0), SR, default_backend(),
                                pool, keep=spills.put)
        disk = mix_stems(rendered, _perf(), controls.genre, controls, SR, pool)
        assert np.array_equal(disk.mix, memory.mix)
        assert all(np.array_equal(audio_of(disk.stems[n]), memory.stems[n]) for n in memory.stems)
