"""Pure parsers of published contracts files (no database here).

Use :func:`parse_contract_file`: OCDS release and record packages and JSON lines
(releases of one ocid compiled, :mod:`.merge`), Transparency Code contract registers and
flattened award CSVs (:mod:`.tables`).
"""

from .model import (
    FLAG_TEXT,
    ContractFileError,
    ParsedContract,
    ParsedContracts,
    ParsedParty,
    Refusal,
)
from .read import FORMAT_NAMES, parse_contract_file

__all__ = [
    "FLAG_TEXT",
    "FORMAT_NAMES",
    "ContractFileError",
    "ParsedContract",
    "ParsedContracts",
    "ParsedParty",
    "Refusal",
    "parse_contract_file",
]
