"""Chroma at the edge: connect (embedded or server), and the atomic active-index pointer.

Every ingest writes a brand-new collection and only then moves a small pointer to
it, so a query never sees a half-written index, even after kill -9.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rag.errors import IndexDamagedError, IndexMissingError, ModelMismatchError, StoreError
from rag.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection


@dataclass(frozen=True)
class IndexInfo:
    name: str
    embedding_model: str
    chunk_spec: str
    manifest: dict[str, str]
    chunks: int


def where(settings: Settings) -> str:
    if settings.chroma_host:
        return f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
    return str(settings.data_dir / "chroma")


def connect(settings: Settings, http_timeout: float | None = None) -> ClientAPI:
    """A client for the store. A Chroma server's HTTP calls time out after
    ``http_timeout`` seconds (default KNOTBOT_STORE_TIMEOUT): a hung server must not hold
    a thread for ever."""
    from rag.chroma_import import import_chromadb

    chromadb = import_chromadb()
    from chromadb.config import Settings as ChromaSettings

    from rag.chroma_import import unchecked_overrides

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        # The first client imports its API's classes (chromadb.api.rust, .fastapi).
        with unchecked_overrides():
            if settings.chroma_host:
                client = chromadb.HttpClient(host=settings.chroma_host,
                                             port=settings.chroma_port,
                                             settings=chroma_settings)
            else:
                settings.data_dir.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(settings.data_dir / "chroma"),
                                                   settings=chroma_settings)
        if settings.chroma_host:
            _bound_http(client, http_timeout or settings.store_timeout)
            client.heartbeat()
        return client
    except Exception as exc:
        if settings.chroma_host:
            raise StoreError(
                f"cannot open {where(settings)} ({type(exc).__name__}): check that it is "
                "running and KNOTBOT_CHROMA_HOST/KNOTBOT_CHROMA_PORT are right") from exc
        forget(settings)
        raise StoreError(
            f"cannot open the index in {where(settings)} ({type(exc).__name__}: "
            f"{str(exc)[:120]}): run `knotbot ingest`, which moves a broken store aside "
            "and rebuilds it from the articles") from exc


def forget(settings: Settings) -> None:
    """Drop Chroma's cached client for the embedded store: one that failed to start stays
    cached and broken, so the next try (after `knotbot ingest` repaired it) must not
    reuse it."""
    from chromadb.api.shared_system_client import SharedSystemClient

    path = str(settings.data_dir / "chroma")
    SharedSystemClient._identifier_to_system.pop(path, None)
    SharedSystemClient._identifier_to_refcount.pop(path, None)


def _bound_http(client: Any, seconds: float) -> None:
    """Chroma's HTTP client waits for ever by default (httpx timeout=None)."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(seconds)


def is_unreachable(err: BaseException) -> bool:
    """A store that is down or hung (not one that answered with an error)."""
    import httpx

    return isinstance(err, StoreError | httpx.TransportError | ConnectionError | TimeoutError)


def pointer_name(settings: Settings) -> str:
    return f"{settings.collection_prefix}__active"


def _get(client: ClientAPI, name: str) -> Collection | None:
    try:
        return client.get_collection(name, embedding_function=None)
    except Exception:
        return None


def active_info(client: ClientAPI, settings: Settings) -> IndexInfo | None:
    pointer = _get(client, pointer_name(settings))
    name = (pointer.metadata or {}).get("active") if pointer else None
    col = _get(client, str(name)) if name else None
    if col is None:
        return None
    meta: dict[str, Any] = dict(col.metadata or {})
    return IndexInfo(
        name=col.name,
        embedding_model=str(meta.get("embedding_model", "")),
        chunk_spec=str(meta.get("chunk_spec", "")),
        manifest=json.loads(str(meta.get("manifest", "{}"))),
        chunks=col.count(),
    )


def open_active(client: ClientAPI, settings: Settings) -> tuple[Collection, IndexInfo]:
    """The collection queries should use; raises if none or built with another model."""
    info = active_info(client, settings)
    if info is None:
        raise IndexMissingError(where(settings))
    if info.embedding_model != settings.embedding_model:
        raise ModelMismatchError(info.embedding_model, settings.embedding_model)
    col = _get(client, info.name)
    assert col is not None
    return col, info


def check_version(col: Collection, name: str) -> None:
    """Read the version's record and search its vectors once; IndexDamagedError if either
    fails (a deleted or truncated vector folder shows up here, not at a person's question).
    """
    import numpy as np

    try:
        count = col.count()
        if count:
            first: Any = col.get(limit=1, include=["embeddings"])["embeddings"]
            col.query(query_embeddings=np.asarray(first[:1], dtype=np.float32),
                      n_results=min(count, 4), include=[])
    except Exception as err:
        if is_unreachable(err):
            raise
        raise IndexDamagedError(name, f"{type(err).__name__}: {str(err)[:160]}") from err


def create_version(client: ClientAPI, name: str, metadata: dict[str, str]) -> Collection:
    return client.create_collection(
        name,
        configuration={"hnsw": {"space": "cosine"}},
        metadata=metadata,
        embedding_function=None,
    )


def activate(client: ClientAPI, settings: Settings, name: str) -> None:
    """Move the pointer: one small metadata write, the commit point of an ingest."""
    pointer = client.get_or_create_collection(pointer_name(settings), embedding_function=None)
    pointer.modify(metadata={"active": name})


def drop_stale(client: ClientAPI, settings: Settings, keep: set[str]) -> None:
    """Remove every version but ``keep``: old ones and leftovers of killed ingests.

    An app still answering from a dropped version goes on working: it searches that
    version's vectors in memory until it has loaded the new one (rag.live). Chroma may
    leave a dropped version's vector folder on disk; rag.repair.collect_garbage removes it.
    """
    prefix = f"{settings.collection_prefix}_v"
    for col in client.list_collections():
        name = col if isinstance(col, str) else col.name
        if name.startswith(prefix) and name not in keep:
            client.delete_collection(name)
