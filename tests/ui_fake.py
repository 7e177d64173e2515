"""A small, plausible stand-in for the real pipeline, used by the UI tests.

It implements the ``rag.models.Pipeline`` protocol with fixed answers built from
``rag.models``; quotes occur verbatim in their passages, as the real pipeline promises.
"""

from __future__ import annotations

from rag.errors import IndexMissingError
from rag.models import (
    Answer,
    Citation,
    Option,
    PressCheck,
    PressForm,
    Triage,
    Turn,
)

MASSAGE_TITLE = "How to Massage Neck Knots for Lasting Relief"
PRESSURE_PASSAGE = (
    "Manual self-massage uses only the hands and fingers to apply pressure and manipulation "
    "directly to the affected muscle tissue. A primary technique is sustained pressure, also "
    "called ischemic compression, where you use two fingers or a thumb to press directly onto "
    "the knot. This pressure should be firm but manageable, held for 30 to 90 seconds, "
    "allowing the muscle fibers time to slowly release and relax beneath the contact."
)
PRESSURE_QUOTE = (
    "This pressure should be firm but manageable, held for 30 to 90 seconds, allowing the "
    "muscle fibers time to slowly release and relax beneath the contact."
)
TOOLS_PASSAGE = (
    "A common household item like a tennis ball can be positioned between your back and a "
    "wall, allowing you to lean into the knot and control the pressure by simply moving your "
    "body. Slowly roll the ball over the affected area, pausing and holding pressure on the "
    "most tender points for several seconds at a time."
)
TOOLS_QUOTE = (
    "Slowly roll the ball over the affected area, pausing and holding pressure on the most "
    "tender points for several seconds at a time."
)
STRETCH_PASSAGE = (
    "Gentle stretching can increase the blood flow release the muscle tension in the neck "
    "muscles and help you to prevent muscle knots. Hold this position for 15-30 seconds and "
    "repeat it on the other side."
)

LOCATIONS = [
    Option(id="back_of_neck", label="Back of neck"),
    Option(id="side_of_neck", label="Side of neck"),
    Option(id="front_of_neck", label="Front of neck / throat"),
    Option(id="top_of_shoulder", label="Top of shoulder"),
    Option(id="between_shoulder_blades", label="Between the shoulder blades"),
    Option(id="near_spine", label="Right next to the spine"),
]
FEELINGS = [
    Option(id="tender_ok", label="Tender, but a 'good hurt' that eases"),
    Option(id="sharp_pain", label="Sharp or stabbing pain"),
    Option(id="numb_tingling_weak", label="Numbness, tingling or weakness"),
]
CONDITIONS = [
    Option(id="blood_thinners", label="I take blood thinners"),
    Option(id="recent_injury", label="I had a fall or injury recently"),
    Option(id="pregnant", label="I am pregnant"),
]
SIGNS = [
    Option(id="fever_stiff_neck", label="Fever with a stiff neck"),
    Option(id="arm_weakness", label="Weakness or numbness in an arm"),
    Option(id="worst_headache", label="Sudden, very bad headache"),
    Option(id="lasting_pain", label="Pain lasting more than two weeks"),
]

EMERGENCY_MESSAGE = (
    "Call your local emergency number (112 / 911 / 999) now. A fever with a stiff neck can "
    "be meningitis. Do not massage your neck."
)


def make_answer(question: str, triage: Triage, body: str, citations: list[Citation] | None = None,
                press: PressCheck | None = None) -> Answer:
    """Like the real pipeline: ``answer`` is the whole Markdown, ``body`` the cited part."""
    head = f"**{triage.level}:** {triage.message}" if triage.level != "self_care" else ""
    if press:
        head += f"\n\n**Should you press on it? {press.verdict}.**"
    sources = "\n\n".join(f"[{c.n}] {c.title}: \"{c.text}\"" for c in citations or [])
    text = "\n\n".join(part for part in (head.strip(), body, sources) if part)
    return Answer(question=question, triage=triage, press_check=press, answer=text, body=body,
                  citations=citations or [])


def cite(n: int, text: str, quotes: list[str], section: str | None) -> Citation:
    return Citation(
        n=n, source="how-to-massage-neck-knots.md", title=MASSAGE_TITLE, section=section,
        text=text, score=0.8, quotes=quotes,
    )


def pressure_answer(question: str) -> Answer:
    return make_answer(
        question,
        Triage(level="self_care"),
        "What the articles say: " + PRESSURE_QUOTE + " [1] " + TOOLS_QUOTE + " [2]",
        [
            cite(1, PRESSURE_PASSAGE, [PRESSURE_QUOTE], "Manual Self-Massage Techniques"),
            cite(2, TOOLS_PASSAGE, [TOOLS_QUOTE], "Utilizing Massage Tools for Targeted Relief"),
        ],
    )


def emergency_answer(question: str) -> Answer:
    return make_answer(
        question,
        Triage(level="emergency", reasons=["fever with a stiff neck"], message=EMERGENCY_MESSAGE),
        "Please get medical help first; massage is not safe with these signs.",
        press=PressCheck(verdict="do_not_press", reasons=["possible infection"]),
    )


class FakePipeline:
    """Answers from fixed rules, so the UI can be tested without an index."""

    def __init__(self, broken: bool = False) -> None:
        self.broken = broken
        self.calls: list[tuple[str, object]] = []

    def answer(self, question: str, history: list[Turn] | None = None) -> Answer:
        self.calls.append(("answer", question))
        if self.broken:
            raise IndexMissingError("/tmp/nowhere")
        text = question.lower()
        if len(question) > 2000:  # like the real pipeline: triaged, not answered
            answer = emergency_answer(question) if "fever" in text and "stiff" in text \
                else make_answer(question, Triage(level="self_care"), "")
            note = (f"Your message is {len(question):,} characters long; please ask in under "
                    "2,000 characters so I can answer it.")
            return answer.model_copy(update={"body": note, "citations": []})
        if "fever" in text and "stiff" in text:
            return emergency_answer(question)
        if any(word in text for word in ("knot", "pressure", "massage", "hold")):
            return pressure_answer(question)
        return make_answer(
            question,
            Triage(level="out_of_scope",
                   message="Knotbot only answers questions about neck and shoulder knots."),
            "",
        )

    def press_form(self) -> PressForm:
        return PressForm(locations=LOCATIONS, feelings=FEELINGS, conditions=CONDITIONS)

    def check_press(self, location: str, feeling: str, conditions: list[str]) -> Answer:
        self.calls.append(("check_press", (location, feeling, conditions)))
        question = f"press {location} {feeling} {' '.join(conditions)}".strip()
        if location in {"front_of_neck", "side_of_neck", "near_spine"}:
            check = PressCheck(
                verdict="do_not_press",
                reasons=["Arteries, nerves and the windpipe run here: never press on them."],
            )
        elif feeling != "tender_ok" or conditions:
            check = PressCheck(verdict="stop", reasons=["This is not the 'good hurt' of a knot."])
        else:
            check = PressCheck(verdict="gently", reasons=["Tender muscle takes gentle pressure."])
        return make_answer(
            question, Triage(level="self_care"),
            "What the articles say: " + PRESSURE_QUOTE + " [1]",
            [cite(1, PRESSURE_PASSAGE, [PRESSURE_QUOTE], "Manual Self-Massage")], press=check,
        )

    def warning_signs(self) -> list[Option]:
        return SIGNS

    def check_signs(self, signs: list[str]) -> Answer:
        self.calls.append(("check_signs", signs))
        if "fever_stiff_neck" in signs or "worst_headache" in signs:
            triage = Triage(level="emergency", reasons=["fever with a stiff neck"],
                            message=EMERGENCY_MESSAGE)
        elif "arm_weakness" in signs:
            triage = Triage(level="urgent", message="See a doctor today.")
        elif signs:
            triage = Triage(level="see_doctor", message="Book an appointment with your doctor.")
        else:
            triage = Triage(level="self_care")
        quote = "Hold this position for 15-30 seconds and repeat it on the other side."
        return make_answer(
            "signs: " + ", ".join(signs), triage, f"What the articles say: {quote} [1]",
            [cite(1, STRETCH_PASSAGE, [quote], None)],
        )
