"""Role rules of tracker.access, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tracker.access import AccessDenied, Viewer, aggregate_access_ids, full_access_ids
from tracker.models import Authority


def _authorities(session: Session) -> tuple[Authority, Authority, Authority]:
    a = Authority(code="ACC-A", name="A", share_in_comparisons=False)
    b = Authority(code="ACC-B", name="B", share_in_comparisons=True)
    c = Authority(code="ACC-C", name="C", share_in_comparisons=False)
    session.add_all([a, b, c])
    session.flush()
    return a, b, c


def test_admin_sees_everything(session: Session) -> None:
    a, b, c = _authorities(session)
    admin = Viewer(1, "admin@example.org", "admin", None)
    ids = {a.id, b.id, c.id}
    assert ids <= set(full_access_ids(session, admin))
    assert ids <= set(aggregate_access_ids(session, admin))
    assert admin.can_edit(c.id) and admin.sees_lines(c.id)


def test_officer_and_viewer_see_their_own_and_shared_aggregates(session: Session) -> None:
    a, b, c = _authorities(session)
    for role in ("officer", "viewer"):
        user = Viewer(2, "u@example.org", role, a.id)
        assert full_access_ids(session, user) == [a.id]
        assert set(aggregate_access_ids(session, user)) >= {a.id, b.id}
        assert c.id not in aggregate_access_ids(session, user)
        assert user.sees_lines(a.id) and not user.sees_lines(b.id)
        with pytest.raises(AccessDenied):
            user.require_lines(b.id)
    assert Viewer(3, "o@example.org", "officer", a.id).can_edit(a.id)
    assert not Viewer(3, "o@example.org", "officer", a.id).can_edit(b.id)
    with pytest.raises(AccessDenied):
        Viewer(4, "v@example.org", "viewer", a.id).require_edit(a.id)


def test_roles_are_checked() -> None:
    with pytest.raises(ValueError):
        Viewer(1, "x@example.org", "superuser", None)
    with pytest.raises(ValueError):
        Viewer(1, "x@example.org", "viewer", None)
