import numpy as np
import pytest

from maestro_ai.compose.arrange import choose_tempo, compose_score, make_plan, melody_request
from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.request import Request
from maestro_ai.io.melody_input import read_seed
from maestro_ai.prompt.controls import derive_controls
from maestro_ai.prompt.presets import load_genre
from tests.compose.songs import song


def test_chord_seed_is_the_opening_progression():
    plan, score = song("lofi-chill", melody="Cmaj7 G6")
    assert [c.symbol for c in plan.chords[:4]] == ["Cmaj7", "G6", "Cmaj7", "G6"]
    harmony = score.part("harmony").notes
    first_bar = {n.pitch % 12 for n in harmony if n.start < 4}
    assert first_bar == {0, 4, 7, 11}


def test_melody_seed_is_quoted_verbatim_and_continued():
    """The learned composer (the default) quotes the seed at each verse and goes on from it."""
    seed_text = "E4 G4:0.5 A4:0.5 B4 G4 A4:2 E4:2"
    plan, score = song("pop", melody=seed_text, duration=150)
    seed = [(n.pitch, n.start, n.duration) for n in read_seed(seed_text).melody]
    melody = score.part("melody").notes
    verses = [s for s in plan.sections if s.name == "verse"]
    assert len(verses) >= 2
    for verse in verses:
        offset = verse.start_bar * 4
        quoted = [(n.pitch, n.start - offset, n.duration) for n in melody if offset <= n.start < offset + verse.bars * 4]
        assert quoted[:len(seed)] == seed
        assert len(quoted) > len(seed) + 4 and quoted[len(seed)][1] >= 8  # continued after the quote


def test_a_requested_key_moves_the_seed_and_the_tempo_follows_the_energy():
    c_plan, _ = song("pop", melody="C4 E4 G4:2", tempo=100)
    controls = derive_controls("pop", "chill", [])
    request = Request(controls.genre, controls.mood, [], 30.0, 1, 100.0, Key(2, "major"), TimeSignature(4, 4),
                      seed_material=read_seed("C4 E4 G4:2"))
    plan = make_plan(controls, request)
    assert plan.key == Key(2, "major") and [n.pitch for n in plan.seed_melody] == [62, 66, 69]
    genre = load_genre("house")
    slow = np.mean([choose_tempo(genre, 0.1, np.random.default_rng(s)) for s in range(20)])
    fast = np.mean([choose_tempo(genre, 0.9, np.random.default_rng(s)) for s in range(20)])
    assert genre.tempo_range[0] <= slow < fast <= genre.tempo_range[1]
    assert c_plan.tempo == 100.0


def test_the_melody_request_follows_the_style_and_widens_for_a_seed():
    plan, _ = song("jazz", melody="C3 G5:2")
    ask = melody_request(plan, derive_controls("jazz", "chill", []))
    assert ask.register[0] <= 48 and ask.register[1] >= 79 and ask.key == plan.key


def test_a_score_needs_a_melody_or_an_engine():
    plan, _ = song("folk", duration=20)
    with pytest.raises(ValueError, match="melody engine"):
        compose_score(plan, derive_controls("folk", "chill", []), seed=1)


def test_sections_play_what_their_kind_says_and_the_song_ends_together():
    plan, score = song("house", seed=2, duration=150, mood="euphoric")
    kinds = [s.name for s in plan.sections]
    assert "breakdown" in kinds and "drop" in kinds and all(s.bars % 4 == 0 for s in plan.sections)
    breakdown = next(s for s in plan.sections if s.name == "breakdown")
    inside = lambda part: [n for n in score.part(part).notes  # noqa: E731
                           if breakdown.start_bar * 4 <= n.start < breakdown.end_bar * 4]
    assert not inside("drums") and not inside("bass") and not inside("melody") and inside("pad")
    last_bar = (plan.bars - 1) * 4
    for part in score.parts:
        late = [n for n in part.notes if n.start >= last_bar]
        assert all(n.start == last_bar for n in late), part.name  # one last hit together, no groove
    assert {n.pitch for n in score.part("drums").notes if n.start >= last_bar} == {36, 49}


def test_swung_presets_swing_their_eighths():
    assert load_genre("lofi-chill").swing_unit == 0.5 and load_genre("rnb").swing_unit == 0.5
    assert load_genre("house").swing_unit == 0.25 and load_genre("jazz").swing_unit == 0.5


def test_trading_fours_the_band_lays_out_while_the_drummer_solos():
    plan, score = song("jazz", seed=3, duration=150, mood="romantic")
    trade = next(s for s in plan.sections if s.name == "trade")
    for bar in range(trade.start_bar, trade.end_bar):
        heard = {p.name for p in score.parts if any(bar * 4 <= n.start < bar * 4 + 4 for n in p.notes)}
        drummer_alone = (bar - trade.start_bar) // 4 % 2 == 1
        assert heard == ({"drums"} if drummer_alone else {"melody", "harmony", "bass", "drums"}), bar
    toms = [n for n in score.part("drums").notes if n.pitch in (45, 47, 50)
            and (trade.start_bar + 4) * 4 <= n.start < (trade.start_bar + 8) * 4]
    assert len(toms) >= 8  # a solo goes round the kit
