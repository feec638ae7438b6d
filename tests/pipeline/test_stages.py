"""The stage list: names and labels, and a stage added by one class and one line."""
import json

from maestro_ai.compose.melody import MotifMelodyEngine
from maestro_ai.pipeline.request import validate_request
from maestro_ai.pipeline.runner import run
from maestro_ai.pipeline.stages import STAGES, Stage


def test_each_stage_has_a_name_and_a_label():
    assert [s.name for s in STAGES] == ["controls", "plan", "compose", "perform", "render", "mix", "seal", "master", "write"]
    assert len({s.label for s in STAGES}) == len(STAGES) and all(s.label for s in STAGES)


class Notes(Stage):
    """A stage of a test's own: the score's note counts, written into the folder before Write."""

    name, label = "notes", "Counting notes"

    def run(self, work):
        counts = {p.name: len(p.notes) for p in work.score.parts}
        work.folder.write("notes.json", lambda path: path.write_text(json.dumps(counts)))


def test_a_new_stage_is_one_class_and_one_line(tmp_path):
    stages = (*STAGES[:-1], Notes(), STAGES[-1])
    request = validate_request("folk", "peaceful", {}, duration_seconds=8, seed=2, output_dir=tmp_path, formats=["wav"])
    heard = []
    track = run(request, heard.append, melody_engine=MotifMelodyEngine(), stages=stages)
    assert heard[-3:] == ["notes", "write", "done"] and "notes" in track.timings_seconds
    assert json.loads((track.folder / "notes.json").read_text())["bass"] > 0
