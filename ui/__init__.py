"""The Knotbot web app. Gradio is imported without its stub writer (`ui.stubs`)."""

from ui.stubs import skip_stub_writing

skip_stub_writing()
