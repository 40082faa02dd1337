"""Signals between apps that do not depend on each other.

`records_changed` is sent inside the transaction of a write that changes figures that other
apps summarise: a payroll batch approved (its money is paid), a registry import, a person's
status event, a person record written or voided (`canlian.records`, once per transaction
and year). `source` says which kind of record changed ("registry", "payroll", or a record's
app such as "rehab"), `year` which year's figures. The `targets` app refreshes the indicators built on that source once
the transaction commits; the sender knows nothing of indicators.
"""

from django.dispatch import Signal

records_changed = Signal()
