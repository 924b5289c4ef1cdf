"""All models, imported here so that ``Base.metadata`` is complete for Alembic."""

from tracker.models.authority import Authority, AuthorityAlias, ExclusionNote
from tracker.models.base import Base
from tracker.models.contract_links import ContractLinkDecision, ContractSpendLink
from tracker.models.contracts import Contract, ContractBuyer, ContractFile, ContractParty
from tracker.models.emissions import LineEmission, LineEmissionKey
from tracker.models.factors import (
    ExchangeRate,
    Factor,
    FactorSet,
    PriceIndexSeries,
    PriceIndexValue,
    SupplierFactor,
)
from tracker.models.inventory import (
    AuditEntry,
    InventoryPending,
    InventoryRun,
    PeriodLock,
    Target,
    YearConfirmation,
)
from tracker.models.spend import (
    BatchMonth,
    ClassificationRule,
    ImportBatch,
    LineClass,
    LineConfirmation,
    LineOverride,
    SavedMapping,
    SpendLine,
    Supplier,
    SupplierDefault,
)
from tracker.models.summary import (
    RunCategoryTotal,
    RunCollaborationFigures,
    RunCompareFigures,
    RunDepartmentTotal,
    RunEvidence,
    RunQualityTotal,
    RunSupplierTotal,
)
from tracker.models.suppliers import (
    SupplierCommitment,
    SupplierDisclosure,
    SupplierIdentifier,
    SupplierMergeCandidate,
)
from tracker.models.users import LoginAttempt, User

__all__ = [
    "AuditEntry",
    "Authority",
    "AuthorityAlias",
    "Base",
    "BatchMonth",
    "ClassificationRule",
    "Contract",
    "ContractBuyer",
    "ContractFile",
    "ContractLinkDecision",
    "ContractParty",
    "ContractSpendLink",
    "ExchangeRate",
    "ExclusionNote",
    "Factor",
    "FactorSet",
    "ImportBatch",
    "InventoryPending",
    "InventoryRun",
    "LineClass",
    "LineConfirmation",
    "LineEmission",
    "LineEmissionKey",
    "LineOverride",
    "LoginAttempt",
    "PeriodLock",
    "PriceIndexSeries",
    "PriceIndexValue",
    "RunCategoryTotal",
    "RunCollaborationFigures",
    "RunCompareFigures",
    "RunDepartmentTotal",
    "RunEvidence",
    "RunQualityTotal",
    "RunSupplierTotal",
    "SavedMapping",
    "SpendLine",
    "Supplier",
    "SupplierCommitment",
    "SupplierDefault",
    "SupplierDisclosure",
    "SupplierFactor",
    "SupplierIdentifier",
    "SupplierMergeCandidate",
    "Target",
    "User",
    "YearConfirmation",
]
