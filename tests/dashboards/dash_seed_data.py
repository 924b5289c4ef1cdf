"""Two authorities with inventories, for the dashboard tests (see ``seed_two_authorities``)."""

from __future__ import annotations

from dataclasses import dataclass

from inventory_factories import Line, make_authority, make_factor_set, make_run, suffix
from sqlalchemy.orm import Session

from tracker.access import Viewer
from tracker.models import Authority, InventoryRun, User
from tracker.services.users import add_user, viewer_of


@dataclass
class DashSeed:
    alpha: Authority
    beta: Authority
    alpha_2022: InventoryRun
    alpha_2023: InventoryRun
    beta_2023: InventoryRun


def seed_two_authorities(session: Session) -> DashSeed:
    """Alpha: 2022 and 2023. Beta: 2023 only, with a supplier Alpha never used.

    Alpha 2022: 3000 spend, 1200 kg (all mapped).
    Alpha 2023: 4000 spend of which 950 (450 + 50 + 450) unmapped; 900 + 400 = 1300 kg.
    Beta 2023: 1000 spend, 600 kg.
    """
    f = make_factor_set(
        session,
        factors={
            "49": ("Land transport services", "0.4"),
            "10.1": ("Food products", "0.5"),
            "62": ("Computer programming services", "0.1"),
        },
    )
    tag = suffix().upper()
    alpha = make_authority(session, code=f"ALPHA{tag}", name="Alpha Borough Council")
    beta = make_authority(session, code=f"BETA{tag}", name="Beta District Council")
    suppliers: dict[str, int] = {}
    alpha_2022 = make_run(
        session,
        authority=alpha,
        fy_year=2022,
        supplier_ids=suppliers,
        lines=[Line("Shared Coaches Ltd", "3000.00", "1200", f["49"])],
    )
    alpha_2023 = make_run(
        session,
        authority=alpha,
        fy_year=2023,
        supplier_ids=suppliers,
        lines=[
            Line("Shared Coaches Ltd", "2250.00", "900", f["49"]),
            Line("Alpha Catering", "800.00", "400", f["10.1"]),
            Line("Alpha Catering", "450.00", "0", None),
            Line(None, "50.00", "0", None),
            Line("Alpha IT", "450.00", "0", None),
        ],
    )
    beta_2023 = make_run(
        session,
        authority=beta,
        fy_year=2023,
        supplier_ids=suppliers,
        lines=[
            Line("Shared Coaches Ltd", "500.00", "200", f["49"]),
            Line("Beta Secret Supplies", "500.00", "400", f["10.1"]),
        ],
    )
    return DashSeed(alpha, beta, alpha_2022, alpha_2023, beta_2023)


PASSWORD = "correct horse battery"  # every seeded user's password
# A key as `secrets.token_urlsafe(48)` makes one (a weak key is refused:
# dashboards.server.secret_key).
TEST_SECRET_KEY = "9q0O304nstHyj8fnxwrSK3GEfHDCaZGFY1Xc2qdl77iPqkz0cL3C6QKbkKoZLbFg"


@dataclass
class SeedUsers:
    admin: User
    alpha_officer: User
    alpha_viewer: User
    beta_officer: User

    def viewer(self, user: User) -> Viewer:
        return viewer_of(user)


def seed_users(session: Session, seed: DashSeed) -> SeedUsers:
    """An admin; an officer and a viewer of Alpha; an officer of Beta."""
    tag = seed.alpha.code.lower()

    def add(name: str, role: str, authority: Authority | None) -> User:
        return add_user(
            session,
            email=f"{name}-{tag}@example.org",
            password=PASSWORD,
            role=role,
            authority=authority,
        )

    return SeedUsers(
        admin=add("admin", "admin", None),
        alpha_officer=add("alpha-officer", "officer", seed.alpha),
        alpha_viewer=add("alpha-viewer", "viewer", seed.alpha),
        beta_officer=add("beta-officer", "officer", seed.beta),
    )
