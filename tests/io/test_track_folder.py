import pytest

from maestro_ai.core.errors import OutputError
from maestro_ai.io.track_folder import TrackFolder


def test_files_are_written_in_the_background_and_published_together(tmp_path):
    folder = TrackFolder(tmp_path / "out" / "song-1", force=False)
    folder.write("stems/drums.wav", lambda p: p.write_bytes(b"d"))
    folder.write("song.mid", lambda p: p.write_bytes(b"m"))
    assert not (tmp_path / "out" / "song-1").exists()  # hidden until whole
    folder.publish()
    assert sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "out").rglob("*")) == [
        "out/song-1", "out/song-1/song.mid", "out/song-1/stems", "out/song-1/stems/drums.wav"]


def test_a_discarded_folder_leaves_nothing_not_even_the_output_folder_it_made(tmp_path):
    folder = TrackFolder(tmp_path / "deep" / "er" / "song-1")
    folder.write("song.mid", lambda p: p.write_bytes(b"m"))
    folder.discard()
    assert not list(tmp_path.iterdir())


def test_an_output_folder_reached_through_a_link_is_made_and_cleaned_up(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    folder = TrackFolder(tmp_path / "link" / "songs" / "song-1")
    folder.write("song.mid", lambda p: p.write_bytes(b"m"))  # resolving the link here raised ValueError
    folder.discard()
    assert not list((tmp_path / "real").iterdir()) and (tmp_path / "link").is_symlink()


def test_a_failed_write_discards_the_folder(tmp_path):
    folder = TrackFolder(tmp_path / "song-1")

    def broken(path):
        raise OSError(28, "No space left on device")

    folder.write("mix.wav", broken)
    with pytest.raises(OutputError, match="no space left"):
        folder.publish()
    assert not list(tmp_path.iterdir())


def test_an_existing_folder_is_kept_unless_forced(tmp_path):
    (tmp_path / "song-1").mkdir()
    (tmp_path / "song-1" / "mine.txt").write_text("keep")
    folder = TrackFolder(tmp_path / "song-1")
    folder.write("a.txt", lambda p: p.write_text("new"))
    with pytest.raises(OutputError, match="already exists"):
        folder.publish()
    assert [p.name for p in (tmp_path / "song-1").iterdir()] == ["mine.txt"] and len(list(tmp_path.iterdir())) == 1
    forced = TrackFolder(tmp_path / "song-1", force=True)
    forced.write("a.txt", lambda p: p.write_text("new"))
    forced.publish()
    assert [p.name for p in (tmp_path / "song-1").iterdir()] == ["a.txt"]
