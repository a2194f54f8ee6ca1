"""A dict shared between versions: a base never changed once shared, and each version's own few changes beside it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any

FOLD_AT = 4096  # changes a copy keeps beside the shared base at least (else a sixteenth of the base)
_GONE = object()  # a key a copy removed that its base still holds
_MISSING = object()


class Overlay(MutableMapping):
    """key → value, copied in the size of its changes rather than of its contents.

    What the catalog of 100,000 reports keeps (rows, keys, names) is brought forward after each write by changing a
    few entries, while readers on other threads still use the older version: `copy` shares the base and copies
    only the changes kept beside it, folding them into a base of its own once they outgrow a share of it (so a write
    costs its changes plus, amortised, a sixteenth of a copy). Change a copy only before others read it."""

    __slots__ = ("_base", "_top", "_len")

    def __init__(self, items: Iterable[tuple[Any, Any]] | dict = ()) -> None:
        self._base: dict = dict(items)  # never changed once a copy shares it
        self._top: dict = {}  # this version's changes: key → value, or _GONE
        self._len = len(self._base)

    @classmethod
    def of(cls, base: dict) -> Overlay:
        """An overlay over this dict (kept, not copied: never change it afterwards)."""
        out = cls()
        out._base, out._len = base, len(base)
        return out

    @property
    def base(self) -> dict | None:
        """The plain dict this overlay reads, when it holds no changes of its own (a fast path for whole scans)."""
        return None if self._top else self._base

    def plain(self) -> dict:
        """Every key and its value as a plain dict (the changes folded in: reads every key when there are some)."""
        if not self._top:
            return self._base
        base = self._base.copy()  # (a block copy; dict(d) would rehash every key)
        for key, value in self._top.items():
            if value is _GONE:
                base.pop(key, None)
            else:
                base[key] = value
        return base

    def copy(self) -> Overlay:
        """A copy to change while readers use this one: shares the base, copies the changes (or folds them)."""
        out = Overlay()
        if len(self._top) > max(FOLD_AT, len(self._base) // 16):
            out._base = self.plain()
        else:
            out._base, out._top = self._base, self._top.copy()
        out._len = self._len
        return out

    def __getitem__(self, key: Any) -> Any:
        if self._top:
            value = self._top.get(key, _MISSING)
            if value is _GONE:
                raise KeyError(key)
            if value is not _MISSING:
                return value
        return self._base[key]

    def get(self, key: Any, default: Any = None) -> Any:
        if self._top:
            value = self._top.get(key, _MISSING)
            if value is not _MISSING:
                return default if value is _GONE else value
        return self._base.get(key, default)

    def __contains__(self, key: object) -> bool:
        if self._top:
            value = self._top.get(key, _MISSING)
            if value is not _MISSING:
                return value is not _GONE
        return key in self._base

    def __setitem__(self, key: Any, value: Any) -> None:
        if key not in self:
            self._len += 1
        self._top[key] = value

    def __delitem__(self, key: Any) -> None:
        if key not in self:
            raise KeyError(key)
        if key in self._base:
            self._top[key] = _GONE
        else:
            del self._top[key]
        self._len -= 1

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator:
        if not self._top:
            return iter(self._base)
        return self._keys()

    def _keys(self) -> Iterator:
        top = self._top
        yield from (k for k in self._base if k not in top)
        yield from (k for k, v in top.items() if v is not _GONE)

    def items(self):  # noqa: ANN201 (a view of the base, else pairs in the order of __iter__)
        if not self._top:
            return self._base.items()
        return super().items()

    def values(self):  # noqa: ANN201
        if not self._top:
            return self._base.values()
        return super().values()

    def __repr__(self) -> str:
        return f"Overlay({self.plain()!r})"
