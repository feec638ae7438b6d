"""The Faust voices through DawDreamer, and what happens without them."""
import logging

import numpy as np
import pytest

from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.performance import BEND, Control, Performance, PlayedNote, PlayedPart
from maestro_ai.prompt.instruments import all_instruments
from maestro_ai.render import instrument as instrument_module
from maestro_ai.render import sources
from maestro_ai.render.instrument import render_part
from maestro_ai.render.voices import Player, hz, load_voice, render_mono

RATE = 44100
VOICES = sorted({s.content for i in all_instruments().values() for s in (*i.sources, *i.voices.values())
                 if s.engine == "synth"})
PERF = Performance(120.0, TimeSignature(4, 4), Key(0, "minor"), [], 3840)


def _pitch(audio: np.ndarray) -> float:
    """The strongest frequency of a stretch of audio (FFT peak, 1 Hz bins)."""
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio)), RATE))
    return float(np.argmax(spectrum[20:]) + 20)


@pytest.mark.parametrize("name", VOICES)
def test_every_voice_compiles_and_sounds(name):
    voice = load_voice(name)
    note = Player(voice, RATE).note(45, 110, RATE // 4)
    assert note.shape[0] == 2 and np.isfinite(note).all()
    assert 0.01 < np.abs(note).max() < 1.0
    assert np.abs(note[:, -256:]).max() < 0.05 * np.abs(note).max()  # its tail has rung out


def test_a_note_sounds_at_its_pitch_and_repeats_exactly():
    player = Player(load_voice("808-bass"), RATE)
    a, b = player.note(33, 120, RATE), player.note(33, 120, RATE)
    assert np.array_equal(a, b)
    assert abs(_pitch(a[0, RATE // 4: RATE // 4 + RATE // 2]) - hz(33)) < 2


def test_the_808_glides_from_the_last_note_into_the_next():
    notes = [PlayedNote(0, 900, 36, 110), PlayedNote(960, 1900, 31, 110)]
    bend = [Control(960, BEND, 8192 * 5 // 12 - 1)]  # starts 5 semitones up (range 12), then resets
    bend += [Control(1040, BEND, 0)]
    part = PlayedPart("bass", 38, False, 0, "", notes, bend, bend_range=12)
    audio = render_mono(Player(load_voice("808-bass"), RATE), part, PERF, 2 * RATE)
    start = int(PERF.seconds(960) * RATE)
    early = _pitch(audio[0, start + 200: start + 200 + 2048])
    late = _pitch(audio[0, start + RATE // 4: start + RATE // 4 + RATE // 2])
    assert early > hz(31) * 1.2 and abs(late - hz(31)) < 2


def test_a_synth_kit_plays_its_voiced_notes_and_the_soundfont_the_rest():
    kit = all_instruments()["909-kit"]
    part = PlayedPart("drums", 24, True, 9, "", [PlayedNote(0, 60, 36, 120), PlayedNote(480, 540, 38, 110)])
    audio, used = render_part(part, kit, PERF, RATE, RATE)
    assert "synth:909-kick" in [str(s) for s in used]
    assert np.abs(audio[:, : RATE // 4]).max() > 0.05 and np.abs(audio[:, RATE // 2:]).max() > 0.01


def test_without_dawdreamer_synth_parts_fall_back_with_one_note(monkeypatch, caplog):
    monkeypatch.setattr(sources, "engine_available", lambda: False)
    sources._note_missing.cache_clear()
    part = PlayedPart("bass", 38, False, 0, "", [PlayedNote(0, 900, 36, 110)])
    with caplog.at_level(logging.WARNING):
        audio, used = render_part(part, all_instruments()["808-bass"], PERF, RATE, RATE)
        render_part(part, all_instruments()["808-bass"], PERF, RATE, RATE)
    assert [str(s) for s in used] in (["soundfont:fluidr3:0:38"], [])
    assert np.abs(audio).max() > 0.01
    assert sum("DawDreamer" in r.message for r in caplog.records) == 1
    sources._note_missing.cache_clear()


def test_missing_sample_content_falls_back_to_the_next_source(monkeypatch, caplog):
    from maestro_ai.core.instrument import Content

    real = Content.path
    monkeypatch.setattr(Content, "path", lambda self: None if self.id == "musescore" else real(self))
    sources._note_missing.cache_clear()
    part = PlayedPart("harmony", 0, False, 0, "", [PlayedNote(0, 900, 60, 90)])
    with caplog.at_level(logging.WARNING):
        audio, used = render_part(part, all_instruments()["grand-piano"], PERF, RATE, RATE)
    if sources.default_backend().name == "fluidsynth":
        assert [str(s) for s in used] == ["soundfont:fluidr3:0:0"]
        assert any("musescore-general-soundfont-small" in r.message for r in caplog.records)
    assert np.abs(audio).max() > 0.01
    sources._note_missing.cache_clear()


def test_expression_turns_the_part_down_by_the_midi_volume_law():
    part = PlayedPart("pad", 89, False, 0, "", [PlayedNote(0, 1900, 60, 90)], [Control(0, 11, 127), Control(960, 11, 64)])
    gain = instrument_module.expression_gain(part, PERF, RATE, RATE)
    assert gain[0] == pytest.approx(1.0) and gain[-1] == pytest.approx((64 / 127) ** 2, rel=1e-3)


@pytest.mark.parametrize("kit, note", [("studio-kit", 38), ("909-kit", 36), ("909-kit", 42), ("909-kit", 39)])
def test_a_kit_never_plays_the_same_hit_twice_in_a_row(kit, note):
    part = PlayedPart("drums", 0, True, 9, "", [PlayedNote(i * 480, i * 480 + 60, note, 100) for i in range(3)])
    audio, used = render_part(part, all_instruments()[kit], PERF, 2 * RATE, RATE)
    assert kit == "studio-kit" or "synth" in str(used)  # the 909's voices are synthesized
    hits = [audio[0, i * RATE // 2: i * RATE // 2 + 8000] for i in range(3)]
    levels = [np.sqrt((h ** 2).mean()) for h in hits]
    assert not np.allclose(hits[0], hits[1]) and not np.allclose(hits[1], hits[2])
    assert max(levels) / min(levels) < 1.12  # the same hit, a few cents apart: not a different drum


def test_rock_guitar_palm_mutes_its_short_off_beat_chords_under_the_open_ones():
    guitar = all_instruments()["distortion-guitar"]
    notes = [PlayedNote(t, t + 200, p, 100) for t in (0, 240) for p in (40, 47)]
    audio, used = render_part(PlayedPart("harmony", 30, False, 0, "", notes), guitar, PERF, RATE, RATE)
    if sources.playable(guitar.palm_mute):
        assert str(guitar.palm_mute) in [str(s) for s in used]
        level = [20 * np.log10(np.sqrt((audio[:, a:a + 5000] ** 2).mean())) for a in (0, RATE // 4)]
        assert -6.0 < level[1] - level[0] < 0.0


class _Capture:
    """Stands in for a voice to read the curves render_mono drives it with."""

    sample_rate = RATE

    def play(self, freq, gate, gain, vib):
        self.freq, self.gate = freq, gate
        return np.zeros((2, freq.shape[0]), dtype=np.float32)


def test_an_acid_note_held_into_the_next_glides_without_a_new_attack():
    notes = [PlayedNote(0, 500, 48, 100), PlayedNote(480, 900, 55, 100), PlayedNote(1440, 1800, 43, 100)]
    part = PlayedPart("bass", 39, False, 0, "", notes)
    capture = _Capture()
    render_mono(capture, part, PERF, 2 * RATE)
    slide, retrigger = int(round(PERF.seconds(480) * RATE)), int(round(PERF.seconds(1440) * RATE))
    glide = int(0.06 * RATE)
    assert capture.freq[slide] == pytest.approx(hz(48), rel=1e-4)
    assert capture.freq[slide + glide // 2] == pytest.approx(hz(48) * 2 ** (7 / 24), rel=1e-3)  # half way
    assert capture.freq[slide + glide + 10] == pytest.approx(hz(55), rel=1e-4)
    assert capture.gate[slide - 100: slide + 100].min() == 1.0  # held through: no new attack
    assert capture.gate[retrigger - 10] == 0.0 and capture.freq[retrigger + 1] == pytest.approx(hz(43), rel=1e-4)
    audio = render_mono(Player(load_voice("acid-bass"), RATE), part, PERF, 2 * RATE)
    assert abs(_pitch(audio[0, slide + RATE // 10: slide + RATE // 10 + 4096]) - hz(55)) < 8
