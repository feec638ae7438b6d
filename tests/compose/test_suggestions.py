from maestro_ai.compose.suggestions import suggest
from maestro_ai.core.key import Key
from maestro_ai.prompt.presets import load_genre


def test_suggestions_are_ready_to_use():
    s = suggest(load_genre("jazz"), Key(2, "minor"), 120.0, set())
    assert s["chord_progressions"] and all(p["chords"] for p in s["chord_progressions"])
    assert len(s["instrumentation"]) == 3 and all(p["palette"] != "jazz" for p in s["instrumentation"])
    assert {v["kind"] for v in s["variations"]} == {"reharmonize", "new-melody", "new-drums", "new-form", "tempo", "key",
                                                    "extend"}
    forms = suggest(load_genre("house"), Key(2, "minor"), 124.0, set(), form=1)["forms"]
    assert len(forms) == 2 and all(f["why"] and "drop" in f["form"] for f in forms)
    assert [f["call"] is not None for f in forms] == [False, True]  # the next form is what new-form plays
