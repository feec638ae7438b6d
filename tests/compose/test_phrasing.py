from maestro_ai.compose.phrasing import breathe, breaths, echoed, returned
from maestro_ai.core.score import Chord, Note, Section

BAR = 4.0


def _tune(bars, base=60):
    return [Note(base + b % 12, BAR * b + beat, 0.5) for b in range(bars) for beat in (0.0, 1.0, 2.0)]


def test_the_lead_breathes_in_the_fourth_bar_of_each_phrase():
    sections = [Section("intro", 0, 4, .3), Section("verse", 4, 16, .5), Section("outro", 20, 4, .3)]
    rests = breaths(sections, lambda name: 4 if name == "verse" else 0)
    assert rests == {7, 11, 15, 19}
    assert breaths(sections, lambda name: 8 if name == "verse" else 0) == {7, 15}  # long lines breathe less
    out = breathe(_tune(24), rests, BAR)
    assert not [n for n in out if int(n.start // BAR) in rests]
    before = max((n for n in out if n.start < 7 * BAR), key=lambda n: n.start)
    assert before.end == 7 * BAR + 2.0  # the last note of the call rings into the breath
    assert len(out) == len(_tune(24)) - 12


def test_a_section_shorter_than_a_line_does_not_breathe():
    assert breaths([Section("verse", 0, 3, .5)], lambda name: 4) == set()


def test_choruses_return_only_where_their_chords_match():
    sections = [Section("chorus", 0, 4, .8), Section("verse", 4, 4, .5), Section("chorus", 8, 4, .8)]
    loop = [("C", 0), ("G", 7), ("A", 9), ("F", 5)]
    chords = [Chord(s, r, (0, 4, 7), BAR * b, BAR) for b, (s, r) in enumerate(loop * 2)]
    chords += [Chord("C", 0, (0, 4, 7), 32.0, BAR), Chord("G", 7, (0, 4, 7), 36.0, BAR),
               Chord("E", 4, (0, 4, 7), 40.0, BAR), Chord("F", 5, (0, 4, 7), 44.0, BAR)]
    melody = _tune(12)
    out = returned(melody, sections, chords, BAR, {"chorus"})
    bar = lambda notes, b: [(n.pitch, n.start - BAR * b) for n in notes if b * BAR <= n.start < (b + 1) * BAR]  # noqa: E731
    assert bar(out, 8) == bar(melody, 0) and bar(out, 9) == bar(melody, 1)
    assert bar(out, 10) == bar(melody, 10)  # E under it, not A: its own notes stay
    assert bar(out, 4) == bar(melody, 4)  # verses are left alone
    kept = returned(melody, sections, chords, BAR, {"chorus"}, keep_last_bar=True)
    assert bar(kept, 11) == bar(melody, 11)


def test_the_answer_opens_like_the_call():
    chords = [Chord("C", 0, (0, 4, 7), BAR * b, BAR) for b in range(8)]
    out = echoed(_tune(8), [Section("chorus", 0, 8, .8)], chords, BAR, lambda name: (0, 1))
    pitches = [[n.pitch for n in out if b * BAR <= n.start < (b + 1) * BAR] for b in range(8)]
    assert pitches[4] == pitches[0] and pitches[5] == pitches[1] and pitches[6] != pitches[2]
