"""PostgreSQL at network scale: Pace rides out the database stopping, and two servers share one database."""
import http.cookiejar
import json
import os
import re
import tempfile
import time
import urllib.parse
import urllib.request

import pytest

from servers import PrivatePostgres, Server, generate_region, load_region, pace, request

PASSWORD = "reliability-password-1"


@pytest.fixture(scope="module")
def region():
    with tempfile.TemporaryDirectory() as directory:
        yield generate_region(os.path.join(directory, "region"), organisations=12, studies=40, participants=3000, seed=5)


@pytest.fixture
def postgres(region):
    cluster = PrivatePostgres()
    try:
        load_region(region, cluster.url, "manager@trust.example", PASSWORD)
        yield cluster
    finally:
        cluster.remove()


def token_for(cluster):
    made = pace("user", "token", "manager@trust.example", "--name", "reliability", database_url=cluster.url)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def a_recruiting_site(base, token):
    status, _, body = request(base, "/api/v1/studies", token=token)
    assert status == 200, body
    for study in json.loads(body)["studies"]:
        status, _, body = request(base, f"/api/v1/studies/{study['cpms_id']}/sites", token=token)
        for site in json.loads(body)["sites"]:
            if site["role"] == "recruiting" and site.get("date_site_open") and not site.get("closed_to_recruitment"):
                return study["cpms_id"], site["site_ods"]
    raise AssertionError("the region has no open recruiting site")


def participants_at(base, token, cpms, ods):
    status, _, body = request(base, f"/api/v1/studies/{cpms}/sites/{ods}", token=token)
    assert status == 200, body
    return json.loads(body)


def test_a_postgresql_outage_is_answered_503_and_service_resumes_by_itself(postgres):
    server = Server(postgres.url)
    try:
        token = token_for(postgres)
        cpms, ods = a_recruiting_site(server.base, token)
        path = f"/api/v1/studies/{cpms}/sites/{ods}/participants"

        for mode in ["fast", "immediate"]:
            postgres.stop(mode)
            status, headers, body = request(server.base, "/health")
            assert (status, json.loads(body)["database"]) == (503, "unreachable"), body
            assert headers["Retry-After"]
            status, headers, body = request(server.base, "/studies", token=token)
            assert status == 503 and "cannot use its database" in body and "<html" in body, body[:300]
            status, _, body = request(server.base, "/api/v1/studies", token=token)
            assert status == 503 and "cannot use its database" in json.loads(body)["error"]
            status, _, body = request(server.base, path, "POST", token=token,
                                      body={"participant_id": f"OUTAGE-{mode}", "status": "recruited", "consent_date": "2026-11-20"})
            assert status == 503, body
            status, _, _ = request(server.base, "/sign-in")
            assert status == 503
            assert server.running(), server.output()

            postgres.start()
            deadline = time.monotonic() + 30
            while request(server.base, "/health")[0] != 200:
                assert time.monotonic() < deadline, "service did not resume within 30 s of the database returning"
                time.sleep(0.2)
            status, _, body = request(server.base, path, "POST", token=token,
                                      body={"participant_id": f"AFTER-{mode}", "status": "recruited", "consent_date": "2026-11-20"})
            assert status == 201, body

        # The writes refused during the outages were not half-made; those after it are there.
        identifiers = set()
        for page in range(1, 100):
            status, _, body = request(server.base, f"{path}?per_page=1000&page={page}", token=token)
            rows = json.loads(body)["participants"]
            identifiers |= {row["participant_id"] for row in rows}
            if len(rows) < 1000:
                break
        assert {"AFTER-fast", "AFTER-immediate"} <= identifiers
        assert not identifiers & {"OUTAGE-fast", "OUTAGE-immediate"}
        assert pace("audit", "verify", database_url=postgres.url).returncode == 0
        assert "failed:" not in server.output(), "an outage was logged as a failure (a 500)"
    finally:
        server.stop()


def signed_in_opener(base):
    """Signs in through the form, as a browser would; returns an opener holding the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/sign-in").read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": csrf, "email": "manager@trust.example", "password": PASSWORD}).encode()
    opener.open(base + "/sign-in", data=form)
    return opener, jar


def test_two_servers_share_one_postgresql(postgres):
    first, second = Server(postgres.url), Server(postgres.url)
    try:
        token = token_for(postgres)
        cpms, ods = a_recruiting_site(first.base, token)
        before = participants_at(second.base, token, cpms, ods)
        path = f"/api/v1/studies/{cpms}/sites/{ods}/participants"
        status, _, body = request(first.base, path, "POST", token=token,
                                  body={"participant_id": "TWO-SERVERS-1", "status": "recruited", "consent_date": "2026-11-20"})
        assert status == 201, body
        after = participants_at(second.base, token, cpms, ods)
        assert after["recruited"] == before["recruited"] + 1, (before, after)

        # A session made on one server is honoured by the other, and signing out on the other ends it on both.
        opener, jar = signed_in_opener(first.base)
        assert any(cookie.name == "pace_session" for cookie in jar)
        for base in (first.base, second.base):
            response = opener.open(base + "/studies")
            assert response.url.endswith("/studies") and "Sign out" in response.read().decode()
        page = opener.open(second.base + "/studies").read().decode()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        opener.open(second.base + "/sign-out", data=urllib.parse.urlencode({"csrf_token": csrf}).encode())
        assert "/sign-in" in opener.open(first.base + "/studies").url
    finally:
        first.stop()
        second.stop()
