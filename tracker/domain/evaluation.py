"""Precision of classification against a hand-labelled set (factors/evaluation/).

A label says what a line bought: ``exact`` (the group or NAICS code a carbon consultant
would choose, ``x:REASON`` for an exclusion, ``?`` when the line does not say) and
``acceptable`` (every answer a consultant would sign off, including ``exact``). An
outcome is what the tracker decided for the line. A decision (mapped or excluded) is
*exact* when it equals ``exact`` and *acceptable* when it is in ``acceptable``; for a
``?`` line only the acceptable list counts (policy §8), so it is exact when acceptable.
An unmapped line was sent to review: it is no decision and not in precision, and is
counted on its own (with the ``?`` lines rightly sent there).

Precision is given by count of lines and by spend (absolute amount).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tracker.domain.codes import LineStatus
from tracker.errors import TrackerError

# The columns of a label file (factors/evaluation/labels/*.csv): what the line carries,
# as drawn by factors.build.evaluation_sample, then the judgement.
SAMPLE_COLUMNS = (
    "file",
    "row",
    "amount",
    "supplier",
    "expense_type",
    "description",
    "codes",
    "cost_centre",
    "capital_or_revenue",
)
JUDGEMENT_COLUMNS = ("exact", "acceptable", "scope3_category", "reason")
LABEL_COLUMNS = (*SAMPLE_COLUMNS, *JUDGEMENT_COLUMNS)
UNKNOWN = "?"
EXCLUSION = "x:"
_REASON = re.compile(r"^x:[a-z][a-z0-9_]*$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")
NONE = "-"  # method or confidence a decision did not record


class LabelError(TrackerError):
    """A label file that cannot be scored: the message names file, line and column."""


@dataclass(frozen=True)
class Label:
    """One judged line. ``line`` is its line number in the label file (header is 1)."""

    source: str
    line: int
    file: str
    row: int
    amount: Decimal
    supplier: str
    exact: str
    acceptable: tuple[str, ...]
    scope3_category: int | None
    reason: str = ""

    @property
    def unknown(self) -> bool:
        return self.exact == UNKNOWN

    @property
    def key(self) -> tuple[str, int]:
        return (self.file, self.row)


@dataclass(frozen=True)
class Outcome:
    """What the tracker decided for a labelled line (from its line emission)."""

    status: str  # mapped | excluded | unmapped
    code: str | None  # Defra group or NAICS code of a mapped line
    exclusion: str | None  # reason of an excluded line
    method: str | None
    confidence: str | None
    scope3_category: int | None
    amount: Decimal
    rule: str | None = None  # the rule or code that decided (line_emission.matched_code)

    @property
    def decision(self) -> str | None:
        """The answer compared with the label: a code, ``x:REASON``, or None (review)."""
        if self.status == LineStatus.MAPPED:
            return self.code
        if self.status == LineStatus.EXCLUDED:
            return f"{EXCLUSION}{self.exclusion}"
        return None


def _answer(text: str, where: str, column: str, known: Collection[str] | None) -> str:
    """A code or ``x:REASON``, checked (codes against ``known`` when given)."""
    if text.startswith(EXCLUSION):
        if not _REASON.match(text):
            raise LabelError(f"{where}, column {column!r}: {text!r} is not x:REASON (x:staff)")
        return text
    if not _CODE.match(text):
        raise LabelError(f"{where}, column {column!r}: {text!r} is not a code, x:REASON or ?")
    if known is not None and text not in known:
        raise LabelError(f"{where}, column {column!r}: {text!r} is not a code of the factor set")
    return text


def _label(source: str, n: int, raw: dict[str, str], known: Collection[str] | None) -> Label:
    where = f"{source} line {n}"

    def cell(column: str) -> str:
        return (raw.get(column) or "").strip()

    def number(column: str, parse: Callable[[str], Any]) -> Any:
        try:
            return parse(cell(column))
        except (ValueError, InvalidOperation):
            raise LabelError(
                f"{where}, column {column!r}: {cell(column)!r} is not a number"
            ) from None

    if not cell("file"):
        raise LabelError(f"{where}, column 'file': empty")
    row = number("row", int)
    if row < 1:
        raise LabelError(f"{where}, column 'row': {row} is not a row number")
    amount = number("amount", Decimal)
    exact = cell("exact")
    if not exact:
        raise LabelError(f"{where}, column 'exact': empty (a code, x:REASON or ?)")
    if exact != UNKNOWN:
        exact = _answer(exact, where, "exact", known)
    acceptable = tuple(
        _answer(a, where, "acceptable", known)
        for a in map(str.strip, cell("acceptable").split(";"))
        if a
    )
    if len(set(acceptable)) != len(acceptable):
        raise LabelError(f"{where}, column 'acceptable': an answer is listed twice")
    if exact != UNKNOWN and exact not in acceptable:
        raise LabelError(f"{where}, column 'acceptable': must include exact {exact!r}")
    scope3 = cell("scope3_category")
    category: int | None = None
    if scope3:
        if scope3 not in {"1", "2"}:
            raise LabelError(f"{where}, column 'scope3_category': {scope3!r} is not 1 or 2")
        category = int(scope3)
    if exact.startswith(EXCLUSION) and category is not None:
        raise LabelError(f"{where}, column 'scope3_category': must be empty for an exclusion")
    if category is None and exact not in {UNKNOWN} and not exact.startswith(EXCLUSION):
        raise LabelError(f"{where}, column 'scope3_category': 1 or 2 for a costed line")
    return Label(
        source, n, cell("file"), row, amount, cell("supplier"), exact, acceptable, category,
        cell("reason"),
    )  # fmt: skip


def parse_labels(text: str, source: str, known_codes: Collection[str] | None = None) -> list[Label]:
    """The label rows of one label file's ``text``; ``source`` names it in errors.

    ``known_codes``: the codes of the factor set the labels are judged in (a code outside
    it is an error); None skips that check. Raises LabelError naming the line and column.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or ()]
    missing = [c for c in LABEL_COLUMNS if c not in header]
    if missing:
        raise LabelError(f"{source} line 1: missing column(s) {', '.join(missing)}")
    labels: list[Label] = []
    seen: dict[tuple[str, int], int] = {}
    for raw in reader:
        n = reader.line_num
        if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
            continue
        extra = raw.get(None)
        if extra:
            raise LabelError(
                f"{source} line {n}, column {len(header) + 1}: {len(header) + len(extra)} "
                f"cells, the header has {len(header)} (a comma in an unquoted cell?)"
            )
        label = _label(source, n, {k.strip(): v for k, v in raw.items() if k}, known_codes)
        if label.key in seen:
            raise LabelError(
                f"{source} line {n}, column 'row': {label.file} row {label.row} is already "
                f"labelled on line {seen[label.key]}"
            )
        seen[label.key] = n
        labels.append(label)
    return labels


# ---------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Judged:
    label: Label
    outcome: Outcome

    @property
    def spend(self) -> Decimal:
        return abs(self.outcome.amount)

    @property
    def decided(self) -> bool:
        return self.outcome.decision is not None

    @property
    def acceptable(self) -> bool:
        return self.decided and self.outcome.decision in self.label.acceptable

    @property
    def exact(self) -> bool:
        if self.label.unknown:  # only the acceptable list counts (policy §8)
            return self.acceptable
        return self.decided and self.outcome.decision == self.label.exact


def _share(part: Decimal | int, whole: Decimal | int) -> float | None:
    return float(Decimal(part) / Decimal(whole)) if whole else None


@dataclass
class Tally:
    """Decided lines (in precision) and lines sent to review, by count and spend."""

    decided: int = 0
    decided_spend: Decimal = Decimal(0)
    exact: int = 0
    exact_spend: Decimal = Decimal(0)
    acceptable: int = 0
    acceptable_spend: Decimal = Decimal(0)
    review: int = 0
    review_spend: Decimal = Decimal(0)

    def add(self, j: Judged) -> None:
        if not j.decided:
            self.review += 1
            self.review_spend += j.spend
            return
        self.decided += 1
        self.decided_spend += j.spend
        if j.exact:
            self.exact += 1
            self.exact_spend += j.spend
        if j.acceptable:
            self.acceptable += 1
            self.acceptable_spend += j.spend

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": self.decided + self.review,
            "decided": self.decided,
            "decided_spend": float(self.decided_spend),
            "review": self.review,
            "review_spend": float(self.review_spend),
            "acceptable": _share(self.acceptable, self.decided),
            "exact": _share(self.exact, self.decided),
            "acceptable_by_spend": _share(self.acceptable_spend, self.decided_spend),
            "exact_by_spend": _share(self.exact_spend, self.decided_spend),
        }


@dataclass
class CategoryAgreement:
    """Scope 3 category (1 or 2) of mapped lines whose label is a costed category."""

    pairs: dict[tuple[int, int], list[Decimal]] = field(default_factory=dict)  # (label, got)

    def add(self, j: Judged) -> None:
        want, got = j.label.scope3_category, j.outcome.scope3_category
        if j.outcome.status != LineStatus.MAPPED or want is None or got is None:
            return
        entry = self.pairs.setdefault((want, got), [Decimal(0), Decimal(0)])
        entry[0] += 1
        entry[1] += j.spend

    def as_dict(self) -> dict[str, Any]:
        lines = sum((v[0] for v in self.pairs.values()), Decimal(0))
        spend = sum((v[1] for v in self.pairs.values()), Decimal(0))
        agree = [v for (w, g), v in self.pairs.items() if w == g]
        return {
            "lines": int(lines),
            "agreement": _share(sum((v[0] for v in agree), Decimal(0)), lines),
            "agreement_by_spend": _share(sum((v[1] for v in agree), Decimal(0)), spend),
            "pairs": [
                {"label": w, "got": g, "lines": int(v[0]), "spend": float(v[1])}
                for (w, g), v in sorted(self.pairs.items())
            ],
        }


@dataclass(frozen=True)
class Wrong:
    """A wrong decision, for a person to see what to fix."""

    file: str
    row: int
    supplier: str
    amount: Decimal
    got: str
    expected: str
    acceptable: tuple[str, ...]
    method: str
    confidence: str
    rule: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__ | {"amount": float(self.amount), "acceptable": list(self.acceptable)}


@dataclass
class Evaluation:
    overall: Tally
    by_method: dict[str, Tally]
    by_confidence: dict[str, Tally]
    by_file: dict[str, Tally]
    category: CategoryAgreement
    unknown_review: int  # `?` lines sent to review (the right answer unless acceptable)
    unknown_decided: int  # `?` lines the tracker decided anyway
    unknown_decided_acceptable: int  # … of which the decision is in the acceptable list
    wrong: list[Wrong]

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.as_dict(),
            "by_method": {k: v.as_dict() for k, v in self.by_method.items()},
            "by_confidence": {k: v.as_dict() for k, v in self.by_confidence.items()},
            "by_file": {k: v.as_dict() for k, v in self.by_file.items()},
            "category2": self.category.as_dict(),
            "unknown": {
                "sent_to_review": self.unknown_review,
                "classified": self.unknown_decided,
                "classified_acceptable": self.unknown_decided_acceptable,
            },
            "largest_wrong": [w.as_dict() for w in self.wrong],
        }


def _sorted(tallies: dict[str, Tally]) -> dict[str, Tally]:
    return dict(sorted(tallies.items(), key=lambda kv: (-kv[1].decided_spend, kv[0])))


def score(pairs: Iterable[tuple[Label, Outcome]], *, worst: int = 10) -> Evaluation:
    """Score each label against the tracker's outcome for its line.

    Per method and per confidence only decided lines count (a line sent to review has no
    method that decided it); per file and overall, lines sent to review are counted too.
    ``worst``: how many wrong decisions to list, largest spend first.
    """
    judged = [Judged(label, outcome) for label, outcome in pairs]
    overall = Tally()
    by_method: dict[str, Tally] = {}
    by_confidence: dict[str, Tally] = {}
    by_file: dict[str, Tally] = {}
    category = CategoryAgreement()
    for j in judged:
        overall.add(j)
        by_file.setdefault(j.label.file, Tally()).add(j)
        category.add(j)
        if j.decided:
            by_method.setdefault(j.outcome.method or NONE, Tally()).add(j)
            by_confidence.setdefault(j.outcome.confidence or NONE, Tally()).add(j)
    unknown = [j for j in judged if j.label.unknown]
    wrong = sorted(
        (j for j in judged if j.decided and not j.acceptable),
        key=lambda j: (-j.spend, j.label.file, j.label.row),
    )
    return Evaluation(
        overall=overall,
        by_method=_sorted(by_method),
        by_confidence=_sorted(by_confidence),
        by_file=dict(sorted(by_file.items())),
        category=category,
        unknown_review=sum(1 for j in unknown if not j.decided),
        unknown_decided=sum(1 for j in unknown if j.decided),
        unknown_decided_acceptable=sum(1 for j in unknown if j.acceptable),
        wrong=[_wrong(j) for j in wrong[:worst]],
    )


def _wrong(j: Judged) -> Wrong:
    o = j.outcome
    return Wrong(
        j.label.file, j.label.row, j.label.supplier, o.amount, o.decision or "", j.label.exact,
        j.label.acceptable, o.method or NONE, o.confidence or NONE, o.rule or "",
    )  # fmt: skip


# --------------------------------------------------------------------------- printing


def _pct(value: float | None) -> str:
    return "     -" if value is None else f"{value:6.1%}"


def format_table(evaluation: Evaluation) -> list[str]:
    """The evaluation as text lines: precision tables, `?` lines and the largest wrong."""
    out: list[str] = []

    def table(title: str, tallies: dict[str, Tally], review: bool) -> None:
        out.append(
            f"{title:<34}{'decided':>8}{'spend':>16}{'accept':>8}{'exact':>8}"
            f"{'accept£':>9}{'exact£':>8}"
            + (f"{'review':>8}{'review spend':>16}" if review else "")
        )
        for name, t in tallies.items():
            d = t.as_dict()
            line = (
                f"{name[:33]:<34}{t.decided:>8}{t.decided_spend:>16,.0f}"
                f" {_pct(d['acceptable'])}  {_pct(d['exact'])}  "
                f"{_pct(d['acceptable_by_spend'])}  {_pct(d['exact_by_spend'])}"
            )
            if review:
                line += f"{t.review:>8}{t.review_spend:>16,.0f}"
            out.append(line)
        out.append("")

    table("file", evaluation.by_file | {"all": evaluation.overall}, True)
    table("method", evaluation.by_method, False)
    table("confidence", evaluation.by_confidence, False)
    c = evaluation.category.as_dict()
    out.append(
        f"scope 3 category agreement: {_pct(c['agreement']).strip()} of {c['lines']} mapped "
        f"lines, {_pct(c['agreement_by_spend']).strip()} of their spend"
        + "".join(f"; label {p['label']} got {p['got']}: {p['lines']}" for p in c["pairs"])
    )
    out.append(
        f"'?' lines: {evaluation.unknown_review} sent to review, {evaluation.unknown_decided} "
        f"classified ({evaluation.unknown_decided_acceptable} of them acceptably)"
    )
    if evaluation.wrong:
        out.append("")
        out.append("largest wrong decisions:")
        for w in evaluation.wrong:
            out.append(
                f"  {w.file} row {w.row}  {w.amount:>14,.2f}  {w.supplier[:30]:<30}  got {w.got} "
                f"expected {w.expected} ({';'.join(w.acceptable) or 'review'})  "
                f"{w.method}/{w.confidence} {w.rule}"
            )
    return out
