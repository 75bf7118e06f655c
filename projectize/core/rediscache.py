"""Django's Redis cache backend, with one Redis client per connection pool instead of one per call.

Django builds a new `redis.Redis` for every cache call, and building one (its table of reply handlers is
filled anew) costs more than a GET on loopback; a kept page makes three such calls. A client is safe to
share between threads (each command takes a connection from the pool), so one per pool serves them all.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _SharedClients(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own helpers, which its type stubs leave out.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _SharedClients
