"""Bad input never crashes the extractor (property-based)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygraph.extract import Pipeline
from policygraph.extract.normalize import normalize
from policygraph.graph import add_doc, new_dataset
from policygraph.ingest import Document
from policygraph.rdfio import serialize

PIPELINE = Pipeline()
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
POLICY_WORDS = st.sampled_from(
    ["总投资", "亿元", "项目", "签约", "位于", "经开区", "以下简称", "(", ")", "《", "》", "召开", "大会",
     "我区", "、", "等产业", "4+4", "局", "有限公司", "\n", "\n\n", " ", "7月31日", "今年", "基金"])
TEXT = st.lists(st.one_of(st.text(max_size=20), st.text(CJK, max_size=10), POLICY_WORDS),
                max_size=40).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _graph(text: str, **meta) -> bytes:
    doc = PIPELINE.run(Document("x.txt", text, **meta))
    ds = new_dataset()
    add_doc(ds, doc)
    return serialize(ds, "nquads")


@SETTINGS
@given(TEXT)
def test_random_text_builds_a_graph(text: str) -> None:
    _graph(text, published="2024-08-03", region="上虞区")


@SETTINGS
@given(st.text(st.characters(codec="utf-8", categories=["Cc", "Cs", "Zs", "Zl", "Zp", "Cf"]), max_size=60))
def test_control_characters_and_surrogates(text: str) -> None:
    _graph(text)


@SETTINGS
@given(TEXT)
def test_normalisation_offsets_stay_inside_the_original(text: str) -> None:
    norm, offsets = normalize(text)
    assert len(offsets) == len(norm) + 1
    assert all(0 <= o <= len(text) for o in offsets)
    assert offsets == sorted(offsets)


def test_very_long_line_and_empty_documents() -> None:
    _graph("总投资10亿元的某某项目签约," * 3000)
    _graph("")
    _graph("\n\n\n")
    _graph("\ud800\udfff" + "局" * 500)
