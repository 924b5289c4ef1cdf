"""`tracker authority alias add|remove|list`, and the import that an alias lets through
(Kingston upon Hull City Council publishes its spend as "Hull City Council")."""

from __future__ import annotations

import uuid
from pathlib import Path

from cli_helpers import migrated_cli

HULL_CSV = (
    "Body Name,Payment Date,Supplier Name,Amount\nHull City Council,01/09/2014,Ecomix,646.40\n"
)


def test_an_alias_is_added_listed_used_and_removed(db_url: str, tmp_path: Path) -> None:
    tracker = migrated_cli(db_url, tmp_path)
    code = "H" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Kingston upon Hull City Council")
    path = tmp_path / "hull.csv"
    path.write_text(HULL_CSV, encoding="utf-8")
    refused = tracker.run("import", str(path), "--authority", code, ok=False)
    assert refused.exit_code == 2
    assert f"tracker authority alias add {code} NAME" in refused.output

    out = tracker.run("authority", "alias", "add", code, "Hull City Council").output
    assert out.strip() == f"{code} is also known as 'Hull City Council'."
    again = tracker.run("authority", "alias", "add", code, "hull city council").output
    assert "(already recorded)" in again
    assert tracker.json("authority", "alias", "list", code, "--json") == {
        "authority": code,
        "name": "Kingston upon Hull City Council",
        "aliases": ["Hull City Council"],
    }
    imported = tracker.json("import", str(path), "--authority", code, "--json")
    assert imported["rows_imported"] == 1 and imported["other_organisation"] is None

    out = tracker.run("authority", "alias", "remove", code, "HULL CITY COUNCIL").output
    assert out.strip() == f"{code} is no longer known as 'Hull City Council'."
    assert tracker.run("authority", "alias", "list", code).output.strip() == (
        f"{code} (Kingston upon Hull City Council) has no aliases."
    )
    missing = tracker.run("authority", "alias", "remove", code, "Hull", ok=False)
    assert missing.exit_code == 2 and f"{code} has no alias 'Hull' (aliases: none)" in (
        missing.output
    )
    audit = tracker.run("audit", "--authority", code).output
    assert "alias add" in audit and "alias remove" in audit
