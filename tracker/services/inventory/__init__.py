"""Compute and store an authority's inventory for one financial year.

For each spend line (methodology.md §3.2)::

    kgCO2e = amount × FX(spend currency → factor currency, spend year)
                    × P(factor year) / P(spend year) × EF(code, factor year)

where the factor is the supplier's own intensity when one is recorded (hybrid method),
else the sector factor of the line's code in the authority's factor set and edition.
Every input of that product is stored on the line, with the rule that chose it.

``calculator`` (one line's emissions), ``tallies`` (a run's lines turned into rows while
adding up its figures and data quality), ``totals`` (the per-run summary rows), ``runs``
(computing, reusing and refreshing runs), ``factor_tables`` (factors, indices and rates held
in memory) and ``supplier_factors`` (suppliers' own intensities).
"""
