"""Schemathesis drives every operation in /api/v1/openapi.json with generated good and bad input, signed
in with an API token: no response may be a 5xx, and every response must match the document."""
import os
import subprocess
import sys
import tempfile

import pytest

from servers import PrivatePostgres, Server, pace

SCHEMATHESIS = os.path.join(os.path.dirname(sys.executable), "schemathesis")


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request):
    if request.param == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:{os.path.join(directory, 'pace.sqlite')}"
    else:
        cluster = PrivatePostgres()
        try:
            yield cluster.url
        finally:
            cluster.remove()


def test_every_api_response_matches_the_openapi_document(database_url):
    server = Server(database_url, command="demo", environment={"PACE_DEMO_PASSWORD": "schema-test-password"})
    try:
        made = pace("user", "token", "manager@pace.example", "--name", "schemathesis", database_url=database_url)
        assert made.returncode == 0, made.stderr
        with tempfile.TemporaryDirectory() as reports:
            # The coverage phase is left out: on a fresh install it once crashed inside schemathesis ("AST
            # constructor recursion depth mismatch") and passed on a rerun, and a flaky test blocks every
            # landing; Pace's own route fuzzer (RouteFuzzTests) sends boundary and hostile values instead.
            # positive_data_acceptance is left out: a schema cannot say every domain rule (an NHS number
            # in a participant ID, a date before the site opened, an unknown sponsor), so Pace rightly
            # answers some schema-valid bodies with a documented 422 naming the field.
            run = subprocess.run(
                [SCHEMATHESIS, "run", f"{server.base}/api/v1/openapi.json", "--header", f"Authorization: Bearer {made.stdout.strip()}",
                 "--checks", "all", "--exclude-checks", "positive_data_acceptance", "--max-examples", "25", "--seed", "11",
                 "--phases", "examples,fuzzing,stateful",
                 "--workers", "2", "--no-color", "--report-dir", reports],
                capture_output=True, text=True, timeout=900, cwd=reports)
        assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
        assert "failed:" not in server.output(), server.output()
        assert server.running()
    finally:
        server.stop()
