"""The AI DJ over HTTP (POST /v1/dj): a mix of the key's own tracks made by the worker like a
track, moved by a request spoken into an uploaded WAV (espeak-ng's voice, heard by PocketSphinx);
its audio and Content Credentials served as a track's; another key's songs never played for it;
bad requests refused before anything is queued."""
import shutil
import subprocess

import pytest

import maestro_ai
from tests.server.test_api import _wait
from tests.server.test_remix_api import _as, _upload, api  # noqa: F401 (the fixture: a served app with its worker)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_dj_mix_over_http_is_moved_by_a_spoken_request(api, tmp_path):  # noqa: F811 (the fixture)
    client, store = api
    _, ann = store.create_key("ann", ["read", "create"], artist="ann")
    _, ben = store.create_key("ben", ["read", "create"], artist="ben")
    outsider = maestro_ai.MusicGenerator("house", "energetic", seed=9, output_dir=tmp_path / "songs", formats=("wav",),
                                         quality="draft").generate({}, duration_seconds=24)  # made here, by no key: nobody's to play
    outsider_id = outsider.to_dict()["provenance"]["watermark"]
    for seed, (genre, mood, tempo) in enumerate([("house", "energetic", 124), ("techno", "euphoric", 126), ("house", "uplifting", 122),
                                                 ("techno", "energetic", 127), ("house", "chill", 118), ("house", "dreamy", 116)]):
        song = {"genre": genre, "mood": mood, "seed": seed, "quality": "draft", "formats": ["wav"], "duration_seconds": 24,
                "input": {"tempo_bpm": tempo}}
        made = _wait(client, client.post("/v1/tracks", json=song, headers=_as(ann)).json()["id"], _as(ann), seconds=240)
        assert made["status"] == "done", made["error"]
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(tmp_path / "asked.wav"), "something calmer"], check=True)
    spoken, others = _upload(client, tmp_path / "asked.wav", ann), _upload(client, tmp_path / "asked.wav", ben)
    good = {"context": "warehouse party", "minutes": 2.4, "request_uploads": [spoken], "voice": False}
    for bad, status in (({**good, "tempo": 120}, 400), ({**good, "context": ""}, 400), ({**good, "minutes": 0}, 400),
                        ({**good, "requests": [""]}, 400), ({**good, "requests": "calmer"}, 400),
                        ({**good, "request_uploads": [others]}, 404), ({**good, "user": "ben"}, 403), ([], 422)):
        answer = client.post("/v1/dj", json=bad, headers=_as(ann))
        assert answer.status_code == status, (bad, answer.text)
    assert client.post("/v1/dj", json=good, headers={}).status_code == 401
    assert len(client.get("/v1/tracks", headers=_as(ann)).json()) == 6  # nothing more was queued

    answer = client.post("/v1/dj", json=good, headers=_as(ann))
    assert answer.status_code == 202, answer.text
    job = _wait(client, answer.json()["id"], _as(ann), seconds=240)
    assert job["status"] == "done", job["error"]
    mix = client.get(f"/v1/tracks/{job['track_id']}", headers=_as(ann)).json()
    assert mix["kind"] == "dj-mix" and "mix.wav" in mix["files"] and len(mix["tracks"]) == 6
    assert [(r["text"], r["read_as"], r["moved_the_set_at_track"]) for r in mix["requests"]] == [("something calmer", "calmer", 4)]
    assert all(str(tmp_path) not in str(v) for v in mix.values())  # no server folder shown
    audio = client.get(f"/v1/tracks/{job['track_id']}/files/mix.wav", headers=_as(ann))
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
    credentials = client.get(f"/v1/tracks/{job['track_id']}/provenance/mix.wav", headers=_as(ann)).json()["credentials"]
    assert [i["relationship"] for i in credentials["ingredients"]] == ["componentOf"] * 6
    assert client.get(f"/v1/tracks/{job['track_id']}", headers=_as(ben)).status_code == 404  # another key's mix
    listed = client.get("/v1/playlists?context=warehouse%20party&minutes=4", headers=_as(ann)).json()["tracks"][::-1]
    for bad in ({"playlist": [listed[0]["id"]]}, {"playlist": [t["id"] for t in listed], "context": "x"}, {"playlist": "0x1"}):
        assert client.post("/v1/dj", json=bad, headers=_as(ann)).status_code == 400, bad
    again = _wait(client, client.post("/v1/dj", json={"playlist": [t["id"] for t in listed], "voice": False}, headers=_as(ann))
                  .json()["id"], _as(ann), seconds=240)
    assert again["status"] == "done", again["error"]
    mixed = [t["title"] for t in client.get(f"/v1/tracks/{again['track_id']}", headers=_as(ann)).json()["tracks"]]
    assert mixed == [t["title"] for t in listed if t["id"] != outsider_id]  # in the playlist's order, ann's own only
    theirs = client.post("/v1/dj", json={"context": "warehouse party", "minutes": 2.4, "voice": False}, headers=_as(ben))
    refused = _wait(client, theirs.json()["id"], _as(ben), seconds=240)  # ben has no tracks, and ann's are ann's
    assert refused["status"] == "failed" and "at least two tracks" in refused["error"]
    varied = client.post(f"/v1/tracks/{job['track_id']}/variations", json={"kind": "tempo", "options": {"tempo_bpm": 100}},
                         headers=_as(ann))
    assert varied.status_code == 400  # a mix is no song to vary
