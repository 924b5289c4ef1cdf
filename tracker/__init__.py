"""Net Zero procurement emissions tracker: spend-based Scope 3 inventories of public spend."""

__version__ = "0.1.0"
PRODUCT_NAME = "Net Zero Procurement Tracker"
