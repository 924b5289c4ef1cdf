"""Pure value parsers: money amounts, dates and text cells.

Every parser raises :class:`ValueParseError` (a ``ValueError``) with a short user-facing
message; callers turn that into a row error.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

#: Characters trimmed from text cells (whitespace incl. NBSP, BOM, dagger padding).
_PAD = " \t\r\n\x0b\x0c\xa0\u2007\u202f\ufeff\u2020"

_CURRENCY_SYMBOLS = "£$€"
_CURRENCY_CODES = ("GBP", "USD", "EUR")
_MINUS_SIGNS = "-\u2212\u2013"

_PLAIN_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")
#: The common shapes of a money cell ("1234.56", "-£1,234.56"), read without the general
#: parser; anything else (padding, other symbols, brackets...) takes the general path.
_COMMON_AMOUNT = re.compile(r"(-?)£?(\d+|\d{1,3}(?:,\d{3})+)(\.\d+)?")
_FLOAT_CODE = re.compile(r"\d+\.0+")

# Excel's 1900 date system (with the fictitious 29 Feb 1900) for serials above 60.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_SERIAL_MIN = 3_000  # 1908
_SERIAL_MAX = 110_000  # 2201
_MAX_DIGITS = 15

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})" + _TIME)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})" + _ORDINAL + r"[-/ .]+([A-Za-z]{3,9})\.?[-/ .,]+(\d{4}|\d{2})" + _TIME
)
_MONTH_DAY_YEAR = re.compile(
    r"([A-Za-z]{3,9})\.?[ -](\d{1,2})" + _ORDINAL + r",?[ -](\d{4})" + _TIME
)
_MONTH_YEAR = re.compile(r"([A-Za-z]{3,9})\.?[-/ ,]*(\d{4}|\d{2})")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_SERIAL = re.compile(r"\d{4,6}(?:\.\d+)?")

DAY = "day"
MONTH = "month"


class ValueParseError(ValueError):
    """A cell value that cannot be read as the expected type."""


def clean_text(value: object) -> str:
    """Render a cell as trimmed text ("" for empty); integral floats lose their ``.0``."""
    if type(value) is str:  # the common case, first
        return value.strip(_PAD)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip(_PAD)


def clean_code(value: object) -> str:
    """Like :func:`clean_text` but ``"5411.0"`` (a float written out as text) becomes ``"5411"``."""
    text = clean_text(value)
    if "." in text and _FLOAT_CODE.fullmatch(text):
        return text.split(".", 1)[0]
    return text


def _float_to_decimal(value: float) -> Decimal:
    if not math.isfinite(value):
        raise ValueParseError(f"amount {value!r} is not a number")
    text = repr(round(value, 10))
    result = _in_range(Decimal(text), repr(value))
    # Only a repr with a positive exponent can give one (as_tuple() is slow, and repr
    # writes one only from 1e16 up, out of range).
    if "e+" in text and result.as_tuple().exponent > 0:  # type: ignore[operator]
        result = result.quantize(Decimal(1))
    return result


def _in_range(result: Decimal, shown: str) -> Decimal:
    """Reject magnitudes of 10**16 and above: no real spend line is that large."""
    if result.adjusted() > _MAX_DIGITS:
        raise ValueParseError(f"amount {shown} is out of range")
    return result


def parse_amount(value: object) -> Decimal:
    """Parse a money amount in UK/US style (comma thousands, dot decimal).

    Accepts currency symbols, a minus before or after the symbol, a trailing minus,
    parentheses for negatives and numeric cells.  Raises :class:`ValueParseError`.
    """
    if type(value) is str:
        common = _COMMON_AMOUNT.fullmatch(value)
        if common is not None:
            digits = common[2]
            if "," in digits:
                digits = digits.replace(",", "")
            result = Decimal(digits + common[3] if common[3] else digits)
            if result.adjusted() <= _MAX_DIGITS:  # else the general path reports it
                return -result if common[1] else result
    if isinstance(value, bool):
        raise ValueParseError(f"amount {value!r} is not a number")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueParseError(f"amount {value} is not a number")
        return _in_range(value, str(value))
    if isinstance(value, int):
        return _in_range(Decimal(value), str(value))
    if isinstance(value, float):
        return _float_to_decimal(value)
    text = clean_text(value)
    if not text:
        raise ValueParseError("amount is empty")
    body = text.replace(" ", "").replace("\xa0", "")
    negative = 0
    if body.startswith("(") and body.endswith(")"):
        negative += 1
        body = body[1:-1]
    if body[-1:] and body[-1] in _MINUS_SIGNS:
        negative += 1
        body = body[:-1]
    for _ in range(2):  # sign and currency marker, in either order
        if body[:1] and body[0] in _MINUS_SIGNS:
            negative += 1
            body = body[1:]
        elif body[:1] == "+":
            body = body[1:]
        if body[:1] and body[0] in _CURRENCY_SYMBOLS:
            body = body[1:]
        elif body[:3].upper() in _CURRENCY_CODES:
            body = body[3:]
    if body[-1:] and body[-1] in _CURRENCY_SYMBOLS:
        body = body[:-1]
    elif body[-3:].upper() in _CURRENCY_CODES:
        body = body[:-3]
    if negative > 1 or not (_PLAIN_NUMBER.fullmatch(body) or _GROUPED_NUMBER.fullmatch(body)):
        raise ValueParseError(f"amount {text!r} is not a number")
    try:
        result = Decimal(body.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regexes only admit valid numbers
        raise ValueParseError(f"amount {text!r} is not a number") from None
    _in_range(result, repr(text))
    return -result if negative else result


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _month(name: str) -> int | None:
    key = name.lower()
    if key in _MONTHS:
        return _MONTHS[key]
    if len(key) > 3 and key[:3] in _MONTHS:
        full = datetime.date(2000, _MONTHS[key[:3]], 1).strftime("%B").lower()
        if full == key:
            return _MONTHS[key[:3]]
    return None


def _make(year: int, month: int, day: int, text: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueParseError(f"date {text!r} is not a valid date") from None


def excel_serial_to_date(serial: float) -> datetime.date:
    """Convert an Excel (1900 system) serial day number to a date."""
    if not math.isfinite(serial) or not _SERIAL_MIN <= serial < _SERIAL_MAX:
        raise ValueParseError(f"date {serial!r} is not a date serial number")
    return _EXCEL_EPOCH + datetime.timedelta(days=int(serial))


def numeric_date_parts(value: object) -> tuple[int, int] | None:
    """The first two parts of an ``a/b/yyyy`` style date, used to infer day/month order."""
    if not isinstance(value, str):
        return None
    match = _NUMERIC.fullmatch(clean_text(value))
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def date_order_evidence(values: Iterable[object]) -> str:
    """How a column's numeric ``a/b/y`` dates decide day/month order.

    Returns "day-first" (some first part > 12), "month-first" (some second part > 12 and
    no first part > 12), "ambiguous" (numeric dates, all parts <= 12) or "none".
    """
    evidence = "none"
    for value in values:
        parts = numeric_date_parts(value)
        if parts is None:
            continue
        if parts[0] > 12:
            return "day-first"
        if parts[1] > 12:
            evidence = "month-first"
        elif evidence == "none":
            evidence = "ambiguous"
    return evidence


def infer_day_first(values: Iterable[object]) -> bool:
    """Decide day/month order for a whole column: day-first unless only month-first fits."""
    return date_order_evidence(values) != "month-first"


def parse_date(value: object, *, day_first: bool = True) -> tuple[datetime.date, str]:
    """Parse a date cell; returns ``(date, precision)`` with precision "day" or "month".

    Raises :class:`ValueParseError` for empty or unreadable values.
    """
    if isinstance(value, datetime.datetime):
        return value.date(), DAY
    if isinstance(value, datetime.date):
        return value, DAY
    if isinstance(value, bool):
        raise ValueParseError(f"date {value!r} is not a date")
    if isinstance(value, int | float):
        return excel_serial_to_date(float(value)), DAY
    text = clean_text(value)
    if not text:
        raise ValueParseError("date is empty")
    match = _ISO.fullmatch(text)
    if match:
        return _make(int(match[1]), int(match[2]), int(match[3]), text), DAY
    match = _NUMERIC.fullmatch(text)
    if match:
        first, second = int(match[1]), int(match[2])
        day, month = (first, second) if day_first else (second, first)
        return _make(_year(match[3]), month, day, text), DAY
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match and _month(match[2]):
        return _make(_year(match[3]), _month(match[2]) or 0, int(match[1]), text), DAY
    match = _MONTH_DAY_YEAR.fullmatch(text)
    if match and _month(match[1]):
        return _make(int(match[3]), _month(match[1]) or 0, int(match[2]), text), DAY
    match = _MONTH_YEAR.fullmatch(text)
    if match and _month(match[1]):
        return _make(_year(match[2]), _month(match[1]) or 0, 1, text), MONTH
    match = _COMPACT.fullmatch(text)
    if match:
        return _make(int(match[1]), int(match[2]), int(match[3]), text), DAY
    match = _YEAR_MONTH.fullmatch(text)
    if match:
        return _make(int(match[1]), int(match[2]), 1, text), MONTH
    if _SERIAL.fullmatch(text):
        return excel_serial_to_date(float(text)), DAY
    raise ValueParseError(f"date {text!r} is not a recognised date")
