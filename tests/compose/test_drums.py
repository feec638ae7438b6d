import numpy as np

from maestro_ai.compose import drums
from maestro_ai.core.score import Section
from tests.compose.songs import song


def test_grooves_differ_by_genre_and_fills_mark_section_ends():
    _, house = song("house", seed=3)
    _, trap = song("trap", seed=3, tempo=140)
    house_kicks = drums.kick_onsets(house.part("drums").notes)
    assert all(k % 1 == 0 for k in house_kicks[:16])  # four on the floor
    trap_snares = [n.start % 4 for n in trap.part("drums").notes if n.pitch == drums.KIT["snare"] and n.velocity > 100]
    assert trap_snares and np.mean([s == 2.0 for s in trap_snares]) > 0.6  # half-time backbeat on beat 3
    plan, pop = song("pop", seed=5, duration=90)
    first = plan.sections[1]
    fill_bar = (first.end_bar - 1) * 4
    toms = [n for n in pop.part("drums").notes if fill_bar <= n.start < fill_bar + 4 and n.pitch in (45, 47, 50)]
    assert len(toms) >= 4


def test_a_reworked_groove_keeps_the_backbeat():
    sections = [Section("verse", 0, 4, 0.7)]
    plain = drums.compose_drums("rock", sections, 4.0, np.random.default_rng(1))
    varied = drums.compose_drums("rock", sections, 4.0, np.random.default_rng(1), variant=1)
    backbeat = lambda notes: sorted(n.start for n in notes if n.pitch == drums.KIT["snare"] and n.velocity > 90)  # noqa: E731
    assert plain != varied and backbeat(plain) == backbeat(varied)


def test_odd_metres_keep_the_voices():
    notes = drums.compose_drums("pop", [Section("verse", 0, 2, 0.6)], 3.5, np.random.default_rng(0))
    assert {drums.KIT["kick"], drums.KIT["snare"]} <= {n.pitch for n in notes}
    assert max(n.start for n in notes) < 7.0


def test_each_section_plays_its_drum_mode():
    from maestro_ai.compose.drums import KIT, compose_drums
    from maestro_ai.core.score import Section

    sections = [Section("intro", 0, 4, .4), Section("breakdown", 4, 4, .3), Section("build", 8, 4, .6),
                Section("drop", 12, 4, 1.0), Section("bridge", 16, 4, .6)]
    notes = compose_drums("four-on-the-floor", sections, 4.0, np.random.default_rng(0),
                          modes=["kick", "none", "build", "full", "half"])
    bars = lambda a, b: [n for n in notes if a * 4 <= n.start < b * 4]  # noqa: E731
    assert {n.pitch for n in bars(0, 4)} <= {KIT["kick"], KIT["hat"], KIT["open_hat"]}  # no backbeat
    assert not bars(4, 8)  # a breakdown has no drums
    rolls = [n for n in bars(8, 12) if n.pitch == KIT["clap"]]
    assert [sum(8 + b <= n.start / 4 < 9 + b for n in rolls) for b in range(4)] == [4, 4, 8, 16]
    assert rolls[-1].velocity > rolls[0].velocity + 40  # the roll gets louder
    assert not [n for n in bars(11, 12) if n.pitch == KIT["kick"]]  # the kick leaves the last bar to the roll
    assert any(n.pitch == KIT["crash"] and n.start == 48 for n in notes)  # the drop lands on a crash
    half = {(n.start % 4, n.pitch) for n in bars(16, 19)}
    assert (2.0, KIT["clap"]) in half and (1.0, KIT["clap"]) not in half and (0.0, KIT["kick"]) in half
