"""The model's small types: seed, plan, mixdown, performance, style."""
import numpy as np

from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.mixdown import Mixdown
from maestro_ai.core.performance import PPQ, Performance
from maestro_ai.core.plan import Plan
from maestro_ai.core.score import Note, Section
from maestro_ai.core.seed import Seed
from maestro_ai.prompt.controls import derive_controls
from maestro_ai.prompt.presets import load_genre, load_mood


def test_seed_plan_mixdown_and_performance():
    assert Seed(melody=[Note(60, 0, 1), Note(62, 6.5, 1)]).bars(4.0) == 2 and Seed().bars(4.0) == 1
    plan = Plan(90.0, Key(0, "major"), TimeSignature(4, 4), [Section("intro", 0, 2, 0.3), Section("verse", 2, 8, 0.6)], [])
    assert plan.section_at(9.0).name == "verse" and plan.section_at(1000.0).name == "verse" and plan.bars == 10
    assert Mixdown({}, np.zeros((2, 10), np.float32), 44100, {}).frames == 10
    assert Performance(60.0, TimeSignature(4, 4), Key(0, "major"), []).seconds(PPQ * 2) == 2.0


def test_style_values_go_into_track_json_by_name():
    controls = derive_controls(load_genre("jazz"), load_mood("romantic"), [])
    data = controls.to_dict()
    assert (data["genre"], data["mood"]) == ("jazz", "romantic") and list(data)[2:8] == [
        "valence", "energy", "brightness", "space", "density", "complexity"]
    assert load_genre("jazz").swing_unit == 0.5 and load_genre("house").swing_unit == 0.25
