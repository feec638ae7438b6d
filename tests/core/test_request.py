from pathlib import Path

from maestro_ai.core.key import Key
from maestro_ai.core.request import SEED_FILE, Request
from maestro_ai.core.seed import Seed
from maestro_ai.prompt.presets import load_genre, load_mood


def _request(**kw):
    return Request(load_genre("folk"), load_mood("peaceful"), ["river"], 30.0, 9, **kw)


def test_the_record_is_enough_to_make_the_song_again():
    record = _request(key=Key(2, "minor"), melody_midi="E4 G4").record()
    assert record["key"] == "D minor" and record["melody_midi"] == "E4 G4" and record["time_signature"] == "4/4"
    assert _request(melody_midi=b"MThd").record()["melody_midi"] == {"midi_bytes_hex": "4d546864"}


def test_a_file_seed_is_kept_in_the_track_folder_and_recorded_there():
    record = _request(melody_midi=Path("mel/real.mid"), seed_midi=b"MThd", seed_material=Seed()).record()
    assert record["melody_midi"] == {"file": SEED_FILE, "from": "mel/real.mid"}
