"""Compute and store an authority's inventory for one financial year.

For each spend line (methodology.md §3.2)::

    kgCO2e = amount × FX(spend currency → factor currency, spend year)
                    × P(factor year) / P(spend year) × EF(code, factor year)

where the factor is the supplier's own intensity when one is recorded (hybrid method),
else the sector factor of the line's code in the authority's factor set and edition.
Every input of that product is stored on the line, with the rule that chose it.

``calculator`` (one line's emissions), ``keys`` (a year's lines costed as sets: each
distinct key once, then one INSERT … SELECT), ``run_sums`` (a run's figures and summary rows
summed exactly in the database), ``tallies`` (the same line by line in Python: the per-line
path kept as the tests' oracle), ``totals`` (the per-run summary rows), ``runs`` (computing,
reusing and refreshing runs), ``factor_tables`` (factors, indices and rates held in memory)
and ``supplier_factors`` (suppliers' own intensities).
"""
