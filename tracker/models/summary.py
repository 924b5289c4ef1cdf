"""Per-run totals written with each inventory run, so that dashboards and comparisons
read a few rows per category or supplier instead of every line emission.

Each row sums the lines of one run that share its key columns; a key column that does
not apply to a line (no category, no factor) is NULL. Sums are exact: they are added up
in Python from the same Decimal values that are stored on the lines.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, false
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base


class RunCategoryTotal(Base):
    """Spend, kgCO2e and line count of one run per classification outcome and factor."""

    __tablename__ = "run_category_total"
    __table_args__ = (Index("ix_run_category_total_run", "run_id", "status", "category_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inventory_run.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))  # mapped | unmapped | excluded
    category_code: Mapped[str | None] = mapped_column(String(32))
    scope3_category: Mapped[int | None]
    method: Mapped[str | None] = mapped_column(String(32))
    factor_id: Mapped[int | None] = mapped_column(ForeignKey("factor.id"))
    factor_set_id: Mapped[int | None] = mapped_column(ForeignKey("factor_set.id"))
    factor_year: Mapped[int | None]
    # True for lines priced with a supplier's own factor (supplier_factor_id set).
    supplier_specific: Mapped[bool] = mapped_column(default=False, server_default=false())
    lines: Mapped[int]
    spend: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    kgco2e: Mapped[Decimal] = mapped_column(Numeric(24, 6))


class RunCompareFigures(Base):
    """What /compare reads of one run, summed from the run's ``run_category_total`` rows in
    the transaction that writes them (``tracker.services.inventory.run_figures``), so that a
    comparison reads one row per authority instead of every category row of the year.

    Amounts are decimal text (exact): ``category_kg`` is the kgCO2e of the classified
    lines per category code, ``method_spend`` their spend per classification method
    (``unknown`` when none), ``factor_set_ids`` the factor sets any line of the run used.
    """

    __tablename__ = "run_compare_figures"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_run.id", ondelete="CASCADE"), primary_key=True
    )
    category_kg: Mapped[dict[str, Any]] = mapped_column(JSON)
    method_spend: Mapped[dict[str, Any]] = mapped_column(JSON)
    factor_set_ids: Mapped[list[int]] = mapped_column(JSON)


class RunCollaborationFigures(Base):
    """What /collaboration reads of one run, summed from the run's ``run_supplier_total``
    and ``run_category_total`` rows in the transaction that writes them
    (``tracker.services.inventory.collaboration_figures``), so that the page reads one row
    per authority instead of every summary row of the year.

    Each is three parallel lists: ``suppliers`` the supplier record ids (``ids``) the run
    bought from (positive in-scope spend; excluded lines left out) with its in-scope
    ``spend`` and ``kg`` with each, ``categories`` the category codes (``codes``) with the
    ``spend`` and ``kg`` of its classified lines in each; spend in hundredths and kgCO2e in
    millionths of a kg (the summary columns' scales), as whole numbers: exact, and summed
    as integers.
    """

    __tablename__ = "run_collaboration_figures"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_run.id", ondelete="CASCADE"), primary_key=True
    )
    suppliers: Mapped[dict[str, Any]] = mapped_column(JSON)
    categories: Mapped[dict[str, Any]] = mapped_column(JSON)


class RunSupplierTotal(Base):
    """Spend, kgCO2e and line count of one run per supplier and classification outcome.

    Lines with a supplier record are keyed by ``supplier_id`` (``supplier_name`` NULL);
    lines without one by their raw supplier name (NULL when they have none).
    """

    __tablename__ = "run_supplier_total"
    __table_args__ = (Index("ix_run_supplier_total_run", "run_id", "supplier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inventory_run.id", ondelete="CASCADE"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"))
    supplier_name: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16))
    lines: Mapped[int]
    spend: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    kgco2e: Mapped[Decimal] = mapped_column(Numeric(24, 6))


class RunDepartmentTotal(Base):
    """Spend, kgCO2e and line count of one run per department (the lines' cost centre,
    without surrounding spaces; NULL when blank) and classification outcome."""

    __tablename__ = "run_department_total"
    __table_args__ = (Index("ix_run_department_total_run", "run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inventory_run.id", ondelete="CASCADE"))
    department: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16))
    lines: Mapped[int]
    spend: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    kgco2e: Mapped[Decimal] = mapped_column(Numeric(24, 6))


class RunQualityTotal(Base):
    """One run's mapped lines per category and data-quality scores (``LineEmission.dq``):
    what the spend-weighted scores and the uncertainty of each category need."""

    __tablename__ = "run_quality_total"
    __table_args__ = (Index("ix_run_quality_total_run", "run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("inventory_run.id", ondelete="CASCADE"))
    category_code: Mapped[str | None] = mapped_column(String(32))
    dq: Mapped[str | None] = mapped_column(String(5))
    lines: Mapped[int]
    spend: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    abs_spend: Mapped[Decimal] = mapped_column(Numeric(18, 2))  # Σ |spend|, the weights
    kgco2e: Mapped[Decimal] = mapped_column(Numeric(24, 6))
    kg2: Mapped[Decimal] = mapped_column(Numeric(36, 12))  # Σ kgCO2e², for the variance


class RunEvidence(Base):
    """What one run's classified spend says about suppliers, expense types and words: the
    evidence that review suggestions learn from (tracker.services.classification.evidence),
    kept per run
    so that the review reads a few rows per key instead of every authority's lines.

    Lines classified by an accepted suggestion are left out, so suggestions do not feed
    on themselves. ``kind`` is:

    - ``supplier``: ``key`` a supplier name key, ``weight`` its classified |spend| in
      ``defra_group``, ``lines`` the number of its lines, ``basis`` the method and rule or
      code that decided most of that spend (e.g. "rule R075", "sic 42110");
    - ``expense_type``: ``key`` a normalised expense type, the same;
    - ``word``: ``key`` a word, ``weight`` its votes for ``defra_group`` from the run's
      distinct texts (tracker.domain.suggest_words); no lines or basis.

    Lines decided with low confidence are no evidence either.
    """

    __tablename__ = "run_evidence"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_run.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    defra_group: Mapped[str] = mapped_column(String(32), primary_key=True)
    weight: Mapped[Decimal] = mapped_column(Numeric(24, 6))
    lines: Mapped[int] = mapped_column(default=0, server_default="0")
    basis: Mapped[str | None] = mapped_column(String(140))
