import shutil

import pytest

from maestro_ai.compose.melody import MotifMelodyEngine
from maestro_ai.core.errors import OutputError
from maestro_ai.pipeline.request import validate_request
from maestro_ai.pipeline.runner import run
from maestro_ai.pipeline.stages import STAGES, Stage


def _request(tmp_path, genre="folk", **kw):
    return validate_request(genre, "peaceful", {"key_phrases": ["old river road"]}, duration_seconds=8, seed=2,
                            output_dir=tmp_path, formats=["wav"], **kw)


def test_the_same_phrase_and_seed_in_another_genre_is_another_folder(tmp_path):
    folk = run(_request(tmp_path), melody_engine=MotifMelodyEngine())
    jazz = run(_request(tmp_path, genre="jazz"), melody_engine=MotifMelodyEngine())
    assert folk.title == jazz.title and folk.folder != jazz.folder
    with pytest.raises(OutputError, match="already exists"):
        run(_request(tmp_path), melody_engine=MotifMelodyEngine())
    assert len(list(tmp_path.iterdir())) == 2


class Broken(Stage):
    name, label = "broken", "Breaking"

    def run(self, work):
        raise RuntimeError("a stage failed")


def test_a_failing_stage_leaves_nothing(tmp_path):
    out = tmp_path / "new"
    request = validate_request("folk", "peaceful", {}, duration_seconds=8, seed=2, output_dir=out, formats=["wav"])
    with pytest.raises(RuntimeError, match="a stage failed"):
        run(request, melody_engine=MotifMelodyEngine(), stages=(*STAGES[:5], Broken(), *STAGES[5:]))
    assert not out.exists()  # the staging folder is gone, and the output folder this run made


def test_a_link_where_the_folder_goes_is_refused_first_and_replaced_with_force(tmp_path):
    first = run(_request(tmp_path), melody_engine=MotifMelodyEngine())
    shutil.rmtree(first.folder)
    first.folder.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError, match="already exists"):  # before any work, not when moving the folder in
        run(_request(tmp_path), melody_engine=MotifMelodyEngine(), stages=(Broken(),))
    again = run(_request(tmp_path, force=True), melody_engine=MotifMelodyEngine())
    assert again.folder == first.folder and again.folder.is_dir() and not again.folder.is_symlink()
    assert (again.folder / "mix.wav").is_file() and not (tmp_path / "nowhere").exists()
