"""A bounded in-memory cache of finished tile bodies (as Martin keeps one), LRU by total bytes.

An entry is keyed by layer, z/x/y and whether the client accepts gzip, and holds the data
version the tile was cut from: a request still asks the database for the current version (in
the same round trip that would cut the tile), and the cached body is used only when the two are
equal, so a load that changes the data is never hidden by the cache.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import NamedTuple

from flask import Flask

from webmap.database import get_settings

# What an entry costs beyond its body (key, tuple, dict slot): empty tiles count too.
ENTRY_OVERHEAD = 200

CacheKey = tuple[str, int, int, int, bool]


class CachedTile(NamedTuple):
    """A finished tile body: the data version it was cut from, the bytes, whether gzipped."""

    version: int
    body: bytes
    gzipped: bool


class TileCache:
    """Least recently used tiles, at most `max_bytes` of bodies (plus a fixed cost per entry)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[CacheKey, CachedTile] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey) -> CachedTile | None:
        """The entry of `key` (now the most recently used), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: CacheKey, entry: CachedTile) -> None:
        """Store `entry`, replacing an older one of the key; evict the least recently used."""
        cost = len(entry.body) + ENTRY_OVERHEAD
        if cost > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body) + ENTRY_OVERHEAD
            self._entries[key] = entry
            self.size += cost
            while self.size > self.max_bytes:
                _key, evicted = self._entries.popitem(last=False)
                self.size -= len(evicted.body) + ENTRY_OVERHEAD


_CACHE_KEY = "naeringskart.tile_cache"


def tile_cache(app: Flask) -> TileCache | None:
    """This process's tile cache of the app (None when NAERINGSKART_TILE_CACHE_MB is 0)."""
    found: tuple[int, TileCache | None] | None = app.extensions.get(_CACHE_KEY)
    if found is None or found[0] != os.getpid():  # a forked worker starts its own
        with app.app_context():
            megabytes = get_settings().tile_cache_mb
        found = (os.getpid(), TileCache(megabytes * 1024 * 1024) if megabytes > 0 else None)
        app.extensions[_CACHE_KEY] = found
    return found[1]
