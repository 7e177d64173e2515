"""The few errors Knotbot raises; each message says what to do next."""


class KnotbotError(Exception):
    """Base class: the CLI and UI show ``str(err)`` as one line, never a traceback."""


class CorpusError(KnotbotError):
    """The corpus folder is missing, empty or unreadable."""


class IndexMissingError(KnotbotError):
    """No index has been built yet."""

    def __init__(self, where: str) -> None:
        super().__init__(f"no Knotbot index found in {where}: run `knotbot ingest` first")


class ModelMismatchError(KnotbotError):
    """The index was built with another embedding model."""

    def __init__(self, built_with: str, configured: str) -> None:
        super().__init__(
            f"the index was built with the embedding model {built_with!r} but "
            f"{configured!r} is configured: run `knotbot ingest --rebuild`"
        )


class ModelError(KnotbotError):
    """The embedding model cannot be loaded."""


class StoreError(KnotbotError):
    """The Chroma store cannot be reached."""


class StoreTimeout(StoreError):
    """A call to the store took longer than KNOTBOT_STORE_TIMEOUT."""

    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(
            f"the article store did not answer within {seconds:g} s ({what}): check that "
            "the Chroma server is running and responsive, or raise KNOTBOT_STORE_TIMEOUT"
        )


class IndexDamagedError(KnotbotError):
    """The active index version is unreadable (its record or its vector files)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(
            f"the index version {name} is damaged ({reason}): run `knotbot ingest` to repair it"
        )


class QuestionError(KnotbotError):
    """A question that cannot be answered as typed (empty, too long, not text)."""
