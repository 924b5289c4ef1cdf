"""All models, imported here so that ``Base.metadata`` is complete for Alembic."""

from tracker.models.authority import Authority
from tracker.models.base import Base
from tracker.models.factors import (
    ExchangeRate,
    Factor,
    FactorSet,
    PriceIndexSeries,
    PriceIndexValue,
    SupplierFactor,
)
from tracker.models.inventory import InventoryRun, LineEmission
from tracker.models.spend import ImportBatch, SavedMapping, SpendLine, Supplier

__all__ = [
    "Authority",
    "Base",
    "ExchangeRate",
    "Factor",
    "FactorSet",
    "ImportBatch",
    "InventoryRun",
    "LineEmission",
    "PriceIndexSeries",
    "PriceIndexValue",
    "SavedMapping",
    "SpendLine",
    "Supplier",
    "SupplierFactor",
]
