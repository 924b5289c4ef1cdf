"""Imported files (batches), suppliers and spend lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow


class ImportBatch(Base):
    """One uploaded file imported for one authority."""

    __tablename__ = "import_batch"
    __table_args__ = (
        # The same file is imported at most once per authority while its batch is live; a
        # deleted batch keeps its record (and its raw file) and the file may come again.
        Index(
            "uq_import_batch_live_sha256",
            "authority_id",
            "sha256",
            unique=True,
            sqlite_where=text("status = 'imported'"),
            postgresql_where=text("status = 'imported'"),
        ),
        # What a spend line's foreign key refers to: its batch and the batch's authority.
        Index("ix_import_batch_id_authority", "id", "authority_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="imported")
    file_format: Mapped[str] = mapped_column(String(8))
    encoding: Mapped[str | None] = mapped_column(String(32))
    sheet: Mapped[str | None] = mapped_column(String(200))
    header_row: Mapped[int]
    column_mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    amount_rule: Mapped[str] = mapped_column(String(32))
    rows_read: Mapped[int]
    rows_imported: Mapped[int]
    rows_rejected: Mapped[int]
    rows_skipped: Mapped[int]
    total_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    date_min: Mapped[dt.date | None] = mapped_column(Date)
    date_max: Mapped[dt.date | None] = mapped_column(Date)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    deleted_at: Mapped[dt.datetime | None]
    deleted_reason: Mapped[str | None] = mapped_column(Text)


class BatchMonth(Base):
    """The lines of one import batch dated in one calendar month: how many, and their net
    spend. A batch's lines never change once imported, so the import writes these rows
    with its lines (``tracker.services.batch_months``) and deleting the batch removes
    them; completeness (which months of a year have lines) reads them instead of every
    spend line."""

    __tablename__ = "batch_month"
    __table_args__ = (Index("ix_batch_month_authority", "authority_id"),)

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    lines: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))


class Supplier(Base):
    """A supplier, shared across authorities and keyed by its normalised name.

    A supplier merged into another (tracker.services.suppliers.merge) keeps its row, with
    ``merged_into_id`` naming the one that survives: a file spelling it the old way is
    then put on the survivor.
    """

    __tablename__ = "supplier"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"))


class SpendLine(Base):
    __tablename__ = "spend_line"
    __table_args__ = (
        # One foreign key for the line's batch and authority together: the line belongs to
        # a batch of its own authority (the batch's own key refers to the authority), and
        # deleting the authority or the batch deletes the line. PostgreSQL checks every
        # foreign key of every inserted row apart, so two keys for the pair cost an import
        # one check per line more, for a weaker guarantee.
        ForeignKeyConstraint(
            ["batch_id", "authority_id"],
            ["import_batch.id", "import_batch.authority_id"],
            ondelete="CASCADE",
        ),
        Index("ix_spend_line_authority_date", "authority_id", "transaction_date"),
        Index("ix_spend_line_batch", "batch_id"),
        Index("ix_spend_line_authority_class_key", "authority_id", "class_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int]
    batch_id: Mapped[int]
    source_row: Mapped[int]
    transaction_date: Mapped[dt.date] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(8), default="day")
    # Spend net of recoverable VAT, in the authority's currency; negative for credit notes.
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    gross_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    vat_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    # For a foreign-currency purchase: what was paid, in what currency, before conversion.
    original_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    original_currency: Mapped[str | None] = mapped_column(String(3))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"))
    supplier_name: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    expense_type: Mapped[str | None] = mapped_column(String(300))
    cost_centre: Mapped[str | None] = mapped_column(String(300))
    transaction_id: Mapped[str | None] = mapped_column(String(100))
    capital_or_revenue: Mapped[str | None] = mapped_column(String(32))
    sic: Mapped[str | None] = mapped_column(String(100))
    naics: Mapped[str | None] = mapped_column(String(32))
    proclass: Mapped[str | None] = mapped_column(String(32))
    mcc: Mapped[str | None] = mapped_column(String(16))
    cpv: Mapped[str | None] = mapped_column(String(32))
    unspsc: Mapped[str | None] = mapped_column(String(32))
    # Digest of the fields classification reads (tracker.domain.classify.class_key):
    # lines with the same key are classified alike, through LineClass.
    class_key: Mapped[str | None] = mapped_column(String(32))


class SavedMapping(Base):
    """A column mapping that worked for one of an authority's file layouts.

    Offered again for the next file whose headers look alike; the headers it was saved
    with are kept so that a changed layout can be explained to the user.
    """

    __tablename__ = "saved_mapping"
    __table_args__ = (UniqueConstraint("authority_id", "headers_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    headers_key: Mapped[str] = mapped_column(String(64))  # sha256 of the normalised headers
    headers: Mapped[list[str]] = mapped_column(JSON)
    mapping: Mapped[dict[str, str]] = mapped_column(JSON)
    file_name: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ClassificationRule(Base):
    """A pattern rule written by an authority (or shared by all when authority_id is None)."""

    __tablename__ = "classification_rule"
    __table_args__ = (UniqueConstraint("authority_id", "rule_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    rule_id: Mapped[str] = mapped_column(String(64))
    priority: Mapped[int]
    field: Mapped[str] = mapped_column(String(16))  # expense_type|description|supplier|any
    pattern: Mapped[str] = mapped_column(String(500))
    match: Mapped[str] = mapped_column(String(8))  # contains|regex|exact
    defra_group: Mapped[str | None] = mapped_column(String(32))
    exclude_reason: Mapped[str | None] = mapped_column(String(32))
    if_included: Mapped[str | None] = mapped_column(String(32))
    # A US authority's (or a shared) target may name the EPA NAICS-6 commodity itself;
    # defra_group then holds the group that code files under (naics2017_to_sic_division).
    naics_code: Mapped[str | None] = mapped_column(String(6))
    scope3_category: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    # "rule": written by a person, applied before the shared library; "suggestion": an
    # accepted suggestion, applied only after the library (the last resort before
    # unclassified), with method "suggestion" on the lines it classifies.
    origin: Mapped[str] = mapped_column(String(16), default="rule", server_default="rule")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SupplierDefault(Base):
    """Everything bought from a supplier goes to one category (or is excluded)."""

    __tablename__ = "supplier_default"
    __table_args__ = (UniqueConstraint("authority_id", "supplier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"))
    defra_group: Mapped[str | None] = mapped_column(String(32))
    exclude_reason: Mapped[str | None] = mapped_column(String(32))
    naics_code: Mapped[str | None] = mapped_column(String(6))  # as ClassificationRule's
    scope3_category: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LineClass(Base):
    """How every spend line with one set of classification inputs is classified.

    One row per authority and distinct ``class_key``; reclassifying after a rule change
    rewrites these rows in one set-based statement, and every line joins to its row.
    ``fingerprint`` is the rule set (shipped tables, library and the authority's own rules
    and supplier defaults) the row was computed with.
    """

    __tablename__ = "line_class"

    authority_id: Mapped[int] = mapped_column(
        ForeignKey("authority.id", ondelete="CASCADE"), primary_key=True
    )
    class_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # mapped | unmapped | excluded
    defra_group: Mapped[str | None] = mapped_column(String(32))
    naics_code: Mapped[str | None] = mapped_column(String(6))  # named by the deciding target
    method: Mapped[str | None] = mapped_column(String(16))
    rule_ref: Mapped[str] = mapped_column(String(100), default="")
    confidence: Mapped[str | None] = mapped_column(String(16))
    scope3_category: Mapped[int | None]
    exclude_reason: Mapped[str | None] = mapped_column(String(32))
    # Who wrote the rule or supplier default that decided (None: the shipped tables).
    decided_by: Mapped[str | None] = mapped_column(String(200))
    # Evidence that disagreed and lost ("conflict: …" when it sent the line to review).
    overruled: Mapped[str | None] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The row's decision (every column above but the key and fingerprint) as a number
    # within the authority: rows with equal decisions have equal numbers and no others do
    # (tracker.services.classification.line_classes), so an inventory groups and joins a
    # year's lines by one integer instead of ten columns (tracker.services.inventory.keys).
    decision: Mapped[int]


class LineOverride(Base):
    """An officer's decision for one spend line; it outranks every other rule."""

    __tablename__ = "line_override"
    __table_args__ = (
        CheckConstraint(
            "(defra_group IS NULL) <> (exclude_reason IS NULL)", name="group_or_exclusion"
        ),
        Index("ix_line_override_authority", "authority_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    spend_line_id: Mapped[int] = mapped_column(
        ForeignKey("spend_line.id", ondelete="CASCADE"), unique=True
    )
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    defra_group: Mapped[str | None] = mapped_column(String(32))
    exclude_reason: Mapped[str | None] = mapped_column(String(32))
    naics_code: Mapped[str | None] = mapped_column(String(6))  # as ClassificationRule's
    scope3_category: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LineConfirmation(Base):
    """An officer's confirmation of a classification decision (the sign-off review).

    Keyed by the lines' classification inputs (``class_key``), so it covers every line
    with those inputs and outlives reclassification and re-imports; or, for one line, by
    ``spend_line_id``, which outranks the class's. It records the decision confirmed
    (status, category or exclusion, factor code, method and who decided it): a line whose
    current decision differs needs re-confirming.
    """

    __tablename__ = "line_confirmation"
    __table_args__ = (
        CheckConstraint("(class_key IS NULL) <> (spend_line_id IS NULL)", name="class_or_line"),
        UniqueConstraint("authority_id", "class_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    class_key: Mapped[str | None] = mapped_column(String(32))
    spend_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("spend_line.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(16))  # mapped | excluded | unmapped
    category_code: Mapped[str | None] = mapped_column(String(32))
    factor_code: Mapped[str | None] = mapped_column(String(32))
    exclusion: Mapped[str | None] = mapped_column(Text)  # the exclusion reason, if excluded
    method: Mapped[str | None] = mapped_column(String(32))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    confirmed_by: Mapped[str] = mapped_column(String(200))
    confirmed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
