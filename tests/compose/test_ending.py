import pytest

from maestro_ai.compose.ending import end_song
from maestro_ai.core.score import Chord, Note, Section

BAR = 4.0
FINAL = Chord("Am", 9, (0, 3, 7), 28.0, 4.0)


def _band():
    groove = [Note(36, b, 0.25, 100) for b in range(32)] + [Note(42, b + 0.5, 0.25, 80) for b in range(32)]
    comp = [Note(p, b, 0.5, 90) for b in range(32) for p in (57, 60, 64)]
    bass = [Note(33, b, 0.9, 100) for b in range(32)]
    lead = [Note(69 + b % 3, b, 0.5, 90) for b in range(30)]
    return {"drums": groove, "harmony": comp, "bass": bass, "melody": lead, "pad": []}


@pytest.mark.parametrize("style", ["ring", "button", "fade"])
def test_the_groove_stops_and_the_band_plays_the_last_chord_together(style):
    out = end_song(_band(), FINAL, [Section("outro", 0, 8, .3)], BAR, style)
    last = {name: [n for n in notes if n.start >= 28.0] for name, notes in out.items()}
    assert all(n.start == 28.0 for notes in last.values() for n in notes)  # one hit, on the downbeat
    assert {n.pitch % 12 for n in last["harmony"]} == {9, 0, 4} and [n.pitch % 12 for n in last["bass"]] == [9]
    assert last["melody"] and last["melody"][0].pitch % 12 == 9  # the lead lands on the root
    assert not last["pad"]  # a part that was silent stays silent
    assert all(n.end <= 28.0 for n in out["harmony"] if n.start < 28.0)  # nothing rings over from the groove
    held = last["harmony"][0].duration
    if style == "ring":
        assert held == 4.0 and sorted(n.pitch for n in last["drums"]) == [36, 49]
    elif style == "button":
        assert held == 0.5 and sorted(n.pitch for n in last["drums"]) == [36, 49]
    else:
        assert held == 4.0 and not last["drums"]
        early = [n.velocity for n in out["harmony"] if n.start < 4]
        late = [n.velocity for n in out["harmony"] if 24 <= n.start < 28]
        assert max(late) < 0.65 * min(early)  # the outro has faded


def test_a_kept_part_is_left_as_it_is():
    band = _band()
    out = end_song(band, FINAL, [], BAR, "ring", keep=("melody",))
    assert out["melody"] == band["melody"]
