"""Expression as MIDI: pedal, swells, vibrato, glides, bends, legato and slides."""
import numpy as np

from maestro_ai.compose.expression import express
from maestro_ai.core.performance import BEND, PPQ, PlayedNote, PlayedPart
from maestro_ai.prompt.instruments import all_instruments

BAR = 4 * PPQ


def _part(notes):
    return PlayedPart("x", 0, False, 0, "", notes)


def test_the_pedal_lifts_at_every_change_of_harmony():
    chords = [PlayedNote(t, t + BAR - 60, p, 80) for t in range(0, 4 * BAR, BAR) for p in (60, 64, 67)]
    part = express(_part(chords), all_instruments()["grand-piano"], BAR, np.random.default_rng(0))
    pedal = [(c.tick, c.value) for c in part.controls if c.number == 64]
    downs = [t for t, v in pedal if v == 127]
    ups = [t for t, v in pedal if v == 0]
    assert len(downs) == len(ups) == 4
    assert all(up < BAR * (i + 1) <= down for i, (up, down) in enumerate(zip(ups, downs[1:])))


def test_strings_swell_and_vibrate_on_long_notes_only():
    notes = [PlayedNote(0, 2 * PPQ, 67, 80), PlayedNote(2 * PPQ, 2 * PPQ + 120, 69, 80)]
    part = express(_part(notes), all_instruments()["violin"], BAR, np.random.default_rng(0))
    swell = [c.value for c in part.controls if c.number == 11]
    assert max(swell) >= 115 and min(swell) <= 90
    vib = [c for c in part.controls if c.number == 1]
    long_note = part.notes[0]  # held a little into the next when slurred
    assert vib and all(c.tick <= long_note.end for c in vib) and vib[-1].value == 0


def test_808_glides_declare_an_octave_of_bend_and_return_to_rest():
    notes = [PlayedNote(i * PPQ, i * PPQ + PPQ - 20, 36 - (i % 3) * 2, 100) for i in range(40)]
    part = express(_part(notes), all_instruments()["808-bass"], BAR, np.random.default_rng(1))
    bends = [c for c in part.controls if c.number == BEND]
    assert part.bend_range == 12 and bends and bends[-1].value == 0
    assert all(-8192 <= c.value <= 8191 for c in bends)


def test_velocities_are_scaled_into_the_players_range():
    notes = [PlayedNote(0, 100, 60, v) for v in (1, 64, 127)]
    piano = all_instruments()["grand-piano"]
    part = express(_part(notes), piano, BAR, np.random.default_rng(0))
    assert all(piano.velocity[0] - 2 <= n.velocity <= piano.velocity[1] + 2 for n in part.notes)


def test_a_violin_slurs_connected_notes_of_its_line_but_not_its_chords():
    line = [PlayedNote(i * PPQ, i * PPQ + PPQ - 20, 60 + i % 5, 96) for i in range(24)]
    chord = [PlayedNote(30 * PPQ, 31 * PPQ, p, 96) for p in (55, 60, 64)]
    violin = all_instruments()["violin"]
    part = express(_part(line + chord), violin, BAR, np.random.default_rng(0))
    played = sorted(part.notes[:24], key=lambda n: n.start)
    held = [a for a, b in zip(played, played[1:]) if a.end > b.start]
    assert 0.5 * 23 <= len(held) <= 23  # most connected notes slurred (three in four)
    assert all(0 < a.end - b.start <= PPQ // 16 for a, b in zip(played, played[1:]) if a.end > b.start)
    softer = [b for a, b in zip(played, played[1:]) if a.end > b.start]
    plain = express(_part(line), violin, BAR, np.random.default_rng(0)).notes[0].velocity
    assert all(n.velocity < plain for n in softer)
    assert [n.end for n in part.notes[24:]] == [31 * PPQ] * 3  # a chord is not slurred


def test_acid_bass_slides_some_notes_and_a_piano_slurs_none():
    notes = [PlayedNote(i * PPQ // 2, i * PPQ // 2 + PPQ // 2 - 10, 36 + (i * 7) % 12, 100) for i in range(64)]
    acid = express(_part(notes), all_instruments()["acid-bass"], BAR, np.random.default_rng(2))
    slid = sum(a.end > b.start for a, b in zip(acid.notes, acid.notes[1:]))
    assert 0.15 * 63 <= slid <= 0.45 * 63 and not any(c.number == BEND for c in acid.controls)
    piano = express(_part(notes), all_instruments()["grand-piano"], BAR, np.random.default_rng(2))
    assert not any(a.end > b.start for a, b in zip(piano.notes, piano.notes[1:]))
