"""Published contracts: the files they came from, the contracts, their suppliers, and
which authority each buyer name belongs to.

A contract belongs to the authority its buyer is mapped to (``ContractBuyer``); a file
naming many buyers imports only the mapped ones. Nothing here is derived: the factor
group of a contract comes from its classification when it is read.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow

#: ContractFile.format values.
CONTRACT_FILE_FORMATS = (
    "ocds-release-package",
    "ocds-record-package",
    "ocds-jsonl",
    "contract-register-csv",
    "award-csv",
)

#: Contract.status values: a tender with an anticipated contract is ``planned``; an award
#: (or a register entry) is ``awarded``; an award withdrawn by a later release ``cancelled``.
CONTRACT_STATUSES = ("planned", "awarded", "cancelled")


class ContractFile(Base):
    """One imported contracts file (kept in the raw-file store by its sha256)."""

    __tablename__ = "contract_file"
    __table_args__ = (Index("ix_contract_file_sha256", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(300))
    size_bytes: Mapped[int]
    format: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(200))
    # Counts (records read, contracts added/updated/unchanged per authority, unmapped
    # buyers) and every refusal with its record and field.
    report: Mapped[dict[str, Any]] = mapped_column(JSON)


class Contract(Base):
    """A contract (awarded or planned) of one authority."""

    __tablename__ = "contract"
    __table_args__ = (
        UniqueConstraint("authority_id", "source_key"),
        Index("ix_contract_authority_end_date", "authority_id", "end_date"),
        Index("ix_contract_file", "file_id"),
        Index("ix_contract_ocid", "ocid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(ForeignKey("contract_file.id"))
    # ocid + award id (OCDS, award CSV), "register:" + reference + supplier (register CSV):
    # the same contract read again updates this row instead of adding one.
    source_key: Mapped[str] = mapped_column(String(300))
    ocid: Mapped[str | None] = mapped_column(String(200))
    award_id: Mapped[str | None] = mapped_column(String(200))
    # Where in its file the contract was read (row number of a CSV, line of JSON lines).
    source_row: Mapped[int | None]
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    buyer_name: Mapped[str] = mapped_column(String(300))
    classification_scheme: Mapped[str | None] = mapped_column(String(16))  # CPV|UNSPSC|ProClass
    classification_code: Mapped[str | None] = mapped_column(String(32))
    value_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    procurement_route: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))  # CONTRACT_STATUSES
    # When the publisher released this state (OCDS release date); an older release read
    # later does not overwrite a newer one.
    released_at: Mapped[dt.datetime | None]
    # Doubts found on reading, kept with the figures as published (e.g. "end_date_implausible",
    # "value_negative"); see tracker.importers.contracts.model.FLAG_TEXT.
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContractParty(Base):
    """A supplier on a contract, as published, resolved to its shared Supplier on import
    (tracker.services.suppliers.resolution)."""

    __tablename__ = "contract_party"
    __table_args__ = (
        Index("ix_contract_party_contract", "contract_id"),
        Index("ix_contract_party_supplier", "supplier_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16), default="supplier")
    name: Mapped[str] = mapped_column(String(300))
    scheme: Mapped[str | None] = mapped_column(String(64))  # e.g. GB-COH
    identifier: Mapped[str | None] = mapped_column(String(100))  # normalised, e.g. 01628868
    sme: Mapped[bool | None]
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"))


class ContractBuyer(Base):
    """A buyer name as published, mapped to the authority its contracts belong to."""

    __tablename__ = "contract_buyer"

    id: Mapped[int] = mapped_column(primary_key=True)
    # tracker.domain.contracts.buyer_key of the published name.
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
