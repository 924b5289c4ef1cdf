"""All models, imported here so that ``Base.metadata`` is complete for Alembic."""

from tracker.models.authority import Authority
from tracker.models.base import Base
from tracker.models.factors import Factor, FactorSet, PriceIndexSeries, PriceIndexValue
from tracker.models.inventory import InventoryRun, LineEmission
from tracker.models.spend import ImportBatch, SavedMapping, SpendLine, Supplier

__all__ = [
    "Authority",
    "Base",
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
]
