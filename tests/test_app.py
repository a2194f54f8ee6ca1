"""The Streamlit page, headless (streamlit.testing AppTest): chat with citations, table view, CSV, upload, injection."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.records import Cell, Check, Citation
from ui.check_view import checks_html, summary
from ui.citations import cell_html, paragraph_html
from ui.safe import esc, highlight, md_escape
from ui.staff.passwords import hash_password
from ui.staff.upload import safe_name
from ui.table_view import header_rows, table_csv, table_html

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
APP = str(ROOT / "app.py")
TIMEOUT = 120  # the first run loads the embedder and the answerer
SCRIPT = "<script>alert('xss')</script>"
LINK = "[点击领奖](javascript:alert(1))"
STAFF_PASSWORD = "app test staff password"
STAFF_HASH = hash_password(STAFF_PASSWORD, n=2**10)


# ---- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_db(sample_db: Path, tmp_path_factory) -> Iterator[Path]:
    """A private copy of the session's ingested samples (uploads here do not leak into other tests)."""
    folder = tmp_path_factory.mktemp("appdb") / "db"
    shutil.copytree(sample_db, folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORTS_DB", str(folder))
        mp.setenv("LLM_PROVIDER", "")
        mp.setenv("STAFF_PASSWORD_HASH", STAFF_HASH)  # uploads need a signed-in staff member (tests/test_staff.py)
        mp.delenv("DATABASE_URL", raising=False)
        yield folder


@pytest.fixture
def at(app_db: Path) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=TIMEOUT)
    app.run()
    assert not app.exception
    return app


def report_text(agency: str = "青山市绿水区", extra: str = "") -> bytes:
    """A real report (hongze 2024) under another agency's name, optionally with a sentence added to (四)."""
    text = (SAMPLES / "hongze_2024.txt").read_text(encoding="utf-8").replace("淮安市洪泽区", agency)
    if extra:
        assert "（四）政府信息公开平台建设情况。" in text
        text = text.replace("（四）政府信息公开平台建设情况。", f"（四）政府信息公开平台建设情况。{extra}", 1)
    return text.encode("utf-8")


def staff(at: AppTest) -> AppTest:
    at.session_state["view"] = "报表与核对"
    return at.run()


def upload(at: AppTest, *files: tuple[str, bytes, str]) -> AppTest:
    if any(t.key == "signin_password" for t in at.text_input):
        at.text_input(key="signin_name").input("测试人员")
        at.text_input(key="signin_password").input(STAFF_PASSWORD)
        at.button(key="signin_submit").click().run()
    at.file_uploader(key="uploads").set_value(list(files))
    at.run()
    at.button(key="do_upload").click()
    return at.run()


def plain(markdown: str) -> str:
    """Markdown as read: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def htmls(node) -> str:
    return "\n".join(h.value for h in node.html)


# ---- safe rendering helpers -------------------------------------------------------------------


def test_escape_keeps_markup_as_text():
    assert esc(SCRIPT) == "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;"
    escaped = md_escape(f"{LINK} **粗** <b>x</b> :red[y] $z$")
    for raw in ("](", "**粗**", "<b>", ":red[", "$z$"):
        assert raw not in escaped


def test_highlight_escapes_then_marks_the_quote():
    text = f"平台建设{SCRIPT}。全年发布信息2428条。{LINK}"
    out, found = highlight(text, "全年发布信息2428条。")
    assert found and "<mark>全年发布信息2428条。</mark>" in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    out, found = highlight(text, "<script>")
    assert found and out.count("<mark>") == 1 and "<mark>&lt;script&gt;</mark>" in out


def test_highlight_finds_simplified_quote_in_traditional_text():
    out, found = highlight("瀏陽市受理申請224件。", "受理申请224件")
    assert found and "<mark>受理申請224件</mark>" in out


def test_highlight_marks_each_piece_of_an_elided_quote():
    out, found = highlight("第一句在这里。中间一句。最后一句在这里。", "第一句在这里……最后一句在这里")
    assert found and out.count("<mark>") == 2


def test_uploaded_names_cannot_leave_the_upload_folder():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\报告.docx") == "报告.docx"
    assert safe_name("") == "upload"


def test_header_rows_merge_shared_prefixes():
    rows = header_rows(["自然人", "法人或其他组织/商业企业", "法人或其他组织/其他", "总计"])
    assert rows == [[("自然人", 1, 2), ("法人或其他组织", 2, 1), ("总计", 1, 2)], [("商业企业", 1, 1), ("其他", 1, 1)]]


def _row(values: dict[str, int | None]) -> list[Cell]:
    row = "三、本年度办理结果/（一）予以公开"
    return [Cell("r", "三", row, col, v, "件", note="" if v is not None else "数字串有多种拆分")
            for col, v in values.items()]


def test_cell_citation_shows_the_row_with_the_cited_cell_marked():
    row = _row({"自然人": 7, "法人或其他组织/商业企业": 2, "总计": 9})
    c = Citation.from_cell(row[-1])
    out = cell_html(c, row, f"某机关{SCRIPT}")
    assert '<td class="hit"><mark>9</mark></td>' in out
    assert "自然人" in out and "法人或其他组织" in out and "（一）予以公开" in out and "单位：件" in out
    assert "<script>" not in out


def test_unknown_cell_says_so_with_the_reason():
    row = _row({"自然人": None, "总计": 9})
    out = cell_html(Citation.from_cell(row[0]), row, "某机关")
    assert "无法确定" in out and "数字串有多种拆分" in out


def test_paragraph_citation_escapes_report_text():
    c = Citation("paragraph", "r", section="一、总体情况/（四）平台建设", paragraph=2,
                 text=f"加强平台建设{SCRIPT}，详见{LINK}。全年发布信息2428条。", quote="全年发布信息2428条。")
    out = paragraph_html(c, "某机关 2024年度报告")
    assert "<mark>全年发布信息2428条。</mark>" in out and "一、总体情况 › （四）平台建设" in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert re.findall(r"<a [^>]*>", out) == ['<a class="card-link" href="?card=r" target="_blank">']  # the card only


def test_table_html_and_csv_keep_layout_order_and_unknowns():
    cells = [Cell("r", "二", "第二十条第（五）项/行政许可", "本年处理决定数量", 5, "件"),
             Cell("r", "二", "第二十条第（一）项/规章", "本年制发件数", None, "件", note="无法拆分"),
             Cell("r", "二", "第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）", 1.5, "万元")]
    html = table_html(cells, "二")
    assert html.index("规章") < html.index("行政许可") < html.index("行政事业性收费")
    assert "无法确定" in html and "行政事业性收费：万元" in html
    lines = table_csv(cells, "二").splitlines()
    assert lines[1].startswith("第二十条第（一）项/规章,无法确定")


def test_checks_html_shows_both_sides_and_marks_failures():
    checks = [Check("r", "a", "identity", "表四“行政复议”：总计 = …", 0, 11, status="fail"),
              Check("r", "b", "narrative", "正文“受理申请17件”与表三一致", 17, 17, status="pass")]
    out = checks_html(checks, [])
    assert out.index("row-fail") < out.index("row-pass") and ">11<" in out and ">0<" in out
    assert summary(checks) == "共 2 项核对：1 项一致，1 项不符，0 项无法判断"


# ---- the page ---------------------------------------------------------------------------------


def test_page_starts_without_network_or_llm(at: AppTest):
    assert at.title[0].value == "政府信息公开年报问答"
    assert [t.label for t in at.tabs] == ["问答", "报表与核对"]
    assert "全部报告" in at.selectbox(key="agency").options
    assert any("收到多少件" in b.label for b in at.button)  # example questions for a first visit


def test_a_link_to_one_report_opens_on_it(app_db: Path):
    app = AppTest.from_file(APP, default_timeout=TIMEOUT)
    app.query_params["report"] = "liuyang_2023"  # the QR code on a report page
    app.run()
    assert app.selectbox(key="agency").value == "浏阳市人民政府"
    assert "当前范围：浏阳市人民政府 2023年" in "".join(c.value for c in app.caption)
    assert "浏阳市人民政府2023年" in app.button(key="example_0").label


def test_many_agencies_are_found_by_typing_not_listed(app_db: Path, monkeypatch):
    """Past picker.LIST_ALL agencies (a province's tens of thousands would be sent with every page run) the
    sidebar, the staff table view and the problem list find agencies by a typed name, read as a question reads it."""
    monkeypatch.setattr("ui.picker.LIST_ALL", 2)
    app = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not app.exception
    assert app.selectbox(key="agency").options == ["全部报告"]  # nothing listed before a name is typed
    app.text_input(key="agency_search").input("洪泽区政府").run()  # a short form
    assert app.selectbox(key="agency").options == ["全部报告", "淮安市洪泽区人民政府"]
    app.selectbox(key="agency").select("淮安市洪泽区人民政府").run()
    assert "当前范围：淮安市洪泽区人民政府 2024年" in "".join(c.value for c in app.caption)
    assert "淮安市洪泽区人民政府2024年" in app.button(key="example_0").label
    app.text_input(key="agency_search").input("瀏陽").run()  # traditional script; the agency picked stays listed
    assert app.selectbox(key="agency").options == ["全部报告", "淮安市洪泽区人民政府", "浏阳市人民政府"]
    assert app.selectbox(key="agency").value == "淮安市洪泽区人民政府"
    app.text_input(key="agency_search").input("火星市").run()
    assert any("没有找到名称相符的机关" in c.value for c in app.caption)
    app.selectbox(key="agency").select("全部报告").run()
    staff(app)
    assert not app.exception
    assert any("请先查找并选择机关" in i.value for i in app.info)
    app.text_input(key="staff_agency_search").input("上海市科委").run()
    app.selectbox(key="staff_agency").select(app.selectbox(key="staff_agency").options[1]).run()
    assert app.selectbox(key="staff_report_None").options == ["上海市科委 2024年度报告（shanghai_kewei_2024）"]
    app.text_input(key="findings_agency_search").input("淮安").run()
    assert len(app.selectbox(key="findings_agency").options) > 1


def test_table_view_and_csv_download(at: AppTest, downloads):
    at.selectbox(key="agency").select("浏阳市人民政府").run()
    staff(at)
    assert not at.exception
    page = htmls(at)
    assert "表三" in "".join(m.value for m in at.markdown) and "本年新收政府信息公开申请数量" in page
    assert '<th colspan="5" rowspan="1">法人或其他组织</th>' in page
    assert [b.label for b in at.download_button][:3] == ["下载表二（CSV）", "下载表三（CSV）", "下载表四（CSV）"]
    csv = downloads["liuyang_2023_表三.csv"].decode("utf-8-sig").splitlines()
    assert csv[0].startswith("行,自然人,法人或其他组织/商业企业")
    assert csv[1] == "一、本年新收政府信息公开申请数量,219,5,0,0,0,0,224,件"


def test_checks_view_stands_failures_out(at: AppTest, app_db: Path):
    from store import Store

    failed = next(c for c in Store(app_db).checks() if c.status == "fail")
    staff(at)
    at.selectbox(key="staff_report_None").set_value(failed.report).run()
    page = htmls(at)
    first = page[page.index("row-fail"):]
    first = first[: first.index("</tr>")]  # failures come first, with both sides' numbers
    assert f">{failed.left:g}<" in first and f">{failed.right:g}<" in first
    assert any("项不符" in w.value for w in at.warning)


def test_upload_good_and_bad_files(at: AppTest, app_db: Path):
    from store import Store

    before = {r.id for r in Store(app_db).reports()}
    staff(at)
    upload(at, ("qingshan_2024.txt", report_text(), "text/plain"),
           ("menu.txt", "今日菜单：红烧肉、青菜。".encode(), "text/plain"),
           ("broken.pdf", b"%PDF-1.4 not really a pdf", "application/pdf"))
    assert not at.exception
    done = [plain(s.value) for s in at.success if "已导入" in s.value]
    assert len(done) == 1 and "qingshan_2024.txt" in done[0] and "青山市绿水区" in done[0]
    errors = [plain(e.value) for e in at.error]
    assert len(errors) == 2 and "menu.txt" in errors[0] and "broken.pdf" in errors[1]
    assert at.progress, "a progress bar is shown while files are ingested"
    after = {r.id for r in Store(app_db).reports()}
    assert after - before == {"qingshan_2024"}  # nothing of the bad files was stored
    assert "青山市绿水区人民政府" in at.selectbox(key="agency").options


# ---- chat -------------------------------------------------------------------------------------


def ask(at: AppTest, question: str):
    """Type a question; the assistant's reply (the last chat message)."""
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception
    reply = at.chat_message[-1]
    assert reply.name == "assistant"
    return reply


def marked(html: str) -> list[str]:
    """Text inside <mark> (tags inside stripped), in order."""
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<mark>(.*?)</mark>", html, re.S)]


def test_figure_question_cites_the_row_with_the_cell_marked(at: AppTest):
    reply = ask(at, "浏阳市2023年收到多少件政府信息公开申请？")
    answer, cited = reply.html[0].value, htmls(reply)
    assert "224" in answer
    assert '<td class="hit"><mark>224</mark></td>' in cited  # the cited cell, highlighted, in its row
    assert "一、本年新收政府信息公开申请数量" in cited and "自然人" in cited and "单位：件" in cited
    assert "浏阳市人民政府 2023年度报告" in cited


def test_narrative_question_quotes_the_paragraph_with_the_sentence_marked(at: AppTest):
    from core.text import to_simplified

    reply = ask(at, "浏阳市2023年收取了信息处理费吗？")
    answer, cited = reply.html[0].value, htmls(reply)
    assert "未收取" in answer
    quotes = marked(cited)
    assert quotes and "未收取" in to_simplified(quotes[0])  # the marked sentence is the one the answer quotes
    assert to_simplified(quotes[0]).strip("。") in answer
    assert "六、其他需要报告的事项" in cited and '<blockquote class="cite-text">' in cited


def test_two_questions_in_one_message_cite_a_cell_and_a_paragraph(at: AppTest):
    """"收到多少申请？存在哪些问题？": both answered in one reply, the cell's row and the paragraph both shown."""
    reply = ask(at, "浏阳市2023年收到多少件政府信息公开申请？存在哪些问题？")
    answer, cited = reply.html[0].value, htmls(reply)
    assert "224" in answer and '<td class="hit"><mark>224</mark></td>' in cited
    assert '<blockquote class="cite-text">' in cited and "五、存在的主要问题及改进情况" in cited


def test_unanswerable_question_says_so_and_suggests(at: AppTest):
    reply = ask(at, "今天天气怎么样？")
    assert reply.html[0].value == '<div class="answer">报告中没有找到相关信息。</div>'
    assert "可以问报告里的数字" in "".join(c.value for c in reply.caption)
    assert any(b.key.startswith("suggest_") for b in reply.button)
    reply.button[0].click().run()  # a suggestion is answered like a typed question
    assert not at.exception and len(at.chat_message) == 4 and "<mark>" in htmls(at.chat_message[-1])


def test_follow_up_keeps_the_subject_and_derived_figures_show_arithmetic(at: AppTest):
    ask(at, "浏阳市2023年收到多少件政府信息公开申请？")
    reply = ask(at, "那予以公开的呢？")
    assert "89" in reply.html[0].value and "浏阳" in reply.html[0].value
    assert '<td class="hit"><mark>89</mark></td>' in htmls(reply) and "（一）予以公开" in htmls(reply)
    reply = ask(at, "予以公开的申请占办结总数的比例是多少？")
    arithmetic = next(h.value for h in reply.html if 'class="arith"' in h.value)
    assert "计算：" in arithmetic and "89" in arithmetic and "210" in arithmetic
    assert len(at.chat_message) == 6  # the whole conversation stays on the page


def test_multi_report_answer_says_which_reports_it_covers(at: AppTest):
    reply = ask(at, "哪个机关收到的政府信息公开申请最多？")
    covers = next(h.value for h in reply.html if 'class="covers"' in h.value)
    assert re.search(r"本回答涵盖 \d+ 份报告", covers) and "浏阳市人民政府 2023年度报告" in covers


def test_sidebar_scope_answers_questions_that_name_no_report(at: AppTest):
    at.selectbox(key="agency").select("浏阳市人民政府").run()
    reply = ask(at, "收到多少件政府信息公开申请？")
    assert "224" in reply.html[0].value and '<mark>224</mark>' in htmls(reply)


def test_example_question_and_traditional_toggle(at: AppTest):
    at.button(key="example_0").click().run()
    assert not at.exception and len(at.chat_message) == 2
    at.toggle(key="traditional").set_value(True).run()
    answer = at.chat_message[-1].html[0].value
    assert "數" in answer or "請" in answer  # 数量 / 申请 shown in traditional script


def test_injection_in_a_report_and_a_question_renders_as_text(at: AppTest):
    extra = f"平台建设防护演练{SCRIPT}，详见{LINK}与**加粗**文字。"
    staff(at)
    upload(at, ("baiyun_2024.txt", report_text("青山市白云区", extra), "text/plain"))
    assert any("已导入" in s.value for s in at.success)
    at.session_state["view"] = "问答"
    at.run()
    reply = ask(at, "青山市白云区2024年平台建设防护演练详见什么？")
    ask(at, f"{SCRIPT}{LINK}**粗体**是什么？")
    page = htmls(at)
    assert "&lt;script&gt;" in page and "[点击领奖](javascript:alert(1))" in htmls(reply)
    assert "<script" not in page
    for a in re.findall(r"<a [^>]*>", page):  # the only links are the citations' own, to a report card
        assert re.fullmatch(r'<a class="card-link" href="\?card=[\w%.-]+" target="_blank">', a), a
    for m in at.markdown:  # Markdown elements hold only escaped text (the one HTML-enabled block is the CSS)
        assert m.proto.allow_html is False or m.value.lstrip().startswith("<style>")
        assert "](javascript" not in m.value and "**粗体**" not in m.value
    staff(at)
    assert "<script" not in htmls(at)


def test_unreachable_llm_falls_back_with_a_notice(at: AppTest, monkeypatch):
    monkeypatch.setenv("LLM_PROVIDER", "openai")
    monkeypatch.setenv("LLM_MODEL", "qwen-test")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens: connection refused
    reply = ask(at, "浏阳市2023年收到多少件政府信息公开申请？")
    assert "224" in reply.html[0].value and '<mark>224</mark>' in htmls(reply)
    notice = "".join(c.value for c in reply.caption)
    assert "不可用" in notice and "Traceback" not in notice


def test_first_start_ingests_the_samples(tmp_path, monkeypatch):
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(SAMPLES / "hongze_2024.txt", samples)
    monkeypatch.setenv("REPORTS_DB", str(tmp_path / "db"))
    monkeypatch.setenv("SAMPLES_DIR", str(samples))
    app = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not app.exception
    assert app.selectbox(key="agency").options == ["全部报告", "淮安市洪泽区人民政府"]


# ---- charts, report cards, the queue, names ----------------------------------------------------


def chart_of(reply) -> tuple[dict, list[dict]]:
    """The one chart under an answer: its Vega-Lite spec, and the records it draws."""
    from streamlit import dataframe_util

    (chart,) = reply.get("vega_lite_chart")
    records = dataframe_util.convert_arrow_bytes_to_pandas_df(chart.proto.data.data).to_dict("records")
    return json.loads(chart.proto.spec), records


def test_series_answer_draws_a_line_of_cited_cells_above_the_citations(at: AppTest, app_db: Path):
    from core.vocabulary import NEW
    from store import Store

    store = Store(app_db)
    years = {r.id: r.year for r in store.reports() if r.agency == "平潭综合实验区"}
    figures = sorted((years[c.report], c.value) for c in store.cells(table="三", row=NEW)
                     if c.report in years and c.column == "总计")
    reply = ask(at, "平潭这几年收到的申请是多了还是少了？")
    spec, data = chart_of(reply)
    assert spec["mark"]["type"] == "line" and len(figures) == 2
    assert [(d["类别"], d["数值"]) for d in data] == [(f"{y}年", v) for y, v in figures]
    for d, (year, value) in zip(data, figures, strict=True):  # hover: the report and the cell of each point
        assert d["报告"] == f"平潭综合实验区 {year}年度报告"
        assert d["出处"] == f"表三 一、本年新收政府信息公开申请数量 | 总计 = {value}"
    assert {t["field"] for t in spec["encoding"]["tooltip"]} >= {"报告", "出处"}
    (_, v0), (_, v1) = figures
    assert f"{v1} − {v0} = {v1 - v0}" in reply.html[0].value
    order = [e.type if e.type != "html" else ("cite" if 'class="cite ' in e.value else "html")
             for e in reply.children.values()]
    assert order.index("vega_lite_chart") < order.index("cite")  # the citations stay below the chart


def test_ranking_draws_bars_in_ranked_order(at: AppTest):
    reply = ask(at, "哪个机关收到的政府信息公开申请最多？")
    spec, data = chart_of(reply)
    values = [d["数值"] for d in data]
    assert spec["mark"]["type"] == "bar" and len(values) > 2 and values == sorted(values, reverse=True)
    assert all(d["出处"].startswith("表三 一、本年新收政府信息公开申请数量") for d in data)


def test_figure_answer_has_no_chart(at: AppTest):
    assert not ask(at, "浏阳市2023年收到多少件政府信息公开申请？").get("vega_lite_chart")


def test_report_card_is_linked_from_citations_and_shows_figures_findings_tables(at: AppTest, app_db: Path):
    from store import Store

    reply = ask(at, "浏阳市2023年收到多少件政府信息公开申请？")
    assert 'href="?card=liuyang_2023" target="_blank"' in htmls(reply)
    card = AppTest.from_file(APP, default_timeout=TIMEOUT)
    card.query_params["card"] = "liuyang_2023"
    card.run()
    assert not card.exception
    assert "浏阳市人民政府 2023年" in card.subheader[0].value
    provenance = Store(app_db).report("liuyang_2023").provenance()
    assert any(f'<div class="cite-prov">{provenance}' in h.value for h in card.html)  # where the file came from
    head = next(h.value for h in card.html if "card-figs" in h.value)
    appeals = {c.column: c.value for c in Store(app_db).cells(report="liuyang_2023", table="四")}
    for label, shown in (("新收申请", "224件"), ("办结申请", "210件"), ("予以公开", "89件"),
                         ("行政复议", f"{appeals['行政复议/总计']:g}件")):
        assert re.search(f"{label}</div><div class=\"card-v\">{shown}<", head), label
    assert "占办结的42.4%（89 ÷ 210）" in head and "表三 三、本年度办理结果 › （一）予以公开 | 总计" in head
    suits = appeals["行政诉讼/未经复议直接起诉/总计"] + appeals["行政诉讼/复议后起诉/总计"]
    assert re.search(f"行政诉讼</div><div class=\"card-v\">{suits:g}件<", head)
    assert "<mark>224</mark>" in htmls(card)  # each headline figure is a cited cell, marked in its row
    titles = "".join(m.value for m in card.markdown)
    assert "核对结果" in titles and all(f"表{t}" in titles for t in "二三四")  # findings, then the tables
    card.button(key="back").click().run()
    assert card.title[0].value == "政府信息公开年报问答" and "card" not in card.query_params


def test_report_card_of_a_missing_report_says_so(app_db: Path):
    card = AppTest.from_file(APP, default_timeout=TIMEOUT)
    card.query_params["card"] = "no_such_report"
    card.run()
    assert not card.exception and "没有找到报告" in card.error[0].value


def test_questions_arriving_together_are_answered_in_order(at: AppTest):
    at.button(key="example_0").click()
    at.chat_input(key="question").set_value("浏阳市2023年办结了多少件申请？")
    at.run()
    assert not at.exception
    names = [m.name for m in at.chat_message]
    assert names == ["user", "assistant", "user", "assistant"]
    assert "办结" in at.chat_message[2].html[0].value and "210" in at.chat_message[3].html[0].value


def test_a_printed_slip_is_shown_with_the_right_name(at: AppTest):
    assert "沐阳县（即沭阳县）人民政府" in at.selectbox(key="agency").options
    reply = ask(at, "沭阳县2025年收到多少件申请？")
    assert "沐阳县（即沭阳县）人民政府2025年" in reply.html[0].value
    assert "沐阳县（即沭阳县）人民政府 2025年度报告" in htmls(reply)
    staff(at)
    assert any("沐阳县（即沭阳县）" in o for o in at.selectbox(key="staff_report_None").options)
