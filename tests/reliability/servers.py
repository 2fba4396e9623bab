"""Starts what the reliability tests need by hand: a private PostgreSQL cluster that a test may stop
and start again, and `pace` servers on free ports."""
import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

PACE = os.environ["PACE_BINARY"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivatePostgres:
    """A throwaway cluster on loopback, run as the postgres user when the tests run as root."""

    def __init__(self):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(path.split("/")[-2]))
        if not binaries:
            raise RuntimeError("PostgreSQL is not installed")
        self.bin = binaries[-1]
        self.directory = tempfile.mkdtemp(prefix="pace-pg-")
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if os.getuid() == 0:
            shutil.chown(self.directory, "postgres")
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "pace")

    @property
    def data(self):
        return os.path.join(self.directory, "data")

    @property
    def url(self):
        return f"postgres://postgres:postgres@127.0.0.1:{self.port}/pace?sslmode=disable"

    def _run(self, program, *args):
        subprocess.run([*self.as_postgres, os.path.join(self.bin, program), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def start(self):
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.directory, "log"), "-w",
                  "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def remove(self):
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.directory, ignore_errors=True)


class Server:
    """`pace serve` (or `pace demo`) on a free port, with its log kept for a failing test to show."""

    def __init__(self, database_url, command="serve", environment=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="pace-server-", suffix=".log", delete=False)
        env = dict(os.environ, PACE_DATABASE_URL=database_url, PACE_LOG_LEVEL="warning", **(environment or {}))
        self.process = subprocess.Popen([PACE, command, "--port", str(self.port)], env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pace {command} stopped:\n{self.output()}")
            try:
                urllib.request.urlopen(self.base + "/health", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"pace {command} did not answer /health:\n{self.output()}")

    def output(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as handle:
            return handle.read()[-4000:]

    def running(self):
        return self.process.poll() is None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.unlink(self.log.name)


def request(base, path, method="GET", token=None, body=None, headers=None, timeout=30):
    """One HTTP request; returns (status, headers, body text) whatever the status."""
    data = json.dumps(body).encode() if body is not None else None
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if data is not None:
        sent["Content-Type"] = "application/json"
    call = urllib.request.Request(base + path, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(call, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def pace(*args, database_url, stdin=None):
    environment = dict(os.environ, PACE_DATABASE_URL=database_url)
    return subprocess.run([PACE, *args], capture_output=True, text=True, env=environment, input=stdin, timeout=600)


def generate_region(out, organisations, studies, participants, seed):
    """Writes a region's five interchange files with `pace generate`, as of a fixed day."""
    generated = pace("generate", "--out", out, "--organisations", str(organisations), "--studies", str(studies),
                     "--participants", str(participants), "--seed", str(seed), "--as-of", "2026-11-27", database_url="sqlite::memory:")
    assert generated.returncode == 0, generated.stderr
    return out


def load_region(out, database_url, email, password):
    """Imports the five files in order and adds one R&D manager account."""
    for kind in ["organisations", "studies", "sites", "participants", "recruitment-counts"]:
        loaded = pace("import", kind, os.path.join(out, f"{kind}.csv"), database_url=database_url)
        assert loaded.returncode == 0, loaded.stderr
    added = pace("user", "add", email, "--role", "rd-manager", database_url=database_url, stdin=password + "\n")
    assert added.returncode == 0, added.stderr
