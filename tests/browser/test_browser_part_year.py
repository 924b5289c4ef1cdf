"""Issue 16, "a part year is shown as part": a quarter of a new year's spend is drawn on
the authority page's year chart as a part year (hatched, "part year" on the bar), not
like the full years beside it. The demo's years cover all twelve months."""

from __future__ import annotations

from pathlib import Path

from browser_app import LiveApp
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import WAIT, show, sign_in, wait_rendered

from dashboards import ids
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.services.authorities import get_authority
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory

QUARTER = (
    "Payment Date,Supplier Name,Amount,SIC code\n"
    "15/04/2025,Parttest Roads Ltd,10000,42110\n"
    "15/05/2025,Parttest Roads Ltd,10000,42110\n"
    "15/06/2025,Parttest Roads Ltd,10000,42110\n"
)


def _bar_texts(driver: webdriver.Chrome) -> list[str]:
    chart = f"#{ids.YEARS_FIGURE} .js-plotly-plot .bartext"
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, chart))
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, chart)]


def test_a_part_year_is_shown_as_part(
    live_app: LiveApp, browser: webdriver.Chrome, tmp_path: Path, artifacts: Path
) -> None:
    assert live_app.data_dir is not None
    spend = tmp_path / "quarter-2025.csv"
    spend.write_text(QUARTER)
    engine = make_engine(live_app.database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            authority = get_authority(session, live_app.other)
            import_spend_file(session, authority=authority, path=spend,
                              data_dir=live_app.data_dir, mapping={"sic": "SIC code"})  # fmt: skip
            ensure_inventory(session, authority=authority, year=2025)
    finally:
        engine.dispose()
    sign_in(browser, live_app, "admin")
    browser.get(f"{live_app.url}/authority/{live_app.other}")
    wait_rendered(browser)
    texts = _bar_texts(browser)
    # Apr-Jun 2025 is 3 of 12 months of 2025/26; the demo's 2022/23 and 2023/24 are full.
    assert len(texts) == 3 and texts[-1].endswith("(part year)"), texts
    assert not any("part year" in t for t in texts[:-1]), texts
    show(
        browser, artifacts, "admin-authority-part-year", page="/authority (part year)", role="admin"
    )
