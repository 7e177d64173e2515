"""Drive the real app in Chromium: what a person sees on a phone and on a desktop.

The assertions are about visible behaviour, so they hold for the real pipeline too:
switch the ``ui_pipeline`` fixture to it when it exists.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
HOSTILE = "<img src=x onerror=alert(1)>"
EMERGENCY_Q = "I have a fever and a stiff neck, how do I massage it?"
PRESSURE_Q = "how long should I hold pressure on a knot?"
BOT = "#kb-chat [data-testid='bot']"
USER = "#kb-chat [data-testid='user']"
REPLY_DONE = ".kb-answer.kb-done, .kb-note"  # the finished answer, or a friendly note
TIMEOUT_MS = 60_000
FRONT_OF_NECK = re.compile(r"front of (the )?neck", re.IGNORECASE)
WIDTH = {"phone": 390, "desktop": 1280}
LONG_RED_FLAG = (("My neck and shoulders have been sore for weeks and I sit at a desk all day. "
                  * 64) + "Since yesterday I have a fever and a stiff neck. "
                 + "I also sleep badly and wonder about pillows. " * 4)


@pytest.fixture(scope="module")
def ui_pipeline(pipeline: Any) -> Any:
    """The real answer chain over the real index and model."""
    return pipeline


@pytest.fixture(scope="module")
def feedback_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ui") / "feedback.jsonl"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(ui_pipeline: Any, feedback_path: Path) -> Iterator[str]:
    """The real app, launched on 127.0.0.1 at a free port, closed at teardown."""
    previous = os.environ.get("GRADIO_ANALYTICS_ENABLED")
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    from ui.app import build_app

    app = build_app(ui_pipeline, feedback_file=feedback_path)
    port = _free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()
        if previous is None:
            os.environ.pop("GRADIO_ANALYTICS_ENABLED", None)
        else:
            os.environ["GRADIO_ANALYTICS_ENABLED"] = previous


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    """Chromium, started after the app: gradio must not pick up playwright's event loop."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _is_external(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in {"http", "https", "ws", "wss"} and parsed.hostname not in {
        "127.0.0.1", "localhost"}


class Session:
    """One browser tab on the app, recording dialogs and any attempt to leave the machine."""

    def __init__(self, browser: Any, url: str, width: int, height: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.dialogs: list[str] = []
        self.external: list[str] = []
        self.page = self.context.new_page()
        # Watched, not intercepted: any playwright route() stalls gradio's event stream.
        self.page.on("request", self._request)
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("dialog", self._dialog)
        self.page.goto(url)
        self.page.wait_for_selector("#kb-question textarea")

    def _request(self, request: Any) -> None:
        if _is_external(request.url):
            self.external.append(request.url)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def ask(self, question: str) -> Any:
        """Type a question, send it, and return the finished reply's element."""
        before = self.page.locator(BOT).count()
        self.page.fill("#kb-question textarea", question)
        self.page.click("#kb-send")
        reply = self.page.locator(BOT).nth(before)
        reply.locator(REPLY_DONE).first.wait_for()
        return reply

    def open_tab(self, name: str) -> None:
        self.page.get_by_role("tab", name=name).click()


@pytest.fixture
def desktop(browser: Any, server: str) -> Iterator[Session]:
    session = Session(browser, server, 1280, 900)
    yield session
    assert session.external == [], "the app tried to reach the internet"
    session.context.close()


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Session]:
    session = Session(browser, server, 390, 844)
    yield session
    assert session.external == [], "the app tried to reach the internet"
    session.context.close()


def _in_chat_view(page: Any, element: Any) -> bool:
    """Whether the element's top is inside the visible part of the chat."""
    chat = page.locator("#kb-chat").bounding_box()
    top = element.bounding_box()["y"]
    return bool(chat["y"] - 1 <= top < chat["y"] + chat["height"] - 20)


def _in_window(page: Any, element: Any) -> bool:
    """Whether the element's top is inside the browser window (no scrolling needed)."""
    box = element.bounding_box()
    height = page.evaluate("window.innerHeight")
    return bool(box is not None and 0 <= box["y"] < height - 30)


def _no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport + 1, f"page is {width}px wide in a {viewport}px window"


def test_standing_note_is_always_visible(desktop: Session) -> None:
    note = desktop.page.locator(".kb-standing")
    assert note.is_visible()
    assert "not a diagnosis" in note.inner_text()
    desktop.open_tab("When should I see a doctor?")
    assert note.is_visible()


def test_a_red_flag_in_french_shows_the_emergency_signs_and_the_page_says_english_only(
        desktop: Session) -> None:
    assert "English only" in desktop.page.locator(".kb-standing").inner_text()
    reply = desktop.ask("J'ai une forte fièvre et la nuque si raide que je ne peux plus "
                        "baisser la tête. Comment masser le nœud ?")
    assert reply.locator(".kb-banner-emergency[role='alert']").is_visible()
    text = reply.inner_text()
    assert "Knotbot ne lit que l'anglais" in text and "appelez tout de suite" in text
    assert "Knotbot reads only English" in text
    assert "Outside what Knotbot covers" not in text
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.page.screenshot(path=str(ARTIFACTS / "french-red-flag-1280.png"))


def test_thoughts_of_self_harm_get_the_crisis_line_first_and_no_quotes(
        desktop: Session) -> None:
    reply = desktop.ask("honestly I keep thinking about ending my life. my neck is in knots "
                        "too, what helps?")
    banner = reply.locator(".kb-banner-emergency[role='alert']")
    assert banner.is_visible()
    text = banner.inner_text()
    assert "116 123" in text and "988" in text and "911, 999, 112" in text
    assert reply.locator(".kb-source").count() == 0, "no knot article is quoted"
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.page.screenshot(path=str(ARTIFACTS / "crisis-1280.png"))


def test_example_question_is_sent(desktop: Session) -> None:
    page = desktop.page
    example = "How long should I hold pressure on a knot?"
    page.get_by_role("button", name=example).click()
    page.locator(BOT).first.locator(REPLY_DONE).first.wait_for()
    assert page.locator(USER).first.inner_text().strip() == example
    assert page.locator(BOT).first.locator(".kb-source").count() >= 1


def test_emergency_banner_comes_before_anything_else(desktop: Session) -> None:
    reply = desktop.ask(EMERGENCY_Q)
    banner = reply.locator(".kb-banner-emergency[role='alert']")
    assert banner.is_visible()
    text = reply.inner_text().strip()
    assert text.startswith(banner.inner_text().strip()[:30])
    top = banner.bounding_box()["y"]
    others = reply.locator(".kb-answer > *").all()
    assert all(el.bounding_box()["y"] >= top for el in others)
    assert "nerve irritation" not in text, "a quote under the banner fits its reason"
    rgb = [int(v) for v in re.findall(r"\d+", banner.evaluate(
        "el => getComputedStyle(el).backgroundColor"))[:3]]
    assert rgb[0] > 150 and rgb[1] < 90 and rgb[2] < 90, f"banner is not red: {rgb}"


def test_pressure_answer_has_markers_and_cited_passages(desktop: Session) -> None:
    reply = desktop.ask(PRESSURE_Q)
    body = reply.locator(".kb-text").inner_text()
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    assert markers, "the answer has no [n] markers"
    sources = reply.locator(".kb-source")
    assert sources.count() >= 1
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", " ".join(
        reply.locator(".kb-source-n").all_inner_texts()))}
    assert markers <= numbers, "every [n] in the text has its source listed"
    first = sources.first
    assert first.locator(".kb-source-title").inner_text().strip()
    assert first.locator(".kb-passage-brief").is_visible()  # the whole passage is a click away
    marks = reply.locator(".kb-passage mark")
    assert marks.count() >= 1 and marks.first.inner_text().strip()


def test_push_checker_front_of_neck_says_do_not_press(desktop: Session) -> None:
    page = desktop.page
    desktop.open_tab("Should I push on this knot?")
    page.locator("#kb-loc label").filter(has_text=FRONT_OF_NECK).first.click()
    page.locator("#kb-feel label").first.click()
    page.click("#kb-press-check")
    verdict = page.locator("#kb-press-result .kb-press")
    verdict.wait_for()
    assert "Do not press" in verdict.inner_text()
    reasons = verdict.locator(".kb-press-reasons li").all_inner_texts()
    assert reasons and all(r[:1].isupper() for r in reasons), reasons


def test_warning_signs_give_a_level_and_next_step(desktop: Session) -> None:
    page = desktop.page
    desktop.open_tab("When should I see a doctor?")
    page.locator("#kb-signs label").first.click()
    page.click("#kb-signs-check")
    result = page.locator("#kb-signs-result .kb-answer")
    result.wait_for()
    assert result.inner_text().strip()


def test_hostile_input_is_shown_as_text(desktop: Session) -> None:
    desktop.ask(HOSTILE)
    page = desktop.page
    assert page.locator(USER).last.inner_text().strip() == HOSTILE
    page.wait_for_timeout(500)
    assert page.locator("#kb-chat img[src='x']").count() == 0
    assert desktop.dialogs == []


def test_empty_and_too_long_input_add_nothing(desktop: Session) -> None:
    page = desktop.page
    page.fill("#kb-question textarea", "   ")
    page.click("#kb-send")
    page.wait_for_timeout(1500)  # a click while an event is pending is dropped by gradio
    assert page.locator(USER).count() == 0
    page.fill("#kb-question textarea", "x" * 2001)
    page.click("#kb-send")
    page.locator("#kb-notice .kb-note").wait_for()
    assert "2,000" in page.locator("#kb-notice").inner_text()
    assert page.locator(USER).count() == 0


def _records(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _wait_for(check: Any, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not check():
        time.sleep(0.1)


def test_thumbs_up_writes_one_feedback_line(desktop: Session, feedback_path: Path) -> None:
    before = len(_records(feedback_path))
    reply = desktop.ask(PRESSURE_Q)
    reply.hover()
    desktop.page.locator("#kb-chat button[aria-label='Like']").last.click()
    desktop.page.locator("#kb-feedback-status .kb-note").wait_for()
    _wait_for(lambda: len(_records(feedback_path)) > before)
    records = _records(feedback_path)[before:]
    assert len(records) == 1
    record = records[0]
    assert set(record) == {"id", "timestamp", "rating", "comment", "question", "answer",
                           "citations"}
    assert record["rating"] == "up" and record["question"] == PRESSURE_Q and record["citations"]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_comment_after_the_thumb_is_saved_with_that_answer(
        request: pytest.FixtureRequest, size: str, feedback_path: Path) -> None:
    session: Session = request.getfixturevalue(size)
    page = session.page
    first_q, second_q = PRESSURE_Q, "Can I use a tennis ball on a knot?"
    session.ask(first_q)
    session.ask(second_q)
    likes = page.locator("#kb-chat button[aria-label='Like']")
    box = likes.first.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, f"thumb is {box}"
    likes.first.click()  # thumb first, comment after: the natural order
    status = page.locator("#kb-feedback-status .kb-note")
    status.wait_for()
    assert first_q in status.inner_text()
    assert _in_window(page, status), "the thank-you is in view"
    page.fill("#kb-comment textarea", f"first answer was clear ({size})")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"feedback-{WIDTH[size]}.png"))
    # rating the second answer must not carry the first answer's comment over
    page.locator("#kb-chat button[aria-label='Dislike']").nth(1).click()
    page.wait_for_function("() => document.querySelector('#kb-feedback-status')"
                           ".innerText.includes('not helpful')")
    page.fill("#kb-comment textarea", f"second answer missed the ball size ({size})")
    page.click("#kb-comment-save")
    page.wait_for_function("() => document.querySelector('#kb-feedback-status')"
                           ".innerText.includes('comment was saved')")
    _wait_for(lambda: any(size in r["comment"] and "second" in r["comment"]
                          for r in _records(feedback_path)))
    mine = {r["question"]: r for r in _records(feedback_path) if size in r["comment"]}
    assert mine[first_q]["comment"] == f"first answer was clear ({size})"
    assert mine[first_q]["rating"] == "up"
    assert mine[second_q]["comment"] == f"second answer missed the ball size ({size})"
    assert mine[second_q]["rating"] == "down"
    # un-clicking a thumb takes its record away
    page.locator("#kb-chat button[aria-label='Liked']").first.click()
    page.wait_for_function("() => document.querySelector('#kb-feedback-status')"
                           ".innerText.includes('removed')")
    _wait_for(lambda: not any(r["comment"] == f"first answer was clear ({size})"
                              for r in _records(feedback_path)))
    assert not any(r["comment"] == f"first answer was clear ({size})"
                   for r in _records(feedback_path))
    privacy = page.locator(".kb-privacy").inner_text()
    assert "only in this browser" in privacy and "feedback file" in privacy


def test_phone_layout_and_screenshot(phone: Session) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    phone.ask(PRESSURE_Q)
    reply = phone.ask(EMERGENCY_Q)
    phone.page.wait_for_timeout(500)
    banner = reply.locator(".kb-banner-emergency")
    assert _in_chat_view(phone.page, banner), "the newest reply's safety banner is in view"
    assert _in_window(phone.page, reply.locator(".kb-banner-title")), "its headline too"
    assert phone.page.get_by_role("tab", name="When should I see a doctor?").is_visible()
    _no_horizontal_scroll(phone.page)
    assert phone.page.locator("#kb-send").is_visible()
    phone.page.screenshot(path=str(ARTIFACTS / "ui-390.png"), full_page=True)


def test_desktop_screenshot(desktop: Session) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.ask(PRESSURE_Q)
    reply = desktop.ask(EMERGENCY_Q)
    desktop.page.wait_for_timeout(500)
    assert _in_chat_view(desktop.page, reply.locator(".kb-banner-emergency"))
    assert _in_window(desktop.page, reply.locator(".kb-banner-title"))
    _no_horizontal_scroll(desktop.page)
    desktop.page.screenshot(path=str(ARTIFACTS / "ui-1280.png"), full_page=True)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_long_message_with_a_red_flag_shows_the_emergency_in_view(
        request: pytest.FixtureRequest, size: str) -> None:
    session: Session = request.getfixturevalue(size)
    page = session.page
    assert len(LONG_RED_FLAG) > 5000
    session.ask(PRESSURE_Q)  # not the first message: the chat has something to scroll past
    before = page.locator(BOT).count()
    page.fill("#kb-question textarea", LONG_RED_FLAG)
    page.click("#kb-send")
    banner = page.locator(BOT).nth(before).locator(".kb-banner-emergency")
    banner.wait_for()
    page.wait_for_timeout(800)
    assert _in_window(page, banner), f"banner at {banner.bounding_box()}"
    assert _in_chat_view(page, banner)
    notice = page.locator("#kb-notice").inner_text()
    assert "shorten" not in notice.lower() and "warning sign" in notice
    reply = page.locator(BOT).nth(before).inner_text()
    assert "under 2,000" not in reply, "nothing advises cutting the text with the warning sign"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"long-red-flag-{WIDTH[size]}.png"))


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_first_screen_shows_what_knotbot_is(request: pytest.FixtureRequest,
                                                size: str) -> None:
    session: Session = request.getfixturevalue(size)
    page = session.page
    page.wait_for_timeout(1500)  # an autofocus used to scroll the page about a second in
    assert page.evaluate("window.scrollY") == 0
    height = page.evaluate("window.innerHeight")
    for element in (page.locator("#kb-header h1"), page.locator("#kb-header p"),
                    page.locator(".kb-standing"),
                    page.get_by_role("tab", name="When should I see a doctor?")):
        box = element.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= height, box
    box = page.get_by_role("textbox", name="Your question")
    assert box.count() == 1, "the question box is named for screen readers"
    cut = page.evaluate("""() => {
        const area = document.querySelector('#kb-question textarea');
        const style = getComputedStyle(area);
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = area.clientWidth - parseFloat(style.paddingLeft)
                     - parseFloat(style.paddingRight);
        return ctx.measureText(area.placeholder).width > room * area.rows;
    }""")
    assert not cut, "the placeholder fits its box"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"first-screen-{WIDTH[size]}.png"))


def test_a_raised_level_is_explained_and_a_new_conversation_resets_it(desktop: Session) -> None:
    page = desktop.page
    desktop.ask(EMERGENCY_Q)
    reply = desktop.ask("what causes knots in general?")
    banner = reply.locator(".kb-banner-emergency")
    assert "Earlier in this conversation you mentioned" in banner.inner_text()
    assert not page.locator("#kb-chat button[aria-label='Clear']").is_visible(), \
        "no trash icon that clears without asking"
    page.click("#kb-new")
    confirm = page.locator("#kb-new-confirm")
    confirm.wait_for()
    assert "Clear this conversation" in confirm.inner_text()
    assert page.locator(USER).count() == 2, "nothing is cleared before the person confirms"
    page.click("#kb-new-yes")
    page.wait_for_function("() => !document.querySelector('#kb-chat [data-testid=\"user\"]')")
    reply = desktop.ask("what causes knots in general?")
    assert reply.locator(".kb-banner-emergency").count() == 0
    assert "Earlier in this conversation" not in reply.inner_text()


def test_the_conversation_survives_a_reload_until_cleared(desktop: Session) -> None:
    page = desktop.page
    desktop.ask(PRESSURE_Q)
    page.reload()
    page.locator(USER).first.wait_for()
    assert page.locator(USER).first.inner_text().strip() == PRESSURE_Q
    page.wait_for_timeout(500)
    assert page.evaluate("window.scrollY") == 0, "a restored chat leaves the first screen be"
    assert page.locator(BOT).first.locator(".kb-source").count() >= 1
    page.click("#kb-new")
    page.click("#kb-new-yes")
    page.wait_for_function("() => !document.querySelector('#kb-chat [data-testid=\"user\"]')")
    page.wait_for_timeout(500)
    page.reload()
    page.wait_for_selector("#kb-question textarea")
    page.wait_for_timeout(1500)
    assert page.locator(USER).count() == 0


def test_a_marker_jumps_to_its_source_and_the_passage_is_one_click_away(
        desktop: Session) -> None:
    page = desktop.page
    reply = desktop.ask(PRESSURE_Q)
    link = reply.locator(".kb-text a.kb-ref").first
    target = link.get_attribute("href")
    assert target and target.startswith("#kb-src-")
    source = reply.locator(target)
    assert source.count() == 1
    link.click()
    page.wait_for_timeout(500)
    assert _in_chat_view(page, source)
    passage = source.locator("details blockquote")
    assert not passage.is_visible()
    source.locator("summary").click()
    assert passage.is_visible() and passage.locator("mark").count() >= 1


def test_the_doctor_checker_with_nothing_ticked_gives_a_verdict(desktop: Session) -> None:
    page = desktop.page
    desktop.open_tab("When should I see a doctor?")
    page.click("#kb-signs-check")
    result = page.locator("#kb-signs-result .kb-press-verdict")
    result.wait_for()
    assert "No warning signs ticked" in result.inner_text()
    text = page.locator("#kb-signs-result").inner_text()
    assert "What would change this" in text and "more complex" not in text


def test_arrow_keys_move_between_tabs(desktop: Session) -> None:
    page = desktop.page
    page.get_by_role("tab", name="Chat").focus()
    page.keyboard.press("ArrowRight")
    pushed = page.get_by_role("tab", name="Should I push on this knot?")
    assert pushed.get_attribute("aria-selected") == "true"
    assert page.evaluate("document.activeElement.textContent").strip() == \
        "Should I push on this knot?"
    page.keyboard.press("ArrowLeft")
    assert page.get_by_role("tab", name="Chat").get_attribute("aria-selected") == "true"


def test_the_character_counter_warns_before_the_limit(desktop: Session) -> None:
    page = desktop.page
    page.fill("#kb-question textarea", "x" * 2100)
    counter = page.locator("#kb-counter")
    page.wait_for_function("() => document.querySelector('#kb-counter').innerText"
                           ".includes('2,100')")
    assert "2,100 / 2,000" in counter.inner_text()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_axe_finds_no_serious_problems_on_any_tab(request: pytest.FixtureRequest,
                                                  size: str) -> None:
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright",
                                   reason="pip install axe-playwright-python")
    session: Session = request.getfixturevalue(size)
    page = session.page
    reply = session.ask(EMERGENCY_Q)
    page.locator("#kb-chat button[aria-label='Like']").last.click()  # open the comment box
    page.locator("#kb-comment textarea").wait_for()
    page.click("#kb-new")  # and the confirmation, so every control is checked
    page.locator("#kb-new-confirm").wait_for()
    assert reply.locator(".kb-banner-emergency").count() == 1
    axe = axe_sync.Axe()
    found: list[str] = []
    for tab in ("Chat", "Should I push on this knot?", "When should I see a doctor?"):
        session.open_tab(tab)
        page.wait_for_timeout(300)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                nodes = [n["target"] for n in violation["nodes"]][:3]
                found.append(f"{tab}: {violation['id']} ({violation['impact']}) {nodes}")
    assert found == []


@pytest.mark.parametrize(("question", "name", "seen"), [
    ("how do I get rid of a knot in my neck?", "answer-get-rid", "Apply Heat/Ice"),
    ("how long should I hold the pressure?", "answer-hold-pressure", "30 to 90 seconds"),
    ("is a standing desk good for neck knots?", "answer-standing-desk", "don't mention"),
])
def test_answers_are_shaped_like_the_question(desktop: Session, question: str, name: str,
                                              seen: str) -> None:
    reply = desktop.ask(question)
    text = reply.locator(".kb-text").inner_text()
    assert seen in text, text
    if name == "answer-get-rid":  # the article's list of ways, shown as a list
        assert reply.locator(".kb-text li").count() >= 3
    reply.scroll_into_view_if_needed()
    reply.screenshot(path=str(ARTIFACTS / f"{name}-1280.png"))
