"""Content-addressed store of uploaded files: nothing a user uploaded is lost."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from tracker.errors import RawFileStoreError

CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stored_path(data_dir: Path, sha256: str) -> Path:
    return data_dir / "raw" / sha256[:2] / sha256


def store(data_dir: Path, path: Path, sha256: str) -> Path:
    """Copy ``path`` into the store under its sha256 (atomic; a no-op when already there).

    Raises RawFileStoreError, leaving no partial file, when the store cannot take it
    (read-only, full, missing permissions).
    """
    target = stored_path(data_dir, sha256)
    if target.exists():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    except OSError as exc:
        raise _store_error(path, data_dir, exc) from exc
    try:
        with os.fdopen(fd, "wb") as out, path.open("rb") as src:
            shutil.copyfileobj(src, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o440)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _store_error(path, data_dir, exc) from exc
        raise
    return target


def _store_error(path: Path, data_dir: Path, exc: OSError) -> RawFileStoreError:
    reason = exc.strerror or str(exc)
    return RawFileStoreError(
        f"{path.name}: the uploaded file cannot be kept in the raw-file store {data_dir} "
        f"({reason}); the import was refused and nothing was stored. "
        "Free space or fix the permissions of TRACKER_DATA_DIR, then import again."
    )
