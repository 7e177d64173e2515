"""The data Knotbot passes between stages and shows to the world (the JSON contract)."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, Field

Level = Literal["emergency", "urgent", "see_doctor", "self_care", "out_of_scope"]
Verdict = Literal["do_not_press", "stop", "gently"]

# Higher number, more urgent. out_of_scope is below self_care: any real sign outranks it.
LEVEL_RANK: dict[str, int] = {
    "out_of_scope": 0, "self_care": 1, "see_doctor": 2, "urgent": 3, "emergency": 4,
}


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class Triage(BaseModel):
    level: Level
    reasons: list[str] = Field(default_factory=list)
    message: str = ""


class PressCheck(BaseModel):
    verdict: Verdict
    reasons: list[str] = Field(default_factory=list)


class Citation(BaseModel):
    n: int
    source: str
    title: str
    section: str | None
    text: str
    score: float
    quotes: list[str] = Field(
        default_factory=list, description="the sentences the answer quotes from this passage"
    )


class Timings(BaseModel):
    embed: float = Field(0.0, description="embedding the question once; triage's semantic "
                         "layer and retrieval both reuse it")
    triage: float = 0.0
    retrieve: float = 0.0
    compose: float = 0.0
    total: float = 0.0


class Answer(BaseModel):
    question: str
    triage: Triage
    press_check: PressCheck | None = None
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    body: str = Field("", description="the quoted, cited part alone, without the safety "
                      "block and sources (for front ends that show those separately)")
    timings_ms: Timings = Field(default_factory=Timings)
    search_error: str = Field("", description="why the articles could not be searched for "
                              "this answer, for the operator (empty when they were)")


class Option(BaseModel):
    """One choice on a form: a stable id and the plain words a person sees."""

    id: str
    label: str


class PressForm(BaseModel):
    locations: list[Option]
    feelings: list[Option]
    conditions: list[Option]


class Pipeline(Protocol):
    """What the UI needs from the answer chain; the real one lives in rag.pipeline."""

    def answer(self, question: str, history: list[Turn] | None = None) -> Answer: ...

    def press_form(self) -> PressForm: ...

    def check_press(self, location: str, feeling: str, conditions: list[str]) -> Answer: ...

    def warning_signs(self) -> list[Option]: ...

    def check_signs(self, signs: list[str]) -> Answer: ...
