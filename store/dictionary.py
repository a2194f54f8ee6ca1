"""What every report shares (a cell's key, a check's identity) → one dictionary row, its id cached per process."""

from __future__ import annotations

import hashlib
import json

from store.dialect import Database


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


class InternMixin(Database):
    """Dictionary tables (`cell_keys`, `check_identities`): rows found by the digest of their content."""

    # dictionary ids already known (content → id), per dictionary table: ids never change once committed
    _ids: dict[str, dict[tuple, int]]

    def _intern(self, cur, table: str, columns: str, contents: list[tuple]) -> tuple[dict[tuple, int], set]:
        """Ids of dictionary rows by content, adding those missing (safe with another writer adding them too):
        rows are found by the digest of their content; ids known to this process are not asked for again."""
        known = self._ids[table]
        ids = {t: known[t] for t in contents if t in known}
        missing = {_digest(*t): t for t in dict.fromkeys(contents) if t not in known}
        if missing:
            marks = ", ".join("?" * (len(columns.split(",")) + 1))
            cur.executemany(self._sql(f"INSERT INTO {table} (digest, {columns}) VALUES ({marks}) "
                                      "ON CONFLICT (digest) DO NOTHING"), [(d, *t) for d, t in missing.items()])
            digests = list(missing)
            for start in range(0, len(digests), 500):
                part = digests[start:start + 500]
                cur.execute(self._sql(f"SELECT digest, id FROM {table} WHERE digest IN ({', '.join('?' * len(part))})"),
                            part)
                ids.update((missing[d], i) for d, i in cur.fetchall())
        return ids, {(table, t, ids[t]) for t in missing.values()}

    def _remember(self, fresh: set[tuple[str, tuple, int]]) -> None:
        """Cache ids interned by a committed transaction (never before: a rollback would take them back)."""
        for table, content, id_ in fresh:
            self._ids[table][content] = id_
