"""The upload page's data: keep an uploaded file for the user, preview it (a dry run of
the real importer), import it, and bring the affected years' inventories up to date.

Only officers of the authority and admins may upload (``Viewer.can_edit``). A file is
kept under ``<data dir>/uploads/<user id>-<random token>/`` between the preview and the
confirmation, so one user can never confirm another's upload. The folder is removed once
the file is imported, when its preview refuses it, and otherwise after
``STAGED_UPLOAD_HOURS`` (expired folders are cleared whenever a file is staged). A disk
that cannot take the file (full, read-only) raises :class:`StorageUnavailable` (a 503
answer, see ``dashboards.server.unavailable``) and leaves nothing behind.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from dashboards.data.access import editable_authority
from dashboards.data.sessions import read_session, write_session
from dashboards.server.unavailable import StorageUnavailable
from tracker.access import Viewer, full_access_ids
from tracker.config import Settings
from tracker.errors import TrackerError
from tracker.queries.runs import authority_overview
from tracker.services.import_refresh import import_and_refresh
from tracker.services.imports import ImportResult

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
NAME_RE = re.compile(r"[^A-Za-z0-9._ -]+")
#: A staged upload neither confirmed nor refused is removed after this many hours.
STAGED_UPLOAD_HOURS = 24
_PARTIAL = ".partial"  # a file being written; renamed to its own name once whole


@dataclass(frozen=True)
class EditableAuthority:
    code: str
    name: str


def editable_authorities(viewer: Viewer) -> list[EditableAuthority]:
    """The authorities the viewer may upload for (none for a viewer)."""
    with read_session() as session:
        ids = [i for i in full_access_ids(session, viewer) if viewer.can_edit(i)]
        return [
            EditableAuthority(r.code, r.name)
            for r in authority_overview(session, authority_ids=ids)
        ]


def _uploads(settings: Settings) -> Path:
    return settings.data_dir / "uploads"


def safe_name(file_name: str) -> str:
    """The file's own name, without folders or unusual characters."""
    base = Path(file_name.replace("\\", "/")).name
    cleaned = NAME_RE.sub("_", base).strip(" .") or "upload"
    return cleaned[:120]


def decode_upload(contents: str, max_bytes: int) -> bytes:
    """The bytes of a ``dcc.Upload`` data URL, refusing anything over ``max_bytes``."""
    _, _, encoded = contents.partition(",")
    if len(encoded) * 3 // 4 > max_bytes + 3:
        raise TrackerError(f"The file is over the upload limit of {max_bytes // 2**20} MB.")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise TrackerError("The upload could not be read; try again.") from None
    if len(raw) > max_bytes:
        raise TrackerError(f"The file is over the upload limit of {max_bytes // 2**20} MB.")
    if not raw:
        raise TrackerError("The file is empty.")
    return raw


def stage_upload(
    viewer: Viewer, code: str, file_name: str, contents: str, settings: Settings
) -> str:
    """Keep an uploaded file for this user; the token that names it."""
    with read_session() as session:
        editable_authority(session, viewer, code)
    raw = decode_upload(contents, settings.max_upload_bytes)
    remove_expired_uploads(settings)
    token = secrets.token_urlsafe(24)
    folder = _uploads(settings) / f"{viewer.user_id}-{token}"
    try:
        folder.mkdir(parents=True, mode=0o700)
        _write_whole(folder / safe_name(file_name), raw)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise StorageUnavailable(f"cannot stage an upload: {exc.strerror or exc}") from exc
    return token


def _write_whole(path: Path, raw: bytes) -> None:
    """Write under a temporary name and rename, so the file never exists truncated."""
    partial = path.with_name(path.name + _PARTIAL)
    with partial.open("xb") as handle:
        handle.write(raw)
    os.replace(partial, path)


def discard_upload(viewer: Viewer, token: str, settings: Settings) -> None:
    """Remove this user's staged upload ``token`` (nothing if there is none)."""
    if TOKEN_RE.match(token or ""):
        shutil.rmtree(_uploads(settings) / f"{viewer.user_id}-{token}", ignore_errors=True)


def remove_expired_uploads(settings: Settings, now: dt.datetime | None = None) -> int:
    """Remove staged uploads older than ``STAGED_UPLOAD_HOURS``; how many were removed."""
    root = _uploads(settings)
    if not root.is_dir():
        return 0
    cutoff = (now or dt.datetime.now(dt.UTC)).timestamp() - STAGED_UPLOAD_HOURS * 3600
    removed = 0
    for folder in root.iterdir():
        try:
            old = folder.stat().st_mtime < cutoff
        except OSError:  # removed meanwhile by another worker
            continue
        if old:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def staged_file(viewer: Viewer, token: str, settings: Settings) -> Path:
    """The file this user uploaded under ``token``."""
    if not TOKEN_RE.match(token or ""):
        raise TrackerError("Upload the file again.")
    folder = _uploads(settings) / f"{viewer.user_id}-{token}"
    files = (
        [f for f in folder.glob("*") if not f.name.endswith(_PARTIAL)] if folder.is_dir() else []
    )
    if len(files) != 1:
        raise TrackerError("Upload the file again.")
    return files[0]


def _import(
    viewer: Viewer,
    code: str,
    token: str,
    mapping: dict[str, str] | None,
    settings: Settings,
    *,
    dry_run: bool,
    on_overlap: str | None = None,
    confirm_organisation: bool = False,
) -> ImportResult:
    path = staged_file(viewer, token, settings)
    return import_and_refresh(
        # A dry run only reads and checks the file: its session is read-only, so it never
        # takes the write lock (nor could it store anything).
        read_session if dry_run else write_session,
        lambda session: editable_authority(session, viewer, code),
        path=path,
        data_dir=settings.data_dir,
        limits=settings.import_limits(),
        mapping=mapping or None,
        dry_run=dry_run,
        on_overlap=on_overlap,
        confirm_organisation=confirm_organisation,
    )


def preview_upload(
    viewer: Viewer, code: str, token: str, mapping: dict[str, str] | None, settings: Settings
) -> ImportResult:
    """A dry run: what would be imported, with the detected layout and every problem."""
    return _import(viewer, code, token, mapping, settings, dry_run=True)


def confirm_upload(
    viewer: Viewer,
    code: str,
    token: str,
    mapping: dict[str, str] | None,
    settings: Settings,
    on_overlap: str | None = None,
    confirm_organisation: bool = False,
) -> ImportResult:
    """Import the file and recalculate the inventories of the years it touches; a file
    naming another body is refused unless ``confirm_organisation``."""
    result = _import(
        viewer,
        code,
        token,
        mapping,
        settings,
        dry_run=False,
        on_overlap=on_overlap,
        confirm_organisation=confirm_organisation,
    )
    shutil.rmtree(staged_file(viewer, token, settings).parent, ignore_errors=True)
    return result
