"""The consent and rights registry over HTTP, each key acting as its artist: only a work's owner
registers and grants it, only the grantor revokes (403 otherwise, as `maestro rights` refuses);
grants reach the custody ledger; and a song that starts from another artist's registered work
(recognised by its bytes, not by what the request says) is refused until that artist grants it."""
import pytest
from fastapi.testclient import TestClient

from maestro_ai.server.app import create_app
from maestro_ai.server.store import Store


def _as(secret):
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def api(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MAESTRO_RIGHTS_DB", raising=False)
    store = Store(f"sqlite:///{tmp_path / 'server.db'}")
    with TestClient(create_app(store, tmp_path / "work", worker=False)) as client:
        yield client, store


def test_consent_is_managed_over_http_and_stops_a_song_built_on_another_artists_work(api, played):
    client, store = api
    path, _ = played
    _, ada = store.create_key("ada's laptop", ["read", "create"], artist="Ada")
    _, bob = store.create_key("bob", ["read", "create"], artist="Bob")
    _, admin = store.create_key("ops", ["admin"])
    for name in ("Ada", "Bob"):
        assert client.post("/v1/rights/artists", json={"name": name}, headers=_as(ada)).status_code == 201
    assert client.post("/v1/rights/artists", json={"name": "Ada"}, headers=_as(ada)).status_code == 400

    def upload(secret):
        return client.post("/v1/uploads?name=tune.wav", content=path.read_bytes(), headers=_as(secret)).json()["id"]

    adas, bobs = upload(ada), upload(bob)
    assert client.post("/v1/rights/works", json={"upload": adas}, headers=_as(bob)).status_code == 404  # not Bob's upload
    taken = client.post("/v1/rights/works", json={"upload": bobs, "owner": "Ada"}, headers=_as(bob))
    assert taken.status_code == 403 and "only Ada can register" in taken.json()["error"]
    work = client.post("/v1/rights/works", json={"upload": adas, "title": "Tune", "shares": {"Ada": 70, "Bob": 30}},
                       headers=_as(ada))
    assert work.status_code == 201 and work.json()["owner"] == "Ada"
    work_id = work.json()["id"]
    listed = client.get("/v1/rights", headers=_as(bob)).json()
    assert listed["works"][0]["shares"] == {"Ada": 7000, "Bob": 3000} and listed["artists"] == ["Ada", "Bob"]
    # Bob's copy is recognised as Ada's work by its content
    assert client.get(f"/v1/uploads/{bobs}/provenance", headers=_as(bob)).json()["work"]["work_id"] == work_id

    song = {"genre": "pop", "mood": "happy", "duration_seconds": 10, "quality": "draft", "formats": ["wav"],
            "input": {"melody_upload": bobs, "tempo_bpm": 100}}
    refused = client.post("/v1/tracks", json=song, headers=_as(bob))
    assert refused.status_code == 403 and f"maestro rights grant {work_id} --to 'Bob' --scope cover" in refused.json()["error"]
    assert client.post("/v1/tracks", json={**song, "input": {**song["input"], "melody_upload": adas}},
                       headers=_as(ada)).status_code == 202  # the owner needs no grant

    stolen = client.post("/v1/rights/grants", json={"work": work_id, "to": "Bob", "scope": "cover"}, headers=_as(bob))
    assert stolen.status_code == 403
    assert client.post("/v1/rights/grants", json={"work": 99, "to": "Bob", "scope": "cover"}, headers=_as(ada)).status_code == 404
    assert client.post("/v1/rights/grants", json={"work": work_id, "to": "Bob", "scope": "cover", "expires": "soon"},
                       headers=_as(ada)).status_code == 400
    assert client.post("/v1/rights/grants", json={"work": work_id, "to": "Bob", "scope": "cover", "keeps": 120},
                       headers=_as(ada)).status_code == 400
    grant = client.post("/v1/rights/grants", json={"work": work_id, "to": "Bob", "scope": "cover", "expires": "2099-12-31",
                                                   "keeps": 30}, headers=_as(ada))
    assert grant.status_code == 201 and grant.json()["expires"] == "2099-12-31" and grant.json()["keeps_points"] == 3000
    check = client.get(f"/v1/rights/check?work={work_id}&artist=Bob&scope=cover", headers=_as(bob)).json()
    assert check["allowed"] and check["grant"] == grant.json()["id"]
    assert client.post("/v1/tracks", json=song, headers=_as(bob)).status_code == 202

    assert client.post(f"/v1/rights/grants/{grant.json()['id']}/revoke", headers=_as(bob)).status_code == 403
    assert client.post(f"/v1/rights/grants/{grant.json()['id']}/revoke", headers=_as(ada)).status_code == 200
    assert not client.get(f"/v1/rights/check?work={work_id}&artist=Bob&scope=cover", headers=_as(bob)).json()["allowed"]
    assert client.post("/v1/tracks", json=song, headers=_as(bob)).status_code == 403  # revoked: stopped at once
    ledger = client.get("/v1/ledger", headers=_as(admin)).json()
    assert ledger["ok"] and ledger["entries"] == 2  # consent granted, consent revoked
