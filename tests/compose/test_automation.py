import pytest

from maestro_ai.compose.automation import (
    BRIGHTNESS,
    CLOSED_HZ,
    automate,
    controller_value,
    cutoff_hz,
    filter_curve,
    riser_spans,
    with_filter,
)
from maestro_ai.compose.perform import perform
from maestro_ai.core.performance import PPQ, PlayedNote, PlayedPart
from maestro_ai.core.score import Section
from tests.compose.songs import song

BAR = 4.0
CLUB = [Section("intro", 0, 8, .4), Section("drop", 8, 8, 1.0), Section("breakdown", 16, 8, .3),
        Section("build", 24, 8, .6), Section("drop", 32, 8, 1.0), Section("outro", 40, 8, .3)]


def _value_at(curve, beat):
    """The controller value in force at `beat` (each holds until the next, the last at one beat wins)."""
    return [v for b, v in curve if b <= beat][-1]


def test_the_controller_maps_to_cutoffs_on_a_log_scale():
    assert cutoff_hz(0) == pytest.approx(80) and cutoff_hz(127) == pytest.approx(20000)
    octaves = [cutoff_hz(v + 16) / cutoff_hz(v) for v in (0, 50, 100)]
    assert max(octaves) == pytest.approx(min(octaves))  # equal steps of the controller: equal intervals
    assert all(abs(controller_value(cutoff_hz(v)) - v) == 0 for v in range(128))


@pytest.mark.parametrize("genre", ["house", "techno"])
def test_a_dance_breakdown_is_filtered_and_the_build_opens_it_into_the_drop(genre):
    curve = filter_curve(CLUB, genre, BAR)
    closed = controller_value(CLOSED_HZ)
    assert _value_at(curve, 8 * BAR) == 127 and _value_at(curve, 16 * BAR - 0.25) == 127  # drop: open
    assert _value_at(curve, 16 * BAR) == closed == _value_at(curve, 24 * BAR - 0.25)  # breakdown: closed
    build = [_value_at(curve, 24 * BAR + i * 0.25) for i in range(8 * 16)]
    assert build == sorted(build) and build[0] <= closed + 1 and build[-1] >= 120  # rising all through
    assert build[64] < (closed + 127) / 2  # slowly at first, faster into the drop
    assert _value_at(curve, 32 * BAR) == 127 == _value_at(curve, 48 * BAR)
    assert riser_spans(CLUB, genre, BAR) == [(24 * BAR, 32 * BAR)]


@pytest.mark.parametrize("genre", ["pop", "jazz", "ambient", "lofi-chill", "cinematic"])
def test_other_genres_leave_the_filter_alone(genre):
    sections = [Section("verse", 0, 8, .5), Section("breakdown", 8, 4, .3), Section("chorus", 12, 8, .8)]
    assert filter_curve(sections, genre, BAR) == [] and riser_spans(sections, genre, BAR) == []


def test_the_filter_is_written_on_the_synths_and_never_on_the_kit_or_the_bass():
    curve = filter_curve(CLUB, "house", BAR)
    notes = [PlayedNote(0, 100, 60, 90)]
    for name, filtered in (("melody", True), ("pad", True), ("harmony", True), ("counter", True),
                           ("bass", False), ("drums", False)):
        part = with_filter(PlayedPart(name, 0, name == "drums", 0, "", list(notes)), curve)
        values = [c.value for c in part.controls_of(BRIGHTNESS)]
        assert bool(values) == filtered, name
        if filtered:  # written only where it changes: one control to close, one per step of the sweep
            assert all(a != b for a, b in zip(values, values[1:]))
            assert values[0] == 127 and len(values) < 8 * 16 + 4


def test_a_song_performed_carries_the_filter_and_the_risers_of_its_form():
    plan, score = song("house", seed=1, duration=120, mood="euphoric")
    perf = automate(perform(score, 0.0, 0.5, __import__("numpy").random.default_rng(0)), score.sections, "house",
                    score.beats_per_bar)
    builds = [s for s in score.sections if s.name == "build"]
    assert builds and [(a, b) for a, b in perf.risers] == [
        (int(s.start_bar * BAR * PPQ), int(s.end_bar * BAR * PPQ)) for s in builds]
    synths = [p for p in perf.parts if p.name in ("melody", "harmony", "pad")]
    assert synths and all(p.controls_of(BRIGHTNESS) for p in synths)
    assert not any(p.controls_of(BRIGHTNESS) for p in perf.parts if p.name in ("bass", "drums"))
