"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django builds a new redis.Redis object for every cache call, and building one costs more
than the round trip to Redis itself (it fills a table of response callbacks): on a cached
page, which makes two cache calls, that was most of the time. redis.Redis is thread-safe
and shares its pool, so one per pool is enough.
"""

from __future__ import annotations

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
