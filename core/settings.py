"""Settings as data: each one's environment variable, default and help, read in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str  # environment variable
    default: str
    help: str

    def get(self) -> str:
        return os.environ.get(self.name, self.default)


SETTINGS = (
    Setting("REPORTS_DB", str(ROOT / "data" / "db"), "Folder holding the SQLite file and the Chroma index."),
    Setting("DATABASE_URL", "", "Use this database instead of SQLite in REPORTS_DB, e.g. postgresql://user@host/db."),
    Setting("CHROMA_URL", "", "Chroma server shared by app replicas, e.g. http://127.0.0.1:8000; empty = the "
            "embedded index in REPORTS_DB."),
    Setting("SAMPLES_DIR", str(ROOT / "samples"), "Reports the app ingests on first start when the index is empty."),
    Setting("EMBEDDING_MODEL", "", "sentence-transformers model name or folder; empty = the bundled USE model."),
    Setting("LLM_PROVIDER", "", "Empty = no LLM; 'openai' or 'ollama' lets a chat model phrase the answers."),
    Setting("OPENAI_BASE_URL", "", "OpenAI-compatible endpoint, with LLM_PROVIDER=openai."),
    Setting("OPENAI_API_KEY", "", "API key for that endpoint."),
    Setting("LLM_MODEL", "", "Chat model name for the configured provider."),
    Setting("OLLAMA_BASE_URL", "http://localhost:11434", "Ollama server, with LLM_PROVIDER=ollama."),
    Setting("STAFF_PASSWORD_HASH", "", "Office password for staff sign-in, as the hash `python -m ingest password` "
            "prints (never the password). Empty = no password sign-in."),
    Setting("STAFF_ACCOUNTS", "", "With st.login: comma-separated accounts (a@b.gov.cn) or domains (@b.gov.cn) that "
            "count as staff; empty = every account the identity provider signs in."),
)


def setting(name: str) -> str:
    """The current value of a setting by its environment variable name."""
    return next(s for s in SETTINGS if s.name == name).get()
