from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.plan import Plan
from maestro_ai.core.score import Section


def test_a_plan_finds_the_section_at_a_beat():
    plan = Plan(90.0, Key(0, "major"), TimeSignature(4, 4), [Section("intro", 0, 2, 0.3), Section("verse", 2, 8, 0.6)], [])
    assert plan.section_at(9.0).name == "verse" and plan.section_at(1.0).name == "intro"
    assert plan.section_at(1000.0).name == "verse" and plan.bars == 10 and plan.beats_per_bar == 4.0
