"""axe-core on every kind of page, including forms showing errors: no violation of any impact."""
import json
import os
import urllib.request

import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.by import By

from test_browser import ADMIN, BASE, MANAGER, browser, sign_in  # noqa: F401  (the shared Chromium fixture)


def api(path):
    request = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + os.environ["PACE_TOKEN"]})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def pages():
    study = api("/api/v1/studies?role=recruiting&phase=open")["studies"][0]["cpms_id"]
    return [
        "/", "/studies", f"/studies/{study}", f"/studies/{study}/edit", f"/studies/{study}/sites/RT5",
        f"/studies/{study}/sites/RT5/edit", f"/studies/{study}/sites/new", "/studies/new",
        "/organisations", "/organisations/RT5", "/organisations/new", "/import", "/no-such-page",
        "/reports/sites", "/reports/pid-initiating", "/reports/pid-delivering", "/reports/kpis", "/reports/league-table",
        "/dashboard", "/reports/board", "/reports/activity", "/admin/metric-rules", "/admin/audit",
        "/account/password", "/account/tokens", "/attention", "/people", "/people/1", f"/studies/{study}/records",
        "/set-up", "/set-up?held_by=sponsor", "/set-up/steps", f"/studies/{study}/sites/RT5/set-up", f"/studies/{study}/sites/RT5/amendments",
        "/reports/set-up-time", "/reports/amendments", "/reports/kpis?by=month", "/set-up?held_by=nobody",
        # Refused parameters: the report again, with the message beside the field.
        "/reports/board?from=9999-12", "/reports/pid-initiating?quarter=9999-00-Q4", "/reports/sites?on=2200-01-01",
        "/reports/kpis?from=0001-01-01", "/reports/league-table?year=9999-00",
    ]


ADMIN_PAGES = ["/admin/users", "/admin/users/new"]


def serious(browser):
    axe = Axe(browser)
    axe.inject()
    results = axe.run()
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in results["violations"]
    ]


@pytest.mark.parametrize("path", pages())
def test_page_has_no_serious_accessibility_problems(browser, path):  # noqa: F811
    browser.get(BASE + path)
    assert serious(browser) == []


def test_a_form_with_errors_has_no_serious_accessibility_problems(browser):  # noqa: F811
    browser.get(BASE + "/organisations/new")
    browser.find_element(By.XPATH, "//button[text()='Add organisation']").click()
    # find_element waits (implicitly) for the answer page, which is the only one with an error summary.
    assert "There is a problem" in browser.find_element(By.CLASS_NAME, "error-summary").text
    assert serious(browser) == []


def test_administrators_pages_have_no_serious_accessibility_problems(browser):  # noqa: F811
    sign_in(browser, ADMIN)
    try:
        for path in ADMIN_PAGES:
            browser.get(BASE + path)
            assert serious(browser) == [], path
    finally:
        sign_in(browser, MANAGER)


def test_the_sign_in_page_with_an_error_has_no_serious_accessibility_problems(browser):  # noqa: F811
    browser.delete_all_cookies()
    browser.get(BASE + "/sign-in")
    assert serious(browser) == []
    browser.find_element(By.XPATH, "//button[text()='Sign in']").click()
    assert "There is a problem" in browser.find_element(By.CLASS_NAME, "error-summary").text
    assert serious(browser) == []
    sign_in(browser, MANAGER)


def test_a_metric_rule_form_with_errors_has_no_serious_accessibility_problems(browser):  # noqa: F811
    # The R&D managers change the rules (the browser is signed in as one).
    browser.get(BASE + "/admin/metric-rules/kpi_open_days")
    field = browser.find_element(By.ID, "kpi_open_days")
    field.clear()
    field.send_keys("sixty")
    browser.find_element(By.XPATH, "//button[text()='Change the rule']").click()
    assert "is not allowed" in browser.find_element(By.CLASS_NAME, "error-summary").text
    assert serious(browser) == []
    sign_in(browser, MANAGER)


def test_date_boxes_showing_an_error_have_no_accessibility_problems_at_either_width(browser):  # noqa: F811
    from test_browser import host_site, type_date
    cpms = host_site("participants")
    for width in (1280, 390):
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
        try:
            browser.get(f"{BASE}/studies/{cpms}/sites/RT5")
            browser.find_element(By.ID, "participant_id").send_keys("A11Y-DATE")
            type_date(browser, "consent_date", "2026-02-31")
            browser.find_element(By.XPATH, "//button[text()='Record participant']").click()
            error = browser.find_element(By.ID, "consent_date-error").text
            assert "must be a real date" in error
            # The boxes keep what was typed, and the summary's link lands on the day box.
            assert browser.find_element(By.ID, "consent_date").get_attribute("value") == "31"
            browser.find_element(By.CSS_SELECTOR, ".error-summary a[href='#consent_date']")
            assert serious(browser) == []
            assert browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
