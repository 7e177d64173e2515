"""Words English never uses as a noun, only as a verb or (also) as an adverb: no subject.

"The articles don't mention "kindly"", or "seem", "alone", "realistically": the check for
what a question asks about that the articles never write (`rag.answer.subject`) took any
word the articles lack for a subject. A subject is a thing, so a word that is never a noun
and is a verb only or may be an adverb ("seem", "twice", "kindly", "alone") is none. An
adjective may carry one ("pregnant", "genetic") and stays; so does an -ing form, which
names an activity ("does drinking make knots worse?"), and a word no dictionary knows (a
product's name, a typo, another language's word). The dictionary lacks some nouns'
readings ("abscess" is a verb only there), so a word the question itself puts after an
article or a possessive is a noun whatever the list says (`subject.used_as_noun`).

Which words those are comes from lemminflect's dictionary (every reading of a word, by
part of speech), over wordfreq's commonest English words, written once to a small file
that ships with the package: lemminflect's tables cost 33 MB in memory, the file about
0.1 MB. Rebuild it with ``python -m rag.answer.wordclass`` (needs the dev extra).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FILE = Path(__file__).parent / "data" / "not_nouns.txt"
WORDS = 60_000  # wordfreq's commonest English words looked at
HEADER = ("# Never a noun, a verb only or also an adverb (lemminflect 0.2.3 over wordfreq's "
          "commonest English words);")


@lru_cache(maxsize=1)
def not_nouns() -> frozenset[str]:
    """Words with a reading in the dictionary, none of them a noun, one of them an adverb
    or all of them a verb; no -ing form."""
    if not FILE.exists():
        return frozenset()
    return frozenset(line.strip() for line in FILE.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


def build(path: Path = FILE) -> int:
    """Write the list; returns how many words it holds."""
    import lemminflect
    from wordfreq import top_n_list

    words = sorted({w for w in top_n_list("en", WORDS) if w.isalpha() and w.isascii()
                    and len(w) >= 3 and not w.endswith("ing")
                    and (readings := lemminflect.getAllLemmas(w)) and "NOUN" not in readings
                    and "PROPN" not in readings
                    and ("ADV" in readings or set(readings) <= {"VERB", "AUX"})})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{HEADER} rebuilt by python -m rag.answer.wordclass\n"
                    + "\n".join(words) + "\n", encoding="utf-8")
    return len(words)


if __name__ == "__main__":
    print(build())
