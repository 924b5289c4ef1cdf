"""Issue 16, done-when: an officer uploads a file that names another organisation and is
stopped. The officer's authority is the demo's Eastmere Borough Council; the file's
"Body Name" column names Brackenford City Council (the other demo authority)."""

from __future__ import annotations

from pathlib import Path

from browser_app import LiveApp
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import WAIT, console_errors, show, upload_as_officer

from dashboards import ids

OTHER_CSV = (
    "Body Name,Payment Date,Supplier Name,Amount\n"
    "Brackenford City Council,15/06/2024,Wrongfile Paving Ltd,104000.00\n"
)
STOPPED = (
    "brackenford-spend.csv: column 'Body Name' names 'Brackenford City Council', "
    "not Eastmere Borough Council."
)


def test_an_officer_uploads_a_file_naming_another_organisation_and_is_stopped(
    live_app: LiveApp, browser: webdriver.Chrome, artifacts: Path, tmp_path: Path
) -> None:
    preview = upload_as_officer(browser, live_app, tmp_path / "brackenford-spend.csv", OTHER_CSV)
    assert f"This file may belong to another organisation: {STOPPED}" in preview
    show(browser, artifacts, "officer-upload-other-organisation", page="/upload", role="officer")
    browser.find_element(By.ID, ids.UPLOAD_CONFIRM).click()
    WebDriverWait(browser, WAIT).until(
        ec.text_to_be_present_in_element((By.ID, ids.UPLOAD_RESULT), "Nothing was stored")
    )
    result = browser.find_element(By.ID, ids.UPLOAD_RESULT).text
    assert STOPPED in result and "Imported" not in result
    show(
        browser,
        artifacts,
        "officer-upload-other-organisation-stopped",
        page="/upload (refused)",
        role="officer",
    )
    assert console_errors(browser) == []
