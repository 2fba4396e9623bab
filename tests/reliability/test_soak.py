"""A short soak run in CI: 50 clients reading and recording recruitment at once against SQLite and
PostgreSQL. No 5xx, every acknowledged write is in the database, and memory does not climb.
benchmarks/soak runs the same for longer."""
import os
import tempfile

import pytest

from servers import PrivatePostgres, Server, generate_region, load_region, pace
from soak import soak

SECONDS = float(os.environ.get("PACE_SOAK_SECONDS", "20"))
CLIENTS = int(os.environ.get("PACE_SOAK_CLIENTS", "50"))


@pytest.fixture(scope="module")
def region():
    with tempfile.TemporaryDirectory() as directory:
        yield generate_region(os.path.join(directory, "region"), organisations=20, studies=60, participants=5000, seed=3)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, region):
    with tempfile.TemporaryDirectory() as directory:
        cluster = PrivatePostgres() if request.param == "postgres" else None
        url = cluster.url if cluster else f"sqlite:{os.path.join(directory, 'pace.sqlite')}"
        try:
            load_region(region, url, "soak@trust.example", "soak-password-123")
            yield url
        finally:
            if cluster:
                cluster.remove()


def test_fifty_clients_lose_nothing_and_get_no_server_errors(database_url):
    server = Server(database_url)
    try:
        token = pace("user", "token", "soak@trust.example", "--name", "soak", database_url=database_url).stdout.strip()
        result = soak(server.base, token, SECONDS, CLIENTS, server.process.pid)
        print(result)
        assert result["server_errors"] == 0, (result, server.output())
        assert result["problems"] == [], result
        assert result["writes_acknowledged"] > 0, result
        assert (result["lost_writes"], result["unacknowledged_writes_found"]) == (0, 0), result
        # Flat, with room for the allocator's first growth: a leak of a few kilobytes per request over
        # thousands of requests would break this.
        assert result["memory_last_quarter_mb"] <= result["memory_first_quarter_mb"] * 1.5 + 32, result
        assert server.running()
        assert pace("audit", "verify", database_url=database_url).returncode == 0
    finally:
        server.stop()
