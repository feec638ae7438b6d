"""The data model every stage shares, and the errors."""
from maestro_ai.core.errors import InvalidRequest, MaestroError, OutputError
from maestro_ai.core.score import Chord, Note, Part, Score, Section

__all__ = ["Chord", "InvalidRequest", "MaestroError", "Note", "OutputError", "Part", "Score", "Section"]
