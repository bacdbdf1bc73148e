"""Who may do what in reviews. Names follow `reviews.<verb>_<model>`.

The object is a Call (rubric, assignment, ranking), an Application (reviewing, deciding) or a Programme or Call
(declaring a conflict). Managers are the programme's managers and the platform's programme managers and admins
(`jusoor.programmes.rules.is_manager`).
"""

from __future__ import annotations

from typing import Any

import rules

from jusoor.calls.models import Application
from jusoor.programmes.rules import is_manager, is_reviewer
from jusoor.reviews.models import ReviewAssignment
from jusoor.reviews.selectors.conflicts import conflict_reasons


@rules.predicate
def is_assigned_reviewer(user: Any, application: Any = None) -> bool:
    """The application is assigned to the user and the user is not in conflict with it."""
    if not isinstance(application, Application) or not getattr(user, "is_authenticated", False):
        return False
    if not ReviewAssignment.objects.filter(application=application, reviewer=user).exists():
        return False
    return not conflict_reasons(application=application, reviewer=user)


rules.add_perm("reviews.manage_rubric", is_manager)
rules.add_perm("reviews.assign_reviewers", is_manager)
rules.add_perm("reviews.view_ranking", is_manager)
rules.add_perm("reviews.decide_application", is_manager)
rules.add_perm("reviews.review_application", is_assigned_reviewer)
rules.add_perm("reviews.declare_conflict", is_reviewer)
rules.add_perm("reviews.view_queue", rules.is_authenticated)
