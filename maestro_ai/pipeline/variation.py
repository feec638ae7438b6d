"""A variation of a song: what its edits change, gathered so the stages can apply it.

>>> v = Variation("Rain")
>>> v.reroll("drums"), v.reroll("drums"), v.variants
(1, 2, {'drums': 2})
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from maestro_ai.core.engines import Harmonizer, MelodyEngine
from maestro_ai.core.instrument import Instrument
from maestro_ai.core.plan import Plan
from maestro_ai.core.score import Score, Section
from maestro_ai.core.style import Controls


@dataclass
class Tools:
    """What a score step composes with: the song's seed and the generator's engines."""

    seed: int
    melody_engine: MelodyEngine
    harmonizer: Harmonizer


ScoreStep = Callable[[Plan, Score, Controls, Tools], Score]


@dataclass
class Variation:
    """How a variation differs from the original song: re-rolled random streams (`variants`),
    steps that change the plan and then the score, in the order the edits came, a longer form
    (`sections`) and a new length; `edits` are the edits it was built from."""

    source_title: str
    edits: list = field(default_factory=list)  # pipeline.edits.Edit objects, in order
    variants: dict[str, int] = field(default_factory=dict)
    plan_steps: list[Callable[[Plan], Plan]] = field(default_factory=list)
    score_steps: list[ScoreStep] = field(default_factory=list)
    sections: list[Section] | None = None
    duration_seconds: float | None = None
    parents: list[Path] = field(default_factory=list)  # the mixes of the tracks it was made from (ingredients of its credentials)
    borrowed: list[dict] = field(default_factory=list)  # people's recorded works it is composed from: {"owner", "title"} (credits)
    orchestra: dict[str, Instrument] = field(default_factory=dict)  # parts that keep the sound of the song they came from
    splits: dict | None = None  # a remix's split sheet (pipeline.remix), written to splits.json

    @property
    def kind(self) -> str:
        return self.edits[-1].kind

    @property
    def title(self) -> str:
        """'Rainy City Lights (in D major, reharmonized)'."""
        return f"{self.source_title} ({', '.join(e.label for e in self.edits)})"

    def plan(self, plan: Plan) -> Plan:
        for step in self.plan_steps:
            plan = step(plan)
        return plan

    def score(self, plan: Plan, score: Score, controls: Controls, tools: Tools) -> Score:
        for step in self.score_steps:
            score = step(plan, score, controls, tools)
        return score

    def reroll(self, stream_name: str) -> int:
        """Re-roll a random stream once more; how many times it has been re-rolled."""
        self.variants[stream_name] = self.variants.get(stream_name, 0) + 1
        return self.variants[stream_name]

    def record(self) -> dict:
        """What track.json keeps of it."""
        extra = {} if self.duration_seconds is None else {"duration_seconds": self.duration_seconds}
        return {"kind": self.kind, "of": self.source_title, "edits": [e.to_dict() for e in self.edits], **extra}
