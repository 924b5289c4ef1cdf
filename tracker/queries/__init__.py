"""Read-only queries for dashboards and reports, scoped by authority.

Every function takes the session first and keyword-only arguments after it, and is scoped
by the authority id(s) it is given. Results are frozen dataclasses; money and emissions are
``Decimal`` on every database (sums are coerced to ``Numeric`` so SQLite floats come back
as ``Decimal`` too).

The *current* inventory of an authority for a financial year is its run with the highest
id for that (authority, year) pair; older runs are kept for audit but never shown. That
rule, and the lock of a year, live in one place: ``current``.

``current`` (the current run of a year, the ids of many, the lock of a year), ``runs``
(current runs with their figures, overviews), ``breakdowns`` (one run by category, supplier,
department, Scope 3 category, coverage, exclusions), ``lines`` (a category's spend lines),
``review`` (the review queue), ``reference`` (factor sets, authorities by code), ``groups``
(aggregates across authorities), ``confirmations`` (sign-off state as SQL) and ``sql`` (the
helpers they share).
"""
