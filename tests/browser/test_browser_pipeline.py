"""Issue 19 in the browser: /contracts, /suppliers and the pipeline on /collaboration as
admin, officer and viewer. The demo's two authorities (both sharing) renew waste and IT
contracts within 24 months; a third authority that does not share renews a waste
contract too, and nothing of it may reach the officer or the viewer of the first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser_app import LiveApp
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import WAIT, console_errors, show, sign_in, wait_rendered

from dashboards import ids
from tracker.access import Viewer
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.domain.pipeline import add_months
from tracker.services.authorities import add_authority, get_authority
from tracker.services.contracts.imports import import_contract_file

SECRET = "Secretshire Council"
SECRET_SUPPLIER = "Secretbin Hidden Ltd"
SECRET_TITLE = "Secret waste collection"


@pytest.fixture(scope="module")
def secret(live_app: LiveApp, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A non-sharing authority with a waste contract ending in a year."""
    assert live_app.data_dir is not None
    end = add_months(dt.datetime.now(dt.UTC).date(), 12)
    register = tmp_path_factory.mktemp("secret") / "register.csv"
    register.write_text(
        "Organisation Name,Contract Reference Number / ID,Title of the Agreement,"
        "Procurement Classification: CPV Code,Contract Start Date,End Date,Contract Value,"
        f"Supplier Name\n{SECRET},S-1,{SECRET_TITLE},90511000,01/04/2022,"
        f'{end.strftime("%d/%m/%Y")},"4,000,000",{SECRET_SUPPLIER}\n',
        encoding="utf-8",
    )
    engine = make_engine(live_app.database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            add_authority(session, code="SECRET", name=SECRET)
            admin = Viewer(None, "test", "admin", None)
            import_contract_file(session, viewer=admin, path=register,
                                 data_dir=live_app.data_dir, authority="SECRET")  # fmt: skip
            assert not get_authority(session, "SECRET").share_in_comparisons
    finally:
        engine.dispose()
    return "SECRET"


def _open(driver: webdriver.Chrome, app: LiveApp, path: str) -> str:
    driver.get(app.url + path)
    wait_rendered(driver)
    return driver.page_source


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_contracts_suppliers_and_pipeline(
    live_app: LiveApp, browser: webdriver.Chrome, artifacts: Path, secret: str, role: str
) -> None:
    sign_in(browser, live_app, role)
    seen = []
    # The pipeline: the demo authorities' joint renewals, ranked, with their sentence.
    page = _open(browser, live_app, "/collaboration")
    WebDriverWait(browser, WAIT).until(
        ec.presence_of_element_located((By.ID, ids.COLLAB_PIPELINE_TABLE))
    )
    element = browser.find_element(By.ID, ids.COLLAB_PIPELINE)
    browser.execute_script("arguments[0].scrollIntoView()", element)  # the screenshot shows it
    section = element.text
    assert "Contracts to renew together" in section
    assert "renew Waste collection" in section, section
    show(browser, artifacts, f"{role}-collaboration-pipeline", page="/collaboration", role=role)
    seen.append(browser.page_source)
    # The contracts page lists the own authority's contracts; one opens in detail.
    _open(browser, live_app, "/contracts")
    WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.ID, ids.CONTRACTS_TABLE)))
    table = browser.find_element(By.ID, ids.CONTRACTS_TABLE)
    if role != "admin":  # the admin's list opens on the first authority by code
        assert "Refuse and recycling collection" in table.text
    show(browser, artifacts, f"{role}-contracts", page="/contracts", role=role)
    seen.append(browser.page_source)
    link = table.find_element(By.CSS_SELECTOR, "a")
    title = link.text
    link.click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("/contracts/"))
    wait_rendered(browser)
    detail = browser.find_element(By.ID, "_pages_content").text
    assert title in detail and "Spend to date" in detail and "Emissions a year" in detail
    show(browser, artifacts, f"{role}-contract-detail", page="/contracts/<id>", role=role)
    seen.append(browser.page_source)
    _open(browser, live_app, "/suppliers")
    show(browser, artifacts, f"{role}-suppliers", page="/suppliers", role=role)
    seen.append(browser.page_source)
    assert console_errors(browser) == [], role
    everything = "\n".join(seen)
    if role == "admin":
        assert SECRET_SUPPLIER in section  # an admin sees every authority's renewals
    else:
        for marker in (SECRET, SECRET_SUPPLIER, SECRET_TITLE, secret):
            assert marker not in everything, (role, marker)
    del page
