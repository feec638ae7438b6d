"""A person's recording and its MIDI file as a song a remix can start from (`Recording`: the
recording is what the rights registry recognises, the MIDI what is covered, restyled or taken
from), and the MIDI file read as a score (`score_from_midi`).

What is read, and how:
- the tempo and the metre: the file's first tempo and time signature (a score has one of each;
  120 BPM and 4/4 when the file names none, and 4/4 for a metre Maestro does not play);
- the notes of each voice (a track's channel), in beats, on a grid of a 24th of a beat;
- the parts by General MIDI family: channel 10 is the drums, programs 32-39 the bass; of the rest
  the highest line that plays mostly one note at a time is the melody, the voice with the most
  notes the harmony, then a pad and a counter line (further voices join the harmony);
- the chords: a chroma per beat from the pitched notes (bass included), matched to the 24 major
  and minor triads by `production.analysis.tonal.chords_from_chroma`, with less smoothing than
  for audio (CHORD_STAY: written chords may change every beat; on a Bach chorale this took the
  roots music21 finds on the beat from 18 of 31 to 22 of 31);
- the key: `theory.keys.estimate_key` over the melody and those chords;
- the form: sections of 8 bars, their energy from how many notes sound in them.

>>> import io, mido
>>> midi = mido.MidiFile(ticks_per_beat=480)
>>> meta, lead, drums = mido.MidiTrack(), mido.MidiTrack(), mido.MidiTrack()
>>> meta += [mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(96)), mido.MetaMessage("time_signature", numerator=3, denominator=4)]
>>> for pitch in (67, 69, 71, 72, 71, 69):
...     lead += [mido.Message("note_on", note=pitch, velocity=80, time=0), mido.Message("note_off", note=pitch, time=480)]
>>> drums += [mido.Message("note_on", channel=9, note=36, velocity=100), mido.Message("note_off", channel=9, note=36, time=240)]
>>> midi.tracks += [meta, lead, drums]
>>> buffer = io.BytesIO(); midi.save(file=buffer)
>>> score = score_from_midi(buffer.getvalue())
>>> score.tempo, tuple(score.time_signature), [(p.name, len(p.notes)) for p in score.parts]
(96.0, (3, 4), [('melody', 6), ('harmony', 0), ('bass', 0), ('drums', 1)])
>>> [(s.start_bar, s.bars) for s in score.sections]
[(0, 2)]
"""
from __future__ import annotations

import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import mido
import numpy as np

from maestro_ai.core import limits
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.key import Key
from maestro_ai.core.meter import SUPPORTED, TimeSignature
from maestro_ai.core.score import Chord, Note, Part, Score, Section
from maestro_ai.io.audio import read_audio
from maestro_ai.production.analysis.tonal import chords_from_chroma
from maestro_ai.theory.chords import parse_chord
from maestro_ai.theory.keys import estimate_key

GRID = 24  # positions per beat notes are put on (16ths and triplets both land)
SECTION_BARS = 8
DRUM_CHANNEL = 9
BASS_PROGRAMS = range(32, 40)
CHORD_STAY = 0.5  # the chance a chord lasts into the next beat (audio's analysis: 0.85)
MONOPHONIC = 0.25  # a melody has at most this share of its notes sounding over another
IMPORTED = "imported"  # the key a remix's record of a recording keeps its MIDI under
MAX_BEATS = 6000  # 1,200 s (Maestro's longest song) at 300 BPM (its fastest tempo)
MATCH_FPS = 4  # chroma frames a second when a MIDI file is held up against its recording
MATCHES, MATCH_MARGIN = 0.65, 0.2  # what a MIDI file must reach against its recording (see `matches`)


@dataclass(frozen=True)
class Recording:
    """A recording someone made, with the MIDI file of what it plays: a song a remix can start
    from that is not a Maestro track folder. The rights registry recognises the recording (its
    bytes, credentials or watermark); the remix is composed from the MIDI.

    >>> import io, mido
    >>> midi = mido.MidiFile(); track = mido.MidiTrack(); midi.tracks.append(track)
    >>> track += [mido.Message("note_on", note=64, velocity=90), mido.Message("note_off", note=64, time=960)]
    >>> buffer = io.BytesIO(); midi.save(file=buffer)
    >>> song = Recording(Path("take 3.wav"), buffer.getvalue())
    >>> song.title, song.tempo, str(song.time_signature), sorted(song.record()["imported"])
    ('take 3', 120.0, '4/4', ['midi_bytes_hex', 'owner', 'title'])
    """

    audio: Path
    midi: bytes
    name: str = ""
    owner: str = ""  # whose registered work it is (set once the registry has recognised it): its composition's credit

    @classmethod
    def load(cls, audio: Path | str, midi: Path | str | bytes, title: str = "") -> Recording:
        """A recording and its MIDI file (a path, or the file's bytes), both checked: a clear
        error for a missing recording or a MIDI file that holds no notes."""
        if not isinstance(audio, (str, Path)) or not isinstance(midi, (str, Path, bytes, bytearray)) or not isinstance(title, str):
            raise InvalidRequest("a recording is loaded from its audio file's path and its MIDI file (a path or bytes): "
                                 "Recording.load('take.wav', 'take.mid')")
        audio = Path(audio)
        if audio.is_dir() or audio.suffix.lower() == ".json":
            raise InvalidRequest(f"{str(audio)!r} is a track: a track folder is remixed without a MIDI file")
        if not audio.is_file():
            raise InvalidRequest(f"there is no recording {str(audio)!r}; give the audio file the MIDI goes with")
        if not isinstance(midi, (bytes, bytearray)):
            try:
                midi = Path(midi).read_bytes()
            except (OSError, ValueError) as exc:
                raise InvalidRequest(f"cannot read the MIDI file {str(midi)!r}: {getattr(exc, 'strerror', None) or exc}") from None
        found = cls(audio, bytes(midi), title)
        _ = found.score  # read now: a bad MIDI file is refused before anything else is done
        return found

    @property
    def title(self) -> str:
        return self.name or self.audio.stem

    @cached_property
    def score(self) -> Score:
        return score_from_midi(self.midi, f"the MIDI file of {self.title!r}")

    @property
    def mix_path(self) -> Path:
        """The recording: what the rights registry is asked about, and the remix's parent ingredient."""
        return self.audio

    @property
    def tempo(self) -> float:
        return self.score.tempo

    @property
    def key(self) -> Key:
        return self.score.key

    @property
    def time_signature(self) -> TimeSignature:
        return self.score.time_signature

    @property
    def mood(self) -> str:
        """The mood a remix of it takes when none is asked for: what its key's mode suggests."""
        return "melancholic" if self.key.mode == "minor" else "happy"

    @property
    def seed(self) -> int:
        """The seed what is composed anew starts from: the MIDI file's own, so a remix made twice is the same."""
        return int.from_bytes(hashlib.sha256(self.midi).digest()[:4], "big")

    @property
    def duration_seconds(self) -> float:
        """The MIDI's length at its tempo, within the lengths Maestro makes (a remix's is set by its form)."""
        seconds = self.score.bars * self.score.beats_per_bar * 60.0 / self.tempo
        low, high = limits.DURATION_SECONDS
        return min(max(seconds, low), high)

    def check_matches(self) -> None:
        """Refuse a MIDI file that does not play what the recording plays: consent is asked of
        the recording's owners, so the music made must be theirs (see `matches`)."""
        found, control = matches(self.audio, self.midi)
        if found < MATCHES or found - control < MATCH_MARGIN:
            raise InvalidRequest(f"the MIDI file does not play what {self.title!r} plays (their chroma agree {found:.2f}, "
                                 f"{control:.2f} for the MIDI a tritone away; a match is {MATCHES} and {MATCH_MARGIN} more): "
                                 "give the MIDI of this recording")

    def record(self) -> dict:
        """What a remix keeps of the recording to compose it again: its MIDI's bytes and its title."""
        return {"title": self.title, IMPORTED: {"midi_bytes_hex": self.midi.hex(), "title": self.title, "owner": self.owner}}


def matches(audio: Path, midi: bytes) -> tuple[float, float]:
    """How well a MIDI file's pitch classes follow a recording's over time: the mean cosine of
    their chroma (MATCH_FPS frames a second; the MIDI's by pretty_midi, drums left out; the
    recording's by librosa's STFT chroma) along the best dynamic-time-warping path, so a
    recording played slower or with rubato still lines up; and the same for the MIDI moved a
    tritone, what an unrelated piece in another key reaches."""
    import librosa
    import pretty_midi

    try:
        played = pretty_midi.PrettyMIDI(io.BytesIO(midi))
    except Exception as exc:  # pretty_midi raises what its parsers raise
        raise InvalidRequest(f"the MIDI file cannot be read: {exc or type(exc).__name__}") from None
    for instrument in played.instruments:
        instrument.notes = [] if instrument.is_drum else instrument.notes
    written = played.get_chroma(fs=MATCH_FPS)
    sound, rate = read_audio(audio)
    mono = sound.mean(axis=0)
    hop = int(rate / MATCH_FPS)
    heard = librosa.feature.chroma_stft(y=mono, sr=rate, n_fft=1 << int(np.log2(hop) + 1), hop_length=hop)
    if written.shape[1] == 0 or heard.shape[1] == 0:
        return 0.0, 0.0

    def along_path(chroma: np.ndarray) -> float:
        a = heard / np.maximum(np.linalg.norm(heard, axis=0, keepdims=True), 1e-9)
        b = chroma / np.maximum(np.linalg.norm(chroma, axis=0, keepdims=True), 1e-9)
        total, path = librosa.sequence.dtw(C=1 - a.T @ b)
        return float(1 - total[-1, -1] / len(path))

    return along_path(written), along_path(np.roll(written, 6, axis=0))


def recorded_score(record: dict) -> Score:
    """The score a remix's record of a recording keeps (`Recording.record()`)."""
    kept = record.get(IMPORTED)
    try:
        data = bytes.fromhex(str(kept["midi_bytes_hex"]))
    except (TypeError, KeyError, ValueError):
        raise InvalidRequest("a remix in track.json keeps a recording's MIDI as 'midi_bytes_hex'; it is damaged") from None
    return score_from_midi(data, f"the MIDI file of {str(kept.get('title', 'a recording'))!r}")


def score_from_midi(data: bytes, name: str = "the MIDI file") -> Score:
    """The score a MIDI file holds (see the module's note); a clear error for a file that is not
    MIDI or holds no notes."""
    try:
        midi = mido.MidiFile(file=io.BytesIO(data))
    except (OSError, ValueError, EOFError, KeyError, IndexError) as exc:
        raise InvalidRequest(f"{name} is not a MIDI file Maestro can read: {exc or type(exc).__name__}") from None
    tempo, metre, voices, programs = _read(midi, name)
    if not any(voices.values()):
        raise InvalidRequest(f"{name} holds no notes")
    parts = _parts(voices, programs)
    pitched = [n for p in parts if not p.is_drum for n in p.notes]
    length = max(n.end for p in parts for n in p.notes)
    bars = max(1, int(np.ceil(length / metre.beats_per_bar - 1e-9)))
    chords = _chords(pitched, bars * metre.beats_per_bar)
    melody = next(p for p in parts if p.name == "melody").notes
    return Score(tempo=tempo, key=estimate_key(melody or pitched, chords), time_signature=metre,
                 sections=_sections(parts, bars, metre.beats_per_bar), chords=chords, parts=parts)


def _read(midi: mido.MidiFile, name: str) -> tuple[float, TimeSignature, dict[tuple[int, int], list[Note]], dict[tuple[int, int], int]]:
    """The first tempo and metre, each voice's notes (by track and channel) and its program."""
    per_beat = midi.ticks_per_beat or 480
    tempo, metre = None, None
    voices: dict[tuple[int, int], list[Note]] = defaultdict(list)
    programs: dict[tuple[int, int], int] = {}
    for number, track in enumerate(midi.tracks):
        tick, sounding = 0, defaultdict(list)  # (channel, pitch) -> [(start tick, velocity)], first in first out
        channel_program: dict[int, int] = {}
        for message in track:
            tick += message.time
            if message.type == "set_tempo" and tempo is None:
                tempo = round(mido.tempo2bpm(message.tempo), 3)
            elif message.type == "time_signature" and metre is None:
                metre = (message.numerator, message.denominator)
            elif message.type == "program_change":
                channel_program[message.channel] = message.program
            elif message.type == "note_on" and message.velocity > 0:
                if tick > MAX_BEATS * per_beat:  # refused before anything is built to its length
                    raise InvalidRequest(f"a note of {name} starts past beat {MAX_BEATS:,}: longer than any song Maestro makes")
                sounding[(message.channel, message.note)].append((tick, message.velocity))
                programs.setdefault((number, message.channel), channel_program.get(message.channel, 0))
            elif message.type in ("note_off", "note_on") and sounding[(message.channel, message.note)]:
                began, velocity = sounding[(message.channel, message.note)].pop(0)
                tick = min(tick, MAX_BEATS * per_beat)  # a note held past the longest song ends there
                voices[(number, message.channel)].append(_note(message.note, began, tick, velocity, per_beat))
    metre = TimeSignature(*metre) if metre in SUPPORTED else TimeSignature(4, 4)
    return float(tempo or 120.0), metre, voices, programs


def _note(pitch: int, began: int, ended: int, velocity: int, per_beat: int) -> Note:
    start = round(began / per_beat * GRID) / GRID
    end = max(start + 1 / GRID, round(ended / per_beat * GRID) / GRID)
    return Note(pitch, start, end - start, velocity)


def _overlapping_share(notes: list[Note]) -> float:
    """The share of notes that start before the note before them has ended."""
    ordered = sorted(notes, key=lambda n: (n.start, n.pitch))
    overlaps = sum(1 for before, after in zip(ordered, ordered[1:]) if after.start < before.end - 1e-9)
    return overlaps / max(1, len(ordered))


def _parts(voices: dict[tuple[int, int], list[Note]], programs: dict[tuple[int, int], int]) -> list[Part]:
    """Melody, harmony, bass and drums (empty where the file has none), then a pad and a counter."""
    drums = [n for (_, channel), notes in voices.items() if channel == DRUM_CHANNEL for n in notes]
    pitched = {v: sorted(notes, key=lambda n: (n.start, n.pitch)) for v, notes in voices.items()
               if v[1] != DRUM_CHANNEL and notes}
    bass_voices = [v for v in pitched if programs.get(v, 0) in BASS_PROGRAMS]
    others = [v for v in pitched if v not in bass_voices]
    lines = [v for v in others if _overlapping_share(pitched[v]) <= MONOPHONIC] or others
    melody = max(lines, key=lambda v: float(np.mean([n.pitch for n in pitched[v]])), default=None)
    rest = sorted((v for v in others if v != melody), key=lambda v: -len(pitched[v]))

    def part(name: str, chosen: list[tuple[int, int]]) -> Part:
        notes = sorted((n for v in chosen for n in pitched[v]), key=lambda n: (n.start, n.pitch))
        return Part(name, programs.get(chosen[0], 0) if chosen else 0, notes)

    parts = [part("melody", [melody] if melody else []), part("harmony", rest[:1] + rest[3:]),
             part("bass", bass_voices), Part("drums", 0, sorted(drums, key=lambda n: (n.start, n.pitch)), is_drum=True)]
    parts += [part(name, [voice]) for name, voice in zip(("pad", "counter"), rest[1:3])]
    return parts


def _chords(pitched: list[Note], beats: float) -> list[Chord]:
    """The chords beat by beat from the notes sounding in each beat (weighted by how long they
    sound in it), merged while they last; stretches with no chord are left out."""
    count = max(1, int(np.ceil(beats - 1e-9)))
    chroma = np.zeros((12, count))
    for n in pitched:
        first, last = int(n.start), min(count - 1, int(np.ceil(n.end - 1e-9)) - 1)
        for beat in range(first, last + 1):
            chroma[n.pitch % 12, beat] += max(0.0, min(n.end, beat + 1) - max(n.start, beat)) * n.velocity / 127
    found = chords_from_chroma(chroma, np.arange(count + 1, dtype=float), stay=CHORD_STAY)
    chords = []
    for span in found:
        if span["chord"] == "N":
            continue
        root, intervals, bass = parse_chord(span["chord"])
        chords.append(Chord(span["chord"], root, intervals, float(span["start"]), float(span["end"] - span["start"]), bass))
    return chords


def _sections(parts: list[Part], bars: int, per_bar: float) -> list[Section]:
    """Sections of SECTION_BARS (the last takes what is left), their energy the notes started per
    bar in them over the busiest section's."""
    starts = [n.start for p in parts for n in p.notes]
    spans = [(first, min(SECTION_BARS, bars - first)) for first in range(0, bars, SECTION_BARS)]
    density = [sum(1 for s in starts if first * per_bar <= s < (first + length) * per_bar) / length for first, length in spans]
    top = max(density) or 1.0
    return [Section(f"section {k + 1}", first, length, round(0.2 + 0.8 * d / top, 3))
            for k, ((first, length), d) in enumerate(zip(spans, density))]
