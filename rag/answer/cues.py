"""Wording that answers what a question asks besides its shape.

A question about how much force is answered by a sentence saying how much; one asking how
to make it go quicker, by one saying what speeds it up; one asking whether it lasts for
ever, by one saying whether it is permanent; one asking under what condition, by one
stating a condition about what it asks. Each pair reads only everyday English wording,
never the articles' topics, so it holds for articles added later. `rag.answer.select`
gives a sentence with the wording asked for the shape's bonus.
"""

from __future__ import annotations

import re

from rag.retrieval import stem_tokens

# A question about how much force ("how hard should I press?", "full force?", "too hard?")
# is answered by a sentence saying how much: light, firm, gentle, excessive force.
FORCE_ASKED = re.compile(r"\bhow (?:hard|firm|firmly|deep|deeply|gentle|gently|strong|much "
                         r"(?:pressure|force))\b|\b(?:too|really|very|so|go|press\w*|push\w*|"
                         r"rub\w*) (?:hard|firm|deep|rough|gentle|soft)(?:ly)?\b|"
                         r"\b(?:full|much|more|less) (?:force|pressure|strength)\b|"
                         r"\b(?:soft|light|gentle)\b\W+(?:or|vs\.?|versus)\W+(?:hard|strong|firm)",
                         re.IGNORECASE)
FORCE_SAID = re.compile(r"\b(?:light|firm|gentle|gently|excessive force|aggressive|intensity|"
                        r"manageable|gradually increase)\b", re.IGNORECASE)
# A question asking how to make it go quicker ("heal faster?", "any way to speed it up?")
# is answered by a sentence saying what makes it quicker ("...can speed up recovery").
SPEED_ASKED = re.compile(r"\b(?:quicker|faster|sooner|speed\w* (?:it |things |this )?up|"
                         r"hurry|as (?:quick|fast|soon)(?:ly)? as)\b", re.IGNORECASE)
SPEED_SAID = re.compile(r"\b(?:speed(?:s|ed|ing)? up|quicker|faster|sooner|hasten\w*|"
                        r"accelerat\w*)\b", re.IGNORECASE)
# ... and one asking whether it lasts for ever ("stuck with it for good?", "for life?") by
# a sentence saying whether it is permanent.
LASTING_ASKED = re.compile(r"\b(?:forever|for ever|for good|for life|permanent\w*|rest of "
                           r"(?:my|his|her|your) life)\b", re.IGNORECASE)
LASTING_SAID = re.compile(r"\b(?:permanent\w*|resolved)\b", re.IGNORECASE)
# ... and one asking about a lack ("can not moving cause it?", "no exercise lately") by a
# sentence naming one ("Lack of physical exercise...", "physical inactivity").
LACK_ASKED = re.compile(r"\b(?:not|no|never|hardly|barely|without|too little|lack of)\s+(?:any\s+|"
                        r"enough\s+|much\s+)?(?:[a-z]+ing|exercise|movement|activity)\b",
                        re.IGNORECASE)
LACK_SAID = re.compile(r"\b(?:lack of|inactiv\w*|sedentary|absence of)\b", re.IGNORECASE)
# "At what point should I...?", "when is a tool better?": asks under what condition, and
# is answered by a sentence that states one ("If ... it is time to see...", "When manual
# pressure is insufficient ...") about what it asks.
CONDITION_ASKED = re.compile(r"\b(?:at what point|when (?:should|do|does|would|is|are|can|"
                             r"must|shall)|how (?:do|will|would|can) (?:i|you|we|one) (?:know|"
                             r"tell) (?:when|if)|in what (?:cases?|situations?)|under what)\b",
                             re.IGNORECASE)
CONDITION_SAID = re.compile(r"\b(?:if|when|whenever|once|unless|until|as soon as)\b",
                            re.IGNORECASE)


def states_condition(sentence: str, asked: frozenset[str]) -> bool:
    """Does the sentence state a condition ("If these knots are causing you persistent
    pain...") about something the question asks (``asked``: its own stems)?"""
    return bool(CONDITION_SAID.search(sentence)) and bool(asked & set(stem_tokens(sentence)))
