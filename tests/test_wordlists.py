"""The other languages' word frequencies read from files give wordfreq's own numbers."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import wordfreq

from rag import wordlists
from rag.safety.language import language_of


@pytest.fixture(autouse=True)
def _wordfreqs_own_afterwards() -> object:
    yield
    wordlists.uninstall()


def test_a_written_list_answers_as_wordfreqs_own_dict(tmp_path: Path) -> None:
    pack = [["de", "la"], ["été", "neck", "la"], [], ["çà", "zèbre"]]
    wordlists.write(tmp_path / "xx", pack)
    table = wordlists.Frequencies(tmp_path / "xx")
    expected = {w: wordfreq.cB_to_freq(-i) for i, bucket in enumerate(pack) for w in bucket}
    assert dict(table.items()) == expected  # "la" keeps its later bucket, as wordfreq's does
    assert "zzz" not in table and "" not in table and "ét" not in table


def test_frequencies_and_languages_are_unchanged_by_the_files(tmp_path: Path) -> None:
    langs = ["fr", "fil"]
    own = {lang: wordfreq.get_frequency_dict(lang) for lang in langs}
    wordlists.ensure(tmp_path, langs)  # in a child process, as the app and ingest do it
    for lang in langs:
        table = wordlists.Frequencies(wordlists.folder(tmp_path) / lang)
        words = random.Random(0).sample(sorted(own[lang]), 3000)
        assert len(table) == len(own[lang])
        assert all(table[w] == own[lang][w] for w in words)
        assert all((w in table) == (w in own[lang]) for w in ("knot", "nuque", "xqzt", "leeg"))
    messages = ["une question sur la nuque", "isang tanong tungkol sa leeg",
                "j'ai mal au cou depuis trois jours", "my neck hurts when i turn my head",
                "what causes knots in the shoulders"]
    before = [language_of(m) for m in messages]
    zipf = [wordfreq.zipf_frequency(w, lang) for w in ("nuque", "leeg", "neck") for lang in langs]
    wordfreq._wf_cache.clear()  # wordfreq's own cache of results, so the files are read
    assert wordlists.install(tmp_path, langs) == sorted(langs)
    assert [wordfreq.zipf_frequency(w, lang) for w in ("nuque", "leeg", "neck")
            for lang in langs] == zipf
    assert [language_of(m) for m in messages] == before == ["fr", "tl", "fr", "en", "en"]


def test_english_is_known_without_the_identifier_and_never_differently(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With the table of which common words are commoner in which language, a message
    the table settles is English without loading py3langid, and every message gets the
    language it gets without the table."""
    from rag.safety import language

    messages = ["my neck hurts when i turn my head", "is it ok to press on a knot",
                "so what is a neck knot exactly", "j'ai mal au cou depuis trois jours",
                "une question sur la nuque", "isang tanong tungkol sa leeg",
                "me duele el cuello y tengo fiebre", "ich habe nackenschmerzen seit gestern",
                "what causes knots in the shoulders", "can i massage over a bruise",
                "el nudo en mi hombro", "is de knoop in mijn nek gevaarlijk",
                "o nó no meu ombro dói", "a la la la", "sore neck sore neck ok"]
    before = [language.language_of(m) for m in messages]
    others = [lang for lang in language.LATIN if lang != "en"]
    words = sorted({w.lower() for m in messages for w in language._WORD.findall(m)}
                   - {"nackenschmerzen"})  # a word the table lacks counts against English
    table = (tuple(others), wordlists.english_masks(words, others))
    monkeypatch.setattr(wordlists, "_english_first", table)
    settled = [m for m in messages if language.english_whatever_guessed(
        [w.lower() for w in language._WORD.findall(m)])]
    assert "my neck hurts when i turn my head" in settled
    assert "is it ok to press on a knot" in settled  # "is", "a", "on" are commoner elsewhere
    assert not any(language.language_of(m) != "en" for m in settled)

    def no_identifier() -> None:
        raise AssertionError("py3langid consulted for a message the table settles")

    identifier = language._identifier
    monkeypatch.setattr(language, "_identifier", no_identifier)
    assert [language.language_of(m) for m in settled] == ["en"] * len(settled)
    monkeypatch.setattr(language, "_identifier", identifier)
    assert [language.language_of(m) for m in messages] == before
    assert before.count("en") >= 4 and {"fr", "tl", "es"} <= set(before)


def test_everyday_words_read_from_their_file_are_the_computed_ones(tmp_path: Path) -> None:
    """Retrieval mends a typo to the same words whether the list was read from the cache
    folder or computed from wordfreq; a file cut short is never used."""
    from rag.safety import normalise

    path = wordlists.folder(tmp_path) / wordlists.EVERYDAY
    wordlists.write_everyday(path)
    computed = normalise.computed_everyday_words()
    assert wordlists.read_everyday(path) == computed
    wordlists.install(tmp_path, [])
    assert normalise._everyday == computed  # read from the file, not computed again
    assert normalise.everyday_words() == computed
    wordlists.uninstall()
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:-3]) + "\n",
                    encoding="utf-8")
    assert wordlists.read_everyday(path) is None
    wordlists.install(tmp_path, [])
    assert normalise._everyday is None and normalise.everyday_words() == computed


def test_english_held_as_hashes_gives_wordfreqs_own_numbers(tmp_path: Path) -> None:
    """English, read for every word of every message, is held as hashes and buckets: the
    same frequency for every word wordfreq knows (a sample) and none for others, and the
    commonest words read from their file are the computed ones."""
    from rag.safety import normalise

    wordlists.uninstall()  # a pipeline built earlier in the session may have installed it
    own = wordfreq.get_frequency_dict("en")
    root = wordlists.folder(tmp_path)
    wordlists.write_hashed(root / wordlists.ENGLISH, wordfreq.get_frequency_list("en"))
    table = wordlists.HashedFrequencies(root / wordlists.ENGLISH)
    words = random.Random(1).sample(sorted(own), 5000)
    assert len(table) == len(own)
    assert all(table[w] == own[w] for w in words)
    assert all(w not in table for w in ("xqztknot", "neckk", "ñandúes", ""))
    with pytest.raises(KeyError):
        table["xqztknot"]
    computed = normalise.computed_english_words()
    wordlists.write_words(root / wordlists.ENGLISH_TOP, computed)
    zipf = [wordfreq.zipf_frequency(w, "en") for w in ("knot", "stiff", "xqzt", "trapezius")]
    wordfreq._wf_cache.clear()
    assert wordlists.install_english(tmp_path)
    assert wordfreq.get_frequency_dict("en") is table or isinstance(
        wordfreq.get_frequency_dict("en"), wordlists.HashedFrequencies)
    assert [wordfreq.zipf_frequency(w, "en") for w in ("knot", "stiff", "xqzt", "trapezius")] \
        == zipf
    assert normalise._english_words() == computed and normalise._english_top == computed


def test_hashed_words_that_collide_are_refused(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wordlists, "word_hash", lambda word: 7)
    with pytest.raises(ValueError, match="share a hash"):
        wordlists.write_hashed(tmp_path / "xx", [["one", "two"]])


def test_a_list_of_many_blocks_finds_every_word_and_no_other(tmp_path: Path) -> None:
    """Look-ups read one block of the file: words at the blocks' edges, before the first
    and after the last are found or missed as in wordfreq's own dict."""
    import random

    rng = random.Random(5)
    words = sorted({"".join(rng.choice("abcdeéz") for _ in range(rng.randint(1, 7)))
                    for _ in range(3000)})
    pack = [words[i::4] for i in range(4)]
    wordlists.write(tmp_path / "yy", pack)
    table = wordlists.Frequencies(tmp_path / "yy")
    assert len(table) == len(words) > 3 * wordlists.BLOCK
    expected = {w: wordfreq.cB_to_freq(-i) for i, bucket in enumerate(pack) for w in bucket}
    assert {w: table[w] for w in words} == expected
    near = [w + "q" for w in words[:400]] + [w[:-1] + "y" for w in words[-400:]] + ["", "zzzzzzzz"]
    assert [w for w in near if w in table] == [w for w in near if w in expected]
