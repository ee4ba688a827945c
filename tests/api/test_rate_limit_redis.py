"""The API's rate limit counted once for several app servers: with ``RATELIMIT_STORAGE_URI`` pointing
at Redis, every server counts in the same place. Needs the machine's Redis (127.0.0.1:6379): outside
CI the test skips with the reason when none answers; in CI it must run."""
import os

import pytest
import redis

from fsi import create_app
from fsi.api import tokens
from fsi.api.ratelimit import limiter
from tests.conftest import IN_CI, TEST_CONFIG
from tests.factories import create_user

REDIS_URL = os.environ.get("FSI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMIT = "3 per minute"


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if IN_CI:
            pytest.fail(f"CI needs the Redis server of {REDIS_URL}")
        pytest.skip(f"no Redis server answers at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def server(redis_url, schema, database_url, shared_app, tmp_path):
    """An app server counting the limit in Redis."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "UPLOAD_FOLDER": str(tmp_path / "uploads"),
                      "RATELIMIT_STORAGE_URI": redis_url, "API_RATE_LIMIT": LIMIT})
    yield app
    app.extensions["fsi.db"].dispose()
    limiter.init_app(shared_app)  # the limiter is one per process: back to the suite's (in memory)


def test_the_limit_is_counted_in_redis_for_every_server(server, in_db):
    with in_db():
        _token, text = tokens.create(create_user(), "intégration")
    headers = {"Authorization": f"Bearer {text}"}
    client = server.test_client()
    assert [client.get("/api/v1/calls", headers=headers).status_code for _ in range(2)] == [200, 200]
    store = redis.Redis.from_url(REDIS_URL)
    counters = list(store.scan_iter(f"*{tokens.token_hash(text)}*"))  # the token's own: a fresh one
    try:
        assert len(counters) == 1 and store.get(counters[0]) == b"2"  # in Redis, where every server counts
        store.incr(counters[0])  # a request of the same token on another server
        assert client.get("/api/v1/calls", headers=headers).status_code == 429
    finally:
        if counters:
            store.delete(*counters)
