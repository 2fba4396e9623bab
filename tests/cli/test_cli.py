"""The `pace` command line as an operator uses it: import, export, errors and help."""
import os
import subprocess
import tempfile

import pytest

PACE = os.environ["PACE_BINARY"]


def run(*args, env=None, cwd=None, input=None):
    environment = dict(os.environ)
    environment.update(env or {})
    return subprocess.run([PACE, *args], capture_output=True, text=True, env=environment, cwd=cwd, timeout=300, input=input)


def viewer_token(database):
    """Creates a viewer account and an API token for it, as an operator would."""
    environment = {"PACE_DATABASE_URL": database}
    added = run("user", "add", "reader@trust.example", "--role", "viewer", env=environment, input="a long enough password\n")
    assert added.returncode == 0, added.stderr
    issued = run("user", "token", "reader@trust.example", "--name", "cli tests", env=environment)
    assert issued.returncode == 0, issued.stderr
    return issued.stdout.strip()


def fetch(url, token):
    import urllib.request

    return urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"}))


@pytest.fixture()
def workdir():
    with tempfile.TemporaryDirectory() as directory:
        yield directory


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


ORGANISATIONS = "ods_code,name,type,subtype\r\nRT5,Leicestershire Partnership NHS Trust,nhs-trust,mental-health\r\nULEIC,University of Leicester,university,\r\n"
STUDIES = "cpms_id,short_name,route,sponsor_ods,themes\r\n41001,CALM,non-commercial,ULEIC,Data2Health;Mental Health and Wellbeing\r\n"
SITES = "cpms_id,site_ods,role,site_target,date_site_selected\r\n41001,RT5,recruiting,40,2024-04-01\r\n"
PARTICIPANTS = "cpms_id,site_ods,participant_id,status,consent_date,recruited_date\r\n41001,RT5,CALM-001,recruited,2024-06-01,2024-06-03\r\n"


def load(directory, database):
    for kind, text in [("organisations", ORGANISATIONS), ("studies", STUDIES), ("sites", SITES), ("participants", PARTICIPANTS)]:
        result = run("import", kind, write(directory, f"{kind}.csv", text), env={"PACE_DATABASE_URL": database})
        assert result.returncode == 0, result.stderr
        assert f"{kind} records read" in result.stdout


def without_change_times(path):
    """An export without its last column, last_changed (a time: no comma, quote or line break)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [line.rsplit(",", 1)[0] for line in handle.read().split("\r\n")]


def test_import_export_round_trips_and_repeats_change_nothing(workdir):
    database = f"sqlite:{workdir}/pace.sqlite"
    load(workdir, database)
    again = run("import", "participants", os.path.join(workdir, "participants.csv"), env={"PACE_DATABASE_URL": database})
    assert "0 new, 0 changed, 1 unchanged" in again.stdout
    for kind in ["organisations", "studies", "sites", "participants", "recruitment-counts"]:
        first = os.path.join(workdir, f"out-{kind}.csv")
        assert run("export", kind, first, env={"PACE_DATABASE_URL": database}).returncode == 0
        copy = f"sqlite:{workdir}/copy-{kind}.sqlite"
        if kind != "organisations":
            load(workdir, copy)
        assert run("import", kind, first, env={"PACE_DATABASE_URL": copy}).returncode == 0
        second = os.path.join(workdir, f"again-{kind}.csv")
        assert run("export", kind, second, env={"PACE_DATABASE_URL": copy}).returncode == 0
        # The data round-trips; last_changed is each database's own time of writing.
        assert without_change_times(first) == without_change_times(second)
    studies = open(os.path.join(workdir, "out-studies.csv"), encoding="utf-8").read()
    assert "41001,,CALM,,non-commercial" in studies
    assert "Data2Health;Mental Health and Wellbeing" in studies


def test_a_bad_file_is_refused_whole_with_file_row_and_column(workdir):
    database = f"sqlite:{workdir}/pace.sqlite"
    load(workdir, database)
    bad = write(workdir, "bad.csv",
                "cpms_id,site_ods,participant_id,status,consent_date\n"
                "41001,RT5,CALM-002,consented,2024-06-05\n"
                "41001,RT5,943 476 5919,consented,2024-06-05\n"
                "41001,RT5,CALM-003,consented,2024-13-01\n")
    result = run("import", "participants", bad, env={"PACE_DATABASE_URL": database})
    assert result.returncode == 1
    assert "bad.csv:3:participant_id: participant ID holds what looks like an NHS number" in result.stderr
    assert "bad.csv:4:consent_date: '2024-13-01' is not a date" in result.stderr
    assert "Nothing was imported" in result.stderr
    exported = run("export", "participants", "-", env={"PACE_DATABASE_URL": database}).stdout
    assert "CALM-002" not in exported


def test_empty_binary_and_unknown_column_files_are_refused(workdir):
    database = f"sqlite:{workdir}/pace.sqlite"
    cases = {
        "empty.csv": ("", "empty.csv:1:-: the file is empty"),
        "binary.csv": ("PK\x03\x04\x00\x00", "not text"),
        "columns.csv": ("ods_code,name,type,colour\nRT5,LPT,nhs-trust,blue\n", "columns.csv:1:colour: unknown column 'colour'"),
    }
    for name, (text, message) in cases.items():
        result = run("import", "organisations", write(workdir, name, text), env={"PACE_DATABASE_URL": database})
        assert result.returncode == 1, name
        assert message in result.stderr, (name, result.stderr)
    missing = run("import", "organisations", os.path.join(workdir, "nope.csv"), env={"PACE_DATABASE_URL": database})
    assert missing.returncode != 0 and "cannot open the file" in missing.stderr
    wrong_kind = run("import", "widgets", os.path.join(workdir, "empty.csv"))
    assert wrong_kind.returncode != 0 and "widgets" in wrong_kind.stderr


def test_bad_configuration_names_the_variable(workdir):
    result = run("migrate", env={"PACE_DATABASE_URL": "mysql://x"}, cwd=workdir)
    assert result.returncode != 0
    assert "PACE_DATABASE_URL='mysql://x' is not a database URL" in result.stderr
    result = run("migrate", env={"PACE_HOST_ODS": "not a code", "PACE_DATABASE_URL": f"sqlite:{workdir}/x.sqlite"})
    assert "PACE_HOST_ODS" in result.stderr


@pytest.mark.parametrize("command", [[], ["serve"], ["demo"], ["migrate"], ["import"], ["export"], ["report"], ["report", "sites"], ["report", "pid-initiating"], ["report", "pid-delivering"], ["report", "kpis"], ["report", "league-table"], ["report", "activity"], ["report", "set-up-time"], ["report", "amendments"], ["rules"], ["rules", "set"], ["generate"], ["user"], ["user", "add"], ["user", "list"], ["user", "token"], ["audit"], ["audit", "verify"], ["audit", "export"], ["backup"], ["correct"], ["correct", "participant"], ["correct", "count"], ["remove"], ["remove", "participant"], ["remove", "count"], ["remove", "site"], ["remove", "study"], ["remove", "organisation"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "USAGE" in result.stdout.upper()


def test_pace_report_and_the_browser_give_the_same_numbers(workdir):
    import json
    import socket
    import time
    import urllib.request

    database = f"sqlite:{workdir}/pace.sqlite"
    load(workdir, database)
    # A site records participants or counts, never both: the same people would be counted twice.
    counts = write(workdir, "counts.csv", "cpms_id,site_ods,period_start,period_end,count\r\n41001,RT5,2024-07-01,2024-07-31,6\r\n")
    mixed = run("import", "recruitment-counts", counts, env={"PACE_DATABASE_URL": database})
    assert mixed.returncode == 1
    assert "counts.csv:2:count: This site already records recruitment participant by participant" in mixed.stderr
    more = "cpms_id,site_ods,participant_id,status,consent_date,recruited_date\r\n" + "".join(
        f"41001,RT5,CALM-1{number:02d},recruited,2024-07-31,2024-07-31\r\n" for number in range(6))
    assert run("import", "participants", write(workdir, "more.csv", more), env={"PACE_DATABASE_URL": database}).returncode == 0
    cli = run("report", "sites", "--on", "2024-08-15", "--organisation", "RT5", env={"PACE_DATABASE_URL": database})
    assert cli.returncode == 0, cli.stderr
    cli_csv = run("report", "sites", "--on", "2024-08-15", "--organisation", "RT5", "--format", "csv", env={"PACE_DATABASE_URL": database}).stdout

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = dict(os.environ, PACE_DATABASE_URL=database, PACE_LOG_LEVEL="warning")
    token = viewer_token(database)
    server = subprocess.Popen([PACE, "serve", "--port", str(port)], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health")
                break
            except OSError:
                time.sleep(0.1)
        with fetch(base + "/api/v1/reports/sites?on=2024-08-15&organisation=RT5", token) as response:
            web = json.load(response)
        with fetch(base + "/api/v1/reports/sites?on=2024-08-15&organisation=RT5&format=csv", token) as response:
            web_csv = response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
    from_cli = json.loads(cli.stdout)
    assert from_cli["rows"] == web["rows"]
    assert from_cli["parameters"] == web["parameters"] == {"on": "2024-08-15", "organisation": "RT5"}
    # subprocess text mode turns CRLF into LF; the bytes are otherwise compared whole.
    assert cli_csv == web_csv.replace("\r\n", "\n")
    row = from_cli["rows"][0]
    # One participant (2024-06-03) and six more on 2024-07-31: 7 recruited by 2024-08-15.
    assert row["recruited_to_date"] == 7
    assert row["site_target"] == 40


def test_the_pid_initiating_return_judges_the_70_days(workdir):
    import json

    database = f"sqlite:{workdir}/pace.sqlite"
    load(workdir, database)
    # CALM is non-commercial with no design, so it is not in the return until it is interventional.
    studies = write(workdir, "studies2.csv", "cpms_id,short_name,route,design\r\n41001,CALM,non-commercial,interventional\r\n")
    assert run("import", "studies", studies, env={"PACE_DATABASE_URL": database}).returncode == 0
    result = run("report", "pid-initiating", "--quarter", "2024-25-Q2", env={"PACE_DATABASE_URL": database, "PACE_HOST_ODS": "RT5"})
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    # Selected 2024-04-01: benchmark 2024-06-10; first participant 2024-06-03.
    assert rows == [{
        "cpms_id": 41001, "iras_id": None, "short_name": "CALM", "date_site_selected": "2024-04-01", "benchmark_date": "2024-06-10",
        "first_participant_recruited": "2024-06-03", "benchmark_met": True, "delay_reason": None, "delay_attribution": None,
    }]
    bad = run("report", "pid-initiating", "--quarter", "2024-Q2", env={"PACE_DATABASE_URL": database})
    assert bad.returncode != 0 and "not a financial quarter" in bad.stderr


def test_report_refuses_a_bad_day():
    result = run("report", "sites", "--on", "2024-02-30")
    assert result.returncode != 0
    assert "--on '2024-02-30' is not a date" in result.stderr


def serve(database, host="RT5"):
    """Starts `pace serve` on a free port; returns the process and its base URL once it answers."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = dict(os.environ, PACE_DATABASE_URL=database, PACE_LOG_LEVEL="warning", PACE_HOST_ODS=host)
    server = subprocess.Popen([PACE, "serve", "--port", str(port)], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/health")
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def test_every_report_gives_the_same_numbers_from_the_command_line_and_the_web_on_a_generated_region(workdir):
    import json
    import urllib.request

    out = os.path.join(workdir, "region")
    generated = run("generate", "--out", out, "--organisations", "30", "--studies", "150", "--participants", "4000", "--seed", "5", "--as-of", "2026-11-27")
    assert generated.returncode == 0, generated.stderr
    assert "participants.csv: 4000 rows" in generated.stderr
    # Not a terminal here, so progress comes as plain lines, each with its count and rate.
    assert "participants.csv: 4,000 rows, " in generated.stderr and " rows/s, 100%" in generated.stderr
    assert "recruitment-counts.csv: " in generated.stderr
    database = f"sqlite:{workdir}/region.sqlite"
    environment = {"PACE_DATABASE_URL": database, "PACE_HOST_ODS": "RAAAB"}
    for kind in ["organisations", "studies", "sites", "participants", "recruitment-counts"]:
        result = run("import", kind, os.path.join(out, f"{kind}.csv"), env=environment)
        assert result.returncode == 0, result.stderr
        assert f"{kind}.csv: " in result.stderr and "rows/s, 100%" in result.stderr
    reports = [
        (["sites", "--on", "2026-11-27"], "sites?on=2026-11-27"),
        (["kpis", "--from", "2025-04-01", "--to", "2026-03-31"], "kpis?from=2025-04-01&to=2026-03-31"),
        (["league-table", "--year", "2025-26"], "league-table?year=2025-26"),
        (["pid-initiating", "--quarter", "2026-27-Q2"], "pid-initiating?quarter=2026-27-Q2"),
        (["pid-delivering", "--quarter", "2026-27-Q2"], "pid-delivering?quarter=2026-27-Q2"),
        (["activity", "--from", "2025-04", "--to", "2026-10", "--organisation", "RAAAB"], "activity?from=2025-04&to=2026-10&organisation=RAAAB"),
    ]
    token = viewer_token(database)
    server, base = serve(database, host="RAAAB")
    try:
        for arguments, query in reports:
            cli = run("report", *arguments, env=environment)
            assert cli.returncode == 0, cli.stderr
            with fetch(f"{base}/api/v1/reports/{query}", token) as response:
                web = json.load(response)
            from_cli = json.loads(cli.stdout)
            assert from_cli["rows"] == web["rows"], arguments[0]
            assert from_cli["parameters"] == web["parameters"], arguments[0]
            assert from_cli["rows"], f"{arguments[0]} has no rows"
            with fetch(f"{base}/reports/{query}", token) as response:
                assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_rules_are_listed_changed_with_a_reason_and_bad_values_refused(workdir):
    environment = {"PACE_DATABASE_URL": f"sqlite:{workdir}/pace.sqlite"}
    listed = run("rules", env=environment)
    assert listed.returncode == 0, listed.stderr
    assert "pid_initiating_days\t70\t" in listed.stdout
    assert "national default" in listed.stdout
    changed = run("rules", "set", "kpi_open_days", "45", "--reason", "trust target", env=environment)
    assert changed.returncode == 0, changed.stderr
    assert "kpi_open_days is now 45" in changed.stdout
    assert "kpi_open_days\t45\t" in run("rules", "list", env=environment).stdout
    refused = run("rules", "set", "kpi_open_days", "soon", "--reason", "typo", env=environment)
    assert refused.returncode != 0
    assert "kpi_open_days: 'soon' is not allowed" in refused.stderr
    unknown = run("rules", "set", "no_such_rule", "1", "--reason", "why", env=environment)
    assert unknown.returncode != 0 and "There is no rule called 'no_such_rule'" in unknown.stderr


def test_accounts_are_added_from_the_command_line_and_the_audit_trail_verifies_and_exports(workdir):
    import csv
    import io
    import json
    import sqlite3

    database_file = f"{workdir}/pace.sqlite"
    database = f"sqlite:{database_file}"
    environment = {"PACE_DATABASE_URL": database}
    load(workdir, database)
    short = run("user", "add", "someone@trust.example", "--role", "viewer", env=environment, input="short\n")
    assert short.returncode != 0 and "at least 12 characters" in short.stderr
    monitor = run("user", "add", "monitor@cro.example", "--role", "monitor", "--studies", "41001", env=environment, input="a long enough password\n")
    assert monitor.returncode != 0 and "access must end" in monitor.stderr
    added = run("user", "add", "monitor@cro.example", "--role", "monitor", "--studies", "41001", "--access-until", "2027-03-31", env=environment, input="a long enough password\n")
    assert added.returncode == 0, added.stderr
    assert "monitor@cro.example\tmonitor studies 41001 until 2027-03-31" in run("user", "list", env=environment).stdout

    verified = run("audit", "verify", env=environment)
    assert verified.returncode == 0, verified.stderr
    assert "verifies: 5 events" in verified.stdout
    exported = run("audit", "export", "--format", "csv", env=environment)
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [row["action"] for row in rows] == ["import", "import", "import", "import", "create"]
    assert rows[0]["actor"].startswith("cli:")
    assert json.loads(rows[3]["changes"])[0] == {"field": "file", "new": "participants.csv"}
    # The hash taken while the file was imported is the file's own SHA-256.
    import hashlib
    with open(os.path.join(workdir, "participants.csv"), "rb") as handle:
        assert {"field": "sha256", "new": hashlib.sha256(handle.read()).hexdigest()} in json.loads(rows[3]["changes"])
    as_json = json.loads(run("audit", "export", "--format", "json", env=environment).stdout)
    assert [event["sequence"] for event in as_json] == [1, 2, 3, 4, 5]

    # An inspector's check: altering an event in the database file is found and named.
    with sqlite3.connect(database_file) as connection:
        connection.execute("UPDATE audit_events SET actor = 'someone else' WHERE sequence = 2")
    broken = run("audit", "verify", env=environment)
    assert broken.returncode == 1
    assert "audit event 2: its contents were changed" in broken.stderr


def test_exports_never_hand_a_spreadsheet_a_formula_and_read_back_exactly(workdir):
    database = f"sqlite:{workdir}/pace.sqlite"
    environment = {"PACE_DATABASE_URL": database}
    load(workdir, database)
    hostile = "cpms_id,short_name,title,route,chief_investigator\r\n" \
              "41001,\"=HYPERLINK(\"\"http://other.example\"\")\",@SUM(A1),non-commercial,+Dr Plus\r\n"
    imported = run("import", "studies", write(workdir, "hostile.csv", hostile), env=environment)
    assert imported.returncode == 0, imported.stderr
    exported = run("export", "studies", "-", env=environment)
    assert exported.returncode == 0, exported.stderr
    assert "'=HYPERLINK" in exported.stdout and "'@SUM(A1)" in exported.stdout and "'+Dr Plus" in exported.stdout
    for line in exported.stdout.splitlines():
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(("=", "+", "@")), line
    # Importing the export changes nothing: what was guarded is read back exactly.
    before = run("audit", "export", "--format", "json", env=environment).stdout.count('"sequence"')
    again = run("import", "studies", write(workdir, "export.csv", exported.stdout), env=environment)
    assert again.returncode == 0, again.stderr
    after = run("audit", "export", "--format", "json", env=environment).stdout
    assert after.count('"sequence"') == before + 1, "only the file's own event, no change"
    api = run("export", "studies", "-", env=environment)
    assert api.stdout == exported.stdout


def test_an_import_that_corrects_a_reported_milestone_needs_a_reason(workdir):
    database = f"sqlite:{workdir}/pace.sqlite"
    environment = {"PACE_DATABASE_URL": database}
    load(workdir, database)
    corrected = write(workdir, "corrected.csv", "cpms_id,site_ods,role,site_target,date_site_selected\r\n41001,RT5,recruiting,40,2024-03-29\r\n")
    refused = run("import", "sites", corrected, env=environment)
    assert refused.returncode != 0
    assert "corrected.csv:2:date_site_selected:" in refused.stderr and "reason" in refused.stderr
    blank = run("import", "sites", corrected, "--reason", "\u200b", env=environment)
    assert blank.returncode != 0 and "--reason" in blank.stderr
    accepted = run("import", "sites", corrected, "--reason", "Corrected from the sponsor's site file", env=environment)
    assert accepted.returncode == 0, accepted.stderr
    trail = run("audit", "export", "--format", "json", env=environment).stdout
    assert '"date_site_selected"' in trail and "Corrected from the sponsor's site file" in trail


def test_a_participant_and_a_count_are_corrected_and_removed_with_a_reason(workdir):
    import json

    database = f"sqlite:{workdir}/pace.sqlite"
    env = {"PACE_DATABASE_URL": database}
    load(workdir, database)
    refused = run("correct", "participant", "41001", "RT5", "CALM-001", "--status", "withdrawn", env=env)
    assert refused.returncode != 0 and "--reason" in refused.stderr
    out_of_order = run("correct", "participant", "41001", "RT5", "CALM-001", "--status", "withdrawn", "--withdrawn-date", "2024-05-01",
                       "--reason", "Withdrew at week 4", env=env)
    assert out_of_order.returncode == 1
    assert "withdrawn_date" in out_of_order.stderr
    withdrawn = run("correct", "participant", "41001", "RT5", "CALM-001", "--status", "withdrawn", "--withdrawn-date", "2024-07-01",
                    "--reason", "Withdrew at week 4", env=env)
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert "now withdrawn" in withdrawn.stdout
    sites = json.loads(run("report", "sites", "--on", "2024-08-15", "--organisation", "RT5", env=env).stdout)
    assert sites["rows"][0]["recruited_to_date"] == 1, "a withdrawn participant still counts on their date"
    missing = run("remove", "participant", "41001", "RT5", "CALM-404", "--reason", "Typo", env=env)
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    removed = run("remove", "participant", "41001", "RT5", "CALM-001", "--reason", "Entered at the wrong trust", env=env)
    assert removed.returncode == 0, removed.stderr
    sites = json.loads(run("report", "sites", "--on", "2024-08-15", "--organisation", "RT5", env=env).stdout)
    assert sites["rows"][0]["recruited_to_date"] == 0
    trail = run("audit", "export", "--format", "csv", env=env)
    assert "Entered at the wrong trust" in trail.stdout
    in_use = run("remove", "organisation", "RT5", "--reason", "Mistake", env=env)
    assert in_use.returncode == 1 and "cannot be removed" in in_use.stderr

    counts = write(workdir, "counts.csv", "cpms_id,site_ods,period_start,period_end,count\r\n41001,RT5,2024-07-01,2024-07-31,6\r\n")
    assert run("import", "recruitment-counts", counts, env=env).returncode == 0
    big = run("correct", "count", "41001", "RT5", "2024-07-01", "--count", "600", "--reason", "Checked", env=env)
    assert big.returncode == 1 and "confirm" in big.stderr
    confirmed = run("correct", "count", "41001", "RT5", "2024-07-01", "--count", "60", "--confirm", "--reason", "Checked with the sponsor", env=env)
    assert confirmed.returncode == 0, confirmed.stderr
    assert run("remove", "count", "41001", "RT5", "2024-07-01", "--reason", "Counted twice", env=env).returncode == 0


def test_a_dry_run_lists_the_changes_and_a_stale_export_is_refused(workdir):
    database = f"sqlite:{workdir}/pace.sqlite"
    env = {"PACE_DATABASE_URL": database}
    load(workdir, database)
    exported = os.path.join(workdir, "exported.csv")
    assert run("export", "participants", exported, env=env).returncode == 0
    with open(exported, encoding="utf-8") as handle:
        before = handle.read()
    assert before.splitlines()[0].endswith(",last_changed")
    again = run("import", "participants", exported, env=env)
    assert "1 participants records read; 0 new, 0 changed, 1 unchanged" in again.stdout, again.stdout + again.stderr

    changed = write(workdir, "changed.csv", "cpms_id,site_ods,participant_id,status,consent_date,recruited_date\r\n41001,RT5,CALM-001,recruited,2024-06-02,2024-06-03\r\n")
    dry = run("import", "participants", changed, "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "0 new, 1 changed, 0 unchanged" in dry.stdout
    assert "Nothing was written" in dry.stdout
    assert "consent_date 2024-06-01 → 2024-06-02" in dry.stdout
    with open(exported, "w", encoding="utf-8") as handle:
        handle.write(before)
    assert run("import", "participants", changed, env=env).returncode == 0
    stale = run("import", "participants", exported, env=env)
    assert stale.returncode == 1
    assert "exported.csv:2:last_changed: participant CALM-001 of CPMS 41001 at RT5 changed in Pace on" in stale.stderr


SET_UP_STUDY = "cpms_id,short_name,route,ctimp\r\n41002,BRIDGE,commercial,yes\r\n"
SET_UP_SITE = "cpms_id,site_ods,role,site_target,date_site_selected,hra_approval\r\n41002,RT5,recruiting,20,2026-08-20,2026-09-01\r\n"
SET_UP_STEPS = (
    "cpms_id,site_ods,step,held_by,started,completed,owner,outcome,note\r\n"
    "41002,RT5,local-information-pack,sponsor,2026-08-20,2026-08-26,Sponsor,Received complete,\r\n"
    "41002,RT5,pharmacy-review,provider,2026-08-27,2026-10-05,Clinical trials pharmacist,Approved,Waited on the IMP labels\r\n"
    "41002,RT5,finance-review,provider,2026-08-27,2026-09-04,Finance officer,Approved,\r\n"
    "41002,RT5,contract,sponsor,2026-08-28,,Sponsor's contracts team,,\"Redlines, round two\"\r\n"
    "41002,RT5,capacity-and-capability,provider,2026-10-06,2026-10-09,R&D manager,Confirmed,\r\n"
)
SET_UP_AMENDMENTS = (
    "cpms_id,site_ods,amendment_ref,received,category,needs_reconfirmation,assessed,implemented,description\r\n"
    "41001,RT5,SA01,2026-06-01,substantial,yes,2026-06-20,2026-06-30,Protocol version 3\r\n"
    "41001,RT5,SA02,2026-09-01,minor,no,,,GP letter wording\r\n"
)


def test_set_up_steps_and_amendments_import_export_and_report_the_same_from_the_command_line_and_the_web(workdir):
    import json

    database = f"sqlite:{workdir}/pace.sqlite"
    environment = {"PACE_DATABASE_URL": database}
    load(workdir, database)
    for kind, text in [("studies", SET_UP_STUDY), ("sites", SET_UP_SITE), ("set-up-steps", SET_UP_STEPS), ("amendments", SET_UP_AMENDMENTS)]:
        result = run("import", kind, write(workdir, f"setup-{kind}.csv", text), env=environment)
        assert result.returncode == 0, result.stderr
    # Completing the confirmation of capacity and capability recorded the site's date: it is not typed twice.
    sites = os.path.join(workdir, "sites-out.csv")
    assert run("export", "sites", sites, env=environment).returncode == 0
    assert any(line.startswith("41002,RT5,") and ",2026-10-09," in line for line in open(sites, encoding="utf-8"))
    for kind in ["set-up-steps", "amendments"]:
        exported = os.path.join(workdir, f"out-{kind}.csv")
        assert run("export", kind, exported, env=environment).returncode == 0
        again = run("import", kind, exported, env=environment)
        assert again.returncode == 0 and "0 new, 0 changed" in again.stdout, again.stdout + again.stderr
    # A step the office does not have is refused with the file, row and column.
    bad = run("import", "set-up-steps", write(workdir, "bad-steps.csv", "cpms_id,site_ods,step,held_by,started\r\n41002,RT5,radiology-check,provider,2026-09-01\r\n"), env=environment)
    assert bad.returncode != 0 and "bad-steps.csv:2:step: 'radiology-check' is not in the office's list" in bad.stderr
    token = viewer_token(database)
    server, base = serve(database)
    try:
        for arguments, query in [
            (["set-up-time", "--from", "2026-04-01", "--to", "2026-11-30"], "set-up-time?from=2026-04-01&to=2026-11-30"),
            (["amendments", "--on", "2026-11-30"], "amendments?on=2026-11-30"),
        ]:
            cli = run("report", *arguments, env=environment)
            assert cli.returncode == 0, cli.stderr
            with fetch(f"{base}/api/v1/reports/{query}", token) as response:
                web = json.load(response)
            from_cli = json.loads(cli.stdout)
            assert from_cli["rows"] == web["rows"] and from_cli["rows"], arguments[0]
            assert from_cli["parameters"] == web["parameters"], arguments[0]
        steps = json.loads(run("report", "set-up-time", "--from", "2026-04-01", "--to", "2026-11-30", env=environment).stdout)["rows"]
        pharmacy = next(row for row in steps if row["step"] == "pharmacy-review")
        assert (pharmacy["held_by"], pharmacy["completed_steps"], pharmacy["median_days"], pharmacy["p90_days"], pharmacy["total_days"]) == ("provider", 1, 39, 39, 39)
        amendments = json.loads(run("report", "amendments", "--on", "2026-11-30", env=environment).stdout)["rows"]
        assert [(row["amendment_ref"], row["assessment_due"], row["overdue"], row["on_time"]) for row in amendments] == [
            ("SA01", "2026-07-06", False, True), ("SA02", "2026-10-06", True, False)]
    finally:
        server.terminate()
        server.wait(timeout=30)
