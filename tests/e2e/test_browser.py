"""End-to-end: a research manager records a participant in a real (headless) Chromium."""
import os
import re
import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["PACE_URL"]
SHOTS = os.environ.get("PACE_SCREENSHOTS")
PASSWORD = os.environ["PACE_DEMO_PASSWORD"]
MANAGER = "manager@pace.example"
ADMIN = "admin@pace.example"


def sign_in(browser, email, password=PASSWORD):
    """Signs in through the form with the keyboard, as a person would."""
    browser.delete_all_cookies()
    browser.get(BASE + "/sign-in")
    field = browser.find_element(By.ID, "email")
    field.send_keys(email)
    field.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(password)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    # Wait for the signed-in page: going elsewhere first can abandon the answer that sets the session.
    WebDriverWait(browser, 10).until(lambda driver: "/sign-in" not in driver.current_url)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    sign_in(driver, MANAGER)
    WebDriverWait(driver, 10).until(lambda d: not d.current_url.endswith("/sign-in"))
    yield driver
    driver.quit()


def type_date(browser, name, iso, time=None):
    """Types a date into its day, month and year boxes as a person would: 2 11 2026, no leading zeros."""
    year, month, day = iso.split("-")
    boxes = [("", str(int(day))), ("-month", str(int(month))), ("-year", year)] + ([("-time", time)] if time else [])
    for suffix, value in boxes:
        field = browser.find_element(By.ID, name + suffix)
        field.clear()
        field.send_keys(value)


def shot(browser, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        browser.save_screenshot(os.path.join(SHOTS, f"{name}.png"))


def recruited(browser):
    text = browser.find_element(By.XPATH, "//h2[text()='Recruitment against target']/..").text
    return int(re.search(r"(\d+)( of \d+)? recruited", text).group(1))


def api(path):
    """The manager's API, for finding a site of the kind a test needs."""
    import json
    import urllib.request
    request = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + os.environ["PACE_TOKEN"]})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def host_site(records):
    """An open study whose host site records participants ("participants") or counts ("counts")."""
    for study in api("/api/v1/studies?phase=open&role=recruiting&per_page=200")["studies"]:
        cpms = study["cpms_id"]
        if records == "counts":
            if api(f"/api/v1/studies/{cpms}/sites/RT5/counts")["counts"]:
                return cpms
        elif api(f"/api/v1/studies/{cpms}/sites/RT5/participants?per_page=1")["total"] > 0:
            return cpms
    raise AssertionError(f"the demo has no open host site that records {records}")


def open_a_recruiting_site(browser):
    browser.get(BASE + "/")
    assert "Research portfolio" in browser.find_element(By.TAG_NAME, "h1").text
    shot(browser, "01-home")
    browser.find_element(By.LINK_TEXT, "Studies").click()
    Select(browser.find_element(By.ID, "phase")).select_by_value("open")
    Select(browser.find_element(By.ID, "role")).select_by_value("recruiting")
    browser.find_element(By.XPATH, "//button[text()='Filter']").click()
    # Wait for the filtered list: the unfiltered one has study links too.
    WebDriverWait(browser, 10).until(lambda driver: "phase=open" in driver.current_url)
    shot(browser, "02-studies")
    # A site that records participant by participant (a count site takes counts only).
    cpms = host_site("participants")
    browser.get(f"{BASE}/studies/{cpms}")
    WebDriverWait(browser, 10).until(lambda driver: re.search(r"/studies/\d+$", driver.current_url))
    shot(browser, "03-study")
    browser.find_element(By.XPATH, "//table//a[contains(@href, '/sites/RT5')]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.endswith("/sites/RT5"))


def test_record_a_participant_and_see_the_count_change(browser):
    open_a_recruiting_site(browser)
    before = recruited(browser)
    shot(browser, "04-site")
    # Seven digits at most: a ten-digit run could pass the NHS number check and be refused, rightly.
    pseudonym = f"E2E-{int(time.time() * 1000) % 10_000_000}"
    browser.find_element(By.ID, "participant_id").send_keys(pseudonym)
    Select(browser.find_element(By.ID, "status")).select_by_value("recruited")
    type_date(browser, "consent_date", "2026-11-02")
    type_date(browser, "recruited_date", "2026-11-03")
    browser.find_element(By.XPATH, "//button[text()='Record participant']").click()
    assert "Recorded: participant " + pseudonym in browser.find_element(By.CLASS_NAME, "notice").text
    # The message came through the session: the pseudonym is not in the address (or browser history).
    assert pseudonym not in browser.current_url and "?" not in browser.current_url
    assert recruited(browser) == before + 1
    assert pseudonym in browser.find_element(By.XPATH, "//h2[text()='Participants']/following-sibling::div").text
    shot(browser, "05-recorded")


def test_an_nhs_number_is_refused_next_to_the_field_and_the_input_kept(browser):
    open_a_recruiting_site(browser)
    before = recruited(browser)
    field = browser.find_element(By.ID, "participant_id")
    field.send_keys("943 476 5919")
    type_date(browser, "consent_date", "2026-11-02")
    browser.find_element(By.XPATH, "//button[text()='Record participant']").click()
    error = browser.find_element(By.ID, "participant_id-error").text
    assert "NHS number" in error
    # The NHS.UK error summary: the title says so first, and focus is on the summary, whose link
    # takes the keyboard to the field.
    assert browser.title.startswith("Error: ")
    summary = browser.switch_to.active_element
    assert "error-summary" in summary.get_attribute("class")
    summary.find_element(By.CSS_SELECTOR, "a[href='#participant_id']")
    assert browser.find_element(By.ID, "participant_id").get_attribute("value") == "943 476 5919"
    assert recruited(browser) == before
    shot(browser, "06-refused")


def test_the_keyboard_alone_reaches_the_main_content(browser):
    browser.get(BASE + "/studies")
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.endswith("/studies"))
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "Skip to main content"
    focused.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"


def light_counts(browser):
    browser.get(BASE + "/dashboard")
    lights = browser.find_element(By.ID, "lights").text
    return {light: int(re.search(rf"{light.capitalize()} (\d+)", lights).group(1)) for light in ("green", "amber", "red")}


def change_rule(browser, key, value, reason):
    browser.get(BASE + "/admin/metric-rules")
    browser.find_element(By.CSS_SELECTOR, f"a[href='/admin/metric-rules/{key}']").click()
    field = browser.find_element(By.ID, key)
    field.clear()
    field.send_keys(value)
    browser.find_element(By.ID, "reason").send_keys(reason)
    browser.find_element(By.XPATH, "//button[text()='Change the rule']").click()
    WebDriverWait(browser, 10).until(lambda driver: "changed=" in driver.current_url)


def test_a_changed_traffic_light_threshold_changes_the_dashboard(browser):
    # Metric rules belong to the R&D managers (the browser is signed in as one).
    before = light_counts(browser)
    shot(browser, "10-dashboard")
    total = sum(before.values())
    assert total > 0 and before["red"] > 0
    try:
        change_rule(browser, "traffic_light_amber_from", "0.01", "browser test: everyone amber or better")
        change_rule(browser, "traffic_light_green_from", "0.02", "browser test")
        assert "browser test" in browser.find_element(By.TAG_NAME, "main").text
        shot(browser, "11-metric-rules")
        after = light_counts(browser)
        assert sum(after.values()) == total
        assert after["green"] > before["green"] and after["red"] < before["red"]
    finally:
        change_rule(browser, "traffic_light_green_from", "1", "browser test: restore")
        change_rule(browser, "traffic_light_amber_from", "0.8", "browser test: restore")
    assert light_counts(browser) == before


def test_the_board_report_prints_on_a4(browser):
    browser.get(BASE + "/reports/board")
    assert "report to the Trust Board" in browser.find_element(By.TAG_NAME, "h1").text
    assert "data as of" in browser.find_element(By.CLASS_NAME, "lede").text
    shot(browser, "12-board-report")
    import base64
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
    assert boxes, "no pages in the PDF"
    for width, height in boxes:
        # A4 is 595 × 842 points.
        assert abs(float(width) - 595) < 2 and abs(float(height) - 842) < 2
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 6


def test_signing_in_needs_the_right_password_and_sends_you_back_where_you_were(browser):
    browser.delete_all_cookies()
    browser.get(BASE + "/dashboard")
    assert "/sign-in?next=%2Fdashboard" in browser.current_url
    shot(browser, "20-sign-in")
    browser.find_element(By.ID, "email").send_keys(MANAGER)
    browser.find_element(By.ID, "password").send_keys("not the password")
    browser.find_element(By.XPATH, "//button[text()='Sign in']").click()
    assert "The email or password is not right" in browser.find_element(By.CLASS_NAME, "error-summary").text
    assert browser.find_element(By.ID, "email").get_attribute("value") == MANAGER
    assert browser.find_element(By.ID, "password").get_attribute("value") == ""
    shot(browser, "21-sign-in-refused")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.XPATH, "//button[text()='Sign in']").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.endswith("/dashboard"))
    assert "Morgan Manager" in browser.find_element(By.CLASS_NAME, "person").text
    browser.find_element(By.XPATH, "//button[text()='Sign out']").click()
    assert "You have signed out" in browser.find_element(By.CLASS_NAME, "notice").text
    browser.get(BASE + "/studies")
    assert "/sign-in" in browser.current_url
    sign_in(browser, MANAGER)


def test_a_monitor_sees_only_their_study_and_cannot_record(browser):
    sign_in(browser, "monitor@pace.example")
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.endswith("/studies"))
    links = browser.find_elements(By.CSS_SELECTOR, "tbody tr td a")
    assert len(links) == 1
    nav = browser.find_element(By.CSS_SELECTOR, "nav[aria-label='Main']").text
    assert "Dashboard" not in nav and "Import" not in nav
    links[0].click()
    WebDriverWait(browser, 10).until(lambda driver: re.search(r"/studies/\d+$", driver.current_url))
    assert "History" in browser.find_element(By.ID, "history").text
    assert not browser.find_elements(By.LINK_TEXT, "Edit study")
    shot(browser, "22-monitor-study")
    browser.get(BASE + "/dashboard")
    assert "does not allow this" in browser.find_element(By.TAG_NAME, "main").text
    sign_in(browser, MANAGER)


def test_the_administrator_adds_a_user_and_the_audit_trail_records_it(browser):
    sign_in(browser, ADMIN)
    browser.get(BASE + "/admin/users/new")
    browser.find_element(By.ID, "email").send_keys("new.person@trust.example")
    browser.find_element(By.ID, "name").send_keys("New Person")
    Select(browser.find_element(By.ID, "role")).select_by_value("study-team")
    browser.find_element(By.ID, "password").send_keys("a long enough password")
    submit(browser, "Add user")
    assert "A study-team member needs at least one study" in browser.find_element(By.CLASS_NAME, "error-summary").text
    assert browser.find_element(By.ID, "password").get_attribute("value") == ""
    browser.find_element(By.ID, "studies").send_keys("99999999")
    browser.find_element(By.ID, "password").send_keys("a long enough password")
    # The page answering shows an error summary too: wait for the new one, not the old.
    submit(browser, "Add user")
    assert "There is no study with CPMS ID 99999999" in browser.find_element(By.CLASS_NAME, "error-summary").text
    browser.get(BASE + "/studies")
    study = browser.find_element(By.CSS_SELECTOR, "tbody tr td a").get_attribute("href").rsplit("/", 1)[1]
    browser.get(BASE + "/admin/users/new")
    browser.find_element(By.ID, "email").send_keys("new.person@trust.example")
    browser.find_element(By.ID, "name").send_keys("New Person")
    Select(browser.find_element(By.ID, "role")).select_by_value("study-team")
    browser.find_element(By.ID, "studies").send_keys(study)
    browser.find_element(By.ID, "password").send_keys("a long enough password")
    browser.find_element(By.XPATH, "//button[text()='Add user']").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.endswith("/admin/users"))
    assert "new.person@trust.example" in browser.find_element(By.TAG_NAME, "table").text
    shot(browser, "23-users")
    sign_in(browser, MANAGER)
    browser.get(BASE + "/admin/audit")
    assert "The chain verifies" in browser.find_element(By.TAG_NAME, "main").text
    trail = browser.find_element(By.TAG_NAME, "main").text
    assert "sign-in-failed" in trail and "new.person@trust.example" in trail
    shot(browser, "24-audit-trail")


def test_a_safety_event_is_recorded_and_a_late_one_needs_attention(browser):
    browser.get(BASE + "/attention")
    late = browser.find_element(By.XPATH, "//h2[starts-with(text(), 'Late safety reports')]/following-sibling::ul//a")
    assert "limit 24 hours" in browser.find_element(By.XPATH, "//h2[starts-with(text(), 'Late safety reports')]/following-sibling::ul").text
    shot(browser, "30-needs-attention")
    late.click()
    WebDriverWait(browser, 10).until(lambda driver: "/records" in driver.current_url)
    browser.find_element(By.XPATH, "//summary[text()='Record a serious adverse event']").click()
    Select(browser.find_element(By.ID, "sae_site_ods")).select_by_value("RT5")
    pseudonym = f"SAE-E2E-{int(time.time() * 1000) % 10_000_000}"
    browser.find_element(By.ID, "sae_participant_id").send_keys(pseudonym)
    type_date(browser, "sae_onset_on", "2026-11-20")
    type_date(browser, "sae_aware_at", "2026-11-21", time="09:15")
    type_date(browser, "sae_reported_at", "2026-11-21", time="11:00")
    browser.find_element(By.XPATH, "//button[text()='Record event']").click()
    assert "Serious adverse event recorded" in browser.find_element(By.CLASS_NAME, "notice").text
    row = browser.find_element(By.XPATH, f"//td[text()='{pseudonym}']/..").text
    assert "2026-11-21 09:15" in row and "On time: 1.8 hours" in row
    shot(browser, "31-gcp-records")
    # A date of birth in the pseudonym field is refused next to the field.
    browser.find_element(By.XPATH, "//summary[text()='Record a serious adverse event']").click()
    Select(browser.find_element(By.ID, "sae_site_ods")).select_by_value("RT5")
    browser.find_element(By.ID, "sae_participant_id").send_keys("01/02/1960")
    browser.find_element(By.XPATH, "//button[text()='Record event']").click()
    assert "date of birth" in browser.find_element(By.ID, "sae_participant_id-error").text


def test_a_count_is_corrected_with_a_reason(browser):
    cpms = host_site("counts")
    browser.get(f"{BASE}/studies/{cpms}/sites/RT5")
    before = recruited(browser)
    link = browser.find_element(By.XPATH, "//h2[text()='Recruitment counts']/following-sibling::div//a[starts-with(text(), 'Correct')]")
    row = link.find_element(By.XPATH, "./ancestor::tr")
    old = int(row.find_elements(By.TAG_NAME, "td")[2].text.split()[0])
    link.click()
    assert browser.title.startswith("Correct a recruitment count")
    count = browser.find_element(By.ID, "count")
    count.clear()
    count.send_keys(str(old + 1))
    browser.find_element(By.XPATH, "//button[text()='Save correction']").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.title.startswith("Error: "))
    # No reason: refused beside the field, nothing changed.
    assert "Give the reason for the correction" in browser.find_element(By.ID, "reason-error").text
    browser.find_element(By.ID, "reason").send_keys("The October count missed one participant")
    browser.find_element(By.XPATH, "//button[text()='Save correction']").click()
    assert "Corrected: the count from" in browser.find_element(By.CLASS_NAME, "notice").text
    assert recruited(browser) == before + 1
    shot(browser, "20-count-corrected")


def test_a_participant_entered_by_mistake_is_removed_with_a_reason(browser):
    open_a_recruiting_site(browser)
    pseudonym = f"E2E-DEL-{int(time.time() * 1000) % 1_000_000}"
    browser.find_element(By.ID, "participant_id").send_keys(pseudonym)
    Select(browser.find_element(By.ID, "status")).select_by_value("recruited")
    type_date(browser, "consent_date", "2026-11-02")
    browser.find_element(By.XPATH, "//button[text()='Record participant']").click()
    # Wait for the next page (its notice) before reading it: the old page's figures go stale.
    assert "Recorded: participant " + pseudonym in browser.find_element(By.CLASS_NAME, "notice").text
    before = recruited(browser)
    row = browser.find_element(By.XPATH, f"//td[text()='{pseudonym}']/ancestor::tr")
    row.find_element(By.PARTIAL_LINK_TEXT, "Correct or withdraw").click()
    # The pseudonym is on the page, never in its address or title.
    assert pseudonym not in browser.current_url and pseudonym not in browser.title
    browser.find_element(By.LINK_TEXT, "Remove this participant record").click()
    assert "This takes the record out of every report" in browser.page_source
    browser.find_element(By.ID, "reason").send_keys("Entered twice: the same person as an earlier record")
    shot(browser, "21-remove-participant")
    browser.find_element(By.XPATH, "//button[text()='Remove record']").click()
    assert "Removed: participant " + pseudonym in browser.find_element(By.CLASS_NAME, "notice").text
    assert recruited(browser) == before - 1
    assert pseudonym not in browser.find_element(By.TAG_NAME, "main").text.replace("Removed: participant " + pseudonym, "")
    study = re.search(r"/studies/(\d+)/", browser.current_url).group(1)
    browser.get(f"{BASE}/studies/{study}")
    assert "Entered twice: the same person as an earlier record" in browser.find_element(By.TAG_NAME, "main").text


def test_an_import_shows_what_it_would_change_before_writing(browser, tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text("ods_code,name,type,subtype\nRT5,Leicestershire Partnership NHS Trust (renamed in a test),nhs-trust,mental-health\n", encoding="utf-8")
    browser.get(BASE + "/import")
    Select(browser.find_element(By.ID, "kind")).select_by_value("organisations")
    browser.find_element(By.ID, "file").send_keys(str(path))
    browser.find_element(By.XPATH, "//button[text()='Check the file']").click()
    preview = browser.find_element(By.XPATH, "//h2[text()='Check the changes before importing']/..").text
    assert "Records that change\n1" in preview or "Records that change 1" in preview
    assert "Leicestershire Partnership NHS Trust (renamed in a test)" in preview
    shot(browser, "22-import-preview")
    # Cancelling writes nothing.
    browser.find_element(By.LINK_TEXT, "Cancel: import nothing").click()
    assert api("/api/v1/organisations/RT5")["organisation"]["name"] == "Leicestershire Partnership NHS Trust"


def test_on_a_phone_the_keyboard_alone_opens_the_menu_and_records_a_participant(browser):
    """The main job at 390 pixels with no mouse: the menu opens from the keyboard, and a participant is
    recorded by tabbing through the form and pressing Enter."""
    cpms = host_site("participants")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        browser.get(f"{BASE}/studies/{cpms}/sites/RT5")
        toggle = browser.find_element(By.CLASS_NAME, "menu-toggle")
        assert toggle.is_displayed() and toggle.get_attribute("aria-expanded") == "false"
        assert not browser.find_element(By.CSS_SELECTOR, "#main-nav-list a").is_displayed()

        def tab_to(predicate, limit=120):
            for _ in range(limit):
                browser.switch_to.active_element.send_keys(Keys.TAB)
                if predicate(browser.switch_to.active_element):
                    return browser.switch_to.active_element
            raise AssertionError("the keyboard never reached it")

        tab_to(lambda element: "menu-toggle" in (element.get_attribute("class") or "")).send_keys(Keys.ENTER)
        assert toggle.get_attribute("aria-expanded") == "true"
        assert browser.find_element(By.CSS_SELECTOR, "#main-nav-list a").is_displayed()
        browser.switch_to.active_element.send_keys(Keys.ESCAPE)
        assert toggle.get_attribute("aria-expanded") == "false"

        pseudonym = f"KBD-{int(time.time() * 1000) % 10_000_000}"
        tab_to(lambda element: element.get_attribute("id") == "participant_id").send_keys(pseudonym)
        tab_to(lambda element: element.get_attribute("id") == "consent_date").send_keys("2")
        for value in ("11", "2026"):
            browser.switch_to.active_element.send_keys(Keys.TAB, value)
        browser.switch_to.active_element.send_keys(Keys.TAB, "3", Keys.TAB, "11", Keys.TAB, "2026", Keys.ENTER)
        assert "Recorded: participant " + pseudonym in browser.find_element(By.CLASS_NAME, "notice").text
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        shot(browser, "20-phone-recorded")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def api_send(method, path, body=None):
    """The manager's API, for setting up a study a test walks through."""
    import json
    import urllib.request
    request = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + os.environ["PACE_TOKEN"], "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return response.status


def days_ago(days):
    import datetime
    return (datetime.date.today() - datetime.timedelta(days=days)).isoformat()


def until_next_page(browser, act):
    """Does `act` and waits for the page it leads to: the old page's window carries a mark the new one lacks."""
    browser.execute_script("window.paceOldPage = true")
    act()
    WebDriverWait(browser, 10).until(
        lambda driver: driver.execute_script("return window.paceOldPage === undefined && document.readyState === 'complete'"))


def submit(browser, label):
    """Presses a form's button and waits for the page it leads to, so nothing reads the old page."""
    until_next_page(browser, lambda: browser.find_element(By.XPATH, f"//button[text()='{label}']").click())


def follow(browser, link):
    until_next_page(browser, link.click)


def banner(browser):
    return browser.find_element(By.CLASS_NAME, "notice").text


def record_step(browser, step, holder, started, completed=None):
    Select(browser.find_element(By.ID, "step")).select_by_value(step)
    browser.find_element(By.ID, "held_by" if holder == "provider" else "held_by-sponsor").click()
    type_date(browser, "started", started)
    if completed:
        type_date(browser, "completed", completed)
    submit(browser, "Record step")


def test_a_site_is_walked_from_its_first_set_up_step_to_opening(browser):
    cpms = 79000 + int(time.time()) % 900
    assert api_send("POST", "/api/v1/studies", {"cpms_id": cpms, "short_name": f"WALK-{cpms}", "route": "commercial", "ctimp": True}) == 201
    assert api_send("POST", f"/api/v1/studies/{cpms}/sites", {"site_ods": "RT5", "role": "recruiting", "site_target": 12,
                                                              "date_site_selected": days_ago(40), "hra_approval": days_ago(35)}) == 201
    browser.get(f"{BASE}/studies/{cpms}/sites/RT5")
    follow(browser, browser.find_element(By.LINK_TEXT, "Set-up board"))
    assert "Day 35 of 60 since HRA approval" in browser.find_element(By.CLASS_NAME, "lede").text
    record_step(browser, "local-information-pack", "sponsor", days_ago(40), days_ago(36))
    assert "Recorded: Local Information Pack from the sponsor, completed" in banner(browser)
    record_step(browser, "pharmacy-review", "provider", days_ago(35))
    record_step(browser, "contract", "sponsor", days_ago(34))
    # Both open; the sponsor holds the contract; each must finish 10 days before the site must open.
    waiting = browser.find_element(By.ID, "waiting-heading").find_element(By.XPATH, "..").text
    assert "Contract" in waiting and "Pharmacy review" in waiting
    open_steps = browser.find_element(By.XPATH, "//h2[text()='Open steps']/..").text
    assert "15 days left" in open_steps
    shot(browser, "20-set-up-board")
    # The pharmacy review is done: changed from its own page, and completed.
    follow(browser, browser.find_element(By.XPATH, "//a[contains(@href, '/set-up/pharmacy-review/edit')]"))
    type_date(browser, "completed", days_ago(10))
    browser.find_element(By.ID, "outcome").send_keys("Approved")
    submit(browser, "Save changes")
    assert "Pharmacy review completed" in banner(browser)
    follow(browser, browser.find_element(By.XPATH, "//a[contains(@href, '/set-up/contract/edit')]"))
    type_date(browser, "completed", days_ago(5))
    submit(browser, "Save changes")
    # A completion before the step started is refused beside the field, and what was typed is kept.
    record_step(browser, "capacity-and-capability", "provider", days_ago(3), days_ago(4))
    shot(browser, "20b-refused")
    assert browser.title.startswith("Error:"), browser.title + " " + browser.current_url
    assert browser.find_element(By.ID, "completed-error").is_displayed()
    type_date(browser, "completed", days_ago(2))
    submit(browser, "Record step")
    assert "Recorded: Confirmation of capacity and capability" in banner(browser)
    # Confirming capacity and capability recorded the site's date: the milestone form already holds it.
    browser.get(f"{BASE}/studies/{cpms}/sites/RT5/edit")
    assert browser.find_element(By.ID, "date_site_confirmed-year").get_attribute("value") == days_ago(2)[:4]
    type_date(browser, "date_site_open", days_ago(1))
    submit(browser, "Save milestones")
    assert "Changes to the site saved." in banner(browser)
    browser.get(f"{BASE}/studies/{cpms}/sites/RT5/set-up")
    assert "the first participant must be recruited by" in browser.find_element(By.CLASS_NAME, "lede").text
    assert "No set-up step is open." in browser.page_source
    shot(browser, "21-set-up-done")


def test_an_amendment_goes_from_received_to_implemented(browser):
    cpms = host_site("participants")
    browser.get(f"{BASE}/studies/{cpms}/sites/RT5")
    follow(browser, browser.find_element(By.LINK_TEXT, "Amendments"))
    reference = f"E2E {int(time.time()) % 100000}"
    browser.find_element(By.ID, "amendment_ref").send_keys(reference)
    type_date(browser, "received", days_ago(12))
    Select(browser.find_element(By.ID, "category")).select_by_value("substantial")
    Select(browser.find_element(By.ID, "needs_reconfirmation")).select_by_value("yes")
    submit(browser, "Record amendment")
    assert f"Recorded: amendment {reference}. Its assessment is due by" in banner(browser)
    row = browser.find_element(By.XPATH, f"//td[starts-with(normalize-space(.), '{reference}')]/..")
    assert "To assess" in row.text
    # Implementing before capacity and capability is reconfirmed is refused.
    follow(browser, row.find_element(By.PARTIAL_LINK_TEXT, "Change"))
    type_date(browser, "implemented", days_ago(1))
    submit(browser, "Save changes")
    assert browser.find_element(By.ID, "implemented-error").is_displayed()
    # The refused day is kept as typed; the office clears it and records the reconfirmation first.
    for suffix in ("", "-month", "-year"):
        browser.find_element(By.ID, "implemented" + suffix).clear()
    type_date(browser, "assessed", days_ago(3))
    submit(browser, "Save changes")
    assert f"Changes to amendment {reference} saved." in banner(browser)
    row = browser.find_element(By.XPATH, f"//td[starts-with(normalize-space(.), '{reference}')]/..")
    assert "Reconfirmed, to implement" in row.text and "Assessed" in row.text
    shot(browser, "22-amendment")
    follow(browser, row.find_element(By.PARTIAL_LINK_TEXT, "Change"))
    type_date(browser, "implemented", days_ago(1))
    submit(browser, "Save changes")
    row = browser.find_element(By.XPATH, f"//td[starts-with(normalize-space(.), '{reference}')]/..")
    assert "Implemented" in row.text
    browser.get(f"{BASE}/reports/amendments")
    assert reference in browser.page_source
