"""The default answerer: safety block first, then sentences quoted word for word, cited.

It writes no medical content of its own: every sentence after the safety block is a
verbatim sentence from a retrieved passage, followed by its [n] marker.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

from langchain_core.documents import Document

from rag.answer import (
    Ask,
    answer_body,
    decline_note,
    medicine_note,
    unspoken_note,
    verdict_intro,
)
from rag.answer.parts import by_part
from rag.answer.render import Citer, not_covered
from rag.answer.select import SEEK_HELP, Candidate, bullets, list_intro
from rag.chunking import body_of, passage_sentences
from rag.models import Citation, PressCheck, Triage
from rag.quotefit import fits_reasons, keeps_away

LEVEL_TITLE = {
    "emergency": "Emergency", "urgent": "Get medical advice today",
    "see_doctor": "See a doctor", "out_of_scope": "Outside what I can help with",
}
VERDICT_TITLE = {"do_not_press": "Do not press", "stop": "Stop pressing",
                 "gently": "Press gently"}
# A sentence that tells how to work on a knot: what must not reach someone told not to.
_TECHNIQUE = re.compile(
    r"\b(press\w*|massag\w*|knead\w*|squeez\w*|rub\w*|friction|pressure|tennis ball|cane|"
    r"massager\w*|roll\w*|knuckles?|lean into|needl\w*|stretch\w*|tilt\w*|tuck\w*|"
    r"hold this position|positioning|leverage|heat|ice|towel|heating pad|palpat\w*|gentl\w*|"
    r"force|self-care|relief|releas\w*|home remed\w*|vanish\w*)\b", re.IGNORECASE)
# Help made conditional ("if you have tried everything at home..."): wrong after a red flag.
_CONDITIONAL_HELP = re.compile(r"\b(if you have tried|persist\w*|several days|at home)\b",
                               re.IGNORECASE)
_TECHNIQUE_SECTION = re.compile(r"massage|technique|tool|stretch|relief|exercise|needling|heat",
                                re.IGNORECASE)
# A sentence that sends the person to medical help (a massage therapist is not that).
_MEDICAL_HELP = re.compile(r"\b(doctor|healthcare professional|medical|diagnosis|physician|"
                           r"professional evaluation|consult a doctor|healthcare)\b", re.IGNORECASE)
_PROHIBITION = re.compile(r"^(never|avoid|stop|do not|don't)\b|\b(avoid massaging|stop "
                          r"immediately|should not|must not|never apply)\b", re.IGNORECASE)


LEXICAL_WEIGHT = 0.2  # keyword overlap added to a sentence's cosine score
RANK_PENALTY = 0.02  # per place a sentence's passage stands below the first
MARGIN = 0.2  # sentences this far below the best one are left out
DEEP_RANK = 3  # a passage below the first four costs its sentences what the fourth's cost


def inverse_document_frequency(sentence_words: Sequence[frozenset[str]]) -> dict[str, float]:
    """IDF of each (stemmed) word over the sentences, given each sentence's word set."""
    df = Counter(t for words in sentence_words for t in words)
    n = len(sentence_words)
    return {t: math.log(1 + n / (1 + c)) for t, c in df.items()}


def keyword_overlap(question_words: set[str], sentence_words: frozenset[str],
                    idf: dict[str, float]) -> float:
    """Share of the question's (stemmed, IDF-weighted) words that the sentence contains."""
    shared = question_words & sentence_words
    if not shared:  # most sentences: the weights are positive, so nothing shared is 0
        return 0.0
    weight = lambda t: idf.get(t, math.log(1 + len(idf) + 1))  # noqa: E731
    return sum(weight(t) for t in shared) / sum(weight(t) for t in question_words)


SentenceScorer = Callable[[str, Sequence[str]], list[float]]


def safety_block(triage: Triage, press: PressCheck | None) -> str:
    lines = []
    if triage.level != "self_care":
        lines.append(f"**{LEVEL_TITLE[triage.level]}:** {triage.message}")
        if triage.reasons and triage.level != "out_of_scope":
            lines.append("Why: " + "; ".join(triage.reasons) + ".")
    if press:
        lines.append(f"**Should you press on it? {VERDICT_TITLE[press.verdict]}.** "
                     + " ".join(r[0].upper() + r[1:] + ("" if r.endswith(".") else ".")
                                for r in press.reasons))
    return "\n\n".join(lines)


def massage_allowed(triage: Triage, press: PressCheck | None) -> bool:
    return triage.level == "self_care" and (press is None or press.verdict == "gently")


def allowed(sentence: str, section: str, triage: Triage, press: PressCheck | None,
            sign: bool = False) -> bool:
    """May this article sentence be quoted to this person, given the safety stage? A
    ``sign`` is an item of a list the article introduces as reasons to get medical help
    ("seek professional guidance if you experience...:"): it sends the person to help."""
    told_not_to = press is not None and press.verdict in ("do_not_press", "stop")
    raised = triage.level in ("emergency", "urgent")
    if (raised or told_not_to) and _CONDITIONAL_HELP.search(sentence):
        return False
    # Under a verdict, a quote must fit its reason, or be left out.
    reasons = [*(triage.reasons if raised else []),
               *(press.reasons if press is not None and told_not_to else [])]
    if not fits_reasons(sentence, reasons):
        return False
    if triage.level == "emergency":
        return sign or bool(_MEDICAL_HELP.search(sentence))
    if triage.level == "urgent":
        return sign or bool(_MEDICAL_HELP.search(sentence) or _PROHIBITION.search(sentence))
    if massage_allowed(triage, press):
        return True
    # Told not to press on one place ("the bones of the spine"), a sentence that directs
    # pressure away from that very place ("away from the spinal bones") is the verdict's
    # own advice, in the article's words. Only where the press check alone spoke (no
    # level raised for a warning sign).
    if told_not_to and triage.level == "self_care" and press is not None \
            and keeps_away(sentence, press.reasons):
        return True
    technique = _TECHNIQUE_SECTION.search(section) or _TECHNIQUE.search(sentence)
    return not technique or bool(_MEDICAL_HELP.search(sentence) or _PROHIBITION.search(sentence))


MayQuote = Callable[[str, str, bool], bool]  # (sentence, its heading, a sign to get help)


def help_signs(doc: Document) -> frozenset[str]:
    """The chunk's list items when the sentence introducing the list sends the reader to
    a doctor or another professional ("...time to consult a doctor are -"): each item is
    a sign to get help, in the article's own words."""
    return _help_signs(doc.page_content, str(doc.metadata.get("section") or ""))


@lru_cache(maxsize=4096)
def _help_signs(text: str, section: str) -> frozenset[str]:
    """`help_signs` of one chunk's text, worked out once (every answer reads its chunks)."""
    doc = Document(text, metadata={"section": section})
    intro = list_intro(doc)
    return frozenset(bullets(doc)) if intro and SEEK_HELP.search(intro) else frozenset()


def quotable(doc: Document, may_quote: MayQuote = lambda _s, _h, _g: True) -> list[str]:
    """The chunk's sentences that may be quoted word for word."""
    section = str(doc.metadata.get("section") or "")
    signs = help_signs(doc)
    return [s for s in passage_sentences(body_of(doc))
            if len(s) > 25 and s in doc.page_content and may_quote(s, section, s in signs)]


def candidates(question: str, docs: Sequence[Document], score: SentenceScorer,
               may_quote: MayQuote = lambda _s, _h, _g: True,
               depth: int | None = None) -> list[Candidate]:
    """Sentences of the passages that may be quoted, scored against the question, less a
    little per place their passage stands below the first (no more than at ``depth``)."""
    out: list[Candidate] = []
    for rank, doc in enumerate(docs):
        sentences = quotable(doc, may_quote)
        penalty = RANK_PENALTY * min(rank, depth if depth is not None else rank)
        for order, (text, value) in enumerate(zip(sentences, score(question, sentences),
                                                  strict=True)):
            out.append(Candidate(text, doc, rank, order, value - penalty))
    return out


def pick(cands: list[Candidate], limit: int, margin: float = MARGIN) -> list[Candidate]:
    """Best sentences, near-repeats dropped, put back in reading order."""
    ranked = sorted(cands, key=lambda c: c.score, reverse=True)
    if not ranked:
        return []
    chosen: list[Candidate] = []
    seen_words: list[set[str]] = []
    for c in ranked:
        if len(chosen) >= limit or c.score < ranked[0].score - margin:
            break
        words = set(re.findall(r"[a-z]+", c.text.lower()))
        if any(len(words & w) / max(1, len(words | w)) > 0.6 for w in seen_words):
            continue
        chosen.append(c)
        seen_words.append(words)
    return sorted(chosen, key=lambda c: (c.rank, c.order))


def top_score(cands: list[Candidate], depth: int) -> float:
    """The best score among the sentences of the first ``depth`` passages (the retrieval
    result): whether the articles answer at all is decided there, not deeper."""
    return max((c.score for c in cands if c.rank < depth), default=0.0)


def cite(chosen: list[Candidate]) -> tuple[str, list[Citation]]:
    """Quoted sentences with [n] markers, and the citations they point to."""
    citer = Citer()
    return " ".join(citer.mark(c) for c in chosen), citer.citations


def sources_block(citations: list[Citation]) -> str:
    lines = ["**Sources**"]
    for c in citations:
        where = f"{c.title} — {c.section}" if c.section else c.title
        passage = " ".join(c.text.split())
        lines.append(f"[{c.n}] {where}: \"{passage}\"")
    return "\n\n".join(lines)


def compose(question: str, triage: Triage, press: PressCheck | None,
            docs: Sequence[Document], score: SentenceScorer, threshold: float,
            max_sentences: int = 4, uncovered: Sequence[str] = (), ask: Ask | None = None,
            deeper: Sequence[Document] = ()) -> tuple[str, str, list[Citation]]:
    """The answer's Markdown, its cited body alone, and its citations.

    ``uncovered`` names terms of the question the articles never use; the answer says
    they are not covered, and ``docs`` (retrieved for the rest of the question, or none)
    answer the rest. With ``ask``, a plain question is answered by `rag.answer`, which
    may also quote the ``deeper`` passages (retrieved after ``docs``); whether there is
    an answer at all is still decided on ``docs``.
    """
    head = safety_block(triage, press)
    if triage.level == "out_of_scope":
        note = medicine_note(question, triage.message, ask.absent) if ask is not None else ""
        return "\n\n".join(p for p in (head, note) if p), note, []
    if triage.level == "emergency":
        max_sentences = 1  # one "get medical help" sentence; nothing else follows
    may_quote = lambda sentence, section, sign: allowed(  # noqa: E731
        sentence, section, triage, press, sign)
    plain = ask is not None and massage_allowed(triage, press)
    cands = candidates(question, [*docs, *deeper] if plain else docs, score, may_quote,
                       DEEP_RANK)
    if ask is not None:  # an intro, slogan or advert never stands as the answer
        cands = [c for c in cands if c.text not in ask.filler]
    best = top_score(cands, len(docs))
    if ask is not None and cands and best < threshold:  # the question wrapped in a story
        cands = by_part(question, cands, score, RANK_PENALTY, ask.far)
        best = top_score(cands, len(docs))
    uncovered = () if triage.level == "emergency" else uncovered
    citations: list[Citation] = []
    if not cands or best < threshold:
        # After a safety verdict, the safety block is the answer: no "don't cover that",
        # but a condition only the safety stage knows is said to be none of the articles'.
        body = decline_note(ask, uncovered) if massage_allowed(triage, press) \
            else unspoken_note(ask, triage.level == "emergency")
    elif ask is not None and plain:
        body, citations, _shape = answer_body(ask, question, docs, cands, score,
                                              lambda d: quotable(d, may_quote),
                                              rest=bool(uncovered))
        if uncovered:
            body = f"{not_covered(uncovered, rest_answered=True)}\n\n{body}"
    else:
        quoted, citations = cite(pick(cands, max_sentences))
        body = f"{verdict_intro(ask, uncovered, triage.level == 'emergency')} {quoted}"
    parts = [p for p in (head, body, sources_block(citations) if citations else "") if p]
    return "\n\n".join(parts), body, citations
