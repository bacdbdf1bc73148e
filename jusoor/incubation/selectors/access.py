from __future__ import annotations

from typing import Any


def hidden_from(viewer: Any, permission: str, obj: Any) -> bool:
    """Whether a signed-in viewer may not see `obj` (answer 404, as if it did not exist). Anonymous viewers are let
    through to the page, which sends them to the login page."""
    return bool(getattr(viewer, "is_authenticated", False)) and not viewer.has_perm(permission, obj)
