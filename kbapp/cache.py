"""Django's cache backends, each with one fix for how this site uses them.

KbRedisCache: one Redis client per connection pool instead of one per call. Django builds
a new redis.Redis object for every cache call, and building one costs more than the round
trip to Redis itself (it fills a table of response callbacks): on a cached page, which
makes two cache calls, that was most of the time. redis.Redis is thread-safe and shares
its pool, so one per pool is enough.

KbFileCache: the file cache without a listing of its whole folder on every write.
"""

from __future__ import annotations

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class KbRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


class KbFileCache(FileBasedCache):
    """Django's file cache lists every file it holds on each set(), to see whether it is
    over MAX_ENTRIES: with the page cache's thousands of pages that is milliseconds a
    write, paid by every cached page and every content-version bump an editor's save
    makes. Here each process looks once every CULL_EVERY writes, so the folder can
    overshoot MAX_ENTRIES by that many a worker before it is culled."""

    CULL_EVERY = 200

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes = 0

    def _cull(self):
        self._writes += 1
        if self._writes % self.CULL_EVERY == 1:
            super()._cull()
