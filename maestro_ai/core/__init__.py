"""The shared model every stage hands on, and nothing that touches a disk but `Track.load`:
notes, parts, sections, score, performance, plan, style, keys and metres, the finished track,
typed results, errors, limits and the seeded random streams."""
from maestro_ai.core.errors import InvalidRequest, MaestroError, OutputError
from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.score import Chord, Note, Part, Score, Section
from maestro_ai.core.track import Track

__all__ = ["Chord", "InvalidRequest", "Key", "MaestroError", "Note", "OutputError", "Part", "Score", "Section",
           "TimeSignature", "Track"]
