import json

from maestro_ai.core.results import Loudness, MasterPlan, MasterReport, Transcription


def test_results_turn_into_json():
    plan = MasterPlan(-20.0, 6.1234, 0.85, -14.0, -1.0)
    loud = plan.report(-14.04, -1.2)
    assert isinstance(loud, Loudness) and loud.gain_db == 6.12 and loud.to_dict()["integrated_lufs"] == -14.04
    report = MasterReport({}, {}, None, {}, "full", 1.0, {}, {}, {}, 1)
    data = report.to_dict()
    assert "spectrum_mid" not in data and "report_png" not in data and data["rounds"] == 1
    assert json.loads(json.dumps(Transcription("a.mid", 3, "nmp.onnx", (60, 67), 1.5).to_dict()))["range"] == [60, 67]
