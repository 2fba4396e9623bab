"""Every page each role can reach, found by crawling from the home page as that role, at desktop and
phone widths: axe-core finds no violation of any impact, no page scrolls sideways, and no link leads
to a page the role may not use (nobody is offered what they cannot do)."""
import os
import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_browser import BASE, PASSWORD, SHOTS

ROLES = ["manager@pace.example", "admin@pace.example", "team@pace.example", "viewer@pace.example", "monitor@pace.example"]
WIDTHS = {"desktop": 1280, "phone": 390}
# Enough pages of each kind to meet every template without visiting all 200 studies.
PER_SHAPE = 2
LIMIT = 70
SKIP = re.compile(r"^/(api/|sign-out|assets/)|\.(csv|json)$|/return\.csv$")


COLLECTIONS = {"organisations", "metric-rules", "sites", "people", "users", "studies"}


def shape(path):
    """A page's kind: a record's ID, code or row number after its collection counts as one."""
    parts = path.split("/")
    return "/".join(":id" if index and (parts[index - 1] in COLLECTIONS and part != "new" or re.search(r"\d", part)) else part
                    for index, part in enumerate(parts))


def driver(width):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},900"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # A window cannot be made narrower than about 500 pixels, so the phone's width is emulated exactly.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    browser.implicitly_wait(0)
    return browser


def sign_in(browser, email):
    browser.delete_all_cookies()
    browser.get(BASE + "/sign-in")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.XPATH, "//button[text()='Sign in']").click()
    WebDriverWait(browser, 10).until(lambda d: "/sign-in" not in d.current_url)


def violations(browser):
    axe = Axe(browser)
    axe.inject()
    results = axe.run()
    return [f"{v['id']} ({v['impact']}): {v['help']} – {v['nodes'][0]['target']}" for v in results["violations"]]


def sideways(browser):
    """How far the page is wider than the window (0 when it fits)."""
    return browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")


def crawl(browser, email, width_name):
    queue = deque(["/"])
    seen_paths, shapes = set(), {}
    problems = []
    visited = 0
    while queue and visited < LIMIT:
        path = queue.popleft()
        if path in seen_paths:
            continue
        seen_paths.add(path)
        kind = shape(path)
        if shapes.get(kind, 0) >= PER_SHAPE:
            continue
        shapes[kind] = shapes.get(kind, 0) + 1
        browser.get(BASE + path)
        visited += 1
        title = browser.title
        if title.startswith(("Forbidden", "Page not found", "Something went wrong")) and path != "/":
            problems.append(f"{path}: a link leads to '{title}'")
            continue
        for problem in violations(browser):
            problems.append(f"{path}: {problem}")
        extra = sideways(browser)
        if extra > 0:
            problems.append(f"{path}: scrolls sideways by {extra} pixels")
        if SHOTS:
            name = re.sub(r"[^a-z0-9]+", "-", f"{email.split('@')[0]}-{width_name}-{path}".lower()).strip("-")
            os.makedirs(SHOTS, exist_ok=True)
            browser.save_screenshot(os.path.join(SHOTS, f"{name}.png"))
        # One script for every link rather than a round trip to the browser for each: a long table's
        # links took most of a crawl's time.
        for href in browser.execute_script("return Array.from(document.querySelectorAll('a[href]'), a => a.href)"):
            target = urlparse(urljoin(BASE + path, href or ""))
            if target.netloc != urlparse(BASE).netloc or SKIP.search(target.path):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return visited, problems


@pytest.mark.parametrize("width_name", list(WIDTHS))
@pytest.mark.parametrize("email", ROLES)
def test_every_page_a_role_reaches_is_accessible_and_fits(email, width_name):
    browser = driver(WIDTHS[width_name])
    try:
        sign_in(browser, email)
        visited, problems = crawl(browser, email, width_name)
        assert visited >= 3, f"{email} reached only {visited} pages"
        assert problems == [], "\n".join(problems)
    finally:
        browser.quit()
