"""Suppliers as shared entities: resolution, maintenance (admin), catalogue and KPIs."""
