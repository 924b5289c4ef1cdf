"""Synthetic demo data, imported through the real paths: authorities and their spend
(``seed``), contract registers (``contracts``) and supplier commitments (``suppliers``)."""
