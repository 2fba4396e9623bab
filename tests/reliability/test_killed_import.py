"""An import killed with SIGKILL at a random moment leaves all of the file or none of it, and a re-run succeeds."""
import os
import random
import signal
import sqlite3
import subprocess
import tempfile
import time

import pytest

PACE = os.environ["PACE_BINARY"]


def run(*args, env):
    environment = dict(os.environ, **env)
    return subprocess.run([PACE, *args], capture_output=True, text=True, env=environment, timeout=600)


def counts(database_file):
    with sqlite3.connect(database_file) as connection:
        participants = connection.execute("SELECT COUNT(*) FROM participants").fetchone()[0]
        # The roll-ups are written in the same transaction, so they agree with the rows whatever happened.
        rolled_up = connection.execute("SELECT COALESCE(SUM(recruited), 0) FROM site_recruitment").fetchone()[0]
        recruited = connection.execute("SELECT COUNT(*) FROM participants WHERE recruitment_day IS NOT NULL").fetchone()[0]
        imports = connection.execute("SELECT COUNT(*) FROM audit_events WHERE record_type = 'participants'").fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    return participants, rolled_up, recruited, imports, integrity


@pytest.fixture(scope="module")
def region():
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "region")
        generated = run("generate", "--out", out, "--organisations", "20", "--studies", "120", "--participants", "40000", "--seed", "9", "--as-of", "2026-11-27", env={})
        assert generated.returncode == 0, generated.stderr
        yield directory, out


def test_a_killed_import_writes_all_or_nothing_and_a_rerun_succeeds(region):
    directory, out = region
    database_file = os.path.join(directory, "killed.sqlite")
    environment = {"PACE_DATABASE_URL": f"sqlite:{database_file}"}
    for kind in ["organisations", "studies", "sites"]:
        result = run("import", kind, os.path.join(out, f"{kind}.csv"), env=environment)
        assert result.returncode == 0, result.stderr
    file = os.path.join(out, "participants.csv")
    with open(file, encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1

    chance = random.Random(int(os.environ.get("PACE_KILL_SEED", "7")))
    outcomes = []
    for attempt in range(6):
        process = subprocess.Popen([PACE, "import", "participants", file], env=dict(os.environ, **environment),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.2, 3.0))
        finished = process.poll() is not None
        if not finished:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        participants, rolled_up, recruited, imports, integrity = counts(database_file)
        assert integrity == "ok"
        assert participants in (0, rows), f"attempt {attempt}: {participants} of {rows} rows written"
        assert rolled_up == recruited
        assert imports == (1 if participants else 0)
        outcomes.append("finished" if finished else "killed")
        if participants:
            break
    assert "killed" in outcomes, "the import always finished before the kill; the test proved nothing"

    rerun = run("import", "participants", file, env=environment)
    assert rerun.returncode == 0, rerun.stderr
    participants, rolled_up, recruited, _, integrity = counts(database_file)
    assert (participants, integrity) == (rows, "ok")
    assert rolled_up == recruited
    assert run("audit", "verify", env=environment).returncode == 0


def test_a_backup_taken_while_serving_is_a_complete_consistent_copy(region):
    directory, out = region
    database_file = os.path.join(directory, "served.sqlite")
    environment = {"PACE_DATABASE_URL": f"sqlite:{database_file}"}
    for kind in ["organisations", "studies", "sites", "participants", "recruitment-counts"]:
        assert run("import", kind, os.path.join(out, f"{kind}.csv"), env=environment).returncode == 0
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([PACE, "serve", "--port", str(port)], env=dict(os.environ, **environment, PACE_LOG_LEVEL="warning"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health")
                break
            except OSError:
                time.sleep(0.1)
        assert server.poll() is None, "pace serve is not running"
        backup = os.path.join(directory, "backup.sqlite")
        taken = run("backup", backup, env=environment)
        assert taken.returncode == 0, taken.stderr
        assert "Backed up" in taken.stdout
        again = run("backup", backup, env=environment)
        assert again.returncode != 0 and "already exists" in again.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert counts(backup) == counts(database_file)
    assert run("audit", "verify", env={"PACE_DATABASE_URL": f"sqlite:{backup}"}).returncode == 0
    postgres = run("backup", os.path.join(directory, "x"), env={"PACE_DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    assert postgres.returncode != 0 and "use pg_dump" in postgres.stderr
