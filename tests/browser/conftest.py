"""A live app in a subprocess against a temporary SQLite database with a small demo, and a
headless Chromium to drive it.

The browser tests skip when Chromium or chromedriver is missing, except under CI=true, where
they fail (``.ci/run`` installs the Debian packages ``chromium`` and ``chromium-driver``).
No browser is ever downloaded.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_app import PASSWORD, LiveApp
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.conftest import REPO_ROOT
from tracker import migrate
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.services.authorities import get_authority
from tracker.services.demo.seed import AUTHORITIES, seed_demo
from tracker.services.reference import load_shipped_reference_data
from tracker.services.users import add_user

ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
YEARS = (2022, 2023)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)


def _find(names: tuple[str, ...], fallback: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return fallback if Path(fallback).exists() else None


def browser_binaries() -> tuple[str, str]:
    chromium = _find(("chromium", "chromium-browser"), "/usr/bin/chromium")
    driver = _find(("chromedriver",), "/usr/bin/chromedriver")
    if chromium is None or driver is None:
        reason = (
            "headless Chromium and chromedriver are needed "
            "(apt-get install chromium chromium-driver)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)
    return chromium, driver


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the app did not start in time")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    browser_binaries()
    home = tmp_path_factory.mktemp("browser-home")
    url = f"sqlite:///{home / 'tracker.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    own, other = AUTHORITIES[0], AUTHORITIES[1]
    emails = {
        "admin": "admin@browser.invalid",
        "officer": "officer@browser.invalid",
        "viewer": "viewer@browser.invalid",
    }
    with session_scope(factory) as session:
        load_shipped_reference_data(session)
    with session_scope(factory) as session:
        seed_demo(session, data_dir=home / "files", authorities=[own, other], years=YEARS)
        authority = get_authority(session, own.code)
        add_user(session, email=emails["admin"], password=PASSWORD, role="admin")
        for role in ("officer", "viewer"):
            add_user(session, email=emails[role], password=PASSWORD, role=role, authority=authority)
    engine.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": url,
        "TRACKER_HOME": str(home),
        "TRACKER_DATA_DIR": str(home / "files"),
        "TRACKER_SECRET_KEY": secrets.token_urlsafe(48),
        "PYTHONUNBUFFERED": "1",
    }
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO_ROOT,
    )
    try:
        _wait_for(port, proc)
        yield LiveApp(
            f"http://127.0.0.1:{port}",
            own.code,
            other.code,
            other.name,
            emails,
            database_url=url,
            data_dir=home / "files",
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    chromium, driver_path = browser_binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
