"""Production mode: gunicorn without debugger or reloader, the signing key only from the
environment and hard to guess, and uploaded files never served back or made executable."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import replace
from pathlib import Path

import dash
import pytest
from click.testing import CliRunner
from dash_seed_data import PASSWORD, SeedUsers
from factories import DashSeed
from web import login

from dashboards.data import upload as upload_data
from dashboards.production import NoSecretKey, gunicorn_options, require_secret_key
from dashboards.server.secret_key import WeakSecretKey, load_secret_key, weakness
from tracker.cli import cli
from tracker.config import Settings
from tracker.services.users import viewer_of
from tracker.storage import rawfiles

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"


def test_gunicorn_runs_without_reloader_or_debugger() -> None:
    options = gunicorn_options("127.0.0.1", 8050, workers=3, threads=4)
    assert options["reload"] is False and options["preload_app"] is False
    assert options["workers"] == 3 and options["threads"] == 4
    assert options["worker_class"] == "gthread"
    assert options["bind"] == "127.0.0.1:8050"
    assert options["keepalive"] == 10  # longer than a reader's pause between pages


def test_production_mode_needs_the_key_in_the_environment(
    dash_settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(NoSecretKey, match="TRACKER_SECRET_KEY"):
        require_secret_key(replace(dash_settings, secret_key=None))
    require_secret_key(dash_settings)  # set: accepted
    env = {
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "TRACKER_HOME": str(tmp_path / "home"),
        "TRACKER_SECRET_KEY": "",
    }
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    result = runner.invoke(cli, ["serve", "--port", "1"], env=env)
    assert result.exit_code == 2
    assert "Set TRACKER_SECRET_KEY" in result.output


def test_no_secret_key_is_written_in_the_code() -> None:
    assignment = re.compile(r"""(SECRET_KEY|secret_key)\s*[=:]\s*["'][^"']+["']""")
    for path in DASHBOARDS.rglob("*.py"):
        assert not assignment.search(path.read_text(encoding="utf-8")), path


def test_uploaded_files_are_never_served_back_or_executable(
    app: dash.Dash, dash_seed: DashSeed, users: SeedUsers, dash_settings: Settings
) -> None:
    """A staged upload and a stored raw file, both with a marker: no route of the app
    returns the marker, whatever the route's arguments name, and neither file may run."""
    marker = "RAW-FILE-MARKER-7f3a9c"
    content = f"#!/bin/sh\necho {marker}\n"
    token = upload_data.stage_upload(
        viewer_of(users.alpha_officer),
        dash_seed.alpha.code,
        "run-me.sh",
        "data:text/plain;base64," + base64.b64encode(content.encode()).decode(),
        dash_settings,
    )
    staged = upload_data.staged_file(viewer_of(users.alpha_officer), token, dash_settings)
    sha = hashlib.sha256(content.encode()).hexdigest()
    stored = rawfiles.store(dash_settings.data_dir, staged, sha)
    for path in (staged, stored):
        assert os.stat(path).st_mode & 0o111 == 0, path

    names = [
        sha,
        token,
        "run-me.sh",
        staged.name,
        str(staged.relative_to(dash_settings.data_dir)),
        str(stored.relative_to(dash_settings.data_dir)),
        f"{users.alpha_officer.id}-{token}/run-me.sh",
    ]
    client = app.server.test_client()
    assert login(client, users.admin.email, PASSWORD).status_code == 302
    rules = list(app.server.url_map.iter_rules())
    assert rules
    for rule in rules:
        for name in names:
            url = rule.rule
            for argument in rule.arguments:
                url = re.sub(rf"<(?:[^:<>]+:)?{argument}>", name, url)
            for query in ("", f"?file={name}&path={name}&sha256={name}&token={name}"):
                try:
                    body = client.get(url + query).get_data(as_text=True)
                except Exception:  # e.g. Dash refusing an unknown component suite
                    continue
                assert marker not in body, (rule.rule, name)
    static_roots = [app.server.static_folder, app.config.assets_folder]
    for root in filter(None, static_roots):
        assert not Path(dash_settings.data_dir).resolve().is_relative_to(Path(root).resolve())


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("short", "at least 32 characters"),
        ("k" * 40, "pattern repeated"),  # long enough: accepted before (finding 12)
        ("abcdefghijklmnopqrstuvwxyzabcdefgh", "run of characters"),
        ("browser-test-secret-" + "k" * 32, "placeholder word 'secret'"),
        ("please-changeme-in-production-now", "placeholder word 'changeme'"),
        ("aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb", "bits"),  # 32 bits: two letters, 16 each
    ],
)
def test_a_guessable_secret_key_is_refused(key: str, problem: str) -> None:
    found = weakness(key)
    assert found is not None and problem in found, found
    with pytest.raises(WeakSecretKey, match="TRACKER_SECRET_KEY is too easy to guess"):
        load_secret_key(Path("/nonexistent"), key)


@pytest.mark.parametrize(
    "key",
    [
        "9q0O304nstHyj8fnxwrSK3GEfHDCaZGFY1Xc2qdl77iPqkz0cL3C6QKbkKoZLbFg",  # token_urlsafe(48)
        "565dd53783585d77903809971dc333b3",  # token_hex(16)
    ],
)
def test_a_random_secret_key_is_accepted(key: str) -> None:
    assert weakness(key) is None


def test_a_weak_key_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("k" * 40 + "\n", encoding="ascii")
    key = load_secret_key(tmp_path, None)
    assert key != "k" * 40 and weakness(key) is None
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_mode_refuses_a_weak_key_in_one_line(tmp_path: Path) -> None:
    env = {
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "TRACKER_HOME": str(tmp_path / "home"),
        "TRACKER_SECRET_KEY": "k" * 40,
    }
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    result = runner.invoke(cli, ["serve", "--port", "1"], env=env)
    assert result.exit_code == 2
    assert "TRACKER_SECRET_KEY is too easy to guess" in result.output


def test_start_up_objects_are_left_out_of_later_collections() -> None:
    import gc

    from dashboards.production import freeze_start_up

    kept = [[1], {"a": 2}]  # tracked containers, held: frozen, not freed
    try:
        freeze_start_up()
        assert gc.get_freeze_count() >= len(kept)
        # what is made afterwards is collected as before: a cycle dropped is freed
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
