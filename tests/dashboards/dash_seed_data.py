"""Users of the dashboard tests' two seeded authorities (``factories.seed_two_authorities``)."""

from __future__ import annotations

from dataclasses import dataclass

from factories import DashSeed
from sqlalchemy.orm import Session

from tracker.access import Viewer
from tracker.models import Authority, User
from tracker.services.users import add_user, viewer_of

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
