"""The singer judged by independent tools: librosa's pYIN for pitch, its onset detector for
timing, on a phrase sung from written notes."""
import librosa
import numpy as np
import pytest
from scipy.signal import butter, sosfiltfilt

from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.performance import PPQ, Performance, PlayedNote, PlayedPart
from maestro_ai.prompt.singers import load_singer
from maestro_ai.prompt.syllables import espeak
from maestro_ai.render.choir import ooh_line
from maestro_ai.render.singer import double_takes, sing_part
from maestro_ai.render.speech import speak

pytestmark = pytest.mark.skipif(espeak() is None, reason="espeak-ng is not installed")
RATE = 44100
TEMPO = 100.0
# "rainy city lights, hold me": (phonemes, pitch, beats) per syllable, as espeak-ng names them
LINE = [(("r", "eI"), 69, 1.0), (("n", "i"), 67, 0.5), (("s", "I"), 64, 0.5), (("t", "i"), 67, 1.0),
        (("l", "aI", "t", "s"), 72, 2.0), (("h", "oU", "l", "d"), 71, 1.0), (("m", "i:"), 69, 2.0)]


def _phrase(singer="female-high", shift=0):
    notes, phonemes, beat = [], [], 1.0
    for sounds, pitch, beats in LINE:
        start = int(beat * PPQ)
        notes.append(PlayedNote(start, start + int(beats * PPQ) - 20, pitch + shift, 100))
        phonemes.append((start, sounds))
        beat += beats
    part = PlayedPart("vocals", 54, False, 0, singer, notes, phonemes=phonemes)
    perf = Performance(TEMPO, TimeSignature(4, 4), Key(9, "minor"), [part], int(beat * PPQ))
    return part, perf


def _judged_pitch(audio, notes, perf):
    """(share of voiced frames within 50 cents of the written note, frames judged): frames whose
    analysis window lies inside one note."""
    y = librosa.resample(audio[0], orig_sr=RATE, target_sr=22050)
    f0, _, _ = librosa.pyin(y, fmin=70, fmax=1000, sr=22050, frame_length=1024, hop_length=256)
    times = librosa.times_like(f0, sr=22050, hop_length=256)
    errors = []
    for t, hz in zip(times, f0):
        note = next((n for n in notes if perf.seconds(n.start) + 0.025 <= t <= perf.seconds(n.end) - 0.025), None)
        if note is not None and not np.isnan(hz):
            errors.append(abs(1200 * np.log2(hz / (440 * 2 ** ((note.pitch - 69) / 12)))))
    return float(np.mean(np.array(errors) < 50)), len(errors)


@pytest.mark.parametrize("singer,shift", [("female-high", 0), ("male-low", -19)])
def test_the_voice_sings_the_written_pitches(singer, shift):
    part, perf = _phrase(singer, shift)
    audio = sing_part(part, perf, load_singer(singer), int(RATE * perf.seconds(perf.length_ticks + PPQ)), RATE)
    within, judged = _judged_pitch(audio, part.notes, perf)
    assert judged > 200 and within >= 0.95, (within, judged)


def test_each_syllables_vowel_starts_on_its_note():
    part, perf = _phrase()
    audio = sing_part(part, perf, load_singer("female-high"), int(RATE * perf.seconds(perf.length_ticks + PPQ)), RATE)
    voiced_band = sosfiltfilt(butter(4, 1500, fs=RATE, output="sos"), audio[0])  # where a vowel starts, not an "s"
    onsets = librosa.onset.onset_detect(y=voiced_band, sr=RATE, hop_length=256, units="time")
    starts = [perf.seconds(n.start) for n in part.notes]
    near = [min(abs(onsets - s)) for s in starts]
    assert np.mean(np.array(near) <= 0.03) >= 0.85, np.round(near, 3)
    # the consonants come before the beat: the first syllable's "r" sounds before its note
    first = int(RATE * starts[0])
    assert np.abs(audio[0, first - int(0.04 * RATE):first]).max() > 0.01
    assert np.abs(audio[0, :first - int(0.2 * RATE)]).max() < 0.02  # and nothing long before (a breath at most)


def test_rap_keeps_speech_pitch_around_its_notes():
    part, perf = _phrase("male-low", -19)
    frames = int(RATE * perf.seconds(perf.length_ticks + PPQ))
    rapped = sing_part(part, perf, load_singer("male-low"), frames, RATE, spoken=True)
    y = librosa.resample(rapped[0], orig_sr=RATE, target_sr=22050)
    f0, _, _ = librosa.pyin(y, fmin=60, fmax=600, sr=22050, frame_length=1024, hop_length=256)
    heard = 12 * np.log2(f0[~np.isnan(f0)] / 440) + 69
    written = np.array([n.pitch for n in part.notes])
    assert abs(np.median(heard) - np.median(written)) <= 2.5  # it talks where the notes lie
    assert np.std(heard) > 0.5  # and the pitch moves as speech does, not on held notes


def test_backing_oohs_are_exactly_in_tune():
    vowel = speak([("u:",)], load_singer("male-high"))[("u:",)]
    audio = ooh_line([(0.0, 1.5, 64, 80), (1.5, 3.0, 67, 80)], vowel, 22050, 22050 * 4)
    f0, _, _ = librosa.pyin(audio, fmin=100, fmax=800, sr=22050, frame_length=2048, hop_length=256)
    times = librosa.times_like(f0, sr=22050, hop_length=256)
    for a, b, pitch in ((0.3, 1.3, 64), (1.8, 2.8, 67)):
        sung = f0[(times > a) & (times < b)]
        cents = 1200 * np.log2(sung / (440 * 2 ** ((pitch - 69) / 12)))
        assert np.nanmax(np.abs(cents)) < 40 and abs(np.nanmedian(cents)) < 8


def test_a_double_is_two_more_takes_in_tune_apart_in_time_left_and_right():
    part, perf = _phrase()
    frames = int(RATE * perf.seconds(perf.length_ticks + PPQ))
    lead = sing_part(part, perf, load_singer("female-high"), frames, RATE)
    takes = double_takes(part, perf, load_singer("female-high"), frames, RATE)
    assert takes.shape == (2, frames) and not np.allclose(takes[0], takes[1], atol=1e-3)
    for side in takes:  # each take is in tune (a double strays by cents, not by a note)
        within, judged = _judged_pitch(side[None, :], part.notes, perf)
        assert judged > 200 and within >= 0.9, (within, judged)
    # the takes are the same words at nearly the same time: their loudness curves follow the
    # lead's (10 ms frames), and they stray from it by milliseconds, not by a beat
    def envelope(x):
        usable = len(x) // 441 * 441
        return np.sqrt((x[:usable].reshape(-1, 441) ** 2).mean(axis=1))
    voice = envelope(lead[0])
    strayed = []
    for side in takes:
        env = envelope(side)
        assert np.corrcoef(env, voice)[0, 1] > 0.8
        onsets = librosa.onset.onset_detect(y=side, sr=RATE, hop_length=256, units="time")
        lead_onsets = librosa.onset.onset_detect(y=lead[0], sr=RATE, hop_length=256, units="time")
        strayed += [min(abs(lead_onsets - t)) for t in onsets]
    assert 0.002 < np.median(strayed) < 0.04, np.round(strayed, 3)
