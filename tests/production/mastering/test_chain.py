import numpy as np

from maestro_ai.production.mastering.chain import Measured, choose_target, plan_chain
from maestro_ai.production.mastering.settings import MasterSettings

FREQS = np.linspace(0, 22050, 2049)


def _measured(lufs=-20.0, side=0.5, tilt=0.0):
    mid = np.maximum(FREQS, 20.0) ** tilt
    return Measured({"integrated_lufs": lufs}, FREQS, mid, mid * side, 44100 * 30, 44100, 2,
                    np.linspace(-40, -10, 300))


def test_a_reference_sets_the_eq_the_level_and_the_width():
    src, ref = _measured(tilt=-1.0), _measured(lufs=-9.0, side=1.0, tilt=-0.5)
    full = plan_chain(MasterSettings(), src, ref)
    assert full.mid_db is not None and full.mid_db[FREQS > 8000].mean() > full.mid_db[(FREQS > 100) & (FREQS < 400)].mean()
    assert choose_target(MasterSettings(), src, ref).lufs == -9.0
    assert plan_chain(MasterSettings(mode="width"), src, ref).width > 1.0
    assert choose_target(MasterSettings(target="apple"), src, ref).lufs == -16.0


def test_without_a_reference_a_tone_target_and_glue():
    chain = plan_chain(MasterSettings(tone="warm"), _measured(), None)
    assert np.abs(chain.mid_db).max() <= 3.01 and chain.compressor["ratio"] == 2.0 and len(chain.notes) == 2
    assert plan_chain(MasterSettings(glue=False), _measured(), None).compressor is None
    assert choose_target(MasterSettings(mode="tone"), _measured(lufs=-17.0), None).lufs == -17.0
