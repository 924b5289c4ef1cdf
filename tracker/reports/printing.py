"""How a report sheet prints: orientation, fit to one page wide, header and footer.

Excel and LibreOffice read the print set-up from the sheet (``sheetPr/pageSetUpPr``,
``pageSetup``, ``headerFooter``); the header rows repeated on every page are the
workbook's ``_xlnm.Print_Titles`` name, set with ``Sheet.header(..., repeat=True)``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties

from tracker.domain.periods import year_phrase

# Excel refuses a header or footer longer than 255 characters (codes included).
HEADER_LIMIT = 255
NAME_LIMIT = 80
PAGE_NUMBERS = "Page &P of &N"
SHEET_NAME = "&A"


@dataclass(frozen=True)
class Page:
    """A sheet's print set-up: three header parts, three footer parts (left, centre,
    right, in Excel's header codes) and the orientation."""

    header: tuple[str, str, str]
    footer: tuple[str, str, str]
    landscape: bool = False

    def wide(self) -> Page:
        """The same page, landscape."""
        return dataclasses.replace(self, landscape=True)


def literal(text: str, limit: int = NAME_LIMIT) -> str:
    """``text`` as a header part shows it: cut to ``limit`` characters, with its ``&``
    doubled (a single ``&`` starts a code such as ``&P``), line breaks as spaces."""
    cut = " ".join(text.split())
    if len(cut) > limit:
        cut = cut[: limit - 1] + "…"
    return cut.replace("&", "&&")


def inventory_page(*, authority: str, code: str, year_label: str, version: int) -> Page:
    """Every sheet of an authority's inventory workbook: the authority, the year and the
    inventory version at the top; the sheet's name and the page numbers at the bottom."""
    return Page(
        header=(
            f"{literal(authority)} ({literal(code, 20)})",
            f"Scope 3 procurement emissions, {literal(year_label, 20)}",
            f"Inventory version {version}",
        ),
        footer=(SHEET_NAME, "", PAGE_NUMBERS),
    )


def comparison_page(*, year_label: str | None) -> Page:
    """Every sheet of the comparison workbook: what it compares and for which year
    (``year_label`` as ``tracker.domain.periods.group_fy_label`` names it)."""
    if year_label:
        text = year_phrase(year_label)
        which = text[:1].upper() + text[1:]
    else:
        which = "Latest year of each authority"
    return Page(
        header=("Scope 3 procurement emissions: authorities compared", "", literal(which, 40)),
        footer=(SHEET_NAME, "", PAGE_NUMBERS),
        landscape=True,
    )


def set_up_printing(ws: WriteOnlyWorksheet, page: Page) -> None:
    """Print ``ws`` one page wide (as many pages down as it needs) with ``page``'s
    orientation, header and footer. Call before the sheet's first row: a write-only
    sheet writes its properties (where fit-to-page is) with that row."""
    for texts in (page.header, page.footer):
        if sum(len(t) + 2 for t in texts) > HEADER_LIMIT:
            raise ValueError(f"header or footer over {HEADER_LIMIT} characters: {texts}")
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.orientation = "landscape" if page.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    top, bottom = ws.oddHeader, ws.oddFooter
    parts = (top.left, top.center, top.right, bottom.left, bottom.center, bottom.right)
    for part, text in zip(parts, (*page.header, *page.footer), strict=True):
        part.text = text or None
