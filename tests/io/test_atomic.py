import os
import subprocess
import sys

import pytest

from maestro_ai.io.atomic import atomic_path, remove_stale, staged_folder


def test_a_failed_write_leaves_nothing_and_keeps_what_was_there(tmp_path):
    target = tmp_path / "song.mid"
    target.write_bytes(b"earlier work")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("crash")
    assert target.read_bytes() == b"earlier work" and [p.name for p in tmp_path.iterdir()] == ["song.mid"]


def test_a_folder_appears_whole_or_not_at_all(tmp_path):
    with pytest.raises(RuntimeError), staged_folder(tmp_path / "track") as staging:
        (staging / "a.wav").write_bytes(b"x")
        raise RuntimeError("crash")
    assert not list(tmp_path.iterdir())
    with staged_folder(tmp_path / "track") as staging:
        (staging / "a.wav").write_bytes(b"x")
    with pytest.raises(FileExistsError), staged_folder(tmp_path / "track") as staging:
        pass
    with staged_folder(tmp_path / "track", force=True) as staging:
        (staging / "b.wav").write_bytes(b"y")
    assert sorted(p.name for p in (tmp_path / "track").iterdir()) == ["b.wav"] and len(list(tmp_path.iterdir())) == 1


def test_what_a_killed_run_left_is_removed_and_a_running_one_is_left_alone(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    (tmp_path / f".master.maestro-{pid}-x1.wav").write_bytes(b"half a master")
    (tmp_path / f".song-7-ab12cd.maestro-{pid}-q9").mkdir()
    (tmp_path / f".song-7-ab12cd.maestro-{pid}-q9" / "mix.wav").write_bytes(b"half")
    alive = tmp_path / f".other.maestro-{os.getpid()}-zz.wav"
    alive.write_bytes(b"mine, in progress")
    (tmp_path / "maestro-1-song.wav").write_bytes(b"a user's file")
    removed = remove_stale(tmp_path)
    assert len(removed) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, "maestro-1-song.wav"])
