"""Only signed-in staff change the store (AppTest): visitors see no upload; a wrong password is refused and
throttled; staff upload, replace and remove, each step in the audit log; provenance under every citation."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from streamlit.proto.TextInput_pb2 import TextInput as TextInputProto
from streamlit.testing.v1 import AppTest

from ingest.limits import MAX_FILE_MB
from store import Store
from tests.conftest import ROOT, SAMPLES
from ui.staff.passwords import hash_password

APP = str(ROOT / "app.py")
TIMEOUT = 120
PASSWORD = "青山市 office password 2026"
HASH = hash_password(PASSWORD, n=2**10)  # a cheap cost keeps the test fast; the page reads n from the hash
FIGURE = "青山市绿水区2024年收到多少件政府信息公开申请？"
NARRATIVE = "青山市绿水区2024年平台建设防护演练是怎么做的？"
OIDC = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "id",
        "client_secret": "secret", "server_metadata_url": "https://id.example.gov.cn/.well-known/openid-configuration"}


@pytest.fixture
def db(sample_db: Path, tmp_path: Path, monkeypatch) -> Path:
    """A private copy of the ingested samples; nothing configured for sign-in unless a test sets it."""
    folder = tmp_path / "db"
    shutil.copytree(sample_db, folder)
    monkeypatch.setenv("REPORTS_DB", str(folder))
    monkeypatch.setenv("LLM_PROVIDER", "")
    for name in ("DATABASE_URL", "STAFF_PASSWORD_HASH", "STAFF_ACCOUNTS"):
        monkeypatch.delenv(name, raising=False)
    return folder


def open_staff_tab(at: AppTest) -> AppTest:
    at.session_state["view"] = "报表与核对"
    at.run()
    assert not at.exception
    return at


def page(**user) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if user:
        at.user = user
    at.run()
    return open_staff_tab(at)


def can_change(at: AppTest) -> bool:
    keys = {w.key for w in [*at.button, *at.get("file_uploader")]}
    return bool(keys & {"uploads", "do_upload", "do_replace", "do_remove"})


def sign_in(at: AppTest, password: str, name: str = "王芳") -> AppTest:
    at.text_input(key="signin_name").input(name)
    at.text_input(key="signin_password").input(password)
    at.button(key="signin_submit").click().run()
    assert not at.exception
    return at


def report_text(sentence: str) -> bytes:
    text = (SAMPLES / "hongze_2024.txt").read_text(encoding="utf-8").replace("淮安市洪泽区", "青山市绿水区")
    return text.replace("（四）政府信息公开平台建设情况。", f"（四）政府信息公开平台建设情况。{sentence}", 1).encode()


def ask(at: AppTest, question: str) -> str:
    at.session_state["view"] = "问答"
    at.run()
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception
    return "\n".join(h.value for h in at.chat_message[-1].html)


def test_visitors_read_but_cannot_change_and_without_sign_in_there_is_no_upload(db):
    at = page()
    assert "本年新收政府信息公开申请数量" in "".join(h.value for h in at.html)  # tables stay readable
    assert not can_change(at) and not at.text_input and "工作人员" not in "".join(m.value for m in at.markdown)
    assert "来源：" in "".join(h.value for h in at.html)  # the chosen report's provenance line


def test_wrong_password_is_refused_then_throttled_and_logged(db, monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD_HASH", HASH)
    at = page()
    assert not can_change(at) and at.text_input(key="signin_password").proto.type == TextInputProto.PASSWORD
    for _ in range(3):
        sign_in(at, "wrong password")
        assert "密码不正确" in at.error[0].value and not can_change(at)
    sign_in(at, PASSWORD)  # right, but too soon after three wrong tries: not even checked
    assert "尝试次数过多" in at.error[0].value and not can_change(at)
    fresh = page()  # a new session does not reset the wait
    sign_in(fresh, PASSWORD)
    assert "尝试次数过多" in fresh.error[0].value and not can_change(fresh)
    refused = [e for e in Store(db).audit_log() if e.action != "add"]  # the samples were added by "cli"
    assert [e.action for e in refused] == ["signin_failed"] * 3 and refused[0].who == "王芳"


def test_identity_provider_accounts_sign_in_and_others_do_not(db, monkeypatch):
    monkeypatch.setenv("STAFF_ACCOUNTS", "@office.gov.cn")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = OIDC
    at.run()
    open_staff_tab(at)
    assert at.button(key="oidc_login").label.startswith("工作人员登录") and not can_change(at)
    for email, staff in (("wang@office.gov.cn", True), ("someone@gmail.com", False)):
        at.user = {"is_logged_in": True, "email": email}
        at.run()
        assert can_change(at) is staff, email
    assert "不是工作人员账号" in at.warning[0].value


def test_staff_upload_replace_remove_audited_and_the_removed_report_is_no_longer_cited(db, monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD_HASH", HASH)
    at = sign_in(page(), PASSWORD)
    assert can_change(at) and "王芳（办公室密码）" in "".join(c.value for c in at.caption)
    assert [e.who for e in Store(db).audit_log(action="signin")] == ["王芳"]  # and it ends a run of wrong tries
    assert at.get("file_uploader")[0].proto.max_upload_size_mb == MAX_FILE_MB
    at.file_uploader(key="uploads").set_value([("qingshan_2024.txt", report_text("防护演练每季度开展一次。"),
                                                "text/plain")])
    at.text_input(key="upload_url").input("https://www.example.gov.cn/xxgk/nb2024.html")
    at.run()
    at.button(key="do_upload").click().run()
    assert any("已导入" in s.value for s in at.success), [e.value for e in at.error]
    store = Store(db)
    added = store.report("qingshan_2024")
    assert added.ingested_by == "王芳（办公室密码）" and added.source_url.endswith("nb2024.html")

    cited = ask(at, FIGURE)
    line = f"来源：qingshan_2024.txt · {added.ingested_at[:10]} 导入"
    assert "青山市绿水区" in cited and line in cited and 'href="https://www.example.gov.cn/xxgk/nb2024.html"' in cited
    assert "每季度" in ask(at, NARRATIVE) and line in ask(at, NARRATIVE)

    open_staff_tab(at)
    at.selectbox(key="staff_report_None").set_value("qingshan_2024").run()
    at.file_uploader(key="replace_file_qingshan_2024").set_value(
        ("qingshan_2024_更正.txt", report_text("防护演练每月开展一次。"), "text/plain")).run()
    at.button(key="do_replace").click().run()
    assert any("已导入" in s.value for s in at.success), [e.value for e in at.error]
    replaced = store.report("qingshan_2024")
    assert replaced.source == "qingshan_2024_更正.txt" and replaced.sha256 != added.sha256
    assert "每月" in ask(at, NARRATIVE)

    open_staff_tab(at)
    at.selectbox(key="staff_report_None").set_value("qingshan_2024").run()
    assert at.button(key="do_remove").disabled  # not without the confirmation
    at.checkbox(key="confirm_remove_qingshan_2024").check().run()
    at.button(key="do_remove").click().run()
    assert any("已移除" in s.value for s in at.success) and store.report("qingshan_2024") is None
    log = [(e.action, e.who, e.before_sha256, e.after_sha256) for e in store.audit_log(report="qingshan_2024")]
    who = "王芳（办公室密码）"
    assert log == [("remove", who, replaced.sha256, ""), ("replace", who, added.sha256, replaced.sha256),
                   ("add", who, "", added.sha256)]
    shown = "".join(h.value for h in at.html if "staff-list audit" in h.value)
    assert re.findall(r"<td>(导入|替换|移除)</td>", shown)[:3] == ["移除", "替换", "导入"]  # newest first
    assert any(b.label.startswith("下载全部操作记录") for b in at.download_button)

    for question in (FIGURE, NARRATIVE):
        cited = ask(at, question)
        assert "qingshan" not in cited and "每月" not in cited and "青山市绿水区人民政府 2024" not in cited


def test_streamlit_upload_limit_matches_the_ingest_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_FILE_MB


def test_provenance_line_is_escaped_and_says_when_a_report_is_gone():
    from core.records import Report
    from ui.citations import provenance_html

    r = Report("r", "某机关", 2024, "t", None, "<b>报告</b>.pdf", "h", "pdf", ingested_at="2026-11-30T01:02:03+00:00",
               source_url="https://www.example.gov.cn/a?b=1&c=2")
    out = provenance_html(r)
    assert "来源：&lt;b&gt;报告&lt;/b&gt;.pdf · 2026-11-30 导入" in out
    assert 'href="https://www.example.gov.cn/a?b=1&amp;c=2"' in out
    assert "已被移除" in provenance_html(None)


def test_a_batch_over_the_limit_or_one_url_for_several_files_is_refused_whole():
    from ingest.limits import MAX_FILES
    from ui.staff.upload import _refused

    assert f"最多 {MAX_FILES} 个" in _refused([object()] * (MAX_FILES + 1), "")
    assert "只上传一个文件" in _refused([object()] * 2, "https://www.example.gov.cn/a.html")
    assert "来源网址无效" in _refused([object()], "javascript:alert(1)")
    assert _refused([object()] * MAX_FILES, "") == ""
