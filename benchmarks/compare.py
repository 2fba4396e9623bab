"""Pace measured against the tools people would use instead, each as a ratio to a reference run in the
same script (absolute times on a shared machine are noise). Prints Markdown tables for BENCHMARKS.md and
writes every figure to results.json in the work directory. Run through benchmarks/run."""
import csv
import datetime
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "reliability"))
import duckdb_reports  # noqa: E402
from servers import PrivatePostgres  # noqa: E402

PACE = os.environ["PACE_BINARY"]
WORK = os.environ["PACE_BENCH_DIR"]
ORGANISATIONS, STUDIES, PARTICIPANTS = (int(value) for value in os.environ.get("PACE_BENCH_REGION", "250 40000 5000000").split())
SMALL_ROWS = int(os.environ.get("PACE_BENCH_SMALL", "500000"))
WRK_SECONDS = int(os.environ.get("PACE_BENCH_WRK_SECONDS", "10"))
WITH_POSTGRES = os.environ.get("PACE_BENCH_POSTGRES", "1") != "0"
# Which parts to run: "import,reports,pages". Pages alone reuse the SQLite database an earlier run imported.
PARTS = set(os.environ.get("PACE_BENCH_PARTS", "import,reports,pages").split(","))
AS_OF = "2026-11-27"
HOST = "RAAAB"  # a mental-health trust of the generated region
results = {"machine": os.uname().nodename, "cores": os.cpu_count(), "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}


def say(text=""):
    print(text, flush=True)


def timed(command, env=None, stdout=subprocess.DEVNULL):
    """Runs a command; returns (seconds, peak resident MB, completed process)."""
    rss = tempfile.NamedTemporaryFile(delete=False)
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *command], env=dict(os.environ, **(env or {})),
                          stdout=stdout, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    with open(rss.name, encoding="ascii") as handle:
        peak = int(handle.read().strip().splitlines()[-1]) / 1024
    os.unlink(rss.name)
    return took, peak, done


def pace(*args, database_url, stdout=subprocess.DEVNULL, stdin=None):
    done = subprocess.run([PACE, *args], env=dict(os.environ, PACE_DATABASE_URL=database_url, PACE_HOST_ODS=HOST),
                          stdout=stdout, stderr=subprocess.PIPE, text=True, input=stdin)
    if done.returncode != 0:
        raise SystemExit(f"pace {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done


# Every goal the issue sets, as measured in this run: printed together at the end, and kept in results.json.
goals = []


def verdict(met):
    return "met" if met else "**not met**"


def judged(comparison, measured, goal, met):
    """Records one goal's verdict and answers it as the tables write it."""
    goals.append({"comparison": comparison, "measured": measured, "goal": goal, "met": met})
    return verdict(met)


def goals_summary():
    if not goals:
        return
    say("## Every goal of this run")
    say()
    say("| comparison | measured | goal | met? |")
    say("|---|---|---|---|")
    for goal in goals:
        say(f"| {goal['comparison']} | {goal['measured']} | {goal['goal']} | {verdict(goal['met'])} |")
    say()
    say(f"{sum(goal['met'] for goal in goals)} of {len(goals)} goals met.")
    results["goals"] = goals


# ---------------------------------------------------------------------------------------------- data
def region_files():
    directory = os.path.join(WORK, f"region-{ORGANISATIONS}-{STUDIES}-{PARTICIPANTS}")
    if not os.path.exists(os.path.join(directory, "participants.csv")):
        took, peak, _ = timed([PACE, "generate", "--out", directory, "--organisations", str(ORGANISATIONS), "--studies", str(STUDIES),
                               "--participants", str(PARTICIPANTS), "--seed", "1", "--as-of", AS_OF])
        results["generate"] = {"seconds": took, "peak_mb": peak}
    small = os.path.join(WORK, f"participants-{SMALL_ROWS}.csv")
    if not os.path.exists(small):
        with open(os.path.join(directory, "participants.csv"), encoding="utf-8") as source, open(small, "w", encoding="utf-8") as target:
            for number, line in enumerate(source):
                if number > SMALL_ROWS:
                    break
                target.write(line)
    return directory, small


# -------------------------------------------------------------------------------------------- import
def import_benchmark(directory, small):
    say("## 1. Import: `pace import participants` against `sqlite3 .import` of the same file")
    say()
    say("A first load goes into a database holding the region's organisations, studies and sites and no participants;")
    say("the re-import reads the same file again into the loaded table (every row already held, none changed).")
    say()
    say("| file | load | Pace | sqlite3 `.import` (bare table) | ratio | goal | met? | Pace peak memory |")
    say("|---|---|---|---|---|---|---|---|")
    rows = []
    region_database = None
    for label, file in [(f"{SMALL_ROWS:,} rows", small), (f"{PARTICIPANTS:,} rows", os.path.join(directory, "participants.csv"))]:
        database = os.path.join(WORK, f"import-{os.path.basename(file)}.sqlite")
        for path in (database, database + "-wal", database + "-shm"):
            if os.path.exists(path):
                os.unlink(path)
        url = f"sqlite:{database}"
        for kind in ["organisations", "studies", "sites"]:
            pace("import", kind, os.path.join(directory, f"{kind}.csv"), database_url=url)
        reference = os.path.join(WORK, "reference.sqlite")
        if os.path.exists(reference):
            os.unlink(reference)
        reference_seconds, _, _ = timed(["sqlite3", reference, ".mode csv", ".import " + file + " participants"])
        os.unlink(reference)
        for load, goal in [("first load", 1.5), ("re-import, same file", 3.0)]:
            pace_seconds, peak, _ = timed([PACE, "import", "participants", file], env={"PACE_DATABASE_URL": url})
            ratio = pace_seconds / reference_seconds
            outcome = judged(f"import {label} into SQLite, {load}", f"{ratio:.1f}× `sqlite3 .import`", f"≤ {goal:g}×", ratio <= goal)
            rows.append({"file": label, "load": load, "pace_seconds": pace_seconds, "sqlite3_seconds": reference_seconds, "ratio": ratio, "pace_peak_mb": peak})
            say(f"| {label} | {load} | {pace_seconds:.1f} s | {reference_seconds:.1f} s | {ratio:.1f}× | ≤ {goal:g}× | {outcome} | {peak:.0f} MB |")
        region_database = url
    # Memory must stay flat in every run, first loads and re-imports alike: the highest peak of each file is judged.
    peaks = {label: max(row["pace_peak_mb"] for row in rows if row["file"] == label) for label in dict.fromkeys(row["file"] for row in rows)}
    highest = max(peaks.values())
    judged("import peak memory", ", ".join(f"{peak:.0f} MB at {label}" for label, peak in peaks.items()), "≤ 200 MB", highest <= 200)
    results["import"] = rows
    pace("import", "recruitment-counts", os.path.join(directory, "recruitment-counts.csv"), database_url=region_database)
    say()
    return region_database


# ------------------------------------------------------------------------------------------- reports
def pace_report(database_url, *args):
    """Best of three whole `pace report … --format csv` processes, and the rows of the last."""
    best, text = None, ""
    for _ in range(3):
        started = time.perf_counter()
        text = pace("report", *args, "--format", "csv", database_url=database_url, stdout=subprocess.PIPE).stdout
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
    return best, list(csv.DictReader(io.StringIO(text)))


def same(pace_value, duck_value):
    """A Pace CSV cell against a DuckDB value, by the report conventions (empty is null, booleans true/false)."""
    if duck_value is None:
        return pace_value == ""
    if isinstance(duck_value, bool):
        return pace_value == ("true" if duck_value else "false")
    if isinstance(duck_value, float):
        return pace_value != "" and math.isclose(float(pace_value), duck_value, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(duck_value, datetime.date):
        return pace_value == duck_value.isoformat()
    return pace_value == str(duck_value)


def compare(name, pace_rows, duck_rows, key, fields):
    """Every field of every row agrees, matched by key; returns a list of disagreements (at most 5)."""
    duck = {tuple(str(row[part]) for part in key): row for row in duck_rows}
    problems = []
    if len(pace_rows) != len(duck_rows):
        problems.append(f"{name}: Pace has {len(pace_rows)} rows, DuckDB {len(duck_rows)}")
    for row in pace_rows:
        other = duck.get(tuple(row[part] for part in key))
        if other is None:
            problems.append(f"{name}: {key}={[row[part] for part in key]} only in Pace")
            continue
        for field in fields:
            if not same(row[field], other[field]):
                problems.append(f"{name}: {[row[part] for part in key]} {field}: Pace {row[field]!r}, DuckDB {other[field]!r}")
    return problems[:5]


def reports_benchmark(directory, database_url):
    say("## 2. Reports at region scale: Pace against DuckDB over the same CSV files")
    say()
    connection, load_seconds = duckdb_reports.load(directory)
    on = datetime.date.fromisoformat(AS_OF)
    year_start, year_end = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)
    kpi_start = datetime.date(2026, 4, 1)
    cases = [
        ("league table 2025-26", ["league-table", "--year", "2025-26"], duckdb_reports.LEAGUE, {"start": year_start, "end": year_end},
         ["ods_code"], ["participants", "recruiting_studies", "rank_participants", "rank_studies", "type", "subtype"]),
        ("KPI report 2026-04-01 to 2026-11-27", ["kpis", "--from", kpi_start.isoformat(), "--to", AS_OF], duckdb_reports.KPIS,
         {"start": kpi_start, "end": on}, ["kpi"], ["eligible", "met"]),
        (f"sites report on {AS_OF} (every site)", ["sites", "--on", AS_OF], duckdb_reports.SITES, {"on": on},
         ["cpms_id", "site_ods"], ["role", "recruited_to_date", "site_target", "rtt", "on_track", "traffic_light", "hlo9_days",
                                   "kpi_open60_days", "kpi_first30_days", "kpi150_days", "forecast_target_date"]),
    ]
    say(f"DuckDB {duckdb_reports.duckdb.__version__} loaded the five files into tables in {load_seconds:.1f} s (not counted below).")
    say()
    say("| report | Pace (whole `pace report` process, best of 3) | DuckDB (query on loaded tables, best of 3) | ratio | goal | met? | same numbers |")
    say("|---|---|---|---|---|---|---|")
    rows = []
    for label, arguments, query, parameters, key, fields in cases:
        pace_seconds, pace_rows = pace_report(database_url, *arguments)
        duck_seconds, duck_rows = duckdb_reports.run(connection, query, parameters)
        if arguments[0] == "kpis":
            # The DuckDB queries compute the three time-and-target indicators; the report's others are Pace's own.
            computed = {row["kpi"] for row in duck_rows}
            pace_rows = [row for row in pace_rows if row["kpi"] in computed]
        problems = compare(label, pace_rows, duck_rows, key, fields)
        agreement = f"yes, {len(pace_rows):,} rows" if not problems else "NO: " + "; ".join(problems)
        ratio = pace_seconds / duck_seconds
        rows.append({"report": label, "pace_seconds": pace_seconds, "duckdb_seconds": duck_seconds, "ratio": ratio, "agree": not problems, "problems": problems})
        outcome = judged(f"report: {label}", f"{ratio:.1f}× DuckDB", "≤ 1×", ratio <= 1)
        judged(f"report: {label}, same numbers as DuckDB", agreement, "agree", not problems)
        say(f"| {label} | {pace_seconds:.2f} s | {duck_seconds:.2f} s | {ratio:.1f}× | ≤ 1× | {outcome} | {agreement} |")
    results["reports"] = {"duckdb_load_seconds": load_seconds, "rows": rows}
    say()


# --------------------------------------------------------------------------------------------- pages
def serve(database_url):
    """Starts `pace serve`; returns the process, its base URL, seconds to the first good /health, and idle memory."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    process = subprocess.Popen([PACE, "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=dict(os.environ, PACE_DATABASE_URL=database_url, PACE_HOST_ODS=HOST, PACE_LOG_LEVEL="warning"))
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            urllib.request.urlopen(base + "/health", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.perf_counter() - started > 300:
                raise SystemExit("pace serve did not start")
            time.sleep(0.02)
    startup = time.perf_counter() - started
    time.sleep(5)
    with open(f"/proc/{process.pid}/status", encoding="ascii") as status:
        idle = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    return process, base, startup, idle


def wrk(base, path, token):
    # A 10 s timeout, so a slow page is measured as slow rather than dropped as a timeout.
    out = subprocess.run(["wrk", "-t2", "-c50", f"-d{WRK_SECONDS}s", "--timeout", "10s", "--latency", "-H", f"Authorization: Bearer {token}", base + path],
                         capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def milliseconds(percentile):
        value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    failures = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"Socket errors: .*timeout (\d+)", out)
    completed = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rate": rate, "requests": completed, "p50_ms": milliseconds(50) if completed else math.inf,
            "p99_ms": milliseconds(99) if completed else math.inf, "non_2xx": int(failures.group(1)) if failures else 0,
            "timeouts": int(timeouts.group(1)) if timeouts else 0}


def pages_benchmark(label, database_url):
    if "bench@trust.example" not in pace("user", "list", database_url=database_url, stdout=subprocess.PIPE).stdout:
        pace("user", "add", "bench@trust.example", "--role", "rd-manager", database_url=database_url, stdin="benchmark-password-1\n")
    token = pace("user", "token", "bench@trust.example", "--name", "benchmark", database_url=database_url, stdout=subprocess.PIPE).stdout.strip()
    process, base, startup, idle = serve(database_url)
    try:
        request = urllib.request.Request(base + "/api/v1/studies?phase=open&per_page=1", headers={"Authorization": f"Bearer {token}"})
        cpms = json.load(urllib.request.urlopen(request))["studies"][0]["cpms_id"]
        say(f"### {label}")
        say()
        say(f"`pace serve` answered `/health` {startup:.2f} s after starting, and held {idle:.0f} MB resident once idle.")
        say()
        say("| page | requests/s | p50 | p99 | paired `/health` requests/s | share of ceiling | goal | met? | p99 goal |")
        say("|---|---|---|---|---|---|---|---|---|")
        rows = []
        for path in ["/dashboard", "/studies", f"/studies/{cpms}", "/api/v1/studies"]:
            ceiling = wrk(base, "/health", token)
            page = wrk(base, path, token)
            share = page["rate"] / ceiling["rate"]
            rows.append({"path": path, **page, "ceiling": ceiling["rate"], "share": share})
            errors = (f" ({page['non_2xx']} non-2xx)" if page["non_2xx"] else "") + (f" ({page['timeouts']} timed out)" if page["timeouts"] else "")
            share_verdict = judged(f"{label} `{path}`, share of `/health`", f"{share * 100:.1f}%", "≥ 30%", share >= 0.30)
            p99_verdict = judged(f"{label} `{path}`, p99 at 50 connections", f"{page['p99_ms']:.0f} ms", "< 100 ms", page["p99_ms"] < 100)
            say(f"| `{path}` | {page['rate']:.0f}{errors} | {page['p50_ms']:.1f} ms | {page['p99_ms']:.1f} ms | {ceiling['rate']:.0f} | "
                f"{share * 100:.1f}% | ≥ 30% | {share_verdict} | {p99_verdict} (< 100 ms) |")
        results.setdefault("pages", {})[label] = {"startup_seconds": startup, "idle_mb": idle, "rows": rows}
        say()
    finally:
        process.terminate()
        process.wait()


def psql_copy_seconds(cluster, file):
    """`psql \\copy` of the file into a bare table with every column text: the floor for PostgreSQL."""
    with open(file, encoding="utf-8") as handle:
        columns = next(csv.reader(handle))
    table = "copy_reference"
    definition = ", ".join(f'"{column}" text' for column in columns)
    psql = [*cluster.as_postgres, os.path.join(cluster.bin, "psql"), "-q", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "pace", "-c"]
    subprocess.run([*psql, f"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} ({definition})"], check=True, stdout=subprocess.DEVNULL)
    # psql reads the file as the postgres user when the benchmark runs as root: stream it on standard input instead.
    with open(file, "rb") as source:
        started = time.perf_counter()
        subprocess.run([*psql, f"\\copy {table} FROM pstdin WITH (FORMAT csv, HEADER true)"], check=True, stdin=source, stdout=subprocess.DEVNULL)
        took = time.perf_counter() - started
    subprocess.run([*psql, f"DROP TABLE {table}"], check=True, stdout=subprocess.DEVNULL)
    return took


def postgres_region(directory):
    cluster = PrivatePostgres()
    url = cluster.url
    say("### PostgreSQL: loading the region")
    say()
    for kind in ["organisations", "studies", "sites", "participants", "recruitment-counts"]:
        file = os.path.join(directory, f"{kind}.csv")
        took, peak, _ = timed([PACE, "import", kind, file], env={"PACE_DATABASE_URL": url})
        results.setdefault("postgres_import", {})[kind] = {"seconds": took, "peak_mb": peak}
        if kind != "participants":
            say(f"- `pace import {kind}`: {took:.1f} s, peak {peak:.0f} MB")
            continue
        reference = psql_copy_seconds(cluster, file)
        ratio = took / reference
        results["postgres_import"][kind].update({"psql_copy_seconds": reference, "ratio": ratio})
        say(f"- `pace import {kind}`: {took:.1f} s, peak {peak:.0f} MB; `psql \\copy` into a bare text table {reference:.1f} s: {ratio:.1f}× (no goal set)")
    say()
    return cluster


def main():
    say(f"Machine: {os.cpu_count()} cores; `pace` release build; region {ORGANISATIONS:,} organisations, {STUDIES:,} studies, {PARTICIPANTS:,} participants.")
    say()
    directory, small = region_files()
    if "import" in PARTS:
        sqlite_url = import_benchmark(directory, small)
    else:
        sqlite_url = f"sqlite:{os.path.join(WORK, 'import-participants.csv.sqlite')}"
        if not os.path.exists(sqlite_url[len("sqlite:"):]):
            raise SystemExit("No region database yet: run with PACE_BENCH_PARTS including import first.")
    if "reports" in PARTS:
        reports_benchmark(directory, sqlite_url)
    if "pages" not in PARTS:
        return
    say("## 3 and 4. Pages under `wrk -t2 -c50`, start-up and idle memory, with the region loaded")
    say()
    pages_benchmark("SQLite", sqlite_url)
    if WITH_POSTGRES:
        cluster = postgres_region(directory)
        try:
            pages_benchmark("PostgreSQL", cluster.url)
        finally:
            cluster.remove()

if __name__ == "__main__":
    try:
        main()
    finally:
        goals_summary()
        with open(os.path.join(WORK, "results.json"), "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2, default=str)
