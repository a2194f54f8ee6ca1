"""Staff sign-in → the account every change is recorded under; None for visitors (who can read, not change).

Two ways, either or both: OpenID Connect through Streamlit's `st.login` (an `[auth]` section in
.streamlit/secrets.toml, for organisations with an identity provider; STAFF_ACCOUNTS may narrow who counts as
staff), and one office password kept only as a hash (STAFF_PASSWORD_HASH, made by `python -m ingest password`).
With neither, nobody signs in and the page changes nothing.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Mapping
from datetime import UTC, datetime

import streamlit as st

from core.records import AuditEntry
from core.settings import setting
from core.text import clean_field
from store import Store
from store.audit import now
from ui.safe import md_escape
from ui.staff.passwords import valid_hash, verify, wait_seconds

log = logging.getLogger(__name__)
ACCOUNT = "staff_account"  # session key: the account signed in with the office password
OIDC_KEYS = ("client_id", "client_secret", "server_metadata_url")


def oidc_provider() -> str | None:
    """"" for the default provider of secrets.toml's [auth], a name for an [auth.NAME] one, None when unset."""
    try:
        auth = st.secrets.get("auth")
    except Exception:  # no secrets.toml at all
        return None
    if not isinstance(auth, Mapping) or not {"redirect_uri", "cookie_secret"} <= set(auth):
        return None
    if importlib.util.find_spec("authlib") is None:
        log.warning("[auth] is set in secrets.toml but Authlib is missing: pip install -r requirements.txt")
        return None
    if all(k in auth for k in OIDC_KEYS):
        return ""
    return next((name for name, sub in auth.items() if isinstance(sub, Mapping) and all(k in sub for k in OIDC_KEYS)),
                None)


def password_hash() -> str:
    """The office password's hash, or "" when unset (a value that is not a hash is ignored, with a warning)."""
    stored = setting("STAFF_PASSWORD_HASH").strip()
    if stored and not valid_hash(stored):
        log.warning("STAFF_PASSWORD_HASH is not a hash made by `python -m ingest password`: password sign-in is off")
        return ""
    return stored


def enabled() -> bool:
    """Whether staff can sign in at all (else the page offers no change)."""
    return oidc_provider() is not None or bool(password_hash())


def _allowed(email: str) -> bool:
    """STAFF_ACCOUNTS: comma-separated addresses or @domains; empty lets every account of the provider in."""
    wanted = [w.strip().lower() for w in setting("STAFF_ACCOUNTS").split(",") if w.strip()]
    email = email.strip().lower()
    return not wanted or any(email == w or (w.startswith("@") and email.endswith(w)) for w in wanted)


def _oidc_account() -> str | None:
    """The identity provider's account, when configured, signed in and allowed."""
    if oidc_provider() is None or not st.user.get("is_logged_in"):
        return None
    account = str(st.user.get("email") or st.user.get("name") or "")
    return account if account and _allowed(account) else None


def account() -> str | None:
    """Who is signed in as staff in this session (the name recorded in the audit log), else None."""
    if (signed := st.session_state.get(ACCOUNT)) and password_hash():
        return signed
    return _oidc_account()


def failures(store: Store) -> tuple[int, float]:
    """Wrong passwords since the last password sign-in, and seconds since the latest of them. Read from the audit
    log, so every session, every replica on the same database and a restarted server see the same count."""
    last_in = next(iter(store.audit_log(action="signin")), None)
    failed = [e for e in store.audit_log(action="signin_failed") if last_in is None or e.at > last_in.at]
    if not failed:
        return 0, 0.0
    return len(failed), (datetime.now(UTC) - datetime.fromisoformat(failed[0].at)).total_seconds()


def try_password(store: Store, name: str, password: str) -> str:
    """Check one sign-in; "" when it succeeded, else the refusal to show. Every attempt is logged and audited."""
    count, since = failures(store)
    if wait := wait_seconds(count, since):
        return f"尝试次数过多，请 {wait} 秒后再试。"
    who = clean_field(name, 40)
    if not who:
        return "请填写您的姓名或工号（记入操作记录）。"
    if verify(password, password_hash()):
        store.log(AuditEntry(now(), who, "signin", detail="办公室密码"))
        st.session_state[ACCOUNT] = f"{who}（办公室密码）"
        return ""
    log.warning("staff sign-in refused for %r (%d wrong passwords in a row)", who, count + 1)
    store.log(AuditEntry(now(), who, "signin_failed", detail=f"密码错误，连续第 {count + 1} 次"))
    wait = wait_seconds(count + 1, 0.0)
    return "密码不正确。" + (f"尝试次数过多，请 {wait} 秒后再试。" if wait else "")


def signin_view(store: Store) -> None:
    """The sign-in choices that are configured: the identity provider's button, the office password form."""
    provider = oidc_provider()
    if provider is not None:
        if st.user.get("is_logged_in"):  # signed in with the provider, but not a staff account
            st.warning(f"账号 {md_escape(st.user.get('email') or st.user.get('name'))} 不是工作人员账号。")
            if st.button("退出该账号", key="oidc_logout"):
                st.logout()
        elif st.button("工作人员登录（统一身份认证）", key="oidc_login"):
            st.login(provider or None)
    if password_hash():
        with st.form("staff_signin", clear_on_submit=True):
            name = st.text_input("姓名或工号", key="signin_name", max_chars=40)
            password = st.text_input("工作人员密码", type="password", key="signin_password", max_chars=200)
            if st.form_submit_button("登录", key="signin_submit"):
                if refused := try_password(store, name, password):
                    st.error(refused, icon="🔒")
                else:
                    st.rerun()


def signout_button(who: str) -> None:
    """Who is signed in, and the way out."""
    st.caption(f"已登录：{md_escape(who)}。上传、替换和移除都会记入操作记录。")
    if st.button("退出登录", key="staff_logout"):
        if st.session_state.pop(ACCOUNT, None) is None:
            st.logout()
        else:
            st.rerun()
