"""Syllables as the singer gets them, and the voice without espeak-ng."""
import numpy as np
import pytest

from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.performance import Performance, PlayedNote, PlayedPart
from maestro_ai.prompt.singers import load_singer
from maestro_ai.render import speech
from maestro_ai.render.singer import sing_part


def test_without_espeak_ng_the_voice_still_sings_its_notes_on_a_vowel(monkeypatch):
    monkeypatch.setattr(speech, "espeak", lambda: None)
    part = PlayedPart("vocals", 54, False, 0, "male-high", [PlayedNote(480, 1440, 57, 100)], phonemes=[(480, ("l", "aI"))])
    perf = Performance(120.0, TimeSignature(4, 4), Key(9, "minor"), [part], 1920)
    audio = sing_part(part, perf, load_singer("male-high"), 44100 * 2, 44100)
    held = audio[0, int(0.7 * 44100):int(0.9 * 44100)]
    spectrum = np.abs(np.fft.rfft(held * np.hanning(len(held))))
    peak_hz = np.argmax(spectrum[:200 * len(held) // 44100 * 2]) * 44100 / len(held)  # the strongest partial below 400 Hz
    assert np.abs(held).max() > 0.05 and abs(peak_hz - 220.0) < 8


@pytest.mark.skipif(speech.espeak() is None, reason="espeak-ng is not installed")
def test_a_song_speaks_each_distinct_syllable_once_and_shares_it():
    known = {}
    first = speech.speak([("l", "aI"), ("t", "s"), ("l", "aI")], load_singer("male-high"), known)
    assert set(first) == {("l", "aI"), ("t", "s")} and len(known) == 2
    again = speech.speak([("l", "aI")], load_singer("male-high"), known)
    assert again[("l", "aI")] is first[("l", "aI")]



@pytest.mark.skipif(speech.espeak() is None, reason="espeak-ng is not installed")
def test_syllables_spoken_on_both_threads_are_the_ones_spoken_on_one():
    from concurrent.futures import ThreadPoolExecutor

    syllables = [("r", "eI"), ("n", "i"), ("l", "aI", "t", "s"), ("k", "r", "aU", "d")]
    alone = speech.speak(syllables, load_singer("female-low"))
    with ThreadPoolExecutor(2) as pool:
        shared = speech.speak(syllables, load_singer("female-low"), {}, pool)
    assert all(np.array_equal(alone[s].sp, shared[s].sp) and alone[s].vowel_start == shared[s].vowel_start
               for s in syllables)
