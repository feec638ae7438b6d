"""The pipeline: the stages from a request to a finished track folder, the runner that drives
them, `MusicGenerator`, and variations as typed edits."""
from maestro_ai.pipeline.generator import MusicGenerator
from maestro_ai.pipeline.stages import STAGES

__all__ = ["STAGES", "MusicGenerator"]
