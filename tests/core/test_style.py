from maestro_ai.prompt.controls import derive_controls
from maestro_ai.prompt.presets import load_genre, load_mood


def test_style_values_go_into_track_json_by_name():
    controls = derive_controls(load_genre("jazz"), load_mood("romantic"), ["candle light"])
    data = controls.to_dict()
    assert (data["genre"], data["mood"]) == ("jazz", "romantic") and list(data)[2:8] == [
        "valence", "energy", "brightness", "space", "density", "complexity"]
    assert data["drivers"][0]["phrase"] == "candle light" and all(len(str(data[k])) <= 6 for k in list(data)[2:8])
    assert load_genre("jazz").swing_unit == 0.5 and load_genre("house").swing_unit == 0.25
    assert "melody" in load_genre("house").parts and load_genre("house").parts[-1] == "drums"
