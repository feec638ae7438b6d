"""Studio quality, judged on the written files: mido re-reads song.mid, soundfile the audio."""
import json

import mido
import numpy as np
import pytest
import soundfile

import maestro_ai
from maestro_ai.prompt.instruments import all_instruments
from maestro_ai.prompt.presets import all_genres
from maestro_ai.prompt.singers import load_singer
from tests.e2e.digests import content_digest

SECONDS = 20.0


def _tracks(path):
    """Per track name: notes (pitch, start tick, end tick), controller numbers, bend values."""
    midi = mido.MidiFile(path)
    out = {}
    for track in midi.tracks[1:]:
        name = next(m.name for m in track if m.type == "track_name")
        now, held, notes, controls, bends = 0, {}, [], [], []
        for m in track:
            now += m.time
            if m.type == "note_on" and m.velocity:
                held[m.note] = now
            elif m.type in ("note_on", "note_off") and m.note in held:
                notes.append((m.note, held.pop(m.note), now))
            elif m.type == "control_change":
                controls.append(m.control)
            elif m.type == "pitchwheel":
                bends.append(m.pitch)
        out[name] = {"notes": notes, "controls": controls, "bends": bends}
    return out, midi.ticks_per_beat


@pytest.fixture(scope="module")
def studio_songs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("studio")
    songs = {}
    for genre in all_genres():
        gen = maestro_ai.MusicGenerator(genre, "dark" if genre in ("trap", "techno") else "happy", seed=3,
                                        output_dir=folder / genre, formats=("wav",))
        songs[genre] = gen.generate({}, duration_seconds=SECONDS)
    return songs


def test_every_part_stays_inside_its_instruments_range(studio_songs):
    for genre, track in studio_songs.items():
        parts, _ = _tracks(track.folder / "song.mid")
        for name, facts in parts.items():
            played = track.instrumentation[name]
            if "id" not in played:  # a part a voice sings: inside the voice type's range
                singer = load_singer(played["instrument"])
                low, high = singer.low, singer.high
            elif all_instruments()[played["id"]].kit:
                continue
            else:
                low, high = all_instruments()[played["id"]].range
            outside = [p for p, _, _ in facts["notes"] if not low <= p <= high]
            assert not outside, (genre, name, played.get("id", played["instrument"]), outside[:5])


def test_every_sustained_part_carries_expression(studio_songs):
    for genre, track in studio_songs.items():
        parts, ppq = _tracks(track.folder / "song.mid")
        for name, facts in parts.items():
            if track.instrumentation[name]["drums"] or not facts["notes"] or name in ("vocals", "backing"):
                continue  # a voice's dynamics are sung (render.singer), not played with controllers
            long_share = np.mean([(e - s) >= ppq for _, s, e in facts["notes"]])
            if long_share >= 0.25:
                assert facts["controls"] or facts["bends"], (genre, name)


def test_the_trap_808_slides_with_pitch_bends_an_octave_wide(studio_songs):
    parts, _ = _tracks(studio_songs["trap"].folder / "song.mid")
    bass = parts["bass"]
    assert sum(b != 0 for b in bass["bends"]) > 0
    assert 6 in bass["controls"]  # RPN 0 data entry: the bend range
    assert studio_songs["trap"].instrumentation["bass"]["sources"] == ["synth:808-bass"]


def test_the_right_kit_plays_each_genre(studio_songs):
    kits = {genre: t.instrumentation["drums"]["id"] for genre, t in studio_songs.items()}
    assert kits["trap"] == kits["hip-hop"] == "808-kit"
    assert kits["house"] == kits["techno"] == "909-kit"
    assert kits["cinematic"] == "orchestra-kit"
    assert kits["jazz"] in ("jazz-kit", "brush-kit")
    midi = mido.MidiFile(studio_songs["trap"].folder / "song.mid")
    drums = next(t for t in midi.tracks if any(m.type == "track_name" and m.name == "drums" for m in t))
    assert [m.program for m in drums if m.type == "program_change"] == [25]  # GS kit 25: TR-808


def test_songs_end_inside_their_length_and_ring_out(studio_songs):
    for genre, track in studio_songs.items():
        audio, rate = soundfile.read(track.folder / "mix.wav", always_2d=True)
        assert abs(len(audio) / rate - SECONDS) <= 0.5
        parts, _ = _tracks(track.folder / "song.mid")
        midi = mido.MidiFile(track.folder / "song.mid")
        seconds_per_tick = 60.0 / track.tempo / midi.ticks_per_beat
        last_off = max(e for p in parts.values() for _, _, e in p["notes"]) * seconds_per_tick
        assert last_off <= SECONDS - 1.9, (genre, last_off)  # room for releases and reverb to ring out
        mono = audio.mean(axis=1)
        loudest = np.sqrt((mono[: len(mono) // rate * rate].reshape(-1, rate) ** 2).mean(axis=1)).max()
        assert np.sqrt((mono[-rate // 10:] ** 2).mean()) < loudest * 10 ** (-50 / 20), genre


def test_credits_name_every_sample_set_and_its_licence(studio_songs):
    meta = json.loads((studio_songs["pop"].folder / "track.json").read_text())
    used = {s for part in meta["instrumentation"].values() for s in part.get("sources", [])}
    credited = {s for entry in meta["credits"]["samples"] for s in entry["sources"]}
    assert used - {"general-midi"} == credited
    assert all(entry["licence"] for entry in meta["credits"]["samples"])
    assert meta["request"]["quality"] == "studio"
    voice = meta["credits"]["voice"]  # the singer is said to be synthetic, with what sang
    assert voice["synthetic"] is True and "espeak-ng" in voice["engine"] and "WORLD" in voice["engine"]
    assert voice["voice_type"] == meta["instrumentation"]["vocals"]["instrument"]


def test_the_kick_owns_the_low_end_in_dance_music(studio_songs):
    from scipy.signal import welch

    for genre in ("house", "techno", "trap", "hip-hop"):
        audio, rate = soundfile.read(studio_songs[genre].folder / "mix.wav")
        freqs, power = welch(audio.mean(axis=1), rate, nperseg=8192)
        share = 10 * np.log10(power[(freqs >= 20) & (freqs <= 60)].sum()
                              / power[(freqs >= 20) & (freqs <= 16000)].sum())
        assert share >= -7.0, (genre, share)


def test_studio_songs_repeat_byte_for_byte(tmp_path):
    digests = []
    for run in range(2):
        gen = maestro_ai.MusicGenerator("techno", "dark", seed=9, output_dir=tmp_path / str(run), formats=("wav",))
        track = gen.generate({}, duration_seconds=12)
        files = ["song.mid", "mix.wav", *sorted(track.stems.values())]
        digests.append({f: content_digest(track.folder / f) for f in files})
    assert digests[0] == digests[1]


def test_draft_quality_keeps_general_midi(tmp_path):
    gen = maestro_ai.MusicGenerator("trap", "dark", seed=3, output_dir=tmp_path, formats=("wav",), quality="draft")
    track = gen.generate({}, duration_seconds=10)
    parts, _ = _tracks(track.folder / "song.mid")
    assert not any(p["controls"] or p["bends"] for p in parts.values())
    assert "samples" not in track.credits and track.credits["voice"]["synthetic"] is True
    assert track.request["quality"] == "draft"
    assert "sources" not in track.instrumentation["bass"]


def test_a_variation_keeps_the_quality_it_was_made_at(tmp_path):
    gen = maestro_ai.MusicGenerator("house", "euphoric", seed=4, output_dir=tmp_path, formats=("wav",), quality="draft")
    meta, _ = gen.generate_track({}, duration_seconds=8)
    varied, _ = gen.generate_variation(meta, "new-drums")
    assert varied["request"]["quality"] == "draft"


def test_an_unknown_quality_is_refused_before_any_work(tmp_path):
    with pytest.raises(maestro_ai.InvalidRequest, match="quality must be one of studio, draft"):
        maestro_ai.MusicGenerator("house", "euphoric", output_dir=tmp_path, quality="hifi")
    assert not any(tmp_path.iterdir())
