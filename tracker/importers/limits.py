"""What one uploaded file may cost: the limits a spend or contract file is read under.

One value, :class:`ImportLimits`, carries them from the settings (``TRACKER_MAX_UPLOAD_MB``,
``TRACKER_MAX_ROWS`` ...; ``tracker.config.Settings.import_limits``) through the import
services to the parsers and readers, which check them before or while reading.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Defaults of the limits (each can be set by its TRACKER_ variable).
MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 2_000_000
MAX_COLUMNS = 500
MAX_CELL_CHARS = 131_072
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 100


@dataclass(frozen=True)
class ImportLimits:
    """What a hostile or broken file may not exceed: its size in bytes, its data rows and
    columns, the length of one cell, and what a zip-based workbook (.xlsx, .ods) expands to,
    in bytes and as a multiple of its own size, so that a small "zip bomb" is refused
    before it is inflated."""

    max_bytes: int = MAX_BYTES
    max_rows: int = MAX_ROWS
    max_columns: int = MAX_COLUMNS
    max_cell_chars: int = MAX_CELL_CHARS
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES
    max_zip_ratio: int = MAX_ZIP_RATIO
