"""A person's recording as a remix source (`maestro remix RECORDING --midi FILE`, `Recording`):
a human-made piece (Bach's chorale BWV 66.6 from music21's corpus, written out as MIDI by music21
and played by FluidSynth's own command into the recording) registered as Ada's work, covered by
Bob under his grant. The cover is judged against the chorale as music21 reads it, not against
our own reading: its melody stem's pitch contour by pYIN (librosa) against the soprano, its
chords by the chroma (librosa) of the parts that play them against music21's chordify, both far
closer than to other chorales. Its lineage, credits and refusals are checked too."""
import json
import shutil
import subprocess
from pathlib import Path

import librosa
import mido
import numpy as np
import pytest
import soundfile

import maestro_ai
from maestro_ai.cli.main import main
from maestro_ai.core.track import Track
from maestro_ai.pipeline.imported import matches
from maestro_ai.production.clearance import register_work
from maestro_ai.provenance.credentials import read_credentials
from maestro_ai.render.synth import fluid_soundfont
from maestro_ai.rights.registry import Registry
from tests.pipeline.test_remix import _alignment, _contour, _heard_notes

music21 = pytest.importorskip("music21")
CONTROLS = ("bach/bwv269", "bach/bwv7.7", "bach/bwv1.6")  # other chorales: what a cover of BWV 66.6 is not


def record_midi(midi: Path, wav: Path) -> Path:
    """`midi` played into `wav`: by FluidSynth's own command with the GM SoundFont where they are
    installed (a recording made by another program than Maestro), else by pretty_midi's sines."""
    soundfont, command = fluid_soundfont(), shutil.which("fluidsynth")
    if soundfont and command:
        subprocess.run([command, "-ni", "-q", "-r", "44100", "-F", str(wav), str(soundfont), str(midi)], check=True,
                       capture_output=True)
    else:
        import pretty_midi
        soundfile.write(wav, pretty_midi.PrettyMIDI(str(midi)).synthesize(fs=44100) * 0.3, 44100)
    return wav


def chorale_recording(folder: Path) -> tuple[Path, Path]:
    """BWV 66.6's MIDI (by music21) and a recording of it."""
    midi = Path(music21.corpus.parse("bach/bwv66.6").write("midi", fp=str(folder / "bwv66.6.mid")))
    return record_midi(midi, folder / "bwv66.6.wav"), midi


@pytest.fixture(scope="module")
def chorale(tmp_path_factory):
    """Ada's recording of the chorale, registered as her work (shares: Ada 70, Cy 30)."""
    folder = tmp_path_factory.mktemp("recording")
    url = f"sqlite:///{folder / 'rights.db'}"
    patch = pytest.MonkeyPatch()
    patch.setenv("MAESTRO_RIGHTS_DB", url)
    registry = Registry(url)
    for name in ("Ada", "Bob", "Cy", "Dee"):
        registry.add_artist(name)
    wav, midi = chorale_recording(folder)
    register_work(registry, wav, title="Chorale BWV 66.6", owner="Ada", acting="Ada", shares={"Ada": 7000, "Cy": 3000})
    yield registry, wav, midi, folder
    patch.undo()


def _soprano(name: str) -> list[int]:
    return [n.pitch.midi for n in music21.corpus.parse(name).parts[0].stripTies().flatten().notes]


def _chords_in_chroma(stems: list[Path], name: str, tempo: float, tonic: int) -> float:
    """The share of a chorale's on-beat triads and sevenths (music21's chordify, moved to `tonic`)
    whose root is the root of the triad that best fits the chroma of `stems` over that beat, at
    `tempo`; beats past the recording's end are not counted."""
    audio = sum(soundfile.read(stem)[0].mean(axis=1) for stem in stems)
    y = librosa.resample(audio, orig_sr=44100, target_sr=22050)
    chroma = librosa.feature.chroma_cqt(y=y, sr=22050, hop_length=512)
    times = librosa.frames_to_time(np.arange(chroma.shape[1]), sr=22050, hop_length=512)
    triads = [(root, np.isin(np.arange(12), [root, (root + third) % 12, (root + 7) % 12]).astype(float))
              for root in range(12) for third in (3, 4)]
    work = music21.corpus.parse(name)
    shift = (tonic - work.analyze("key").tonic.pitchClass) % 12
    hits = counted = 0
    for chord in work.chordify().flatten().getElementsByClass("Chord"):
        start, end = float(chord.offset) * 60 / tempo, (float(chord.offset) + 1) * 60 / tempo
        if not (chord.isTriad() or chord.isSeventh()) or float(chord.offset) % 1 or end > times[-1]:
            continue
        heard = chroma[:, (times >= start) & (times < end)].mean(axis=1)
        best = max(triads, key=lambda t: float(heard @ t[1]))[0]
        counted += 1
        hits += best == (chord.root().pitchClass + shift) % 12
    return hits / counted


def test_a_cover_of_a_recording_is_audibly_the_work_and_credits_its_composer(chorale, capsys):
    registry, wav, midi, folder = chorale
    registry.grant(1, to="Bob", scope="cover", acting="Ada", keeps_points=4000)
    assert main(["remix", str(wav), "--midi", str(midi), "--kind", "cover", "--genre", "jazz", "--mood", "romantic",
                 "--tempo", "96", "--key", "D minor", "--as", "Bob", "--quality", "draft", "--out", str(folder / "covers"),
                 "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    cover = Track.load(made["path"])
    assert (cover.genre, cover.tempo, str(cover.key)) == ("jazz", 96.0, "D minor")
    assert cover.title == "Chorale BWV 66.6 (cover in D minor, 96 BPM)"

    # The tune: pYIN on the cover's melody stem against the soprano as music21 reads it.
    heard = _contour(_heard_notes(cover.folder / cover.stems["melody"]))
    same = _alignment(heard, _contour(_soprano("bach/bwv66.6")))
    alto = [n.pitch.midi for n in music21.corpus.parse("bach/bwv66.6").parts[1].stripTies().flatten().notes]
    others = [_alignment(heard, _contour(_soprano(name))) for name in CONTROLS] + [_alignment(heard, _contour(alto))]
    assert same >= 0.6 and same >= max(others) + 0.25, (same, others)

    # The chords: the chroma of what plays them against music21's chordify of the chorale, in D minor.
    stems = [cover.folder / cover.stems[name] for name in ("harmony", "bass")]
    found = _chords_in_chroma(stems, "bach/bwv66.6", 96.0, 2)
    controls = [_chords_in_chroma(stems, name, 96.0, 2) for name in CONTROLS]
    assert found >= 0.45 and found >= max(controls) + 0.2, (found, controls)  # measured 0.55 against 0.19, 0.30, 0.18

    # Its lineage and credits: the recording is the parent ingredient; the composition is Ada's,
    # arranged by AI; the split sheet follows the grant; the registry links the cover to the work.
    credentials = read_credentials(cover.mix_path)
    assert credentials["ingredients"] == [{"title": wav.name, "relationship": "parentOf", "signed": False}]
    composition = cover.to_dict()["credits"]["ai"]["parts"]["composition"]
    assert (composition["by"], composition["human"]) == ("Human + AI", "Ada")
    assert cover.to_dict()["credits"]["ai"]["contains_ai"] == "partly"
    assert {h["holder"]: h["percent"] for h in made["splits"]["holders"]} == {"Bob": "60", "Ada": "28", "Cy": "12"}
    work = registry.listing()["works"][-1]
    assert (work["owner"], work["parents"][0]["work"], work["parents"][0]["ppm"]) == ("Bob", 1, 400_000)

    # A variation of the cover composes it again from the MIDI its track.json keeps.
    slower = maestro_ai.MusicGenerator.for_track(cover, folder / "covers", artist="Bob").vary(cover, "tempo", tempo_bpm=80)
    assert slower.tempo == 80.0 and slower.to_dict()["credits"]["ai"]["parts"]["composition"]["human"] == "Ada"
    assert _alignment(_contour(_heard_notes(slower.folder / slower.stems["melody"])), _contour(_soprano("bach/bwv66.6"))) >= 0.6


def test_a_recording_is_refused_without_its_midi_its_genre_or_a_grant_and_nothing_is_written(chorale, capsys):
    registry, wav, midi, folder = chorale
    out = folder / "refused"
    out.mkdir()
    cases = [
        (["--kind", "cover", "--genre", "jazz", "--as", "Dee"], "maestro rights grant 1 --to 'Dee' --scope cover --as 'Ada'"),
        (["--kind", "cover", "--as", "Ada"], "a recording has no genre of its own: give the cover's --genre"),
        (["--kind", "tempo", "--tempo", "90", "--as", "Ada"], "a recording with its MIDI is covered or restyled"),
        (["--kind", "mashup", "--with", str(wav), "--with-midi", str(midi), "--as", "Ada"], "or given as the second song"),
    ]
    for flags, message in cases:
        assert main(["remix", str(wav), "--midi", str(midi), *flags, "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and message in err, err
    assert main(["remix", str(wav), "--kind", "cover", "--genre", "jazz", "--as", "Ada", "--out", str(out)]) == 2
    assert "give --midi FILE" in capsys.readouterr().err
    assert main(["remix", str(wav), "--midi", str(wav), "--kind", "cover", "--genre", "jazz", "--as", "Ada", "--out", str(out)]) == 2
    assert "is not a MIDI file Maestro can read" in capsys.readouterr().err
    other = Path(music21.corpus.parse(CONTROLS[0]).write("midi", fp=str(folder / "other.mid")))
    assert main(["remix", str(wav), "--midi", str(other), "--kind", "cover", "--genre", "jazz", "--as", "Ada", "--out", str(out)]) == 2
    assert "the MIDI file does not play what 'Chorale BWV 66.6' plays" in capsys.readouterr().err
    drums = mido.MidiFile()
    drums.tracks.append(mido.MidiTrack([mido.Message("note_on", channel=9, note=36, velocity=99),
                                        mido.Message("note_off", channel=9, note=36, time=240)]))
    drums.save(folder / "drums.mid")
    assert main(["remix", str(wav), "--midi", str(folder / "drums.mid"), "--kind", "cover", "--genre", "jazz", "--as", "Ada",
                 "--out", str(out)]) == 2
    assert "has no melody to cover" in capsys.readouterr().err
    far = mido.MidiFile(ticks_per_beat=1)  # 44 bytes whose second note lies a quarter of a billion beats on
    far.tracks.append(mido.MidiTrack([mido.Message("note_on", note=60, velocity=90), mido.Message("note_off", note=60, time=1),
                                      mido.Message("note_on", note=62, velocity=90, time=2**28 - 1)]))
    far.save(folder / "far.mid")
    assert main(["remix", str(wav), "--midi", str(folder / "far.mid"), "--kind", "cover", "--genre", "jazz", "--as", "Ada",
                 "--out", str(out)]) == 2
    assert "starts past beat 6,000" in capsys.readouterr().err
    assert main(["remix", str(wav), "--midi", str(midi), "--with-midi", str(midi), "--kind", "cover", "--genre", "jazz",
                 "--as", "Ada", "--out", str(out)]) == 2
    assert "--with-midi goes with --with" in capsys.readouterr().err
    audio, rate = soundfile.read(wav)
    unregistered = folder / "another take.wav"  # a quieter take: other bytes, no credentials, no watermark
    soundfile.write(unregistered, audio * 0.5, rate)
    assert main(["remix", str(unregistered), "--midi", str(midi), "--kind", "cover", "--genre", "jazz", "--as", "Ada",
                 "--out", str(out)]) == 2
    assert "is not a registered work" in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_a_midi_file_matches_its_recording_played_slower_and_not_another_piece(chorale):
    registry, wav, midi, folder = chorale
    slower = mido.MidiFile(midi)
    for track in slower.tracks:
        for message in track:
            if message.type == "set_tempo":
                message.tempo = int(message.tempo * 1.25)  # 96 BPM played at 77
    slower.save(folder / "slower.mid")
    found, control = matches(record_midi(folder / "slower.mid", folder / "slower.wav"), midi.read_bytes())
    assert found >= 0.65 and found - control >= 0.2, (found, control)
    other = Path(music21.corpus.parse(CONTROLS[1]).write("midi", fp=str(folder / "control.mid")))
    found, control = matches(wav, other.read_bytes())
    assert found < 0.65 or found - control < 0.2, (found, control)


def test_a_maestro_song_takes_a_part_from_a_recording_and_a_restyle_keeps_its_melody(chorale, tmp_path):
    registry, wav, midi, folder = chorale
    registry.grant(1, to="Bob", scope="sample", acting="Ada")
    registry.grant(1, to="Bob", scope="remix", acting="Ada")
    bob = maestro_ai.MusicGenerator("house", "euphoric", seed=2, output_dir=tmp_path, formats=("wav",), artist="Bob",
                                    quality="draft")
    song = bob.generate({"tempo_bpm": 120}, duration_seconds=20)
    register_work(registry, song.mix_path, title=song.title, owner="Bob", acting="Bob")
    recording = maestro_ai.Recording.load(wav, midi)
    swapped = bob.remix(song, "stem-swap", other=recording, take=["melody"])
    assert swapped.to_dict()["credits"]["ai"]["parts"]["composition"]["human"] == "Ada"
    relationships = [i["relationship"] for i in read_credentials(swapped.mix_path)["ingredients"]]
    assert relationships == ["parentOf", "componentOf"]
    restyled = bob.remix(recording, "restyle", keep=["melody"])
    assert restyled.genre == "house" and restyled.tempo == recording.tempo
    heard = _contour(_heard_notes(restyled.folder / restyled.stems["melody"]))
    assert _alignment(heard, _contour(_soprano("bach/bwv66.6"))) >= 0.6
