"""The store: records ⇄ the database (SQLite by default, PostgreSQL by URL), used by ingest, qa and ui alike.

`Store` is the one public API; `open_store` opens the configured one. Nothing outside this package sees a
database row or the SQL dialect.
"""

from store.bm25 import FEW_REPORTS, bm25_idf
from store.dialect import database_errors
from store.reports import Store, open_store

__all__ = ["FEW_REPORTS", "Store", "bm25_idf", "database_errors", "open_store"]
