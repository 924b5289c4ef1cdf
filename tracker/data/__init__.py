"""Data files shipped with the tracker package (not factor data: see ``factors/data``)."""
