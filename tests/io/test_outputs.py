import os

import pytest

from maestro_ai.core.errors import InvalidRequest, OutputError
from maestro_ai.io.outputs import check_file, check_folder, check_new_folder, make_folder, write_error


def test_a_folder_check_creates_nothing(tmp_path):
    deep = tmp_path / "a" / "b" / "c"
    assert check_folder(deep) == deep and not (tmp_path / "a").exists()
    assert make_folder(deep).is_dir()


@pytest.mark.parametrize("value", ["", "   ", None])
def test_an_output_must_be_named(value):
    with pytest.raises(InvalidRequest, match="no output"):
        check_folder(value)


def test_a_file_in_the_way_and_an_unwritable_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot create output folder .* is a file"):
        check_folder(blocker / "sub")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.access(locked, os.W_OK):
        pytest.skip("running with privileges that ignore folder permissions")
    with pytest.raises(OutputError, match="not writable"):
        check_folder(locked)


def test_the_file_policy(tmp_path):
    source = tmp_path / "mix.wav"
    source.write_bytes(b"mine")
    with pytest.raises(OutputError, match="would overwrite an input") as err:
        check_file(source, force=True, inputs=(source,))
    assert "-o" in err.value.shell
    with pytest.raises(OutputError, match="already exists; pass force=True") as err:
        check_file(source)
    assert "--force" in err.value.shell
    with pytest.raises(OutputError, match="does not exist"):
        check_file(tmp_path / "nowhere" / "x.wav")
    with pytest.raises(OutputError, match="it is a folder"):
        check_file(tmp_path, force=True)
    with pytest.raises(InvalidRequest, match="must be a .wav, .flac or .mp3 file"):
        check_file(tmp_path / "x.ogg", suffixes=(".wav", ".flac", ".mp3"))
    assert check_file(source, force=True) == source and source.read_bytes() == b"mine"


def test_write_errors_say_why():
    assert "Permission denied" in str(write_error("/x/y.wav", PermissionError(13, "Permission denied")))
    assert "no space left" in str(write_error("/x/y.wav", OSError(28, "No space left on device")))


def test_a_link_to_nowhere_is_not_overwritten_and_types_are_named(tmp_path):
    link = tmp_path / "m.wav"
    link.symlink_to(tmp_path / "nowhere.wav")
    with pytest.raises(OutputError, match="already exists"):
        check_file(link)
    with pytest.raises(InvalidRequest, match="must be a path, not int"):
        check_file(5)


def test_a_new_folder_in_the_place_of_a_link_to_nowhere_needs_force(tmp_path):
    link = tmp_path / "song-1-abc123"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError, match="track folder .* already exists"):
        check_new_folder(link)
    assert check_new_folder(link, force=True) == link and check_new_folder(tmp_path / "free") == tmp_path / "free"
