from maestro_ai.compose.melody import MotifMelodyEngine
from maestro_ai.pipeline.request import validate_request
from maestro_ai.pipeline.song import compose


def test_the_symbolic_song_is_the_same_every_time_and_the_engine_is_injected(tmp_path):
    request = validate_request("jazz", "romantic", {"tempo_bpm": 96}, duration_seconds=20, seed=4, output_dir=tmp_path)
    _, plan_a, score_a = compose(request)
    _, plan_b, score_b = compose(request)
    assert plan_a == plan_b and score_a == score_b
    _, _, motif = compose(request, melody_engine=MotifMelodyEngine())
    assert motif.part("melody").notes != score_a.part("melody").notes
    assert motif.part("drums").notes == score_a.part("drums").notes  # only the melody's writer changed
