"""The rights registry on a real SQLite file, read back with Python's own sqlite3 as well: who may
register, grant and revoke, and what a grant allows (scope, territory, expiry, revocation); the
shell's commands and their exit codes."""
import datetime
import json
import sqlite3

import numpy as np
import pytest
import soundfile

from maestro_ai.cli.main import main
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.digest import file_sha256
from maestro_ai.rights.registry import Registry


@pytest.fixture
def db(tmp_path):
    return tmp_path / "rights.db"


@pytest.fixture
def registry(db, tmp_path):
    registry = Registry(f"sqlite:///{db}")
    for name in ("Ada", "Bob", "Cy"):
        registry.add_artist(name)
    song = tmp_path / "rain.wav"
    song.write_bytes(b"RIFF" + bytes(100))
    registry.add_work("Rain", owner="Ada", acting="Ada", path=song, shares={"Ada": 6000, "Cy": 4000})
    return registry


def test_a_work_is_kept_with_its_file_hash_and_shares_in_the_database(registry, db):
    with sqlite3.connect(db) as con:  # read with another tool than the one that wrote it
        (title, digest), = con.execute("select title, sha256 from works").fetchall()
        shares = dict(con.execute("select artists.name, basis_points from shares join artists on artists.id = artist_id"))
    assert title == "Rain" and len(digest) == 64 and shares == {"Ada": 6000, "Cy": 4000}
    assert Registry(f"sqlite:///{db}").listing()["works"][0]["owner"] == "Ada"  # it persists


def test_only_owners_register_and_grant_and_only_grantors_revoke(registry, tmp_path):
    with pytest.raises(InvalidRequest, match="only Bob can register Bob's work, not Ada"):
        registry.add_work("Theirs", owner="Bob", acting="Ada")
    with pytest.raises(InvalidRequest, match="only Ada, who owns work 1, can grant it, not Bob"):
        registry.grant(1, to="Bob", scope="remix", acting="Bob")
    grant = registry.grant(1, to="Bob", scope="remix", acting="Ada")
    with pytest.raises(InvalidRequest, match="only Ada can revoke"):
        registry.revoke(grant.id, acting="Bob")
    with pytest.raises(InvalidRequest, match="already registered"):
        registry.add_artist("Ada")
    with pytest.raises(InvalidRequest, match="add up to 100 %"):
        registry.add_work("Half", owner="Ada", acting="Ada", shares={"Ada": 5000})
    with pytest.raises(InvalidRequest, match="unknown scope"):
        registry.grant(1, to="Bob", scope="everything", acting="Ada")
    with pytest.raises(InvalidRequest, match="no artist called 'Zed'"):
        registry.grant(1, to="Zed", scope="remix", acting="Ada")


def test_a_grant_allows_its_scope_where_and_while_it_holds(registry):
    assert registry.permission(1, "Ada", "remix").allowed  # the owner
    refused = registry.permission(1, "Bob", "remix")
    assert not refused.allowed and refused.reason.endswith("there is none")
    grant = registry.grant(1, to="Bob", scope="remix", acting="Ada", territory="DE",
                           expires=datetime.date(2030, 1, 31))
    assert registry.permission(1, "Bob", "remix", "de", on=datetime.date(2030, 1, 31)).grant_id == grant.id
    assert not registry.permission(1, "Bob", "cover", "de").allowed  # another scope
    assert "does not cover fr" in registry.permission(1, "Bob", "remix", "fr").reason
    assert "expired" in registry.permission(1, "Bob", "remix", "de", on=datetime.date(2030, 2, 1)).reason
    registry.revoke(grant.id, acting="Ada")
    assert "revoked" in registry.permission(1, "Bob", "remix", "de").reason
    assert registry.listing()["grants"][0]["revoked"]  # the record stays


def test_the_shell_manages_the_registry(tmp_path, capsys, db):
    url = f"sqlite:///{db}"
    song = tmp_path / "rain.wav"
    soundfile.write(song, np.random.default_rng(1).normal(0, 0.1, (44100, 2)), 44100)  # unmarked: recognised by its bytes
    for name in ("Ada", "Bob"):
        assert main(["rights", "artist", "add", name, "--db", url]) == 0
    assert main(["rights", "work", "add", str(song), "--owner", "Ada", "--as", "Ada", "--share", "Ada=75",
                 "--share", "Bob=25", "--db", url]) == 0
    assert main(["rights", "check", "1", "--artist", "Bob", "--scope", "sample", "--db", url]) == 1
    assert main(["rights", "grant", "1", "--to", "Bob", "--scope", "sample", "--expires", "2031-12-31", "--keeps", "40",
                 "--as", "Ada", "--db", url]) == 0
    assert "its owners keep 40 % of what it earns" in capsys.readouterr().out
    assert main(["rights", "grant", "1", "--to", "Bob", "--scope", "cover", "--keeps", "101", "--as", "Ada", "--db", url]) == 2
    assert main(["rights", "check", "1", "--artist", "Bob", "--scope", "sample", "--db", url]) == 0
    assert main(["rights", "grant", "1", "--to", "Bob", "--scope", "voice", "--as", "Bob", "--db", url]) == 2
    assert main(["rights", "grant", "1", "--to", "Bob", "--scope", "voice", "--expires", "soon", "--as", "Ada",
                 "--db", url]) == 2
    assert main(["rights", "revoke", "1", "--as", "Ada", "--db", url]) == 0
    capsys.readouterr()
    assert main(["rights", "list", "--json", "--db", url]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["works"][0]["shares"] == {"Ada": 7500, "Bob": 2500} and data["works"][0]["marks"] == []
    assert len(data["grants"]) == 1 and data["grants"][0]["revoked"] and data["grants"][0]["keeps_points"] == 4000
    assert main(["rights", "list", "--db", "nosuchdb://x"]) == 2


def test_the_registry_runs_on_a_real_postgresql_server(postgres_url, tmp_path):
    pytest.importorskip("psycopg")
    registry = Registry(postgres_url)
    for name in ("Ada", "Bob"):
        registry.add_artist(name)
    song = tmp_path / "rain.wav"
    song.write_bytes(b"RIFF" + bytes(32))
    work = registry.add_work("Rain", owner="Ada", acting="Ada", path=song)
    grant = registry.grant(work.id, to="Bob", scope="cover", acting="Ada", expires=datetime.date(2031, 1, 1))
    assert registry.permission(work.id, "Bob", "cover", on=datetime.date(2030, 6, 1)).grant_id == grant.id
    with pytest.raises(InvalidRequest, match="already registered"):
        registry.add_artist("Ada")
    registry.revoke(grant.id, acting="Ada")
    again = Registry(postgres_url)  # another connection sees it all
    assert again.listing()["grants"][0]["revoked"] and not again.permission(work.id, "Bob", "cover").allowed


def test_a_work_is_matched_by_its_bytes_then_its_marks(registry, tmp_path):
    song = tmp_path / "storm.wav"
    song.write_bytes(b"RIFF" + bytes(40))
    work = registry.add_work("Storm", owner="Ada", acting="Ada", path=song,
                             marks=[("watermark", "0x00000000c0ffee00"), ("manifest", "urn:c2pa:storm")])
    assert registry.match(file_sha256(song)).by == "file"
    found = registry.match(None, [("manifest", "urn:c2pa:other"), ("watermark", "0x00000000c0ffee00")])
    assert (found.work_id, found.owner, found.by) == (work.id, "Ada", "watermark")
    assert registry.match("0" * 64, [("manifest", "urn:c2pa:other")]) is None
    with pytest.raises(InvalidRequest, match=r"manifest urn:c2pa:storm is already registered as work 2 \('Storm'\)"):
        registry.add_work("Rain again", owner="Ada", acting="Ada", marks=[("manifest", "urn:c2pa:storm")])
    with pytest.raises(InvalidRequest, match="unknown mark kind"):
        registry.add_work("Rain again", owner="Ada", acting="Ada", marks=[("isrc", "X")])
