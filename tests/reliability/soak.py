"""A soak run: many clients at once, mixing page and API reads with recruitment writes, for a bounded
time. Counts every answer by status, every write Pace acknowledged, and the server's resident memory
once a second; the caller then counts the writes back from the database.

Used by tests/reliability/test_soak.py (a short run in CI) and benchmarks/soak (long runs):
    python tests/reliability/soak.py URL TOKEN SECONDS CLIENTS PID"""
import collections
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request


def resident_megabytes(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def call(base, path, token, method="GET", body=None):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {token}"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, data=data, method=method, headers=headers), timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:
        return f"connection: {error.__class__.__name__}", b""


def open_sites(base, token, wanted=6):
    """Open recruiting sites, whose participants the run records."""
    sites = []
    status, body = call(base, "/api/v1/studies?per_page=200", token)
    assert status == 200, body
    for study in json.loads(body)["studies"]:
        status, body = call(base, f"/api/v1/studies/{study['cpms_id']}/sites", token)
        for site in json.loads(body)["sites"]:
            if site["role"] == "recruiting" and site.get("date_site_open") and not site.get("closed_to_recruitment"):
                sites.append((study["cpms_id"], site["site_ods"], site["date_site_open"]))
        if len(sites) >= wanted:
            break
    assert sites, "no open recruiting site to record participants at"
    return sites


def recruited(base, token, site):
    cpms, ods, _ = site
    status, body = call(base, f"/api/v1/studies/{cpms}/sites/{ods}", token)
    assert status == 200, body
    return json.loads(body)["participants"]


def soak(base, token, seconds, clients, pid, label="run"):
    sites = open_sites(base, token)
    before = {site: recruited(base, token, site) for site in sites}
    statuses = collections.Counter()
    acknowledged = collections.Counter()
    problems = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    memory = []

    def client(number):
        chance = random.Random(number)
        sent = 0
        while time.monotonic() < deadline:
            site = chance.choice(sites)
            cpms, ods, opened = site
            roll = chance.random()
            if roll < 0.3:
                sent += 1
                status, body = call(base, f"/api/v1/studies/{cpms}/sites/{ods}/participants", token, "POST",
                                    {"participant_id": f"SOAK-{label}-{number}-{sent}", "status": "recruited", "consent_date": opened})
            elif roll < 0.55:
                status, body = call(base, "/api/v1/studies?per_page=25", token)
            elif roll < 0.75:
                status, body = call(base, f"/studies/{cpms}", token)
            elif roll < 0.9:
                status, body = call(base, f"/api/v1/studies/{cpms}/sites/{ods}", token)
            else:
                status, body = call(base, "/", token)
            with lock:
                statuses[status] += 1
                if roll < 0.3 and status == 201:
                    acknowledged[site] += 1
                if not isinstance(status, int) or status >= 500 or (roll < 0.3 and status != 201):
                    problems.append(f"{status}: {body[:200]!r}")

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        memory.append(resident_megabytes(pid))
        time.sleep(1)
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    counted_back = {site: recruited(base, token, site) - before[site] for site in sites}
    lost = sum(max(0, acknowledged[site] - counted_back[site]) for site in sites)
    extra = sum(max(0, counted_back[site] - acknowledged[site]) for site in sites)
    quarter = max(1, len(memory) // 4)
    return {
        "requests": sum(statuses.values()),
        "requests_per_second": sum(statuses.values()) / elapsed,
        "statuses": {str(key): value for key, value in sorted(statuses.items(), key=lambda item: str(item[0]))},
        "server_errors": sum(value for key, value in statuses.items() if not isinstance(key, int) or key >= 500),
        "writes_acknowledged": sum(acknowledged.values()),
        "writes_counted_back": sum(counted_back.values()),
        "lost_writes": lost,
        "unacknowledged_writes_found": extra,
        "memory_first_quarter_mb": round(sum(memory[:quarter]) / quarter, 1),
        "memory_last_quarter_mb": round(sum(memory[-quarter:]) / quarter, 1),
        "memory_peak_mb": round(max(memory), 1) if memory else 0.0,
        "problems": problems[:10],
        "seconds": round(elapsed, 1),
        "clients": clients,
    }


if __name__ == "__main__":
    url, token, seconds, clients, pid = sys.argv[1:6]
    label = sys.argv[6] if len(sys.argv) > 6 else "run"
    print(json.dumps(soak(url, token, float(seconds), int(clients), int(pid), label), indent=2))
