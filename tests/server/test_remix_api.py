"""Remixes and covers over HTTP (POST /v1/tracks/{id}/remixes), each key acting as its artist:
another artist's registered song is refused without the grant its kind needs (403 naming the
grant, nothing queued), an unregistered song of another key is not said to exist, the owner
needs no grant, and a granted cover is made by the worker with its split sheet and its parent as
the C2PA parent ingredient, and is registered as the remixer's work with its parent."""
import json

import pytest
from fastapi.testclient import TestClient

from maestro_ai.server.app import create_app
from maestro_ai.server.store import Store
from tests.pipeline.test_remix_recording import chorale_recording
from tests.server.test_api import _wait

SONG = {"genre": "lofi-chill", "mood": "ambient-focus", "duration_seconds": 12, "seed": 5, "quality": "draft",
        "formats": ["wav"], "input": {"tempo_bpm": 80}}


def _as(secret):
    return {"Authorization": f"Bearer {secret}"}


def _made(client, answer, secret):
    assert answer.status_code == 202, answer.text
    job = _wait(client, answer.json()["id"], _as(secret), seconds=240)
    assert job["status"] == "done", job
    return job


@pytest.fixture
def api(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MAESTRO_RIGHTS_DB", raising=False)
    store = Store(f"sqlite:///{tmp_path / 'server.db'}")
    with TestClient(create_app(store, tmp_path / "work")) as client:
        yield client, store


def test_a_cover_over_http_needs_the_owners_grant_and_pays_them(api):
    client, store = api
    _, ada = store.create_key("ada", ["read", "create"], artist="Ada")
    _, bob = store.create_key("bob", ["read", "create"], artist="Bob")
    for name in ("Ada", "Bob"):
        client.post("/v1/rights/artists", json={"name": name}, headers=_as(ada))
    song = _made(client, client.post("/v1/tracks", json=SONG, headers=_as(ada)), ada)["track_id"]
    unregistered = _made(client, client.post("/v1/tracks", json={**SONG, "seed": 6}, headers=_as(ada)), ada)["track_id"]
    work = client.post("/v1/rights/works", json={"track": song, "file": "mix.wav"}, headers=_as(ada)).json()["id"]

    assert client.get("/v1/options", headers=_as(bob)).json()["remixes"][:2] == ["cover", "restyle"]
    cover = {"kind": "cover", "genre": "house", "mood": "euphoric", "options": {"tempo_bpm": 124}}
    refused = client.post(f"/v1/tracks/{song}/remixes", json=cover, headers=_as(bob))
    assert refused.status_code == 403
    assert f"maestro rights grant {work} --to 'Bob' --scope cover --as 'Ada'" in refused.json()["error"]
    # another key's song that no one registered is not said to exist, alone or as a mashup's second song
    assert client.post(f"/v1/tracks/{unregistered}/remixes", json=cover, headers=_as(bob)).status_code == 404
    assert client.post(f"/v1/tracks/{song}/remixes", json={"kind": "mashup", "with": unregistered},
                       headers=_as(bob)).status_code == 404
    assert client.post("/v1/tracks/999/remixes", json=cover, headers=_as(bob)).status_code == 404
    for bad in ({"kind": "cover", "genre": 5}, {**cover, "speed": 2}, {"kind": "tempo", "genre": "house"},
                {"kind": "remaster"}, {"kind": "mashup", "with": "2"}, {"kind": "cover", "options": []}):
        answer = client.post(f"/v1/tracks/{song}/remixes", json=bad, headers=_as(ada))
        assert answer.status_code == 400 and "error" in answer.json(), (bad, answer.text)

    # the owner needs no grant; Bob, once granted the cover scope (Ada keeps 40 %), gets his cover
    own = _made(client, client.post(f"/v1/tracks/{song}/remixes", json={"kind": "tempo", "options": {"tempo_bpm": 90}},
                                    headers=_as(ada)), ada)
    assert own["id"] == 3 and own["variation_of"] == song  # the two songs' jobs, then this: nothing refused was queued
    assert client.get(f"/v1/tracks/{own['track_id']}", headers=_as(ada)).json()["tempo"] == 90.0
    grant = client.post("/v1/rights/grants", json={"work": work, "to": "Bob", "scope": "cover", "keeps": 40},
                        headers=_as(ada)).json()["id"]
    job = _made(client, client.post(f"/v1/tracks/{song}/remixes", json=cover, headers=_as(bob)), bob)
    made = client.get(f"/v1/tracks/{job['track_id']}", headers=_as(bob)).json()
    assert made["genre"] == "house" and made["tempo"] == 124.0 and "splits.json" in made["files"]
    splits = json.loads(client.get(f"/v1/tracks/{job['track_id']}/files/splits.json", headers=_as(bob)).content)
    assert {h["holder"]: h["percent"] for h in splits["holders"]} == {"Ada": "40", "Bob": "60"}
    assert splits["kind"] == "cover" and splits["territory"] == "world"
    proof = client.get(f"/v1/tracks/{job['track_id']}/provenance/mix.wav", headers=_as(bob)).json()["credentials"]
    assert [i["relationship"] for i in proof["ingredients"]] == ["parentOf"] and proof["signed"]
    works = client.get("/v1/rights", headers=_as(bob)).json()["works"]
    remix_work = next(w for w in works if w["owner"] == "Bob")
    assert [p["work"] for p in remix_work["parents"]] == [work]

    # a revoked grant stops the next cover at once
    assert client.post(f"/v1/rights/grants/{grant}/revoke", headers=_as(ada)).status_code == 200
    assert client.post(f"/v1/tracks/{song}/remixes", json=cover, headers=_as(bob)).status_code == 403


def _upload(client, path, secret):
    answer = client.post(f"/v1/uploads?name={path.name}", content=path.read_bytes(),
                         headers={**_as(secret), "Content-Type": "application/octet-stream"})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def test_an_uploaded_recording_is_covered_by_its_midi_under_the_owners_grant(api, tmp_path):
    """POST /v1/uploads/{id}/remixes: Ada registers her recording of a Bach chorale; Bob, with a
    copy of it and its MIDI, is refused until she grants the cover, then gets it, crediting her."""
    client, store = api
    _, ada = store.create_key("ada", ["read", "create"], artist="Ada")
    _, bob = store.create_key("bob", ["read", "create"], artist="Bob")
    for name in ("Ada", "Bob"):
        client.post("/v1/rights/artists", json={"name": name}, headers=_as(ada))
    wav, midi = chorale_recording(tmp_path)
    work = client.post("/v1/rights/works", json={"upload": _upload(client, wav, ada), "title": "Chorale"},
                       headers=_as(ada)).json()["id"]
    recording, score = _upload(client, wav, bob), _upload(client, midi, bob)
    theirs = _upload(client, midi, ada)

    cover = {"kind": "cover", "midi_upload": score, "genre": "jazz", "options": {"tempo_bpm": 96, "key": "D minor"}}
    refused = client.post(f"/v1/uploads/{recording}/remixes", json=cover, headers=_as(bob))
    assert refused.status_code == 403, refused.text
    assert f"maestro rights grant {work} --to 'Bob' --scope cover --as 'Ada'" in refused.json()["error"]
    for bad, status in (({**cover, "midi_upload": None}, 400), ({**cover, "with": 1}, 400), ({**cover, "kind": "tempo"}, 400),
                        ({**cover, "genre": None}, 400), ({**cover, "midi_upload": recording}, 400),
                        ({**cover, "midi_upload": theirs}, 404)):
        answer = client.post(f"/v1/uploads/{recording}/remixes", json=bad, headers=_as(bob))
        assert answer.status_code == status and "error" in answer.json(), (bad, answer.text)
    assert client.post(f"/v1/uploads/{score}/remixes", json=cover, headers=_as(bob)).status_code == 422  # MIDI, not audio

    client.post("/v1/rights/grants", json={"work": work, "to": "Bob", "scope": "cover", "keeps": 40}, headers=_as(ada))
    job = _made(client, client.post(f"/v1/uploads/{recording}/remixes", json=cover, headers=_as(bob)), bob)
    assert job["id"] == 1  # nothing refused was queued
    made = client.get(f"/v1/tracks/{job['track_id']}", headers=_as(bob)).json()
    assert (made["genre"], made["tempo"], made["key"], made["title"]) == ("jazz", 96.0, "D minor", "Chorale (cover in D minor, 96 BPM)")
    assert made["credits"]["ai"]["parts"]["composition"]["human"] == "Ada"
    splits = json.loads(client.get(f"/v1/tracks/{job['track_id']}/files/splits.json", headers=_as(bob)).content)
    assert {h["holder"]: h["percent"] for h in splits["holders"]} == {"Ada": "40", "Bob": "60"}
    proof = client.get(f"/v1/tracks/{job['track_id']}/provenance/mix.wav", headers=_as(bob)).json()["credentials"]
    assert proof["ingredients"] == [{"title": "source.wav", "relationship": "parentOf", "signed": False}]
