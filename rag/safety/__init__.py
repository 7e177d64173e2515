"""Safety first: red-flag triage, the press check and the scope guard."""

from rag.safety.triage import SafetyResult, SafetyStage

__all__ = ["SafetyResult", "SafetyStage", "build_safety"]


def build_safety(settings, embeddings=None) -> SafetyStage:  # type: ignore[no-untyped-def]
    """The safety stage for these settings; the semantic layer needs the embeddings."""
    from rag.safety.lexicon import load_lexicon
    from rag.safety.normalise import english_vocabulary
    from rag.safety.semantic import SemanticLayer

    lex = load_lexicon()
    # Empty for a model folder with no vocab.txt: typo fixes then only use the lexicon.
    vocabulary = english_vocabulary(settings.model_path())
    semantic = None
    if embeddings is not None and settings.semantic_triage:
        semantic = SemanticLayer(_examples_cached(settings, embeddings),
                                 settings.semantic_flag_threshold,
                                 settings.semantic_scope_threshold)
    return SafetyStage(lex.normaliser(vocabulary), vocabulary, semantic, lex,
                       learned_layer(settings, embeddings, lex))


def learned_layer(settings, embeddings, lex):  # type: ignore[no-untyped-def]
    """The learned head over these embeddings, or None (switched off, or no head file)."""
    from rag.safety.crisis import load_crisis
    from rag.safety.learned import LearnedLayer, load_head

    head = load_head() if embeddings is not None and settings.learned_triage else None
    if head is None:
        return None
    return LearnedLayer(head, embeddings.embed_documents,
                        {c.id: c.level for c in lex.classes},
                        crisis=load_crisis(cache_dir=settings.cache_dir)
                        if settings.crisis_head else None,
                        lower=getattr(embeddings, "lower_states", None))


def _examples_cached(settings, embeddings):  # type: ignore[no-untyped-def]
    """The model, with the examples' vectors kept in the cache folder between starts."""
    from rag.onnx_encoder import export_key
    from rag.vector_cache import DiskCachedEmbeddings

    key = f"{export_key(settings.model_path())}|{settings.embedding_backend}"
    return DiskCachedEmbeddings(embeddings, settings.cache_dir / "examples", key)
