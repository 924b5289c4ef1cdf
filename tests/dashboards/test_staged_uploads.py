"""Staged uploads are not left behind (issue 15, finding 5): a refused file is removed at
once, an abandoned one after ``STAGED_UPLOAD_HOURS``, an imported one on confirmation
(tests/dashboards/test_workflows.py); a disk that cannot take the file gives the
documented 503 message and leaves no truncated file."""

from __future__ import annotations

import base64
import datetime as dt
import errno
import os
from pathlib import Path
from typing import Any

import dash
import pytest
from dash_seed_data import PASSWORD, SeedUsers
from factories import DashSeed
from web import login, post_callback, trigger_payload

from dashboards import ids
from dashboards.callbacks.upload import receive
from dashboards.data import upload as upload_data
from dashboards.server.unavailable import STORAGE_MESSAGE, StorageUnavailable
from tracker.config import Settings
from tracker.services.users import viewer_of

CSV = "Payment Date,Supplier Name,Amount\n15/06/2024,Acme Ltd,120.00\n"


def _data_url(raw: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(raw).decode()


def _staged(settings: Settings) -> list[Path]:
    root = settings.data_dir / "uploads"
    return sorted(p for p in root.rglob("*")) if root.exists() else []


@pytest.mark.parametrize(
    "name, raw, message",
    [
        ("photo.csv", bytes(range(256)) * 4, "binary data"),
        ("dates.csv", b"Date,Supplier,Amount\nsoon,Acme,1\n", "no usable spend rows"),
    ],
)
def test_a_refused_upload_is_removed_at_once(
    dash_seed: DashSeed, users: SeedUsers, dash_settings: Settings, name: str, raw: bytes,
    message: str,
) -> None:  # fmt: skip
    officer = viewer_of(users.alpha_officer)
    token, panel = receive(officer, dash_seed.alpha.code, name, _data_url(raw), dash_settings)
    assert token is None and message in str(panel)
    assert _staged(dash_settings) == []


def test_a_previewed_upload_is_kept_until_confirmed(
    dash_seed: DashSeed, users: SeedUsers, dash_settings: Settings
) -> None:
    officer = viewer_of(users.alpha_officer)
    token, _ = receive(
        officer, dash_seed.alpha.code, "s.csv", _data_url(CSV.encode()), dash_settings
    )
    assert token is not None
    assert upload_data.staged_file(officer, token, dash_settings).read_text() == CSV


def test_abandoned_uploads_expire(
    dash_seed: DashSeed, users: SeedUsers, dash_settings: Settings
) -> None:
    officer = viewer_of(users.alpha_officer)
    code = dash_seed.alpha.code
    old = upload_data.stage_upload(officer, code, "old.csv", _data_url(b"a"), dash_settings)
    new = upload_data.stage_upload(officer, code, "new.csv", _data_url(b"b"), dash_settings)
    now = dt.datetime(2030, 1, 2, 12, 0, tzinfo=dt.UTC)
    hours = upload_data.STAGED_UPLOAD_HOURS
    for token, age in ((old, hours * 3600 + 1), (new, hours * 3600 - 60)):
        folder = upload_data.staged_file(officer, token, dash_settings).parent
        stamp = now.timestamp() - age
        os.utime(folder, (stamp, stamp))
    assert upload_data.remove_expired_uploads(dash_settings, now=now) == 1
    assert upload_data.staged_file(officer, new, dash_settings).read_text() == "b"
    with pytest.raises(Exception, match="Upload the file again"):
        upload_data.staged_file(officer, old, dash_settings)


class _FullDisk:
    """A file handle that takes half of what is written, then fails as a full disk does."""

    def __init__(self, path: Path) -> None:
        self.handle = open(path, "xb")  # noqa: SIM115 - closed in __exit__

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = Path.open

    def fake_open(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "uploads" in self.parts and any(m in mode for m in "wxa"):
            return _FullDisk(self)
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", fake_open)


def test_a_full_disk_leaves_no_truncated_file(
    dash_seed: DashSeed, users: SeedUsers, dash_settings: Settings, full_disk: None
) -> None:
    officer = viewer_of(users.alpha_officer)
    with pytest.raises(StorageUnavailable, match="No space left on device"):
        upload_data.stage_upload(
            officer, dash_seed.alpha.code, "s.csv", _data_url(CSV.encode()), dash_settings
        )
    assert _staged(dash_settings) == []


def test_a_full_disk_gives_the_503_message_through_the_page(
    app: dash.Dash,
    dash_seed: DashSeed,
    users: SeedUsers,
    dash_settings: Settings,
    full_disk: None,
) -> None:
    client = app.server.test_client()
    assert login(client, users.alpha_officer.email, PASSWORD).status_code == 302
    payload = trigger_payload(
        app,
        {"id": ids.UPLOAD, "property": "contents", "value": _data_url(CSV.encode())},
        [
            {"id": ids.UPLOAD, "property": "filename", "value": "s.csv"},
            {"id": ids.UPLOAD_AUTHORITY, "property": "value", "value": dash_seed.alpha.code},
        ],
    )
    response = post_callback(client, payload)
    assert response.status_code == 503
    assert response.get_data(as_text=True) == STORAGE_MESSAGE
    assert response.headers["Retry-After"] == "30"
    assert _staged(dash_settings) == []
