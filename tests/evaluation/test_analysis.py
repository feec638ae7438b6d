"""The analysis evaluation on rendered chorales (a dozen of them here; docs/ has all 60)."""
import pytest

from evaluation.analysis import chorale_cases, evaluate, write_docs
from maestro_ai.render.synth import fluid_soundfont

pytestmark = pytest.mark.skipif(fluid_soundfont() is None, reason="the chorales are rendered with FluidSynth and FluidR3_GM")


@pytest.mark.slow
def test_key_and_tempo_on_rendered_chorales_meet_the_targets(tmp_path):
    pytest.importorskip("mir_eval")
    result = evaluate(12)
    assert result["pieces"] == 12
    assert result["key_weighted_score"] >= 0.8, result["rows"]
    assert result["tempo_within_4_percent"] >= 0.9, result["rows"]
    write_docs(result, tmp_path)
    assert "key, mir_eval weighted score" in (tmp_path / "analysis-evaluation.md").read_text()


def test_cases_are_reproducible_and_have_a_clear_key():
    first, again = chorale_cases(3), chorale_cases(3)
    assert first == again and all(c["key"].endswith(("major", "minor")) and 70 <= c["tempo"] <= 140 for c in first)
