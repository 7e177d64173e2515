"""A quote under a safety verdict fits the reason given, or is left out (issue 14, item 5)."""

from __future__ import annotations

from rag.quotefit import fits_reasons, keeps_away, spelt_out

MENINGITIS = ("fever or feeling very unwell together with a stiff neck, headache, light "
              "sensitivity, vomiting, drowsiness or a rash (possible meningitis)")
THINNERS = ("you mention a condition where pressure can do harm (blood thinners, a bleeding "
            "disorder, a blood clot, severe osteoporosis, recent surgery, a fracture, a wound, "
            "infection or tumour, pregnancy): ask your doctor before any pressure")
NERVE = "These symptoms may indicate nerve irritation and require professional evaluation."
FRONT = ("Never apply deep or sustained pressure directly on the front or sides of the neck, "
         "as this area contains major blood vessels like the carotid arteries.")


def test_a_quote_must_share_a_telling_word_with_the_reason() -> None:
    assert not fits_reasons(NERVE, [MENINGITIS])
    assert not fits_reasons(FRONT, [THINNERS])
    assert fits_reasons("Stop if you feel numbness or tingling in your arms.",
                        ["numbness, tingling, pins and needles (nerve irritation)"])
    assert fits_reasons("A bleeding disorder needs a doctor's advice first.", [THINNERS])
    assert fits_reasons(NERVE, [])  # no reason given: nothing to fit


def test_a_general_quote_fits_but_one_about_another_sign_does_not() -> None:
    general = ("These signs suggest the issue may be more complex than simple muscle "
               "tension and require a proper diagnosis.")
    weakness = "weakness, lost grip or dropping things (nerve or spinal cord irritation)"
    assert fits_reasons(general, [MENINGITIS]) and fits_reasons(general, [weakness])
    assert fits_reasons(NERVE, [weakness])
    assert not fits_reasons("Stop if you feel numbness or tingling in your arms.", [MENINGITIS])


def test_under_the_meningitis_banner_no_nerve_quote(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("I have a fever and a stiff neck, how do I massage it?")
    assert ans.triage.level == "emergency"
    assert "nerve irritation" not in ans.body


def test_under_blood_thinners_no_quote_about_the_front_of_the_neck(pipeline) -> None:  # type: ignore[no-untyped-def]
    ans = pipeline.answer("I take blood thinners, can I press my knot?")
    assert ans.press_check is not None and ans.press_check.verdict == "do_not_press"
    assert "front" not in ans.body.lower() and "carotid" not in ans.body.lower()


def test_a_reason_naming_only_its_class_is_read_with_the_class_s_own_reason() -> None:
    """The learned layer's reason names the class ("(meningitis)"); the class's signs are
    what a quote may share with it."""
    named = "this sounds like a warning sign (meningitis)"
    assert fits_reasons("Severe neck stiffness alongside a fever.", [named])
    assert not fits_reasons("Stop if you feel numbness or tingling in your arms.", [named])
    assert spelt_out("my own words (no such class)") == "my own words (no such class)"


def test_a_sentence_keeps_away_from_the_place_a_press_reason_forbids() -> None:
    spine = "never press on the bones of the spine: press on the muscle beside them"
    front = "the front and sides of the neck hold the carotid arteries: never press there"
    away = "With a ball, lean slightly away from the spinal bones and onto the muscle."
    assert keeps_away(away, [spine])
    assert not keeps_away(away, [front])  # away from another place than the one forbidden
    # Sharing a word with the reason is not keeping away from it.
    assert not keeps_away("Use your hand to press gently on the side you stretch.", [front])
