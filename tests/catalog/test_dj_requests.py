"""Requests to the DJ, typed or spoken: phrases read as the direction a listener means (through
the MiniLM embeddings), the next set moved that way on a simulated catalogue of 3,000 tracks
(energy, valence, likeness to the track playing, against the same set unasked), and requests
spoken by espeak-ng's voices made into text by PocketSphinx; then `maestro dj` on a real
instance moved by a spoken request."""
import json
import shutil
import subprocess

import numpy as np
import pytest

import maestro_ai
from maestro_ai.catalog.features import content_vectors
from maestro_ai.catalog.playlist import plan_requested
from maestro_ai.catalog.requests import read_request
from maestro_ai.catalog.simulate import simulate
from maestro_ai.catalog.speech import hear
from maestro_ai.catalog.tracks import catalogue
from maestro_ai.cli.main import main
from maestro_ai.core.errors import InvalidRequest

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


@pytest.mark.parametrize("text, direction", [
    ("something calmer", "calmer"), ("calm it down a bit", "calmer"), ("turn it down a notch", "calmer"), ("relax", "calmer"),
    ("give me more energy", "more energy"), ("make it dance", "more energy"), ("something heavier", "more energy"),
    ("brighter", "happier"), ("something darker please", "darker"), ("something sad", "darker"),
    ("more like this", "like this"), ("I love this one, more of that", "like this"),
    ("something different", "different"), ("less like this", "different"), ("not this one", "different"),
    ("some jazz please", None), ("play some house", None),
])
def test_a_typed_request_is_read_as_the_direction_meant(text, direction):
    assert read_request(text).direction == direction


def test_a_request_that_is_no_phrase_is_refused():
    for bad in ("", "   ", "x" * 201, None):
        with pytest.raises(InvalidRequest):
            read_request(bad)


@pytest.fixture(scope="module")
def world():
    tracks = simulate(listeners=10, tracks=3000, plays=100, seed=4).catalogue()
    return tracks, content_vectors(tracks), {t: n for n, t in enumerate(tracks["id"])}


def _after(context, tracks, request=None):
    """The tracks the DJ plays after the first set of four, with and without the request."""
    made = plan_requested(context, tracks, 40, [read_request(request)] if request else [], per_set=4)
    return made["tracks"][:4], made["tracks"][4:], made


@pytest.mark.parametrize("context", ["late night party", "rainy evening"])
def test_a_request_moves_the_next_set_the_way_it_asks(world, context):
    tracks, vectors, row = world
    first, unasked, _ = _after(context, tracks)

    def mean(column, part):
        return float(np.mean([tracks[column][row[t["id"]]] for t in part]))

    for request, column, sign in (("something calmer", "energy", -1), ("more energy", "energy", 1),
                                  ("something darker please", "valence", -1), ("something happier", "valence", 1)):
        same_start, moved, made = _after(context, tracks, request)
        assert same_start == first  # the set playing when it was asked stays as it was
        # more than the set playing when it was asked, and than the same set unasked
        assert sign * (mean(column, moved) - mean(column, first)) > 0.12, (request, mean(column, moved), mean(column, first))
        assert sign * (mean(column, moved) - mean(column, unasked)) > 0.0, (request, mean(column, moved), mean(column, unasked))
        assert moved[0]["request"]["text"] == request and made["requests"][0]["read_as"] != "a phrase for the context"
    playing = vectors[row[first[-1]["id"]]]

    def likeness(part):
        return float(np.mean([vectors[row[t["id"]]] @ playing for t in part]))

    like, unlike = _after(context, tracks, "more like this")[1], _after(context, tracks, "something different")[1]
    assert likeness(like) > 0.8 and likeness(like) > likeness(unasked) + 0.15
    assert likeness(unlike) < likeness(unasked) - 0.2
    played = [t["id"] for t in first]
    for part in (like, unlike):
        assert not set(played) & {t["id"] for t in part}  # nothing played twice


def test_a_phrase_asks_for_what_it_names(world):
    tracks, _, _ = world
    for context in ("rainy evening", "late night party"):
        _, unasked, _ = _after(context, tracks)
        for request, genre in (("some jazz please", "jazz"), ("play some house", "house"), ("some techno", "techno")):
            share = np.mean([t["genre"] == genre for t in _after(context, tracks, request)[1]])
            assert share >= 0.75 and share > np.mean([t["genre"] == genre for t in unasked]) + 0.5, (context, request, share)


def _say(text, path, voice="en-us", speed=150):
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True, capture_output=True)
    return path


@needs_espeak
def test_spoken_requests_are_heard(tmp_path):
    phrases = {"something calmer": "calmer", "more like this": "like this", "give me more energy": "more energy",
               "something darker please": "darker", "play something faster": "more energy", "something different": "different",
               "let's dance": "more energy", "play some jazz": None}
    heard = {(text, voice): hear(_say(text, tmp_path / "request.wav", voice, speed))
             for text in phrases for voice, speed in (("en-us", 150), ("en-us+m3", 140))}
    exact = sum(said == text for (text, _), said in heard.items())
    right = sum(read_request(said).direction == phrases[text] for (text, _), said in heard.items())
    assert exact >= 14 and right >= 15, heard


def test_a_request_that_is_not_audio_or_holds_no_words_is_refused(tmp_path):
    (tmp_path / "note.wav").write_text("something calmer")
    with pytest.raises(InvalidRequest, match="cannot read"):
        hear(tmp_path / "note.wav")
    import soundfile

    soundfile.write(tmp_path / "silence.wav", np.zeros(16000 * 2, np.float32), 16000)
    with pytest.raises(InvalidRequest, match="no request"):
        hear(tmp_path / "silence.wav")


@needs_espeak
def test_the_dj_is_moved_by_a_spoken_request(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    for seed, (genre, mood, tempo) in enumerate([
            ("house", "energetic", 124), ("techno", "energetic", 128), ("house", "euphoric", 126), ("techno", "epic", 127),
            ("house", "energetic", 125), ("techno", "energetic", 126), ("house", "uplifting", 122), ("techno", "euphoric", 128),
            ("house", "playful", 120), ("house", "uplifting", 123), ("house", "happy", 121), ("house", "playful", 119),
            ("techno", "dark", 124), ("house", "chill", 118), ("lofi-chill", "romantic", 84), ("ambient", "dreamy", 72)]):
        maestro_ai.MusicGenerator(genre, mood, seed=seed, output_dir=tmp_path / "songs", formats=("wav",), quality="draft") \
            .generate({"tempo_bpm": tempo}, duration_seconds=24)
    tracks = catalogue()
    energy = dict(zip(tracks["title"], tracks["energy"]))
    unasked = [t["title"] for t in plan_requested("dance party", tracks, 3.2, [], per_set=4)["tracks"]]
    mix = maestro_ai.dj(tmp_path / "set.wav", "dance party", minutes=3.2, spoken=[_say("something calmer", tmp_path / "asked.wav")],
                        speak=False)
    assert mix["requests"] == [{"text": "something calmer", "read_as": "calmer", "match": 1.0, "moved_the_set_at_track": 4}]
    played = [t["title"] for t in mix["tracks"]]
    assert len(played) == len(unasked) == 8 and played[:4] == unasked[:4]
    after, instead = (np.mean([energy[t] for t in part]) for part in (played[4:], unasked[4:]))
    assert after < instead - 0.15 and after < energy[played[3]] - 0.15, (energy[played[3]], after, instead)  # calmer than then
    assert (tmp_path / "set.wav").is_file() and len(mix["transitions"]) == 7


def test_maestro_dj_refuses_requests_to_a_fixed_playlist(tmp_path, capsys):
    (tmp_path / "list.json").write_text(json.dumps({"tracks": [{"id": "1"}, {"id": "2"}]}))
    code = main(["dj", "--playlist", str(tmp_path / "list.json"), "--request", "calmer", "--out", str(tmp_path / "b.wav")])
    assert code == 2 and "give --context" in capsys.readouterr().err and not (tmp_path / "b.wav").exists()
