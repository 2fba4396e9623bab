"""Stored text can never change a page's markup: every page is rendered with plain text in every stored
text field, then with hostile text (quotes, angle brackets, a meta refresh, an ampersand) in the same
fields, parsed by an HTML5 parser, and the element and attribute trees must be the same."""
import os
import re
import sqlite3
import tempfile

import html5lib
import pytest

from servers import Server, pace, request

PASSWORD = "markup-test-password"
PLAIN = "Plain words"
HOSTILE = "Q\"><meta http-equiv=\"refresh\" content=\"0;url=http://other.example\"><b onmouseover='x'>&amp;&lt;</b>"

# Every stored text column a page shows, and the rows to fill (all of them).
FIELDS = {
    "organisations": ["name", "subtype"],
    "studies": ["short_name", "title", "chief_investigator", "managing_specialty"],
    "study_themes": ["theme"],
    "sites": ["local_pi", "delay_reason"],
    "people": ["name", "job_title"],
    "training_records": ["course", "provider"],
    "safety_events": ["summary"],
    "deviations": ["description", "corrective_action", "preventive_action"],
    "monitoring_visits": ["monitor", "findings"],
    "monitoring_actions": ["action"],
    "documents": ["name", "version", "approver"],
    "users": ["name"],
    "api_tokens": ["name"],
    "metric_rule_changes": ["reason", "changed_by"],
    "set_up_steps": ["owner", "outcome", "note"],
    "amendments": ["description"],
    "set_up_step_kinds": ["name"],
}


def fill(path, text):
    with sqlite3.connect(path) as database:
        tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, columns in FIELDS.items():
            if table not in tables:
                continue
            present = {row[1] for row in database.execute(f"PRAGMA table_info({table})")}
            for column in columns:
                if column in present:
                    # Themes and document names are part of a key: each row keeps a distinct value.
                    suffix = " || ' ' || id" if (table, column) in (("study_themes", "theme"), ("documents", "name")) else ""
                    database.execute(f"UPDATE {table} SET {column} = ?{suffix} WHERE {column} IS NOT NULL", (text,))


def shape(html):
    """The element and attribute tree: tag names and attribute names, in document order."""
    document = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    lines = []

    def walk(element, depth):
        if not isinstance(element.tag, str):
            return
        lines.append("  " * depth + element.tag + " " + " ".join(sorted(element.attrib)))
        for child in element:
            walk(child, depth + 1)

    walk(document, 0)
    return lines


def pages(base, token):
    """Every page a person can open, with the demo's first study, site, person and organisation."""
    status, _, studies = request(base, "/api/v1/studies", token=token)
    assert status == 200
    cpms = re.search(r'"cpms_id"\s*:\s*(\d+)', studies).group(1)
    status, _, sites = request(base, f"/api/v1/studies/{cpms}/sites", token=token)
    ods = re.search(r'"site_ods"\s*:\s*"([A-Z0-9]+)"', sites).group(1)
    status, _, people = request(base, "/api/v1/people", token=token)
    person = re.search(r'"id"\s*:\s*(\d+)', people)
    paths = [
        "/", "/dashboard", "/attention", "/studies", "/studies?per_page=5&q=a", f"/studies/{cpms}", f"/studies/{cpms}/edit",
        f"/studies/{cpms}/sites/new", f"/studies/{cpms}/sites/{ods}", f"/studies/{cpms}/sites/{ods}/edit", f"/studies/{cpms}/records",
        "/organisations", f"/organisations/{ods}", "/organisations/new", "/people", "/reports/sites", "/reports/kpis",
        "/reports/board", "/reports/activity", "/reports/league-table", "/reports/pid-initiating", "/reports/pid-delivering",
        "/admin/metric-rules", "/admin/audit", "/account/password", "/account/tokens", "/import", "/studies/new",
    ]
    if person:
        paths.append(f"/people/{person.group(1)}")
    # Set-up and amendments: the lists, a site that has both, and the forms that show a record's values.
    paths += ["/set-up", "/set-up/steps", "/reports/set-up-time", "/reports/amendments"]
    status, _, amendments = request(base, "/api/v1/reports/amendments", token=token)
    found = re.search(r'"cpms_id"\s*:\s*(\d+)\s*,\s*"site_ods"\s*:\s*"([A-Z0-9]+)"\s*,\s*"amendment_ref"\s*:\s*"([^"]+)"', amendments)
    assert found, amendments[:300]
    site = f"/studies/{found.group(1)}/sites/{found.group(2)}"
    paths += [f"{site}/set-up", f"{site}/amendments", f"{site}/amendments/{found.group(3)}/edit"]
    status, _, steps = request(base, f"/api/v1{site}/set-up-steps", token=token)
    step = re.search(r'"step"\s*:\s*"([a-z0-9-]+)"', steps)
    if step:
        paths.append(f"{site}/set-up/{step.group(1)}/edit")
    return paths


@pytest.fixture(scope="module")
def database():
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "pace.sqlite")
        # The demo loads once; each rendering then starts a server on the same file.
        server = Server(f"sqlite:{path}", command="demo", environment={"PACE_DEMO_PASSWORD": PASSWORD})
        server.stop()
        made = pace("user", "token", "manager@pace.example", "--name", "markup test", database_url=f"sqlite:{path}")
        assert made.returncode == 0, made.stderr
        yield path, made.stdout.strip()


def render(path, token, text):
    fill(path, text)
    server = Server(f"sqlite:{path}")
    try:
        rendered = {}
        for page in pages(server.base, token):
            status, _, body = request(server.base, page, token=token)
            assert status == 200, f"{page} answered {status}"
            rendered[page] = body
        return rendered
    finally:
        server.stop()


def test_hostile_stored_text_leaves_every_page_with_the_same_markup(database):
    path, token = database
    plain = render(path, token, PLAIN)
    hostile = render(path, token, HOSTILE)
    assert plain.keys() == hostile.keys()
    # The test means something only if the text reached the pages.
    assert sum(PLAIN in body for body in plain.values()) >= 15, [page for page, body in plain.items() if PLAIN not in body]
    for page in plain:
        assert "<meta http-equiv" not in hostile[page], page
        assert shape(plain[page]) == shape(hostile[page]), page
