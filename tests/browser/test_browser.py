"""The dashboard in headless Chromium: every role signs in, every page renders without a
browser console error, a CSV uploaded on /upload ends up in the inventory, and a viewer can
neither open another authority's page nor get its data through a callback POST.
A screenshot of each page, and its text, is saved under tests/artifacts/, and every page's
text is checked for raw codes, unformatted amounts and a second year format
(tests/browser/page_text.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from browser_app import PASSWORD, LiveApp
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from dashboards import ids
from tests.browser.page_text import check_page
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.services.authorities import get_authority
from tracker.services.baselines import restate_baseline
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory

WAIT = 30
# Every page of dashboards/pages each role may open (tracker.access, dashboards.data
# .page_forbidden): all of them, except /upload for a viewer (test_browser_pages.py shows
# its 403 answer); "/no-such-page" is the 404 page.
COMMON = (
    "/", "/authority/{own}", "/compare", "/collaboration", "/suppliers", "/contracts",
    "/review", "/signoff", "/factors", "/reports", "/no-such-page",
)  # fmt: skip
PAGES = {
    "admin": (*COMMON, "/upload", "/authority/{other}"),
    "officer": (*COMMON, "/upload"),
    "viewer": COMMON,
}
UPLOAD_CSV = (
    "Payment Date,Supplier Name,Amount,Expense Type,SIC code,Transaction Number\n"
    "15/06/2024,Browsertest Haulage Ltd,12000.00,Freight,49410,BT-1\n"
    "20/07/2024,Browsertest Haulage Ltd,8000.00,Freight,49410,BT-2\n"
    "02/08/2024,Browsertest Cleaning Ltd,5000.00,Cleaning,81210,BT-3\n"
)


def sign_in(driver: webdriver.Chrome, app: LiveApp, role: str) -> None:
    driver.get(f"{app.url}/login")
    driver.find_element(By.ID, "email").send_keys(app.emails[role])
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.login-form button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(ec.presence_of_element_located((By.ID, ids.USER_BOX)))


def wait_rendered(driver: webdriver.Chrome) -> None:
    """Until the page's heading is in and Dash has no request in flight."""
    WebDriverWait(driver, WAIT).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#_pages_content h1"))
    )
    WebDriverWait(driver, WAIT).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']")
    )


def wait_charts(driver: webdriver.Chrome) -> None:
    """Until every chart on the page is drawn (its text is part of what the page shows)."""
    WebDriverWait(driver, WAIT).until(
        lambda d: (
            len(d.find_elements(By.CSS_SELECTOR, ".dash-graph"))
            <= len(d.find_elements(By.CSS_SELECTOR, ".dash-graph .main-svg"))
        )
    )


def page_text(driver: webdriver.Chrome) -> str:
    return str(driver.find_element(By.TAG_NAME, "body").text)


def show(driver: webdriver.Chrome, artifacts: Path, name: str, *, page: str, role: str) -> str:
    """Screenshot the page as ``name`` and check what it shows (tests/browser/page_text.py):
    no raw code, no unformatted amount, one year format. Returns the page's text."""
    screenshot(driver, artifacts, name)
    text = page_text(driver)
    (artifacts / f"{name}.txt").write_text(text, encoding="utf-8")
    check_page(text, page=page, role=role)
    return text


def console_errors(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def screenshot(driver: webdriver.Chrome, artifacts: Path, name: str) -> None:
    driver.save_screenshot(str(artifacts / f"{name}.png"))


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_every_page_renders_without_console_errors(
    live_app: LiveApp, browser: webdriver.Chrome, artifacts: Path, role: str
) -> None:
    sign_in(browser, live_app, role)
    for template in PAGES[role]:
        path = template.format(own=live_app.own, other=live_app.other)
        browser.get(live_app.url + path)
        wait_rendered(browser)
        wait_charts(browser)
        slug = path.strip("/").replace("/", "-") or "overview"
        show(browser, artifacts, f"{role}-{slug}", page=path, role=role)
        assert console_errors(browser) == [], f"{role} {path}"
        source = browser.page_source
        assert "Access denied" not in source, f"{role} {path}"
        assert ("Page not found" in source) is (path == "/no-such-page"), f"{role} {path}"
    # The overview lists the authorities the role may see, and only those.
    browser.get(live_app.url + "/")
    wait_rendered(browser)
    cards = browser.find_element(By.ID, ids.OVERVIEW_CARDS).text
    assert live_app.own in cards
    assert (live_app.other in cards) is (role == "admin")


def upload_as_officer(driver: webdriver.Chrome, app: LiveApp, path: Path, text: str) -> str:
    """Sign in as the officer, upload ``text`` as the file ``path`` and wait for the
    preview; the preview's text."""
    path.write_text(text, encoding="utf-8")
    sign_in(driver, app, "officer")
    driver.get(app.url + "/upload")
    wait_rendered(driver)
    driver.find_element(By.CSS_SELECTOR, f"#{ids.UPLOAD} input[type=file]").send_keys(str(path))
    WebDriverWait(driver, WAIT).until(
        ec.text_to_be_present_in_element((By.ID, ids.UPLOAD_PREVIEW), "Validation report")
    )
    return str(driver.find_element(By.ID, ids.UPLOAD_PREVIEW).text)


def test_upload_a_csv_end_to_end(
    live_app: LiveApp, browser: webdriver.Chrome, artifacts: Path, tmp_path: Path
) -> None:
    preview = upload_as_officer(browser, live_app, tmp_path / "browser-upload.csv", UPLOAD_CSV)
    assert "3 rows read: 3 to import, 0 rejected" in preview
    assert "Header row" in preview and "Browsertest Haulage Ltd" in preview
    assert "£12,000.00" in preview and "12000.0" not in preview
    show(browser, artifacts, "officer-upload-preview", page="/upload (preview)", role="officer")
    browser.find_element(By.ID, ids.UPLOAD_CONFIRM).click()
    WebDriverWait(browser, WAIT).until(
        ec.text_to_be_present_in_element((By.ID, ids.UPLOAD_RESULT), "Imported 3 rows")
    )
    show(browser, artifacts, "officer-upload-done", page="/upload (imported)", role="officer")
    # A second click says the file went in, rather than asking for a file.
    browser.find_element(By.ID, ids.UPLOAD_CONFIRM).click()
    WebDriverWait(browser, WAIT).until(
        ec.text_to_be_present_in_element((By.ID, ids.UPLOAD_RESULT), "is not imported again")
    )
    assert "was imported as batch" in browser.find_element(By.ID, ids.UPLOAD_RESULT).text
    assert console_errors(browser) == []
    # The new financial year 2024/25 is in the inventory, with the uploaded suppliers.
    browser.get(f"{live_app.url}/authority/{live_app.own}?year=2024")
    wait_rendered(browser)
    WebDriverWait(browser, WAIT).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, f"#{ids.SUPPLIER_FIGURE} .main-svg"))
    )
    assert "2024/25" in browser.find_element(By.ID, ids.YEAR_DROPDOWN).text
    # 20,000 of freight and 5,000 of cleaning, all matched: £25,000 of spend.
    assert "£25,000" in browser.find_element(By.ID, ids.TOTALS).text
    assert "Browsertest Haulage Ltd" in browser.page_source
    wait_charts(browser)
    show(browser, artifacts, "officer-authority-after-upload", page="/authority", role="officer")


FETCH = """
const [payload, done] = [arguments[0], arguments[arguments.length - 1]];
const token = document.cookie.split('; ').find(c => c.startsWith('_csrf_token='));
fetch('/_dash-update-component', {
  method: 'POST',
  headers: {'Content-Type': 'application/json',
            'X-CSRFToken': token ? token.split('=')[1] : ''},
  body: JSON.stringify(payload),
}).then(r => r.text().then(t => done([r.status, t]))).catch(e => done([0, String(e)]));
"""


def _callback(
    output: str,
    outputs: list[tuple[str, str]],
    inputs: list[tuple[str, str, Any]],
    state: list[tuple[str, str, Any]],
) -> dict[str, Any]:
    return {
        "output": output,
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
    }


def test_viewer_cannot_see_another_authority(
    live_app: LiveApp, browser: webdriver.Chrome, artifacts: Path
) -> None:
    sign_in(browser, live_app, "viewer")
    browser.get(f"{live_app.url}/authority/{live_app.other}")
    assert "Access denied" in browser.page_source
    assert live_app.other_name not in browser.page_source
    screenshot(browser, artifacts, "viewer-other-authority-403")
    # The year callback, asked directly for the other authority, returns none of its data.
    year = _callback(
        f"..{ids.YEARS_FIGURE}.figure...{ids.YEAR_PANEL}.children...{ids.YEAR_SHOWN}.data..",
        [(ids.YEARS_FIGURE, "figure"), (ids.YEAR_PANEL, "children"), (ids.YEAR_SHOWN, "data")],
        [(ids.YEAR_DROPDOWN, "value", 2023)],
        [(ids.AUTHORITY_CODE_STORE, "data", live_app.other), (ids.YEAR_SHOWN, "data", None)],
    )
    browser.get(f"{live_app.url}/")
    wait_rendered(browser)
    status, body = browser.execute_async_script(FETCH, year)
    assert status == 200 and "Access denied" in body
    assert live_app.other_name not in body
    # The drill-down callback for the other authority is refused outright.
    drill = _callback(
        f"..{ids.DRILL_TABLE}.children...{ids.DRILL_PAGE}.data...{ids.DRILL_PREV}.disabled..."
        f"{ids.DRILL_NEXT}.disabled..",
        [
            (ids.DRILL_TABLE, "children"),
            (ids.DRILL_PAGE, "data"),
            (ids.DRILL_PREV, "disabled"),
            (ids.DRILL_NEXT, "disabled"),
        ],
        [
            (ids.DRILL_CATEGORY, "value", ""),
            (ids.DRILL_PREV, "n_clicks", None),
            (ids.DRILL_NEXT, "n_clicks", None),
        ],
        [
            (ids.DRILL_PAGE, "data", 0),
            (ids.AUTHORITY_CODE_STORE, "data", live_app.other),
            (ids.YEAR_DROPDOWN, "value", 2023),
        ],
    )
    status, body = browser.execute_async_script(FETCH, drill)
    assert status == 403
    assert live_app.other_name not in body
    # Without the CSRF header the same request is refused before it reaches the callback.
    status, _ = browser.execute_async_script(
        FETCH.replace("token ? token.split('=')[1] : ''", "'forged'"), year
    )
    assert status == 403
    assert json.dumps(year)  # the payload is plain JSON


def test_overview_states_each_target_and_a_status_consistent_with_the_budget(
    live_app: LiveApp, browser: webdriver.Chrome
) -> None:
    """Every card states its target and explains its status in a sentence that starts
    with the same status as the badge; a card whose sentence says the budget runs out by
    the target year is never "On track" (the rule of tracker.domain.status)."""
    sign_in(browser, live_app, "admin")
    browser.get(live_app.url + "/")
    wait_rendered(browser)
    assert "What the statuses mean. On track:" in browser.find_element(By.TAG_NAME, "body").text
    cards = browser.find_elements(By.CSS_SELECTOR, f"#{ids.OVERVIEW_CARDS} .card")
    assert len(cards) == 2
    for card in cards:
        text = card.text
        assert "by 2030/31 from the 2022/23 baseline of" in text  # the demo's targets
        badge = card.find_element(By.CSS_SELECTOR, ".status").text
        why = card.find_element(By.CSS_SELECTOR, ".status__why").text
        status = badge.split(" for the ")[0]
        assert status in ("On track", "At risk", "Off track")
        # the latest year: 2023/24, or 2024/25 once the upload test has added spend
        assert re.match(rf"{status}: 202[34]/2[45] is ", why), why
        if "runs out in" in why or "ran out in" in why:
            assert status == "Off track"


def test_dash_and_plotly_work_under_the_content_security_policy(
    live_app: LiveApp, browser: webdriver.Chrome
) -> None:
    """Issue 15, finding 8: the server sends a Content-Security-Policy (dashboards.server.headers).
    Charts draw under it with no violation reported, and it is in force: a script written
    into the page inline does not run."""
    sign_in(browser, live_app, "officer")
    browser.get(f"{live_app.url}/authority/{live_app.own}")
    wait_rendered(browser)
    WebDriverWait(browser, WAIT).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, ".js-plotly-plot .main-svg"))
    )
    assert [
        e for e in browser.get_log("browser") if "Content Security Policy" in e["message"]
    ] == []
    browser.execute_script(
        "const s = document.createElement('script');"
        "s.textContent = 'window.inlineScriptRan = true';"
        "document.body.appendChild(s);"
    )
    assert browser.execute_script("return window.inlineScriptRan === true") is False


def _card_of(driver: webdriver.Chrome, app: LiveApp, code: str) -> tuple[str, str]:
    """(status sentence, whole card text) of one authority's overview card."""
    driver.get(app.url + "/")
    wait_rendered(driver)
    card = next(
        c
        for c in driver.find_elements(By.CSS_SELECTOR, f"#{ids.OVERVIEW_CARDS} .card")
        if c.find_element(By.CSS_SELECTOR, ".card__code").text == code
    )
    return card.find_element(By.CSS_SELECTOR, ".status__why").text, card.text


def test_a_changed_baseline_year_is_shown_and_changes_nothing_until_restated(
    live_app: LiveApp, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    """Spend added to the other authority's baseline year (2022/23) shows "Baseline
    restated from X to Y?" on the overview and leaves its status sentence as it was; the
    notice goes once the baseline is restated with a reason."""
    assert live_app.data_dir is not None
    sign_in(browser, live_app, "admin")
    before_why, before = _card_of(browser, live_app, live_app.other)
    assert "Baseline restated from" not in before
    engine = make_engine(live_app.database_url)
    factory = make_session_factory(engine)
    spend = tmp_path / "more-2022.csv"
    spend.write_text(
        "Payment Date,Supplier Name,Amount,SIC code\n"
        "15/06/2022,Browsertest Roads Ltd,5000000,42110\n"
    )
    try:
        with session_scope(factory) as session:
            authority = get_authority(session, live_app.other)
            import_spend_file(session, authority=authority, path=spend,
                              data_dir=live_app.data_dir, mapping={"sic": "SIC code"})  # fmt: skip
            ensure_inventory(session, authority=authority, year=2022)
        after_why, after = _card_of(browser, live_app, live_app.other)
        assert "Baseline restated from" in after and "The target still uses" in after
        assert "at least the 5 % significance threshold" in after
        assert after_why == before_why
        with session_scope(factory) as session:
            authority = get_authority(session, live_app.other)
            restate_baseline(session, authority=authority, actor="browser test",
                             reason="2022/23 spend completed")  # fmt: skip
        _, restated = _card_of(browser, live_app, live_app.other)
        assert "Baseline restated from" not in restated
    finally:
        engine.dispose()
