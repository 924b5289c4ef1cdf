"""Contracts: import, buyer mapping and listing (issue 19)."""
