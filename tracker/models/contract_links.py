"""Payments (spend lines) linked to the contract they fall under.

Written by ``tracker.services.contracts.linking`` (after a contract or spend import, or
``tracker contracts link``), never while a page is read. A ``linked`` row says the line is
paid under the contract and counts in its spend to date; ``ambiguous`` rows record every
contract a line could belong to when none is clearly the one (it counts in none of them
until an officer decides). ``method`` and ``score`` are those of
``tracker.domain.contract_links``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow

LINK_STATUSES = ("linked", "ambiguous")


class ContractSpendLink(Base):
    __tablename__ = "contract_spend_link"
    __table_args__ = (
        UniqueConstraint("spend_line_id", "contract_id"),
        Index("ix_contract_spend_link_contract", "contract_id", "status"),
        Index("ix_contract_spend_link_authority", "authority_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The authority of both the line and the contract (a link never crosses authorities).
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    spend_line_id: Mapped[int] = mapped_column(ForeignKey("spend_line.id", ondelete="CASCADE"))
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))  # LINK_STATUSES
    # supplier-identifier | supplier-record | supplier-name (tracker.domain.contract_links)
    method: Mapped[str] = mapped_column(String(32))
    score: Mapped[Decimal] = mapped_column(Numeric(4, 3))
    notes: Mapped[str | None] = mapped_column(Text)  # grace, open period, no value …
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ContractLinkDecision(Base):
    """An officer's decision of the contract a payment falls under, for a payment the
    matching found ambiguous (it could belong to several). Linking honours it each time
    it runs, while the contract stands (a cancelled or deleted one: matched as before);
    the decision and who made it, when and why, are kept with it and in the audit log."""

    __tablename__ = "contract_link_decision"
    __table_args__ = (Index("ix_contract_link_decision_authority", "authority_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    spend_line_id: Mapped[int] = mapped_column(
        ForeignKey("spend_line.id", ondelete="CASCADE"), unique=True
    )
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
