"""Issue 16, done-when: screenshots of every page for each role, none showing a raw code, an
unformatted amount or a second year format. test_browser.py walks each page a role may
open; this file adds the answers to pages a role may not open (403, and 404 for an admin
asking for an authority that does not exist) and the states behind a page's controls: the
authority page on another year and its drill-down to the spend lines (and their next page),
the review queue ordered by tonnes at stake, and the reports page's download link.
Every state is screenshotted to tests/artifacts/ and its text checked
(tests/browser/page_text.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_app import LiveApp
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import WAIT, console_errors, show, sign_in, wait_charts, wait_rendered

from dashboards import ids

MISSING = "NOSUCHCODE"


def _answer(driver: webdriver.Chrome, app: LiveApp, path: str) -> str:
    """Open ``path`` and wait for the server's own answer page (403/404 are plain HTML)."""
    driver.get(app.url + path)
    WebDriverWait(driver, WAIT).until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
    return str(driver.find_element(By.TAG_NAME, "h1").text)


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_pages_a_role_may_not_open_give_the_right_answer(
    live_app: LiveApp, browser: webdriver.Chrome, artifacts: Path, role: str
) -> None:
    sign_in(browser, live_app, role)
    if role == "admin":
        refused = [(f"/authority/{MISSING}", "Authority not found")]
    else:
        # Officers and viewers get the same 403 whether or not the code exists (README).
        refused = [
            (f"/authority/{MISSING}", "Access denied"),
            (f"/authority/{live_app.other}", "Access denied"),
        ]
    if role == "viewer":
        refused.append(("/upload", "Access denied"))
    for path, heading in refused:
        assert _answer(browser, live_app, path) == heading, (role, path)
        slug = path.strip("/").replace("/", "-").replace(MISSING, "missing")
        slug = slug.replace(live_app.other, "other")
        text = show(browser, artifacts, f"{role}-{slug}-refused", page=path, role=role)
        assert live_app.other_name not in text


def _choose_first(driver: webdriver.Chrome, dropdown_id: str) -> str:
    """Open a dropdown and pick its first option; the option's label."""
    driver.find_element(By.ID, dropdown_id).click()
    option = WebDriverWait(driver, WAIT).until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, "[role=option]"))
    )
    label = str(option.text)
    option.click()
    return label


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_the_authority_page_states(
    live_app: LiveApp, browser: webdriver.Chrome, artifacts: Path, role: str
) -> None:
    """Another year (2022/23), then the lines behind its largest category and their next
    page, as each role sees them."""
    sign_in(browser, live_app, role)
    path = f"/authority/{live_app.own}?year=2022"
    browser.get(live_app.url + path)
    wait_rendered(browser)
    wait_charts(browser)
    assert "2022/23" in browser.find_element(By.ID, ids.YEAR_DROPDOWN).text
    show(browser, artifacts, f"{role}-authority-2022", page=path, role=role)
    category = _choose_first(browser, ids.DRILL_CATEGORY)
    WebDriverWait(browser, WAIT).until(
        ec.text_to_be_present_in_element((By.ID, ids.DRILL_TABLE), "Lines 1–")
    )
    text = show(browser, artifacts, f"{role}-authority-drill", page=f"{path} {category}", role=role)
    assert "Classified by" in text
    next_button = browser.find_element(By.ID, ids.DRILL_NEXT)
    if next_button.is_enabled():
        next_button.click()
        WebDriverWait(browser, WAIT).until(
            ec.text_to_be_present_in_element((By.ID, ids.DRILL_TABLE), "Lines 26–")
        )
        show(browser, artifacts, f"{role}-authority-drill-next", page=f"{path} next", role=role)
    assert console_errors(browser) == []


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_the_review_and_reports_states(
    live_app: LiveApp, browser: webdriver.Chrome, artifacts: Path, role: str
) -> None:
    """The review queue ordered by tonnes at stake, and the reports page's download link for
    an authority and year (a financial-year label, not a bare year)."""
    sign_in(browser, live_app, role)
    browser.get(live_app.url + "/review")
    wait_rendered(browser)
    # The queue of the latest year (empty once the upload test's year is the latest).
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.ID, ids.REVIEW_QUEUE).text.strip()
    )
    browser.find_element(By.CSS_SELECTOR, f"#{ids.REVIEW_RANK} input[value='tonnes']").click()
    wait_rendered(browser)
    show(browser, artifacts, f"{role}-review-by-tonnes", page="/review by tonnes", role=role)
    browser.get(live_app.url + "/reports")
    wait_rendered(browser)
    link = WebDriverWait(browser, WAIT).until(
        ec.visibility_of_element_located((By.ID, ids.REPORT_LINK))
    )
    assert "report (.xlsx)" in link.text and "/" in link.text, link.text
    show(browser, artifacts, f"{role}-reports-link", page="/reports", role=role)
    assert console_errors(browser) == []
