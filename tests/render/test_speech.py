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
    first = speech.speak([("l", "aI"), ("t", "s"), ("l", "aI")], "en-us", known)
    assert set(first) == {("l", "aI"), ("t", "s")} and len(known) == 2
    again = speech.speak([("l", "aI")], "en-us", known)
    assert again[("l", "aI")] is first[("l", "aI")]


CHORUS = [("r", "eI"), ("n", "i"), ("s", "I"), ("t", "#", "i"), ("l", "aI", "t", "s"), ("t", "eI", "k"), ("m", "i:"),
          ("h", "aI"), ("d", "oU", "n", "t"), ("k", "r", "aU", "d"), ("h", "I", "t", "s"), ("f", "l", "o@"), ("T", "r", "u:"),
          ("w", "eI", "t"), ("f", "O@"), ("s", "V", "n"), ("b", "i:", "t"), ("d", "I2"), ("oU",), ("V", "p")]


@pytest.mark.skipif(speech.espeak() is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize("voice", ["en-us", "en-us+f2"])
def test_a_chorus_is_spoken_in_one_call_of_espeak_ng(monkeypatch, voice):
    calls = []
    real = speech._run
    monkeypatch.setattr(speech, "_run", lambda *args: calls.append(args) or real(*args))
    said = speech.speak(CHORUS, voice)
    assert len(calls) == 1 and len(said) == len(CHORUS)
    # each piece is its own syllable: about as long as that syllable spoken alone (which is a
    # little longer, as the end of an utterance is)
    for syllable in [("oU",), ("k", "r", "aU", "d"), ("s", "I")]:
        alone = len(speech._spoken_audio(speech.espeak(), [syllable], voice)[0]) / speech.SPEECH_RATE
        assert 0.7 < said[syllable].frames * speech.FRAME_MS / 1000 / alone < 1.1, syllable


@pytest.mark.skipif(speech.espeak() is None, reason="espeak-ng is not installed")
def test_where_the_cut_misses_a_syllable_each_half_is_spoken_again(monkeypatch):
    monkeypatch.setattr(speech, "WORD_GAP", 0)  # no pause between syllables: the cut finds too few
    calls = []
    real = speech._run
    monkeypatch.setattr(speech, "_run", lambda *args: calls.append(args) or real(*args))
    pieces = speech._spoken_audio(speech.espeak(), CHORUS[:8], "en-us")
    assert len(pieces) == 8 and all(len(p) > 0.05 * speech.SPEECH_RATE for p in pieces)
    assert len(calls) < 2 * 8
