"""Who may manage the finance reference data. Names follow `finance.<verb>_<model>`.

`finance.view_dashboard` is declared in `jusoor.accounts.rules` (with the platform roles)."""

from __future__ import annotations

import rules

from jusoor.accounts.rules import is_finance_officer, is_platform_admin

# Record a day's exchange rate, by hand or from a CSV file (every change is audited by the service).
rules.add_perm("finance.change_exchangerate", is_finance_officer | is_platform_admin)
