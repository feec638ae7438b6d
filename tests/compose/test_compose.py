import numpy as np

from maestro_ai.compose import bass, drums
from maestro_ai.compose.arrange import SongRequest, compose_score, make_plan
from maestro_ai.compose.form import plan_form
from maestro_ai.compose.keys import estimate_key
from maestro_ai.io.melody_input import read_seed
from maestro_ai.prompt.controls import derive_controls


def test_form_fills_the_bars_with_an_energy_curve():
    for bars in (1, 6, 9, 30, 54, 150, 400):
        sections = plan_form(bars, energy=0.5)
        assert sections[0].start_bar == 0 and sections[-1].end_bar == bars
        assert all(a.end_bar == b.start_bar for a, b in zip(sections, sections[1:]))
    song = plan_form(54, energy=0.5)
    names = [s.name for s in song]
    assert names[0] == "intro" and names[-1] == "outro" and "chorus" in names and "bridge" in names
    energy = {s.name: s.energy for s in song}
    assert energy["chorus"] > energy["verse"] > energy["intro"]


def test_seed_keys():
    assert estimate_key(None, read_seed("Cmaj7 G6").chords) == (0, "major")
    assert estimate_key(None, read_seed("Am F C G").chords) == (9, "minor")
    assert estimate_key(None, read_seed("Dm7 G7 Cmaj7").chords) == (0, "major")


def _score(genre, seed=1, melody=None, duration=60, tempo=None, engine=None):
    c = derive_controls(genre, "chill", [])
    plan = make_plan(c, SongRequest(duration, tempo, None, (4, 4), read_seed(melody)), seed=seed)
    return plan, compose_score(plan, c, seed=seed, melody_engine=engine)


def test_chord_seed_is_the_opening_progression():
    plan, score = _score("lofi-chill", melody="Cmaj7 G6")
    assert [c.symbol for c in plan.chords[:4]] == ["Cmaj7", "G6", "Cmaj7", "G6"]
    harmony = score.part("harmony").notes
    first_bar = {n.pitch % 12 for n in harmony if n.start < 4}
    assert first_bar == {0, 4, 7, 11}


def test_melody_seed_is_quoted_verbatim_and_continued():
    """The learned composer (the default) quotes the seed at each verse and goes on from it."""
    seed_text = "E4 G4:0.5 A4:0.5 B4 G4 A4:2 E4:2"
    plan, score = _score("pop", melody=seed_text, duration=90)
    seed = [(n.pitch, n.start, n.duration) for n in read_seed(seed_text).melody]
    melody = score.part("melody").notes
    verses = [s for s in plan.sections if s.name == "verse"]
    assert len(verses) >= 2
    for verse in verses:
        offset = verse.start_bar * 4
        quoted = [(n.pitch, n.start - offset, n.duration) for n in melody if offset <= n.start < offset + verse.bars * 4]
        assert quoted[:len(seed)] == seed
        assert len(quoted) > len(seed) + 4 and quoted[len(seed)][1] >= 8  # continued after the quote


def test_motif_engine_quotes_the_seed_and_develops_it():
    from maestro_ai.compose.melody import MotifMelodyEngine

    seed_text = "E4 G4:0.5 A4:0.5 B4 G4 A4:2 E4:2"
    plan, score = _score("pop", melody=seed_text, duration=90, engine=MotifMelodyEngine())
    seed = [(n.pitch, n.start, n.duration) for n in read_seed(seed_text).melody]
    melody = score.part("melody").notes
    verse = next(s for s in plan.sections if s.name == "verse")
    offset = verse.start_bar * 4
    quoted = [(n.pitch, n.start - offset, n.duration) for n in melody if offset <= n.start < offset + 8]
    assert quoted[:len(seed)] == seed
    chorus = next((s for s in plan.sections if s.name == "chorus"), None)
    if chorus is not None:
        start = chorus.start_bar * 4
        developed = [n for n in melody if start <= n.start < start + 8]
        assert [n.start - start for n in developed][:len(seed)] == [s for _, s, _ in seed]  # same rhythm
        assert [n.pitch for n in developed][:len(seed)] != [p for p, _, _ in seed]  # new pitches


def test_melody_lands_on_chord_tones_on_strong_beats_and_stays_in_range():
    plan, score = _score("pop", seed=4)
    melody = score.part("melody").notes
    assert melody
    hits = 0
    strong = [n for n in melody if n.start % 2 == 0]
    for n in strong:
        chord = next(c for c in plan.chords if c.start <= n.start < c.end)
        hits += (n.pitch % 12) in chord.pitch_classes
    assert hits / len(strong) > 0.8
    assert max(n.pitch for n in melody) - min(n.pitch for n in melody) <= 24


def test_bass_locks_to_kick_and_chord_roots():
    plan, score = _score("house", seed=2)
    kicks = set(drums.kick_onsets(score.part("drums").notes))
    chord_starts = {c.start for c in plan.chords}
    notes = score.part("bass").notes
    on_grid = [n for n in notes if n.start in kicks or n.start in chord_starts]
    assert len(on_grid) / len(notes) > 0.75
    for c in plan.chords:
        first = next(n for n in notes if n.start >= c.start)
        if first.start == c.start:
            assert first.pitch % 12 == c.bass_pc
    assert all(bass.LOW <= n.pitch <= bass.HIGH for n in notes)


def test_grooves_differ_by_genre_and_fills_mark_section_ends():
    _, house = _score("house", seed=3)
    _, trap = _score("trap", seed=3, tempo=140)
    house_kicks = drums.kick_onsets(house.part("drums").notes)
    assert all(k % 1 == 0 for k in house_kicks[:16])  # four on the floor
    trap_snares = [n.start % 4 for n in trap.part("drums").notes if n.pitch == drums.KIT["snare"] and n.velocity > 100]
    assert trap_snares and np.mean([s == 2.0 for s in trap_snares]) > 0.6  # half-time backbeat on beat 3
    plan, pop = _score("pop", seed=5, duration=90)
    first = plan.sections[1]
    fill_bar = (first.end_bar - 1) * 4
    toms = [n for n in pop.part("drums").notes if fill_bar <= n.start < fill_bar + 4 and n.pitch in (45, 47, 50)]
    assert len(toms) >= 4


def test_humanized_drums_are_not_robotic():
    from maestro_ai.compose.perform import perform

    _, score = _score("rock", seed=6)
    perf = perform(score, 0.0, 0.25, np.random.default_rng(0))
    hats = [n for t in perf.tracks if t.is_drum for n in t.notes if n.pitch == drums.KIT["hat"]]
    offsets = [(n.start % 240) if n.start % 240 < 120 else (n.start % 240) - 240 for n in hats]
    assert 0 < np.std(offsets) < 20  # a few milliseconds either side of the grid
    assert len({n.velocity for n in hats}) > 3
