from maestro_ai.compose.form import explain
from maestro_ai.pipeline.metadata import SLUG_CHARACTERS, folder_name, section_table, slug
from maestro_ai.pipeline.request import validate_request
from maestro_ai.pipeline.song import compose


def test_folder_names_are_short_and_differ_for_every_request():
    assert slug("Rainy City Lights!") == "rainy-city-lights" and slug("!!!") == "track"
    assert len(slug("word " * 100)) <= SLUG_CHARACTERS
    a = folder_name("Rain", 7, {"genre": "pop", "tempo_bpm": 90})
    assert a == folder_name("Rain", 7, {"tempo_bpm": 90, "genre": "pop"})  # the order of fields does not matter
    assert a != folder_name("Rain", 7, {"genre": "jazz", "tempo_bpm": 90}) and a.startswith("rain-7-")


def test_the_section_table_adds_up(tmp_path):
    request = validate_request("pop", "happy", {"tempo_bpm": 120}, duration_seconds=40, seed=3, output_dir=tmp_path)
    _, _, score = compose(request)
    rows = section_table(score, "pop")
    assert rows[0]["start_seconds"] == 0 and rows[-1]["end_bar"] == score.bars
    assert sum(len(r["chords"]) for r in rows) == len(score.chords) and rows[-1]["end_seconds"] == score.bars * 2.0


def test_track_json_explains_the_form_and_who_plays_where(tmp_path):

    request = validate_request("house", "euphoric", {}, duration_seconds=120, seed=2, output_dir=tmp_path)
    _, plan, score = compose(request)
    rows = section_table(score, "house")
    breakdown = next(r for r in rows if r["name"] == "breakdown")
    assert breakdown["plays"]["drums"] == "none" and breakdown["plays"]["bass"] == "off"
    assert set(breakdown["plays"]) == {p.name for p in score.parts} | {"filter"}  # only the parts the song has
    assert breakdown["plays"]["filter"] == "closed"
    build = next(r for r in rows if r["name"] == "build")
    assert build["plays"]["filter"] == "opening" and build["plays"]["riser"] == "on"
    assert all("filter" not in r["plays"] for r in rows if r["name"] in ("drop", "intro", "outro"))
    form = explain("house", plan.form, score.sections)
    assert form["played"] == " ".join(f"{r['name']}:{r['end_bar'] - r['start_bar']}" for r in rows)
    assert form["why"] and form["ending"] == "ring" and form["template"].startswith("intro:")


def test_track_json_names_the_player_of_each_solo_chorus(tmp_path):
    request = validate_request("jazz", "romantic", {}, duration_seconds=180, seed=1, output_dir=tmp_path)
    _, _, score = compose(request)
    rows = section_table(score, "jazz")
    assert [r["plays"]["soloist"] for r in rows if r["name"] == "solo"] == ["melody", "harmony"]
    assert all("soloist" not in r["plays"] for r in rows if r["name"] != "solo")
