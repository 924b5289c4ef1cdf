"""Errors a user can act on. Their messages are shown as they are."""


class TrackerError(Exception):
    """Base class for errors that are reported to the user without a traceback."""


class NotFoundError(TrackerError):
    """A named object (authority, batch, factor set) does not exist."""


class SchemaOutdatedError(TrackerError):
    """The database is not migrated to the current schema."""


class DuplicateImportError(TrackerError):
    """The same file (by sha256) was already imported for this authority."""


class FactorDataError(TrackerError):
    """Factor or price-index data needed for a calculation is missing."""


class DatabaseUnavailableError(TrackerError):
    """The database cannot be reached, or the connection was lost mid-request."""


class DatabaseBusyError(TrackerError):
    """Another transaction holds what this one needs (a lock, a conflicting write)."""


class RawFileStoreError(TrackerError):
    """The uploaded file cannot be kept in the raw-file store (unwritable, full)."""
