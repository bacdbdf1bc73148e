"""Who may do what with payments. Names follow `payments.<verb>_<model>`."""

from __future__ import annotations

import rules

from jusoor.accounts.rules import is_finance_officer, is_platform_admin

# Import bank statements and review their lines (matching a line captures a donation).
rules.add_perm("payments.import_statement", is_finance_officer | is_platform_admin)
