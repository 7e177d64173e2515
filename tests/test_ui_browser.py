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


def test_example_question_fills_the_box(desktop: Session) -> None:
    page = desktop.page
    page.get_by_text("How long should I hold pressure on a knot?").first.click()
    page.wait_for_function(
        "() => document.querySelector('#kb-question textarea').value.includes('hold pressure')")


def test_emergency_banner_comes_before_anything_else(desktop: Session) -> None:
    reply = desktop.ask(EMERGENCY_Q)
    banner = reply.locator(".kb-banner-emergency[role='alert']")
    assert banner.is_visible()
    text = reply.inner_text().strip()
    assert text.startswith(banner.inner_text().strip()[:30])
    top = banner.bounding_box()["y"]
    others = reply.locator(".kb-answer > *").all()
    assert all(el.bounding_box()["y"] >= top for el in others)
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
    assert first.locator(".kb-passage").is_visible()
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


def test_thumbs_up_writes_one_feedback_line(desktop: Session, feedback_path: Path) -> None:
    before = feedback_path.read_text().splitlines() if feedback_path.exists() else []
    reply = desktop.ask(PRESSURE_Q)
    desktop.page.fill("#kb-comment textarea", "very clear")
    reply.hover()
    desktop.page.locator("#kb-chat button[aria-label='Like']").last.click()
    desktop.page.locator("#kb-feedback-status .kb-note").wait_for()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not feedback_path.exists():
        time.sleep(0.1)
    lines = feedback_path.read_text().splitlines()[len(before):]
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) == {"timestamp", "rating", "comment", "question", "answer", "citations"}
    assert record["rating"] == "up" and record["comment"] == "very clear"
    assert record["question"] == PRESSURE_Q and record["citations"]


def test_phone_layout_and_screenshot(phone: Session) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    phone.ask(PRESSURE_Q)
    reply = phone.ask(EMERGENCY_Q)
    phone.page.wait_for_timeout(500)
    banner = reply.locator(".kb-banner-emergency")
    assert _in_chat_view(phone.page, banner), "the newest reply's safety banner is in view"
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
    _no_horizontal_scroll(desktop.page)
    desktop.page.screenshot(path=str(ARTIFACTS / "ui-1280.png"), full_page=True)
